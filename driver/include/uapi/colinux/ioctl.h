/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * colinux/ioctl.h --- the driver<->daemon ABI of /dev/colinux.
 *
 * One open file is one guest.  The daemon asks for guest RAM (SETUP), maps
 * it with mmap() at offset 0, loads the guest into it, gives the first
 * registers (SET_REGS) and calls RUN until the guest stops.  Every struct
 * starts with its own size and the ABI version it was written for, uses only
 * fixed-width little-endian fields with explicit padding, and is checked by
 * driver/core/abi_test.c.  The same header builds in the kernel, with gcc in
 * user space and with MinGW.
 */
#ifndef _UAPI_COLINUX_IOCTL_H
#define _UAPI_COLINUX_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/colinux.h> /* the guest<->host ABI: passage operations */

/*
 * Bumped on any incompatible change to this header or to the passage
 * operations of linux/colinux.h.
 */
#define COLINUX_ABI_VERSION 2

#define COLINUX_MAX_BLOCKS 64
#define COLINUX_MESSAGE_SIZE 160

/*
 * Guest RAM comes as physically contiguous blocks, each aligned to its own
 * size, and guest physical == host physical.  mem_size is either a power of
 * two from 4 MiB to 128 MiB (one block) or a multiple of 128 MiB.
 */
#define COLINUX_BLOCK_MAX (128ULL << 20)
#define COLINUX_MEM_MIN (4ULL << 20)

/*
 * The first 2 MiB of block 0 belong to the loader: the guest's initial page
 * tables live there, and its last page is the shared page (struct
 * colinux_shared, at colinux_setup.shared_pa).  The daemon loads the guest
 * above it and may use the rest of the area (boot_params, command line,
 * boot info) between loader_used and shared_pa.
 */
#define COLINUX_LOADER_SIZE (2ULL << 20)

/*
 * The passage as runs of pages that are contiguous both virtually and
 * physically: code, then this guest's area.  Its code is two pages and
 * its area three, so it never needs more than five runs.
 */
#define COLINUX_SETUP_MAX_MAPS 8

struct colinux_block {
	__u64 phys; /* host (= guest) physical address, aligned to size */
	__u64 size; /* bytes */
};

/* COLINUX_SETUP: allocate guest RAM, build the loader page tables. */
struct colinux_setup {
	__u32 size; /* in: sizeof(struct colinux_setup) */
	__u32 abi_version; /* in: COLINUX_ABI_VERSION */
	__u64 mem_size; /* in: bytes of guest RAM (see above) */
	__u64 flags; /* in: 0 */
	__u64 passage_entry; /* out: guest VA of this guest's passage call */
	__u64 loader_phys; /* out: the loader area, guest PA */
	__u64 loader_size; /* out: its size (COLINUX_LOADER_SIZE) */
	__u32 nr_blocks; /* out: blocks[] used */
	__u32 paging_levels; /* out: 4 or 5, as the host */
	struct colinux_block blocks[COLINUX_MAX_BLOCKS]; /* out */
	__u64 tsc_khz; /* out: the host's TSC frequency (guest TSC = host's) */
	__u64 shared_pa; /* out: struct colinux_shared, in the loader area */
	__u64 loader_used; /* out: bytes of the loader area the tables use */
	__u32 nr_maps; /* out: maps[] used */
	__u32 __pad0;
	/* out: the passage pages, for colinux_boot_info.map[] */
	struct colinux_map maps[COLINUX_SETUP_MAX_MAPS];
	/* out: why SETUP failed, NUL-terminated, also written on success */
	__u8 message[COLINUX_MESSAGE_SIZE];
};

/*
 * COLINUX_SET_REGS: registers for the first entry into the guest.  The
 * guest starts in 64-bit mode, ring 0, interrupts off, on the loader's
 * page tables (identity map of guest RAM plus the passage) and the driver's
 * default GDT/IDT (a fault exits with COLINUX_EXIT_FAULT, interrupts are
 * forwarded to the host).  rsp must point into guest RAM: the driver builds
 * the first passage frame below it.
 */
struct colinux_regs {
	__u32 size; /* sizeof(struct colinux_regs) */
	__u32 abi_version;
	__u64 rip, rsp, rflags;
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Why RUN returned. */
enum {
	COLINUX_EXIT_NONE = 0, /* interrupted by a signal: call RUN again */
	COLINUX_EXIT_CALL = 1, /* guest passage call for the daemon: call.* */
	COLINUX_EXIT_FAULT = 2, /* guest exception: fault.*; guest is dead */
	COLINUX_EXIT_PASSAGE_FAULT = 3, /* exception in the passage; dead */
	COLINUX_EXIT_HOST_STATE =
		4, /* RUN_CHECK_HOST found host state changed */
};

/* RUN flags */
#define COLINUX_RUN_CHECK_HOST (1U << 0) /* compare host state every switch */

struct colinux_run {
	__u32 size; /* in: sizeof(struct colinux_run) */
	__u32 abi_version; /* in */
	__u32 flags; /* in: COLINUX_RUN_* */
	__u32 exit_reason; /* out: COLINUX_EXIT_* */
	__u64 call_ret; /* in: value the pending guest call returns */
	struct {
		__u64 op; /* COLINUX_OP_* (linux/colinux.h) */
		__u64 arg[4];
	} call; /* out: COLINUX_EXIT_CALL */
	struct {
		__u64 vector;
		__u64 error_code;
		__u64 rip;
		__u64 cr2;
	} fault; /* out: COLINUX_EXIT_FAULT and COLINUX_EXIT_PASSAGE_FAULT */
	/* out: counters since SETUP (never reset) */
	__u64 round_trips; /* host->guest->host switches */
	__u64 nop_calls; /* COLINUX_OP_NOP calls handled in the driver */
	__u64 forwarded_irqs; /* host interrupts forwarded to the host IDT */
	__u64 forwarded_nmis; /* NMIs forwarded (guest IDT or passage) */
	__u64 passage_nmis; /* of those, NMIs that hit inside the passage */
	__u64 apic_isr_dirty; /* forwarded handlers that left an ISR bit */
	__u64 host_state_checks; /* RUN_CHECK_HOST comparisons done */
	__u64 timer_calls; /* COLINUX_OP_TIMER calls */
	__u64 idle_calls; /* COLINUX_OP_IDLE calls */
	__u64 timer_virqs; /* guest timer expiries delivered */
	__u64 raised_virqs; /* COLINUX_RAISE_VIRQ calls */
	/* out: COLINUX_EXIT_HOST_STATE: which item changed, NUL-terminated */
	__u8 message[COLINUX_MESSAGE_SIZE];
};

#define COLINUX_IOCTL_MAGIC 0xC0
/* Returns COLINUX_ABI_VERSION; needs no argument. */
#define COLINUX_GET_ABI_VERSION _IO(COLINUX_IOCTL_MAGIC, 0)
#define COLINUX_SETUP _IOWR(COLINUX_IOCTL_MAGIC, 1, struct colinux_setup)
#define COLINUX_SET_REGS _IOW(COLINUX_IOCTL_MAGIC, 2, struct colinux_regs)
#define COLINUX_RUN _IOWR(COLINUX_IOCTL_MAGIC, 3, struct colinux_run)

/*
 * COLINUX_RAISE_VIRQ: make virtual IRQs pending (colinux_shared.
 * pending_virqs) and get the guest to see them soon: wake it from IDLE, or
 * interrupt the CPU it runs on.  Unlike the other calls it may come from
 * another thread while RUN is in progress (console input, devices).
 */
struct colinux_virq {
	__u32 size; /* sizeof(struct colinux_virq) */
	__u32 abi_version;
	__u64 virqs; /* bit n: COLINUX_VIRQ n */
};

#define COLINUX_RAISE_VIRQ _IOW(COLINUX_IOCTL_MAGIC, 4, struct colinux_virq)

#endif
