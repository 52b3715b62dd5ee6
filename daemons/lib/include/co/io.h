/* SPDX-License-Identifier: GPL-2.0 */
/* io.h --- small I/O helpers shared by the host programs. */
#ifndef CO_IO_H
#define CO_IO_H

#include <stddef.h>

#include <co/buf.h>

/* Write all @n bytes to @fd, retrying after signals; 0 or -errno. */
int co_write_all(int fd, const void *buf, size_t n);

/*
 * Read exactly @n bytes from @fd into @buf, retrying after signals; 0,
 * -errno, or -ENODATA when the file ends first.
 */
int co_read_all(int fd, void *buf, size_t n);

/*
 * Append what @fd gives until its end to @b, until @b holds @max bytes;
 * beyond that the rest is read and dropped (a writer on a pipe is not left
 * blocked).  0, -errno, b->error, or -EFBIG when something was dropped.
 */
int co_read_fd(int fd, struct co_buf *b, size_t max);

/*
 * Read the whole file @path into a new buffer: *@data (malloc'd, a NUL after
 * the last byte, so text is a C string) and *@len.  0 or -errno (*@data
 * untouched).
 */
int co_read_file(const char *path, char **data, size_t *len);

#endif
