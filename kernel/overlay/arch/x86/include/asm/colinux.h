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
#include <linux/colinux.h>

extern struct colinux_boot_info colinux_boot;

void __init colinux_early_setup(void);
long colinux_call(unsigned long op, unsigned long a0, unsigned long a1,
		  unsigned long a2, unsigned long a3);
/* Write to the host's console from any context but NMI. */
void colinux_console_write(const char *s, size_t n);
/* Read console input into @buf; returns the bytes read. */
size_t colinux_console_read(char *buf, size_t room);

/* irq.c */
void colinux_interrupt(unsigned int vector);
void colinux_forward_nmi(void);
void colinux_forward_mce(void);
int colinux_virq(unsigned int virq);
void colinux_run_pending_virqs(void);
void __init colinux_init_IRQ(void);

/* time.c */
void __init colinux_time_init(void);
#else
static inline void colinux_early_setup(void)
{
}

static inline void colinux_interrupt(unsigned int vector)
{
}

static inline void colinux_forward_nmi(void)
{
}

static inline void colinux_forward_mce(void)
{
}
#endif

#endif
