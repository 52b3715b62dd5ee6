/* SPDX-License-Identifier: GPL-2.0 */
/*
 * asm/colinux.h --- the cooperative guest platform (arch/x86/colinux).
 *
 * A coLinux guest runs in ring 0 beside the host kernel and reaches the host
 * only by calling the passage, a few pages of host driver code and data that
 * the guest maps at the host's own virtual address.
 */
#ifndef _ASM_X86_COLINUX_H
#define _ASM_X86_COLINUX_H

#include <linux/types.h>

#ifdef CONFIG_X86_COLINUX
void __init colinux_early_setup(void);
long colinux_call(unsigned long op, unsigned long a0, unsigned long a1,
		  unsigned long a2, unsigned long a3);
#else
static inline void colinux_early_setup(void)
{
}
#endif

#endif
