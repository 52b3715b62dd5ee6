// SPDX-License-Identifier: GPL-2.0
/*
 * load.c --- put the guest into its RAM before its first instruction: the
 * kernel (its ELF segments), the initramfs, the passage's page-table slots,
 * boot_params, the command line and the boot info.  The running half is in
 * vm.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <colinux/x86.h>
#include <linux/colinux.h>
#include <co/io.h>
#include <co/log.h>

#include "boot.h"
#include "vm.h"

int co_vm_read_kernel(struct co_vm *g)
{
	struct co_err err = { { 0 } };
	char *image;
	int ret;

	if (!g->cfg->kernel) {
		co_err("no kernel= given: which vmlinux should the guest run?");
		return -EINVAL;
	}
	ret = co_read_file(g->cfg->kernel, &image, &g->kernel_len);
	if (ret) {
		co_err("kernel=%s: %s", g->cfg->kernel, strerror(-ret));
		return ret;
	}
	g->kernel = image;
	ret = co_elf_parse(g->kernel, g->kernel_len, &g->kinfo, &err);
	if (ret) {
		co_err("kernel=%s: %s", g->cfg->kernel, err.msg);
		free(g->kernel);
		g->kernel = NULL;
	}
	return ret;
}

/* The initramfs straight from its file into guest RAM. */
static int load_initrd(struct co_vm *g, uint64_t kpa, uint64_t kend,
		       uint64_t *pa, uint64_t *size)
{
	struct co_err err = { { 0 } };
	const char *path = g->cfg->initrd;
	struct stat st;
	int fd, ret = -1;

	*pa = *size = 0;
	if (!path)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		co_err("initrd=%s: %s", path, strerror(errno));
		goto out_close;
	}
	if (co_boot_place_initrd(&g->setup, kpa, kend, st.st_size, pa, &err)) {
		co_err("initrd=%s: %s", path, err.msg);
		goto out_close;
	}
	ret = co_read_all(fd, co_gmem_ptr(&g->gm, *pa, st.st_size), st.st_size);
	if (ret) {
		co_err("initrd=%s: %s", path,
		       ret == -ENODATA ? "file shrank" : strerror(-ret));
		goto out_close;
	}
	*size = st.st_size;
out_close:
	if (fd >= 0)
		close(fd);
	return ret;
}

#define LAST_GIB 0xffffffffc0000000ULL

/*
 * The PMD entry that maps @va in the loader's page tables (their root is
 * the first page of the loader area), or 0.
 */
static uint64_t loader_pmd(struct co_vm *g, uint64_t va)
{
	uint64_t table = g->setup.loader_phys, *t, e = 0;
	unsigned int l;

	for (l = g->setup.paging_levels; l >= 2; l--) {
		t = co_gmem_ptr(&g->gm, table, CO_PAGE_SIZE);
		if (!t)
			return 0;
		e = t[(va >> (12 + 9 * (l - 1))) & 511];
		if (!(e & CO_PTE_P) || (e & CO_PTE_PS))
			return 0;
		table = e & CO_PTE_ADDR;
	}
	return e;
}

/*
 * The passage lives at its host addresses in the host's module area, the
 * last GiB, which the guest kernel maps through level2_fixmap_pgt (slots
 * below the fixmap's own are empty).  Point those slots at the loader's
 * page-table pages for the passage (switch-design B.4): they sit in the
 * reserved loader area and stay valid for the guest's whole life, and
 * level2_fixmap_pgt is shared by every page table the guest builds.
 */
static int premap_passage(struct co_vm *g, uint64_t kpa)
{
	const struct colinux_setup *s = &g->setup;
	uint64_t off, va, pmd, *fixmap;
	unsigned int i;

	if (co_elf_symbol_offset(g->kernel, g->kernel_len, &g->kinfo,
				 "level2_fixmap_pgt", &off)) {
		co_err("kernel=%s: no level2_fixmap_pgt in its symbol table (a stripped vmlinux?)",
		       g->cfg->kernel);
		return -1;
	}
	fixmap = co_gmem_ptr(&g->gm, kpa + off, CO_PAGE_SIZE);
	for (i = 0; i < s->nr_maps; i++) {
		for (va = s->maps[i].va; va < s->maps[i].va + s->maps[i].size;
		     va += CO_PAGE_SIZE) {
			pmd = loader_pmd(g, va);
			if (va < LAST_GIB || !pmd || !fixmap) {
				co_err("the passage at %#llx can not be mapped in the guest",
				       (unsigned long long)va);
				return -1;
			}
			fixmap[(va >> 21) & 511] = pmd;
		}
	}
	return 0;
}

/*
 * The setup_data record at the end of the loader area (co_boot_record()):
 * the boot info, the device table, zeroed for the device layer, and the
 * shared page, which the record includes so that the guest keeps them all
 * reserved (and listed as RAM, in its direct map).  Sets g->dev_table and
 * g->dev_table_pa; 0 or -1 (logged).
 */
static int write_boot_record(struct co_vm *g, struct co_boot_record *rec)
{
	struct co_err err = { { 0 } };
	struct setup_data *sd;

	if (co_boot_record(&g->setup, g->nr_devices, rec, &err)) {
		co_err("boot info: %s", err.msg);
		return -1;
	}
	sd = co_gmem_ptr(&g->gm, rec->pa, rec->size - CO_PAGE_SIZE);
	memset(sd, 0, rec->size - CO_PAGE_SIZE);
	sd->next = 0;
	sd->type = COLINUX_SETUP_DATA;
	sd->len = rec->size - sizeof(*sd);
	co_boot_info((struct colinux_boot_info *)sd->data, &g->setup, rec,
		     g->nr_devices);
	g->dev_table_pa = rec->devices_pa;
	g->dev_table = rec->devices_pa ?
			       co_gmem_ptr(&g->gm, rec->devices_pa,
					   (uint64_t)g->nr_devices *
						   COLINUX_DEVICE_SIZE) :
			       NULL;
	return 0;
}

/*
 * Boot data in the loader area, above the driver's tables: boot_params,
 * the command line, and at the end the setup_data record.  The first
 * passage frame goes below the record.
 */
int co_vm_load(struct co_vm *g, struct colinux_regs *r)
{
	struct colinux_setup *s = &g->setup;
	struct co_elf_kernel *k = &g->kinfo;
	uint64_t image = k->phys_end - k->phys_start, kpa, ipa, isize;
	uint64_t data = s->loader_phys + ((s->loader_used + CO_PAGE_SIZE - 1) &
					  ~(CO_PAGE_SIZE - 1));
	uint64_t bp_pa = data, cmd_pa = data + CO_PAGE_SIZE;
	struct co_boot_layout l = { 0 };
	struct co_err err = { { 0 } };
	struct co_boot_record rec;
	char *cmdline;

	/*
	 * The guest's paging mode is the host's (CR4.LA57 can not change in
	 * long mode): a kernel without 5-level support would fault at its
	 * first CR4 write, with its own IDT, beyond the driver's reach.
	 */
	if (s->paging_levels == 5 &&
	    co_elf_symbol_offset(g->kernel, g->kernel_len, k,
				 "__pgtable_l5_enabled", &ipa)) {
		co_err("kernel=%s: built without 5-level paging (CONFIG_X86_5LEVEL), which this host uses",
		       g->cfg->kernel);
		return -1;
	}
	if (co_boot_place_kernel(s, image, &kpa, &err)) {
		co_err("kernel=%s: %s", g->cfg->kernel, err.msg);
		return -1;
	}
	co_elf_place(g->kernel, k, co_gmem_ptr(&g->gm, kpa, image));
	if (premap_passage(g, kpa))
		return -1;
	if (load_initrd(g, kpa, kpa + image, &ipa, &isize))
		return -1;
	if (write_boot_record(g, &rec))
		return -1;
	if (cmd_pa + CO_PAGE_SIZE > rec.pa) {
		co_err("the loader area has no room for the boot data");
		return -1;
	}
	cmdline = co_gmem_ptr(&g->gm, cmd_pa, CO_BOOT_CMDLINE_MAX);
	snprintf(cmdline, CO_BOOT_CMDLINE_MAX, "%s", g->cfg->cmdline);

	l.blocks = s->blocks;
	l.nr_blocks = s->nr_blocks;
	l.loader_phys = s->loader_phys;
	l.loader_size = s->loader_size;
	l.cmdline_pa = cmd_pa;
	l.initrd_pa = ipa;
	l.initrd_size = isize;
	l.setup_data_pa = rec.pa;
	l.keep_pa = rec.pa;
	l.keep_size = rec.size;
	if (co_boot_params(co_gmem_ptr(&g->gm, bp_pa, CO_PAGE_SIZE), &l,
			   &err)) {
		co_err("boot_params: %s", err.msg);
		return -1;
	}

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->abi_version = COLINUX_ABI_VERSION;
	r->rip = kpa + (k->entry - k->phys_start);
	r->rsi = bp_pa;
	r->rsp = rec.pa;
	r->rflags = 2;
	co_dbg("kernel at %#llx (%llu KiB), initrd at %#llx (%llu KiB), boot_params at %#llx",
	       (unsigned long long)kpa, (unsigned long long)(image >> 10),
	       (unsigned long long)ipa, (unsigned long long)(isize >> 10),
	       (unsigned long long)bp_pa);
	return 0;
}
