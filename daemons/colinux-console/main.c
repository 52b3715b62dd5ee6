// SPDX-License-Identifier: GPL-2.0
/*
 * main.c --- colinux-console: attach this terminal to a running guest's
 * console, through the unix socket colinux-daemon listens on.
 *
 *   colinux-console [SOCKET]     (default /run/colinux/console.sock; on
 *                                 Windows %ProgramData%\coLinux\console.sock)
 *
 * Ctrl-] then d (or q) detaches; the guest runs on.  Ctrl-] Ctrl-] sends a
 * Ctrl-].  Without a terminal, input is copied until its end, then output
 * until the daemon closes the connection.  Exit status: 0 detached or
 * closed by the daemon, 1 no daemon at SOCKET (one line says why) or a
 * failed read or write, 2 bad arguments.  The host's side is term.h's and
 * co/usock.h's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <co/console_proto.h>
#include <co/log.h>
#include <co/usock.h>

#include "term.h"

static int attach(const char *path)
{
	int fd, ret;

	if (strlen(path) > CO_USOCK_PATH_MAX) {
		co_err("%s: path too long (%d at most)", path,
		       CO_USOCK_PATH_MAX);
		return -1;
	}
	fd = co_usock_socket();
	ret = fd < 0 ? fd : co_usock_connect(fd, path);
	if (ret) {
		co_err("%s: %s%s", path, co_usock_strerror(-ret),
		       ret == -EAFNOSUPPORT ? "" :
					      " (is colinux-daemon running?)");
		if (fd >= 0)
			co_usock_close(fd);
		return -1;
	}
	return fd;
}

/*
 * Keyboard to guest, with the escape key.  Returns false to detach (what
 * came before the escape is sent first) or when the socket fails.  The
 * escape state lives across reads: Ctrl-] may end one read and d start the
 * next.
 */
static bool keys(int sock, const char *buf, size_t n, bool *escape)
{
	char out[512];
	size_t i, o = 0;
	bool detach = false;

	for (i = 0; i < n && !detach; i++) {
		if (!*escape && buf[i] == CO_CONSOLE_ESCAPE) {
			*escape = true;
			continue;
		}
		if (*escape) {
			*escape = false;
			detach = buf[i] == 'd' || buf[i] == 'q';
			if (detach)
				continue;
		}
		out[o++] = buf[i];
	}
	return co_usock_send_all(sock, out, o) == 0 && !detach;
}

static int relay(int sock, bool tty)
{
	bool input = true, escape = false;
	char buf[512];
	ssize_t n;
	int ready;

	for (;;) {
		ready = co_term_wait(sock, input);
		if (ready < 0)
			return 1;
		if (ready & CO_TERM_INPUT) {
			n = co_term_read(buf, sizeof(buf));
			if (n <= 0)
				input = false; /* end of input: output only */
			else if (!keys(sock, buf, n, &escape))
				return 0;
		}
		if (ready & CO_TERM_SOCKET) {
			n = co_usock_recv(sock, buf, sizeof(buf));
			if (n == -EAGAIN)
				continue;
			if (n <= 0) {
				if (tty)
					fprintf(stderr, "\r\n");
				co_info("the guest's console closed");
				return 0;
			}
			if (co_term_write(buf, n))
				return 1;
		}
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : co_console_socket_default();
	bool tty;
	int sock, ret;

	co_log_init("colinux-console", CO_LOG_INFO);
	if (argc > 2 || (argc > 1 && argv[1][0] == '-')) {
		bool help = argc == 2 && !strcmp(argv[1], "--help");

		fprintf(help ? stdout : stderr,
			"usage: colinux-console [SOCKET]\n"
			"SOCKET: the daemon's --console-socket (default %s)\n"
			"Ctrl-] d detaches; the guest runs on\n",
			co_console_socket_default());
		return help ? 0 : 2;
	}
	sock = attach(path);
	if (sock < 0)
		return 1;
	tty = co_term_raw();
	if (tty)
		fprintf(stderr, "attached to %s; Ctrl-] d detaches\r\n", path);
	ret = relay(sock, tty);
	if (tty)
		co_term_restore();
	co_usock_close(sock);
	return ret;
}
