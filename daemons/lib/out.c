// SPDX-License-Identifier: GPL-2.0
/* out.c --- temporary output files, committed by rename. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <co/array_size.h>

#include <co/out.h>

/*
 * The one temporary file being written, for the signal handler to remove:
 * process-wide because signals are, and a command writes one output at once.
 */
static volatile sig_atomic_t pending_set;
static char pending_tmp[4096];

static void remove_pending(int sig)
{
	if (pending_set)
		unlink(pending_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void watch(const char *tmp)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = remove_pending };

	snprintf(pending_tmp, sizeof(pending_tmp), "%s", tmp);
	pending_set = 1;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void unwatch(void)
{
	pending_set = 0;
}

int co_out_begin(struct co_out *out, const char *path, bool force,
		 struct co_err *err)
{
	char *copy_dir, *copy_base;
	struct stat st;
	int fd, ret;

	out->path = path;
	out->tmp = NULL;
	if (!lstat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return co_fail(err, -EISDIR, "%s: is a directory",
				       path);
		if (!force)
			return co_fail(
				err, -EEXIST,
				"%s: already exists (use --force to overwrite it)",
				path);
	}
	copy_dir = strdup(path);
	copy_base = strdup(path);
	if (!copy_dir || !copy_base ||
	    asprintf(&out->tmp, "%s/.%s.tmp-XXXXXX", dirname(copy_dir),
		     basename(copy_base)) < 0) {
		out->tmp = NULL;
		ret = co_fail(err, -ENOMEM, "out of memory");
		goto out_free;
	}
	fd = mkstemp(out->tmp);
	if (fd < 0) {
		ret = co_fail(err, -errno, "%s: cannot create a file there: %s",
			      path, strerror(errno));
		free(out->tmp);
		out->tmp = NULL;
		goto out_free;
	}
	close(fd);
	watch(out->tmp);
	ret = 0;
out_free:
	free(copy_dir);
	free(copy_base);
	return ret;
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

int co_out_commit(struct co_out *out, struct co_err *err)
{
	char *dir = strdup(out->path);
	int ret;

	if (!dir)
		return co_fail(err, -ENOMEM, "out of memory");
	ret = fsync_path(out->tmp, O_RDONLY);
	if (ret) {
		co_fail(err, ret, "%s: flushing to disk: %s", out->tmp,
			strerror(-ret));
		goto out_free;
	}
	if (rename(out->tmp, out->path)) {
		ret = co_fail(err, -errno, "%s: %s", out->path,
			      strerror(errno));
		goto out_free;
	}
	unwatch();
	free(out->tmp);
	out->tmp = NULL;
	/* The rename itself is durable only once the directory is. */
	fsync_path(dirname(dir), O_RDONLY | O_DIRECTORY);
out_free:
	free(dir);
	return ret;
}

void co_out_abort(struct co_out *out)
{
	if (!out->tmp)
		return;
	unlink(out->tmp);
	unwatch();
	free(out->tmp);
	out->tmp = NULL;
}
