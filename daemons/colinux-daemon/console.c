// SPDX-License-Identifier: GPL-2.0
/* console.c --- the guest console: terminal, socket clients, input queue. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <co/io.h>
#include <co/log.h>

#include "console.h"

/* Terminal input, with the escape key (lock held). */
static void tty_input(struct co_console *c, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!c->escape && p[i] == CO_CONSOLE_ESCAPE) {
			c->escape = true;
			continue;
		}
		if (!c->escape) {
			co_console_queue(c, p + i, 1);
			continue;
		}
		c->escape = false;
		if (p[i] == 'q' || p[i] == 'Q') {
			c->quit = true;
			pthread_kill(c->runner, SIGUSR1);
		} else if (p[i] == 'd' || p[i] == 'D') {
			c->tty_in = false;
			c->tty_out = false;
			co_info("terminal detached; the guest runs on (colinux-console %s)",
				c->sock_path ? c->sock_path : "");
		} else {
			co_console_queue(c, p + i, 1);
		}
	}
}

static void add_client(struct co_console *c)
{
	int fd =
		accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++) {
		if (c->clients[i] < 0) {
			c->clients[i] = fd;
			return;
		}
	}
	close(fd); /* full */
}

static void *input_thread(void *arg)
{
	struct co_console *c = arg;
	struct pollfd pfd[CO_CONSOLE_MAX_CLIENTS + 3];
	unsigned char buf[512];
	int i, n, nfds;
	ssize_t got;

	for (;;) {
		pthread_mutex_lock(&c->lock);
		nfds = 0;
		pfd[nfds++] =
			(struct pollfd){ .fd = c->wake[0], .events = POLLIN };
		pfd[nfds++] = (struct pollfd){ .fd = c->tty_in ? 0 : -1,
					       .events = POLLIN };
		pfd[nfds++] =
			(struct pollfd){ .fd = c->listen_fd, .events = POLLIN };
		for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++)
			pfd[nfds++] = (struct pollfd){ .fd = c->clients[i],
						       .events = POLLIN };
		pthread_mutex_unlock(&c->lock);

		n = poll(pfd, nfds, -1);
		if (n < 0 && errno != EINTR)
			return NULL;
		if (pfd[0].revents)
			return NULL;
		pthread_mutex_lock(&c->lock);
		if (pfd[1].revents) {
			got = read(0, buf, sizeof(buf));
			if (got > 0)
				tty_input(c, buf, got);
			else if (got == 0 || errno != EINTR)
				c->tty_in = false; /* end of input */
		}
		if (pfd[2].revents & POLLIN)
			add_client(c);
		for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++) {
			if (!pfd[3 + i].revents || c->clients[i] < 0)
				continue;
			got = read(c->clients[i], buf, sizeof(buf));
			if (got > 0) {
				co_console_queue(c, buf, got);
			} else if (got == 0 || errno != EAGAIN) {
				close(c->clients[i]);
				c->clients[i] = -1;
			}
		}
		pthread_mutex_unlock(&c->lock);
	}
}

/*
 * Raw input, but output as a terminal expects it: the boot console writes
 * bare newlines.
 */
static void tty_raw(struct co_console *c)
{
	struct termios t;

	if (!isatty(0) || tcgetattr(0, &c->saved))
		return;
	t = c->saved;
	cfmakeraw(&t);
	t.c_oflag |= OPOST | ONLCR;
	if (!tcsetattr(0, TCSANOW, &t))
		c->raw = true;
}

static int listen_socket(struct co_console *c, const char *path,
			 struct co_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return co_fail(err, -ENAMETOOLONG,
			       "console socket %s: path too long", path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return co_fail(err, -errno, "console socket: %s",
			       strerror(errno));
	/* A socket nobody answers on is left over from a daemon that died. */
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return co_fail(
			err, -EADDRINUSE,
			"console socket %s: another colinux-daemon is using it",
			path);
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4)) {
		int ret = -errno;

		close(fd);
		return co_fail(err, ret, "console socket %s: %s", path,
			       strerror(-ret));
	}
	chmod(path, 0600);
	c->listen_fd = fd;
	c->sock_path = strdup(path);
	return 0;
}

int co_console_start(struct co_console *c, const char *sock_path,
		     struct co_err *err)
{
	sigset_t all, old;
	int i, ret;

	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->vm_fd = -1;
	c->listen_fd = -1;
	for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++)
		c->clients[i] = -1;
	c->tty_in = true;
	c->tty_out = true;
	c->runner = pthread_self();
	if (sock_path) {
		ret = listen_socket(c, sock_path, err);
		if (ret)
			return ret;
	}
	if (pipe2(c->wake, O_CLOEXEC)) {
		ret = co_fail(err, -errno, "pipe: %s", strerror(errno));
		goto out_close_socket;
	}
	tty_raw(c);
	/* Signals are for the RUN thread: it is the one they must interrupt. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = -pthread_create(&c->thread, NULL, input_thread, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		co_fail(err, ret, "input thread: %s", strerror(-ret));
		goto out_restore_tty;
	}
	return 0;

out_restore_tty:
	if (c->raw)
		tcsetattr(0, TCSANOW, &c->saved);
	close(c->wake[0]);
	close(c->wake[1]);
out_close_socket:
	if (c->listen_fd >= 0) {
		close(c->listen_fd);
		unlink(c->sock_path);
	}
	free(c->sock_path);
	return ret;
}

void co_console_stop(struct co_console *c)
{
	int i;

	if (write(c->wake[1], "", 1) < 0)
		co_warn("console: can not stop the input thread");
	pthread_join(c->thread, NULL);
	close(c->wake[0]);
	close(c->wake[1]);
	if (c->raw)
		tcsetattr(0, TCSANOW, &c->saved);
	for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++)
		if (c->clients[i] >= 0)
			close(c->clients[i]);
	if (c->listen_fd >= 0) {
		close(c->listen_fd);
		unlink(c->sock_path);
	}
	free(c->sock_path);
	pthread_mutex_destroy(&c->lock);
}

void co_console_output(struct co_console *c, const void *buf, size_t n)
{
	int i;

	pthread_mutex_lock(&c->lock);
	if (c->tty_out)
		co_write_all(1, buf, n);
	/* A client that can not keep up loses output, never stops the guest. */
	for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++)
		if (c->clients[i] >= 0 &&
		    send(c->clients[i], buf, n, MSG_NOSIGNAL | MSG_DONTWAIT) <
			    0 &&
		    errno != EAGAIN) {
			close(c->clients[i]);
			c->clients[i] = -1;
		}
	pthread_mutex_unlock(&c->lock);
}
