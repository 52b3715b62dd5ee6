// SPDX-License-Identifier: GPL-2.0
/*
 * relay.c --- connections carried to a unix socket, with credentials
 * (relay.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "relay.h"

/* All of @n bytes to @fd; with @creds, this process's credentials on each write. */
static int send_all(int fd, const char *p, size_t n, bool creds)
{
	struct ucred uc = { .pid = getpid(), .uid = getuid(), .gid = getgid() };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} u;
	struct iovec iov;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	ssize_t w;

	while (n) {
		iov = (struct iovec){ (void *)p, n };
		if (creds) {
			memset(&u, 0, sizeof(u));
			m.msg_control = u.buf;
			m.msg_controllen = sizeof(u.buf);
			c = CMSG_FIRSTHDR(&m);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_CREDENTIALS;
			c->cmsg_len = CMSG_LEN(sizeof(uc));
			memcpy(CMSG_DATA(c), &uc, sizeof(uc));
		}
		w = sendmsg(fd, &m, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/*
 * Both ways between @client (ssh's) and @server until either ends.  The
 * peers read while they write, so a blocking write cannot stall both.
 */
static void carry(int client, int server)
{
	struct pollfd p[2] = { { .fd = client, .events = POLLIN },
			       { .fd = server, .events = POLLIN } };
	char buf[65536];
	ssize_t n;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[0].revents) {
			n = read(client, buf, sizeof(buf));
			if (n <= 0 || send_all(server, buf, n, true))
				return;
		}
		if (p[1].revents) {
			n = read(server, buf, sizeof(buf));
			if (n <= 0 || send_all(client, buf, n, false))
				return;
		}
	}
}

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void co_relay_serve(int listen_fd, const char *server)
{
	int c, s;

	signal(SIGCHLD, SIG_IGN); /* the carriers reap themselves */
	for (;;) {
		c = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0 && errno == EINTR)
			continue;
		if (c < 0)
			return;
		if (fork() == 0) {
			close(listen_fd);
			s = connect_to(server);
			if (s < 0)
				fprintf(stderr,
					"colinux-run: the sound server %s: %s\n",
					server, strerror(errno));
			else
				carry(c, s);
			_exit(0);
		}
		close(c);
	}
}
