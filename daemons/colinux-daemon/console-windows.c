// SPDX-License-Identifier: GPL-2.0
/*
 * console-windows.c --- the guest console on Windows (console.h): the
 * daemon's own console window, in and out.  colinux-console.exe cannot
 * attach yet (console.c's socket clients are Linux's), and Ctrl-C stops
 * the daemon (os-windows.c) where Linux has Ctrl-] q.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#define WIN32_LEAN_AND_MEAN
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

int co_console_start(struct co_console *c, const char *sock_path,
		     struct co_err *err)
{
	int ret;

	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->vm_fd = -1;
	c->listen_fd = -1;
	c->tty_in = true;
	c->tty_out = true;
	if (sock_path)
		co_dbg("console socket %s: colinux-console cannot attach on Windows yet; the console is this window",
		       sock_path);
	tty_raw(c);
	ret = -pthread_create(&c->thread, NULL, input_thread, c);
	if (ret) {
		if (c->raw)
			SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE),
				       c->saved.mode);
		return co_fail(err, ret, "input thread: %s", strerror(-ret));
	}
	pthread_detach(c->thread);
	return 0;
}

/* The input thread may still be in ReadFile: the lock stays, unused. */
void co_console_stop(struct co_console *c)
{
	pthread_mutex_lock(&c->lock);
	c->tty_in = false;
	c->vm_fd = -1;
	pthread_mutex_unlock(&c->lock);
	if (c->raw)
		SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), c->saved.mode);
}

void co_console_output(struct co_console *c, const void *buf, size_t n)
{
	pthread_mutex_lock(&c->lock);
	co_write_all(1, buf, n);
	pthread_mutex_unlock(&c->lock);
}
