// SPDX-License-Identifier: GPL-2.0
/*
 * main.c --- colinux-daemon: run a cooperative Linux guest.
 *
 *   colinux-daemon [OPTIONS] kernel=vmlinux [initrd=FILE] [mem=MiB, >= 32]
 *                  [cobdN=IMAGE[,ro]] [execN=PROGRAM[,ARGS]] [root=...]
 *                  [@config]
 *                  [other kernel parameters]
 *
 * Options (before or among the configuration tokens):
 *   -r, --restart            when the guest reboots, boot it again
 *   --console-socket=PATH    where colinux-console attaches ("none": no
 *                            socket; default /run/colinux/console.sock,
 *                            on Windows %ProgramData%\coLinux\console.sock)
 *   -v, --verbose / -q, --quiet
 *
 * Exit status: 0 when the guest powered off, halted or rebooted (without
 * --restart) or was stopped (SIGINT, SIGTERM, Ctrl-] q; Ctrl-C, a service
 * stop or shutdown on Windows); 1 when it could not be started; 2 when it
 * panicked; 3 when it died of an exception; 4 when the driver is not
 * loaded; 5 when the driver speaks another ABI version.  The host's own
 * commands (os.h: Windows's --install-driver, ...) have their own.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <co/cfg.h>
#include <co/io.h>
#include <co/log.h>

#include "console.h"
#include "exec.h"
#include "os.h"
#include "vm.h"

/* Set when a stop is asked for (os.h), read by the RUN loop. */
static volatile int stop_signal;
static const char *volatile stop_reason;

static void on_stop(const char *reason)
{
	stop_reason = reason;
	stop_signal = 1;
	co_vm_interrupt();
}

/* @file tokens: the whole file, for the pure parser. */
static int read_config(void *ctx, const char *path, char **text, size_t *len)
{
	return co_read_file(path, text, len);
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: colinux-daemon [-r|--restart] [--console-socket=PATH|none] [-v|-q]\n"
		"                      kernel=vmlinux [initrd=FILE] [mem=MiB] [@config] [kernel parameters]\n"
		"mem: guest RAM, any whole number of MiB from %d (default 64)\n%s",
		CO_CFG_MEM_MIN_MB, co_os_usage);
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

static int exit_status(enum co_vm_end end)
{
	switch (end) {
	case CO_VM_POWEROFF:
	case CO_VM_HALT:
	case CO_VM_REBOOT:
		return 0;
	case CO_VM_STOPPED:
		if (stop_signal)
			co_info("stopped by %s; guest memory released",
				stop_reason);
		else
			co_info("stopped from the console; guest memory released");
		return 0;
	case CO_VM_PANIC:
		return 2;
	case CO_VM_FAULT:
		return 3;
	case CO_VM_NO_DRIVER:
		return 4;
	case CO_VM_DRIVER_VERSION:
		return 5;
	default:
		return 1;
	}
}

static int daemon_main(int argc, char **argv)
{
	struct options o = { .socket = co_console_socket_default(),
			     .level = CO_LOG_INFO };
	struct co_err err = { { 0 } };
	struct co_console con;
	struct co_cfg cfg;
	struct co_devs devs;
	struct co_execs execs;
	struct co_vm g;
	enum co_vm_end end;

	if (take_options(&argc, argv, &o))
		return 1;
	co_log_init("colinux-daemon", o.level);
	co_cfg_init(&cfg);
	if (co_cfg_parse_args(&cfg, argc - 1, argv + 1, read_config, NULL,
			      &err)) {
		co_err("%s", err.msg);
		return 1;
	}
	memset(&g, 0, sizeof(g));
	g.cfg = &cfg;
	g.con = &con;
	g.stop_signal = &stop_signal;
	if (co_vm_read_kernel(&g))
		goto out_free_cfg;
	if (co_devs_create(&devs, &cfg, &err)) {
		co_err("%s", err.msg);
		goto out_free_kernel;
	}
	g.devs = &devs;

	co_os_on_stop(on_stop, co_vm_interrupt);
	if (!strcmp(o.socket, "none"))
		o.socket = NULL;
	else if (!strcmp(o.socket, co_console_socket_default()))
		co_os_console_dir(o.socket);
	if (co_console_start(&con, o.socket, &err)) {
		co_err("%s", err.msg);
		goto out_free_devs;
	}
	if (co_execs_start(&execs, &cfg, &err)) {
		co_err("%s", err.msg);
		co_console_stop(&con);
		goto out_free_devs;
	}
	do {
		end = co_vm_boot(&g);
		if (end == CO_VM_REBOOT && o.restart && !stop_signal)
			co_info("booting the guest again (--restart)");
	} while (end == CO_VM_REBOOT && o.restart && !stop_signal && !con.quit);
	co_execs_stop(&execs);
	co_console_stop(&con);
	co_devs_destroy(&devs);
	free(g.kernel);
	co_cfg_free(&cfg);
	return exit_status(end);

out_free_devs:
	co_devs_destroy(&devs);
out_free_kernel:
	free(g.kernel);
out_free_cfg:
	co_cfg_free(&cfg);
	return 1;
}

int main(int argc, char **argv)
{
	int ret;

	co_log_init("colinux-daemon", CO_LOG_INFO);
	ret = co_os_command(argc, argv, daemon_main);

	return ret >= 0 ? ret : daemon_main(argc, argv);
}
