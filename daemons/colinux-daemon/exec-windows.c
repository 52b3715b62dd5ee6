// SPDX-License-Identifier: GPL-2.0
/*
 * exec-windows.c --- execN= helpers on Windows (exec.h): not yet.  A
 * configuration with an execN= key is refused at start, naming the key; the
 * helpers are to run in a job object closed with the daemon
 * (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE), as exec-linux.c's process groups.
 */
#include <errno.h>
#include <string.h>

#include "exec.h"

int co_execs_start(struct co_execs *s, const struct co_cfg *cfg,
		   struct co_err *err)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < CO_CFG_MAX_EXEC; i++)
		if (cfg->exec[i].argv)
			return co_fail(
				err, -EOPNOTSUPP,
				"exec%d: not available on Windows yet (README, \"Desktop\")",
				i);
	return 0;
}

void co_execs_stop(struct co_execs *s)
{
}
