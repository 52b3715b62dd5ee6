// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c --- one guest's life: setup, first registers, the run loop.
 *
 * The run loop is KVM's shape: enter the guest, and on each return handle
 * what the driver can (no-op calls, host interrupts and NMIs that arrived
 * while the guest ran) and go back in; return to the daemon only for its
 * own calls, a guest fault, or a signal.  Between two entries interrupts
 * are on and the thread may be preempted or migrated, which is why host
 * state is saved afresh on every entry.
 */
#include "vm.h"
#include "arch.h"
#include "passage.h"

#define CO_VIRQ(n) (1ULL << (n))

/*
 * Make virtual IRQs pending and see that the guest notices soon.  The
 * locked or orders the bits before the read of running_cpu: a guest that
 * is not running yet sees them when its next entry returns from its call
 * (every entry is such a return); one that runs elsewhere is interrupted
 * by the kick, forwards that interrupt and sees them on the way back.
 */
static void co_vm_raise(struct co_vm *vm, u64 virqs)
{
	co_arch_atomic_or64(vm->pending, virqs);
	co_os_notify_kick(vm->notify, vm->running_cpu);
}

/* The guest's one-shot timer expired (hard interrupt context). */
static void co_vm_timer_fire(void *arg)
{
	struct co_vm *vm = arg;

	vm->stats.timer_virqs++;
	co_vm_raise(vm, CO_VIRQ(COLINUX_VIRQ_TIMER));
}

int co_vm_create(struct co_vm **vmp)
{
	struct co_vm *vm = co_os_zalloc(sizeof(*vm));
	int ret = -ENOMEM;

	if (!vm)
		return ret;
	vm->running_cpu = -1;
	vm->notify =
		co_os_notify_create(&vm->running_cpu, &vm->stats.kill_nmis);
	if (!vm->notify)
		goto out_free_vm;
	vm->timer = co_os_timer_create(co_vm_timer_fire, vm);
	if (!vm->timer)
		goto out_destroy_notify;
	vm->area = co_passage_claim(&vm->slot);
	if (!vm->area) {
		co_err("all %d guest slots are in use\n", CO_MAX_SLOTS);
		ret = -EBUSY;
		goto out_destroy_timer;
	}
	*vmp = vm;
	return 0;

out_destroy_timer:
	co_os_timer_destroy(vm->timer);
out_destroy_notify:
	co_os_notify_destroy(vm->notify);
out_free_vm:
	co_os_free(vm);
	return ret;
}

void co_vm_destroy(struct co_vm *vm)
{
	unsigned int d, q;

	for (d = 0; d < COLINUX_MAX_DEVICES; d++)
		for (q = 0; q < COLINUX_MAX_QUEUES; q++)
			if (vm->ioeventfd[d][q])
				co_os_event_put(vm->ioeventfd[d][q]);
	/* Nothing may touch the shared page once guest RAM is gone. */
	co_os_timer_destroy(vm->timer);
	co_os_notify_destroy(vm->notify);
	if (vm->fpu)
		co_os_free(vm->fpu);
	co_mem_free(vm);
	co_passage_release(vm->slot);
	co_os_free(vm);
}

/* The caller's struct is the one this driver speaks: 0 or -EPROTO. */
static int abi_check(u32 size, u32 want, u32 version, struct co_err *err)
{
	if (version != COLINUX_ABI_VERSION)
		return co_fail(
			err, -EPROTO,
			"ABI version mismatch: caller speaks %u, driver speaks %u",
			version, COLINUX_ABI_VERSION);
	if (size != want)
		return co_fail(
			err, -EPROTO,
			"ABI mismatch: struct size %u, driver expects %u", size,
			want);
	return 0;
}

/* The shared page: the last page of the loader area. */
static int shared_init(struct co_vm *vm, struct co_err *err)
{
	struct colinux_shared *sh;
	int ret = co_os_tsc_check(err);

	if (ret < 0)
		return ret;
	vm->tsc_khz = co_os_tsc_khz();
	if (!vm->tsc_khz)
		return co_fail(err, -EOPNOTSUPP,
			       "the host's TSC frequency is unknown");
	vm->shared_pa = vm->blocks[0].phys + COLINUX_LOADER_SIZE - 4096;
	sh = co_mem_va(vm, vm->shared_pa, 4096);
	sh->size = sizeof(*sh);
	sh->abi_version = COLINUX_GUEST_ABI_VERSION;
	sh->pending_virqs = 0;
	vm->pending = &sh->pending_virqs;
	return 0;
}

/* Guest RAM, the loader's tables, the passage and the shared page. */
static int co_vm_build(struct co_vm *vm, const struct colinux_setup *s,
		       struct co_err *err)
{
	struct co_host_mode mode;
	int ret;

	ret = abi_check(s->size, sizeof(*s), s->abi_version, err);
	if (ret)
		return ret;
	if (vm->setup_done)
		return co_fail(err, -EEXIST,
			       "SETUP was already done on this file");
	if (s->flags)
		return co_fail(err, -EINVAL, "unknown SETUP flags %#llx",
			       (unsigned long long)s->flags);
	co_host_mode_read(&mode);
	ret = co_host_check(&mode, err);
	if (ret)
		return ret;
	ret = co_mem_alloc(vm, s->mem_size, err);
	if (ret)
		return ret;
	ret = co_loader_build(vm, err);
	if (!ret)
		ret = co_passage_prepare(vm, err);
	if (!ret)
		ret = co_passage_maps(vm, err);
	if (!ret)
		ret = shared_init(vm, err);
	if (ret)
		co_mem_free(vm);
	return ret;
}

_Static_assert(sizeof(((struct co_err *)0)->msg) ==
		       sizeof(((struct colinux_setup *)0)->message),
	       "struct co_err carries a message field");

int co_vm_setup(struct co_vm *vm, struct colinux_setup *s)
{
	struct co_err err = { { 0 } };
	unsigned int i;
	int ret;

	ret = co_vm_build(vm, s, &err);
	memcpy(s->message, err.msg, sizeof(s->message));
	if (ret)
		return ret;
	s->tsc_khz = vm->tsc_khz;
	s->shared_pa = vm->shared_pa;
	s->loader_used = vm->loader_used;
	s->nr_maps = vm->nr_maps;
	memcpy(s->maps, vm->maps, sizeof(s->maps));
	s->passage_entry = co_passage_guest_entry(vm->slot);
	s->loader_phys = vm->blocks[0].phys;
	s->loader_size = COLINUX_LOADER_SIZE;
	s->nr_blocks = vm->nr_blocks;
	s->paging_levels = vm->levels;
	for (i = 0; i < vm->nr_blocks; i++) {
		s->blocks[i].phys = vm->blocks[i].phys;
		s->blocks[i].size = vm->blocks[i].size;
	}
	snprintf((char *)s->message, sizeof(s->message),
		 "%llu MiB in %u block(s) at %#llx, %u-level paging",
		 (unsigned long long)(vm->mem_size >> 20), vm->nr_blocks,
		 (unsigned long long)vm->blocks[0].phys, vm->levels);
	/* RAISE_VIRQ reads setup_done without the lock: publish it last. */
	asm volatile("" : : : "memory");
	vm->setup_done = true;
	return 0;
}

/*
 * The guest's first entry is an ordinary return from the passage: build
 * the frame a switch would have left on the guest's stack.
 */
int co_vm_set_regs(struct co_vm *vm, const struct colinux_regs *r)
{
	struct co_err err;
	u64 *f;
	int ret;

	ret = abi_check(r->size, sizeof(*r), r->abi_version, &err);
	if (ret) {
		co_err("SET_REGS: %s\n", err.msg);
		return ret;
	}
	if (!vm->setup_done)
		return -EBADFD;
	f = co_mem_va(vm, r->rsp - CO_FRAME_SIZE, CO_FRAME_SIZE);
	if (!f || (r->rsp & 7))
		return -EFAULT;
	f[0] = r->r15;
	f[1] = r->r14;
	f[2] = r->r13;
	f[3] = r->r12;
	f[4] = r->r11;
	f[5] = r->r10;
	f[6] = r->r9;
	f[7] = r->r8;
	f[8] = r->rbp;
	f[9] = r->rsi;
	f[10] = r->rdx;
	f[11] = r->rcx;
	f[12] = r->rbx;
	f[13] = r->rax;
	f[14] = r->rdi;
	/* Arithmetic flags, DF and IF only; bit 1 is always set. */
	f[15] = (r->rflags & 0xcd5) | (r->rflags & 0x200) | 2;
	f[16] = r->rip;
	vm->area->guest[CO_S_RSP] = r->rsp - CO_FRAME_SIZE;
	vm->area->guest[CO_S_RAX] = r->rax;
	vm->regs_set = true;
	vm->call_pending = false;
	return 0;
}

/* A forwarded vector the host has no event for: counted, logged sparingly. */
static int refuse_forward(struct co_vm *vm, u64 vector, const char *why)
{
	vm->stats.refused_forwards++;
	if (co_os_ratelimit())
		co_warn("guest forwarded vector %llu, but %s: refused (%llu refusals by this guest)\n",
			(unsigned long long)vector, why,
			(unsigned long long)vm->stats.refused_forwards);
	return -EINVAL;
}

/* The host handler's address in the host IDT's gate for @vector. */
static u64 host_gate(struct co_vm *vm, u64 vector)
{
	const u8 *idt, *gate;
	u64 base;

	memcpy(&base, (u8 *)&vm->area->host[CO_S_IDTR] + 2, 8);
	idt = (const u8 *)(uintptr_t)base;
	gate = idt + vector * 16;
	return gate[0] | (u64)gate[1] << 8 | (u64)gate[6] << 16 |
	       (u64)gate[7] << 24 | (u64) * (const u32 *)(gate + 8) << 32;
}

/*
 * Run the host's handler for an event that reached the guest's IDT (or the
 * passage's) while the guest ran, interrupts still off.  The guest names the
 * vector, and the guest is not trusted to: each kind is run only when the
 * host's own hardware shows it happened.
 *  - A machine check while MCG_STATUS.MCIP says one is in progress: the
 *    host's handler logs it and clears MCIP, without which the next machine
 *    check would shut the machine down.
 *  - An interrupt only when it is the local APIC's highest vector in service,
 *    the one the handler's EOI retires (any other would retire an interrupt
 *    the host has not handled yet).  The spurious vector is never in
 *    service and needs no EOI; the host's handler would only count and log
 *    it, which a guest could repeat without end, so it is accepted and
 *    nothing is run.
 *  - An NMI leaves no trace to check: it is always run (the host's handler
 *    asks every NMI source, and at worst reports an unknown NMI).
 * Returns 0, or -EINVAL for a refused vector.
 */
static int forward_vector(struct co_vm *vm, u64 vector)
{
	if (vector == CO_VEC_NMI) {
		vm->stats.forwarded_nmis++;
		co_os_forward_nmi();
		return 0;
	}
	if (vector == CO_VEC_MC) {
		if (!co_os_mce_in_progress())
			return refuse_forward(
				vm, vector, "no machine check is in progress");
		vm->stats.forwarded_mces++;
		co_os_forward_mce();
		return 0;
	}
	if (vector < 32 || vector > 255)
		return refuse_forward(vm, vector, "it is no interrupt vector");
	if (vector == CO_VEC_SPURIOUS)
		return 0;
	if (!co_os_apic_in_service(vector))
		return refuse_forward(
			vm, vector,
			"the local APIC does not have it as its highest vector in service");
	vm->stats.forwarded_irqs++;
	co_os_call_gate(host_gate(vm, vector));
	if (!co_os_apic_isr_clean())
		vm->stats.apic_isr_dirty++;
	return 0;
}

/*
 * COLINUX_OP_TIMER: a one-shot deadline in TSC cycles (the guest's TSC is
 * the host's), 0 to cancel.  A deadline already past is pending at once.
 */
static void co_vm_set_timer(struct co_vm *vm, u64 deadline)
{
	u64 now = co_arch_rdtsc(), delta, ms, ns;

	if (!deadline) {
		co_os_timer_cancel(vm->timer);
		return;
	}
	if (deadline <= now) {
		co_os_timer_cancel(vm->timer);
		vm->stats.timer_virqs++;
		co_arch_atomic_or64(vm->pending, CO_VIRQ(COLINUX_VIRQ_TIMER));
		return;
	}
	delta = deadline - now;
	ms = delta / vm->tsc_khz;
	/* Anything beyond ~30 years is "never" enough. */
	if (ms > 1000000000000ULL)
		ms = 1000000000000ULL;
	ns = ms * 1000000 + (delta % vm->tsc_khz) * 1000000 / vm->tsc_khz;
	co_os_timer_start(vm->timer, ns);
}

static bool co_vm_virq_ready(void *arg)
{
	struct co_vm *vm = arg;

	return *vm->pending != 0;
}

int co_vm_raise_virq(struct co_vm *vm, const struct colinux_virq *v)
{
	struct co_err err;
	int ret;

	ret = abi_check(v->size, sizeof(*v), v->abi_version, &err);
	if (ret) {
		co_err("RAISE_VIRQ: %s\n", err.msg);
		return ret;
	}
	if (!vm->setup_done)
		return -EBADFD;
	if (!v->virqs)
		return -EINVAL;
	vm->stats.raised_virqs++;
	co_vm_raise(vm, v->virqs);
	return 0;
}

int co_vm_set_ioeventfd(struct co_vm *vm, const struct colinux_ioeventfd *e)
{
	struct co_os_event *ev = NULL, **slot;
	struct co_err err;
	int ret;

	ret = abi_check(e->size, sizeof(*e), e->abi_version, &err);
	if (ret) {
		co_err("SET_IOEVENTFD: %s\n", err.msg);
		return ret;
	}
	if (e->device >= COLINUX_MAX_DEVICES || e->queue >= COLINUX_MAX_QUEUES)
		return -EINVAL;
	if (e->fd != -1) {
		ret = co_os_event_get(e->fd, &ev);
		if (ret)
			return ret;
	}
	slot = &vm->ioeventfd[e->device][e->queue];
	if (*slot)
		co_os_event_put(*slot);
	*slot = ev;
	return 0;
}

/*
 * COLINUX_OP_NOTIFY for a queue with an eventfd: keep it to signal once
 * interrupts are back on, and answer the guest.  false: for the daemon.
 */
static bool co_vm_ioeventfd(struct co_vm *vm, u64 device, u64 queue)
{
	if (device >= COLINUX_MAX_DEVICES || queue >= COLINUX_MAX_QUEUES ||
	    !vm->ioeventfd[device][queue]) {
		vm->stats.notify_exits++;
		return false;
	}
	vm->kick = vm->ioeventfd[device][queue];
	vm->stats.notify_signals++;
	return true;
}

/*
 * The host's extended-state registers: XCR0 and PKRU, which the guest's own
 * replace, and those the guest must leave as they are (struct co_xmsrs).
 */
struct co_host_xstate {
	u64 xcr0;
	u32 pkru;
	struct co_xmsrs xm;
};

/*
 * Load the guest's extended state (interrupts off).  The host's user state
 * was saved by co_os_fpu_begin(); the guest's comes from its own buffer
 * with plain XRSTOR under the guest's XCR0, or FXRSTOR without OSXSAVE.
 */
static void guest_fpu_load(struct co_vm *vm, struct co_host_xstate *host)
{
	if (!vm->xsave) {
		co_arch_fxrstor(vm->fpu);
		return;
	}
	host->xcr0 = co_arch_xgetbv(0);
	host->pkru = vm->pke ? co_arch_rdpkru() : 0;
	co_xmsrs_read(&host->xm, vm->xss, vm->xfd);
	if (vm->guest_xcr0 != host->xcr0)
		co_arch_xsetbv(0, vm->guest_xcr0);
	co_arch_xrstor(vm->fpu);
}

/*
 * Save the guest's extended state and give the host its XCR0 and PKRU.
 * The guest's kernel uses neither XSAVES nor XFD (it hides them from
 * itself), so the host's IA32_XSS and IA32_XFD stay in place while it runs
 * and must be found unchanged: a guest that changed one has it put back
 * and is stopped, as is one whose XCR0 breaks co_guest_xcr0_check(), before
 * any entry loads that XCR0 again.  The XSAVE itself is safe whatever the
 * guest's XCR0: the buffer has room for every component the CPU supports,
 * and XSAVE stores XFD-disabled tiles as initial without a fault.
 * Returns 0 or COLINUX_EXIT_HOST_STATE with @err saying why.
 */
static int guest_fpu_save(struct co_vm *vm, const struct co_host_xstate *host,
			  struct co_err *err)
{
	struct co_xmsrs now;
	const char *changed;

	if (!vm->xsave) {
		co_arch_fxsave(vm->fpu);
		return 0;
	}
	vm->guest_xcr0 = co_arch_xgetbv(0);
	co_arch_xsave(vm->fpu);
	if (vm->guest_xcr0 != host->xcr0)
		co_arch_xsetbv(0, host->xcr0);
	if (vm->pke)
		co_arch_wrpkru(host->pkru);
	co_xmsrs_read(&now, vm->xss, vm->xfd);
	changed = co_xmsrs_compare(&host->xm, &now);
	if (changed) {
		co_xmsrs_write(&host->xm, vm->xss, vm->xfd);
		return co_fail(err, COLINUX_EXIT_HOST_STATE,
			       "the guest changed the host's %s (put back)",
			       changed);
	}
	if (co_guest_xcr0_check(vm->guest_xcr0, host->xcr0, err))
		return COLINUX_EXIT_HOST_STATE;
	return 0;
}

/*
 * co_vm_enter() returns the COLINUX_EXIT_* that RUN reports, where
 * COLINUX_EXIT_NONE means that the driver handled the round trip and enters
 * again.  One result never leaves the driver: the guest waits for a virtual
 * IRQ and RUN sleeps.
 */
#define CO_EXIT_IDLE 0x100

/*
 * The guest's passage call, one case per operation as kvmtool's run loop
 * switches on the exit reason: the driver answers what it can (in the
 * guest's %rax) and enters again; the rest is for the daemon.
 */
static int co_vm_call(struct co_vm *vm, struct colinux_run *run)
{
	struct co_area *a = vm->area;
	const u64 *arg = a->call_arg;
	u64 *rax = &a->guest[CO_S_RAX];

	*rax = 0;
	switch (a->call_op) {
	case COLINUX_OP_NOP:
		vm->stats.nop_calls++;
		return COLINUX_EXIT_NONE;
	case COLINUX_OP_FORWARD:
		*rax = (u64)forward_vector(vm, arg[0]);
		return COLINUX_EXIT_NONE;
	case COLINUX_OP_WALLCLOCK:
		*rax = co_os_realtime_ns();
		return COLINUX_EXIT_NONE;
	case COLINUX_OP_TIMER:
		vm->stats.timer_calls++;
		co_vm_set_timer(vm, arg[0]);
		return COLINUX_EXIT_NONE;
	case COLINUX_OP_IDLE:
		vm->stats.idle_calls++;
		return CO_EXIT_IDLE;
	case COLINUX_OP_FAULT:
		run->fault.vector = arg[0];
		run->fault.error_code = arg[1];
		run->fault.rip = arg[2];
		run->fault.cr2 = arg[3];
		return COLINUX_EXIT_FAULT;
	case COLINUX_OP_NOTIFY:
		if (co_vm_ioeventfd(vm, arg[0], arg[1]))
			return COLINUX_EXIT_NONE;
		break;
	}
	run->call.op = a->call_op;
	memcpy(run->call.arg, arg, sizeof(run->call.arg));
	return COLINUX_EXIT_CALL;
}

/* This CPU can run the guest (interrupts off): 0, or -EBUSY and why. */
static int co_vm_host_ready(struct co_vm *vm, struct co_err *err)
{
	struct co_host_mode mode;

	co_host_mode_read(&mode);
	if (co_host_check(&mode, err))
		return -EBUSY;
	if ((mode.cr4 ^ vm->area->guest[CO_S_CR4]) & CO_CR4_LA57)
		return co_fail(err, -EBUSY,
			       "host and guest disagree on CR4.LA57");
	return 0;
}

/*
 * One round trip, host -> guest -> host, with interrupts off.  Everything
 * here is per entry: the thread may be on another CPU than last time.
 * Returns a COLINUX_EXIT_*, CO_EXIT_IDLE, or -EBUSY when this CPU can not
 * run the guest now; @err says why for -EBUSY and COLINUX_EXIT_HOST_STATE.
 */
static int co_vm_enter(struct co_vm *vm, struct colinux_run *run,
		       struct co_err *err)
{
	bool check = run->flags & COLINUX_RUN_CHECK_HOST;
	struct co_host_snap before, after;
	struct co_area *a = vm->area;
	struct co_host_xstate host;
	unsigned long flags, ret;
	const char *diff;
	bool debug, efer_changed;
	int reason, xstate;
	u32 pending;

	co_os_fpu_begin();
	flags = co_os_irq_save();
	reason = co_vm_host_ready(vm, err);
	if (reason)
		goto out;
	if (check)
		co_host_snapshot(&before, a->msr_list, a->nr_msrs, vm->xsave,
				 vm->pke, vm->xss, vm->xfd);
	debug = co_os_debug_disarm();
	guest_fpu_load(vm, &host);

	a->host[CO_S_RAX] = CO_SWITCH_OK;
	a->bailing = 0;
	a->turned = 0;
	vm->running_cpu = co_os_cpu();
	co_os_guest_enter();
	co_os_audit_mark(true);
	ret = co_switch_to_guest(a);
	co_os_exit_barrier();
	co_os_audit_mark(false);
	co_os_guest_exit();
	vm->running_cpu = -1;
	vm->stats.round_trips++;

	xstate = guest_fpu_save(vm, &host, err);
	/*
	 * The passage gave the host its EFER back first thing; a guest that
	 * changed its own is stopped, so that no entry ever loads it.
	 */
	efer_changed = a->guest[CO_S_EFER] != a->host[CO_S_EFER];
	if (debug)
		co_os_debug_rearm();
	/*
	 * An NMI, or a machine check that let it go on (RIPV), that hit the
	 * passage on the way in or out: the passage IDT only noted it.
	 */
	pending = a->pending;
	a->pending = 0;
	if (pending & CO_PENDING_NMI) {
		vm->stats.passage_nmis++;
		forward_vector(vm, CO_VEC_NMI);
	}
	if (pending & CO_PENDING_MC) {
		if (co_os_ratelimit())
			co_info("a machine check hit the passage; the guest goes on\n");
		forward_vector(vm, CO_VEC_MC);
	}
	if (ret != CO_SWITCH_OK) {
		/* A machine check in the passage is the host's all the same. */
		if (a->fault_vec == CO_VEC_MC)
			forward_vector(vm, CO_VEC_MC);
		run->fault.vector = a->fault_vec;
		run->fault.error_code = a->fault_err;
		run->fault.rip = a->fault_rip;
		run->fault.cr2 = a->fault_cr2;
		reason = COLINUX_EXIT_PASSAGE_FAULT;
		goto out;
	}
	/*
	 * Even a guest that dies now has its host interrupt forwarded.  An
	 * entry that turned back (an NMI or machine check on the way in) made
	 * no call, and the guest's pending return value stays as it is.
	 */
	reason = a->turned ? COLINUX_EXIT_NONE : co_vm_call(vm, run);
	if (efer_changed) {
		run->fault.vector = ~0ULL;
		reason = COLINUX_EXIT_FAULT;
	}
	if (xstate) {
		reason = xstate;
	} else if (check) {
		co_host_snapshot(&after, a->msr_list, a->nr_msrs, vm->xsave,
				 vm->pke, vm->xss, vm->xfd);
		vm->stats.host_state_checks++;
		diff = co_host_compare(&before, &after);
		if (diff)
			reason = co_fail(err, COLINUX_EXIT_HOST_STATE,
					 "host %s changed across a round trip",
					 diff);
	}
out:
	co_os_irq_restore(flags);
	co_os_fpu_end();
	if (vm->kick) {
		co_os_event_signal(vm->kick);
		vm->kick = NULL;
	}
	return reason;
}

/*
 * Enter the guest until it idles, needs the daemon, or a signal comes, with
 * a kill watched for from other CPUs all the while (co_os_notify_watch_start)
 * in case the guest spins with interrupts off.
 */
static int co_vm_busy(struct co_vm *vm, struct colinux_run *run,
		      struct co_err *err)
{
	int reason = COLINUX_EXIT_NONE;

	co_os_notify_watch_start(vm->notify);
	while (!co_os_signal_pending()) {
		co_os_cond_resched();
		reason = co_vm_enter(vm, run, err);
		if (reason != COLINUX_EXIT_NONE)
			break;
	}
	co_os_notify_watch_stop(vm->notify);
	return reason;
}

/*
 * Enter the guest until there is something for the daemon (a COLINUX_EXIT_*),
 * a signal (COLINUX_EXIT_NONE) or a refusal (-EBUSY).
 */
static int co_vm_loop(struct co_vm *vm, struct colinux_run *run,
		      struct co_err *err)
{
	int reason;

	for (;;) {
		reason = co_vm_busy(vm, run, err);
		if (reason != CO_EXIT_IDLE)
			return reason;
		/* Sleep, never spin: a signal ends RUN, as ever. */
		if (co_os_notify_wait(vm->notify, co_vm_virq_ready, vm))
			return COLINUX_EXIT_NONE;
	}
}

int co_vm_run(struct co_vm *vm, struct colinux_run *run)
{
	struct co_err err = { { 0 } };
	int reason;

	reason = abi_check(run->size, sizeof(*run), run->abi_version, &err);
	if (reason) {
		co_err("RUN: %s\n", err.msg);
		return reason;
	}
	if (!vm->setup_done || !vm->regs_set)
		return -EBADFD;
	if (vm->dead)
		return -ESRCH;
	if (vm->call_pending) {
		vm->area->guest[CO_S_RAX] = run->call_ret;
		vm->call_pending = false;
	}
	co_os_notify_bind(vm->notify);
	reason = run->immediate_exit ? COLINUX_EXIT_NONE :
				       co_vm_loop(vm, run, &err);
	memcpy(run->message, err.msg, sizeof(run->message));
	run->exit_reason = reason < 0 ? COLINUX_EXIT_NONE : reason;
	switch (reason) {
	case COLINUX_EXIT_CALL:
		vm->call_pending = true;
		break;
	case COLINUX_EXIT_FAULT:
		vm->dead = true;
		break;
	case COLINUX_EXIT_PASSAGE_FAULT:
		vm->dead = true;
		co_err("exception %llu (error %#llx) in the passage at %#llx, cr2 %#llx; guest stopped\n",
		       (unsigned long long)run->fault.vector,
		       (unsigned long long)run->fault.error_code,
		       (unsigned long long)run->fault.rip,
		       (unsigned long long)run->fault.cr2);
		break;
	case COLINUX_EXIT_HOST_STATE:
		vm->dead = true;
		co_err("%s\n", err.msg);
		break;
	case -EBUSY:
		co_err("RUN refused: %s\n", err.msg);
		break;
	}
	run->stats = vm->stats;
	return reason < 0 ? reason : 0;
}
