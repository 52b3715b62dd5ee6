/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cofs.h --- cofsN=DIR[,ro]: a host directory as a virtio-9p device with
 * mount tag "cofsN" (memo E).
 */
#ifndef CO_COFS_H
#define CO_COFS_H

#include <co/err.h>

#include "dev.h"

/*
 * Serve directory @dir as cofs@unit (read-only with CO_COFS_RO in @flags)
 * and add the device to @s.  0, or -errno with one line in @err naming
 * "cofsN=DIR" and the reason.
 */
int co_cofs_create(struct co_devs *s, unsigned int unit, const char *dir,
		   unsigned int flags, struct co_err *err);

#endif
