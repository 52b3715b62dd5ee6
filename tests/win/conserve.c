// SPDX-License-Identifier: GPL-2.0
/*
 * conserve.c --- tests/win's console server: colinux-daemon's own console
 * code (console.h: console-windows.c on Windows, console.c on Linux, with
 * console-sock.c and console-queue.c on both) serving a socket, with a
 * stand-in for the guest, which no driver runs here.
 *
 *   conserve SOCKET
 *
 * Once the socket listens it prints "listening on SOCKET".  The stand-in
 * takes the queued input as the guest would (co_console_input) and
 * answers every line with "guest got: LINE" through co_console_output (the
 * daemon's standard output and every colinux-console); the line
 * "poweroff" is answered "guest: poweroff" and stops the console, which
 * closes the clients, as a guest's poweroff does.  Exit status 0 then, 1
 * with the console's one line when it refuses to start.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <co/log.h>

#include "console.h"

static void say(struct co_console *c, const char *what, const char *line)
{
	char out[600];

	snprintf(out, sizeof(out), "%s%s\r\n", what, line);
	co_console_output(c, out, strlen(out));
}

int main(int argc, char **argv)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct co_err err = { { 0 } };
	struct co_console c;
	char line[512], buf[256];
	size_t len = 0, n, i;

	co_log_init("conserve", CO_LOG_INFO);
	if (argc != 2) {
		fprintf(stderr, "usage: conserve SOCKET\n");
		return 2;
	}
	if (co_console_start(&c, argv[1], &err)) {
		co_err("%s", err.msg);
		return 1;
	}
	printf("listening on %s\n", argv[1]);
	fflush(stdout);
	for (;;) {
		n = co_console_input(&c, buf, sizeof(buf));
		if (!n)
			nanosleep(&tick, NULL);
		for (i = 0; i < n; i++) {
			if (buf[i] == '\r')
				continue;
			if (buf[i] != '\n' && len < sizeof(line) - 1) {
				line[len++] = buf[i];
				continue;
			}
			line[len] = 0;
			len = 0;
			if (!strcmp(line, "poweroff")) {
				say(&c, "guest: poweroff", "");
				co_console_stop(&c);
				return 0;
			}
			say(&c, "guest got: ", line);
		}
	}
}
