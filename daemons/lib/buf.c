// SPDX-License-Identifier: GPL-2.0
/* buf.c --- a growing byte buffer (co/buf.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <co/buf.h>

int co_buf_reserve(struct co_buf *b, size_t n)
{
	size_t need = b->len + n + 1, cap;
	char *p;

	if (b->error || need <= b->cap)
		return b->error;
	cap = b->cap * 2 > need ? b->cap * 2 : need;
	p = realloc(b->data, cap);
	if (!p)
		return b->error = -ENOMEM;
	b->data = p;
	b->cap = cap;
	b->data[b->len] = '\0';
	return 0;
}

void co_buf_add(struct co_buf *b, const void *s, size_t n)
{
	if (co_buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void co_buf_str(struct co_buf *b, const char *s)
{
	co_buf_add(b, s, strlen(s));
}

void co_buf_printf(struct co_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->error = b->error ? b->error : -EINVAL;
		return;
	}
	if (co_buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
