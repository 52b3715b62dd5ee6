// SPDX-License-Identifier: GPL-2.0
/*
 * console-sock.c --- the console's socket, for both hosts (console.c and
 * console-windows.c wait on it their own way): where colinux-console
 * attaches, the refusals at start, the clients' input and the guest's
 * output to them.  The socket itself is co/usock.h's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <co/log.h>
#include <co/usock.h>

#include "console.h"

int co_console_listen(struct co_console *c, const char *path,
		      struct co_err *err)
{
	int fd, ret;

	if (strlen(path) > CO_USOCK_PATH_MAX)
		return co_fail(err, -ENAMETOOLONG,
			       "console socket %s: path too long (%d at most)",
			       path, CO_USOCK_PATH_MAX);
	fd = co_usock_socket();
	if (fd == -EAFNOSUPPORT) {
		/* An older Windows: the console is the daemon's window. */
		co_warn("console socket %s: %s; colinux-console cannot attach",
			path, co_usock_strerror(-fd));
		return 0;
	}
	if (fd < 0)
		return co_fail(err, fd, "console socket %s: %s", path,
			       co_usock_strerror(-fd));
	/* A socket nobody answers on is left over from a daemon that died. */
	if (!co_usock_connect(fd, path)) {
		co_usock_close(fd);
		return co_fail(
			err, -EADDRINUSE,
			"console socket %s: another colinux-daemon is using it",
			path);
	}
	co_usock_close(fd);
	fd = co_usock_socket();
	ret = fd < 0 ? fd : co_usock_remove(path);
	if (!ret)
		ret = co_usock_listen(fd, path);
	if (ret) {
		if (fd >= 0)
			co_usock_close(fd);
		return co_fail(err, ret, "console socket %s: %s", path,
			       co_usock_strerror(-ret));
	}
	c->listen_fd = fd;
	c->sock_path = strdup(path);
	return 0;
}

void co_console_accept(struct co_console *c)
{
	int fd = co_usock_accept(c->listen_fd);
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++) {
		if (c->clients[i] < 0) {
			c->clients[i] = fd;
			return;
		}
	}
	co_usock_close(fd); /* full */
}

void co_console_client_input(struct co_console *c, int i)
{
	unsigned char buf[512];
	ssize_t got;

	if (c->clients[i] < 0)
		return;
	got = co_usock_recv(c->clients[i], buf, sizeof(buf));
	if (got > 0) {
		co_console_queue(c, buf, got);
	} else if (got != -EAGAIN) {
		co_usock_close(c->clients[i]);
		c->clients[i] = -1;
	}
}

void co_console_to_clients(struct co_console *c, const void *buf, size_t n)
{
	ssize_t sent;
	int i;

	/* A client that can not keep up loses output, never stops the guest. */
	for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++) {
		if (c->clients[i] < 0)
			continue;
		sent = co_usock_send(c->clients[i], buf, n);
		if (sent < 0 && sent != -EAGAIN) {
			co_usock_close(c->clients[i]);
			c->clients[i] = -1;
		}
	}
}

void co_console_unlisten(struct co_console *c)
{
	int i;

	for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++) {
		if (c->clients[i] >= 0)
			co_usock_close(c->clients[i]);
		c->clients[i] = -1;
	}
	if (c->listen_fd >= 0) {
		co_usock_close(c->listen_fd);
		co_usock_remove(c->sock_path);
	}
	c->listen_fd = -1;
	free(c->sock_path);
	c->sock_path = NULL;
}
