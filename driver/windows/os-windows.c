// SPDX-License-Identifier: GPL-2.0
/*
 * os-windows.c --- driver/core/os.h for the Windows host (colinux.sys).
 *
 * The NT kernel's own interfaces where it has one (contiguous memory,
 * timers and DPCs, events, the extended processor state, NMI callbacks),
 * the CPU itself where it has none (the local APIC's in-service bits, the
 * host's IDT gates, the kill NMI through the APIC's ICR).  Everything that
 * needs a privileged instruction or an export that Wine's ntoskrnl lacks
 * waits until the first RUN (co_win_os_ready()): DriverEntry, CREATE,
 * CLOSE and SETUP's argument checks run in Wine's user-mode winedevice,
 * where tests/win loads this driver.
 */
#include <ntddk.h>

#include "../core/vm.h"
#include "../core/arch.h"
#include "os-windows.h"

#define CO_TAG 0x6e4c6f43 /* "CoLn" in a pool dump */
#define CO_PAGE 4096ULL

#define CO_MSR_APIC_BASE 0x1b
#define CO_APIC_BASE_EXTD (1ULL << 10) /* x2APIC mode */
#define CO_MCG_STATUS_MCIP (1ULL << 2)
#define CO_MSR_PRED_CMD 0x49
#define CO_X2APIC_ISR 0x810 /* eight MSRs, 32 vectors each */
#define CO_X2APIC_ICR 0x830
#define CO_XAPIC_ISR 0x100 /* eight registers, 0x10 apart */
#define CO_XAPIC_ICR_LOW 0x300
#define CO_XAPIC_ICR_HIGH 0x310
#define CO_ICR_NMI 0x4400 /* delivery mode NMI, level assert */
#define CO_XSTATE_LEGACY 3ULL /* x87 and SSE (MinGW's mask is MSVC's 3i64) */

/* In ntoskrnl.exe, in no header of MinGW's DDK that ntddk.h includes. */
BOOLEAN NTAPI PsIsThreadTerminating(PETHREAD thread);
int __cdecl _vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* What CPUID says of the host, read once by co_win_os_init(). */
struct co_cpu_caps {
	bool sep, pat, mce, mca, apic, md_clear, ibpb, spec_ctrl, tsc_aux;
	bool invariant_tsc, hypervisor, osxsave;
};

/* Per logical processor, indexed by KeGetCurrentProcessorNumberEx(). */
struct co_percpu {
	XSTATE_SAVE xsave; /* the host's state, co_os_fpu_begin() */
	NTSTATUS xsave_status;
	KIRQL irql; /* before co_os_fpu_begin() raised it */
	u64 dr7; /* host breakpoints, co_os_debug_disarm() */
	u32 apic_id; /* the APIC ID, for the kill NMI */
	volatile LONG nmi_sent; /* a kill NMI on its way here */
};

/*
 * The driver's global state (one host, one driver): set up by
 * co_win_os_init() and co_win_os_ready(), read everywhere.
 */
static struct {
	FAST_MUTEX lock; /* co_os_global_lock() */
	struct co_cpu_caps caps;
	struct co_percpu *cpus;
	ULONG nr_cpus;
	u64 base_tsc, base_qpc, qpc_hz; /* co_os_tsc_khz()'s measure */
	u64 cpuid_khz;
	bool ready; /* co_win_os_ready() done */
	bool x2apic;
	volatile u8 *xapic; /* the local APIC's page, xAPIC mode */
	PVOID nmi_handle;
} co_win;

static KEVENT co_never; /* co_os_signal_pending() waits for it: never set */

static void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	co_arch_cpuid(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
}

static void caps_read(struct co_cpu_caps *c)
{
	u32 r[4], max, ext;

	cpuid(0, 0, r);
	max = r[0];
	cpuid(0x80000000, 0, r);
	ext = r[0];
	cpuid(1, 0, r);
	c->sep = r[3] & (1U << 11);
	c->pat = r[3] & (1U << 16);
	c->mce = r[3] & (1U << 7);
	c->mca = r[3] & (1U << 14);
	c->apic = r[3] & (1U << 9);
	c->osxsave = r[2] & (1U << 27);
	c->hypervisor = r[2] & (1U << 31);
	if (max >= 7) {
		cpuid(7, 0, r);
		c->md_clear = r[3] & (1U << 10);
		c->spec_ctrl = r[3] & (1U << 26 | 1U << 27 | 1U << 31);
		c->ibpb = r[3] & (1U << 26);
		c->tsc_aux = r[2] & (1U << 22); /* RDPID */
	}
	if (ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		c->tsc_aux |= !!(r[3] & (1U << 27)); /* RDTSCP */
	}
	if (ext >= 0x80000007) {
		cpuid(0x80000007, 0, r);
		c->invariant_tsc = r[3] & (1U << 8);
	}
	if (ext >= 0x80000008) {
		cpuid(0x80000008, 0, r);
		c->ibpb |= !!(r[1] & (1U << 12));
		c->spec_ctrl |= !!(r[1] & (1U << 14 | 1U << 15 | 1U << 24));
	}
}

/*
 * The TSC's rate from CPUID where the CPU states it: leaf 0x15 (crystal
 * and ratio), else leaf 0x16 (base MHz, rounded).  0 when neither does.
 */
static u64 cpuid_tsc_khz(void)
{
	u32 r[4], max;

	cpuid(0, 0, r);
	max = r[0];
	if (max >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			return (u64)r[2] * r[1] / r[0] / 1000;
	}
	if (max >= 0x16) {
		cpuid(0x16, 0, r);
		if (r[0] & 0xffff)
			return (u64)(r[0] & 0xffff) * 1000;
	}
	return 0;
}

int co_win_os_init(void)
{
	ULONG i;

	ExInitializeFastMutex(&co_win.lock);
	KeInitializeEvent(&co_never, NotificationEvent, FALSE);
	caps_read(&co_win.caps);
	co_win.cpuid_khz = cpuid_tsc_khz();
	co_win.nr_cpus = KeQueryMaximumProcessorCountEx(ALL_PROCESSOR_GROUPS);
	co_win.cpus = co_os_zalloc(co_win.nr_cpus * sizeof(*co_win.cpus));
	if (!co_win.cpus)
		return -ENOMEM;
	for (i = 0; i < co_win.nr_cpus; i++)
		co_win.cpus[i].xsave_status = STATUS_UNSUCCESSFUL;
	return 0;
}

void co_win_os_exit(void)
{
	if (co_win.nmi_handle)
		KeDeregisterNmiCallback(co_win.nmi_handle);
	if (co_win.xapic)
		MmUnmapIoSpace((PVOID)co_win.xapic, CO_PAGE);
	co_os_free(co_win.cpus);
}

/*
 * Claim the NMIs that a kill watch sent, wherever they arrive (through
 * the guest's forwarding, the passage's, or straight in the host when the
 * guest had already left): Windows stops the machine for an NMI that no
 * callback claims.
 */
static BOOLEAN co_nmi(PVOID context, BOOLEAN handled)
{
	ULONG cpu = KeGetCurrentProcessorNumberEx(NULL);

	if (cpu >= co_win.nr_cpus)
		return FALSE;
	return InterlockedExchange(&co_win.cpus[cpu].nmi_sent, 0) != 0;
}

/*
 * What needs ring 0 for real, once, at the first RUN (PASSIVE_LEVEL,
 * under the caller's per-guest lock): the local APIC's mode and, in xAPIC
 * mode, its page mapped; the NMI callback (an export Wine lacks).
 */
int co_win_os_ready(void)
{
	PHYSICAL_ADDRESS pa;
	u64 base;
	int ret = 0;

	ExAcquireFastMutex(&co_win.lock);
	if (co_win.ready)
		goto out_unlock;
	base = co_arch_rdmsr(CO_MSR_APIC_BASE);
	co_win.x2apic = base & CO_APIC_BASE_EXTD;
	if (!co_win.x2apic) {
		pa.QuadPart = base & ~0xfffULL & ((1ULL << 52) - 1);
		co_win.xapic = MmMapIoSpace(pa, CO_PAGE, MmNonCached);
		if (!co_win.xapic) {
			ret = -ENOMEM;
			goto out_unlock;
		}
	}
	co_win.nmi_handle = KeRegisterNmiCallback(co_nmi, NULL);
	if (!co_win.nmi_handle) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	co_win.ready = true;
out_unlock:
	ExReleaseFastMutex(&co_win.lock);
	return ret;
}

bool co_win_has_apic(void)
{
	return co_win.caps.apic;
}

bool co_win_hypervisor(void)
{
	return co_win.caps.hypervisor;
}

/* Whole pages, so that every block is page-aligned as os.h promises. */
void *co_os_zalloc(size_t size)
{
	void *p;

	size = (size + CO_PAGE - 1) & ~(CO_PAGE - 1);
	p = ExAllocatePoolWithTag(NonPagedPoolNx, size, CO_TAG);
	if (p)
		memset(p, 0, size);
	return p;
}

void co_os_free(void *p)
{
	if (p)
		ExFreePoolWithTag(p, CO_TAG);
}

/*
 * A block that may not cross a multiple of its own size and is that size
 * starts on such a multiple: BoundaryAddressMultiple is the alignment.
 */
int co_os_block_alloc(u64 size, struct co_os_block *b)
{
	PHYSICAL_ADDRESS low = { .QuadPart = 0 }, high, boundary;
	void *va;

	high.QuadPart = -1LL;
	boundary.QuadPart = size;
	va = MmAllocateContiguousMemorySpecifyCache(size, low, high, boundary,
						    MmCached);
	if (!va)
		return -ENOMEM;
	/* Guest RAM must not show the guest what the host kept there. */
	memset(va, 0, size);
	b->va = va;
	b->phys = MmGetPhysicalAddress(va).QuadPart;
	b->size = size;
	b->source = 1;
	return 0;
}

void co_os_block_free(struct co_os_block *b)
{
	if (b->source)
		MmFreeContiguousMemorySpecifyCache(b->va, b->size, MmCached);
	b->source = 0;
}

u64 co_os_host_ram(void)
{
	PPHYSICAL_MEMORY_RANGE r = MmGetPhysicalMemoryRanges(), p;
	u64 total = 0;

	if (!r)
		return 0;
	for (p = r; p->BaseAddress.QuadPart || p->NumberOfBytes.QuadPart; p++)
		total += p->NumberOfBytes.QuadPart;
	ExFreePool(r);
	return total;
}

/* The image's sections are non-paged: their pages stay where they are. */
u64 co_os_image_phys(const void *va)
{
	return MmGetPhysicalAddress((PVOID)va).QuadPart;
}

void co_os_global_lock(void)
{
	ExAcquireFastMutex(&co_win.lock);
}

void co_os_global_unlock(void)
{
	ExReleaseFastMutex(&co_win.lock);
}

/* RFLAGS fits the 32 bits of Windows's unsigned long. */
unsigned long co_os_irq_save(void)
{
	u64 flags;

	asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return (unsigned long)flags;
}

void co_os_irq_restore(unsigned long flags)
{
	if (flags & 0x200)
		asm volatile("sti" : : : "memory");
}

/*
 * KeGetCurrentThread() as wdm.h has it (KPCR.Prcb.CurrentThread at
 * %gs:0x188), whose %gs-relative read GCC 12 takes for an access out of
 * an array's bounds.
 */
static PKTHREAD current_thread(void)
{
	PKTHREAD t;

	asm("mov %%gs:0x188, %0" : "=r"(t));
	return t;
}

static bool terminating(PKTHREAD t)
{
	return PsIsThreadTerminating((PETHREAD)t);
}

static struct co_percpu *this_cpu(void)
{
	return &co_win.cpus[KeGetCurrentProcessorNumberEx(NULL)];
}

/* The x2APIC ID (leaf 0xb) or the initial APIC ID (leaf 1). */
static u32 apic_id(void)
{
	u32 r[4];

	if (co_win.x2apic) {
		cpuid(0xb, 0, r);
		return r[3];
	}
	cpuid(1, 0, r);
	return r[1] >> 24;
}

/*
 * DISPATCH_LEVEL keeps the thread on this CPU until co_os_fpu_end(); the
 * host's extended state (every component XCR0 enables but AMX tiles, which
 * the guest may not use) is saved by the kernel's own call for drivers
 * that use it.  Should the save fail, co_os_fpu_end() has nothing to
 * restore, and says so.
 */
void co_os_fpu_begin(void)
{
	ULONG64 mask = CO_XSTATE_LEGACY;
	struct co_percpu *c;
	KIRQL irql;

	KeRaiseIrql(DISPATCH_LEVEL, &irql);
	c = this_cpu();
	c->irql = irql;
	c->apic_id = apic_id();
	if (co_win.caps.osxsave)
		mask = co_arch_xgetbv(0) & ~CO_XCR0_TILE;
	c->xsave_status = KeSaveExtendedProcessorState(mask, &c->xsave);
}

void co_os_fpu_end(void)
{
	struct co_percpu *c = this_cpu();

	if (NT_SUCCESS(c->xsave_status))
		KeRestoreExtendedProcessorState(&c->xsave);
	else if (co_os_ratelimit())
		co_err("the host's FPU state could not be saved (%#lx): the daemon's thread lost it\n",
		       (unsigned long)c->xsave_status);
	c->xsave_status = STATUS_UNSUCCESSFUL;
	KeLowerIrql(c->irql);
}

/* Windows preempts PASSIVE_LEVEL code where it runs: nothing to offer. */
void co_os_cond_resched(void)
{
}

/*
 * The thread is asked to stop when Windows terminates it (the daemon was
 * killed or exits) or when user mode queued it an APC or alerted it (the
 * daemon's Ctrl-C and service-stop handlers): a zero-timeout alertable
 * wait in user mode says so without waiting, and leaves the APC to run
 * when RUN returns.  The file's IRP_MJ_CLEANUP is no such signal: the
 * contract has no guest here, and a killed process's threads end before
 * its handles are closed.
 */
bool co_os_signal_pending(void)
{
	LARGE_INTEGER zero = { .QuadPart = 0 };
	NTSTATUS st;

	if (terminating(current_thread()))
		return true;
	st = KeWaitForSingleObject(&co_never, Executive, UserMode, TRUE, &zero);
	return st == STATUS_USER_APC || st == STATUS_ALERTED;
}

/*
 * No SEH in GCC's C, so no rdmsr that may fault: only the MSRs that CPUID
 * (or x86_64 itself) promises are read.  The rest are "not there", which
 * the core already expects of MSRs a CPU lacks: MISC_FEATURES_ENABLES,
 * which only an MSR can enumerate, is not switched on Windows.
 */
static bool msr_present(u32 msr)
{
	const struct co_cpu_caps *c = &co_win.caps;
	u32 r[4];

	switch (msr) {
	case CO_MSR_FS_BASE:
	case CO_MSR_GS_BASE:
	case CO_MSR_KERNEL_GS_BASE:
	case CO_MSR_STAR:
	case CO_MSR_LSTAR:
	case CO_MSR_CSTAR:
	case CO_MSR_SFMASK:
	case CO_MSR_EFER:
	case CO_MSR_DEBUGCTL:
		return true;
	case CO_MSR_SYSENTER_CS:
	case CO_MSR_SYSENTER_ESP:
	case CO_MSR_SYSENTER_EIP:
		return c->sep;
	case CO_MSR_TSC_AUX:
		return c->tsc_aux;
	case CO_MSR_PAT:
		return c->pat;
	case CO_MSR_SPEC_CTRL:
		return c->spec_ctrl;
	case CO_MSR_MCG_STATUS:
		return c->mce && c->mca;
	case CO_MSR_XSS:
	case CO_MSR_XFD:
		if (!c->osxsave)
			return false;
		cpuid(0xd, 1, r);
		return r[0] &
		       (msr == CO_MSR_XSS ? CO_XSAVE_XSAVES : CO_XSAVE_XFD);
	}
	return false;
}

int co_os_rdmsr_safe(u32 msr, u64 *val)
{
	if (!msr_present(msr))
		return -EIO;
	*val = co_arch_rdmsr(msr);
	return 0;
}

/* The handler in the gate for @vector of this CPU's IDT. */
static u64 idt_handler(unsigned int vector)
{
	struct co_dtr d;
	const u8 *g;

	co_arch_sidt(&d);
	g = (const u8 *)(uintptr_t)d.base + vector * 16;
	return g[0] | (u64)g[1] << 8 | (u64)g[6] << 16 | (u64)g[7] << 24 |
	       (u64) * (const u32 *)(g + 8) << 32;
}

/*
 * Windows's NMI handler, entered through its gate on the current stack
 * rather than the NMI's own (IST) stack, as Linux's KVM does it: it asks
 * the registered callbacks, co_nmi() among them.
 */
void co_os_forward_nmi(void)
{
	co_os_call_gate(idt_handler(CO_VEC_NMI));
}

bool co_os_mce_in_progress(void)
{
	u64 status;

	return !co_os_rdmsr_safe(CO_MSR_MCG_STATUS, &status) &&
	       (status & CO_MCG_STATUS_MCIP);
}

/*
 * Windows's machine-check handler through its gate, on a ring-0 frame:
 * unlike Linux's do_machine_check(), it has no entry that takes a frame
 * claiming user mode, so an uncorrected error the guest met is the host
 * kernel's (Windows stops with a WHEA bug check, as it would without us).
 */
void co_os_forward_mce(void)
{
	co_os_call_gate(idt_handler(CO_VEC_MC));
}

static u32 apic_isr(unsigned int i)
{
	if (co_win.x2apic)
		return (u32)co_arch_rdmsr(CO_X2APIC_ISR + i);
	return *(volatile u32 *)(co_win.xapic + CO_XAPIC_ISR + i * 0x10);
}

bool co_os_apic_in_service(unsigned int vector)
{
	int i;
	u32 isr;

	for (i = 7; i >= 0; i--) {
		isr = apic_isr(i);
		if (isr)
			return vector ==
			       (unsigned int)(i * 32 + 31 - __builtin_clz(isr));
	}
	return false;
}

bool co_os_apic_isr_clean(void)
{
	int i;

	for (i = 0; i < 8; i++)
		if (apic_isr(i))
			return false;
	return true;
}

/* A few every five seconds, all guests together; a race only lets one more. */
bool co_os_ratelimit(void)
{
	static volatile LONG64 window;
	static volatile LONG count;
	LONG64 now = KeQueryInterruptTime() / 50000000; /* 5 s units */

	if (InterlockedExchange64(&window, now) != now)
		InterlockedExchange(&count, 0);
	return InterlockedIncrement(&count) <= 3;
}

/*
 * Windows has no RCU and no context tracking to tell about the guest:
 * its DPC watchdog is what notices a CPU that stays away too long, and
 * the guest leaves at every host interrupt, the clock's included.
 */
void co_os_guest_enter(void)
{
}

void co_os_guest_exit(void)
{
}

/* The hardware audit runs on the Linux test VM only (audit=1 there). */
void co_os_audit_mark(bool enter)
{
}

/*
 * Windows does not tell a driver its speculation policy, so take the
 * careful side: clear the CPU's buffers before each entry when the CPU
 * can (MD_CLEAR), and an IBPB after each exit when it has one, since the
 * guest kernel trained the branch predictors in the host's own ring.
 */
bool co_os_clear_buffers(void)
{
	return co_win.caps.md_clear;
}

void co_os_exit_barrier(void)
{
	if (co_win.caps.ibpb)
		co_arch_wrmsr(CO_MSR_PRED_CMD, 1);
}

/*
 * A thread's hardware breakpoints (a user-mode debugger's) are in DR7
 * while it runs: off for the guest, back afterwards, per CPU since the
 * thread stays on it at DISPATCH_LEVEL in between.
 */
bool co_os_debug_disarm(void)
{
	struct co_percpu *c = this_cpu();

	c->dr7 = co_arch_read_dr7();
	if (!(c->dr7 & 0xff))
		return false;
	asm volatile("mov %0, %%dr7" : : "r"(0ULL));
	return true;
}

void co_os_debug_rearm(void)
{
	asm volatile("mov %0, %%dr7" : : "r"(this_cpu()->dr7));
}

/* @n * @mul / @div without overflowing 64 bits (no libgcc for 128). */
static u64 mul_div(u64 n, u64 mul, u64 div)
{
	return n / div * mul + n % div * mul / div;
}

/*
 * The TSC's rate against the performance counter, as the Linux side
 * measures it against its clock, over the time since the first call
 * (SETUP, PASSIVE_LEVEL).  CPUID's rate, where the CPU states one, until
 * a second has passed and whenever the two disagree by more than 10% (a
 * TSC that stopped or jumped).  Without it (AMD's CPUs state none), a
 * first measure over 100 ms.
 */
u64 co_os_tsc_khz(void)
{
	LARGE_INTEGER now, hz, wait = { .QuadPart = -1000000LL };
	u64 khz = co_win.cpuid_khz, us, measured;

	ExAcquireFastMutex(&co_win.lock);
	if (!co_win.qpc_hz) {
		now = KeQueryPerformanceCounter(&hz);
		co_win.base_tsc = co_arch_rdtsc();
		co_win.base_qpc = now.QuadPart;
		co_win.qpc_hz = hz.QuadPart;
		if (!khz)
			KeDelayExecutionThread(KernelMode, FALSE, &wait);
	}
	ExReleaseFastMutex(&co_win.lock);
	now = KeQueryPerformanceCounter(NULL);
	us = mul_div(now.QuadPart - co_win.base_qpc, 1000000, co_win.qpc_hz);
	if (!us)
		return khz;
	measured = mul_div(co_arch_rdtsc() - co_win.base_tsc, 1000, us);
	if (!khz)
		return measured;
	if (us < 1000000 || measured < khz - khz / 10 ||
	    measured > khz + khz / 10)
		return khz;
	return measured;
}

/*
 * Windows keeps no "TSC unstable" verdict a driver can read, and its own
 * clock does not depend on the TSC's: the invariant-TSC bit is both
 * constant and non-stop.  No allow_unreliable_tsc either: only under a
 * hypervisor is such a TSC accepted, with a warning at load.
 */
int co_os_tsc_check(struct co_err *err)
{
	struct co_host_tsc t = {
		.constant = co_win.caps.invariant_tsc,
		.nonstop = co_win.caps.invariant_tsc,
		.hypervisor = co_win.caps.hypervisor,
	};

	return co_host_tsc_check(&t, false, err);
}

/* 100 ns units since 1601 to nanoseconds since 1970. */
u64 co_os_realtime_ns(void)
{
	LARGE_INTEGER t;

	KeQuerySystemTime(&t);
	return (u64)(t.QuadPart - 116444736000000000LL) * 100;
}

/*
 * A one-shot KTIMER whose DPC runs fn at DISPATCH_LEVEL, on the CPU that
 * armed it: not hard interrupt context as on Linux, which monitor.c does
 * not need (its function sets bits with a locked or and wakes the thread:
 * no sleeping, any CPU).  A DPC that fires while the guest runs waits for
 * the round trip to end (the thread is at DISPATCH_LEVEL throughout), and
 * the guest sees the bit on its next entry.
 */
struct co_os_timer {
	KTIMER timer;
	KDPC dpc;
	void (*fn)(void *arg);
	void *arg;
};

static void co_timer_dpc(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
	struct co_os_timer *t = ctx;

	t->fn(t->arg);
}

struct co_os_timer *co_os_timer_create(void (*fn)(void *), void *arg)
{
	struct co_os_timer *t = co_os_zalloc(sizeof(*t));

	if (!t)
		return NULL;
	KeInitializeTimerEx(&t->timer, NotificationTimer);
	KeInitializeDpc(&t->dpc, co_timer_dpc, t);
	t->fn = fn;
	t->arg = arg;
	return t;
}

static void target_this_cpu(PKDPC dpc)
{
	PROCESSOR_NUMBER pn;

	KeGetCurrentProcessorNumberEx(&pn);
	KeSetTargetProcessorDpcEx(dpc, &pn);
}

void co_os_timer_start(struct co_os_timer *t, u64 ns)
{
	LARGE_INTEGER due;

	/* Relative, in 100 ns units, at least one. */
	due.QuadPart = -(LONGLONG)(ns / 100 ? ns / 100 : 1);
	KeCancelTimer(&t->timer);
	KeRemoveQueueDpc(&t->dpc);
	target_this_cpu(&t->dpc);
	KeSetTimer(&t->timer, due, &t->dpc);
}

/*
 * The DPC is this CPU's, and this CPU is at DISPATCH_LEVEL or above here
 * (RUN's round trip): a DPC taken off the queue has not started, and none
 * runs.  One queued on another CPU, after the thread moved, can still run
 * once: a timer interrupt the guest then finds early, as it may any time.
 */
void co_os_timer_cancel(struct co_os_timer *t)
{
	KeCancelTimer(&t->timer);
	KeRemoveQueueDpc(&t->dpc);
}

/* PASSIVE_LEVEL (CLOSE): a queued DPC is left to run and waited for. */
void co_os_timer_destroy(struct co_os_timer *t)
{
	KeCancelTimer(&t->timer);
	KeFlushQueuedDpcs();
	co_os_free(t);
}

/*
 * How the guest's thread is woken and interrupted.  A waiting thread
 * waits on a KEVENT; a thread in the guest is interrupted by a DPC queued
 * on the guest's CPU at high importance, whose IPI the guest forwards like
 * any host interrupt (the DPC itself does nothing).
 *
 * The kill watch: two periodic KTIMERs on two CPUs while the guest runs;
 * the one that fires while the thread is being terminated sends the
 * guest's CPU an NMI through the local APIC (HalSendNMI is in hal.dll but
 * in no header of MinGW's, with an opaque KAFFINITY_EX), which co_nmi()
 * claims.  A host with one CPU has no second CPU to watch from.
 */
#define CO_WATCH_PERIOD_MS 100

struct co_watch {
	KTIMER timer;
	KDPC dpc;
	struct co_os_notify *n;
};

struct co_os_notify {
	KEVENT event; /* set by kick(), waited for by wait() */
	KDPC kick_dpc; /* interrupts the guest's CPU */
	PKTHREAD thread; /* the thread that last called RUN */
	struct co_watch watch[2];
	volatile LONG watching;
	const volatile int *cpu; /* the guest's CPU, -1 between entries */
	u64 *nmis; /* NMIs sent */
};

static void co_kick_dpc(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
}

static void send_nmi(u32 apic)
{
	if (co_win.x2apic) {
		co_arch_wrmsr(CO_X2APIC_ICR, (u64)apic << 32 | CO_ICR_NMI);
		return;
	}
	*(volatile u32 *)(co_win.xapic + CO_XAPIC_ICR_HIGH) = apic << 24;
	*(volatile u32 *)(co_win.xapic + CO_XAPIC_ICR_LOW) = CO_ICR_NMI;
}

static void co_watch_dpc(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
	struct co_watch *w = ctx;
	struct co_os_notify *n = w->n;
	int cpu = *n->cpu;

	if (!n->watching || cpu < 0 || (ULONG)cpu >= co_win.nr_cpus ||
	    !terminating(n->thread))
		return;
	InterlockedExchange(&co_win.cpus[cpu].nmi_sent, 1);
	send_nmi(co_win.cpus[cpu].apic_id);
	(*n->nmis)++;
}

struct co_os_notify *co_os_notify_create(const volatile int *cpu, u64 *nmis)
{
	struct co_os_notify *n = co_os_zalloc(sizeof(*n));
	int i;

	if (!n)
		return NULL;
	KeInitializeEvent(&n->event, SynchronizationEvent, FALSE);
	KeInitializeDpc(&n->kick_dpc, co_kick_dpc, n);
	KeSetImportanceDpc(&n->kick_dpc, HighImportance);
	for (i = 0; i < 2; i++) {
		KeInitializeTimerEx(&n->watch[i].timer, NotificationTimer);
		KeInitializeDpc(&n->watch[i].dpc, co_watch_dpc, &n->watch[i]);
		n->watch[i].n = n;
	}
	n->cpu = cpu;
	n->nmis = nmis;
	return n;
}

void co_os_notify_destroy(struct co_os_notify *n)
{
	int i;

	for (i = 0; i < 2; i++)
		KeCancelTimer(&n->watch[i].timer);
	KeFlushQueuedDpcs();
	if (n->thread)
		ObDereferenceObject(n->thread);
	co_os_free(n);
}

static void watch_arm(struct co_watch *w, ULONG index)
{
	LARGE_INTEGER due = { .QuadPart = -CO_WATCH_PERIOD_MS * 10000LL };
	PROCESSOR_NUMBER pn;

	if (!NT_SUCCESS(KeGetProcessorNumberFromIndex(index, &pn)))
		return;
	KeSetTargetProcessorDpcEx(&w->dpc, &pn);
	KeSetTimerEx(&w->timer, due, CO_WATCH_PERIOD_MS, &w->dpc);
}

void co_os_notify_watch_start(struct co_os_notify *n)
{
	ULONG first = KeGetCurrentProcessorNumberEx(NULL);

	if (KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS) < 2)
		return;
	InterlockedExchange(&n->watching, 1);
	watch_arm(&n->watch[0], first);
	watch_arm(&n->watch[1], first ? 0 : 1);
}

/* KeFlushQueuedDpcs(): no watch DPC runs on once this returns. */
void co_os_notify_watch_stop(struct co_os_notify *n)
{
	if (!InterlockedExchange(&n->watching, 0))
		return;
	KeCancelTimer(&n->watch[0].timer);
	KeCancelTimer(&n->watch[1].timer);
	KeFlushQueuedDpcs();
}

void co_os_notify_bind(struct co_os_notify *n)
{
	PKTHREAD old = n->thread, me = current_thread();

	if (old == me)
		return;
	ObReferenceObject(me);
	n->thread = me;
	if (old)
		ObDereferenceObject(old);
}

/*
 * Alertable, in user mode: the daemon's APC or alert ends the wait
 * (-EINTR) as a signal ends it on Linux.  The timeout looks again for a
 * termination, which need not wake the wait.
 */
int co_os_notify_wait(struct co_os_notify *n, bool (*ready)(void *), void *arg)
{
	LARGE_INTEGER period = { .QuadPart = -CO_WATCH_PERIOD_MS * 10000LL };
	NTSTATUS st;

	while (!ready(arg)) {
		if (terminating(current_thread()))
			return -EINTR;
		st = KeWaitForSingleObject(&n->event, Executive, UserMode, TRUE,
					   &period);
		if (st == STATUS_USER_APC || st == STATUS_ALERTED)
			return -EINTR;
	}
	return 0;
}

void co_os_notify_kick(struct co_os_notify *n, int cpu)
{
	PROCESSOR_NUMBER pn;

	KeSetEvent(&n->event, IO_NO_INCREMENT, FALSE);
	if (cpu < 0 ||
	    !NT_SUCCESS(KeGetProcessorNumberFromIndex((ULONG)cpu, &pn)))
		return;
	KeSetTargetProcessorDpcEx(&n->kick_dpc, &pn);
	KeInsertQueueDpc(&n->kick_dpc, NULL, NULL);
}

int co_os_cpu(void)
{
	return (int)KeGetCurrentProcessorNumberEx(NULL);
}

/*
 * No eventfds on Windows: SET_IOEVENTFD is refused before it gets here
 * (colinux.c), and the daemon takes every notify as an exit.
 */
int co_os_event_get(int fd, struct co_os_event **ev)
{
	return -EOPNOTSUPP;
}

void co_os_event_signal(struct co_os_event *ev)
{
}

void co_os_event_put(struct co_os_event *ev)
{
}

int co_os_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n;

	if (!size)
		return 0;
	n = _vsnprintf(buf, size, fmt, ap);
	buf[size - 1] = 0;
	return n < 0 ? (int)size - 1 : n;
}

int co_os_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = co_os_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void co_os_log(int level, const char *fmt, ...)
{
	ULONG dpfltr = level <= CO_LOG_ERR  ? DPFLTR_ERROR_LEVEL :
		       level == CO_LOG_WARN ? DPFLTR_WARNING_LEVEL :
					      DPFLTR_INFO_LEVEL;
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	co_os_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, dpfltr, "colinux: %s", buf);
}
