/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h --- the one logging API of the host programs.
 *
 * Only programs log: libraries return 0/-errno and describe the failure in a
 * struct co_err (err.h) for the caller to report.  Messages go to stderr,
 * prefixed with the program's name; one line each.
 */
#ifndef CO_LOG_H
#define CO_LOG_H

#include <stdio.h>

enum co_log_level {
	CO_LOG_ERR,
	CO_LOG_WARN,
	CO_LOG_INFO,
	CO_LOG_DEBUG,
};

void co_log_init(const char *prog, enum co_log_level level);
/* Log to @f from now on instead of stderr (a Windows service has none). */
void co_log_to(FILE *f);
void co_log(enum co_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum co_log_level co_log_level(void);

#define co_err(...) co_log(CO_LOG_ERR, __VA_ARGS__)
#define co_warn(...) co_log(CO_LOG_WARN, __VA_ARGS__)
#define co_info(...) co_log(CO_LOG_INFO, __VA_ARGS__)
#define co_dbg(...) co_log(CO_LOG_DEBUG, __VA_ARGS__)

#endif
