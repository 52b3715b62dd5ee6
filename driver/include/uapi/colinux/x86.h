/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86.h --- plain x86-64 constants: page and large-page sizes, page-table
 * entry bits, control-register, EFER and DR7 bits, MSR numbers.
 *
 * Numbers only, no code and no types, so that the driver (C and assembly),
 * colinux-daemon and the tests include the one definition of each; the
 * instructions that use them are in driver/core/arch.h.  In assembly
 * (__ASSEMBLY__) the values carry no C integer suffix.
 */
#ifndef COLINUX_X86_H
#define COLINUX_X86_H

#ifdef __ASSEMBLY__
#define CO_U64(x) x
#else
#define CO_U64(x) x##ULL
#endif

#define CO_PAGE_SIZE CO_U64(4096)
#define CO_SZ_1M (CO_U64(1) << 20)
#define CO_SZ_2M (CO_U64(2) << 20)

/* Page-table entries, every level. */
#define CO_PTE_P (CO_U64(1) << 0) /* present */
#define CO_PTE_RW (CO_U64(1) << 1)
#define CO_PTE_A (CO_U64(1) << 5) /* accessed */
#define CO_PTE_D (CO_U64(1) << 6) /* dirty */
#define CO_PTE_PS (CO_U64(1) << 7) /* large page (PDE, PDPTE) */
#define CO_PTE_NX (CO_U64(1) << 63)
#define CO_PTE_ADDR CO_U64(0x000ffffffffff000)

#define CO_CR0_PG (CO_U64(1) << 31)
#define CO_CR4_PAE (CO_U64(1) << 5)
#define CO_CR4_PGE (CO_U64(1) << 7)
#define CO_CR4_LA57 (CO_U64(1) << 12)
#define CO_CR4_VMXE (CO_U64(1) << 13)
#define CO_CR4_PCIDE (CO_U64(1) << 17)
#define CO_CR4_OSXSAVE (CO_U64(1) << 18)
#define CO_CR4_PKE (CO_U64(1) << 22)

/* DR6 and DR7 as RESET leaves them: no breakpoint hit, none armed. */
#define CO_DR6_INIT 0xffff0ff0
#define CO_DR7_INIT 0x400
#define CO_CR4_CET (CO_U64(1) << 23)
#define CO_EFER_LME (CO_U64(1) << 8)
#define CO_EFER_LMA (CO_U64(1) << 10)
#define CO_DR7_ENABLED CO_U64(0xff) /* L0-L3, G0-G3 */

/* XCR0's AMX tile configuration and data (17, 18): never the guest's. */
#define CO_XCR0_TILE (CO_U64(3) << 17)
/* CPUID.(EAX=0xd,ECX=1):EAX: XSAVES with IA32_XSS (3), XFD (4). */
#define CO_XSAVE_XSAVES (1U << 3)
#define CO_XSAVE_XFD (1U << 4)

/* Exception vectors the passage and the monitor treat apart. */
#define CO_VEC_NMI 2
#define CO_VEC_MC 18 /* machine check */
#define CO_VEC_SPURIOUS 0xff /* the host's APIC spurious vector (Linux's) */

#define CO_MSR_SPEC_CTRL 0x48
/* CPUID faulting (bit 0) and ring-3 MWAIT: per thread, set by each kernel */
#define CO_MSR_MISC_FEATURES_ENABLES 0x140
#define CO_MSR_XFD 0x1c4 /* extended feature disable (AMX) */
#define CO_MSR_XFD_ERR 0x1c5
#define CO_MSR_XSS 0xda0 /* supervisor states of XSAVES */
#define CO_MSR_SYSENTER_CS 0x174
#define CO_MSR_SYSENTER_ESP 0x175
#define CO_MSR_SYSENTER_EIP 0x176
#define CO_MSR_DEBUGCTL 0x1d9
#define CO_MSR_PAT 0x277
#define CO_MSR_MCG_STATUS 0x17a
#define CO_MCG_STATUS_RIPV 1 /* the interrupted code may go on */
#define CO_MSR_EFER 0xc0000080
#define CO_MSR_STAR 0xc0000081
#define CO_MSR_LSTAR 0xc0000082
#define CO_MSR_CSTAR 0xc0000083
#define CO_MSR_SFMASK 0xc0000084
#define CO_MSR_FS_BASE 0xc0000100
#define CO_MSR_GS_BASE 0xc0000101
#define CO_MSR_KERNEL_GS_BASE 0xc0000102
#define CO_MSR_TSC_AUX 0xc0000103

#endif
