/* SPDX-License-Identifier: GPL-2.0 */
/* cmd.h --- the sub-commands of colinux-img, one file each. */
#ifndef CO_IMG_CMD_H
#define CO_IMG_CMD_H

#include <stdbool.h>

struct co_img_cmd {
	const char *name;
	const char *synopsis; /* arguments, for usage lines */
	const char *summary; /* one line, for "colinux-img --help" */
	int (*run)(const struct co_img_cmd *cmd, int argc, char **argv);
};

extern const struct co_img_cmd co_cmd_info, co_cmd_convert, co_cmd_create,
	co_cmd_swap, co_cmd_resize, co_cmd_check;

/* Exit statuses: 0 done, 1 failed, 2 wrong usage. */
enum { CO_EXIT_OK = 0, CO_EXIT_FAIL = 1, CO_EXIT_USAGE = 2 };

/* Print "usage: colinux-img NAME SYNOPSIS" after a one-line complaint. */
int co_cmd_usage(const struct co_img_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Parse a size argument; on error print why and return -EINVAL. */
int co_cmd_size(const char *what, const char *text, unsigned long long *bytes);
/* Whether to show progress: stdout is a terminal and --quiet was not given. */
bool co_cmd_progress(void);

#endif
