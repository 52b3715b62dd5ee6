// SPDX-License-Identifier: GPL-2.0
/*
 * conet-linux.c --- conet's OS part on Linux (conet-backend.h): events are
 * eventfds, so one poll() waits for them and the sockets alike.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "conet-backend.h"

int conet_wait(struct conet *d, int timeout_ms)
{
	int n = poll(d->pfd, d->npfd, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (unsigned int i = 0; i < d->npfd; i++)
		if (d->is_event[i] && d->pfd[i].revents)
			co_dev_event_clear(d->pfd[i].fd);
	return n;
}

char *conet_abspath(const char *path)
{
	return realpath(path, NULL);
}
