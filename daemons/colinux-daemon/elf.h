/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elf.h --- the guest kernel file: an uncompressed x86_64 vmlinux that
 * carries the coLinux ELF note (pure: works on the file's bytes).
 *
 * The guest is entered at startup_64 with the 64-bit boot protocol; it is
 * relocatable, so every PT_LOAD segment goes to base + (p_paddr - start of
 * the lowest segment), and the entry point moves with it.
 */
#ifndef CO_ELF_H
#define CO_ELF_H

#include <stddef.h>
#include <stdint.h>

#include <co/err.h>

struct co_elf_kernel {
	uint64_t phys_start; /* lowest p_paddr of a PT_LOAD segment */
	uint64_t phys_end; /* highest p_paddr + p_memsz */
	uint64_t entry; /* e_entry, a physical address */
	uint32_t guest_abi; /* from the coLinux note */
};

/* Check @img (@len bytes) and describe it; 0 or -errno with @err filled. */
int co_elf_parse(const void *img, size_t len, struct co_elf_kernel *k,
		 struct co_err *err);
/*
 * Copy the segments of a parsed image to @dst, which stands for physical
 * address k->phys_start and spans k->phys_end - k->phys_start bytes; what
 * the segments leave out (bss, gaps) is zeroed.
 */
void co_elf_place(const void *img, const struct co_elf_kernel *k, void *dst);
/*
 * Where the kernel symbol @name lies in the placed image: its offset from
 * k->phys_start, through the PT_LOAD segment that holds its address.
 * -ENOENT when the symbol (or the symbol table) is missing.
 */
int co_elf_symbol_offset(const void *img, size_t len,
			 const struct co_elf_kernel *k, const char *name,
			 uint64_t *off);

#endif
