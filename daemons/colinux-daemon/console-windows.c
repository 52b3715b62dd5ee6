// SPDX-License-Identifier: GPL-2.0
/*
 * console-windows.c --- the guest console on Windows (console.h): the
 * daemon's own console window, in and out, and colinux-console.exe's
 * clients on the socket (console-sock.c), which a thread of their own
 * waits for (a console read cannot wait with sockets).  Ctrl-C stops the
 * daemon (os-windows.c) where Linux has Ctrl-] q.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>
#include <windows.h>

#include <co/io.h>
#include <co/log.h>

#include "console.h"
#include "os.h"

/*
 * Console input, key by key as the guest's terminal wants it; the mode is
 * given back at stop.  Not a console (a pipe, a file): read as it is.
 */
static void tty_raw(struct co_console *c)
{
	HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
	DWORD mode;

	if (!GetConsoleMode(in, &mode))
		return;
	c->saved.mode = mode;
	mode &= ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT);
	mode |= ENABLE_VIRTUAL_TERMINAL_INPUT;
	if (SetConsoleMode(in, mode))
		c->raw = true;
}

/*
 * Reads standard input until its end.  co_console_stop() does not wait
 * for it (a console read cannot be woken): it only looks at c->tty_in,
 * under the lock, which stop clears.
 */
static void *input_thread(void *arg)
{
	struct co_console *c = arg;
	HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
	unsigned char buf[512];
	DWORD got;

	for (;;) {
		if (!ReadFile(in, buf, sizeof(buf), &got, NULL) || !got)
			got = 0;
		pthread_mutex_lock(&c->lock);
		if (!c->tty_in) {
			pthread_mutex_unlock(&c->lock);
			return NULL;
		}
		co_console_queue(c, buf, got);
		if (!got)
			c->tty_in = false; /* end of input */
		pthread_mutex_unlock(&c->lock);
		if (!got)
			return NULL;
	}
}

/*
 * Every socket signals one event (WSAEventSelect, which also makes them
 * non-blocking); on it the thread takes a waiting client and reads every
 * client, after resetting it: what arrives later sets it again.  The other
 * event ends the thread.
 */
static void *sock_thread(void *arg)
{
	struct co_console *c = arg;
	HANDLE *ev = (HANDLE *)c->sock_events;
	int i;

	for (;;) {
		pthread_mutex_lock(&c->lock);
		WSAEventSelect((SOCKET)(unsigned int)c->listen_fd, ev[1],
			       FD_ACCEPT);
		for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++)
			if (c->clients[i] >= 0)
				WSAEventSelect(
					(SOCKET)(unsigned int)c->clients[i],
					ev[1], FD_READ | FD_CLOSE);
		pthread_mutex_unlock(&c->lock);
		if (WaitForMultipleObjects(2, ev, FALSE, INFINITE) !=
		    WAIT_OBJECT_0 + 1)
			return NULL;
		ResetEvent(ev[1]);
		pthread_mutex_lock(&c->lock);
		co_console_accept(c);
		for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++)
			co_console_client_input(c, i);
		pthread_mutex_unlock(&c->lock);
	}
}

static int start_sock_thread(struct co_console *c, struct co_err *err)
{
	int ret;

	c->sock_events[0] = CreateEventA(NULL, TRUE, FALSE, NULL);
	c->sock_events[1] = CreateEventA(NULL, TRUE, FALSE, NULL);
	if (!c->sock_events[0] || !c->sock_events[1]) {
		ret = co_fail(err, -ENOMEM, "console socket: no event");
		goto out_close_events;
	}
	ret = -pthread_create(&c->sock_thread, NULL, sock_thread, c);
	if (!ret)
		return 0;
	co_fail(err, ret, "console socket thread: %s", strerror(-ret));
out_close_events:
	if (c->sock_events[0])
		CloseHandle(c->sock_events[0]);
	if (c->sock_events[1])
		CloseHandle(c->sock_events[1]);
	return ret;
}

int co_console_start(struct co_console *c, const char *sock_path,
		     struct co_err *err)
{
	int i, ret;

	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->vm_fd = -1;
	c->listen_fd = -1;
	for (i = 0; i < CO_CONSOLE_MAX_CLIENTS; i++)
		c->clients[i] = -1;
	c->tty_in = true;
	c->tty_out = true;
	if (sock_path) {
		ret = co_console_listen(c, sock_path, err);
		if (ret)
			return ret;
	}
	if (c->listen_fd >= 0) {
		ret = start_sock_thread(c, err);
		if (ret)
			goto out_unlisten;
	}
	tty_raw(c);
	ret = -pthread_create(&c->thread, NULL, input_thread, c);
	if (ret) {
		co_fail(err, ret, "input thread: %s", strerror(-ret));
		goto out_restore_tty;
	}
	pthread_detach(c->thread);
	return 0;

out_restore_tty:
	if (c->raw)
		SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), c->saved.mode);
	if (c->listen_fd >= 0) {
		SetEvent(c->sock_events[0]);
		pthread_join(c->sock_thread, NULL);
		CloseHandle(c->sock_events[0]);
		CloseHandle(c->sock_events[1]);
	}
out_unlisten:
	co_console_unlisten(c);
	return ret;
}

/* The input thread may still be in ReadFile: the lock stays, unused. */
void co_console_stop(struct co_console *c)
{
	if (c->listen_fd >= 0) {
		SetEvent(c->sock_events[0]);
		pthread_join(c->sock_thread, NULL);
		CloseHandle(c->sock_events[0]);
		CloseHandle(c->sock_events[1]);
	}
	pthread_mutex_lock(&c->lock);
	c->tty_in = false;
	c->vm_fd = -1;
	co_console_unlisten(c);
	pthread_mutex_unlock(&c->lock);
	if (c->raw)
		SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), c->saved.mode);
}

void co_console_output(struct co_console *c, const void *buf, size_t n)
{
	pthread_mutex_lock(&c->lock);
	if (c->tty_out)
		co_write_all(1, buf, n);
	co_console_to_clients(c, buf, n);
	pthread_mutex_unlock(&c->lock);
}
