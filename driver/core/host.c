// SPDX-License-Identifier: GPL-2.0
/*
 * host.c --- what the host CPU must look like, and proof that it still does.
 *
 * co_host_check(), the guest XCR0 rules and the comparisons are pure
 * (tested in user space by host_test.c); the read functions read the CPU and are used by RUN's CHECK_HOST mode to
 * show that a round trip through the guest leaves every piece of host state
 * the passage touches exactly as it was.
 */
#include "vm.h"
#include <colinux/x86.h>
#ifdef CO_OS_KERNEL
#include "arch.h"
#endif

/*
 * The CR4 bits the passage has been read against: each changes nothing the
 * switch relies on, or is switched or checked by it (PGE, LA57, PCIDE,
 * OSXSAVE, PKE).  VME PVI TSD DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT UMIP
 * LA57 (0-12), SMXE (14), FSGSBASE PCIDE OSXSAVE (16-18), SMEP SMAP PKE
 * (20-22).  Any other -- key locker, supervisor protection keys (whose
 * IA32_PKRS the passage does not switch), user interrupts, linear address
 * masking, whatever a later CPU brings -- is refused, not carried across
 * the switch unawares.
 */
#define CO_CR4_KNOWN 0x775fffULL

/*
 * The passage needs 64-bit paging (4 or 5 levels, the guest gets the same)
 * and must be the only one switching this CPU's world: VMX root operation
 * (CR4.VMXE) means another hypervisor owns the CPU; CET would need the
 * passage to switch shadow-stack state it does not know about.
 */
int co_host_check(const struct co_host_mode *m, struct co_err *err)
{
	if (m->cr4 & (1ULL << 13))
		return co_fail(
			err, -EBUSY,
			"CR4.VMXE is set: another hypervisor (KVM, VirtualBox, ...) is active on this CPU");
	if (!(m->cr0 & (1ULL << 31)) || !(m->cr4 & (1ULL << 5)) ||
	    !(m->efer & (1ULL << 10)))
		return co_fail(
			err, -EOPNOTSUPP,
			"unsupported paging mode (CR0 %#llx CR4 %#llx EFER %#llx): 64-bit 4- or 5-level paging needed",
			(unsigned long long)m->cr0, (unsigned long long)m->cr4,
			(unsigned long long)m->efer);
	if (m->cr4 & (1ULL << 23))
		return co_fail(
			err, -EOPNOTSUPP,
			"CR4.CET is set: control-flow enforcement is not supported by the passage");
	if (m->cr4 & ~CO_CR4_KNOWN)
		return co_fail(
			err, -EOPNOTSUPP,
			"CR4 bits %#llx are unknown to the passage, which would leave them to the guest",
			(unsigned long long)(m->cr4 & ~CO_CR4_KNOWN));
	return 0;
}

/*
 * The guest's clock is the host's TSC at the rate the driver measured, so
 * the TSC must tick at one rate in every power state: constant (no change
 * with P-states) and non-stop (runs in deep C-states), and the host kernel
 * must not have found it unstable (its clocksource watchdog or its sync
 * check across CPUs).  Under a hypervisor all of this is a warning: its
 * virtual CPU often hides the two CPUID bits (to stay migratable) while it
 * keeps the TSC steady, and Linux then marks a TSC unstable on a guess (a
 * non-Intel TSC without constant_tsc on more than one CPU is "unsynchronized"
 * unmeasured; QEMU's TCG gets there).  @allow (allow_unreliable_tsc=1) turns
 * every refusal into a warning.  Returns 0, 1 (usable; @err says what is
 * wrong) or -EOPNOTSUPP (@err says why).
 */
int co_host_tsc_check(const struct co_host_tsc *t, bool allow,
		      struct co_err *err)
{
	int refuse = allow || t->hypervisor ? 1 : -EOPNOTSUPP;

	if (t->unstable)
		return co_fail(
			err, refuse,
			"the host's kernel marked its TSC unstable, and the guest's clock is the TSC");
	if (!t->constant || !t->nonstop)
		return co_fail(
			err, refuse,
			"the host's TSC is not%s%s%s (/proc/cpuinfo lacks%s%s), and the guest's clock is the TSC",
			t->constant ? "" : " constant",
			!t->constant && !t->nonstop ? " and" : "",
			t->nonstop ? "" : " non-stop",
			t->constant ? "" : " constant_tsc",
			t->nonstop ? "" : " nonstop_tsc");
	return 0;
}

/*
 * The guest's XCR0 is the host's without AMX tile state.  The guest's
 * kernel hides AMX and XFD from itself, and the driver does not switch
 * IA32_XFD: with the host's XFD arming tile data for the daemon's thread,
 * an XRSTOR of the guest's state under an XCR0 with tiles would take #NM in
 * the host, interrupts off.
 */
u64 co_guest_xcr0_allowed(u64 host_xcr0)
{
	return host_xcr0 & ~CO_XCR0_TILE;
}

/*
 * The guest sets XCR0 itself (XSETBV in ring 0); checked on every exit
 * before the next entry loads it again.  A component the host's XCR0 lacks
 * is one the host kernel chose not to manage.
 */
int co_guest_xcr0_check(u64 guest_xcr0, u64 host_xcr0, struct co_err *err)
{
	if (guest_xcr0 & CO_XCR0_TILE)
		return co_fail(
			err, -EPERM,
			"guest XCR0 %#llx enables AMX tile state, which is the host's alone",
			(unsigned long long)guest_xcr0);
	if (guest_xcr0 & ~host_xcr0)
		return co_fail(
			err, -EPERM,
			"guest XCR0 %#llx enables state components %#llx that the host's XCR0 %#llx does not",
			(unsigned long long)guest_xcr0,
			(unsigned long long)(guest_xcr0 & ~host_xcr0),
			(unsigned long long)host_xcr0);
	return 0;
}

/* The first of IA32_XSS, IA32_XFD, IA32_XFD_ERR that differs, or NULL. */
const char *co_xmsrs_compare(const struct co_xmsrs *a, const struct co_xmsrs *b)
{
	if (a->xss != b->xss)
		return "IA32_XSS";
	if (a->xfd != b->xfd)
		return "IA32_XFD";
	if (a->xfd_err != b->xfd_err)
		return "IA32_XFD_ERR";
	return NULL;
}

const char *co_host_compare(const struct co_host_snap *a,
			    const struct co_host_snap *b)
{
#define CO_SAME(f, name)             \
	do {                         \
		if (a->f != b->f)    \
			return name; \
	} while (0)
	unsigned int i;

	CO_SAME(cr0, "CR0");
	CO_SAME(cr3, "CR3");
	CO_SAME(cr4, "CR4");
	CO_SAME(efer, "EFER");
	CO_SAME(xcr0, "XCR0");
	CO_SAME(pkru, "PKRU");
	CO_SAME(dr7, "DR7");
	CO_SAME(cs, "CS");
	CO_SAME(ss, "SS");
	CO_SAME(ds, "DS");
	CO_SAME(es, "ES");
	CO_SAME(fs, "FS");
	CO_SAME(gs, "GS");
	CO_SAME(tr, "TR");
	CO_SAME(ldtr, "LDTR");
	CO_SAME(gdt_limit, "GDTR limit");
	CO_SAME(gdt_base, "GDTR base");
	CO_SAME(idt_limit, "IDTR limit");
	CO_SAME(idt_base, "IDTR base");
	for (i = 0; i < 16; i++)
		CO_SAME(gdt[i], "GDT entry");
	for (i = 0; i < 24; i++)
		CO_SAME(msr[i],
			"MSR (FS/GS base, SYSCALL, SYSENTER, TSC_AUX, PAT)");
	return co_xmsrs_compare(&a->xm, &b->xm);
#undef CO_SAME
}

#ifdef CO_OS_KERNEL
void co_host_mode_read(struct co_host_mode *m)
{
	m->cr0 = co_arch_read_cr0();
	m->cr4 = co_arch_read_cr4();
	m->efer = co_arch_rdmsr(CO_MSR_EFER);
}

void co_xmsrs_read(struct co_xmsrs *m, bool xss, bool xfd)
{
	m->xss = xss ? co_arch_rdmsr(CO_MSR_XSS) : 0;
	m->xfd = xfd ? co_arch_rdmsr(CO_MSR_XFD) : 0;
	m->xfd_err = xfd ? co_arch_rdmsr(CO_MSR_XFD_ERR) : 0;
}

void co_xmsrs_write(const struct co_xmsrs *m, bool xss, bool xfd)
{
	if (xss)
		co_arch_wrmsr(CO_MSR_XSS, m->xss);
	if (xfd) {
		co_arch_wrmsr(CO_MSR_XFD, m->xfd);
		co_arch_wrmsr(CO_MSR_XFD_ERR, m->xfd_err);
	}
}

void co_host_snapshot(struct co_host_snap *s, const u32 *msrs, unsigned int nr,
		      bool xsave, bool pke, bool xss, bool xfd)
{
	struct co_dtr d;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->cr0 = co_arch_read_cr0();
	s->cr3 = co_arch_read_cr3();
	s->cr4 = co_arch_read_cr4();
	s->efer = co_arch_rdmsr(CO_MSR_EFER);
	s->xcr0 = xsave ? co_arch_xgetbv(0) : 0;
	s->pkru = pke ? co_arch_rdpkru() : 0;
	s->dr7 = co_arch_read_dr7();
	s->cs = co_arch_read_cs();
	s->ss = co_arch_read_ss();
	s->ds = co_arch_read_ds();
	s->es = co_arch_read_es();
	s->fs = co_arch_read_fs();
	s->gs = co_arch_read_gs();
	s->tr = co_arch_str();
	s->ldtr = co_arch_sldt();
	co_arch_sgdt(&d);
	s->gdt_limit = d.limit;
	s->gdt_base = d.base;
	for (i = 0; i < 16 && i * 8 + 7 <= d.limit; i++)
		s->gdt[i] = ((const u64 *)(uintptr_t)d.base)[i];
	co_arch_sidt(&d);
	s->idt_limit = d.limit;
	s->idt_base = d.base;
	for (i = 0; i < nr && i < 24; i++)
		s->msr[i] = co_arch_rdmsr(msrs[i]);
	co_xmsrs_read(&s->xm, xss, xfd);
}
#endif
