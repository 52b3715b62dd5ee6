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
 * operations of linux/colinux.h.  6: Windows's MAP_RAM and LAST_MESSAGE.
 */
#define COLINUX_ABI_VERSION 6

#define COLINUX_MAX_BLOCKS 64
#define COLINUX_MESSAGE_SIZE 160

/*
 * Guest RAM comes as physically contiguous blocks, each a power of two from
 * 1 MiB to COLINUX_BLOCK_MAX aligned to its own size, and guest physical ==
 * host physical.  mem_size is any whole number of MiB from COLINUX_MEM_MIN:
 * the largest blocks the host can give, then smaller ones for the rest
 * (97 MiB is 64 + 32 + 1), at most COLINUX_MAX_BLOCKS, the largest first.
 * The guest kernel goes into block 0, so it needs more than the driver's
 * minimum: colinux-daemon's mem= starts at 32 MiB (CO_CFG_MEM_MIN_MB).
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

/* A run of the passage: pages contiguous virtually and physically. */
struct colinux_map {
	__u64 va;
	__u64 pa;
	__u64 size;
};

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
	/* out: the passage pages, which the daemon maps in the guest */
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
	COLINUX_EXIT_NONE = 0, /* interrupted by a signal or immediate_exit */
	COLINUX_EXIT_CALL = 1, /* guest passage call for the daemon: call.* */
	COLINUX_EXIT_FAULT = 2, /* guest exception: fault.*; guest is dead */
	COLINUX_EXIT_PASSAGE_FAULT = 3, /* exception in the passage; dead */
	/*
	 * RUN_CHECK_HOST found host state changed, or the guest changed
	 * what it must never (IA32_XSS, IA32_XFD, an XCR0 with AMX tiles or
	 * beyond the host's): message says which; guest is dead
	 */
	COLINUX_EXIT_HOST_STATE = 4,
};

/* RUN flags */
#define COLINUX_RUN_CHECK_HOST (1U << 0) /* compare host state every switch */

/* Counters of one guest since SETUP, never reset. */
struct colinux_stats {
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
	__u64 notify_signals; /* COLINUX_OP_NOTIFY answered by an ioeventfd */
	__u64 notify_exits; /* COLINUX_OP_NOTIFY passed to the daemon */
	__u64 forwarded_mces; /* machine checks run by the host's handler */
	__u64 refused_forwards; /* COLINUX_OP_FORWARD of nothing the host has */
	__u64 kill_nmis; /* NMIs sent to get a killed guest's CPU back */
};

/*
 * COLINUX_RUN: enter the guest until it needs the daemon, dies, or a signal
 * comes.  RUN reads the whole struct once when it starts, as KVM reads
 * kvm_run.immediate_exit: a daemon's signal handler that sets
 * immediate_exit closes the window between the daemon's last look at its
 * stop flag and the call, since a signal handled inside RUN ends it anyway.
 * The daemon clears immediate_exit when it wants to run again.
 */
struct colinux_run {
	__u32 size; /* in: sizeof(struct colinux_run) */
	__u32 abi_version; /* in */
	__u32 flags; /* in: COLINUX_RUN_* */
	__u32 exit_reason; /* out: COLINUX_EXIT_* */
	__u64 call_ret; /* in: value the pending guest call returns */
	__u32 immediate_exit; /* in: non-zero: return COLINUX_EXIT_NONE now */
	__u32 __pad0;
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
	struct colinux_stats stats; /* out */
	/*
	 * out, NUL-terminated: which item changed (COLINUX_EXIT_HOST_STATE),
	 * or why this CPU can not run the guest (RUN fails with EBUSY)
	 */
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

/*
 * COLINUX_SET_IOEVENTFD: let the driver answer the guest's
 * COLINUX_OP_NOTIFY(device, queue) itself, as KVM's ioeventfd does: it adds
 * 1 to the eventfd @fd and returns 0 to the guest, which runs on at once,
 * while a device thread of the daemon reads the eventfd and serves the
 * queue (and raises the device's virtual IRQ with COLINUX_RAISE_VIRQ when
 * it has used buffers).  A NOTIFY for a (device, queue) without an eventfd
 * exits to the daemon as a COLINUX_EXIT_CALL, like any other call, so a
 * queue works either way.  The driver holds its own reference to the
 * eventfd: the daemon may close its descriptor.  fd -1 removes the eventfd;
 * a new one replaces the old; closing /dev/colinux drops them all.
 *
 * Any time after open, from the RUN thread between two RUNs (when the
 * daemon answers COLINUX_DEV_QUEUE, say): it takes the lock that RUN
 * holds, so from another thread it waits until RUN returns.  Errors:
 * EINVAL for a device or queue out of range (COLINUX_MAX_DEVICES,
 * COLINUX_MAX_QUEUES of linux/colinux.h), EBADF for an fd that is not an
 * eventfd, EPROTO for a size or version mismatch.
 */
struct colinux_ioeventfd {
	__u32 size; /* sizeof(struct colinux_ioeventfd) */
	__u32 abi_version;
	__u32 device; /* COLINUX_OP_NOTIFY's arg0: index in the device table */
	__u32 queue; /* its arg1 */
	__s32 fd; /* an eventfd (eventfd(2)), or -1 to remove */
	__u32 __pad0;
};

#define COLINUX_SET_IOEVENTFD \
	_IOW(COLINUX_IOCTL_MAGIC, 5, struct colinux_ioeventfd)

/*
 * Windows only (colinux.sys; colinux.ko answers ENOTTY): what Linux does
 * with mmap and with the struct it copies back.
 *
 * COLINUX_WIN_MAP_RAM maps the first @len bytes of guest RAM into the
 * calling process, block after block from offset 0 as mmap of the device
 * does on Linux, and says where (@addr).  Once per handle, after SETUP;
 * the view goes when the handle is closed.  Errors: EBADFD before SETUP,
 * EBUSY when mapped already, EINVAL for a @len that is 0, not whole pages
 * or more than the guest has, ENOMEM when the process has no room.
 *
 * COLINUX_WIN_LAST_MESSAGE gives the message of the last SETUP or RUN
 * that failed on this handle (empty when none did): Windows copies no
 * buffer back for a call that fails, so the struct's own message field
 * cannot carry it.
 */
struct colinux_win_map {
	__u32 size; /* in: sizeof(struct colinux_win_map) */
	__u32 abi_version; /* in: COLINUX_ABI_VERSION */
	__u64 len; /* in: bytes from the start of guest RAM */
	__u64 addr; /* out: where they are in the caller */
};

struct colinux_win_message {
	__u8 message[COLINUX_MESSAGE_SIZE]; /* out: NUL-terminated */
};

#define COLINUX_WIN_MAP_RAM \
	_IOWR(COLINUX_IOCTL_MAGIC, 6, struct colinux_win_map)
#define COLINUX_WIN_LAST_MESSAGE \
	_IOR(COLINUX_IOCTL_MAGIC, 7, struct colinux_win_message)

#endif
