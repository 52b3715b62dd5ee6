/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/uio.h for the Windows build (daemons/win.mk): struct iovec, which
 * the virtqueue walker's header (virtq.h) describes buffers with.
 */
#ifndef CO_WIN_SYS_UIO_H
#define CO_WIN_SYS_UIO_H

#include <stddef.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

#endif
