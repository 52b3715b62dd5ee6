// SPDX-License-Identifier: GPL-2.0
/*
 * hvc_colinux.c --- /dev/hvc0 of a coLinux guest.
 *
 * colinux-daemon serves it on the host: output goes out with a passage call,
 * input is fetched with one when the daemon raises COLINUX_VIRQ_CONSOLE.
 */
#include <linux/console.h>
#include <linux/init.h>

#include <asm/colinux.h>

#include "hvc_console.h"

static int colinux_put_chars(uint32_t vtermno, const char *buf, int count)
{
	colinux_console_write(buf, count);
	return count;
}

static int colinux_get_chars(uint32_t vtermno, char *buf, int count)
{
	return colinux_console_read(buf, count);
}

static const struct hv_ops colinux_hvc_ops = {
	.get_chars = colinux_get_chars,
	.put_chars = colinux_put_chars,
	.notifier_add = notifier_add_irq,
	.notifier_del = notifier_del_irq,
	.notifier_hangup = notifier_hangup_irq,
};

static int __init colinux_hvc_console_init(void)
{
	return hvc_instantiate(0, 0, &colinux_hvc_ops);
}
console_initcall(colinux_hvc_console_init);

static int __init colinux_hvc_init(void)
{
	struct hvc_struct *hp;

	hp = hvc_alloc(0, colinux_virq(COLINUX_VIRQ_CONSOLE), &colinux_hvc_ops,
		       256);
	return PTR_ERR_OR_ZERO(hp);
}
device_initcall(colinux_hvc_init);
