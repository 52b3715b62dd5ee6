/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * colinux/passage.h --- how the guest calls the host through the passage.
 *
 * The guest calls the VA it was given (colinux_setup.passage_entry) with a
 * near "call", in ring 0, with interrupts disabled or enabled:
 *   %rdi = operation (COLINUX_OP_*), %rsi, %rdx, %rcx, %r8 = arguments.
 * The call returns %rax; every other register, the flags and the stack are
 * preserved.  The guest's stack needs 256 bytes free below %rsp.
 *
 * This is the part of the guest<->host ABI the first milestone needs; it
 * moves into the guest ABI header (kernel/include/uapi/linux/colinux.h) when
 * the guest kernel arrives.
 */
#ifndef _UAPI_COLINUX_PASSAGE_H
#define _UAPI_COLINUX_PASSAGE_H

/* Handled in the driver. */
#define COLINUX_OP_NOP 0 /* returns 0 at once: round-trip tests */
/*
 * arg0 = vector: a host interrupt, or an NMI (2), arrived while the guest
 * ran; the host runs its handler, then the call returns 0.
 */
#define COLINUX_OP_FORWARD 1
/* arg0..3 = vector, error code, rip, cr2: the guest died; never returns. */
#define COLINUX_OP_FAULT 2
/* Every operation from here on returns from RUN to the daemon. */
#define COLINUX_OP_DAEMON 0x100

#endif
