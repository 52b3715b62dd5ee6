/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * linux/colinux.h --- the guest<->host ABI of coLinux: how the host starts a
 * cooperative guest and what the guest finds at boot.
 *
 * The guest kernel, the host driver and colinux-daemon all include this one
 * header (the kernel through kernel/overlay, the others with
 * -Ikernel/include/uapi).  Fixed-width little-endian fields, explicit
 * padding, a size and a version in every struct; the layout is checked by a
 * unit test.  The passage call itself (operation numbers in %rdi, arguments
 * in %rsi, %rdx, %rcx, %r8, result in %rax) is described in
 * driver/include/uapi/colinux/passage.h; the operations a guest kernel makes
 * beyond the driver's own are listed here.
 */
#ifndef _UAPI_LINUX_COLINUX_H
#define _UAPI_LINUX_COLINUX_H

#include <linux/types.h>

#define COLINUX_GUEST_ABI_VERSION 1

/*
 * The daemon starts the uncompressed vmlinux at startup_64 with the 64-bit
 * boot protocol.  boot_params.hdr.hardware_subarch says "coLinux", and a
 * setup_data record of type COLINUX_SETUP_DATA carries the boot info.
 */
#define COLINUX_SUBARCH 5
#define COLINUX_SETUP_DATA 0x434f4c31 /* "COL1" */

/*
 * The passage is host kernel memory that the guest maps at the same virtual
 * address; the boot info lists it as ranges (page-aligned).
 */
#define COLINUX_MAX_MAPS 4

struct colinux_map {
	__u64 va;
	__u64 pa;
	__u64 size;
};

/* The payload of the COLINUX_SETUP_DATA record. */
struct colinux_boot_info {
	__u32 size;	    /* sizeof(struct colinux_boot_info) */
	__u32 abi_version;  /* COLINUX_GUEST_ABI_VERSION */
	__u64 passage_entry; /* VA the guest calls */
	__u32 nr_maps;
	__u32 __pad0;
	struct colinux_map map[COLINUX_MAX_MAPS];
	__u64 tsc_khz;	    /* the host's TSC frequency */
	__u64 wallclock_sec; /* host wall clock (UTC) when the guest started */
	__u32 wallclock_nsec;
	__u32 __pad1;
	__u64 shared_pa;    /* struct colinux_shared, a page of guest RAM */
};

/*
 * A page both sides write.  Virtual IRQs: the host sets bit n of
 * pending_virqs (atomically) and the guest collects them with an atomic
 * exchange when a passage call returns.
 */
struct colinux_shared {
	__u32 size;
	__u32 abi_version;
	__u64 pending_virqs;
};

#define COLINUX_VIRQ_TIMER 0
#define COLINUX_VIRQ_CONSOLE 1
#define COLINUX_NR_VIRQS 64

/* Passage operations of the guest kernel, handled by the driver. */
#define COLINUX_OP_TIMER 3 /* arg0: guest TSC deadline, 0 = none */
#define COLINUX_OP_IDLE 4  /* wait until a virtual IRQ is pending */

/* Passage operations handled by the daemon (>= COLINUX_OP_DAEMON). */
#define COLINUX_OP_CONSOLE_WRITE 0x100 /* arg0: PA, arg1: bytes */
#define COLINUX_OP_CONSOLE_READ 0x101  /* arg0: PA, arg1: room; returns bytes */
#define COLINUX_OP_TERMINATE 0x102     /* arg0: COLINUX_TERM_*, arg1: PA of a
					* message, arg2: its length */

#define COLINUX_TERM_POWEROFF 0
#define COLINUX_TERM_REBOOT 1
#define COLINUX_TERM_HALT 2
#define COLINUX_TERM_PANIC 3

#endif
