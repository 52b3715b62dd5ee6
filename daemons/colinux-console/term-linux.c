// SPDX-License-Identifier: GPL-2.0
/* term-linux.c --- colinux-console's host on Linux (term.h). */
#include <errno.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <co/io.h>

#include "term.h"

/* The terminal's mode before co_term_raw(), given back at the end. */
static struct termios saved;

bool co_term_raw(void)
{
	struct termios raw;

	if (!isatty(0) || tcgetattr(0, &saved))
		return false;
	raw = saved;
	cfmakeraw(&raw);
	tcsetattr(0, TCSANOW, &raw);
	return true;
}

void co_term_restore(void)
{
	tcsetattr(0, TCSANOW, &saved);
}

int co_term_wait(int sock, bool input)
{
	struct pollfd pfd[2] = { { .fd = input ? 0 : -1, .events = POLLIN },
				 { .fd = sock, .events = POLLIN } };

	while (poll(pfd, 2, -1) < 0)
		if (errno != EINTR)
			return -1;
	return (pfd[0].revents ? CO_TERM_INPUT : 0) |
	       (pfd[1].revents ? CO_TERM_SOCKET : 0);
}

ssize_t co_term_read(void *buf, size_t n)
{
	ssize_t got;

	do
		got = read(0, buf, n);
	while (got < 0 && errno == EINTR);
	return got;
}

int co_term_write(const void *buf, size_t n)
{
	return co_write_all(1, buf, n) ? -1 : 0;
}
