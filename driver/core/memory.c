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

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_A (1ULL << 5)
#define PTE_D (1ULL << 6)
#define PTE_PS (1ULL << 7)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

#define SZ_2M (2ULL << 20)
#define SZ_1M (1ULL << 20)

static u64 mib(u64 bytes)
{
	return bytes / SZ_1M;
}

/*
 * Sizes we accept: one block of a power of two between 4 and 128 MiB, or
 * any multiple of 128 MiB as that many 128 MiB blocks.  Aligned blocks of
 * these sizes are what alloc_contig_range() and hugepages hand out most
 * easily, and what the guest's memory map can describe simply.
 */
static int block_size_for(u64 mem_size, u64 *block)
{
	if (mem_size >= COLINUX_BLOCK_MAX) {
		if (mem_size % COLINUX_BLOCK_MAX)
			return -EINVAL;
		*block = COLINUX_BLOCK_MAX;
		return 0;
	}
	if (mem_size < COLINUX_MEM_MIN || (mem_size & (mem_size - 1)))
		return -EINVAL;
	*block = mem_size;
	return 0;
}

int co_mem_alloc(struct co_vm *vm, u64 mem_size, char *msg, size_t len)
{
	u64 block, nr, host = co_os_host_ram();
	unsigned int i;
	int ret;

	if (block_size_for(mem_size, &block)) {
		snprintf(
			msg, len,
			"guest RAM of %llu bytes: need a power of two from 4 to 128 MiB or a multiple of 128 MiB",
			(unsigned long long)mem_size);
		return -EINVAL;
	}
	nr = mem_size / block;
	if (nr > COLINUX_MAX_BLOCKS || mem_size > host) {
		snprintf(
			msg, len,
			"not enough memory: asked for %llu MiB of guest RAM, the host has %llu MiB in all",
			(unsigned long long)mib(mem_size),
			(unsigned long long)mib(host));
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		ret = co_os_block_alloc(block, &vm->blocks[i]);
		if (ret)
			goto out_free_blocks;
		vm->nr_blocks++;
	}
	vm->mem_size = mem_size;
	return 0;

out_free_blocks:
	snprintf(
		msg, len,
		"not enough contiguous memory: asked for %llu MiB as %llu block(s) of %llu MiB, found %u block(s) (%llu MiB)",
		(unsigned long long)mib(mem_size), (unsigned long long)nr,
		(unsigned long long)mib(block), i,
		(unsigned long long)mib(i * block));
	co_mem_free(vm);
	return ret;
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
	if (vm->loader_used + 4096 > COLINUX_LOADER_SIZE - 4096)
		return NULL;
	*phys = vm->blocks[0].phys + vm->loader_used;
	vm->loader_used += 4096;
	return co_mem_va(vm, *phys, 4096);
}

/*
 * Map one page (level 1, 4 KiB) or one large page (level 2, 2 MiB) at va,
 * creating the tables above it.  Tables get every permission; the leaf
 * decides.
 */
static int map_page(struct co_vm *vm, u64 va, u64 pa, unsigned int level,
		    u64 flags)
{
	u64 *table = co_mem_va(vm, vm->cr3, 4096);
	unsigned int l, idx;
	u64 phys;

	for (l = vm->levels; l > level; l--) {
		idx = (va >> (12 + 9 * (l - 1))) & 511;
		if (!(table[idx] & PTE_P)) {
			if (!table_alloc(vm, &phys))
				return -ENOSPC;
			table[idx] = phys | PTE_P | PTE_RW | PTE_A;
		}
		table = co_mem_va(vm, table[idx] & PTE_ADDR, 4096);
		if (!table)
			return -EFAULT;
	}
	idx = (va >> (12 + 9 * (level - 1))) & 511;
	table[idx] = pa | flags | (level == 2 ? PTE_PS : 0);
	return 0;
}

static int map_image(struct co_vm *vm, const void *start, const void *end,
		     u64 flags)
{
	unsigned long va;
	int ret;

	for (va = (unsigned long)start; va < (unsigned long)end; va += 4096) {
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
			m->size += 4096;
			return 0;
		}
	}
	if (vm->nr_maps == COLINUX_SETUP_MAX_MAPS)
		return -E2BIG;
	m = &vm->maps[vm->nr_maps++];
	m->va = va;
	m->pa = pa;
	m->size = 4096;
	return 0;
}

/*
 * The pages the guest must map at their host addresses: the passage code
 * and this guest's area but its first page (the loader's default IDT,
 * which only the loader's own tables need), as runs contiguous in both
 * address spaces.  Module memory is virtually but not necessarily
 * physically contiguous, hence runs and not two ranges: at most four.
 */
int co_passage_maps(struct co_vm *vm, char *msg, size_t len)
{
	const u8 *ranges[2][2] = {
		{ co_passage_start, co_passage_end },
		{ (const u8 *)vm->area + CO_HOST,
		  (const u8 *)vm->area + CO_AREA_SIZE },
	};
	unsigned long va;
	unsigned int i;

	vm->nr_maps = 0;
	for (i = 0; i < 2; i++) {
		for (va = (unsigned long)ranges[i][0];
		     va < (unsigned long)ranges[i][1]; va += 4096) {
			if (add_map_page(vm, va,
					 co_os_image_phys((const void *)va))) {
				snprintf(
					msg, len,
					"the passage spans more than %d page runs",
					COLINUX_SETUP_MAX_MAPS);
				return -E2BIG;
			}
		}
	}
	return 0;
}

/*
 * The loader's page tables: as many levels as the host uses (CR4.LA57
 * can not differ between the two sides), guest RAM identity-mapped with
 * 2 MiB pages, the passage code read-only and executable and this guest's
 * area read-write, not executable, both at their host addresses.  Nothing
 * is global: the passage flushes global entries anyway.
 */
int co_loader_build(struct co_vm *vm, char *msg, size_t len)
{
	u64 off;
	unsigned int i;
	int ret;

	vm->levels = (co_arch_read_cr4() & CO_CR4_LA57) ? 5 : 4;
	vm->loader_used = 0;
	if (!table_alloc(vm, &vm->cr3))
		return -ENOSPC;
	for (i = 0; i < vm->nr_blocks; i++) {
		struct co_os_block *b = &vm->blocks[i];

		for (off = 0; off < b->size; off += SZ_2M) {
			ret = map_page(vm, b->phys + off, b->phys + off, 2,
				       PTE_P | PTE_RW | PTE_A | PTE_D);
			if (ret)
				goto out_fail;
		}
	}
	ret = map_image(vm, co_passage_start, co_passage_end, PTE_P | PTE_A);
	if (ret)
		goto out_fail;
	ret = map_image(vm, vm->area, (u8 *)vm->area + CO_AREA_SIZE,
			PTE_P | PTE_RW | PTE_A | PTE_D | PTE_NX);
	if (ret)
		goto out_fail;
	return 0;

out_fail:
	snprintf(msg, len, "loader page tables: error %d after %llu KiB", ret,
		 (unsigned long long)(vm->loader_used >> 10));
	return ret;
}
