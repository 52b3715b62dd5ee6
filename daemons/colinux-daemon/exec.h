/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exec.h --- execN= helper programs (coLinux's key): started with the daemon
 * before the guest boots, ended when it exits however the guest ended
 * (poweroff, panic, SIGTERM, the console).  Each start and exit is one line
 * in the log.  Part of the host OS layer: exec-linux.c (each helper in its
 * own process group: SIGTERM, then SIGKILL after a grace period, reaped) or
 * exec-windows.c, chosen by the Makefile.
 */
#ifndef CO_EXEC_H
#define CO_EXEC_H

#include <co/cfg.h>
#include <co/err.h>

/* How long a helper has after SIGTERM before SIGKILL, in milliseconds. */
#define CO_EXEC_GRACE_MS 3000

struct co_exec_child;

struct co_execs {
	struct co_exec_child *child[CO_CFG_MAX_EXEC];
};

/*
 * Start every execN= of @cfg.  On failure the ones started are ended and
 * @err names the key: "exec0: cannot start 'prog': No such file ...".
 */
int co_execs_start(struct co_execs *s, const struct co_cfg *cfg,
		   struct co_err *err);
/* End and reap every helper still running; the log says how each ended. */
void co_execs_stop(struct co_execs *s);

#endif
