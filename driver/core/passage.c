// SPDX-License-Identifier: GPL-2.0
/*
 * passage.c --- the passage areas and what the guest first runs on.
 *
 * The areas live in the driver's own data (not in allocated memory) because
 * the guest maps them at their host virtual address: module data sits in
 * the host's module area, which a guest kernel can keep free, whereas
 * vmalloc or direct-map addresses could land anywhere in the guest's own
 * layout.  switch.S has one entry per area, so their number is fixed.
 */
#include "vm.h"
#include "arch.h"
#include "passage.h"

struct co_area co_areas[CO_MAX_SLOTS];
static bool co_slot_used[CO_MAX_SLOTS];

struct co_area *co_passage_claim(int *slot)
{
	int i;

	co_os_global_lock();
	for (i = 0; i < CO_MAX_SLOTS; i++) {
		if (!co_slot_used[i]) {
			co_slot_used[i] = true;
			break;
		}
	}
	co_os_global_unlock();
	if (i == CO_MAX_SLOTS)
		return NULL;
	*slot = i;
	memset(&co_areas[i], 0, sizeof(co_areas[i]));
	return &co_areas[i];
}

void co_passage_release(int slot)
{
	memset(&co_areas[slot], 0, sizeof(co_areas[slot]));
	co_os_global_lock();
	co_slot_used[slot] = false;
	co_os_global_unlock();
}

u64 co_passage_guest_entry(int slot)
{
	return (uintptr_t)co_guest_entries + slot * CO_ENTRY_SIZE;
}

/* A 64-bit interrupt gate, ring 0, no IST. */
static void set_gate(u8 *idt, unsigned int vector, const u8 *handler)
{
	u64 a = (uintptr_t)handler;
	u8 *g = idt + vector * 16;

	memset(g, 0, 16);
	g[0] = a & 0xff;
	g[1] = (a >> 8) & 0xff;
	g[2] = CO_KERNEL_CS;
	g[5] = 0x8e;
	g[6] = (a >> 16) & 0xff;
	g[7] = (a >> 24) & 0xff;
	memcpy(g + 8, (const u8 *)&a + 4, 4);
}

static void set_dtr(void *where, u16 limit, const void *base)
{
	u64 b = (uintptr_t)base;

	memcpy(where, &limit, 2);
	memcpy((u8 *)where + 2, &b, 8);
}

#define GDT_CODE64 0x00af9b000000ffffULL
#define GDT_DATA 0x00cf93000000ffffULL

/*
 * System MSRs that both Linux sides own and set differently (or might):
 * the passage saves and loads every one that this CPU has.  Core-wide
 * MSRs (TSX_CTRL, MCU_OPT_CTRL, TEST_CTRL, LS_CFG) are not here: switching
 * would not protect the other thread of the core, so the guest kernel
 * keeps its hands off them instead (kernel/overlay/.../setup.c).
 * MISC_FEATURES_ENABLES is here since guest user space can set its CPUID
 * faulting bit (arch_prctl), which the host's kernel, trusting its own
 * shadow copy, would never clear for its processes.
 */
static const u32 co_switched_msrs[] = {
	CO_MSR_FS_BASE,	     CO_MSR_GS_BASE,	 CO_MSR_KERNEL_GS_BASE,
	CO_MSR_STAR,	     CO_MSR_LSTAR,	 CO_MSR_CSTAR,
	CO_MSR_SFMASK,	     CO_MSR_SYSENTER_CS, CO_MSR_SYSENTER_ESP,
	CO_MSR_SYSENTER_EIP, CO_MSR_TSC_AUX,	 CO_MSR_PAT,
	CO_MSR_SPEC_CTRL,    CO_MSR_DEBUGCTL,	 CO_MSR_MISC_FEATURES_ENABLES,
};

/*
 * Fill this guest's area: the passage IDT and GDT, the default guest IDT
 * and GDT, the MSR list, and the guest's first control state.  General
 * registers come with SET_REGS.
 */
int co_passage_prepare(struct co_vm *vm, struct co_err *err)
{
	struct co_area *a = vm->area;
	u64 *g = a->guest, v;
	unsigned int i, n = 0;
	u32 eax, ebx, ecx, edx, size;

	for (i = 0; i < 32; i++)
		set_gate(a->pidt, i, co_passage_stubs + i * CO_STUB_SIZE);
	set_dtr(a->pidtr, 32 * 16 - 1, a->pidt);
	a->pgdt[CO_KERNEL_CS / 8] = GDT_CODE64;
	a->pgdt[CO_KERNEL_DS / 8] = GDT_DATA;
	set_dtr(a->pgdtr, sizeof(a->pgdt) - 1, a->pgdt);

	/* NMIs and machine checks are the host's: forwarded, like interrupts. */
	for (i = 0; i < 256; i++) {
		if (i < 32 && i != CO_VEC_NMI && i != CO_VEC_MC)
			set_gate(a->gidt, i,
				 co_guest_report_stubs + i * CO_STUB_SIZE);
		else
			set_gate(a->gidt, i,
				 co_guest_forward_stubs + i * CO_STUB_SIZE);
	}
	a->ggdt[CO_KERNEL_CS / 8] = GDT_CODE64;
	a->ggdt[CO_KERNEL_DS / 8] = GDT_DATA;
	a->guest_entry = co_passage_guest_entry(vm->slot);

	/* The guest starts with the host's values, except segment bases. */
	for (i = 0; i < ARRAY_SIZE(co_switched_msrs); i++) {
		if (co_os_rdmsr_safe(co_switched_msrs[i], &v))
			continue;
		a->msr_list[n] = co_switched_msrs[i];
		g[CO_S_MSR + n] = v;
		if (co_switched_msrs[i] == CO_MSR_FS_BASE ||
		    co_switched_msrs[i] == CO_MSR_GS_BASE ||
		    co_switched_msrs[i] == CO_MSR_KERNEL_GS_BASE)
			g[CO_S_MSR + n] = 0;
		n++;
	}
	a->nr_msrs = n;
	a->clear_buffers = co_os_clear_buffers();

	/* Debug registers as after RESET: no breakpoint armed. */
	for (i = 0; i < 4; i++)
		g[CO_S_DR0 + i] = 0;
	g[CO_S_DR6] = CO_DR6_INIT;
	g[CO_S_DR7] = CO_DR7_INIT;
	g[CO_S_CR0] = co_arch_read_cr0();
	g[CO_S_CR3] = vm->cr3;
	g[CO_S_CR4] = co_arch_read_cr4() & ~CO_CR4_PCIDE;
	set_dtr(&g[CO_S_GDTR], sizeof(a->ggdt) - 1, a->ggdt);
	set_dtr(&g[CO_S_IDTR], sizeof(a->gidt) - 1, a->gidt);
	g[CO_S_CS] = CO_KERNEL_CS;
	g[CO_S_SS] = CO_KERNEL_DS;
	g[CO_S_DS] = CO_KERNEL_DS;
	g[CO_S_ES] = CO_KERNEL_DS;

	g[CO_S_EFER] = co_arch_rdmsr(CO_MSR_EFER);
	vm->xsave = co_arch_read_cr4() & CO_CR4_OSXSAVE;
	vm->pke = co_arch_read_cr4() & CO_CR4_PKE;
	size = 512;
	if (vm->xsave) {
		/* Room for every component the CPU supports, tiles included. */
		co_arch_cpuid(0xd, 0, &eax, &ebx, &size, &edx);
		vm->guest_xcr0 = co_guest_xcr0_allowed(co_arch_xgetbv(0));
		co_arch_cpuid(0xd, 1, &eax, &ebx, &ecx, &edx);
		vm->xss = (eax & CO_XSAVE_XSAVES) &&
			  !co_os_rdmsr_safe(CO_MSR_XSS, &v);
		vm->xfd = (eax & CO_XSAVE_XFD) &&
			  !co_os_rdmsr_safe(CO_MSR_XFD, &v);
	}
	/* A SETUP that failed after this point left the buffer: reuse it. */
	if (!vm->fpu)
		vm->fpu = co_os_zalloc(size + 4096);
	if (!vm->fpu)
		return co_fail(err, -ENOMEM,
			       "no memory for the guest FPU state");
	/* Initial x87/SSE state: default control words, nothing pending. */
	((u16 *)vm->fpu)[0] = 0x37f;
	((u32 *)vm->fpu)[6] = 0x1f80;
	return 0;
}

/* switch.S addresses the area by these offsets. */
#define CO_AT(field, off)                                        \
	_Static_assert(offsetof(struct co_area, field) == (off), \
		       #field " is not at " #off)
CO_AT(gidt, CO_GIDT);
CO_AT(host, CO_HOST);
CO_AT(guest, CO_GUEST);
CO_AT(pgdt, CO_PGDT);
CO_AT(pgdtr, CO_PGDTR);
CO_AT(pidtr, CO_PIDTR);
CO_AT(pending, CO_PENDING);
CO_AT(bailing, CO_BAILING);
CO_AT(clear_buffers, CO_CLEAR_BUFFERS);
CO_AT(turned, CO_TURNED);
CO_AT(call_op, CO_CALL_OP);
CO_AT(call_arg, CO_CALL_ARG);
CO_AT(fault_vec, CO_FAULT_VEC);
CO_AT(fault_cr2, CO_FAULT_CR2);
CO_AT(guest_entry, CO_GUEST_ENTRY);
CO_AT(nr_msrs, CO_NR_MSRS);
CO_AT(msr_list, CO_MSR_LIST);
CO_AT(pidt, CO_PIDT);
CO_AT(ggdt, CO_GGDT);
CO_AT(stack, CO_STACK_TOP - 0x1000);
_Static_assert(sizeof(struct co_area) == CO_AREA_SIZE, "area size");
