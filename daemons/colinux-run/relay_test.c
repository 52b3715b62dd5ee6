// SPDX-License-Identifier: GPL-2.0
/*
 * relay_test.c --- the sound relay's credentials (relay.h), in the window
 * where PulseAudio has accepted a connection and not yet turned on
 * SO_PASSCRED: data written then by a plain client (ssh) comes without
 * credentials (the negative control), through the relay with them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <co/usock.h>

#include "relay.h"

#include "../../tests/lib/check.h"

static int listen_on(const char *path)
{
	int fd = co_usock_socket();

	return fd < 0 || co_usock_listen(fd, path) ? -1 : fd;
}

static int connect_to(const char *path)
{
	int fd = co_usock_socket();

	return fd < 0 || co_usock_connect(fd, path) ? -1 : fd;
}

/*
 * As PulseAudio: accept, then (after the client wrote) SO_PASSCRED, then
 * read.  1: the data came with this user's credentials, 0: without.
 */
static int server_sees_creds(int server, int client)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} u;
	char data[16];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	struct ucred uc;
	int conn = accept(server, NULL, NULL), one = 1, ret = 0;

	CHECK(conn >= 0);
	CHECK_INT(write(client, "hello", 5), 5);
	usleep(200 * 1000); /* the relay has passed it on */
	CHECK_INT(setsockopt(conn, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)),
		  0);
	m.msg_control = u.buf;
	m.msg_controllen = sizeof(u.buf);
	CHECK_INT(recvmsg(conn, &m, 0), 5);
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SCM_CREDENTIALS)
			continue;
		memcpy(&uc, CMSG_DATA(c), sizeof(uc));
		ret = uc.uid == getuid() && uc.pid != 0;
	}
	close(conn);
	return ret;
}

static void test_creds(void)
{
	char dir[] = "/tmp/relay_test.XXXXXX", srv[64], rel[64];
	int server, relay, client, status;
	pid_t pid;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(srv, sizeof(srv), "%s/server", dir);
	snprintf(rel, sizeof(rel), "%s/relay", dir);
	server = listen_on(srv);
	relay = listen_on(rel);
	CHECK(server >= 0 && relay >= 0);

	/* Negative control: straight to the server, no credentials. */
	client = connect_to(srv);
	CHECK(client >= 0);
	CHECK_INT(server_sees_creds(server, client), 0);
	close(client);

	pid = fork();
	if (pid == 0) {
		close(server);
		co_relay_serve(relay, srv);
		_exit(1);
	}
	close(relay);
	client = connect_to(rel);
	CHECK(client >= 0);
	CHECK_INT(server_sees_creds(server, client), 1);
	close(client);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	close(server);
	unlink(srv);
	unlink(rel);
	rmdir(dir);
}

int main(void)
{
	RUN_TEST(test_creds);
	return CHECK_EXIT();
}
