// SPDX-License-Identifier: GPL-2.0
/* boot.c --- boot_params, memory map and boot info for the guest (pure). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <colinux/x86.h>
#include <linux/colinux.h>

#include "boot.h"

/* struct setup_header.header, "HdrS", and the protocol we speak. */
#define BOOT_HDR_MAGIC 0x53726448
#define BOOT_PROTOCOL 0x020f
#define BOOT_FLAG 0xaa55
#define LOADER_UNDEFINED 0xff

/* e820 types (the kernel's asm/e820/types.h is not uapi). */
#define E820_TYPE_RAM 1
#define E820_TYPE_RESERVED 2

static void add_e820(struct boot_params *bp, uint64_t addr, uint64_t size,
		     uint32_t type)
{
	struct boot_e820_entry *e;

	if (!size)
		return;
	e = &bp->e820_table[bp->e820_entries++];
	e->addr = addr;
	e->size = size;
	e->type = type;
}

/*
 * The memory map is guest RAM exactly: every block, less the loader area,
 * which is listed as reserved so that the guest never allocates it, except
 * the part it keeps (the setup_data record with the shared page): RAM that
 * the guest reserves itself.
 */
static int build_e820(struct boot_params *bp, const struct co_boot_layout *l,
		      struct co_err *err)
{
	uint64_t lo = l->loader_phys, hi = l->loader_phys + l->loader_size;
	unsigned int i;

	uint64_t klo = l->keep_pa, khi = l->keep_pa + l->keep_size;

	if (l->keep_size && (klo < lo || khi > hi))
		return co_fail(err, -EINVAL,
			       "the kept range lies outside the loader area");
	if (l->nr_blocks + 3 > E820_MAX_ENTRIES_ZEROPAGE)
		return co_fail(err, -E2BIG,
			       "%u RAM blocks do not fit the memory map",
			       l->nr_blocks);
	for (i = 0; i < l->nr_blocks; i++) {
		uint64_t start = l->blocks[i].phys;
		uint64_t end = start + l->blocks[i].size;

		if (hi <= start || lo >= end) {
			add_e820(bp, start, end - start, E820_TYPE_RAM);
			continue;
		}
		if (lo < start || hi > end)
			return co_fail(err, -EINVAL,
				       "the loader area straddles a RAM block");
		add_e820(bp, start, lo - start, E820_TYPE_RAM);
		if (!l->keep_size) {
			add_e820(bp, lo, hi - lo, E820_TYPE_RESERVED);
		} else {
			add_e820(bp, lo, klo - lo, E820_TYPE_RESERVED);
			add_e820(bp, klo, khi - klo, E820_TYPE_RAM);
			add_e820(bp, khi, hi - khi, E820_TYPE_RESERVED);
		}
		add_e820(bp, hi, end - hi, E820_TYPE_RAM);
	}
	return 0;
}

int co_boot_params(struct boot_params *bp, const struct co_boot_layout *l,
		   struct co_err *err)
{
	struct setup_header *h = &bp->hdr;

	memset(bp, 0, sizeof(*bp));
	h->boot_flag = BOOT_FLAG;
	h->header = BOOT_HDR_MAGIC;
	h->version = BOOT_PROTOCOL; /* startup_64 checks it is not 0 */
	h->type_of_loader = LOADER_UNDEFINED;
	h->loadflags = LOADED_HIGH; /* and no KASLR_FLAG */
	h->kernel_alignment = CO_SZ_2M;
	h->relocatable_kernel = 1;
	h->cmdline_size = CO_BOOT_CMDLINE_MAX - 1;
	h->hardware_subarch = COLINUX_SUBARCH;
	h->cmd_line_ptr = (uint32_t)l->cmdline_pa;
	bp->ext_cmd_line_ptr = (uint32_t)(l->cmdline_pa >> 32);
	h->ramdisk_image = (uint32_t)l->initrd_pa;
	bp->ext_ramdisk_image = (uint32_t)(l->initrd_pa >> 32);
	h->ramdisk_size = (uint32_t)l->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(l->initrd_size >> 32);
	h->setup_data = l->setup_data_pa;
	return build_e820(bp, l, err);
}

int co_boot_record(const struct colinux_setup *s, unsigned int nr_devices,
		   struct co_boot_record *r, struct co_err *err)
{
	uint64_t table = (uint64_t)nr_devices * COLINUX_DEVICE_SIZE;

	if (nr_devices > COLINUX_MAX_DEVICES)
		return co_fail(err, -E2BIG,
			       "%u devices, the guest ABI takes at most %d",
			       nr_devices, COLINUX_MAX_DEVICES);
	r->size = 2 * CO_PAGE_SIZE +
		  ((table + CO_PAGE_SIZE - 1) & ~(CO_PAGE_SIZE - 1));
	r->pa = s->shared_pa + CO_PAGE_SIZE - r->size;
	r->devices_pa = nr_devices ? r->pa + CO_PAGE_SIZE : 0;
	if (s->shared_pa < s->loader_phys + r->size)
		return co_fail(
			err, -ENOSPC,
			"the loader area has no room for the boot info and %u devices",
			nr_devices);
	return 0;
}

void co_boot_info(struct colinux_boot_info *bi, const struct colinux_setup *s,
		  const struct co_boot_record *r, unsigned int nr_devices)
{
	memset(bi, 0, sizeof(*bi));
	bi->size = sizeof(*bi);
	bi->abi_version = COLINUX_GUEST_ABI_VERSION;
	bi->passage_entry = s->passage_entry;
	bi->tsc_khz = s->tsc_khz;
	bi->shared_pa = s->shared_pa;
	bi->devices_pa = r->devices_pa;
	bi->nr_devices = nr_devices;
	bi->device_size = sizeof(struct colinux_device);
}

int co_boot_place_kernel(const struct colinux_setup *s, uint64_t image,
			 uint64_t *pa, struct co_err *err)
{
	const struct colinux_block *b = &s->blocks[0];
	uint64_t start = (s->loader_phys + s->loader_size + CO_SZ_2M - 1) &
			 ~(CO_SZ_2M - 1);

	if (!s->nr_blocks || start < b->phys ||
	    start + image > b->phys + b->size || image > b->size)
		return co_fail(
			err, -ENOSPC,
			"the kernel image (%llu KiB) does not fit the first RAM block (%llu MiB) after the loader area: give more mem",
			(unsigned long long)(image >> 10),
			(unsigned long long)(b->size >> 20));
	*pa = start;
	return 0;
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

int co_boot_place_initrd(const struct colinux_setup *s, uint64_t kernel_pa,
			 uint64_t kernel_end, uint64_t size, uint64_t *pa,
			 struct co_err *err)
{
	uint64_t need = (size + CO_PAGE_SIZE - 1) & ~(CO_PAGE_SIZE - 1),
		 best = 0, at;
	uint64_t lo = s->loader_phys, hi = s->loader_phys + s->loader_size;
	unsigned int i;

	for (i = 0; i < s->nr_blocks; i++) {
		const struct colinux_block *b = &s->blocks[i];

		if (need > b->size)
			continue;
		at = b->phys + b->size - need;
		if (overlaps(at, at + need, lo, hi) ||
		    overlaps(at, at + need, kernel_pa, kernel_end))
			continue;
		if (at > best)
			best = at;
	}
	if (!best)
		return co_fail(
			err, -ENOSPC,
			"no room for the initramfs (%llu KiB) beside the kernel: give more mem",
			(unsigned long long)(size >> 10));
	*pa = best;
	return 0;
}
