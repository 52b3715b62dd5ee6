// SPDX-License-Identifier: GPL-2.0
/*
 * setup.c --- the coLinux platform: what a cooperative guest does instead of
 * probing a PC.
 *
 * The host owns the machine.  Everything here exists so that the guest never
 * touches it: no interrupt controller, timer chip, RTC, PCI, ACPI, BIOS area
 * or real-mode trampoline; the guest reaches the outside world only through
 * passage calls.  colinux_early_setup() runs from x86_64_start_reservations(),
 * before start_kernel() and so before setup_arch() could probe anything.
 */
#include <linux/colinux.h>
#include <linux/console.h>
#include <linux/elfnote.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/panic_notifier.h>
#include <linux/pm.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>

#include <asm/apic.h>
#include <asm/bootparam.h>
#include <asm/io_apic.h>
#include <asm/colinux.h>
#include <asm/cpufeature.h>
#include <asm/i8259.h>
#include <asm/nospec-branch.h>
#include <asm/paravirt.h>
#include <asm/reboot.h>
#include <asm/setup.h>
#include <asm/x86_init.h>

struct colinux_boot_info colinux_boot __ro_after_init;

/*
 * Call the host.  The passage preserves every register but %rax, and the
 * flags; it may run the host for a long time (interrupt handlers, other
 * processes) before it returns.  Callable with interrupts on or off, from any
 * context but NMI.  The kernel is built without a red zone, so the passage may
 * use the stack below %rsp.
 */
long colinux_call(unsigned long op, unsigned long a0, unsigned long a1,
		  unsigned long a2, unsigned long a3)
{
	register unsigned long r8 asm("r8") = a3;
	long ret;

	/*
	 * An indirect call like any other: through a retpoline when the
	 * guest's spectre_v2 mitigation uses them.
	 */
	asm volatile(CALL_NOSPEC
		     : "=a"(ret)
		     : THUNK_TARGET(colinux_boot.passage_entry), "D"(op),
		       "S"(a0), "d"(a1), "c"(a2), "r"(r8)
		     : "memory", "cc");
	return ret;
}

/*
 * colinux-daemon refuses to start a vmlinux without this note: it is how a
 * coLinux guest kernel is told from any other.
 */
ELFNOTE32("coLinux", 1, COLINUX_GUEST_ABI_VERSION);

/*
 * The host reads console data by physical address, so it passes through a
 * buffer in the kernel image: callers' buffers may be on a vmalloc'ed stack.
 */
static char console_bounce[512];
static DEFINE_RAW_SPINLOCK(bounce_lock);

void colinux_console_write(const char *s, size_t n)
{
	unsigned long flags;
	size_t chunk;

	raw_spin_lock_irqsave(&bounce_lock, flags);
	for (; n; s += chunk, n -= chunk) {
		chunk = min(n, sizeof(console_bounce));
		memcpy(console_bounce, s, chunk);
		colinux_call(COLINUX_OP_CONSOLE_WRITE,
			     __pa_symbol(console_bounce), chunk, 0, 0);
	}
	raw_spin_unlock_irqrestore(&bounce_lock, flags);
}

size_t colinux_console_read(char *buf, size_t room)
{
	unsigned long flags;
	long got;

	raw_spin_lock_irqsave(&bounce_lock, flags);
	got = colinux_call(COLINUX_OP_CONSOLE_READ, __pa_symbol(console_bounce),
			   min(room, sizeof(console_bounce)), 0, 0);
	if (got > 0)
		memcpy(buf, console_bounce, got);
	raw_spin_unlock_irqrestore(&bounce_lock, flags);
	return got > 0 ? got : 0;
}

/*
 * Tell the host we are done; it never returns.  The reason goes through the
 * console buffer, for the same reason as console output.
 */
static void __noreturn terminate(unsigned long how, const char *why)
{
	size_t n = why ? min(strlen(why), sizeof(console_bounce)) : 0;

	if (n)
		memcpy(console_bounce, why, n);
	for (;;)
		colinux_call(COLINUX_OP_TERMINATE, how,
			     __pa_symbol(console_bounce), n, 0);
}

/*
 * The boot info is a setup_data record.  This runs before the direct map
 * exists: __va() of boot data is served by the early page-fault handler, as
 * copy_bootdata() relies on.
 */
static bool __init find_boot_info(void)
{
	u64 pa = boot_params.hdr.setup_data;

	while (pa) {
		struct setup_data *sd = __va(pa);

		if (sd->type == COLINUX_SETUP_DATA &&
		    sd->len >= sizeof(colinux_boot)) {
			memcpy(&colinux_boot, sd->data, sizeof(colinux_boot));
			return colinux_boot.abi_version ==
			       COLINUX_GUEST_ABI_VERSION;
		}
		pa = sd->next;
	}
	return false;
}

static void boot_console_write(struct console *con, const char *s,
			       unsigned int n)
{
	colinux_console_write(s, n);
}

static struct console boot_console = {
	.name = "cobootcon",
	.write = boot_console_write,
	.flags = CON_PRINTBUFFER | CON_BOOT | CON_ANYTIME,
	.index = -1,
};

/* From setup_arch(): the log so far (banner, command line) comes out now. */
static void __init colinux_arch_setup(void)
{
	register_console(&boot_console);
	add_preferred_console("hvc", 0, NULL);
}

static unsigned long colinux_tsc_khz(void)
{
	return colinux_boot.tsc_khz;
}

/* The host's clock, read now: the guest's real time starts where it is. */
static void colinux_get_wallclock(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(colinux_call(COLINUX_OP_WALLCLOCK, 0, 0, 0, 0));
}

/*
 * The time read at timekeeping_init() stands still until the TSC clocksource
 * takes over from jiffies, which do not tick yet: the guest would start that
 * far behind the host.  Like an RTC's hctosys, set it again once time runs.
 */
static int __init colinux_sync_wallclock(void)
{
	struct timespec64 ts;

	if (!colinux_boot.passage_entry)
		return 0;
	colinux_get_wallclock(&ts);
	return do_settimeofday64(&ts);
}
late_initcall(colinux_sync_wallclock);

static int colinux_set_wallclock(const struct timespec64 *ts)
{
	return -ENODEV; /* the host's clock is not ours to set */
}

static unsigned char colinux_nmi_reason(void)
{
	return 0;
}

/*
 * Idle gives the CPU back to the host until a virtual IRQ is pending, then
 * runs it as the interrupt a halted CPU would have taken.
 */
static void colinux_safe_halt(void)
{
	colinux_call(COLINUX_OP_IDLE, 0, 0, 0, 0);
	raw_local_irq_enable();
	colinux_run_pending_virqs();
}

static void colinux_restart(char *cmd)
{
	terminate(COLINUX_TERM_REBOOT, cmd);
}

static void colinux_halt(void)
{
	terminate(COLINUX_TERM_HALT, NULL);
}

static void colinux_power_off(void)
{
	terminate(COLINUX_TERM_POWEROFF, NULL);
}

static void colinux_emergency_restart(void)
{
	terminate(COLINUX_TERM_REBOOT, "emergency restart");
}

static int colinux_panic(struct notifier_block *nb, unsigned long event,
			 void *msg)
{
	terminate(COLINUX_TERM_PANIC, msg);
}

static struct notifier_block panic_block = {
	.notifier_call = colinux_panic,
	.priority = INT_MIN, /* after everyone else had their say */
};

/* CPU features whose hardware belongs to the host (switch-design E.2). */
static const unsigned int host_owned_caps[] __initconst = {
	X86_FEATURE_APIC,
	X86_FEATURE_X2APIC,
	X86_FEATURE_MTRR,
	X86_FEATURE_MCE,
	X86_FEATURE_MCA,
	X86_FEATURE_ACPI,
	X86_FEATURE_ACC,
	X86_FEATURE_TSC_ADJUST,
	X86_FEATURE_TSC_DEADLINE_TIMER,
	X86_FEATURE_MWAIT,
	X86_FEATURE_ARCH_PERFMON,
	X86_FEATURE_PDCM,
	X86_FEATURE_IBS,
	X86_FEATURE_INTEL_PT,
	X86_FEATURE_PERFCTR_CORE,
	X86_FEATURE_PERFCTR_NB,
	X86_FEATURE_PERFCTR_LLC,
	X86_FEATURE_DS,
	X86_FEATURE_VMX,
	X86_FEATURE_SVM,
	X86_FEATURE_SMX,
	X86_FEATURE_EPB,
	X86_FEATURE_HWP,
	X86_FEATURE_DCA,
	X86_FEATURE_APERFMPERF,
	X86_FEATURE_SGX,
	X86_FEATURE_PCID,
	/*
	 * Extended state the host driver does not switch (issue 9, 4): AMX
	 * tiles, which the host's IA32_XFD may arm, and the supervisor states
	 * of XSAVES in the host's IA32_XSS (arch LBR, PASID).  Without them
	 * the guest's XCR0 has no tiles, and it never writes IA32_XFD or
	 * IA32_XSS: fpu__init_system_xstate() drops what they back.
	 */
	X86_FEATURE_XSAVES,
	X86_FEATURE_XFD,
	X86_FEATURE_AMX_TILE,
	X86_FEATURE_AMX_BF16,
	X86_FEATURE_AMX_INT8,
	X86_FEATURE_ARCH_LBR,
	/*
	 * Core-wide mitigation controls (issue 9, 1).  The passage can not
	 * switch them (the core's other thread runs the host), so the guest
	 * must never write them.  Without ARCH_CAPABILITIES the guest does not
	 * see TSX_CTRL (tsx_init() would turn TSX off for the host), nor the
	 * GDS control in MCU_OPT_CTRL; without RTM_ALWAYS_ABORT and
	 * TSX_FORCE_ABORT it leaves TSX_FORCE_ABORT alone.  SRBDS, GDS and
	 * split-lock detection (TEST_CTRL) already stay away from their MSRs
	 * on a CPU with the hypervisor bit, which keep_off_host_hardware()
	 * forces; their bits go too, so that no later path finds them.
	 */
	X86_FEATURE_ARCH_CAPABILITIES,
	X86_FEATURE_RTM_ALWAYS_ABORT,
	X86_FEATURE_TSX_FORCE_ABORT,
	X86_FEATURE_SRBDS_CTRL,
	X86_FEATURE_CORE_CAPABILITIES,
	X86_FEATURE_SPLIT_LOCK_DETECT,
	/*
	 * Speculative store bypass: AMD's LS_CFG bit is shared by the core's
	 * threads and VIRT_SPEC_CTRL (a hypervisor's, when the host is a VM)
	 * belongs to the host's vCPU; neither is switched, so a guest task's
	 * prctl() would set or clear SSBD under the host's tasks.  The guest
	 * keeps SPEC_CTRL's SSBD, per thread and switched by the passage.
	 */
	X86_FEATURE_LS_CFG_SSBD,
	X86_FEATURE_VIRT_SSBD,
};

static void __init keep_off_host_hardware(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(host_owned_caps); i++)
		setup_clear_cpu_cap(host_owned_caps[i]);
	/*
	 * The guest runs beside a host kernel that owns the machine, as a
	 * virtual machine's kernel does: with the hypervisor bit, Linux takes
	 * the paths it takes in a VM (and under QEMU, where the tests run),
	 * which leave core-wide MSRs to the host instead of programming them
	 * as on bare metal.  Real CPUs do not set the bit for us.
	 */
	setup_force_cpu_cap(X86_FEATURE_HYPERVISOR);
	setup_force_cpu_cap(X86_FEATURE_TSC_KNOWN_FREQ);
	setup_force_cpu_cap(X86_FEATURE_TSC_RELIABLE);

	x86_platform.realmode_reserve = x86_init_noop;
	x86_platform.realmode_init = x86_init_noop;
	x86_init.resources.probe_roms = x86_init_noop;
	x86_init.resources.reserve_resources = x86_init_noop;
	x86_init.resources.dmi_setup = x86_init_noop;
	x86_init.mpparse.find_smp_config = x86_init_noop;
	x86_init.mpparse.get_smp_config = x86_init_uint_noop;
	x86_init.irqs.pre_vector_init = x86_init_noop;
	x86_init.irqs.intr_init = colinux_init_IRQ;
	x86_init.irqs.intr_mode_select = x86_init_noop;
	x86_init.irqs.intr_mode_init = x86_init_noop;
	x86_init.timers.timer_init = colinux_time_init;
	x86_init.timers.setup_percpu_clockev = x86_init_noop;
	x86_init.oem.arch_setup = colinux_arch_setup;
	x86_cpuinit.setup_percpu_clockev = x86_init_noop;
	x86_platform.calibrate_tsc = colinux_tsc_khz;
	x86_platform.calibrate_cpu = colinux_tsc_khz;
	x86_platform.get_wallclock = colinux_get_wallclock;
	x86_platform.set_wallclock = colinux_set_wallclock;
	x86_platform.get_nmi_reason = colinux_nmi_reason;
	x86_platform.legacy.rtc = 0;
	x86_platform.legacy.warm_reset = 0;
	x86_platform.legacy.i8042 = X86_LEGACY_I8042_PLATFORM_ABSENT;
	x86_platform.legacy.reserve_bios_regions = 0;
	x86_platform.legacy.devices.pnpbios = 0;
	legacy_pic = &null_legacy_pic;
	/* As "nolapic noapic": no APIC code runs, not even x2APIC detection. */
	disable_apic = 1;
	skip_ioapic_setup = 1;

	pv_ops.irq.safe_halt = colinux_safe_halt;
	/*
	 * A bare hlt with interrupts off would stop the host's CPU for good
	 * (the early exception path ends that way): tell the host instead.
	 */
	pv_ops.irq.halt = colinux_halt;
	pv_ops.cpu.io_delay = paravirt_nop;

	machine_ops.restart = colinux_restart;
	machine_ops.halt = colinux_halt;
	machine_ops.power_off = colinux_power_off;
	machine_ops.emergency_restart = colinux_emergency_restart;
	pm_power_off = colinux_power_off;
	atomic_notifier_chain_register(&panic_notifier_list, &panic_block);
}

void __init colinux_early_setup(void)
{
	static const char hello[] = "coLinux: guest kernel entered\n";

	/*
	 * Without boot info there is no passage to call and no way to say so:
	 * stop here rather than probe a machine that is not ours.  With it,
	 * the passage is mapped already: the daemon filled the
	 * level2_fixmap_pgt slots of its host addresses before boot.
	 */
	if (!find_boot_info())
		for (;;)
			asm volatile("hlt");
	colinux_console_write(hello, sizeof(hello) - 1);
	keep_off_host_hardware();
}
