/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guard-windows.S --- long co_win_guarded(long (*fn)(void *), void *arg):
 * fn(arg) under an exception handler, for the few kernel calls that report
 * failure by raising an exception instead of returning a status (mapping
 * pages into a process: MmMapLockedPagesSpecifyCache with UserMode).
 * Returns fn's value, or the code of the exception it raised (an NTSTATUS
 * such as STATUS_INSUFFICIENT_RESOURCES, or STATUS_ACCESS_VIOLATION).
 *
 * GCC has no __try, so this is what MSVC emits for one, by hand: unwind
 * data for this function (.seh_*) naming the C runtime's language handler,
 * __C_specific_handler (ntoskrnl.exe exports it; in a program it comes from
 * msvcrt), with a scope table of one entry:
 *  - the range [begin, end) holds the call's return address, which is how
 *    the handler finds the frame that was calling when the exception came;
 *    the nop after the call keeps that address inside the range;
 *  - the filter, co_win_guard_filter, runs first, while the frames below
 *    are still there: it notes the exception's code in this frame's slot
 *    (the establisher frame is %rsp after the prologue) and says "handle";
 *  - the handler then unwinds the frames below and resumes at "caught"
 *    with this frame's %rsp, where the noted code is the result.
 * Every frame between the raise and this one must have unwind data too:
 * fn is compiled with -fasynchronous-unwind-tables (windows.mk), unlike
 * the rest of colinux.sys.  tests/win runs this file in a program under
 * Wine: an access violation and a raised code are caught, a normal return
 * is passed through, and without the guard the same fault kills.
 */
	.text
	.globl co_win_guarded
	.def co_win_guarded; .scl 2; .type 32; .endef
	.seh_proc co_win_guarded
co_win_guarded:
	sub $40, %rsp /* 32 bytes of home space for fn, then the slot */
	.seh_stackalloc 40
	.seh_endprologue
	mov %rcx, %rax
	mov %rdx, %rcx
.Lguard_begin:
	call *%rax
	nop
.Lguard_end:
	add $40, %rsp
	ret
.Lguard_caught:
	movslq 32(%rsp), %rax
	add $40, %rsp
	ret
	.seh_handler __C_specific_handler, @except
	.seh_handlerdata
	.long 1
	.rva .Lguard_begin, .Lguard_end, co_win_guard_filter, .Lguard_caught
	.text
	.seh_endproc

/*
 * The filter (EXCEPTION_POINTERS *, establisher frame): a leaf without
 * a frame, so it needs no unwind data.  1 is EXCEPTION_EXECUTE_HANDLER.
 */
	.def co_win_guard_filter; .scl 3; .type 32; .endef
co_win_guard_filter:
	mov (%rcx), %rax /* ExceptionRecord */
	mov (%rax), %eax /* ExceptionCode */
	mov %eax, 32(%rdx)
	mov $1, %eax
	ret
