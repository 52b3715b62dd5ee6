// SPDX-License-Identifier: GPL-2.0
/*
 * cofs-windows.c --- cofsN= on Windows (cofs.h): its server (cofs_fs.c)
 * confines itself with Linux's openat2, which Windows has no equal of
 * here yet, so a share is refused at start, naming the key.
 */
#include <errno.h>

#include "cofs.h"

int co_cofs_create(struct co_devs *s, unsigned int unit, const char *dir,
		   unsigned int flags, struct co_err *err)
{
	return co_fail(
		err, -EOPNOTSUPP,
		"cofs%u: not available on Windows yet (the console and cobd are; README, \"Windows\")",
		unit);
}
