/* SPDX-License-Identifier: GPL-2.0 */
/*
 * err.h --- failure descriptions handed from libraries to programs.
 *
 * A library function returns 0 or -errno.  When it fails it may also fill a
 * struct co_err with one line that names the file/key/offset and the reason;
 * the program prints it.  Libraries never print and never exit.
 */
#ifndef CO_ERR_H
#define CO_ERR_H

#include <stddef.h>

struct co_err {
	char msg[512];
};

/* Record the reason (printf-style) and return @ret, for "return co_fail()". */
int co_fail(struct co_err *err, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
