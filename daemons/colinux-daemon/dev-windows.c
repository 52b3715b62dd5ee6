// SPDX-License-Identifier: GPL-2.0
/*
 * dev-windows.c --- the device layer on Windows (dev.h), which has no
 * virtio back end yet: dev.c's I/O threads wait on eventfds, which the
 * driver signals (COLINUX_SET_IOEVENTFD), and the Windows driver has no
 * such event yet.  A configuration that asks for a device is refused at
 * start, naming its key; one without devices runs with the console alone.
 */
#include <errno.h>
#include <string.h>

#include "dev.h"

static int refuse(struct co_err *err, const char *key, unsigned int unit)
{
	return co_fail(
		err, -EOPNOTSUPP,
		"%s%u: not available on Windows yet (only the console is; README, \"Windows\")",
		key, unit);
}

int co_devs_create(struct co_devs *s, const struct co_cfg *cfg,
		   struct co_err *err)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < CO_CFG_MAX_COBD; i++)
		if (cfg->cobd[i])
			return refuse(err, "cobd", i);
	for (i = 0; i < CO_CFG_MAX_COFS; i++)
		if (cfg->cofs[i])
			return refuse(err, "cofs", i);
	for (i = 0; i < CO_CFG_MAX_ETH; i++)
		if (cfg->eth[i].type != CO_NET_NONE)
			return refuse(err, "eth", i);
	return 0;
}

void co_devs_destroy(struct co_devs *s)
{
}

int co_devs_attach(struct co_devs *s, struct colinux_device *table,
		   const struct co_gmem *gm, int vm_fd)
{
	return 0;
}

void co_devs_detach(struct co_devs *s)
{
}

int64_t co_devs_call(struct co_devs *s, uint64_t index, uint64_t what,
		     uint64_t a2, uint64_t a3)
{
	return -ENODEV;
}

int64_t co_devs_notify(struct co_devs *s, uint64_t index, uint64_t q)
{
	return -ENODEV;
}
