// SPDX-License-Identifier: GPL-2.0
/*
 * exec-linux.c --- execN= helpers on Linux (exec.h).  Each helper is
 * spawned into its own process group with default signals, an empty signal
 * mask and /dev/null as stdin (the guest's console stays the daemon's).  A
 * thread per helper waits for its end without reaping it (WNOWAIT), so the
 * log says when it exits and its process group ID stays taken until
 * co_execs_stop() has signalled the group: SIGTERM, SIGKILL after
 * CO_EXEC_GRACE_MS (also to what the helper left behind), then reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <co/log.h>

#include "exec.h"

struct co_exec_child {
	int index;
	const char *program;
	pid_t pid;
	pthread_t waiter;
	atomic_bool ended;
};

extern char **environ;

static void *wait_child(void *arg)
{
	struct co_exec_child *c = arg;
	siginfo_t si;

	while (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOWAIT) &&
	       errno == EINTR)
		;
	if (si.si_code == CLD_EXITED)
		co_info("exec%d: '%s' (pid %d) exited with status %d", c->index,
			c->program, (int)c->pid, si.si_status);
	else
		co_info("exec%d: '%s' (pid %d) ended by signal %d (%s)",
			c->index, c->program, (int)c->pid, si.si_status,
			strsignal(si.si_status));
	atomic_store(&c->ended, true);
	return NULL;
}

static int spawn(pid_t *pid, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	int ret;

	sigfillset(&all);
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
						POSIX_SPAWN_SETSIGDEF |
						POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	ret = posix_spawnp(pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return ret;
}

/* The waiter runs with every signal blocked: they are the RUN loop's. */
static int start_waiter(struct co_exec_child *c)
{
	sigset_t all, old;
	int ret;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&c->waiter, NULL, wait_child, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static int start_one(struct co_execs *s, int i, char *const argv[],
		     struct co_err *err)
{
	struct co_exec_child *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return co_fail(err, -ENOMEM, "exec%d: out of memory", i);
	c->index = i;
	c->program = argv[0];
	ret = spawn(&c->pid, argv);
	if (ret) {
		free(c);
		return co_fail(err, -ret, "exec%d: cannot start '%s': %s", i,
			       argv[0], strerror(ret));
	}
	co_info("exec%d: started '%s' (pid %d)", i, argv[0], (int)c->pid);
	s->child[i] = c;
	ret = start_waiter(c);
	if (ret) {
		kill(-c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
		s->child[i] = NULL;
		free(c);
		return co_fail(err, -ret,
			       "exec%d: no thread to wait for it: %s", i,
			       strerror(ret));
	}
	return 0;
}

int co_execs_start(struct co_execs *s, const struct co_cfg *cfg,
		   struct co_err *err)
{
	int i, ret;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < CO_CFG_MAX_EXEC; i++) {
		if (!cfg->exec[i].argv)
			continue;
		ret = start_one(s, i, cfg->exec[i].argv, err);
		if (ret) {
			co_execs_stop(s);
			return ret;
		}
	}
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* SIGTERM to every group, one grace period for all, then SIGKILL. */
void co_execs_stop(struct co_execs *s)
{
	struct co_exec_child *c;
	bool all_ended;
	int i, waited;

	for (i = 0; i < CO_CFG_MAX_EXEC; i++)
		if (s->child[i])
			kill(-s->child[i]->pid, SIGTERM);
	for (waited = 0; waited < CO_EXEC_GRACE_MS; waited += 20) {
		all_ended = true;
		for (i = 0; i < CO_CFG_MAX_EXEC; i++)
			if (s->child[i] && !atomic_load(&s->child[i]->ended))
				all_ended = false;
		if (all_ended)
			break;
		sleep_ms(20);
	}
	for (i = 0; i < CO_CFG_MAX_EXEC; i++) {
		c = s->child[i];
		if (!c)
			continue;
		/* The leader is not reaped yet: its group ID is still ours. */
		kill(-c->pid, SIGKILL);
		pthread_join(c->waiter, NULL);
		waitpid(c->pid, NULL, 0);
		s->child[i] = NULL;
		free(c);
	}
}
