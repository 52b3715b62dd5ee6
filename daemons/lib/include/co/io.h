/* SPDX-License-Identifier: GPL-2.0 */
/* io.h --- small I/O helpers shared by the host programs. */
#ifndef CO_IO_H
#define CO_IO_H

#include <stddef.h>

/* Write all @n bytes to @fd, retrying after signals; 0 or -errno. */
int co_write_all(int fd, const void *buf, size_t n);

#endif
