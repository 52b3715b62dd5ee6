// SPDX-License-Identifier: GPL-2.0
/*
 * colinux-img.c --- the coLinux image toolkit: one binary, one file per
 * sub-command (cmd-*.c), each a thin layer over libblkid, libext2fs and the
 * e2fsprogs/qemu-img tools.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <co/array_size.h>
#include <co/log.h>

#include "cmd.h"
#include "size.h"

static const struct co_img_cmd *const commands[] = {
	&co_cmd_info, &co_cmd_convert, &co_cmd_create,
	&co_cmd_swap, &co_cmd_resize,  &co_cmd_check,
};

int co_cmd_usage(const struct co_img_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "colinux-img %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: colinux-img %s %s\n", cmd->name,
		cmd->synopsis);
	return CO_EXIT_USAGE;
}

int co_cmd_size(const char *what, const char *text, unsigned long long *bytes)
{
	uint64_t v;
	int ret = co_size_parse(text, &v);

	if (ret == -ERANGE)
		co_err("%s: '%s' is too large", what, text);
	else if (ret)
		co_err("%s: '%s' is not a size (examples: 4G, 512M, 1.5G, 1048576)",
		       what, text);
	*bytes = v;
	return ret;
}

bool co_cmd_progress(void)
{
	return isatty(STDOUT_FILENO) && co_log_level() >= CO_LOG_INFO;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: colinux-img [-q|-v] COMMAND ARGS...\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n           %s\n", commands[i]->name,
			commands[i]->synopsis, commands[i]->summary);
	fprintf(f, "\n  -q  quiet: errors only     -v  verbose\n"
		   "Sizes take K, M, G, T suffixes (powers of 1024).\n");
}

int main(int argc, char **argv)
{
	enum co_log_level level = CO_LOG_INFO;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			level = CO_LOG_WARN;
		} else if (!strcmp(argv[i], "-v") ||
			   !strcmp(argv[i], "--verbose")) {
			level = CO_LOG_DEBUG;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			usage(stdout);
			return CO_EXIT_OK;
		} else {
			fprintf(stderr, "colinux-img: unknown option '%s'\n",
				argv[i]);
			usage(stderr);
			return CO_EXIT_USAGE;
		}
	}
	co_log_init("colinux-img", level);
	if (i >= argc) {
		usage(stderr);
		return CO_EXIT_USAGE;
	}
	for (size_t c = 0; c < ARRAY_SIZE(commands); c++)
		if (!strcmp(argv[i], commands[c]->name))
			return commands[c]->run(commands[c], argc - i,
						argv + i);
	fprintf(stderr, "colinux-img: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return CO_EXIT_USAGE;
}
