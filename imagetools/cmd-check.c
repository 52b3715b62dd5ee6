// SPDX-License-Identifier: GPL-2.0
/* cmd-check.c --- colinux-img check: e2fsck a cobd image, read-only unless
 * --repair. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <co/log.h>

#include "cmd.h"
#include "ext.h"
#include "run.h"

static int check_run(const struct co_img_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "repair", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *e2fsck[] = { "e2fsck", "-f", "-n", NULL, NULL };
	struct co_ext_info geo;
	struct co_err err;
	int c, status;
	char *out;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return co_cmd_usage(cmd, "unknown option");
		e2fsck[2] = "-y";
	}
	if (argc - optind != 1)
		return co_cmd_usage(cmd, "expected one IMG");
	e2fsck[3] = argv[optind];
	if (co_ext_info(argv[optind], &geo, &err)) {
		co_err("%s: %s", argv[optind], err.msg);
		return CO_EXIT_FAIL;
	}
	if (co_run_status(e2fsck, CO_RUN_CAPTURE, &status, &out, &err)) {
		free(out);
		co_err("%s: %s", argv[optind], err.msg);
		return CO_EXIT_FAIL;
	}
	fputs(out ? out : "", stdout);
	free(out);
	/* e2fsck: 0 clean, 1 errors corrected, 4 errors left, 8+ failed. */
	if (status == 0 || status == 1) {
		co_info("%s: %s", argv[optind],
			status ? "errors were repaired" : "clean");
		return CO_EXIT_OK;
	}
	co_err("%s: %s", argv[optind],
	       status & 4 ?
		       "the filesystem has errors (colinux-img check --repair fixes them)" :
		       err.msg);
	return CO_EXIT_FAIL;
}

const struct co_img_cmd co_cmd_check = {
	.name = "check",
	.synopsis = "IMG [--repair]",
	.summary =
		"check the filesystem of a cobd image (e2fsck -fn; --repair: -fy)",
	.run = check_run,
};
