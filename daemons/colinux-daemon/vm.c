// SPDX-License-Identifier: GPL-2.0
/*
 * vm.c --- colinux-daemon's side of a running guest: the driver calls
 * (open, SETUP, SET_REGS, RUN) and the RUN loop that answers the guest's
 * calls.  Loading the guest into its RAM is load.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/colinux.h>
#include <co/array_size.h>
#include <co/log.h>

#include "os.h"
#include "vm.h"

#define DEVICE co_os_driver_path
#define DEFAULT_MEM_MB 64
/* 0, or how the boot ends: CO_VM_NO_DRIVER, CO_VM_DRIVER_VERSION, ... */
static int open_driver(struct co_vm *g)
{
	int version;

	g->fd = co_os_driver_open();
	if (g->fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO) {
			co_err("%s: the colinux driver is not loaded (%s)",
			       DEVICE, co_os_driver_hint);
			return CO_VM_NO_DRIVER;
		}
		if (errno == EACCES || errno == EPERM)
			co_err("%s: %s (colinux-daemon must run as root)",
			       DEVICE, strerror(errno));
		else
			co_err("%s: %s", DEVICE, strerror(errno));
		return CO_VM_ERROR;
	}
	version = co_os_driver_call(g->fd, COLINUX_GET_ABI_VERSION, NULL);
	if (version != COLINUX_ABI_VERSION) {
		co_err("%s: the driver speaks ABI %d, this colinux-daemon speaks %d: install matching versions",
		       DEVICE, version, COLINUX_ABI_VERSION);
		co_os_driver_close(g->fd);
		return CO_VM_DRIVER_VERSION;
	}
	return 0;
}

static int setup_ram(struct co_vm *g)
{
	struct colinux_setup *s = &g->setup;
	uint64_t mb = g->cfg->mem_mb ? g->cfg->mem_mb : DEFAULT_MEM_MB;

	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->abi_version = COLINUX_ABI_VERSION;
	s->mem_size = mb << 20;
	if (co_os_driver_call(g->fd, COLINUX_SETUP, s)) {
		co_err("mem=%llu: %s", (unsigned long long)mb,
		       s->message[0] ? (char *)s->message : strerror(errno));
		return -1;
	}
	co_dbg("guest RAM: %s", s->message);
	g->ram = co_os_driver_map(g->fd, s->mem_size);
	if (!g->ram) {
		co_err("mapping %llu MiB of guest RAM: %s",
		       (unsigned long long)mb, strerror(errno));
		return -1;
	}
	co_gmem_init(&g->gm, s->blocks, s->nr_blocks, g->ram);
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
	return v < ARRAY_SIZE(names) ? names[v] : "exception";
}

/* Guest text by physical address, for the terminal or a message. */
static const char *guest_text(struct co_vm *g, uint64_t pa, uint64_t len)
{
	return len ? co_gmem_ptr(&g->gm, pa, len) : NULL;
}

/*
 * The guest's reason, at most this many bytes of it: the length is the
 * guest's, and printf's precision is an int.
 */
#define CO_TERM_TEXT_MAX 4096

static enum co_vm_end terminate(struct co_vm *g, const __u64 *arg)
{
	const char *why = guest_text(g, arg[1], arg[2]);
	uint64_t len = arg[2] < CO_TERM_TEXT_MAX ? arg[2] : CO_TERM_TEXT_MAX;
	int n = why ? (int)len : 0;

	switch (arg[0]) {
	case COLINUX_TERM_POWEROFF:
		co_info("guest powered off");
		return CO_VM_POWEROFF;
	case COLINUX_TERM_HALT:
		co_info("guest halted");
		return CO_VM_HALT;
	case COLINUX_TERM_REBOOT:
		co_info("guest rebooted%s%.*s", n ? ": " : "", n, why);
		return CO_VM_REBOOT;
	default:
		if (n)
			co_err("guest kernel panic: %.*s", n, why);
		else
			co_err("guest kernel panic (no message)");
		return CO_VM_PANIC;
	}
}

/*
 * A call for the daemon.  Returns -1 to go on (with *ret for the guest's
 * %rax), or how the guest ended.
 */
static int answer(struct co_vm *g, const struct colinux_run *run, uint64_t *ret)
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
	case COLINUX_OP_DEVICE:
		*ret = (uint64_t)co_devs_call(g->devs, arg[0], arg[1], arg[2],
					      arg[3]);
		return -1;
	case COLINUX_OP_NOTIFY:
		*ret = (uint64_t)co_devs_notify(g->devs, arg[0], arg[1]);
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

/* The RUN in progress, for co_vm_interrupt(); NULL outside run_loop(). */
static struct colinux_run *volatile running;

void co_vm_interrupt(void)
{
	struct colinux_run *run = running;

	if (run)
		run->immediate_exit = 1;
}

/*
 * RUN until the guest ends or a stop is asked for, which is looked at before
 * every RUN.  immediate_exit is cleared before that look, so a stop that
 * comes after it (and before RUN reads the struct) is seen by RUN itself.
 */
static enum co_vm_end run_calls(struct co_vm *g, struct colinux_run *run)
{
	uint64_t ret = 0;
	int end;

	for (;;) {
		run->immediate_exit = 0;
		if (*g->stop_signal || g->con->quit)
			return CO_VM_STOPPED;
		run->call_ret = ret;
		if (co_os_driver_call(g->fd, COLINUX_RUN, run)) {
			co_err("RUN: %s%s%s", strerror(errno),
			       run->message[0] ? ": " : "",
			       (char *)run->message);
			return CO_VM_ERROR;
		}
		switch (run->exit_reason) {
		case COLINUX_EXIT_NONE:
			continue;
		case COLINUX_EXIT_CALL:
			end = answer(g, run, &ret);
			if (end >= 0)
				return end;
			continue;
		case COLINUX_EXIT_FAULT:
			co_err("guest died of a %s (vector %lld) at %#llx, error code %#llx, cr2 %#llx",
			       vector_name(run->fault.vector),
			       (long long)run->fault.vector,
			       (unsigned long long)run->fault.rip,
			       (unsigned long long)run->fault.error_code,
			       (unsigned long long)run->fault.cr2);
			return CO_VM_FAULT;
		case COLINUX_EXIT_PASSAGE_FAULT:
			co_err("exception %llu in the passage at %#llx (cr2 %#llx): guest stopped, host unharmed",
			       (unsigned long long)run->fault.vector,
			       (unsigned long long)run->fault.rip,
			       (unsigned long long)run->fault.cr2);
			return CO_VM_FAULT;
		default:
			co_err("guest stopped: %s", (char *)run->message);
			return CO_VM_FAULT;
		}
	}
}

static enum co_vm_end run_loop(struct co_vm *g)
{
	struct colinux_run run;
	enum co_vm_end end;

	memset(&run, 0, sizeof(run));
	run.size = sizeof(run);
	run.abi_version = COLINUX_ABI_VERSION;
	running = &run;
	end = run_calls(g, &run);
	running = NULL;
	return end;
}

enum co_vm_end co_vm_boot(struct co_vm *g)
{
	enum co_vm_end end = CO_VM_ERROR;
	struct colinux_regs r;
	int ret;

	g->ram = NULL;
	g->nr_devices = g->devs->nr;
	ret = open_driver(g);
	if (ret)
		return ret;
	if (setup_ram(g) || co_vm_load(g, &r))
		goto out_close;
	if (g->nr_devices &&
	    co_devs_attach(g->devs, g->dev_table, &g->gm, g->fd))
		goto out_close;
	if (co_os_driver_call(g->fd, COLINUX_SET_REGS, &r)) {
		co_err("SET_REGS: %s", strerror(errno));
		goto out_close;
	}
	co_console_attach_vm(g->con, g->fd);
	end = run_loop(g);
	co_console_attach_vm(g->con, -1);
out_close:
	/* The devices first: nothing may touch guest RAM after munmap. */
	co_devs_detach(g->devs);
	/* Closing the last reference gives all guest RAM back to the host. */
	if (g->ram)
		co_os_driver_unmap(g->ram, g->setup.mem_size);
	co_os_driver_close(g->fd);
	return end;
}
