// SPDX-License-Identifier: GPL-2.0
/* err.c --- failure descriptions for the caller to print. */
#include <stdarg.h>
#include <stdio.h>

#include <co/err.h>

int co_fail(struct co_err *err, int ret, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return ret;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return ret;
}
