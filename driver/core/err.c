// SPDX-License-Identifier: GPL-2.0
/* err.c --- why a driver command failed, for the daemon and the log. */
#include "vm.h"

int co_fail(struct co_err *err, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return ret;
}
