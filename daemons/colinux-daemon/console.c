// SPDX-License-Identifier: GPL-2.0
/*
 * console.c --- the guest console on Linux: the terminal, and one thread
 * polling it, the socket and its clients (console-sock.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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
			co_console_accept(c);
		for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++)
			if (pfd[3 + i].revents)
				co_console_client_input(c, i);
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
		ret = co_console_listen(c, sock_path, err);
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
	co_console_unlisten(c);
	return ret;
}

void co_console_stop(struct co_console *c)
{
	if (write(c->wake[1], "", 1) < 0)
		co_warn("console: can not stop the input thread");
	pthread_join(c->thread, NULL);
	close(c->wake[0]);
	close(c->wake[1]);
	if (c->raw)
		tcsetattr(0, TCSANOW, &c->saved);
	co_console_unlisten(c);
	pthread_mutex_destroy(&c->lock);
}

void co_console_output(struct co_console *c, const void *buf, size_t n)
{
	pthread_mutex_lock(&c->lock);
	if (c->tty_out)
		co_write_all(1, buf, n);
	co_console_to_clients(c, buf, n);
	pthread_mutex_unlock(&c->lock);
}
