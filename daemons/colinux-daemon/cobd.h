/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cobd.h --- cobdN: a virtio-blk device on a raw image file or a block
 * device (memo C).
 */
#ifndef CO_COBD_H
#define CO_COBD_H

#include <stdbool.h>

#include <co/err.h>

#include "dev.h"

/*
 * Open @path as cobd@unit with @flags (CO_COBD_*: read-only with
 * CO_COBD_RO, or when it is not writable; flushes not passed on with
 * CO_COBD_UNSAFE), lock it against other daemons, and add the device to
 * @s.  0, or -errno with one line in @err naming "cobdN=PATH" and the
 * reason.
 */
int co_cobd_create(struct co_devs *s, unsigned int unit, const char *path,
		   unsigned int flags, struct co_err *err);

#endif
