/* SPDX-License-Identifier: GPL-2.0 */
/*
 * passage.h --- layout of a guest's passage area, shared by C and switch.S.
 *
 * Each guest owns one area: page-aligned memory inside the driver's own
 * data, mapped at the same virtual address in the host (where the module
 * loader put it) and in the guest (the loader page tables copy the mapping).
 * The passage code in switch.S is mapped the same way, so the switch runs
 * on both sides of the CR3 write without moving.
 *
 *   0x0000  the guest's default IDT (256 gates): the loader's IDT, which
 *           turns exceptions into COLINUX_OP_FAULT and forwards every
 *           interrupt vector, NMI and machine check to the host.  It comes first so that a
 *           stub can find its area from the IDTR alone.
 *   0x1000  state: host and guest register sets, the passage GDT and IDT,
 *           the last guest call, a fault record
 *   0x2000  the passage stack (one page, grows down from 0x3000)
 */
#ifndef CO_PASSAGE_H
#define CO_PASSAGE_H

#define CO_MAX_SLOTS 8 /* guests at once: one area and one entry each */
#define CO_AREA_SIZE 0x3000

/* Byte offsets in an area. */
#define CO_GIDT 0x0000 /* guest default IDT, 256 * 16 bytes */
#define CO_HOST 0x1000 /* host state, CO_NR_STATE * 8 */
#define CO_GUEST 0x1200 /* guest state, CO_NR_STATE * 8 */
#define CO_PGDT 0x1400 /* passage GDT, CO_PGDT_ENTRIES * 8 */
#define CO_PGDTR 0x1480 /* its pseudo-descriptor (limit, base) */
#define CO_PIDTR 0x1490 /* passage IDT pseudo-descriptor */
#define CO_PENDING 0x14a0 /* u32: events that hit the passage, a bit each */
#define CO_BAILING 0x14a4 /* u32: bailing out after a passage fault */
#define CO_CLEAR_BUFFERS 0x14a8 /* u32: VERW just before entering the guest */
#define CO_TURNED 0x14ac /* u32: the entry turned back before the guest ran */
#define CO_CALL_OP 0x14b0 /* u64: the guest call's %rdi */
#define CO_CALL_ARG 0x14b8 /* u64[4]: %rsi, %rdx, %rcx, %r8 */
#define CO_FAULT_VEC 0x14d8 /* u64: passage fault record */
#define CO_FAULT_ERR 0x14e0
#define CO_FAULT_RIP 0x14e8
#define CO_FAULT_CR2 0x14f0
#define CO_GUEST_ENTRY 0x14f8 /* u64: VA of this slot's guest entry */
#define CO_NR_MSRS 0x1500 /* u64: entries used in CO_MSR_LIST */
#define CO_MSR_LIST 0x1508 /* u32[CO_MAX_MSRS]: MSRs switched */
#define CO_PIDT 0x1600 /* passage IDT, 32 * 16 bytes */
#define CO_GGDT 0x1800 /* guest default GDT, 4 * 8 bytes */
#define CO_STACK_TOP 0x3000

/*
 * CO_PENDING's bits: what the passage IDT noted and let go on, for the
 * host to handle once it is back (monitor.c).  Set with one "orl", which
 * an NMI or machine check on the same CPU cannot split.
 */
#define CO_PENDING_NMI 1
#define CO_PENDING_MC 2

#define CO_PGDT_ENTRIES 16
#define CO_GGDT_ENTRIES 4
#define CO_MAX_MSRS 24

/*
 * A register set: index * 8 into CO_HOST or CO_GUEST.  Selectors, TR and
 * LDTR are stored as 16 bits; GDTR and IDTR take two slots (limit at +0,
 * base at +2, as sgdt stores them).  General-purpose registers are not here:
 * each side pushes them on its own stack, so a nested switch started by an
 * NMI can never overwrite them.
 */
#define CO_S_RSP 0 /* the side's stack, pointing at its pushed frame */
#define CO_S_RAX 1 /* value the side's %rax gets when it resumes */
#define CO_S_CR0 2
#define CO_S_CR2 3
#define CO_S_CR3 4
#define CO_S_CR4 5
#define CO_S_GDTR 6 /* and 7 */
#define CO_S_IDTR 8 /* and 9 */
#define CO_S_TR 10
#define CO_S_LDTR 11
#define CO_S_CS 12
#define CO_S_SS 13
#define CO_S_DS 14
#define CO_S_ES 15
#define CO_S_FS 16
#define CO_S_GS 17
#define CO_S_DR0 18 /* DR0-3 at 18-21 */
#define CO_S_DR6 22
#define CO_S_DR7 23
#define CO_S_MSR 24 /* CO_MAX_MSRS values, in CO_MSR_LIST order */
#define CO_S_EFER 48
#define CO_NR_STATE 64

/*
 * The frame a side leaves on its own stack when it switches away (from
 * CO_S_RSP upwards): r15 ... r8, rbp, rsi, rdx, rcx, rbx, rax, rdi, rflags,
 * return address.
 */
#define CO_FRAME_RAX (13 * 8)
#define CO_FRAME_RDI (14 * 8)
#define CO_FRAME_RFLAGS (15 * 8)
#define CO_FRAME_RIP (16 * 8)
#define CO_FRAME_SIZE (17 * 8)

/* co_switch_to_guest() returns one of these. */
#define CO_SWITCH_OK 0
#define CO_SWITCH_FAULTED \
	1 /* an exception inside the passage; see CO_FAULT_* */

/* Stubs in switch.S are this far apart, so vector v's is at base + v * 16. */
#define CO_STUB_SIZE 16
#define CO_ENTRY_SIZE 32 /* guest entries, one per slot */

#define CO_KERNEL_CS 0x10 /* 64-bit code in every GDT the passage meets */
#define CO_KERNEL_DS 0x18

#ifndef __ASSEMBLY__
#include "os.h"

struct co_area {
	u8 gidt[0x1000];
	u64 host[CO_NR_STATE];
	u64 guest[CO_NR_STATE];
	u64 pgdt[CO_PGDT_ENTRIES];
	u8 pgdtr[16];
	u8 pidtr[16];
	u32 pending;
	u32 bailing;
	u32 clear_buffers;
	u32 turned;
	u64 call_op;
	u64 call_arg[4];
	u64 fault_vec;
	u64 fault_err;
	u64 fault_rip;
	u64 fault_cr2;
	u64 guest_entry;
	u64 nr_msrs;
	u32 msr_list[CO_MAX_MSRS];
	u8 pad1[CO_PIDT - CO_MSR_LIST - 4 * CO_MAX_MSRS];
	u8 pidt[32 * 16];
	u64 ggdt[CO_GGDT_ENTRIES];
	u8 pad2[0x2000 - CO_GGDT - CO_GGDT_ENTRIES * 8];
	u8 stack[0x1000];
} __attribute__((aligned(4096)));

/* switch.S */
extern struct co_area co_areas[CO_MAX_SLOTS];
unsigned long co_switch_to_guest(struct co_area *area) CO_ASMCALL;
extern const u8 co_passage_start[], co_passage_end[];
extern const u8 co_guest_entries[];
extern const u8 co_guest_report_stubs[], co_guest_forward_stubs[];
extern const u8 co_passage_stubs[];
#endif

#endif
