/* SPDX-License-Identifier: GPL-2.0 */
/* run.h --- run the tools colinux-img builds on (qemu-img, mke2fs...). */
#ifndef CO_IMG_RUN_H
#define CO_IMG_RUN_H

#include <co/err.h>

enum {
	CO_RUN_CAPTURE = 1 << 0, /* collect stdout into *out */
	CO_RUN_SHOW = 1 << 1, /* the tool's stdout is ours (progress) */
};

/*
 * Run @argv (searched in PATH) with stdin from /dev/null and wait for it.
 * Its stderr is collected and, when it fails, its last line becomes the
 * error.  With CO_RUN_CAPTURE, *@out receives stdout as a
 * malloc'd string (freed by the caller, also on failure).  Returns 0 when the
 * tool exits with status 0, -ENOENT when it is not installed, -EIO otherwise.
 */
int co_run(const char *const argv[], unsigned int flags, char **out,
	   struct co_err *err);

/* Like co_run, and fills *@status with the exit status instead of failing. */
int co_run_status(const char *const argv[], unsigned int flags, int *status,
		  char **out, struct co_err *err);

#endif
