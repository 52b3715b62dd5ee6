// SPDX-License-Identifier: GPL-2.0
/* cmd-swap.c --- colinux-img swap: a swap image for the guest (mkswap). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <co/log.h>

#include "cmd.h"
#include <co/out.h>
#include "repro.h"
#include "run.h"
#include "size.h"

static int make_swap(const char *path, unsigned long long size,
		     const char *label, const char *uuid, bool force,
		     struct co_err *err)
{
	const char *argv[10];
	char derived[37];
	struct co_out out;
	int64_t epoch;
	bool repro;
	int n = 0, ret;

	ret = co_repro_epoch(&epoch, &repro, err);
	if (ret)
		return ret;
	if (size < 40 * 1024)
		return co_fail(
			err, -EINVAL,
			"SIZE %llu bytes is too small for swap (at least 40 KiB)",
			size);
	if (repro && !uuid) {
		co_repro_image_uuid(derived, "swap", path, label, size, epoch);
		uuid = derived;
	}
	ret = co_out_begin(&out, path, force, err);
	if (ret)
		return ret;
	argv[n++] = "mkswap";
	if (label) {
		argv[n++] = "-L";
		argv[n++] = label;
	}
	if (uuid) {
		argv[n++] = "-U";
		argv[n++] = uuid;
	}
	argv[n++] = out.tmp;
	argv[n] = NULL;
	if (truncate(out.tmp, (off_t)size))
		ret = co_fail(err, -errno, "%s", strerror(errno));
	if (!ret)
		ret = co_run(argv, 0, NULL, err);
	if (!ret)
		ret = co_out_commit(&out, err);
	if (ret)
		co_out_abort(&out);
	return ret;
}

static int swap_run(const struct co_img_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, 'L' },
		{ "uuid", required_argument, NULL, 'U' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *label = NULL, *uuid = NULL;
	unsigned long long size;
	struct co_err err;
	bool force = false;
	char pretty[32];
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'L':
			label = optarg;
			break;
		case 'U':
			uuid = optarg;
			break;
		case 'f':
			force = true;
			break;
		default:
			return co_cmd_usage(cmd, "unknown option");
		}
	}
	if (argc - optind != 2)
		return co_cmd_usage(cmd, "expected OUT and SIZE");
	if (co_cmd_size("SIZE", argv[optind + 1], &size))
		return CO_EXIT_USAGE;
	if (make_swap(argv[optind], size, label, uuid, force, &err)) {
		co_err("%s: %s", argv[optind], err.msg);
		return CO_EXIT_FAIL;
	}
	co_size_format(size, pretty, sizeof(pretty));
	co_info("wrote %s (swap, %s)", argv[optind], pretty);
	return CO_EXIT_OK;
}

const struct co_img_cmd co_cmd_swap = {
	.name = "swap",
	.synopsis = "OUT SIZE [--label L] [--uuid U] [--force]",
	.summary = "a swap image (mkswap) for the guest's /dev/cobd1",
	.run = swap_run,
};
