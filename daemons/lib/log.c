// SPDX-License-Identifier: GPL-2.0
/* log.c --- the one logging sink of a host program (stderr). */
#include <stdarg.h>
#include <stdio.h>

#include <co/log.h>

/*
 * Process-wide by design: a program has one name and one verbosity, set once
 * by main() before anything logs.
 */
static const char *log_prog = "colinux";
static enum co_log_level log_max = CO_LOG_INFO;
static FILE *log_file; /* NULL: stderr */

void co_log_init(const char *prog, enum co_log_level level)
{
	log_prog = prog;
	log_max = level;
}

void co_log_to(FILE *f)
{
	log_file = f;
}

enum co_log_level co_log_level(void)
{
	return log_max;
}

void co_log(enum co_log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[CO_LOG_ERR] = "",
		[CO_LOG_WARN] = "warning: ",
		[CO_LOG_INFO] = "",
		[CO_LOG_DEBUG] = "debug: ",
	};
	FILE *to = log_file ? log_file : stderr;
	va_list ap;

	if (level > log_max)
		return;
	fprintf(to, "%s: %s", log_prog, prefix[level]);
	va_start(ap, fmt);
	vfprintf(to, fmt, ap);
	va_end(ap);
	fputc('\n', to);
}
