// SPDX-License-Identifier: GPL-2.0
/*
 * time.c --- the clock event device of a coLinux guest.
 *
 * Time itself is the TSC, which guest and host share: the guest's TSC
 * clocksource runs at the frequency the host measured.  Timer interrupts come
 * from a one-shot timer the host arms on the guest's behalf: the guest gives a
 * TSC deadline through the passage, the host raises COLINUX_VIRQ_TIMER when it
 * passes.
 */
#include <linux/clockchips.h>
#include <linux/init.h>
#include <linux/interrupt.h>

#include <asm/colinux.h>
#include <asm/msr.h>

static int colinux_timer_next(unsigned long delta,
			      struct clock_event_device *ce)
{
	colinux_call(COLINUX_OP_TIMER, rdtsc() + delta, 0, 0, 0);
	return 0;
}

static int colinux_timer_stop(struct clock_event_device *ce)
{
	colinux_call(COLINUX_OP_TIMER, 0, 0, 0, 0);
	return 0;
}

static struct clock_event_device colinux_ce = {
	.name = "colinux",
	.features = CLOCK_EVT_FEAT_ONESHOT,
	.rating = 400,
	.set_next_event = colinux_timer_next,
	.set_state_shutdown = colinux_timer_stop,
	.set_state_oneshot_stopped = colinux_timer_stop,
};

static irqreturn_t colinux_timer_interrupt(int irq, void *dev_id)
{
	colinux_ce.event_handler(&colinux_ce);
	return IRQ_HANDLED;
}

void __init colinux_time_init(void)
{
	int irq = colinux_virq(COLINUX_VIRQ_TIMER);

	if (irq <= 0 ||
	    request_irq(irq, colinux_timer_interrupt,
			IRQF_TIMER | IRQF_NOBALANCING, "colinux-timer", NULL))
		panic("coLinux: cannot set up the timer interrupt");
	colinux_ce.cpumask = cpumask_of(0);
	colinux_ce.irq = irq;
	/* Deltas are in TSC cycles: at least 1 us, at most a minute. */
	clockevents_config_and_register(&colinux_ce,
					colinux_boot.tsc_khz * 1000,
					colinux_boot.tsc_khz / 1000 + 1,
					colinux_boot.tsc_khz * 60000);
}
