// SPDX-License-Identifier: GPL-2.0
/* elf_test.c --- vmlinux checks and segment placement on synthetic images. */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include <linux/colinux.h>

#include "elf.h"

#include "../../tests/lib/check.h"

/* Header, three program headers, a note, two segments' bytes. */
struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	Elf64_Nhdr nh;
	char name[8];
	uint32_t abi;
	uint8_t text[16];
	uint8_t data[8];
} __attribute__((packed));

static struct image img;

static void make_image(void)
{
	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
	img.eh.e_ident[EI_CLASS] = ELFCLASS64;
	img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh.e_type = ET_EXEC;
	img.eh.e_machine = EM_X86_64;
	img.eh.e_entry = 0x1000000;
	img.eh.e_phoff = offsetof(struct image, ph);
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	img.eh.e_phnum = 3;
	/* text at 16 MiB, data (with 8 bytes of bss) 2 MiB higher */
	img.ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD,
				  .p_offset = offsetof(struct image, text),
				  .p_paddr = 0x1000000,
				  .p_filesz = 16,
				  .p_memsz = 16 };
	img.ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD,
				  .p_offset = offsetof(struct image, data),
				  .p_paddr = 0x1200000,
				  .p_filesz = 8,
				  .p_memsz = 16 };
	img.ph[2] = (Elf64_Phdr){ .p_type = PT_NOTE,
				  .p_offset = offsetof(struct image, nh),
				  .p_filesz = sizeof(Elf64_Nhdr) + 8 + 4 };
	img.nh.n_namesz = 8;
	img.nh.n_descsz = 4;
	img.nh.n_type = COLINUX_NOTE_GUEST_ABI;
	memcpy(img.name, "coLinux", 8);
	img.abi = COLINUX_GUEST_ABI_VERSION;
	memset(img.text, 0xaa, sizeof(img.text));
	memset(img.data, 0xbb, sizeof(img.data));
}

static int parse(struct co_elf_kernel *k, struct co_err *err)
{
	memset(err, 0, sizeof(*err));
	return co_elf_parse(&img, sizeof(img), k, err);
}

static void test_good_image(void)
{
	static uint8_t ram[0x200010 + 8];
	struct co_elf_kernel k;
	struct co_err err;

	make_image();
	CHECK_INT(parse(&k, &err), 0);
	CHECK_INT(k.phys_start, 0x1000000);
	CHECK_INT(k.phys_end, 0x1200010);
	CHECK_INT(k.entry, 0x1000000);
	CHECK_INT(k.guest_abi, COLINUX_GUEST_ABI_VERSION);
	memset(ram, 0x55, sizeof(ram));
	co_elf_place(&img, &k, ram);
	CHECK(ram[0] == 0xaa && ram[15] == 0xaa);
	CHECK(ram[16] == 0 && ram[0x1fffff] == 0); /* the gap is zeroed */
	CHECK(ram[0x200000] == 0xbb && ram[0x200007] == 0xbb);
	CHECK(ram[0x200008] == 0 && ram[0x20000f] == 0); /* bss */
	CHECK(ram[0x200010] == 0x55); /* nothing beyond the image */
}

static void test_refusals(void)
{
	struct co_elf_kernel k;
	struct co_err err;

	make_image();
	memcpy(img.name, "Linux\0\0", 8);
	CHECK_INT(parse(&k, &err), -ENOEXEC);
	CHECK(strstr(err.msg, "not a coLinux guest kernel"));

	make_image();
	img.abi = COLINUX_GUEST_ABI_VERSION + 1;
	CHECK_INT(parse(&k, &err), -EPROTO);
	CHECK(strstr(err.msg, "guest ABI"));

	make_image();
	img.eh.e_ident[0] = 'M';
	CHECK_INT(parse(&k, &err), -ENOEXEC);
	CHECK_STR(err.msg, "not an ELF file");

	make_image();
	img.eh.e_type = ET_DYN;
	CHECK_INT(parse(&k, &err), -ENOEXEC);
	CHECK(strstr(err.msg, "not a kernel image"));

	make_image();
	img.ph[1].p_filesz = 4096;
	CHECK_INT(parse(&k, &err), -ENOEXEC);
	CHECK(strstr(err.msg, "beyond the end"));

	make_image();
	img.ph[0].p_paddr = 0x1001000;
	img.eh.e_entry = 0x1001000;
	CHECK_INT(parse(&k, &err), -ENOEXEC);
	CHECK(strstr(err.msg, "2 MiB"));

	make_image();
	img.eh.e_entry = 0x5000000;
	CHECK_INT(parse(&k, &err), -ENOEXEC);
	CHECK(strstr(err.msg, "entry point"));

	make_image();
	img.eh.e_phnum = 1000;
	CHECK_INT(parse(&k, &err), -ENOEXEC);

	make_image();
	img.nh.n_descsz = 4096; /* a note running off its segment */
	CHECK_INT(parse(&k, &err), -ENOEXEC);
}

int main(void)
{
	RUN_TEST(test_good_image);
	RUN_TEST(test_refusals);
	return CHECK_EXIT();
}
