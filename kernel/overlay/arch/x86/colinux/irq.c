// SPDX-License-Identifier: GPL-2.0
/*
 * irq.c --- interrupts in a coLinux guest: the host's, forwarded, and the
 * guest's own virtual IRQs.
 *
 * The guest has no interrupt controller.  Every interrupt vector that reaches
 * its IDT was raised by the host's hardware for the host: the guest hands it
 * back through the passage (COLINUX_OP_FORWARD), where the host runs its own
 * handler and acknowledges its APIC.  The guest's own interrupts are virtual:
 * the host sets bits in the shared page, and the guest runs their handlers
 * whenever a passage call has returned into interrupt context, that is after
 * every forwarded interrupt.  Code that returns from a call with interrupts
 * enabled and finds virtual IRQs pending raises COLINUX_CALLBACK_VECTOR itself
 * with "int", so they run through the normal interrupt entry.
 */
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>

#include <asm/colinux.h>
#include <asm/irq.h>
#include <asm/trapnr.h>
#include <asm/x86_init.h>

/*
 * Any vector would do: a hardware interrupt that happens to use it is told
 * apart by callback_raised, which only colinux_run_pending_virqs() sets, with
 * interrupts off, right before its "int".
 */
#define COLINUX_CALLBACK_VECTOR 0x81

static struct irq_domain *virq_domain;
static struct colinux_shared *shared;
static bool callback_raised;

static void run_virqs(void)
{
	u64 pending = xchg(&shared->pending_virqs, 0);

	while (pending) {
		unsigned int virq = __ffs64(pending);

		pending &= pending - 1;
		generic_handle_domain_irq(virq_domain, virq);
	}
}

/* From common_interrupt() and spurious_interrupt(), in interrupt context. */
void colinux_interrupt(unsigned int vector)
{
	if (vector == COLINUX_CALLBACK_VECTOR && callback_raised)
		callback_raised = false;
	else
		colinux_call(COLINUX_OP_FORWARD, vector, 0, 0, 0);
	if (shared)
		run_virqs();
}

void colinux_forward_nmi(void)
{
	colinux_call(COLINUX_OP_FORWARD, NMI_VECTOR, 0, 0, 0);
}

/*
 * From the #MC handler: the guest has no machine-check architecture of its
 * own (setup.c clears MCE and MCA), so a machine check is the host's, which
 * handles it while its MCG_STATUS.MCIP is set.
 */
void colinux_forward_mce(void)
{
	colinux_call(COLINUX_OP_FORWARD, X86_TRAP_MC, 0, 0, 0);
}

/* With interrupts enabled, after a passage call that may have raised some. */
void colinux_run_pending_virqs(void)
{
	unsigned long flags;

	if (!shared || !READ_ONCE(shared->pending_virqs))
		return;
	local_irq_save(flags);
	callback_raised = true;
	asm volatile("int %0" : : "i"(COLINUX_CALLBACK_VECTOR) : "memory");
	local_irq_restore(flags);
}

static int virq_map(struct irq_domain *d, unsigned int irq, irq_hw_number_t hw)
{
	irq_set_chip_and_handler(irq, &dummy_irq_chip, handle_simple_irq);
	return 0;
}

static const struct irq_domain_ops virq_domain_ops = {
	.map = virq_map,
};

/* The Linux IRQ number of virtual IRQ @virq (COLINUX_VIRQ_*). */
int colinux_virq(unsigned int virq)
{
	return irq_create_mapping(virq_domain, virq);
}

void __init colinux_init_IRQ(void)
{
	native_init_IRQ();
	virq_domain = irq_domain_add_linear(NULL, COLINUX_NR_VIRQS,
					    &virq_domain_ops, NULL);
	if (!virq_domain)
		panic("coLinux: no memory for the virtual IRQ domain");
	shared = __va(colinux_boot.shared_pa);
}
