/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gate-windows.S --- void co_os_call_gate(unsigned long handler), Windows.
 *
 * driver/linux/gate.S for the Microsoft x64 convention (the handler comes
 * in %rcx): run a host IDT handler for an interrupt or NMI that the CPU
 * has already accepted while the guest ran.  Build the frame the CPU would
 * have pushed for an event in ring 0 -- SS, RSP, RFLAGS (IF off), CS, RIP
 * -- on a 16-byte aligned stack, as the CPU aligns it, and call the
 * handler, whose iretq comes back here with interrupts still off.  The
 * selectors are the ones this code runs with: Windows's kernel CS and SS.
 * Only %rax is used besides %rbp (saved), and %rax is volatile in both
 * conventions.  No unwind data, like the rest of colinux.sys (built with
 * -fno-asynchronous-unwind-tables).
 */
	.text
	.globl co_os_call_gate
co_os_call_gate:
	push %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	mov %ss, %eax
	push %rax
	push %rbp
	pushf
	mov %cs, %eax
	push %rax
	call *%rcx
	/* The handler's iretq has put RSP back already. */
	mov %rbp, %rsp
	pop %rbp
	ret
