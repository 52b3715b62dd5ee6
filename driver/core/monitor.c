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

	vm->timer_virqs++;
	co_vm_raise(vm, CO_VIRQ(COLINUX_VIRQ_TIMER));
}

struct co_vm *co_vm_create(int *err)
{
	struct co_vm *vm = co_os_zalloc(sizeof(*vm));

	*err = -ENOMEM;
	if (!vm)
		return NULL;
	vm->running_cpu = -1;
	vm->notify = co_os_notify_create();
	if (!vm->notify)
		goto out_free_vm;
	vm->timer = co_os_timer_create(co_vm_timer_fire, vm);
	if (!vm->timer)
		goto out_destroy_notify;
	vm->area = co_passage_claim(&vm->slot);
	if (!vm->area) {
		co_err("all %d guest slots are in use\n", CO_MAX_SLOTS);
		*err = -EBUSY;
		goto out_destroy_timer;
	}
	return vm;

out_destroy_timer:
	co_os_timer_destroy(vm->timer);
out_destroy_notify:
	co_os_notify_destroy(vm->notify);
out_free_vm:
	co_os_free(vm);
	return NULL;
}

void co_vm_destroy(struct co_vm *vm)
{
	/* Nothing may touch the shared page once guest RAM is gone. */
	co_os_timer_destroy(vm->timer);
	co_os_notify_destroy(vm->notify);
	if (vm->fpu)
		co_os_free(vm->fpu);
	co_mem_free(vm);
	co_passage_release(vm->slot);
	co_os_free(vm);
}

static bool abi_ok(u32 size, u32 want, u32 version, char *msg, size_t len)
{
	if (version != COLINUX_ABI_VERSION) {
		snprintf(
			msg, len,
			"ABI version mismatch: caller speaks %u, driver speaks %u",
			version, COLINUX_ABI_VERSION);
		return false;
	}
	if (size != want) {
		snprintf(msg, len,
			 "ABI mismatch: struct size %u, driver expects %u",
			 size, want);
		return false;
	}
	return true;
}

/* The shared page: the last page of the loader area. */
static int shared_init(struct co_vm *vm, char *msg, size_t len)
{
	struct colinux_shared *sh;

	vm->tsc_khz = co_os_tsc_khz();
	if (!vm->tsc_khz) {
		snprintf(msg, len, "the host's TSC frequency is unknown");
		return -EOPNOTSUPP;
	}
	vm->shared_pa = vm->blocks[0].phys + COLINUX_LOADER_SIZE - 4096;
	sh = co_mem_va(vm, vm->shared_pa, 4096);
	sh->size = sizeof(*sh);
	sh->abi_version = COLINUX_GUEST_ABI_VERSION;
	sh->pending_virqs = 0;
	vm->pending = &sh->pending_virqs;
	return 0;
}

int co_vm_setup(struct co_vm *vm, struct colinux_setup *s)
{
	char *msg = (char *)s->message;
	size_t len = sizeof(s->message);
	struct co_host_mode mode;
	unsigned int i;
	int ret;

	memset(s->message, 0, sizeof(s->message));
	if (!abi_ok(s->size, sizeof(*s), s->abi_version, msg, len))
		return -EPROTO;
	if (vm->setup_done) {
		snprintf(msg, len, "SETUP was already done on this file");
		return -EEXIST;
	}
	if (s->flags) {
		snprintf(msg, len, "unknown SETUP flags %#llx",
			 (unsigned long long)s->flags);
		return -EINVAL;
	}
	co_host_mode_read(&mode);
	ret = co_host_check(&mode, msg, len);
	if (ret)
		return ret;
	ret = co_mem_alloc(vm, s->mem_size, msg, len);
	if (ret)
		return ret;
	ret = co_loader_build(vm, msg, len);
	if (ret)
		goto out_free_mem;
	ret = co_passage_prepare(vm, msg, len);
	if (ret)
		goto out_free_mem;
	ret = co_passage_maps(vm, msg, len);
	if (ret)
		goto out_free_mem;
	ret = shared_init(vm, msg, len);
	if (ret)
		goto out_free_mem;

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
	snprintf(msg, len, "%llu MiB in %u block(s) at %#llx, %u-level paging",
		 (unsigned long long)(vm->mem_size >> 20), vm->nr_blocks,
		 (unsigned long long)vm->blocks[0].phys, vm->levels);
	/* RAISE_VIRQ reads setup_done without the lock: publish it last. */
	asm volatile("" : : : "memory");
	vm->setup_done = true;
	return 0;

out_free_mem:
	co_mem_free(vm);
	return ret;
}

/*
 * The guest's first entry is an ordinary return from the passage: build
 * the frame a switch would have left on the guest's stack.
 */
int co_vm_set_regs(struct co_vm *vm, const struct colinux_regs *r)
{
	char msg[COLINUX_MESSAGE_SIZE];
	u64 *f;

	if (!abi_ok(r->size, sizeof(*r), r->abi_version, msg, sizeof(msg))) {
		co_err("SET_REGS: %s\n", msg);
		return -EPROTO;
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

/* Run the host's handler for a vector the guest IDT accepted for it. */
static void forward_vector(struct co_vm *vm, u64 vector)
{
	const u8 *idt, *gate;
	u64 handler, base;

	if (vector == 2) {
		vm->forwarded_nmis++;
		co_os_forward_nmi();
		return;
	}
	memcpy(&base, (u8 *)&vm->area->host[CO_S_IDTR] + 2, 8);
	idt = (const u8 *)(unsigned long)base;
	gate = idt + vector * 16;
	handler = gate[0] | (u64)gate[1] << 8 | (u64)gate[6] << 16 |
		  (u64)gate[7] << 24 | (u64) * (const u32 *)(gate + 8) << 32;
	vm->forwarded_irqs++;
	co_arch_call_gate(handler);
	if (!co_os_apic_isr_clean())
		vm->apic_isr_dirty++;
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
		vm->timer_virqs++;
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
	char msg[COLINUX_MESSAGE_SIZE];

	if (!abi_ok(v->size, sizeof(*v), v->abi_version, msg, sizeof(msg))) {
		co_err("RAISE_VIRQ: %s\n", msg);
		return -EPROTO;
	}
	if (!vm->setup_done)
		return -EBADFD;
	if (!v->virqs)
		return -EINVAL;
	vm->raised_virqs++;
	co_vm_raise(vm, v->virqs);
	return 0;
}

enum co_step {
	CO_STEP_AGAIN, /* handled in the driver: enter again */
	CO_STEP_IDLE, /* the guest waits for a virtual IRQ */
	CO_STEP_CALL, /* a call for the daemon */
	CO_STEP_FAULT, /* the guest died of an exception */
	CO_STEP_PASSAGE_FAULT, /* the passage itself faulted */
	CO_STEP_HOST_STATE, /* CHECK_HOST found a difference */
	CO_STEP_REFUSED, /* the host CPU can not run the guest now */
};

/*
 * One round trip, host -> guest -> host, with interrupts off.  Everything
 * here is per entry: the thread may be on another CPU than last time.
 */
static enum co_step co_vm_enter(struct co_vm *vm, struct colinux_run *run)
{
	struct co_area *a = vm->area;
	struct co_host_snap before, after;
	struct co_host_mode mode;
	enum co_step step = CO_STEP_AGAIN;
	unsigned long flags, ret;
	bool check = run->flags & COLINUX_RUN_CHECK_HOST;
	bool debug;
	u64 host_xcr0 = 0, efer, op;
	u32 host_pkru = 0;
	const char *diff;

	co_os_fpu_begin();
	flags = co_os_irq_save();

	co_host_mode_read(&mode);
	if (co_host_check(&mode, (char *)run->message, sizeof(run->message)) ||
	    (mode.cr4 ^ a->guest[CO_S_CR4]) & CO_CR4_LA57) {
		if (!run->message[0])
			snprintf((char *)run->message, sizeof(run->message),
				 "host and guest disagree on CR4.LA57");
		step = CO_STEP_REFUSED;
		goto out;
	}
	if (check)
		co_host_snapshot(&before, a->msr_list, a->nr_msrs, vm->xsave,
				 vm->pke);
	debug = co_os_debug_disarm();

	/*
	 * Extended state: the host's user state was saved by
	 * co_os_fpu_begin(); now load the guest's, under the guest's XCR0,
	 * with plain XRSTOR from this guest's own buffer.
	 */
	if (vm->xsave) {
		host_xcr0 = co_arch_xgetbv(0);
		if (vm->pke)
			host_pkru = co_arch_rdpkru();
		if (vm->guest_xcr0 != host_xcr0)
			co_arch_xsetbv(0, vm->guest_xcr0);
		co_arch_xrstor(vm->fpu);
	} else {
		co_arch_fxrstor(vm->fpu);
	}

	a->host[CO_S_RAX] = CO_SWITCH_OK;
	a->bailing = 0;
	vm->running_cpu = co_os_cpu();
	co_os_guest_enter();
	co_os_audit_mark(true);
	ret = co_switch_to_guest(a);
	co_os_audit_mark(false);
	co_os_guest_exit();
	vm->running_cpu = -1;
	vm->round_trips++;

	if (vm->xsave) {
		vm->guest_xcr0 = co_arch_xgetbv(0);
		co_arch_xsave(vm->fpu);
		if (vm->guest_xcr0 != host_xcr0)
			co_arch_xsetbv(0, host_xcr0);
		if (vm->pke)
			co_arch_wrpkru(host_pkru);
	} else {
		co_arch_fxsave(vm->fpu);
	}
	/* The passage never writes EFER; a guest that did is killed. */
	efer = co_arch_rdmsr(CO_MSR_EFER);
	if (efer != vm->efer) {
		co_arch_wrmsr(CO_MSR_EFER, vm->efer);
		run->fault.vector = ~0ULL;
		step = CO_STEP_FAULT;
	}
	if (debug)
		co_os_debug_rearm();

	/* An NMI that hit the passage on the way out. */
	if (a->nmi_pending) {
		a->nmi_pending = 0;
		vm->passage_nmis++;
		forward_vector(vm, 2);
	}
	if (ret != CO_SWITCH_OK) {
		run->fault.vector = a->fault_vec;
		run->fault.error_code = a->fault_err;
		run->fault.rip = a->fault_rip;
		run->fault.cr2 = a->fault_cr2;
		step = CO_STEP_PASSAGE_FAULT;
		goto out;
	}
	op = a->call_op;
	a->guest[CO_S_RAX] = 0;
	if (op == COLINUX_OP_NOP) {
		vm->nop_calls++;
	} else if (op == COLINUX_OP_FORWARD) {
		u64 v = a->call_arg[0];

		if (v == 2 || (v >= 32 && v <= 255 && v != 0x80))
			forward_vector(vm, v);
		else
			a->guest[CO_S_RAX] = (u64)-EINVAL;
	} else if (op == COLINUX_OP_TIMER) {
		vm->timer_calls++;
		co_vm_set_timer(vm, a->call_arg[0]);
	} else if (op == COLINUX_OP_IDLE && step == CO_STEP_AGAIN) {
		vm->idle_calls++;
		step = CO_STEP_IDLE;
	} else if (op == COLINUX_OP_FAULT) {
		run->fault.vector = a->call_arg[0];
		run->fault.error_code = a->call_arg[1];
		run->fault.rip = a->call_arg[2];
		run->fault.cr2 = a->call_arg[3];
		step = CO_STEP_FAULT;
	} else if (step == CO_STEP_AGAIN) {
		run->call.op = op;
		memcpy(run->call.arg, a->call_arg, sizeof(run->call.arg));
		step = CO_STEP_CALL;
	}
	if (check) {
		co_host_snapshot(&after, a->msr_list, a->nr_msrs, vm->xsave,
				 vm->pke);
		vm->host_state_checks++;
		diff = co_host_compare(&before, &after);
		if (diff) {
			snprintf((char *)run->message, sizeof(run->message),
				 "host %s changed across a round trip", diff);
			step = CO_STEP_HOST_STATE;
		}
	}
out:
	co_os_irq_restore(flags);
	co_os_fpu_end();
	return step;
}

int co_vm_run(struct co_vm *vm, struct colinux_run *run)
{
	char msg[COLINUX_MESSAGE_SIZE];
	enum co_step step = CO_STEP_AGAIN;

	if (!abi_ok(run->size, sizeof(*run), run->abi_version, msg,
		    sizeof(msg))) {
		co_err("RUN: %s\n", msg);
		return -EPROTO;
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
	memset(run->message, 0, sizeof(run->message));
	run->exit_reason = COLINUX_EXIT_NONE;
	for (;;) {
		if (co_os_signal_pending())
			break;
		co_os_cond_resched();
		step = co_vm_enter(vm, run);
		if (step == CO_STEP_AGAIN)
			continue;
		if (step == CO_STEP_IDLE) {
			/* Sleep, never spin: a signal ends RUN, as ever. */
			if (co_os_notify_wait(vm->notify, co_vm_virq_ready, vm))
				break;
			continue;
		}
		if (step == CO_STEP_CALL) {
			run->exit_reason = COLINUX_EXIT_CALL;
			vm->call_pending = true;
		} else if (step == CO_STEP_FAULT) {
			run->exit_reason = COLINUX_EXIT_FAULT;
			vm->dead = true;
		} else if (step == CO_STEP_PASSAGE_FAULT) {
			run->exit_reason = COLINUX_EXIT_PASSAGE_FAULT;
			vm->dead = true;
			co_err("exception %llu (error %#llx) in the passage at %#llx, cr2 %#llx; guest stopped\n",
			       (unsigned long long)run->fault.vector,
			       (unsigned long long)run->fault.error_code,
			       (unsigned long long)run->fault.rip,
			       (unsigned long long)run->fault.cr2);
		} else if (step == CO_STEP_HOST_STATE) {
			run->exit_reason = COLINUX_EXIT_HOST_STATE;
			vm->dead = true;
			co_err("%s\n", (char *)run->message);
		} else {
			co_err("RUN refused: %s\n", (char *)run->message);
			break;
		}
		break;
	}
	run->round_trips = vm->round_trips;
	run->nop_calls = vm->nop_calls;
	run->forwarded_irqs = vm->forwarded_irqs;
	run->forwarded_nmis = vm->forwarded_nmis;
	run->passage_nmis = vm->passage_nmis;
	run->apic_isr_dirty = vm->apic_isr_dirty;
	run->host_state_checks = vm->host_state_checks;
	run->timer_calls = vm->timer_calls;
	run->idle_calls = vm->idle_calls;
	run->timer_virqs = vm->timer_virqs;
	run->raised_virqs = vm->raised_virqs;
	return step == CO_STEP_REFUSED ? -EBUSY : 0;
}
