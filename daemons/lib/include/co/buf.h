/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buf.h --- a growing byte buffer.
 *
 * Start from struct co_buf b = { 0 }, append, and look at b.error once at
 * the end: the first failed allocation sticks there (-ENOMEM) and later
 * appends do nothing.  Once anything was reserved or appended, data[len] is
 * a NUL, so text is a C string.  The caller frees data.
 */
#ifndef CO_BUF_H
#define CO_BUF_H

#include <stddef.h>

struct co_buf {
	char *data;
	size_t len, cap;
	int error;
};

/* Room for @n more bytes and the NUL after them; 0 or b->error. */
int co_buf_reserve(struct co_buf *b, size_t n);

/* Append @n bytes of @s (and keep the NUL after them). */
void co_buf_add(struct co_buf *b, const void *s, size_t n);

/* Append the C string @s. */
void co_buf_str(struct co_buf *b, const char *s);
/* Append printf's text of @fmt. */
void co_buf_printf(struct co_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
