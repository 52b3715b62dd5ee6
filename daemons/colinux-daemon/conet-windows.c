// SPDX-License-Identifier: GPL-2.0
/*
 * conet-windows.c --- ethN= on Windows (conet.h): no network back end
 * there yet (libslirp and a tap are Linux builds), so a configuration that
 * asks for one is refused at start, naming the key.
 */
#include <errno.h>

#include "conet.h"

int co_conet_create_all(struct co_devs *s, const struct co_cfg *cfg,
			struct co_err *err)
{
	for (unsigned int i = 0; i < CO_CFG_MAX_ETH; i++)
		if (cfg->eth[i].type != CO_NET_NONE)
			return co_fail(
				err, -EOPNOTSUPP,
				"eth%u: not available on Windows yet (the console and cobd are; README, \"Windows\")",
				i);
	return 0;
}
