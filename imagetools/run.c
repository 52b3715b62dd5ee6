// SPDX-License-Identifier: GPL-2.0
/* run.c --- spawn a tool, collect what it says, report how it ended. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <co/buf.h>

#include "run.h"

extern char **environ;

struct sink {
	int fd;
	struct co_buf text;
};

static int sink_read(struct sink *s)
{
	char chunk[4096];
	ssize_t n = read(s->fd, chunk, sizeof(chunk));

	if (n <= 0) {
		close(s->fd);
		s->fd = -1;
		return 0;
	}
	co_buf_add(&s->text, chunk, (size_t)n);
	return s->text.error;
}

/* Collect both pipes until the child closes them. */
static int drain(struct sink *out, struct sink *errs)
{
	struct pollfd pfd[2];
	int ret = 0;

	while (out->fd >= 0 || errs->fd >= 0) {
		pfd[0] = (struct pollfd){ .fd = out->fd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = errs->fd, .events = POLLIN };
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (out->fd >= 0 && pfd[0].revents)
			ret = sink_read(out) ?: ret;
		if (errs->fd >= 0 && pfd[1].revents)
			ret = sink_read(errs) ?: ret;
	}
	return ret;
}

/*
 * The last non-empty line a tool printed, which is where tools say why,
 * without the "tool: " prefix the caller adds again.
 */
static const char *last_line(char *text, const char *tool)
{
	size_t n = strlen(tool);

	char *end, *start;

	if (!text)
		return "";
	end = text + strlen(text);
	while (end > text &&
	       (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		*--end = '\0';
	start = end;
	while (start > text && start[-1] != '\n' && start[-1] != '\r')
		start--;
	if (!strncmp(start, tool, n) && !strncmp(start + n, ": ", 2))
		start += n + 2;
	return start;
}

static int open_pipe(int fds[2], bool wanted)
{
	if (!wanted) {
		fds[0] = -1;
		fds[1] = open("/dev/null", O_WRONLY | O_CLOEXEC);
		return fds[1] < 0 ? -errno : 0;
	}
	return pipe2(fds, O_CLOEXEC) ? -errno : 0;
}

static int spawn(const char *const argv[], unsigned int flags, int out_fd,
		 int err_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!(flags & CO_RUN_SHOW))
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	ret = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv,
			   environ);
	posix_spawn_file_actions_destroy(&fa);
	return -ret;
}

int co_run_status(const char *const argv[], unsigned int flags, int *status,
		  char **out, struct co_err *err)
{
	struct sink o = { .fd = -1 }, e = { .fd = -1 };
	int ofd[2] = { -1, -1 }, efd[2] = { -1, -1 };
	int ret, wstatus;
	pid_t pid;

	if (out)
		*out = NULL;
	ret = open_pipe(ofd, flags & CO_RUN_CAPTURE);
	if (ret)
		goto out_fail;
	ret = open_pipe(efd, true);
	if (ret)
		goto out_close_out;
	ret = spawn(argv, flags, ofd[1], efd[1], &pid);
	close(ofd[1]);
	close(efd[1]);
	o.fd = ofd[0];
	e.fd = efd[0];
	if (ret) {
		if (o.fd >= 0)
			close(o.fd);
		if (e.fd >= 0)
			close(e.fd);
		if (ret == -ENOENT)
			return co_fail(err, ret, "%s: command not found",
				       argv[0]);
		return co_fail(err, ret, "%s: cannot start: %s", argv[0],
			       strerror(-ret));
	}
	ret = drain(&o, &e);
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			return co_fail(err, -errno, "%s: waitpid: %s", argv[0],
				       strerror(errno));
	if (out)
		*out = o.text.data;
	else
		free(o.text.data);
	if (ret) {
		free(e.text.data);
		return co_fail(err, ret, "%s: out of memory", argv[0]);
	}
	if (WIFSIGNALED(wstatus)) {
		free(e.text.data);
		return co_fail(err, -EIO, "%s: killed by signal %d (%s)",
			       argv[0], WTERMSIG(wstatus),
			       strsignal(WTERMSIG(wstatus)));
	}
	*status = WEXITSTATUS(wstatus);
	if (*status)
		co_fail(err, -EIO, "%s: %s", argv[0],
			*last_line(e.text.data, argv[0]) ?
				last_line(e.text.data, argv[0]) :
				"failed without saying why");
	free(e.text.data);
	return 0;

out_close_out:
	if (ofd[0] >= 0)
		close(ofd[0]);
	close(ofd[1]);
out_fail:
	return co_fail(err, ret, "%s: cannot create pipes: %s", argv[0],
		       strerror(-ret));
}

int co_run(const char *const argv[], unsigned int flags, char **out,
	   struct co_err *err)
{
	int status, ret = co_run_status(argv, flags, &status, out, err);

	if (ret)
		return ret;
	return status ? -EIO : 0;
}
