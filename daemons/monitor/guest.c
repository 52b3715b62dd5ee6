// SPDX-License-Identifier: GPL-2.0
/*
 * guest.c --- colinux-daemon's side of a guest: the driver calls, the
 * loader and the RUN loop that answers the guest's calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/colinux.h>
#include <co/log.h>

#include "boot.h"
#include "guest.h"

#define DEVICE "/dev/colinux"
#define DEFAULT_MEM_MB 64
#define PAGE 4096ULL

static int read_file(const char *path, void **data, size_t *len)
{
	struct stat st;
	ssize_t got;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out_close;
	}
	*data = malloc(st.st_size ? st.st_size : 1);
	ret = -ENOMEM;
	if (!*data)
		goto out_close;
	while (done < (size_t)st.st_size) {
		got = read(fd, (char *)*data + done, st.st_size - done);
		if (got <= 0) {
			ret = got ? -errno : -EIO;
			free(*data);
			goto out_close;
		}
		done += got;
	}
	*len = done;
	ret = 0;
out_close:
	close(fd);
	return ret;
}

int co_guest_read_kernel(struct co_guest *g)
{
	struct co_err err = { { 0 } };
	int ret;

	if (!g->cfg->kernel) {
		co_err("no kernel= given: which vmlinux should the guest run?");
		return -EINVAL;
	}
	ret = read_file(g->cfg->kernel, &g->kernel, &g->kernel_len);
	if (ret) {
		co_err("kernel=%s: %s", g->cfg->kernel, strerror(-ret));
		return ret;
	}
	ret = co_elf_parse(g->kernel, g->kernel_len, &g->kinfo, &err);
	if (ret) {
		co_err("kernel=%s: %s", g->cfg->kernel, err.msg);
		free(g->kernel);
		g->kernel = NULL;
	}
	return ret;
}

static int open_driver(struct co_guest *g)
{
	int version;

	g->fd = open(DEVICE, O_RDWR | O_CLOEXEC);
	if (g->fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			co_err("%s: the colinux driver is not loaded (modprobe colinux, or insmod colinux.ko)",
			       DEVICE);
		else if (errno == EACCES || errno == EPERM)
			co_err("%s: %s (colinux-daemon must run as root)",
			       DEVICE, strerror(errno));
		else
			co_err("%s: %s", DEVICE, strerror(errno));
		return -1;
	}
	version = ioctl(g->fd, COLINUX_GET_ABI_VERSION);
	if (version != COLINUX_ABI_VERSION) {
		co_err("%s: the driver speaks ABI %d, this colinux-daemon speaks %d: install matching versions",
		       DEVICE, version, COLINUX_ABI_VERSION);
		close(g->fd);
		return -1;
	}
	return 0;
}

static int setup_ram(struct co_guest *g)
{
	struct colinux_setup *s = &g->setup;
	uint64_t mb = g->cfg->mem_mb ? g->cfg->mem_mb : DEFAULT_MEM_MB;

	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->abi_version = COLINUX_ABI_VERSION;
	s->mem_size = mb << 20;
	if (ioctl(g->fd, COLINUX_SETUP, s)) {
		co_err("mem=%llu: %s", (unsigned long long)mb,
		       s->message[0] ? (char *)s->message : strerror(errno));
		return -1;
	}
	co_dbg("guest RAM: %s", s->message);
	g->ram = mmap(NULL, s->mem_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      g->fd, 0);
	if (g->ram == MAP_FAILED) {
		co_err("mapping %llu MiB of guest RAM: %s",
		       (unsigned long long)mb, strerror(errno));
		return -1;
	}
	co_gmem_init(&g->gm, s->blocks, s->nr_blocks, g->ram);
	return 0;
}

/* The initramfs straight from its file into guest RAM. */
static int load_initrd(struct co_guest *g, uint64_t kpa, uint64_t kend,
		       uint64_t *pa, uint64_t *size)
{
	struct co_err err = { { 0 } };
	const char *path = g->cfg->initrd;
	struct stat st;
	uint8_t *dst;
	ssize_t got;
	uint64_t done = 0;
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
	dst = co_gmem_ptr(&g->gm, *pa, st.st_size);
	while (done < (uint64_t)st.st_size) {
		got = read(fd, dst + done, st.st_size - done);
		if (got <= 0) {
			co_err("initrd=%s: %s", path,
			       got ? strerror(errno) : "file shrank");
			goto out_close;
		}
		done += got;
	}
	*size = done;
	ret = 0;
out_close:
	if (fd >= 0)
		close(fd);
	return ret;
}

#define PTE_P 1ULL
#define PTE_PS (1ULL << 7)
#define PTE_ADDR 0x000ffffffffff000ULL
#define LAST_GIB 0xffffffffc0000000ULL

/*
 * The PMD entry that maps @va in the loader's page tables (their root is
 * the first page of the loader area), or 0.
 */
static uint64_t loader_pmd(struct co_guest *g, uint64_t va)
{
	uint64_t table = g->setup.loader_phys, *t, e = 0;
	unsigned int l;

	for (l = g->setup.paging_levels; l >= 2; l--) {
		t = co_gmem_ptr(&g->gm, table, 4096);
		if (!t)
			return 0;
		e = t[(va >> (12 + 9 * (l - 1))) & 511];
		if (!(e & PTE_P) || (e & PTE_PS))
			return 0;
		table = e & PTE_ADDR;
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
static int premap_passage(struct co_guest *g, uint64_t kpa)
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
	fixmap = co_gmem_ptr(&g->gm, kpa + off, 4096);
	for (i = 0; i < s->nr_maps; i++) {
		for (va = s->maps[i].va; va < s->maps[i].va + s->maps[i].size;
		     va += 4096) {
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
 * Boot data in the loader area, above the driver's tables: boot_params,
 * the command line, and at the end the setup_data record: the boot info,
 * padded to the shared page, which the record includes so that the guest
 * keeps it reserved (and listed as RAM, in its direct map).  The first
 * passage frame goes below the record.
 */
static int load(struct co_guest *g, struct colinux_regs *r)
{
	struct colinux_setup *s = &g->setup;
	struct co_elf_kernel *k = &g->kinfo;
	uint64_t image = k->phys_end - k->phys_start, kpa, ipa, isize;
	uint64_t data =
		s->loader_phys + ((s->loader_used + PAGE - 1) & ~(PAGE - 1));
	uint64_t bp_pa = data, cmd_pa = data + PAGE,
		 sd_pa = s->shared_pa - PAGE;
	struct co_boot_layout l = { 0 };
	struct co_err err = { { 0 } };
	struct setup_data *sd;
	struct timespec now;
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
	if (cmd_pa + PAGE > sd_pa) {
		co_err("the loader area has no room for the boot data");
		return -1;
	}
	cmdline = co_gmem_ptr(&g->gm, cmd_pa, CO_BOOT_CMDLINE_MAX);
	snprintf(cmdline, CO_BOOT_CMDLINE_MAX, "%s", g->cfg->cmdline);

	sd = co_gmem_ptr(&g->gm, sd_pa, PAGE);
	sd->next = 0;
	sd->type = COLINUX_SETUP_DATA;
	sd->len = 2 * PAGE - sizeof(*sd);
	clock_gettime(CLOCK_REALTIME, &now);
	if (co_boot_info((struct colinux_boot_info *)sd->data, s, now.tv_sec,
			 now.tv_nsec, &err)) {
		co_err("boot info: %s", err.msg);
		return -1;
	}
	/*
	 * The passage is mapped already (premap_passage()).  The guest maps
	 * map[] itself with one page-table page per entry, which is only
	 * right when no two entries share a 2 MiB slot; they usually do.
	 */
	((struct colinux_boot_info *)sd->data)->nr_maps = 0;

	l.blocks = s->blocks;
	l.nr_blocks = s->nr_blocks;
	l.loader_phys = s->loader_phys;
	l.loader_size = s->loader_size;
	l.cmdline_pa = cmd_pa;
	l.initrd_pa = ipa;
	l.initrd_size = isize;
	l.setup_data_pa = sd_pa;
	l.keep_pa = sd_pa;
	l.keep_size = 2 * PAGE;
	if (co_boot_params(co_gmem_ptr(&g->gm, bp_pa, PAGE), &l, &err)) {
		co_err("boot_params: %s", err.msg);
		return -1;
	}

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->abi_version = COLINUX_ABI_VERSION;
	r->rip = kpa + (k->entry - k->phys_start);
	r->rsi = bp_pa;
	r->rsp = sd_pa;
	r->rflags = 2;
	co_dbg("kernel at %#llx (%llu KiB), initrd at %#llx (%llu KiB), boot_params at %#llx",
	       (unsigned long long)kpa, (unsigned long long)(image >> 10),
	       (unsigned long long)ipa, (unsigned long long)(isize >> 10),
	       (unsigned long long)bp_pa);
	return 0;
}

static const char *vector_name(uint64_t v)
{
	static const char *const names[] = {
		"divide error",
		"debug",
		"NMI",
		"breakpoint",
		"overflow",
		"bound range",
		"invalid opcode",
		"device not available",
		"double fault",
		"coprocessor overrun",
		"invalid TSS",
		"segment not present",
		"stack fault",
		"general protection",
		"page fault",
	};

	if (v == ~0ULL)
		return "EFER changed";
	return v < sizeof(names) / sizeof(names[0]) ? names[v] : "exception";
}

/* Guest text by physical address, for the terminal or a message. */
static const char *guest_text(struct co_guest *g, uint64_t pa, uint64_t len)
{
	return len ? co_gmem_ptr(&g->gm, pa, len) : NULL;
}

static enum co_guest_end terminate(struct co_guest *g, const __u64 *arg)
{
	const char *why = guest_text(g, arg[1], arg[2]);
	int n = why ? (int)arg[2] : 0;

	switch (arg[0]) {
	case COLINUX_TERM_POWEROFF:
		co_info("guest powered off");
		return CO_GUEST_POWEROFF;
	case COLINUX_TERM_HALT:
		co_info("guest halted");
		return CO_GUEST_HALT;
	case COLINUX_TERM_REBOOT:
		co_info("guest rebooted%s%.*s", n ? ": " : "", n, why);
		return CO_GUEST_REBOOT;
	default:
		if (n)
			co_err("guest kernel panic: %.*s", n, why);
		else
			co_err("guest kernel panic (no message)");
		return CO_GUEST_PANIC;
	}
}

/*
 * A call for the daemon.  Returns -1 to go on (with *ret for the guest's
 * %rax), or how the guest ended.
 */
static int answer(struct co_guest *g, const struct colinux_run *run,
		  uint64_t *ret)
{
	const __u64 *arg = run->call.arg;
	void *p;

	*ret = 0;
	switch (run->call.op) {
	case COLINUX_OP_CONSOLE_WRITE:
		p = co_gmem_ptr(&g->gm, arg[0], arg[1]);
		if (p)
			co_console_output(g->con, p, arg[1]);
		else
			*ret = -EFAULT;
		return -1;
	case COLINUX_OP_CONSOLE_READ:
		p = co_gmem_ptr(&g->gm, arg[0], arg[1]);
		if (p)
			*ret = co_console_input(g->con, p, arg[1]);
		else
			*ret = -EFAULT;
		return -1;
	case COLINUX_OP_TERMINATE:
		return terminate(g, arg);
	default:
		co_warn("guest made an unknown call %#llx",
			(unsigned long long)run->call.op);
		*ret = -ENOSYS;
		return -1;
	}
}

static enum co_guest_end run_loop(struct co_guest *g)
{
	struct colinux_run run;
	uint64_t ret = 0;
	int end;

	memset(&run, 0, sizeof(run));
	run.size = sizeof(run);
	run.abi_version = COLINUX_ABI_VERSION;
	for (;;) {
		run.call_ret = ret;
		if (ioctl(g->fd, COLINUX_RUN, &run)) {
			co_err("RUN: %s%s%s", strerror(errno),
			       run.message[0] ? ": " : "", (char *)run.message);
			return CO_GUEST_ERROR;
		}
		switch (run.exit_reason) {
		case COLINUX_EXIT_NONE:
			if (*g->stop_signal || g->con->quit)
				return CO_GUEST_STOPPED;
			continue;
		case COLINUX_EXIT_CALL:
			end = answer(g, &run, &ret);
			if (end >= 0)
				return end;
			continue;
		case COLINUX_EXIT_FAULT:
			co_err("guest died of a %s (vector %lld) at %#llx, error code %#llx, cr2 %#llx",
			       vector_name(run.fault.vector),
			       (long long)run.fault.vector,
			       (unsigned long long)run.fault.rip,
			       (unsigned long long)run.fault.error_code,
			       (unsigned long long)run.fault.cr2);
			return CO_GUEST_FAULT;
		case COLINUX_EXIT_PASSAGE_FAULT:
			co_err("exception %llu in the passage at %#llx (cr2 %#llx): guest stopped, host unharmed",
			       (unsigned long long)run.fault.vector,
			       (unsigned long long)run.fault.rip,
			       (unsigned long long)run.fault.cr2);
			return CO_GUEST_FAULT;
		default:
			co_err("guest stopped: %s", (char *)run.message);
			return CO_GUEST_FAULT;
		}
	}
}

enum co_guest_end co_guest_boot(struct co_guest *g)
{
	enum co_guest_end end = CO_GUEST_ERROR;
	struct colinux_regs r;

	g->ram = MAP_FAILED;
	if (open_driver(g))
		return CO_GUEST_ERROR;
	if (setup_ram(g) || load(g, &r))
		goto out_close;
	if (ioctl(g->fd, COLINUX_SET_REGS, &r)) {
		co_err("SET_REGS: %s", strerror(errno));
		goto out_close;
	}
	co_console_attach_vm(g->con, g->fd);
	end = run_loop(g);
	co_console_attach_vm(g->con, -1);
out_close:
	/* Closing the last reference gives all guest RAM back to the host. */
	if (g->ram != MAP_FAILED)
		munmap(g->ram, g->setup.mem_size);
	close(g->fd);
	return end;
}
