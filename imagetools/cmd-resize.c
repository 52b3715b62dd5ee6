// SPDX-License-Identifier: GPL-2.0
/*
 * cmd-resize.c --- colinux-img resize: grow or shrink a cobd image and its
 * ext2/3/4 filesystem.  The filesystem is checked first and left untouched
 * if it has errors or the new size cannot hold its content.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <co/log.h>

#include "cmd.h"
#include "ext.h"
#include "run.h"
#include "size.h"

static int check_clean(const char *img, struct co_err *err)
{
	const char *argv[] = { "e2fsck", "-f", "-n", img, NULL };
	int status, ret;

	ret = co_run_status(argv, 0, &status, NULL, err);
	if (ret)
		return ret;
	if (status)
		return co_fail(
			err, -EUCLEAN,
			"the filesystem has errors; nothing was changed (colinux-img check --repair fixes them)");
	return 0;
}

/* resize2fs -P: the fewest blocks the content fits in. */
static int min_blocks(const char *img, unsigned long long *blocks,
		      struct co_err *err)
{
	const char *argv[] = { "resize2fs", "-P", img, NULL };
	const char *key = "minimum size of the filesystem:";
	char *out, *p;
	int ret;

	ret = co_run(argv, CO_RUN_CAPTURE, &out, err);
	if (!ret) {
		p = out ? strstr(out, key) : NULL;
		if (p)
			*blocks = strtoull(p + strlen(key), NULL, 10);
		else
			ret = co_fail(
				err, -EPROTO,
				"resize2fs -P: no minimum size in its output");
	}
	free(out);
	return ret;
}

static int resize_fs(const char *img, unsigned long long blocks,
		     struct co_err *err)
{
	char arg[32];
	const char *argv[] = { "resize2fs", "-f", img, arg, NULL };

	snprintf(arg, sizeof(arg), "%llu", blocks);
	return co_run(argv, 0, NULL, err);
}

static int resize(const char *img, unsigned long long size, struct co_err *err)
{
	unsigned long long blocks, least = 0;
	struct co_ext_info geo;
	char want[32], need[32];
	struct stat st;
	int ret;

	ret = co_ext_info(img, &geo, err);
	if (!ret)
		ret = check_clean(img, err);
	if (ret)
		return ret;
	if (stat(img, &st))
		return co_fail(err, -errno, "%s", strerror(errno));
	blocks = size / geo.block_size;
	if (blocks == geo.blocks) {
		co_info("%s: already %llu blocks of %u bytes", img, blocks,
			geo.block_size);
		return 0;
	}
	if (blocks > geo.blocks) {
		if (truncate(img, (off_t)size))
			return co_fail(err, -errno, "growing the file: %s",
				       strerror(errno));
		ret = resize_fs(img, blocks, err);
		/* Leave the file as it was if the filesystem did not grow. */
		if (ret && truncate(img, st.st_size))
			co_warn("%s: could not restore the file size", img);
		return ret;
	}
	ret = min_blocks(img, &least, err);
	if (ret)
		return ret;
	if (blocks < least) {
		co_size_format(size, want, sizeof(want));
		co_size_format(least * geo.block_size, need, sizeof(need));
		return co_fail(
			err, -ENOSPC,
			"SIZE %s is too small for the content (at least %s); nothing was changed",
			want, need);
	}
	ret = resize_fs(img, blocks, err);
	if (!ret && truncate(img, (off_t)size))
		ret = co_fail(err, -errno, "shrinking the file: %s",
			      strerror(errno));
	return ret;
}

static int resize_run(const struct co_img_cmd *cmd, int argc, char **argv)
{
	unsigned long long size;
	struct co_err err;
	char pretty[32];

	if (getopt_long(argc, argv, "", (const struct option[]){ { 0 } },
			NULL) != -1)
		return co_cmd_usage(cmd, "unknown option");
	if (argc - optind != 2)
		return co_cmd_usage(cmd, "expected IMG and SIZE");
	if (co_cmd_size("SIZE", argv[optind + 1], &size))
		return CO_EXIT_USAGE;
	if (resize(argv[optind], size, &err)) {
		co_err("%s: %s", argv[optind], err.msg);
		return CO_EXIT_FAIL;
	}
	co_size_format(size, pretty, sizeof(pretty));
	co_info("%s: now %s", argv[optind], pretty);
	return CO_EXIT_OK;
}

const struct co_img_cmd co_cmd_resize = {
	.name = "resize",
	.synopsis = "IMG SIZE",
	.summary =
		"grow or shrink a cobd image and its filesystem (checked first)",
	.run = resize_run,
};
