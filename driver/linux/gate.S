/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gate.S --- void co_os_call_gate(u64 handler)
 *
 * Run a host IDT handler for an interrupt or NMI that the CPU has already
 * accepted (while the guest ran, so the guest's IDT got it): build the frame
 * the CPU would have pushed for an event in ring 0 -- SS, RSP, RFLAGS (IF
 * off), CS, RIP -- on a 16-byte aligned stack, as the CPU aligns it, and
 * call the handler, whose iretq comes back here with interrupts still off.
 * KVM's vmx_do_interrupt_nmi_irqoff() in Linux's own words: ordinary kernel
 * code, so the indirect call is CALL_NOSPEC and the return RET (retpolines
 * and return thunks as the host kernel has them), checked by objtool.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>

	.text
SYM_FUNC_START(co_os_call_gate)
	push %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	push $__KERNEL_DS
	push %rbp
	pushf
	push $__KERNEL_CS
	CALL_NOSPEC rdi
	/*
	 * The handler's iretq has put RSP back already; restoring it from
	 * RBP tells objtool so, which does not know that the callee irets.
	 */
	mov %rbp, %rsp
	pop %rbp
	RET
SYM_FUNC_END(co_os_call_gate)
