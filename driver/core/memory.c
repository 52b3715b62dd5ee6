// SPDX-License-Identifier: GPL-2.0
/*
 * memory.c --- guest RAM and the loader's page tables.
 *
 * Guest physical addresses are host physical addresses: guest RAM is a few
 * physically contiguous blocks, each aligned to its size, and the guest
 * sees exactly those addresses.  The loader's page tables map them 1:1 and
 * add the passage (code and this guest's area) at its host virtual address.
 */
#include "vm.h"
#include "arch.h"
#include "passage.h"

static u64 mib(u64 bytes)
{
	return bytes / CO_SZ_1M;
}

/*
 * Guest RAM is any whole number of MiB from COLINUX_MEM_MIN, in blocks that
 * are each a power of two from 1 MiB to COLINUX_BLOCK_MAX, aligned to their
 * size: what alloc_contig_range() and the reserved range hand out most
 * easily.  Each block is the largest that fits what is left, or, when the
 * host has no free one of that size, the next smaller: 1000 MiB is seven
 * blocks of 128 MiB, then 64, 32 and 8.  Block 0 holds the loader area.
 */
static int co_mem_size_ok(u64 mem_size, struct co_err *err)
{
	u64 host = co_os_host_ram();

	if (mem_size < COLINUX_MEM_MIN || mem_size % CO_SZ_1M)
		return co_fail(
			err, -EINVAL,
			"guest RAM of %llu bytes: need a whole number of MiB, at least %llu",
			(unsigned long long)mem_size,
			(unsigned long long)mib(COLINUX_MEM_MIN));
	if (mem_size > host)
		return co_fail(
			err, -ENOMEM,
			"not enough memory: asked for %llu MiB of guest RAM, the host has %llu MiB in all",
			(unsigned long long)mib(mem_size),
			(unsigned long long)mib(host));
	return 0;
}

int co_mem_alloc(struct co_vm *vm, u64 mem_size, struct co_err *err)
{
	u64 left = mem_size, size = COLINUX_BLOCK_MAX, smallest;
	int ret = co_mem_size_ok(mem_size, err);

	if (ret)
		return ret;
	while (left) {
		while (size > left)
			size >>= 1;
		if (vm->nr_blocks == COLINUX_MAX_BLOCKS)
			goto out_fail;
		if (!co_os_block_alloc(size, &vm->blocks[vm->nr_blocks])) {
			vm->nr_blocks++;
			left -= size;
			continue;
		}
		smallest = vm->nr_blocks ? CO_SZ_1M : COLINUX_LOADER_SIZE;
		if (size == smallest)
			goto out_fail;
		size >>= 1;
	}
	vm->mem_size = mem_size;
	return 0;

out_fail:
	co_fail(err, -ENOMEM,
		"not enough contiguous memory: asked for %llu MiB of guest RAM, found %llu MiB in %u block(s) (at most %d, the first at least %llu MiB)",
		(unsigned long long)mib(mem_size),
		(unsigned long long)mib(mem_size - left), vm->nr_blocks,
		COLINUX_MAX_BLOCKS,
		(unsigned long long)mib(COLINUX_LOADER_SIZE));
	co_mem_free(vm);
	return -ENOMEM;
}

void co_mem_free(struct co_vm *vm)
{
	while (vm->nr_blocks)
		co_os_block_free(&vm->blocks[--vm->nr_blocks]);
	vm->mem_size = 0;
}

/* Kernel address of guest RAM [phys, phys + len), or NULL if not RAM. */
void *co_mem_va(struct co_vm *vm, u64 phys, u64 len)
{
	unsigned int i;

	for (i = 0; i < vm->nr_blocks; i++) {
		struct co_os_block *b = &vm->blocks[i];

		if (phys >= b->phys && len <= b->size &&
		    phys - b->phys <= b->size - len)
			return (u8 *)b->va + (phys - b->phys);
	}
	return NULL;
}

/*
 * A zeroed page for a page table, from the loader area; its last page is
 * the shared page.
 */
static u64 *table_alloc(struct co_vm *vm, u64 *phys)
{
	if (vm->loader_used + CO_PAGE_SIZE > COLINUX_LOADER_SIZE - CO_PAGE_SIZE)
		return NULL;
	*phys = vm->blocks[0].phys + vm->loader_used;
	vm->loader_used += CO_PAGE_SIZE;
	return co_mem_va(vm, *phys, CO_PAGE_SIZE);
}

/*
 * Map one page (level 1, 4 KiB) or one large page (level 2, 2 MiB) at va,
 * creating the tables above it.  Tables get every permission; the leaf
 * decides.
 */
static int map_page(struct co_vm *vm, u64 va, u64 pa, unsigned int level,
		    u64 flags)
{
	u64 *table = co_mem_va(vm, vm->cr3, CO_PAGE_SIZE);
	unsigned int l, idx;
	u64 phys;

	for (l = vm->levels; l > level; l--) {
		idx = (va >> (12 + 9 * (l - 1))) & 511;
		if (!(table[idx] & CO_PTE_P)) {
			if (!table_alloc(vm, &phys))
				return -ENOSPC;
			table[idx] = phys | CO_PTE_P | CO_PTE_RW | CO_PTE_A;
		}
		table = co_mem_va(vm, table[idx] & CO_PTE_ADDR, CO_PAGE_SIZE);
		if (!table)
			return -EFAULT;
	}
	idx = (va >> (12 + 9 * (level - 1))) & 511;
	table[idx] = pa | flags | (level == 2 ? CO_PTE_PS : 0);
	return 0;
}

static int map_image(struct co_vm *vm, const void *start, const void *end,
		     u64 flags)
{
	uintptr_t va;
	int ret;

	for (va = (uintptr_t)start; va < (uintptr_t)end; va += CO_PAGE_SIZE) {
		ret = map_page(vm, va, co_os_image_phys((const void *)va), 1,
			       flags);
		if (ret)
			return ret;
	}
	return 0;
}

/* Add one page to the passage's runs, merging it with the last one. */
static int add_map_page(struct co_vm *vm, u64 va, u64 pa)
{
	struct colinux_map *m;

	if (vm->nr_maps) {
		m = &vm->maps[vm->nr_maps - 1];
		if (m->va + m->size == va && m->pa + m->size == pa) {
			m->size += CO_PAGE_SIZE;
			return 0;
		}
	}
	if (vm->nr_maps == COLINUX_SETUP_MAX_MAPS)
		return -E2BIG;
	m = &vm->maps[vm->nr_maps++];
	m->va = va;
	m->pa = pa;
	m->size = CO_PAGE_SIZE;
	return 0;
}

/*
 * The pages the guest must map at their host addresses: the passage code
 * and this guest's area but its first page (the loader's default IDT,
 * which only the loader's own tables need), as runs contiguous in both
 * address spaces.  Module memory is virtually but not necessarily
 * physically contiguous, hence runs and not two ranges: at most four.
 */
int co_passage_maps(struct co_vm *vm, struct co_err *err)
{
	const u8 *ranges[2][2] = {
		{ co_passage_start, co_passage_end },
		{ (const u8 *)vm->area + CO_HOST,
		  (const u8 *)vm->area + CO_AREA_SIZE },
	};
	uintptr_t va;
	unsigned int i;

	vm->nr_maps = 0;
	for (i = 0; i < 2; i++) {
		for (va = (uintptr_t)ranges[i][0]; va < (uintptr_t)ranges[i][1];
		     va += CO_PAGE_SIZE) {
			if (add_map_page(vm, va,
					 co_os_image_phys((const void *)va)))
				return co_fail(
					err, -E2BIG,
					"the passage spans more than %d page runs",
					COLINUX_SETUP_MAX_MAPS);
		}
	}
	return 0;
}

/*
 * The loader's page tables: as many levels as the host uses (CR4.LA57
 * can not differ between the two sides), guest RAM identity-mapped with
 * 2 MiB pages (4 KiB in a block of 1 MiB), the passage code read-only and executable and this guest's
 * area read-write, not executable, both at their host addresses.  Nothing
 * is global: the passage flushes global entries anyway.
 */
int co_loader_build(struct co_vm *vm, struct co_err *err)
{
	unsigned int i, level;
	u64 off, step;
	int ret;

	vm->levels = (co_arch_read_cr4() & CO_CR4_LA57) ? 5 : 4;
	vm->loader_used = 0;
	if (!table_alloc(vm, &vm->cr3))
		return co_fail(err, -ENOSPC, "loader page tables: no room");
	for (i = 0; i < vm->nr_blocks; i++) {
		struct co_os_block *b = &vm->blocks[i];

		level = b->size >= CO_SZ_2M ? 2 : 1;
		step = level == 2 ? CO_SZ_2M : CO_PAGE_SIZE;
		for (off = 0; off < b->size; off += step) {
			ret = map_page(vm, b->phys + off, b->phys + off, level,
				       CO_PTE_P | CO_PTE_RW | CO_PTE_A |
					       CO_PTE_D);
			if (ret)
				goto out_fail;
		}
	}
	ret = map_image(vm, co_passage_start, co_passage_end,
			CO_PTE_P | CO_PTE_A);
	if (ret)
		goto out_fail;
	ret = map_image(vm, vm->area, (u8 *)vm->area + CO_AREA_SIZE,
			CO_PTE_P | CO_PTE_RW | CO_PTE_A | CO_PTE_D | CO_PTE_NX);
	if (ret)
		goto out_fail;
	return 0;

out_fail:
	return co_fail(err, ret, "loader page tables: error %d after %llu KiB",
		       ret, (unsigned long long)(vm->loader_used >> 10));
}
