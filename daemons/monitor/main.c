// SPDX-License-Identifier: GPL-2.0
/*
 * main.c --- colinux-daemon: run a cooperative Linux guest.
 *
 *   colinux-daemon [OPTIONS] kernel=vmlinux [initrd=FILE] [mem=MiB]
 *                  [root=...] [@config] [other kernel parameters]
 *
 * Options (before or among the configuration tokens):
 *   -r, --restart            when the guest reboots, boot it again
 *   --console-socket=PATH    where colinux-console attaches
 *                            (default /run/colinux/console.sock; "none")
 *   -v, --verbose / -q, --quiet
 *
 * Exit status: 0 when the guest powered off, halted or rebooted (without
 * --restart) or was stopped (SIGINT, SIGTERM, Ctrl-] q); 1 when it could
 * not be started; 2 when it panicked; 3 when it died of an exception.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <co/cfg.h>
#include <co/log.h>

#include "console.h"
#include "guest.h"

#define DEFAULT_SOCKET_DIR "/run/colinux"
#define DEFAULT_SOCKET DEFAULT_SOCKET_DIR "/console.sock"

/* Set by the SIGINT/SIGTERM handler, read by the RUN loop. */
static volatile int stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_wake(int sig)
{
	/* Only interrupts RUN (Ctrl-] q); the flag is in struct co_console. */
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	/* No SA_RESTART: RUN must return to the loop that checks the flag. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_wake;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* @file tokens: the whole file, for the pure parser. */
static int read_config(void *ctx, const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, room = 4096, got;
	char *buf = malloc(room), *bigger;

	if (!f || !buf) {
		free(buf);
		if (f)
			fclose(f);
		return f ? -ENOMEM : -errno;
	}
	while ((got = fread(buf + n, 1, room - n, f)) > 0) {
		n += got;
		if (n < room)
			continue;
		bigger = realloc(buf, room *= 2);
		if (!bigger) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		buf = bigger;
	}
	fclose(f);
	*text = buf;
	*len = n;
	return 0;
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: colinux-daemon [-r|--restart] [--console-socket=PATH|none] [-v|-q]\n"
		"                      kernel=vmlinux [initrd=FILE] [mem=MiB] [@config] [kernel parameters]\n");
}

struct options {
	bool restart;
	const char *socket;
	enum co_log_level level;
};

/* Our own options out of argv; the rest stays for the config parser. */
static int take_options(int *argc, char **argv, struct options *o)
{
	int i, n = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-r") || !strcmp(a, "--restart")) {
			o->restart = true;
		} else if (!strncmp(a, "--console-socket=", 17)) {
			o->socket = a + 17;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->level = CO_LOG_DEBUG;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->level = CO_LOG_WARN;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (a[0] == '-' && a[1] == '-') {
			co_err("unknown option %s", a);
			usage(stderr);
			return -1;
		} else {
			argv[n++] = argv[i];
		}
	}
	*argc = n;
	argv[n] = NULL;
	return 0;
}

static int exit_status(enum co_guest_end end)
{
	switch (end) {
	case CO_GUEST_POWEROFF:
	case CO_GUEST_HALT:
	case CO_GUEST_REBOOT:
		return 0;
	case CO_GUEST_STOPPED:
		if (stop_signal)
			co_info("stopped by %s; guest memory released",
				strsignal(stop_signal));
		else
			co_info("stopped from the console; guest memory released");
		return 0;
	case CO_GUEST_PANIC:
		return 2;
	case CO_GUEST_FAULT:
		return 3;
	default:
		return 1;
	}
}

int main(int argc, char **argv)
{
	struct options o = { .socket = DEFAULT_SOCKET, .level = CO_LOG_INFO };
	struct co_cfg_error cerr;
	struct co_err err = { { 0 } };
	struct co_console con;
	struct co_cfg cfg;
	struct co_guest g;
	enum co_guest_end end;

	co_log_init("colinux-daemon", CO_LOG_INFO);
	if (take_options(&argc, argv, &o))
		return 1;
	co_log_init("colinux-daemon", o.level);
	co_cfg_init(&cfg);
	memset(&cerr, 0, sizeof(cerr));
	if (co_cfg_parse_args(&cfg, argc - 1, argv + 1, read_config, NULL,
			      &cerr)) {
		co_err("%s: %s", cerr.where, cerr.msg);
		return 1;
	}
	memset(&g, 0, sizeof(g));
	g.cfg = &cfg;
	g.con = &con;
	g.stop_signal = &stop_signal;
	if (co_guest_read_kernel(&g))
		goto out_free_cfg;

	install_signals();
	if (!strcmp(o.socket, "none"))
		o.socket = NULL;
	else if (!strcmp(o.socket, DEFAULT_SOCKET))
		mkdir(DEFAULT_SOCKET_DIR, 0700);
	if (co_console_start(&con, o.socket, &err)) {
		co_err("%s", err.msg);
		goto out_free_kernel;
	}
	do {
		end = co_guest_boot(&g);
		if (end == CO_GUEST_REBOOT && o.restart && !stop_signal)
			co_info("booting the guest again (--restart)");
	} while (end == CO_GUEST_REBOOT && o.restart && !stop_signal &&
		 !con.quit);
	co_console_stop(&con);
	free(g.kernel);
	co_cfg_free(&cfg);
	return exit_status(end);

out_free_kernel:
	free(g.kernel);
out_free_cfg:
	co_cfg_free(&cfg);
	return 1;
}
