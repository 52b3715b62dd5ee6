// SPDX-License-Identifier: GPL-2.0
/*
 * relay.c --- connections carried to a unix socket, with credentials
 * (relay.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <co/usock.h>

#include "relay.h"

/* All of @n bytes to @fd, this process's credentials with each write. */
static int send_creds(int fd, const char *p, size_t n)
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
		memset(&u, 0, sizeof(u));
		m.msg_control = u.buf;
		m.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_CREDENTIALS;
		c->cmsg_len = CMSG_LEN(sizeof(uc));
		memcpy(CMSG_DATA(c), &uc, sizeof(uc));
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
			if (n <= 0 || send_creds(server, buf, n))
				return;
		}
		if (p[1].revents) {
			n = read(server, buf, sizeof(buf));
			if (n <= 0 || co_usock_send_all(client, buf, n))
				return;
		}
	}
}

void co_relay_serve(int listen_fd, const char *server)
{
	int c, s, ret;

	signal(SIGCHLD, SIG_IGN); /* the carriers reap themselves */
	signal(SIGPIPE, SIG_IGN); /* a peer gone ends a carrier by its error */
	for (;;) {
		c = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0 && errno == EINTR)
			continue;
		if (c < 0)
			return;
		if (fork() == 0) {
			close(listen_fd);
			s = co_usock_socket();
			ret = s < 0 ? s : co_usock_connect(s, server);
			if (ret)
				fprintf(stderr,
					"colinux-run: the sound server %s: %s\n",
					server, strerror(-ret));
			else
				carry(c, s);
			_exit(0);
		}
		close(c);
	}
}
