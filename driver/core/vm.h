/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vm.h --- one guest, as driver/core sees it, and the core's entry points.
 */
#ifndef CO_VM_H
#define CO_VM_H

#include "os.h"
#include <colinux/ioctl.h>

struct co_area;

/*
 * Why a command failed, in one line that names what and why.  A core
 * function returns 0 or -errno and, when it fails, fills the caller's
 * struct co_err with "return co_fail(err, -EINVAL, ...)"; the glue copies
 * the line into the ioctl's message field or logs it.
 */
struct co_err {
	char msg[COLINUX_MESSAGE_SIZE];
};

/* Record the reason (printf-style) and return @ret. */
int co_fail(struct co_err *err, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Host registers of the extended state that the passage does not switch
 * and the guest must leave alone: IA32_XSS (host has XSAVES) and IA32_XFD,
 * IA32_XFD_ERR (host has XFD, i.e. AMX); 0 where the host has none.
 */
struct co_xmsrs {
	u64 xss, xfd, xfd_err;
};

/* Host state that must come back unchanged from the guest (CHECK_HOST). */
struct co_host_snap {
	u64 cr0, cr3, cr4, efer, xcr0, dr7;
	u32 pkru;
	u16 cs, ss, ds, es, fs, gs, tr, ldtr;
	u16 gdt_limit, idt_limit;
	u64 gdt_base, idt_base;
	u64 gdt[16];
	u64 msr[24];
	struct co_xmsrs xm;
};

/*
 * The host's TSC as its kernel sees it, judged by co_host_tsc_check():
 * X86_FEATURE_CONSTANT_TSC, X86_FEATURE_NONSTOP_TSC, check_tsc_unstable(),
 * X86_FEATURE_HYPERVISOR.
 */
struct co_host_tsc {
	bool constant, nonstop, unstable, hypervisor;
};

/* The CPU mode facts co_host_check() judges (kept apart to be testable). */
struct co_host_mode {
	u64 cr0, cr4, efer;
};

struct co_vm {
	int slot;
	struct co_area *area;
	bool setup_done; /* SETUP succeeded: RAM and loader tables exist */
	bool regs_set; /* SET_REGS done: the guest can run */
	bool dead; /* a fault ended it; RUN refuses */
	bool call_pending; /* RUN returned a call; call_ret goes to %rax */

	u64 mem_size;
	unsigned int nr_blocks;
	struct co_os_block blocks[COLINUX_MAX_BLOCKS];

	/* Loader page tables, in the first COLINUX_LOADER_SIZE of block 0. */
	unsigned int levels;
	u64 loader_used;
	u64 cr3;

	/* Guest extended state (XSAVE, or FXSAVE without OSXSAVE). */
	void *fpu;
	u64 guest_xcr0;
	bool xsave, pke;
	bool xss, xfd; /* the host has IA32_XSS, IA32_XFD (co_xmsrs) */

	/* The passage as the guest must map it (SETUP reports it). */
	unsigned int nr_maps;
	struct colinux_map maps[COLINUX_SETUP_MAX_MAPS];

	/*
	 * Virtual IRQs and time.  pending points into the shared page (guest
	 * RAM): anyone may set bits with a locked or, only the guest clears
	 * them.  running_cpu is the CPU the guest is on, -1 between entries;
	 * whoever raises a virq reads it to interrupt that CPU.
	 */
	u64 shared_pa;
	volatile u64 *pending;
	volatile int running_cpu;
	u64 tsc_khz;
	struct co_os_timer *timer;
	struct co_os_notify *notify;

	/*
	 * COLINUX_SET_IOEVENTFD's eventfds, set and read under the per-guest
	 * lock; kick is the one a NOTIFY hit, signalled once interrupts are
	 * back on.
	 */
	struct co_os_event *ioeventfd[COLINUX_MAX_DEVICES][COLINUX_MAX_QUEUES];
	struct co_os_event *kick;

	struct colinux_stats stats; /* reported by every RUN */
};

/* monitor.c: the OS glue calls these, under a per-guest lock. */
int co_vm_create(struct co_vm **vmp);
void co_vm_destroy(struct co_vm *vm);
int co_vm_setup(struct co_vm *vm, struct colinux_setup *s);
int co_vm_set_regs(struct co_vm *vm, const struct colinux_regs *r);
int co_vm_run(struct co_vm *vm, struct colinux_run *run);
int co_vm_set_ioeventfd(struct co_vm *vm, const struct colinux_ioeventfd *e);
/* May run concurrently with co_vm_run(), without the per-guest lock. */
int co_vm_raise_virq(struct co_vm *vm, const struct colinux_virq *v);

/* memory.c */
int co_mem_alloc(struct co_vm *vm, u64 mem_size, struct co_err *err);
void co_mem_free(struct co_vm *vm);
void *co_mem_va(struct co_vm *vm, u64 phys, u64 len);
int co_loader_build(struct co_vm *vm, struct co_err *err);
int co_passage_maps(struct co_vm *vm, struct co_err *err);

/* passage.c */
struct co_area *co_passage_claim(int *slot);
void co_passage_release(int slot);
int co_passage_prepare(struct co_vm *vm, struct co_err *err);
u64 co_passage_guest_entry(int slot);

/* host.c */
int co_host_check(const struct co_host_mode *m, struct co_err *err);
int co_host_tsc_check(const struct co_host_tsc *t, bool allow,
		      struct co_err *err);
u64 co_guest_xcr0_allowed(u64 host_xcr0);
int co_guest_xcr0_check(u64 guest_xcr0, u64 host_xcr0, struct co_err *err);
const char *co_xmsrs_compare(const struct co_xmsrs *a,
			     const struct co_xmsrs *b);
void co_host_mode_read(struct co_host_mode *m);
void co_xmsrs_read(struct co_xmsrs *m, bool xss, bool xfd);
void co_xmsrs_write(const struct co_xmsrs *m, bool xss, bool xfd);
void co_host_snapshot(struct co_host_snap *s, const u32 *msrs, unsigned int nr,
		      bool xsave, bool pke, bool xss, bool xfd);
const char *co_host_compare(const struct co_host_snap *a,
			    const struct co_host_snap *b);

#endif
