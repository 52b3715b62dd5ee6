// SPDX-License-Identifier: GPL-2.0
/* elf.c --- check and place a coLinux vmlinux (pure: bytes in, bytes out). */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <colinux/x86.h>
#include <linux/colinux.h>

#include "elf.h"

/* The guest is relocatable in steps of CONFIG_PHYSICAL_ALIGN (2 MiB). */
#define KERNEL_ALIGN CO_SZ_2M

static const Elf64_Phdr *phdr(const void *img, unsigned int i)
{
	const Elf64_Ehdr *eh = img;

	return (const Elf64_Phdr *)((const uint8_t *)img + eh->e_phoff +
				    (uint64_t)i * eh->e_phentsize);
}

static uint64_t align4(uint64_t v)
{
	return (v + 3) & ~3ULL;
}

/* Look for the coLinux note in one PT_NOTE segment. */
static int find_note(const uint8_t *p, uint64_t size, uint32_t *abi)
{
	uint64_t off = 0, name_len = sizeof(COLINUX_NOTE_NAME);

	while (size - off >= sizeof(Elf64_Nhdr)) {
		const Elf64_Nhdr *n = (const Elf64_Nhdr *)(p + off);
		uint64_t name = off + sizeof(*n);
		uint64_t desc = name + align4(n->n_namesz);
		uint64_t next = desc + align4(n->n_descsz);

		if (next > size)
			return -EINVAL;
		if (n->n_namesz == name_len &&
		    !memcmp(p + name, COLINUX_NOTE_NAME, name_len) &&
		    n->n_type == COLINUX_NOTE_GUEST_ABI && n->n_descsz == 4) {
			memcpy(abi, p + desc, 4);
			return 0;
		}
		off = next;
	}
	return -ENOENT;
}

static int check_header(const Elf64_Ehdr *eh, size_t len, struct co_err *err)
{
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return co_fail(err, -ENOEXEC, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		return co_fail(err, -ENOEXEC, "not an x86_64 ELF file");
	if (eh->e_type != ET_EXEC)
		return co_fail(
			err, -ENOEXEC,
			"not a kernel image (ELF type %u): give the uncompressed vmlinux, not a bzImage or a module",
			eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum ||
	    eh->e_phoff > len ||
	    (len - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		return co_fail(err, -ENOEXEC, "bad ELF program headers");
	return 0;
}

int co_elf_parse(const void *img, size_t len, struct co_elf_kernel *k,
		 struct co_err *err)
{
	const Elf64_Ehdr *eh = img;
	bool loads = false, note = false;
	unsigned int i;
	int ret;

	ret = check_header(eh, len, err);
	if (ret)
		return ret;
	memset(k, 0, sizeof(*k));
	k->phys_start = UINT64_MAX;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = phdr(img, i);

		if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
			return co_fail(
				err, -ENOEXEC,
				"ELF segment %u lies beyond the end of the file",
				i);
		if (ph->p_type == PT_NOTE && !note)
			note = !find_note((const uint8_t *)img + ph->p_offset,
					  ph->p_filesz, &k->guest_abi);
		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz ||
		    ph->p_paddr + ph->p_memsz < ph->p_paddr)
			return co_fail(err, -ENOEXEC, "bad ELF segment %u", i);
		loads = true;
		if (ph->p_paddr < k->phys_start)
			k->phys_start = ph->p_paddr;
		if (ph->p_paddr + ph->p_memsz > k->phys_end)
			k->phys_end = ph->p_paddr + ph->p_memsz;
	}
	if (!note)
		return co_fail(
			err, -ENOEXEC,
			"not a coLinux guest kernel (no \"%s\" ELF note); build one with \"make kernel\"",
			COLINUX_NOTE_NAME);
	if (k->guest_abi != COLINUX_GUEST_ABI_VERSION)
		return co_fail(
			err, -EPROTO,
			"guest kernel speaks coLinux guest ABI %u, this daemon speaks %u",
			k->guest_abi, COLINUX_GUEST_ABI_VERSION);
	if (!loads)
		return co_fail(err, -ENOEXEC, "no loadable ELF segment");
	if (k->phys_start % KERNEL_ALIGN)
		return co_fail(err, -ENOEXEC,
			       "kernel starts at %#llx, not 2 MiB aligned",
			       (unsigned long long)k->phys_start);
	k->entry = eh->e_entry;
	if (k->entry < k->phys_start || k->entry >= k->phys_end)
		return co_fail(err, -ENOEXEC,
			       "entry point %#llx is outside the kernel image",
			       (unsigned long long)k->entry);
	return 0;
}

/* The first SHT_SYMTAB section and its string table, checked. */
static const Elf64_Shdr *symtab(const void *img, size_t len,
				const Elf64_Shdr **strtab)
{
	const Elf64_Ehdr *eh = img;
	const Elf64_Shdr *sh =
		(const Elf64_Shdr *)((const uint8_t *)img + eh->e_shoff);
	unsigned int i;

	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > len ||
	    (len - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum)
		return NULL;
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		*strtab = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > len ||
		    sh[i].sh_size > len - sh[i].sh_offset ||
		    (*strtab)->sh_offset > len ||
		    (*strtab)->sh_size > len - (*strtab)->sh_offset)
			return NULL;
		return &sh[i];
	}
	return NULL;
}

int co_elf_symbol_offset(const void *img, size_t len,
			 const struct co_elf_kernel *k, const char *name,
			 uint64_t *off)
{
	const Elf64_Ehdr *eh = img;
	const Elf64_Shdr *st, *str;
	const Elf64_Sym *sym;
	const char *names;
	size_t i, n, nlen = strlen(name);
	uint64_t va = 0;

	st = symtab(img, len, &str);
	if (!st)
		return -ENOENT;
	sym = (const Elf64_Sym *)((const uint8_t *)img + st->sh_offset);
	names = (const char *)img + str->sh_offset;
	n = st->sh_size / sizeof(*sym);
	for (i = 0; i < n; i++) {
		if (sym[i].st_name >= str->sh_size ||
		    str->sh_size - sym[i].st_name <= nlen ||
		    memcmp(names + sym[i].st_name, name, nlen + 1))
			continue;
		va = sym[i].st_value;
		break;
	}
	if (i == n)
		return -ENOENT;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = phdr(img, i);

		if (ph->p_type == PT_LOAD && va >= ph->p_vaddr &&
		    va - ph->p_vaddr < ph->p_memsz) {
			*off = va - ph->p_vaddr + ph->p_paddr - k->phys_start;
			return 0;
		}
	}
	return -ENOENT;
}

void co_elf_place(const void *img, const struct co_elf_kernel *k, void *dst)
{
	const Elf64_Ehdr *eh = img;
	uint8_t *d = dst;
	unsigned int i;

	memset(d, 0, k->phys_end - k->phys_start);
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = phdr(img, i);

		if (ph->p_type != PT_LOAD)
			continue;
		memcpy(d + (ph->p_paddr - k->phys_start),
		       (const uint8_t *)img + ph->p_offset, ph->p_filesz);
	}
}
