/* SPDX-License-Identifier: GPL-2.0 */
/*
 * boot.h --- what the guest finds when it starts: boot_params (the kernel's
 * own 64-bit boot protocol), its memory map, and the coLinux boot info in a
 * setup_data record.  Pure: structures in, structures out.
 *
 * Guest RAM (physical = host physical) starts with the loader area: the
 * driver's first page tables, then the boot data the daemon writes, and the
 * shared page at its end.  The kernel follows at the first 2 MiB boundary
 * above it; the initramfs goes to the top of the highest block that holds it.
 */
#ifndef CO_BOOT_H
#define CO_BOOT_H

#include <stdint.h>

#include <asm/bootparam.h>
#include <colinux/ioctl.h>
#include <co/err.h>

/* The x86 kernel's COMMAND_LINE_SIZE, NUL included. */
#define CO_BOOT_CMDLINE_MAX 2048

struct co_boot_layout {
	const struct colinux_block *blocks; /* guest RAM, as SETUP gave it */
	unsigned int nr_blocks;
	uint64_t loader_phys, loader_size; /* reserved for the loader */
	/*
	 * A part of the loader area that is RAM all the same: the setup_data
	 * record, which holds the shared page.  The guest keeps setup_data
	 * reserved, and reaches what is RAM through its direct map (__va()).
	 */
	uint64_t keep_pa, keep_size;
	uint64_t cmdline_pa; /* NUL-terminated command line */
	uint64_t initrd_pa, initrd_size; /* 0, 0: none */
	uint64_t setup_data_pa; /* first setup_data record */
};

/* Fill @bp (zeroed first) for a 64-bit entry at startup_64. */
int co_boot_params(struct boot_params *bp, const struct co_boot_layout *l,
		   struct co_err *err);

/*
 * The setup_data record at the end of the loader area, which the guest keeps
 * as RAM: [setup_data header + boot info: a page][device table: T pages]
 * [shared page], T = the pages of @nr_devices entries (0 for none).
 */
struct co_boot_record {
	uint64_t pa, size; /* the record, shared page included */
	uint64_t devices_pa; /* the device table; 0 without devices */
};

/* Where the record goes for @nr_devices devices; 0 or -errno. */
int co_boot_record(const struct colinux_setup *s, unsigned int nr_devices,
		   struct co_boot_record *r, struct co_err *err);

/* The coLinux boot info from SETUP's answer and the record. */
void co_boot_info(struct colinux_boot_info *bi, const struct colinux_setup *s,
		  const struct co_boot_record *r, unsigned int nr_devices);

/*
 * Where the kernel image (@image bytes) goes: the first 2 MiB boundary
 * above the loader area, in block 0.
 */
int co_boot_place_kernel(const struct colinux_setup *s, uint64_t image,
			 uint64_t *pa, struct co_err *err);

/*
 * Where an initramfs of @size bytes goes: page-aligned at the top of the
 * highest block where it overlaps neither the loader area nor the kernel
 * [kernel_pa, kernel_end).
 */
int co_boot_place_initrd(const struct colinux_setup *s, uint64_t kernel_pa,
			 uint64_t kernel_end, uint64_t size, uint64_t *pa,
			 struct co_err *err);

#endif
