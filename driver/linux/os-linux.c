// SPDX-License-Identifier: GPL-2.0
/*
 * os-linux.c --- driver/core/os.h for the Linux host.
 *
 * Guest RAM comes from one of two places.  If the module was given a range
 * the host set aside at boot (reserved=SIZE@ADDR, matching the kernel's
 * memmap=SIZE$ADDR), blocks are carved from it first: deterministic, and
 * what the test VM uses.  Otherwise, and once the range is full, blocks are
 * taken from the page allocator with alloc_contig_range(), scanning each
 * zone for an aligned run of movable pages, as the kernel's own
 * alloc_contig_pages() (not exported) does.
 */
#define pr_fmt(fmt) "colinux: " fmt

#include <linux/context_tracking.h>
#include <linux/cpu.h>
#include <linux/eventfd.h>
#include <linux/gfp.h>
#include <linux/hrtimer.h>
#include <linux/hugetlb.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/math64.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <asm/apic.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/nmi.h>
#include <asm/nospec-branch.h>
#include <asm/tsc.h>

#include "../core/vm.h"
#include "../core/arch.h"
#include "os-linux.h"

static char *reserved;
module_param(reserved, charp, 0444);
MODULE_PARM_DESC(
	reserved,
	"SIZE@ADDR: physical range set aside with memmap=SIZE$ADDR for guest RAM");

static bool audit;
module_param(audit, bool, 0444);
MODULE_PARM_DESC(
	audit,
	"mark guest entry and exit with 32-bit writes to port 0xe0 (host-VM hardware audit)");

static bool allow_unreliable_tsc;
module_param(allow_unreliable_tsc, bool, 0444);
MODULE_PARM_DESC(
	allow_unreliable_tsc,
	"run guests on a TSC that is not constant and non-stop or that the kernel marked unstable (the guest's clock may drift or jump)");

enum { SOURCE_CONTIG = 1, SOURCE_RESERVED = 2 };

static DEFINE_MUTEX(co_global_lock);
static u64 res_start, res_size;
static unsigned long *res_used; /* one bit per MiB of the range */

#define RES_UNIT (1ULL << 20) /* the smallest guest RAM block */

/* The TSC and the host's monotonic clock when the module came up. */
static u64 base_tsc, base_ns;

/*
 * The range of reserved= must lie within the CPU's physical address space,
 * be disjoint from System RAM (memmap=SIZE$ADDR takes it out of System RAM;
 * a typo would hand live host pages to the guest) and be claimed by nobody
 * else.  Claims it for colinux until co_linux_os_exit().
 */
static int reserved_claim(void)
{
	u64 last;

	if (check_add_overflow(res_start, res_size - 1, &last) ||
	    last >> boot_cpu_data.x86_phys_bits) {
		pr_err("reserved=%s: beyond the %u-bit physical address space\n",
		       reserved, boot_cpu_data.x86_phys_bits);
		return -EINVAL;
	}
	if (region_intersects(res_start, res_size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("reserved=%s: %#llx-%#llx overlaps System RAM (set it aside with memmap=SIZE$ADDR first)\n",
		       reserved, res_start, last);
		return -EINVAL;
	}
	if (!request_mem_region(res_start, res_size, "colinux guest RAM")) {
		pr_err("reserved=%s: %#llx-%#llx is claimed by another driver (see /proc/iomem)\n",
		       reserved, res_start, last);
		return -EBUSY;
	}
	return 0;
}

static int reserved_init(void)
{
	char *p;
	int ret;

	if (!reserved || !*reserved)
		return 0;
	res_size = memparse(reserved, &p);
	if (*p != '@') {
		pr_err("reserved=%s: expected SIZE@ADDR\n", reserved);
		return -EINVAL;
	}
	res_start = memparse(p + 1, &p);
	if (!res_size || (res_start | res_size) & (RES_UNIT - 1)) {
		pr_err("reserved=%s: start and size must be multiples of 1 MiB\n",
		       reserved);
		return -EINVAL;
	}
	ret = reserved_claim();
	if (ret)
		return ret;
	res_used = bitmap_zalloc(res_size / RES_UNIT, GFP_KERNEL);
	if (!res_used) {
		release_mem_region(res_start, res_size);
		return -ENOMEM;
	}
	pr_info("guest RAM from the reserved range %#llx-%#llx first\n",
		res_start, res_start + res_size - 1);
	return 0;
}

static void reserved_exit(void)
{
	if (res_used)
		release_mem_region(res_start, res_size);
	bitmap_free(res_used);
}

/* Which CPUs a kill watch (below) has sent an NMI to, and not seen yet. */
static DEFINE_PER_CPU(bool, co_nmi_sent);

/*
 * Claim the NMIs that a kill watch sent, wherever they arrive (through the
 * guest's forwarding, the passage's, or straight in the host when the guest
 * had already left), so that the host does not report them as unknown.
 */
static int co_nmi(unsigned int type, struct pt_regs *regs)
{
	if (!this_cpu_read(co_nmi_sent))
		return NMI_DONE;
	this_cpu_write(co_nmi_sent, false);
	return NMI_HANDLED;
}

int co_linux_os_init(void)
{
	int ret;

	base_tsc = rdtsc_ordered();
	base_ns = ktime_get_ns();
	ret = reserved_init();
	if (ret)
		return ret;
	ret = register_nmi_handler(NMI_LOCAL, co_nmi, 0, "colinux");
	if (ret)
		reserved_exit();
	return ret;
}

void co_linux_os_exit(void)
{
	unregister_nmi_handler(NMI_LOCAL, "colinux");
	reserved_exit();
}

void *co_os_zalloc(size_t size)
{
	return vzalloc(size);
}

void co_os_free(void *p)
{
	vfree(p);
}

static int reserved_alloc(u64 size, struct co_os_block *b)
{
	unsigned long units = size / RES_UNIT, first, i;
	u64 start;

	if (!res_used)
		return -ENOMEM;
	mutex_lock(&co_global_lock);
	for (start = ALIGN(res_start, size);
	     start + size <= res_start + res_size; start += size) {
		first = (start - res_start) / RES_UNIT;
		if (find_next_bit(res_used, first + units, first) <
		    first + units)
			continue;
		for (i = 0; i < units; i++)
			set_bit(first + i, res_used);
		mutex_unlock(&co_global_lock);
		b->va = memremap(start, size, MEMREMAP_WB);
		if (!b->va) {
			mutex_lock(&co_global_lock);
			bitmap_clear(res_used, first, units);
			mutex_unlock(&co_global_lock);
			return -ENOMEM;
		}
		b->phys = start;
		b->size = size;
		b->source = SOURCE_RESERVED;
		return 0;
	}
	mutex_unlock(&co_global_lock);
	return -ENOMEM;
}

/* Every page of [pfn, pfn + nr) online, in zone, and not obviously pinned. */
static bool contig_candidate(struct zone *zone, unsigned long pfn,
			     unsigned long nr)
{
	unsigned long i;
	struct page *page;

	for (i = pfn; i < pfn + nr; i++) {
		page = pfn_to_online_page(i);
		if (!page || page_zone(page) != zone || PageReserved(page) ||
		    PageHuge(page))
			return false;
	}
	return true;
}

/*
 * Guest RAM from NORMAL, then DMA32 (left to the devices as long as there is
 * NORMAL memory), never from MOVABLE: pinned guest pages there would make
 * memory offlining fail.  The scan reschedules between candidates and ends
 * with -EINTR once the caller has a fatal signal.
 */
static int contig_alloc(u64 size, struct co_os_block *b)
{
	unsigned long nr = size >> PAGE_SHIFT, pfn;
	int nid, zid;

	for_each_online_node(nid)
	{
		for (zid = ZONE_NORMAL; zid > ZONE_DMA; zid--) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[zid];

			if (!populated_zone(zone))
				continue;
			for (pfn = ALIGN(zone->zone_start_pfn, nr);
			     zone_spans_pfn(zone, pfn + nr - 1); pfn += nr) {
				if (fatal_signal_pending(current))
					return -EINTR;
				cond_resched();
				if (!contig_candidate(zone, pfn, nr))
					continue;
				if (alloc_contig_range(
					    pfn, pfn + nr, MIGRATE_MOVABLE,
					    GFP_KERNEL | __GFP_NOWARN))
					continue;
				b->phys = PFN_PHYS(pfn);
				b->size = size;
				b->va = pfn_to_kaddr(pfn);
				b->source = SOURCE_CONTIG;
				return 0;
			}
		}
	}
	return -ENOMEM;
}

int co_os_block_alloc(u64 size, struct co_os_block *b)
{
	int ret = reserved_alloc(size, b);

	if (ret)
		ret = contig_alloc(size, b);
	if (ret)
		return ret;
	/* Guest RAM must not show the guest what the host kept there. */
	memset(b->va, 0, size);
	return 0;
}

void co_os_block_free(struct co_os_block *b)
{
	if (b->source == SOURCE_CONTIG) {
		free_contig_range(PHYS_PFN(b->phys), b->size >> PAGE_SHIFT);
	} else if (b->source == SOURCE_RESERVED) {
		memunmap(b->va);
		mutex_lock(&co_global_lock);
		bitmap_clear(res_used, (b->phys - res_start) / RES_UNIT,
			     b->size / RES_UNIT);
		mutex_unlock(&co_global_lock);
	}
	b->source = 0;
}

u64 co_os_host_ram(void)
{
	return (u64)totalram_pages() << PAGE_SHIFT;
}

u64 co_os_image_phys(const void *va)
{
	return PFN_PHYS(vmalloc_to_pfn(va));
}

void co_os_global_lock(void)
{
	mutex_lock(&co_global_lock);
}

void co_os_global_unlock(void)
{
	mutex_unlock(&co_global_lock);
}

unsigned long co_os_irq_save(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}

void co_os_irq_restore(unsigned long flags)
{
	local_irq_restore(flags);
}

void co_os_fpu_begin(void)
{
	kernel_fpu_begin();
}

void co_os_fpu_end(void)
{
	kernel_fpu_end();
}

void co_os_cond_resched(void)
{
	cond_resched();
}

bool co_os_signal_pending(void)
{
	return signal_pending(current);
}

int co_os_rdmsr_safe(u32 msr, u64 *val)
{
	return rdmsrl_safe(msr, val);
}

/*
 * The NMI entry that KVM uses for the same job: it runs on the current
 * stack instead of the NMI IST stack, which a real NMI arriving during
 * the handler could otherwise overwrite.  Exported when KVM_INTEL is a
 * module, as in Debian's kernel.
 */
extern void asm_exc_nmi_noist(void);

void co_os_forward_nmi(void)
{
	co_os_call_gate((unsigned long)asm_exc_nmi_noist);
}

bool co_os_mce_in_progress(void)
{
	u64 status;

	return boot_cpu_has(X86_FEATURE_MCE) &&
	       !rdmsrl_safe(MSR_IA32_MCG_STATUS, &status) &&
	       (status & MCG_STATUS_MCIP);
}

/*
 * KVM's kvm_machine_check(): the host's handler on a frame that claims ring
 * 3 with interrupts on, whatever the guest ran, so that an error the guest
 * met is the daemon's (a signal for it at worst), never a host kernel panic
 * for an error "in kernel mode".
 */
void co_os_forward_mce(void)
{
	struct pt_regs regs = {
		.cs = 3,
		.flags = X86_EFLAGS_IF,
	};

	do_machine_check(&regs);
}

/* The module's init made sure that there is a local APIC. */
bool co_os_apic_in_service(unsigned int vector)
{
	int i;
	u32 isr;

	for (i = 7; i >= 0; i--) {
		isr = apic->read(APIC_ISR + i * 0x10);
		if (isr)
			return vector == i * 32 + fls(isr) - 1;
	}
	return false;
}

bool co_os_apic_isr_clean(void)
{
	int i;

	for (i = 0; i < 8; i++)
		if (apic->read(APIC_ISR + i * 0x10))
			return false;
	return true;
}

bool co_os_ratelimit(void)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 3);

	return __ratelimit(&rs);
}

/* KVM's guest_context_enter_irqoff() and _exit_irqoff(), without KVM. */
void co_os_guest_enter(void)
{
	if (!context_tracking_guest_enter())
		rcu_virt_note_context_switch(smp_processor_id());
}

void co_os_guest_exit(void)
{
	context_tracking_guest_exit();
}

bool co_os_clear_buffers(void)
{
#ifdef X86_FEATURE_CLEAR_CPU_BUF_VM
	if (boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF_VM))
		return true;
#endif
#ifdef X86_FEATURE_CLEAR_CPU_BUF
	return boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF);
#else
	/* Kernels from before the feature bit: VERW is the MDS mitigation. */
	return boot_cpu_has(X86_FEATURE_MD_CLEAR) &&
	       boot_cpu_has_bug(X86_BUG_MDS) && !cpu_mitigations_off();
#endif
}

/* An IBPB when the host uses it: the helper's own condition, USE_IBPB. */
void co_os_exit_barrier(void)
{
	indirect_branch_prediction_barrier();
}

void co_linux_say_barriers(void)
{
	pr_info("around the guest: CPU buffers cleared before entry: %s; IBPB after exit: %s; return stack refilled after exit: always\n",
		co_os_clear_buffers() ? "yes" : "no (the host does not)",
		boot_cpu_has(X86_FEATURE_USE_IBPB) ?
			"yes" :
			"no (the host does not use it)");
}

bool co_os_debug_disarm(void)
{
	if (!hw_breakpoint_active())
		return false;
	set_debugreg(0, 7);
	return true;
}

void co_os_debug_rearm(void)
{
	hw_breakpoint_restore();
}

/*
 * The guest keeps time by the TSC at the frequency we give it, so give the
 * TSC's rate against the host's own clock, measured over the time since the
 * module was loaded: the boot-time calibration behind tsc_khz can be off by
 * percents (in a VM it always is).  Until a second has passed, or if the
 * two disagree by more than 10% (a TSC that stopped or jumped), tsc_khz.
 */
u64 co_os_tsc_khz(void)
{
	u64 ns = ktime_get_ns() - base_ns, tsc = rdtsc_ordered() - base_tsc;
	u64 khz;

	if (ns < NSEC_PER_SEC)
		return tsc_khz;
	khz = mul_u64_u64_div_u64(tsc, NSEC_PER_MSEC, ns);
	if (khz < tsc_khz - tsc_khz / 10 || khz > tsc_khz + tsc_khz / 10)
		return tsc_khz;
	return khz;
}

int co_os_tsc_check(struct co_err *err)
{
	struct co_host_tsc t = {
		.constant = boot_cpu_has(X86_FEATURE_CONSTANT_TSC),
		.nonstop = boot_cpu_has(X86_FEATURE_NONSTOP_TSC),
		.unstable = check_tsc_unstable(),
		.hypervisor = boot_cpu_has(X86_FEATURE_HYPERVISOR),
	};

	return co_host_tsc_check(&t, allow_unreliable_tsc, err);
}

u64 co_os_realtime_ns(void)
{
	return ktime_get_real_ns();
}

struct co_os_timer {
	struct hrtimer hrtimer;
	void (*fn)(void *arg);
	void *arg;
};

static enum hrtimer_restart co_timer_fn(struct hrtimer *h)
{
	struct co_os_timer *t = container_of(h, struct co_os_timer, hrtimer);

	t->fn(t->arg);
	return HRTIMER_NORESTART;
}

struct co_os_timer *co_os_timer_create(void (*fn)(void *), void *arg)
{
	struct co_os_timer *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	/* Hard interrupt context even on PREEMPT_RT: it only sets a bit. */
	hrtimer_init(&t->hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	t->hrtimer.function = co_timer_fn;
	t->fn = fn;
	t->arg = arg;
	return t;
}

void co_os_timer_start(struct co_os_timer *t, u64 ns)
{
	hrtimer_start(&t->hrtimer, ns_to_ktime(ns), HRTIMER_MODE_REL_HARD);
}

void co_os_timer_cancel(struct co_os_timer *t)
{
	hrtimer_cancel(&t->hrtimer);
}

void co_os_timer_destroy(struct co_os_timer *t)
{
	hrtimer_cancel(&t->hrtimer);
	kfree(t);
}

/*
 * The guest's thread is interrupted with kick_process(), a reschedule IPI
 * to the CPU it runs on: the guest forwards it like any host interrupt.
 * (irq_work_queue_on() would do, but 6.1 does not export it.)
 *
 * A kill is watched for by two timers on two different CPUs while the guest
 * runs: the guest runs on one CPU at a time, so at least one of them fires
 * even if the guest spins there with interrupts off, and the one that fires
 * sends that CPU an NMI.  Each timer stays on its CPU (if a CPU goes offline
 * its timer moves to another one, perhaps the other timer's: the watch then
 * works as long as the guest is not on that one).  A host with one CPU has
 * no second CPU to watch from, nor to send the kill from.
 */
#define CO_WATCH_PERIOD (HZ / 10)

struct co_watch {
	struct timer_list timer;
	struct co_os_notify *n;
};

struct co_os_notify {
	wait_queue_head_t wq;
	spinlock_t lock; /* guards task */
	struct task_struct *task; /* the thread that last called RUN */
	struct co_watch watch[2];
	bool watching; /* between watch_start() and watch_stop() */
	const volatile int *cpu; /* the guest's CPU, -1 between entries */
	u64 *nmis; /* NMIs sent */
};

static void co_watch_fn(struct timer_list *t)
{
	struct co_watch *w = from_timer(w, t, timer);
	struct co_os_notify *n = w->n;
	int cpu = *n->cpu;

	if (!READ_ONCE(n->watching))
		return;
	if (cpu >= 0 && fatal_signal_pending(n->task)) {
		WRITE_ONCE(per_cpu(co_nmi_sent, cpu), true);
		apic->send_IPI(cpu, NMI_VECTOR);
		(*n->nmis)++;
	}
	w->timer.expires = jiffies + CO_WATCH_PERIOD;
	add_timer_on(&w->timer, smp_processor_id());
}

struct co_os_notify *co_os_notify_create(const volatile int *cpu, u64 *nmis)
{
	struct co_os_notify *n = kzalloc(sizeof(*n), GFP_KERNEL);
	int i;

	if (!n)
		return NULL;
	init_waitqueue_head(&n->wq);
	spin_lock_init(&n->lock);
	for (i = 0; i < 2; i++) {
		timer_setup(&n->watch[i].timer, co_watch_fn, 0);
		n->watch[i].n = n;
	}
	n->cpu = cpu;
	n->nmis = nmis;
	return n;
}

void co_os_notify_destroy(struct co_os_notify *n)
{
	if (n->task)
		put_task_struct(n->task);
	kfree(n);
}

void co_os_notify_watch_start(struct co_os_notify *n)
{
	unsigned int first = raw_smp_processor_id();
	unsigned int second = cpumask_any_but(cpu_online_mask, first);

	if (second >= nr_cpu_ids)
		return;
	WRITE_ONCE(n->watching, true);
	n->watch[0].timer.expires = jiffies + CO_WATCH_PERIOD;
	add_timer_on(&n->watch[0].timer, first);
	n->watch[1].timer.expires = jiffies + CO_WATCH_PERIOD;
	add_timer_on(&n->watch[1].timer, second);
}

/* del_timer_sync() also removes what a callback re-armed meanwhile. */
void co_os_notify_watch_stop(struct co_os_notify *n)
{
	WRITE_ONCE(n->watching, false);
	del_timer_sync(&n->watch[0].timer);
	del_timer_sync(&n->watch[1].timer);
}

void co_os_notify_bind(struct co_os_notify *n)
{
	struct task_struct *old;
	unsigned long flags;

	if (n->task == current)
		return;
	get_task_struct(current);
	spin_lock_irqsave(&n->lock, flags);
	old = n->task;
	n->task = current;
	spin_unlock_irqrestore(&n->lock, flags);
	if (old)
		put_task_struct(old);
}

int co_os_notify_wait(struct co_os_notify *n, bool (*ready)(void *), void *arg)
{
	return wait_event_interruptible(n->wq, ready(arg)) ? -EINTR : 0;
}

void co_os_notify_kick(struct co_os_notify *n, int cpu)
{
	unsigned long flags;

	wake_up(&n->wq);
	if (cpu < 0)
		return;
	spin_lock_irqsave(&n->lock, flags);
	if (n->task)
		kick_process(n->task);
	spin_unlock_irqrestore(&n->lock, flags);
}

int co_os_cpu(void)
{
	return smp_processor_id();
}

/* struct co_os_event is the eventfd's own context, never dereferenced. */
int co_os_event_get(int fd, struct co_os_event **ev)
{
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(fd);

	if (IS_ERR(ctx))
		return -EBADF;
	*ev = (struct co_os_event *)ctx;
	return 0;
}

void co_os_event_signal(struct co_os_event *ev)
{
	eventfd_signal((struct eventfd_ctx *)ev, 1);
}

void co_os_event_put(struct co_os_event *ev)
{
	eventfd_ctx_put((struct eventfd_ctx *)ev);
}

/* A port no PC device decodes, written 32 bits wide. */
#define CO_AUDIT_PORT 0xe0 /* no device there: QEMU traces it whole */
#define CO_AUDIT_ENTER 0xc0c0c001
#define CO_AUDIT_EXIT 0xc0c0c000

void co_os_audit_mark(bool enter)
{
	if (audit)
		outl(enter ? CO_AUDIT_ENTER : CO_AUDIT_EXIT, CO_AUDIT_PORT);
}

void co_os_log(int level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (level <= CO_LOG_ERR)
		pr_err("%pV", &vaf);
	else if (level == CO_LOG_WARN)
		pr_warn("%pV", &vaf);
	else
		pr_info("%pV", &vaf);
	va_end(args);
}
