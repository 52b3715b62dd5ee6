/* SPDX-License-Identifier: GPL-2.0 */
/*
 * payload.S --- a few hundred bytes that play the guest in the host-VM tests.
 *
 * Loaded as a flat binary anywhere in guest RAM (position-independent) and
 * entered in ring 0, 64-bit, interrupts off, on the loader's page tables and
 * the driver's default GDT/IDT.  First registers:
 *   %rdi = mode (below)   %rsi = passage entry   %rdx = count
 *   %rcx = data page base (16 KiB, identity-mapped guest RAM)   %rsp = stack
 *   %r8 = the shared page (struct colinux_shared)
 * It ends with the call DONE(counter, status), status 0 when all its own
 * checks held.
 *
 * Data page: +0 counter, +8 IST hits, +16 stop, +0x1000 GDT, +0x1100 TSS,
 *            +0x2000 IDT, +0x4000 top of the IST stack.
 */
#include <linux/colinux.h>

#define OP_DONE (COLINUX_OP_DAEMON + 1)

#define MODE_ROUNDTRIP 1 /* count NOP calls; registers must survive */
#define MODE_OWN_TABLES 2 /* the same with its own GDT, TSS and IDT */
#define MODE_SPIN 3 /* interrupts on, spin forever */
#define MODE_FAULT 4 /* write to an unmapped address */
#define MODE_BAD_SELECTOR 5 /* leave a selector that can not be reloaded */
#define MODE_NOTIFY 6 /* device notifies, then wait for the device's virq */
#define MODE_DEBUGREGS 7 /* round trips with a write watchpoint armed */
#define MODE_CLI_SPIN 8 /* interrupts off, spin until the TSC passes count */
#define MODE_FORWARDS 9 /* forward events the host does not have */
#define MODE_EFER 10 /* change EFER.SCE, then call the host */

#define NOTIFY_DEVICE 1
#define NOTIFY_QUEUE 2 /* the host gives it an eventfd */
#define NOTIFY_QUEUE_EXIT 3 /* this one it does not */
#define NOTIFY_ANSWER 7 /* what the daemon returns for NOTIFY_QUEUE_EXIT */
#define NOTIFY_VIRQ 5 /* the device thread raises it */
#define SHARED_PENDING 8 /* offset of colinux_shared.pending_virqs */

#define PATTERN 0x5a5aa5a5c3c33c3c
/* L0, DR0 breaks on 8-byte writes (R/W0 = 01, LEN0 = 10), bit 10 reserved. */
#define DR7_WATCH 0x90401
#define DR_PATTERN 0x5a5aa5a5c3c0 /* canonical, for DR1-3 */
#define FAULT_ADDR 0x0000700000000000

#define D_COUNTER 0
#define D_IST_HITS 8
#define D_STOP 16 /* cli_spin: the host says stop */
#define D_WATCH 0x800 /* watched by DR0, never written */
#define D_GDT 0x1000
#define D_TSS 0x1100
#define D_IDT 0x2000
#define D_IST_TOP 0x4000
#define TSS_SEL 0x30

/*
 * One counted NOP call of a loop at "1:": none left (%r13) -> "3f", a
 * non-zero answer -> "2f"; else count it (D_COUNTER) and go on.
 */
.macro NOP_STEP
	testq %r13, %r13
	jz 3f
	xorl %edi, %edi /* COLINUX_OP_NOP */
	call *%r14
	testq %rax, %rax
	jnz 2f
	incq D_COUNTER(%r15)
	decq %r13
.endm

	.text
	.globl _start
_start:
	movq %rsi, %r14 /* passage entry */
	movq %rcx, %r15 /* data page */
	movq %rdx, %r13 /* count */
	cmpq $MODE_ROUNDTRIP, %rdi
	je roundtrip
	cmpq $MODE_OWN_TABLES, %rdi
	je own_tables
	cmpq $MODE_SPIN, %rdi
	je spin
	cmpq $MODE_FAULT, %rdi
	je fault
	cmpq $MODE_BAD_SELECTOR, %rdi
	je bad_selector
	cmpq $MODE_NOTIFY, %rdi
	je notify
	cmpq $MODE_DEBUGREGS, %rdi
	je debugregs
	cmpq $MODE_CLI_SPIN, %rdi
	je cli_spin
	cmpq $MODE_FORWARDS, %rdi
	je forwards
	cmpq $MODE_EFER, %rdi
	je efer
	movq $-1, %rdx
	jmp done

/*
 * N NOP calls.  The passage preserves every register but %rax, and the
 * extended state: keep patterns in the others and in %xmm0 and check them
 * after each call.
 */
roundtrip:
	movq $PATTERN, %rbx
	movq %rbx, %rbp
	movq %rbx, %r8
	movq %rbx, %r9
	movq %rbx, %r10
	movq %rbx, %r11
	movq %rbx, %r12
	movq %rbx, %xmm0
1:	NOP_STEP
	movq $PATTERN, %rax
	cmpq %rax, %rbx
	jne 2f
	cmpq %rax, %rbp
	jne 2f
	cmpq %rax, %r8
	jne 2f
	cmpq %rax, %r9
	jne 2f
	cmpq %rax, %r10
	jne 2f
	cmpq %rax, %r11
	jne 2f
	cmpq %rax, %r12
	jne 2f
	testq %rdi, %rdi
	jnz 2f
	jmp 1b
2:	movl $1, %edx /* status: a register changed */
	jmp done
3:	movq %xmm0, %rax
	movq $PATTERN, %rdx
	cmpq %rax, %rdx
	movl $0, %edx
	je done
	movl $2, %edx /* status: %xmm0 changed */
	jmp done

/*
 * N NOP calls with DR0 watching writes to 8 bytes of the data page (never
 * written) and DR1-3 holding patterns: the guest's debug registers must come
 * back after every call, and the host must not keep them (the driver's host
 * state check compares DR7).
 */
debugregs:
	leaq D_WATCH(%r15), %rax
	movq %rax, %dr0
	movq %rax, %rbx
	movq $DR_PATTERN, %rax
	movq %rax, %dr1
	movq %rax, %dr2
	movq %rax, %dr3
	movq $DR7_WATCH, %rax
	movq %rax, %dr7
1:	NOP_STEP
	movq %dr7, %rax
	cmpq $DR7_WATCH, %rax
	jne 2f
	movq %dr0, %rax
	cmpq %rax, %rbx
	jne 2f
	movq $DR_PATTERN, %rcx
	movq %dr1, %rax
	cmpq %rax, %rcx
	jne 2f
	movq %dr2, %rax
	cmpq %rax, %rcx
	jne 2f
	movq %dr3, %rax
	cmpq %rax, %rcx
	jne 2f
	jmp 1b
2:	movl $3, %edx /* status: a debug register changed */
	jmp done
3:	xorl %edx, %edx
	jmp done

/*
 * Own GDT (code 0x10, data 0x18, a TSS at 0x30 unlike Linux's 0x40), own
 * TSS whose IST1 is a stack in the data page, own IDT: vector 0x40 runs on
 * IST1, so every "int $0x40" after a round trip proves that the passage
 * gave us back our own TR.  The NMI gate forwards to the host, since the
 * passage may re-raise a host NMI here.
 */
own_tables:
	/* GDT */
	leaq D_GDT(%r15), %rdi
	movq $0, (%rdi)
	movq $0, 8(%rdi)
	movq $0x00af9b000000ffff, %rax
	movq %rax, 0x10(%rdi)
	movq $0x00cf93000000ffff, %rax
	movq %rax, 0x18(%rdi)
	movq $0, 0x20(%rdi)
	movq $0, 0x28(%rdi)
	/* TSS descriptor: base = data + D_TSS, limit 0x67, type 9, present */
	leaq D_TSS(%r15), %rax
	movq %rax, %rcx
	andq $0xffffff, %rcx
	shlq $16, %rcx
	orq $0x67, %rcx
	movq %rax, %rdx
	shrq $24, %rdx
	andq $0xff, %rdx
	shlq $56, %rdx
	orq %rdx, %rcx
	movabsq $0x0000890000000000, %rdx
	orq %rdx, %rcx
	movq %rcx, TSS_SEL(%rdi)
	shrq $32, %rax
	movq %rax, TSS_SEL + 8(%rdi)
	/* TSS: IST1 at offset 0x24 */
	leaq D_IST_TOP(%r15), %rax
	movq %rax, D_TSS + 0x24(%r15)
	/* IDT: exceptions report, NMI forwards, 0x40 on IST1 */
	xorl %ecx, %ecx
1:	leaq exception(%rip), %rax
	cmpl $2, %ecx
	jne 2f
	leaq nmi(%rip), %rax
2:	movl %ecx, %edx
	xorl %esi, %esi /* IST */
	cmpl $0x40, %ecx
	jne 3f
	leaq ist_handler(%rip), %rax
	movl $1, %esi
3:	call set_gate
	incl %ecx
	cmpl $256, %ecx
	jb 1b
	/* load them: GDT, CS by far return, data selectors, TR, IDT */
	subq $16, %rsp
	movw $0x2f + 16, (%rsp)
	leaq D_GDT(%r15), %rax
	movq %rax, 2(%rsp)
	lgdt (%rsp)
	leaq D_IDT(%r15), %rax
	movw $0xfff, (%rsp)
	movq %rax, 2(%rsp)
	lidt (%rsp)
	addq $16, %rsp
	pushq $0x10
	leaq 4f(%rip), %rax
	pushq %rax
	lretq
4:	movl $0x18, %eax
	movl %eax, %ss
	movl %eax, %ds
	movl %eax, %es
	movl $TSS_SEL, %eax
	ltr %ax
	/* the loop */
5:	testq %r13, %r13
	jz 7f
	xorl %edi, %edi
	call *%r14
	incq D_COUNTER(%r15)
	decq %r13
	int $0x40
	str %ax
	cmpw $TSS_SEL, %ax
	jne 6f
	/* our descriptor must still be busy (type 0xb) in our own GDT */
	movzbl D_GDT + TSS_SEL + 5(%r15), %eax
	andl $0xf, %eax
	cmpl $0xb, %eax
	jne 6f
	jmp 5b
6:	movl $3, %edx /* status: TR or our GDT changed */
	jmp done
7:	movq D_IST_HITS(%r15), %rax
	movq D_COUNTER(%r15), %rdx
	cmpq %rax, %rdx
	movl $0, %edx
	je done
	movl $4, %edx /* status: the IST handler did not run every time */
	jmp done

/* set_gate: vector %edx, handler %rax, IST %esi; clobbers %rdi, %r8 */
set_gate:
	movl %edx, %edi
	shlq $4, %rdi
	leaq D_IDT(%r15, %rdi), %rdi
	movq %rax, %r8
	andq $0xffff, %r8
	orq $(0x10 << 16), %r8
	movq %rsi, %r9
	shlq $32, %r9
	orq %r9, %r8
	movabsq $0x00008e0000000000, %r9
	orq %r9, %r8
	movq %rax, %r9
	shrq $16, %r9
	andq $0xffff, %r9
	shlq $48, %r9
	orq %r9, %r8
	movq %r8, (%rdi)
	movq %rax, %r9
	shrq $32, %r9
	movq %r9, 8(%rdi)
	ret

/* On IST1: the stack must be our own, inside the data page. */
ist_handler:
	leaq D_IST_TOP(%r15), %rax
	cmpq %rax, %rsp
	ja 1f
	subq $0x1000, %rax
	cmpq %rax, %rsp
	jb 1f
	incq D_IST_HITS(%r15)
1:	iretq

nmi:
	pushq %rax
	pushq %rdi
	pushq %rsi
	movl $COLINUX_OP_FORWARD, %edi
	movl $2, %esi
	call *%r14
	popq %rsi
	popq %rdi
	popq %rax
	iretq

exception:
	movl $COLINUX_OP_FAULT, %edi
	movq $255, %rsi
	xorl %edx, %edx
	movq (%rsp), %rcx
	movq %cr2, %r8
	call *%r14
	jmp exception

/* Interrupts on, forever: the host stops us with a signal to the daemon. */
spin:
	sti
1:	incq D_COUNTER(%r15)
	pause
	jmp 1b

/*
 * Interrupts off (as we were entered) until the host's test program sets
 * D_STOP or the TSC reaches %r13 (never if 0): only an NMI or a machine
 * check gets the host's CPU back meanwhile, through the default IDT.
 */
cli_spin:
1:	incq D_COUNTER(%r15)
	pause
	cmpq $0, D_STOP(%r15)
	jne 2f
	testq %r13, %r13
	jz 1b
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	cmpq %r13, %rax
	jb 1b
2:	xorl %edx, %edx
	jmp done

/*
 * Forward what the host does not have, interrupts off so that no host
 * interrupt can be in service: %r13 times the host's timer vector (0xec),
 * then a machine check (no MCIP), vector 0x80, vector 256: each must be
 * refused with -EINVAL; the spurious vector 0xff is accepted (0).  Every
 * forward is made whatever the answers before it; %r12 counts the wrong
 * ones.
 */
forwards:
	xorl %r12d, %r12d
1:	testq %r13, %r13
	jz 2f
	movl $0xec, %esi
	call forward_refused
	incq D_COUNTER(%r15)
	decq %r13
	jmp 1b
2:	movl $18, %esi
	call forward_refused
	movl $0x80, %esi
	call forward_refused
	movl $256, %esi
	call forward_refused
	movl $COLINUX_OP_FORWARD, %edi
	movl $0xff, %esi
	call *%r14
	testq %rax, %rax
	jz 3f
	incq %r12
3:	xorl %edx, %edx
	testq %r12, %r12
	jz done
	movl $8, %edx /* status: a forward got the wrong answer */
	jmp done

/* FORWARD(vector %esi) must return -EINVAL; else count it in %r12. */
forward_refused:
	movl $COLINUX_OP_FORWARD, %edi
	call *%r14
	cmpq $-22, %rax
	je 1f
	incq %r12
1:	ret

/*
 * A guest's own EFER (SCE flipped): the passage must give the host its own
 * back before any host code runs, and the host stops the guest.
 */
efer:
	movl $0xc0000080, %ecx
	rdmsr
	xorl $1, %eax
	wrmsr
	xorl %edi, %edi
	call *%r14
	movl $9, %edx /* status: came back, which it should not */
	jmp done

fault:
	movq $FAULT_ADDR, %rax
	movq $1, (%rax)
	movl $5, %edx
	jmp done

/*
 * Make GDT slot 0x20 a data segment, load it into %ds, then clear the
 * slot: the passage saves %ds = 0x20 on the way out and faults reloading
 * it on the way back in -- an exception inside the passage.
 */
bad_selector:
	subq $16, %rsp
	sgdt (%rsp)
	movq 2(%rsp), %rdi
	addq $16, %rsp
	/* the default GDT has 4 entries: write ours past it, then extend */
	leaq D_GDT(%r15), %rsi
	movq (%rdi), %rax
	movq %rax, (%rsi)
	movq 8(%rdi), %rax
	movq %rax, 8(%rsi)
	movq 0x10(%rdi), %rax
	movq %rax, 0x10(%rsi)
	movq 0x18(%rdi), %rax
	movq %rax, 0x18(%rsi)
	movq %rax, 0x20(%rsi)
	subq $16, %rsp
	movw $0x27, (%rsp)
	movq %rsi, 2(%rsp)
	lgdt (%rsp)
	addq $16, %rsp
	movl $0x20, %eax
	movl %eax, %ds
	movq $0, D_GDT + 0x20(%r15)
	xorl %edi, %edi
	call *%r14
	movl $6, %edx /* status: came back, which it should not */
	jmp done

/*
 * A device's life as the guest sees it: %r13 notifies of a queue the host
 * answers in the driver (each returns 0, counted), one of a queue it does
 * not (the daemon answers NOTIFY_ANSWER), one more of the first queue, then
 * idle until the device's virtual IRQ is pending, which is taken.
 */
notify:
	movq %r8, %r12 /* shared page */
1:	testq %r13, %r13
	jz 2f
	movl $NOTIFY_QUEUE, %edx
	call notify_call
	testq %rax, %rax
	jnz 8f
	incq D_COUNTER(%r15)
	decq %r13
	jmp 1b
2:	movl $NOTIFY_QUEUE_EXIT, %edx
	call notify_call
	cmpq $NOTIFY_ANSWER, %rax
	jne 8f
	movl $NOTIFY_QUEUE, %edx
	call notify_call
	testq %rax, %rax
	jnz 8f
3:	movl $COLINUX_OP_IDLE, %edi
	call *%r14
	btq $NOTIFY_VIRQ, SHARED_PENDING(%r12)
	jnc 3b
	lock btrq $NOTIFY_VIRQ, SHARED_PENDING(%r12)
	xorl %edx, %edx
	jmp done
8:	movl $7, %edx /* status: a notify returned the wrong value */
	jmp done

/* COLINUX_OP_NOTIFY(NOTIFY_DEVICE, queue in %rdx); result in %rax. */
notify_call:
	movl $COLINUX_OP_NOTIFY, %edi
	movl $NOTIFY_DEVICE, %esi
	call *%r14
	ret

/* DONE(counter, status in %rdx); a dead end if the host resumes us. */
done:
	movq D_COUNTER(%r15), %rsi
	movl $OP_DONE, %edi
	call *%r14
	jmp done
