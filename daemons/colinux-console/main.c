// SPDX-License-Identifier: GPL-2.0
/*
 * main.c --- colinux-console: attach this terminal to a running guest's
 * console, through the unix socket colinux-daemon listens on.
 *
 *   colinux-console [SOCKET]     (default /run/colinux/console.sock)
 *
 * Ctrl-] then d (or q) detaches; the guest runs on.  Ctrl-] Ctrl-] sends a
 * Ctrl-].  Without a terminal, input is copied until its end, then output
 * until the daemon closes the connection.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <co/console_proto.h>
#include <co/io.h>
#include <co/log.h>

static int attach(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		co_err("%s: path too long", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		co_err("%s: %s (is colinux-daemon running?)", path,
		       strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * Keyboard to guest, with the escape key.  Returns false to detach.  The
 * escape state lives across reads: Ctrl-] may end one read and d start the
 * next.
 */
static bool keys(int sock, const char *buf, size_t n, bool *escape)
{
	char out[512];
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (!*escape && buf[i] == CO_CONSOLE_ESCAPE) {
			*escape = true;
			continue;
		}
		if (*escape) {
			*escape = false;
			if (buf[i] == 'd' || buf[i] == 'q')
				return false;
		}
		out[o++] = buf[i];
	}
	return co_write_all(sock, out, o) == 0;
}

static int relay(int sock, bool tty)
{
	struct pollfd pfd[2] = { { .fd = 0, .events = POLLIN },
				 { .fd = sock, .events = POLLIN } };
	bool escape = false;
	char buf[512];
	ssize_t n;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pfd[0].revents) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				pfd[0].fd = -1; /* end of input: output only */
			} else if (!keys(sock, buf, n, &escape)) {
				return 0;
			}
		}
		if (pfd[1].revents) {
			n = read(sock, buf, sizeof(buf));
			if (n <= 0) {
				if (tty)
					fprintf(stderr, "\r\n");
				co_info("the guest's console closed");
				return 0;
			}
			if (co_write_all(1, buf, n))
				return 1;
		}
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : CO_CONSOLE_SOCKET;
	struct termios saved, raw;
	bool tty = isatty(0) && !tcgetattr(0, &saved);
	int sock, ret;

	co_log_init("colinux-console", CO_LOG_INFO);
	if (argc > 2 || (argc > 1 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: colinux-console [SOCKET]\n");
		return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	sock = attach(path);
	if (sock < 0)
		return 1;
	if (tty) {
		fprintf(stderr, "attached to %s; Ctrl-] d detaches\r\n", path);
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	}
	ret = relay(sock, tty);
	if (tty)
		tcsetattr(0, TCSANOW, &saved);
	close(sock);
	return ret;
}
