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

#define COLINUX_GUEST_ABI_VERSION 2

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
 * arg0 = vector: a host interrupt, an NMI (2) or a machine check (18)
 * arrived while the guest ran; the host runs its handler, then the call
 * returns 0.  The host checks its own hardware first: an interrupt must be
 * the local APIC's highest vector in service (the spurious vector 0xff is
 * accepted and runs nothing), a machine check must be in progress; else
 * the call returns -EINVAL and nothing runs.
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

#ifndef __ASSEMBLY__

/*
 * The payload of the COLINUX_SETUP_DATA record.  The passage is host kernel
 * memory that the guest finds already mapped at the same virtual address
 * (the daemon fills the guest's level2_fixmap_pgt slots before boot).
 */
struct colinux_boot_info {
	__u32 size; /* sizeof(struct colinux_boot_info) */
	__u32 abi_version; /* COLINUX_GUEST_ABI_VERSION */
	__u64 passage_entry; /* VA the guest calls */
	__u64 tsc_khz; /* the host's TSC frequency */
	__u64 shared_pa; /* struct colinux_shared, a page of guest RAM */
	__u64 devices_pa; /* struct colinux_device[nr_devices], guest RAM */
	__u32 nr_devices;
	__u32 device_size; /* sizeof(struct colinux_device) */
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

/*
 * Wall clock: returns the host's real time (UTC) in nanoseconds since the
 * epoch, read when the guest asks.
 */
#define COLINUX_OP_WALLCLOCK 5

/*
 * Virtio devices.  The daemon describes each device in a table of struct
 * colinux_device in guest RAM (colinux_boot_info.devices_pa; kept as RAM by
 * the guest, reserved from its allocator).  Both sides write an entry, each
 * the fields marked for it; the host treats the whole table as untrusted
 * guest memory and copies what it needs at each COLINUX_OP_DEVICE call.
 *
 * The guest's transport (drivers/virtio/virtio_colinux.c) makes a call of
 * the daemon for every transition that the device must see:
 *   COLINUX_OP_DEVICE(dev, COLINUX_DEV_*, arg2, arg3): status written,
 *	reset, queue arg2 set up or taken down, config bytes written;
 *	returns 0 or -errno (a queue the daemon refuses fails find_vqs).
 *   COLINUX_OP_NOTIFY(dev, queue): new buffers in the available ring; the
 *	driver may answer it itself (an eventfd the daemon registered);
 *	returns 0.
 * Used buffers and config changes: the host ORs COLINUX_ISR_* into the
 * entry's isr and raises the entry's virtual IRQ; the guest takes isr with
 * an atomic exchange.  config[] is written as a seqcount: config_generation
 * is odd while the host rewrites it.  A device that fails sets
 * VIRTIO_CONFIG_S_NEEDS_RESET in status, then reports a config change.
 * Each entry names its virtual IRQ (virq): the daemon gives entry i
 * COLINUX_VIRQ_DEVICE_FIRST + i % (COLINUX_NR_VIRQS -
 * COLINUX_VIRQ_DEVICE_FIRST), so devices share one beyond 62.
 */
#define COLINUX_OP_DEVICE 0x103
#define COLINUX_OP_NOTIFY 0x104

#define COLINUX_DEV_STATUS 0 /* status written */
/*
 * Returns once the device will not touch guest memory again, with status,
 * isr, guest_features and every vq[] field but num_max zeroed.
 */
#define COLINUX_DEV_RESET 1
#define COLINUX_DEV_QUEUE 2 /* arg2 = queue: num, desc/avail/used, ready */
#define COLINUX_DEV_QUEUE_OFF 3 /* arg2 = queue */
#define COLINUX_DEV_CONFIG 4 /* arg2 = offset, arg3 = length written */

#define COLINUX_MAX_DEVICES 96
#define COLINUX_MAX_QUEUES 8
#define COLINUX_CONFIG_MAX 256
#define COLINUX_DEVICE_SIZE 1024
/* Device virtual IRQs: 2..63. */
#define COLINUX_VIRQ_DEVICE_FIRST 2

#define COLINUX_ISR_USED 1
#define COLINUX_ISR_CONFIG 2

#ifndef __ASSEMBLY__

struct colinux_vq {
	__u16 num_max; /* host: the largest size, a power of two; 0: none */
	__u16 num; /* guest: size in use */
	__u32 ready; /* guest: 1 once the addresses are valid */
	__u64 desc, avail, used; /* guest: PAs of the split-ring areas */
};

struct colinux_device {
	__u32 type; /* host: VIRTIO_ID_* */
	__u32 unit; /* host: N of cobdN, ethN, cofsN */
	__u32 virq; /* host: its COLINUX_VIRQ number */
	__u32 nr_queues; /* host */
	__u64 host_features; /* host */
	__u64 guest_features; /* guest; the host reads it at FEATURES_OK */
	__u32 status; /* guest writes; host may clear FEATURES_OK or set
			 NEEDS_RESET */
	__u32 isr; /* host ORs COLINUX_ISR_*; guest takes it with xchg */
	__u32 config_generation; /* host: odd while config[] changes */
	__u32 config_len; /* host */
	struct colinux_vq vq[COLINUX_MAX_QUEUES];
	__u8 config[COLINUX_CONFIG_MAX]; /* the device's config space */
	__u8 __reserved[COLINUX_DEVICE_SIZE - 304 - COLINUX_CONFIG_MAX];
};

#endif /* __ASSEMBLY__ */

#endif
