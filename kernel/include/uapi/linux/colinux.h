/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * linux/colinux.h --- the guest<->host ABI of coLinux: how the host starts a
 * cooperative guest and what the guest finds at boot.
 *
 * The guest kernel, the host driver and colinux-daemon all include this one
 * header (the kernel through kernel/overlay, the others with
 * -Ikernel/include/uapi).  Fixed-width little-endian fields, explicit
 * padding, a size and a version in every struct; the layout is checked by a
 * unit test.  Assembly sources (the driver's passage, the test payload) may
 * include it for the constants: the structs are hidden from them.
 */
#ifndef _UAPI_LINUX_COLINUX_H
#define _UAPI_LINUX_COLINUX_H

#ifndef __ASSEMBLY__
#include <linux/types.h>
#endif

#define COLINUX_GUEST_ABI_VERSION 1

/*
 * The passage call.  The guest calls the VA it was given
 * (colinux_boot_info.passage_entry) with a near "call", in ring 0, with
 * interrupts disabled or enabled:
 *   %rdi = operation (COLINUX_OP_*), %rsi, %rdx, %rcx, %r8 = arg0..arg3.
 * The call returns %rax; every other register, the flags and the stack are
 * preserved.  The guest's stack needs 256 bytes free below %rsp.  The
 * driver handles the operations below COLINUX_OP_DAEMON itself; the others
 * return from the daemon's RUN to colinux-daemon, which answers them.
 */
#define COLINUX_OP_NOP 0 /* returns 0 at once: round-trip tests */
/*
 * arg0 = vector: a host interrupt, or an NMI (2), arrived while the guest
 * ran; the host runs its handler, then the call returns 0.
 */
#define COLINUX_OP_FORWARD 1
/* arg0..3 = vector, error code, rip, cr2: the guest died; never returns. */
#define COLINUX_OP_FAULT 2
/* Every operation from here on returns from RUN to the daemon. */
#define COLINUX_OP_DAEMON 0x100

/*
 * A coLinux vmlinux carries an ELF note of this name and type whose
 * descriptor is a 32-bit COLINUX_GUEST_ABI_VERSION; colinux-daemon refuses
 * any other kernel.
 */
#define COLINUX_NOTE_NAME "coLinux"
#define COLINUX_NOTE_GUEST_ABI 1

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

#ifndef __ASSEMBLY__

struct colinux_map {
	__u64 va;
	__u64 pa;
	__u64 size;
};

/* The payload of the COLINUX_SETUP_DATA record. */
struct colinux_boot_info {
	__u32 size; /* sizeof(struct colinux_boot_info) */
	__u32 abi_version; /* COLINUX_GUEST_ABI_VERSION */
	__u64 passage_entry; /* VA the guest calls */
	__u32 nr_maps;
	__u32 __pad0;
	struct colinux_map map[COLINUX_MAX_MAPS];
	__u64 tsc_khz; /* the host's TSC frequency */
	__u64 wallclock_sec; /* host wall clock (UTC) when the guest started */
	__u32 wallclock_nsec;
	__u32 __pad1;
	__u64 shared_pa; /* struct colinux_shared, a page of guest RAM */
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

#endif /* __ASSEMBLY__ */

#define COLINUX_VIRQ_TIMER 0
#define COLINUX_VIRQ_CONSOLE 1
#define COLINUX_NR_VIRQS 64

/* Passage operations of the guest kernel, handled by the driver. */
#define COLINUX_OP_TIMER 3 /* arg0: guest TSC deadline, 0 = none */
#define COLINUX_OP_IDLE 4 /* wait until a virtual IRQ is pending */

/* Passage operations handled by the daemon (>= COLINUX_OP_DAEMON). */
#define COLINUX_OP_CONSOLE_WRITE 0x100 /* arg0: PA, arg1: bytes */
#define COLINUX_OP_CONSOLE_READ 0x101 /* arg0: PA, arg1: room; returns bytes */
#define COLINUX_OP_TERMINATE \
	0x102 /* arg0: COLINUX_TERM_*, arg1: PA of a
					* message, arg2: its length */

#define COLINUX_TERM_POWEROFF 0
#define COLINUX_TERM_REBOOT 1
#define COLINUX_TERM_HALT 2
#define COLINUX_TERM_PANIC 3

#endif
