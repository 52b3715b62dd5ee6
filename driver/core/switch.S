/* SPDX-License-Identifier: GPL-2.0 */
/*
 * switch.S --- the passage: the x86_64 switch between host and guest.
 *
 * Host and guest are two kernels, each with its own page tables, GDT, IDT,
 * TSS and system MSRs.  The switch saves one side's CPU state and loads the
 * other's, like a coroutine switch that also changes the whole machine
 * state.  Both directions run the same code (co_switch) on the same
 * physical pages, mapped at the same virtual address on both sides, so the
 * CR3 write in the middle does not pull the floor away.
 *
 * The rules the order below follows (switch-design.md, C.3):
 *  - Interrupts are off throughout; only NMIs and exceptions can arrive.
 *  - First of all, each direction loads the passage IDT.  From then until
 *    the destination's IDT is loaded, an NMI or an exception lands in this
 *    file, never in a handler of the half-switched source or destination.
 *  - Then the stack moves to the passage stack, which both sides map.
 *  - A side's general-purpose registers stay on its own stack; the area
 *    only holds what the other side can not reach.
 *  - After the destination's IDT is loaded, no passage-private scratch is
 *    used any more: an NMI may start a complete nested switch right there.
 *
 * %rdi holds the area from before the passage IDT is loaded until after
 * the destination's IDT is: the passage NMI and exception stubs rely on it.
 * This code may not call or jump outside this section (it must run without
 * the host kernel mapped), and it uses plain "ret".
 */
#include "passage.h"
#include <linux/colinux.h>
#include <colinux/x86.h>


#define H(i) (CO_HOST + (i) * 8)
#define G(i) (CO_GUEST + (i) * 8)

/* Vectors whose exceptions push an error code. */
#define HAS_ERROR_CODE(v) \
	((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
	 (v) == 29 || (v) == 30)

/* Everything but %rdi, which the entry pushed first. */
.macro PUSH_REST
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro POP_REST
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

	.section .text.copassage, "ax"
	.balign 4096
	.globl co_passage_start
co_passage_start:

/*
 * unsigned long co_switch_to_guest(struct co_area *area)
 *
 * The host's way in, called from C with interrupts already disabled.
 * Returns CO_SWITCH_OK when the guest called the host (the call is in the
 * area), CO_SWITCH_FAULTED when an exception hit the passage itself.
 */
	.globl co_switch_to_guest
co_switch_to_guest:
	pushfq
	/*
	 * Interrupts off, and also TF (no single-stepping into the other
	 * world), DF, AC and NT: the passage starts from known flags.  Each
	 * side gets its own back from its frame at the end.
	 */
	pushq $2
	popfq
	pushq %rdi
	/* Keep the host IDT in mind, then make the passage's the live one. */
	sidt H(CO_S_IDTR)(%rdi)
	lidt CO_PIDTR(%rdi)
	PUSH_REST
	leaq CO_HOST(%rdi), %rsi
	leaq CO_GUEST(%rdi), %rbx
	jmp co_switch

/*
 * The guest's way out: one entry per slot, since the guest arrives with
 * only its own registers and the entry is what tells us which area is its
 * own.  Interrupts may be on: they are turned off before anything else, and
 * until the passage IDT is live an NMI simply nests a whole round trip.
 */
	.balign CO_ENTRY_SIZE
	.globl co_guest_entries
co_guest_entries:
	.set slot, 0
	.rept CO_MAX_SLOTS
	.org co_guest_entries + slot * CO_ENTRY_SIZE, 0xcc
	pushfq
	pushq $2
	popfq
	pushq %rdi
	leaq co_areas + slot * CO_AREA_SIZE(%rip), %rdi
	{disp32} jmp co_guest_exit
	.set slot, slot + 1
	.endr
	.org co_guest_entries + CO_MAX_SLOTS * CO_ENTRY_SIZE, 0xcc

co_guest_exit:
	sidt G(CO_S_IDTR)(%rdi)
	lidt CO_PIDTR(%rdi)
	PUSH_REST
	/* The call: operation in the pushed %rdi, arguments still live. */
	movq CO_FRAME_RDI(%rsp), %rax
	movq %rax, CO_CALL_OP(%rdi)
	movq %rsi, CO_CALL_ARG(%rdi)
	movq %rdx, CO_CALL_ARG + 8(%rdi)
	movq %rcx, CO_CALL_ARG + 16(%rdi)
	movq %r8, CO_CALL_ARG + 24(%rdi)
	leaq CO_GUEST(%rdi), %rsi
	leaq CO_HOST(%rdi), %rbx
	/* fall through */

/*
 * co_switch: %rdi = area, %rsi = the state to save (source), %rbx = the
 * state to load (destination).  The source's registers are on its stack
 * and the passage IDT is live.
 */
co_switch:
	movq %rsp, CO_S_RSP * 8(%rsi)
	/*
	 * The source stack may not be mapped on the other side (the host's
	 * kernel stack is not in the guest's tables; the guest's RAM is user
	 * space to the host), so move to the passage stack before touching
	 * CR3.  An NMI or exception from here on pushes its frame there.
	 */
	leaq CO_STACK_TOP(%rdi), %rsp

	/* Save the rest of the source: tables, selectors, control registers. */
	sgdt CO_S_GDTR * 8(%rsi)
	str CO_S_TR * 8(%rsi)
	sldt CO_S_LDTR * 8(%rsi)
	movw %cs, CO_S_CS * 8(%rsi)
	movw %ss, CO_S_SS * 8(%rsi)
	movw %ds, CO_S_DS * 8(%rsi)
	movw %es, CO_S_ES * 8(%rsi)
	movw %fs, CO_S_FS * 8(%rsi)
	movw %gs, CO_S_GS * 8(%rsi)
	movq %cr0, %rax
	movq %rax, CO_S_CR0 * 8(%rsi)
	movq %cr2, %rax
	movq %rax, CO_S_CR2 * 8(%rsi)
	movq %cr3, %rax
	movq %rax, CO_S_CR3 * 8(%rsi)
	movq %cr4, %rax
	movq %rax, CO_S_CR4 * 8(%rsi)
	/*
	 * Debug registers: the source's breakpoints must not fire on the
	 * other side (a guest watchpoint would hit host code at the same
	 * addresses).  DR7 is saved and cleared first; DR0-3 and DR6 are
	 * inert then and only saved.  A guest DR7 with GD set makes the
	 * first access fault here, which ends the guest as a passage fault.
	 */
	movq %dr7, %rax
	movq %rax, CO_S_DR7 * 8(%rsi)
	xorl %eax, %eax
	movq %rax, %dr7
	movq %dr0, %rax
	movq %rax, CO_S_DR0 * 8(%rsi)
	movq %dr1, %rax
	movq %rax, CO_S_DR0 * 8 + 8(%rsi)
	movq %dr2, %rax
	movq %rax, CO_S_DR0 * 8 + 16(%rsi)
	movq %dr3, %rax
	movq %rax, CO_S_DR0 * 8 + 24(%rsi)
	movq %dr6, %rax
	movq %rax, CO_S_DR6 * 8(%rsi)
	movl $CO_MSR_EFER, %ecx
	rdmsr
	movl %eax, CO_S_EFER * 8(%rsi)
	movl %edx, CO_S_EFER * 8 + 4(%rsi)

	/*
	 * The system MSRs (FS/GS bases, SYSCALL/SYSENTER targets, TSC_AUX,
	 * PAT, ...).  The list was probed with a safe rdmsr at setup, so
	 * nothing here can fault before the source is completely saved.
	 */
	xorl %r8d, %r8d
1:	cmpq CO_NR_MSRS(%rdi), %r8
	jae 2f
	movl CO_MSR_LIST(%rdi, %r8, 4), %ecx
	rdmsr
	movl %eax, CO_S_MSR * 8(%rsi, %r8, 8)
	movl %edx, CO_S_MSR * 8 + 4(%rsi, %r8, 8)
	incq %r8
	jmp 1b
2:

/*
 * From here on only the destination matters.  The fault path enters here
 * too, with %rbx = host state, to put the host back after an exception.
 */
co_switch_load:
	/*
	 * The passage GDT: its only job is to let us load TR from a copy of
	 * the destination's TSS descriptor (below), so that neither side's
	 * GDT, read-only in Linux, is ever written.
	 */
	lgdt CO_PGDTR(%rdi)

	/*
	 * EFER before the address space: NXE decides whether bit 63 of a
	 * page-table entry means no-execute or is a reserved bit, and SCE
	 * whether SYSCALL works, so the host must never run, nor walk its
	 * tables, on a guest's EFER (an NMI handler in the host with NXE
	 * clear would fault on every kernel page).  The two are equal unless
	 * the guest changed its own, which the monitor then stops; written
	 * only when they differ, as a write costs more than the read.
	 */
	movl $CO_MSR_EFER, %ecx
	rdmsr
	cmpl CO_S_EFER * 8(%rbx), %eax
	jne 1f
	cmpl CO_S_EFER * 8 + 4(%rbx), %edx
	je 2f
1:	movl CO_S_EFER * 8(%rbx), %eax
	movl CO_S_EFER * 8 + 4(%rbx), %edx
	wrmsr
2:

	/*
	 * Address space.  Both sides are kernels with global pages at the
	 * same addresses, so a CR3 write alone would leave the source's
	 * global TLB entries in place.  Clearing CR4.PGE flushes the whole
	 * TLB, global entries and all PCIDs included, and no new global entry
	 * can be made until PGE is set again, which happens only once the
	 * destination's CR3 is live.  The destination CR3 is first loaded
	 * without its low 12 bits: if the destination uses PCIDs, CR4.PCIDE
	 * can only be turned on while CR3[11:0] is zero; the full value
	 * follows the CR4 write.  CR4.LA57 is the same on both sides (checked
	 * before every entry), so neither write changes the paging mode.
	 */
	movq %cr4, %rax
	andq $~CO_CR4_PGE, %rax
	movq %rax, %cr4
	movq CO_S_CR3 * 8(%rbx), %rcx
	movq %rcx, %rax
	andq $~0xfff, %rax
	movq %rax, %cr3
	movq CO_S_CR4 * 8(%rbx), %rax
	movq %rax, %cr4
	testl $0xfff, %ecx
	jz 1f
	movq %rcx, %cr3
1:
	/*
	 * CR2 too: an NMI forwarded between a guest #PF and its read of CR2
	 * would otherwise hand the guest a host address.  CR0 is written only
	 * when it differs (both Linux sides use the same value).
	 */
	movq CO_S_CR2 * 8(%rbx), %rax
	movq %rax, %cr2
	movq CO_S_CR0 * 8(%rbx), %rax
	movq %cr0, %rcx
	cmpq %rax, %rcx
	je 1f
	movq %rax, %cr0
1:
	/*
	 * TR.  ltr faults on a busy descriptor, and the destination's own
	 * descriptor is busy (it was the live one).  So copy it into the same
	 * slot of the passage GDT, mark the copy available, and ltr while the
	 * passage GDT is live; the destination's GDT keeps its busy entry, as
	 * its OS expects.  We are on the destination's CR3, so its GDT is
	 * readable at its own address.  A selector that is null or outside
	 * either GDT, or whose descriptor is not a present 64-bit TSS, means
	 * "no TSS of its own" (the loader's default guest, or a guest kernel
	 * that has not set up its TSS yet but already holds the TR selector
	 * the passage left it): TR then keeps whatever the passage last
	 * loaded, since ltr would fault.
	 */
	movzwl CO_S_TR * 8(%rbx), %ecx
	andl $0xfff8, %ecx
	jz 2f
	cmpl $(CO_PGDT_ENTRIES * 8 - 16), %ecx
	ja 2f
	movzwl CO_S_GDTR * 8(%rbx), %eax
	leal 15(%rcx), %edx
	cmpl %eax, %edx
	ja 2f
	movq CO_S_GDTR * 8 + 2(%rbx), %rax
	movq (%rax, %rcx), %r8
	movq 8(%rax, %rcx), %r9
	btrq $41, %r8
	/* type 9 (available 64-bit TSS), S = 0, P = 1; any DPL */
	movq %r8, %rax
	shrq $40, %rax
	andl $0x9f, %eax
	cmpl $0x89, %eax
	jne 2f
	movq %r8, CO_PGDT(%rdi, %rcx)
	movq %r9, CO_PGDT + 8(%rdi, %rcx)
	ltr %cx
2:
	/*
	 * The destination's GDT, then its selectors, then its LDT.  A
	 * selector load reloads the hidden base, so the FS and GS bases come
	 * after, with the other MSRs.
	 */
	lgdt CO_S_GDTR * 8(%rbx)
	movw CO_S_SS * 8(%rbx), %ss
	movw CO_S_DS * 8(%rbx), %ds
	movw CO_S_ES * 8(%rbx), %es
	movw CO_S_FS * 8(%rbx), %fs
	movw CO_S_GS * 8(%rbx), %gs
	lldt CO_S_LDTR * 8(%rbx)
	xorl %r8d, %r8d
1:	cmpq CO_NR_MSRS(%rdi), %r8
	jae 2f
	movl CO_MSR_LIST(%rdi, %r8, 4), %ecx
	movl CO_S_MSR * 8(%rbx, %r8, 8), %eax
	movl CO_S_MSR * 8 + 4(%rbx, %r8, 8), %edx
	wrmsr
	incq %r8
	jmp 1b
2:
	/*
	 * The destination's stack, while the passage IDT is still live: an
	 * NMI now pushes onto the destination's kernel stack below its frame,
	 * which is safe (kernels use no red zone).  A far return reloads CS
	 * from the destination's GDT.
	 */
	movq CO_S_DR0 * 8(%rbx), %rax
	movq %rax, %dr0
	movq CO_S_DR0 * 8 + 8(%rbx), %rax
	movq %rax, %dr1
	movq CO_S_DR0 * 8 + 16(%rbx), %rax
	movq %rax, %dr2
	movq CO_S_DR0 * 8 + 24(%rbx), %rax
	movq %rax, %dr3
	movq CO_S_DR6 * 8(%rbx), %rax
	movq %rax, %dr6
	movq CO_S_RSP * 8(%rbx), %rsp
	pushq CO_S_CS * 8(%rbx)
	leaq 3f(%rip), %rax
	pushq %rax
	lretq
3:
	movq CO_S_RAX * 8(%rbx), %rax
	movq %rax, CO_FRAME_RAX(%rsp)
	leaq CO_GUEST(%rdi), %rcx
	subq %rbx, %rcx
	/*
	 * The destination's DR7 just before its IDT, since a nested switch
	 * after the lidt would overwrite the saved value: a breakpoint on
	 * the few passage instructions in between ends as a passage fault.
	 */
	movq CO_S_DR7 * 8(%rbx), %rax
	movq %rax, %dr7
	/* Last, the destination's IDT: from here on it handles everything. */
	lidt CO_S_IDTR * 8(%rbx)
	testq %rcx, %rcx
	jnz 5f
	/*
	 * An NMI or machine check that hit the passage on the way into the
	 * guest belongs to the host: turn back before the guest runs, and
	 * the C caller handles it, as it does one that hit the way out.
	 * (Raising an NMI in the guest with "int $2" would run the guest's
	 * handler with NMIs unblocked: a second NMI would overwrite its frame
	 * on the same IST stack.  A machine check's handler must run before
	 * another one comes: a second one while MCG_STATUS.MCIP is set shuts
	 * the machine down, and in the guest it would wait for the guest's
	 * next exit.)  From here on a new one finds the guest's IDT.
	 */
	cmpl $0, CO_PENDING(%rdi)
	jne co_turn_back
	/*
	 * Into the guest.  Host data may still sit in the CPU's fill
	 * buffers, load ports and store buffers, where guest code could
	 * sample it (MDS, TAA, MMIO stale data, RFDS).  When the host clears
	 * them on its own way to user space, clear them here too, as KVM
	 * does just before VM entry: only the memory-operand form of VERW
	 * does it, and only the guest's own stack is read after it.
	 */
	testl $1, CO_CLEAR_BUFFERS(%rdi)
	jz 9f
	verw CO_S_SS * 8(%rbx)
	jmp 9f
5:
	/*
	 * Back in the host.  The return-stack buffer holds the guest's
	 * return addresses, and guest and host share ring 0, so no hardware
	 * tagging keeps a host "ret" that underflows it from speculating
	 * into guest code.  Before the host's first return, push 32 return
	 * addresses that each lead into a speculation trap, then drop them
	 * from the stack again; the lfence stops speculation past the loop.
	 */
	movl $16, %ecx
6:	call 7f
1:	pause
	lfence
	jmp 1b
7:	call 8f
1:	pause
	lfence
	jmp 1b
8:	decl %ecx
	jnz 6b
	addq $(32 * 8), %rsp
	lfence
9:
	POP_REST
	popq %rdi
	popfq
	ret

/*
 * Back out of an entry that is complete but for its last step.  The
 * guest's registers are on its stack in the frame co_switch expects, so
 * switch back as if the guest had just called, with the passage IDT live
 * again; CO_TURNED tells the C caller that there is no call to answer.
 * The area already holds the guest IDTR just loaded (co_guest_exit's sidt
 * is not needed).  An NMI before the lidt runs the guest's handler, whose
 * forward is a complete nested round trip.
 */
co_turn_back:
	lidt CO_PIDTR(%rdi)
	movl $1, CO_TURNED(%rdi)
	leaq CO_GUEST(%rdi), %rsi
	leaq CO_HOST(%rdi), %rbx
	jmp co_switch

/*
 * The passage IDT: an NMI only leaves a note (the host handles it once the
 * host is back, through the guest's forwarding if need be); any exception
 * means the passage itself broke, and it is turned into an orderly return
 * to the host instead of a triple fault.  The gates use IST 0 and run on
 * whatever stack is live, which is always mapped.
 */
co_passage_nmi:
	orl $CO_PENDING_NMI, CO_PENDING(%rdi)
	iretq

/*
 * A machine check is no fault of the passage: the hardware raises it
 * wherever the CPU happens to be.  When MCG_STATUS.RIPV says the
 * interrupted code may go on, leave a note as for an NMI and go on; the
 * host's handler runs once the host is back (monitor.c), on the way in
 * after turning back.  Without RIPV nothing may go on: the fault path.
 * rdmsr needs %ecx and clobbers %eax and %edx, which belong to the
 * interrupted passage code.  (When the passage runs for a guest's NMI
 * handler, this iretq unblocks NMIs early, as any iret in an NMI handler
 * does; an NMI here then only leaves its note.)
 */
co_passage_mc:
	pushq %rax
	pushq %rcx
	pushq %rdx
	movl $CO_MSR_MCG_STATUS, %ecx
	rdmsr
	popq %rdx
	popq %rcx
	testl $CO_MCG_STATUS_RIPV, %eax
	popq %rax
	jz 1f
	orl $CO_PENDING_MC, CO_PENDING(%rdi)
	iretq
1:	pushq $0
	pushq $CO_VEC_MC
	jmp co_passage_fault

	.balign CO_STUB_SIZE
	.globl co_passage_stubs
co_passage_stubs:
	.set vec, 0
	.rept 32
	.org co_passage_stubs + vec * CO_STUB_SIZE, 0xcc
	.if vec == CO_VEC_NMI
	{disp32} jmp co_passage_nmi
	.elseif vec == CO_VEC_MC
	{disp32} jmp co_passage_mc
	.else
	.if !HAS_ERROR_CODE(vec)
	pushq $0
	.endif
	pushq $vec
	{disp32} jmp co_passage_fault
	.endif
	.set vec, vec + 1
	.endr

co_passage_fault:
	popq CO_FAULT_VEC(%rdi)
	popq CO_FAULT_ERR(%rdi)
	movq (%rsp), %rax
	movq %rax, CO_FAULT_RIP(%rdi)
	movq %cr2, %rax
	movq %rax, CO_FAULT_CR2(%rdi)
	/*
	 * A fault while putting the host back leaves nothing sane to return
	 * to: stop with a clean triple fault (an empty IDT and a breakpoint)
	 * rather than run on with half a host; QEMU's -d cpu_reset shows the
	 * CPU state of that moment.
	 */
	btsl $0, CO_BAILING(%rdi)
	jc 5f
	movq $CO_SWITCH_FAULTED, H(CO_S_RAX)(%rdi)
	leaq CO_STACK_TOP(%rdi), %rsp
	leaq CO_HOST(%rdi), %rbx
	jmp co_switch_load
5:	pushq $0
	pushq $0
	lidt 6(%rsp)
	int3

/*
 * (".org" places every stub at base + vector * CO_STUB_SIZE, and stops the
 * build if one grows past its slot.)
 *
 * The loader's default guest IDT points here.  Exceptions report to the
 * host with COLINUX_OP_FAULT; NMIs, machine checks and all other vectors
 * are the host's events that arrived while the guest ran: forward them with
 * COLINUX_OP_FORWARD and return to the guest.  The area is found through
 * the IDTR, since this IDT is the first thing in its area.
 */
	.balign CO_STUB_SIZE
	.globl co_guest_report_stubs
co_guest_report_stubs:
	.set vec, 0
	.rept 32
	.org co_guest_report_stubs + vec * CO_STUB_SIZE, 0xcc
	.if !HAS_ERROR_CODE(vec)
	pushq $0
	.endif
	pushq $vec
	{disp32} jmp co_guest_report
	.set vec, vec + 1
	.endr

	.balign CO_STUB_SIZE
	.globl co_guest_forward_stubs
co_guest_forward_stubs:
	.set vec, 0
	.rept 256
	.org co_guest_forward_stubs + vec * CO_STUB_SIZE, 0xcc
	pushq $vec
	{disp32} jmp co_guest_forward
	.set vec, vec + 1
	.endr

co_guest_report:
	subq $16, %rsp
	sidt (%rsp)
	movq 2(%rsp), %rax
	addq $16, %rsp
	movq (%rsp), %rsi
	movq 8(%rsp), %rdx
	movq 16(%rsp), %rcx
	movq %cr2, %r8
	movl $COLINUX_OP_FAULT, %edi
1:	call *CO_GUEST_ENTRY(%rax)
	/* The host never resumes a dead guest; if it does, report again. */
	jmp 1b

co_guest_forward:
	pushq %rax
	pushq %rdi
	pushq %rsi
	subq $16, %rsp
	sidt (%rsp)
	movq 2(%rsp), %rax
	addq $16, %rsp
	movq 24(%rsp), %rsi
	movl $COLINUX_OP_FORWARD, %edi
	call *CO_GUEST_ENTRY(%rax)
	popq %rsi
	popq %rdi
	popq %rax
	addq $8, %rsp
	iretq

	.balign 4096
	.globl co_passage_end
co_passage_end:
