// SPDX-License-Identifier: GPL-2.0
/*
 * cmd-create.c --- colinux-img create: a new ext2/3/4 cobd image, empty or
 * filled from a directory or a tarball, by mke2fs -d: no root, no loop device.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <co/log.h>

#include "cmd.h"
#include "ext.h"
#include <co/out.h>
#include "repro.h"
#include "run.h"
#include "size.h"

struct create_args {
	const char *out, *fs, *label, *uuid, *from;
	unsigned long long size;
	bool force;
};

/* A tarball is unpacked under fakeroot, whose saved state keeps ownership. */
struct staging {
	char dir[4096];
	char state[4096 + 16];
};

static unsigned long long content_bytes;

/*
 * What the files need at least: each in whole 4 KiB blocks plus an inode.
 * nftw() has no context argument, hence the file-scope sum.
 */
static int add_content(const char *path, const struct stat *st, int flag,
		       struct FTW *ftw)
{
	content_bytes += ((unsigned long long)st->st_size + 4095) / 4096 * 4096;
	content_bytes += 256;
	return 0;
}

static int check_room(const struct create_args *a, const char *dir,
		      struct co_err *err)
{
	char need[32], have[32];

	content_bytes = 0;
	if (nftw(dir, add_content, 64, FTW_PHYS))
		return co_fail(err, -errno, "--from %s: %s", dir,
			       strerror(errno));
	/* The journal, inode tables and bitmaps want room too: 10%. */
	if (content_bytes + content_bytes / 10 <= a->size)
		return 0;
	co_size_format(a->size, have, sizeof(have));
	co_size_format(content_bytes + content_bytes / 10, need, sizeof(need));
	return co_fail(
		err, -ENOSPC,
		"SIZE %s is too small for the content of %s (needs about %s)",
		have, a->from, need);
}

static int unpack(const char *tarball, struct staging *st, struct co_err *err)
{
	const char *tmp = getenv("TMPDIR");
	const char *argv[] = { "fakeroot", "-s",    st->state,
			       "--",	   "tar",   "--numeric-owner",
			       "-xpf",	   tarball, "-C",
			       st->dir,	   NULL };

	snprintf(st->dir, sizeof(st->dir), "%s/colinux-img-tar.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(st->dir))
		return co_fail(err, -errno, "%s: %s", st->dir, strerror(errno));
	snprintf(st->state, sizeof(st->state), "%s.fakeroot", st->dir);
	return co_run(argv, 0, NULL, err);
}

static void staging_remove(struct staging *st)
{
	const char *argv[] = { "rm", "-rf", "--", st->dir, st->state, NULL };
	struct co_err ignored;

	if (st->dir[0])
		co_run(argv, 0, NULL, &ignored);
}

static int run_mke2fs(const struct create_args *a, const char *tmp,
		      const char *dir, const struct staging *st,
		      const char *uuid, struct co_err *err)
{
	const char *argv[24];
	char hash[64];
	int n = 0;

	if (st->dir[0]) {
		argv[n++] = "fakeroot";
		argv[n++] = "-i";
		argv[n++] = st->state;
		argv[n++] = "--";
	}
	argv[n++] = "mke2fs";
	argv[n++] = "-q";
	argv[n++] = "-F";
	argv[n++] = "-t";
	argv[n++] = a->fs;
	if (a->label) {
		argv[n++] = "-L";
		argv[n++] = a->label;
	}
	if (uuid) {
		snprintf(hash, sizeof(hash), "hash_seed=%s", uuid);
		argv[n++] = "-U";
		argv[n++] = uuid;
		argv[n++] = "-E";
		argv[n++] = hash;
	}
	if (dir) {
		argv[n++] = "-d";
		argv[n++] = dir;
	}
	argv[n++] = tmp;
	argv[n] = NULL;
	return co_run(argv, 0, NULL, err);
}

static int create(const struct create_args *a, struct co_err *err)
{
	struct staging st = { 0 };
	char uuid[37];
	const char *dir = a->from, *use_uuid = a->uuid;
	struct co_out out;
	struct stat sb;
	int64_t epoch;
	bool repro;
	int ret;

	ret = co_repro_epoch(&epoch, &repro, err);
	if (ret)
		return ret;
	/*
	 * mke2fs 1.47.0 takes its clock from here, not from SOURCE_DATE_EPOCH;
	 * so does libext2fs in this process (superblock times on close).
	 */
	if (repro) {
		char fake[24];

		snprintf(fake, sizeof(fake), "%lld", (long long)epoch);
		setenv("E2FSPROGS_FAKE_TIME", fake, 1);
	}
	if (a->from && stat(a->from, &sb))
		return co_fail(err, -errno, "--from %s: %s", a->from,
			       strerror(errno));
	ret = co_out_begin(&out, a->out, a->force, err);
	if (ret)
		return ret;
	if (a->from && !S_ISDIR(sb.st_mode)) {
		co_info("unpacking %s", a->from);
		ret = unpack(a->from, &st, err);
		dir = st.dir;
	}
	if (!ret && dir)
		ret = check_room(a, dir, err);
	if (!ret && truncate(out.tmp, (off_t)a->size))
		ret = co_fail(err, -errno, "%s", strerror(errno));
	if (!ret && repro && !use_uuid) {
		co_repro_image_uuid(uuid, "ext", a->out, a->label, a->size,
				    epoch);
		use_uuid = uuid;
	}
	if (!ret)
		ret = run_mke2fs(a, out.tmp, dir, &st, use_uuid, err);
	if (!ret && repro)
		ret = co_ext_clamp_times(out.tmp, epoch, err);
	if (!ret)
		ret = co_out_commit(&out, err);
	staging_remove(&st);
	if (ret)
		co_out_abort(&out);
	return ret;
}

static int create_run(const struct co_img_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fs", required_argument, NULL, 't' },
		{ "label", required_argument, NULL, 'L' },
		{ "uuid", required_argument, NULL, 'U' },
		{ "from", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct create_args a = { .fs = "ext4" };
	struct co_err err;
	char size[32];
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			a.fs = optarg;
			break;
		case 'L':
			a.label = optarg;
			break;
		case 'U':
			a.uuid = optarg;
			break;
		case 'd':
			a.from = optarg;
			break;
		case 'f':
			a.force = true;
			break;
		default:
			return co_cmd_usage(cmd, "unknown option");
		}
	}
	if (argc - optind != 2)
		return co_cmd_usage(cmd, "expected OUT and SIZE");
	if (strcmp(a.fs, "ext2") && strcmp(a.fs, "ext3") &&
	    strcmp(a.fs, "ext4"))
		return co_cmd_usage(cmd, "--fs %s: only ext2, ext3 and ext4",
				    a.fs);
	a.out = argv[optind];
	if (co_cmd_size("SIZE", argv[optind + 1], &a.size))
		return CO_EXIT_USAGE;
	if (create(&a, &err)) {
		co_err("%s: %s", a.out, err.msg);
		return CO_EXIT_FAIL;
	}
	co_size_format(a.size, size, sizeof(size));
	co_info("wrote %s (%s, %s)", a.out, a.fs, size);
	return CO_EXIT_OK;
}

const struct co_img_cmd co_cmd_create = {
	.name = "create",
	.synopsis =
		"OUT SIZE [--fs ext4] [--label L] [--uuid U] [--from DIR|TARBALL] [--force]",
	.summary =
		"a new ext2/3/4 cobd image, empty or filled from a directory or tarball",
	.run = create_run,
};
