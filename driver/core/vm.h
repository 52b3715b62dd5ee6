/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vm.h --- one guest, as driver/core sees it, and the core's entry points.
 */
#ifndef CO_VM_H
#define CO_VM_H

#include "os.h"
#include <colinux/ioctl.h>

struct co_area;

/* Host state that must come back unchanged from the guest (CHECK_HOST). */
struct co_host_snap {
	u64 cr0, cr3, cr4, efer, xcr0, dr7;
	u32 pkru;
	u16 cs, ss, ds, es, fs, gs, tr, ldtr;
	u16 gdt_limit, idt_limit;
	u64 gdt_base, idt_base;
	u64 gdt[16];
	u64 msr[24];
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
	u64 efer;

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

	/* Statistics, reported by every RUN. */
	u64 round_trips, nop_calls, forwarded_irqs, forwarded_nmis;
	u64 passage_nmis, apic_isr_dirty, host_state_checks;
	u64 timer_calls, idle_calls, timer_virqs, raised_virqs;
};

/* monitor.c: the OS glue calls these, under a per-guest lock. */
struct co_vm *co_vm_create(int *err);
void co_vm_destroy(struct co_vm *vm);
int co_vm_setup(struct co_vm *vm, struct colinux_setup *s);
int co_vm_set_regs(struct co_vm *vm, const struct colinux_regs *r);
int co_vm_run(struct co_vm *vm, struct colinux_run *run);
/* May run concurrently with co_vm_run(), without the per-guest lock. */
int co_vm_raise_virq(struct co_vm *vm, const struct colinux_virq *v);

/* memory.c */
int co_mem_alloc(struct co_vm *vm, u64 mem_size, char *msg, size_t len);
void co_mem_free(struct co_vm *vm);
void *co_mem_va(struct co_vm *vm, u64 phys, u64 len);
int co_loader_build(struct co_vm *vm, char *msg, size_t len);
int co_passage_maps(struct co_vm *vm, char *msg, size_t len);

/* passage.c */
struct co_area *co_passage_claim(int *slot);
void co_passage_release(int slot);
int co_passage_prepare(struct co_vm *vm, char *msg, size_t len);
u64 co_passage_guest_entry(int slot);

/* host.c */
int co_host_check(const struct co_host_mode *m, char *msg, size_t len);
void co_host_mode_read(struct co_host_mode *m);
void co_host_snapshot(struct co_host_snap *s, const u32 *msrs, unsigned int nr,
		      bool xsave, bool pke);
const char *co_host_compare(const struct co_host_snap *a,
			    const struct co_host_snap *b);

#endif
