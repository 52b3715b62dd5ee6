// SPDX-License-Identifier: GPL-2.0
/*
 * conet-windows.c --- conet's OS part on Windows (conet-backend.h).
 *
 * A round's entries are event objects (dev-windows.c) and Winsock sockets
 * (slirp's).  WSAPoll sees only sockets and WaitForMultipleObjects only
 * handles, so the sockets are first polled without waiting; when nothing
 * is ready, each socket is tied for the wait to one more event
 * (WSAEventSelect, which signals it at once for a condition already true)
 * and the wait covers that event with the others; a second poll without
 * waiting then gives the sockets' revents.  Slirp's sockets are
 * non-blocking already, which WSAEventSelect would make them.
 *
 * tuntap and pcap-bridge are Linux back ends: asked for here, they refuse
 * at start naming the key.
 */
#include <errno.h>
#include <stdlib.h>

#include <winsock2.h>
#include <windows.h>

#include "conet-backend.h"

#define MAX_WAIT (MAXIMUM_WAIT_OBJECTS - 1) /* one for the sockets' event */

struct socket_wait {
	WSAPOLLFD *fds;
	unsigned int *idx; /* fds[j] is the round's entry idx[j] */
	unsigned int n;
};

static SHORT to_wsa(short events)
{
	SHORT e = 0;

	/* WSAPoll refuses POLLPRI; urgent data reads as normal data here */
	if (events & (POLLIN | POLLPRI))
		e |= POLLRDNORM;
	if (events & POLLOUT)
		e |= POLLWRNORM;
	return e;
}

static short from_wsa(SHORT r)
{
	short e = 0;

	if (r & (POLLRDNORM | POLLRDBAND))
		e |= POLLIN;
	if (r & POLLWRNORM)
		e |= POLLOUT;
	if (r & POLLERR)
		e |= POLLERR;
	if (r & POLLHUP)
		e |= POLLHUP | POLLIN; /* the end of the stream is read */
	if (r & POLLNVAL)
		e |= POLLNVAL;
	return e;
}

/* Poll the sockets without waiting; their revents set; how many ready. */
static int poll_sockets(struct conet *d, struct socket_wait *w)
{
	int n;

	if (!w->n)
		return 0;
	n = WSAPoll(w->fds, w->n, 0);
	if (n < 0)
		return -EIO;
	for (unsigned int j = 0; j < w->n; j++)
		d->pfd[w->idx[j]].revents = from_wsa(w->fds[j].revents);
	return n;
}

/* Events already set, taken (auto-reset). */
static void take_events(struct conet *d)
{
	for (unsigned int i = 0; i < d->npfd; i++)
		if (d->is_event[i] &&
		    WaitForSingleObject((HANDLE)(intptr_t)d->pfd[i].fd, 0) ==
			    WAIT_OBJECT_0)
			d->pfd[i].revents = POLLIN;
}

/* Tie the sockets to @ev for their conditions, or untie them (@ev NULL). */
static int tie_sockets(struct socket_wait *w, HANDLE ev)
{
	for (unsigned int j = 0; j < w->n; j++) {
		long what = 0;

		if (ev && (w->fds[j].events & POLLRDNORM))
			what |= FD_READ | FD_ACCEPT | FD_OOB | FD_CLOSE;
		if (ev && (w->fds[j].events & POLLWRNORM))
			what |= FD_WRITE | FD_CONNECT | FD_CLOSE;
		if (WSAEventSelect(w->fds[j].fd, ev, what) && ev)
			return -EIO;
	}
	return 0;
}

/* Wait for an event or a socket's condition, up to @timeout_ms. */
static int wait_all(struct conet *d, struct socket_wait *w, int timeout_ms)
{
	HANDLE h[MAXIMUM_WAIT_OBJECTS], sockets;
	DWORD nh = 0, r;
	int ret;

	for (unsigned int i = 0; i < d->npfd; i++)
		if (d->is_event[i]) {
			if (nh == MAX_WAIT)
				return -E2BIG;
			h[nh++] = (HANDLE)(intptr_t)d->pfd[i].fd;
		}
	/* Made for this wait: a socket stays tied to nothing afterwards. */
	sockets = CreateEventA(NULL, TRUE, FALSE, NULL);
	if (!sockets)
		return -ENOMEM;
	h[nh++] = sockets;
	ret = tie_sockets(w, sockets);
	if (!ret) {
		r = WaitForMultipleObjects(nh, h, FALSE,
					   timeout_ms < 0 ? INFINITE :
							    (DWORD)timeout_ms);
		if (r == WAIT_FAILED)
			ret = -EIO;
		/* an event that ended the wait was reset by it: it counts */
		for (unsigned int i = 0, k = 0; !ret && i < d->npfd; i++)
			if (d->is_event[i] && k++ == r - WAIT_OBJECT_0)
				d->pfd[i].revents = POLLIN;
	}
	tie_sockets(w, NULL);
	CloseHandle(sockets);
	return ret;
}

static int count_ready(const struct conet *d)
{
	int n = 0;

	for (unsigned int i = 0; i < d->npfd; i++)
		n += d->pfd[i].revents != 0;
	return n;
}

int conet_wait(struct conet *d, int timeout_ms)
{
	struct socket_wait w = { 0 };
	int ret;

	for (unsigned int i = 0; i < d->npfd; i++)
		d->pfd[i].revents = 0;
	w.fds = calloc(d->npfd ? d->npfd : 1, sizeof(*w.fds));
	w.idx = calloc(d->npfd ? d->npfd : 1, sizeof(*w.idx));
	if (!w.fds || !w.idx) {
		ret = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < d->npfd; i++)
		if (!d->is_event[i]) {
			w.fds[w.n] = (WSAPOLLFD){ .fd = (SOCKET)d->pfd[i].fd,
						  .events = to_wsa(
							  d->pfd[i].events) };
			w.idx[w.n++] = i;
		}
	ret = poll_sockets(d, &w);
	if (ret >= 0)
		take_events(d);
	if (ret >= 0 && !count_ready(d) && timeout_ms) {
		ret = wait_all(d, &w, timeout_ms);
		if (!ret)
			ret = poll_sockets(d, &w);
		if (ret >= 0)
			take_events(d);
	}
	if (ret >= 0)
		ret = count_ready(d);
out:
	free(w.fds);
	free(w.idx);
	return ret;
}

char *conet_abspath(const char *path)
{
	return _fullpath(NULL, path, 0);
}

static int linux_only(struct conet *d, const struct co_cfg_net *net,
		      struct co_err *err)
{
	(void)net;
	return co_fail(err, -EOPNOTSUPP,
		       "%s: %s is a Linux back end (on Windows: slirp)",
		       d->dev.name, d->be->name);
}

static void close_nothing(struct conet *d)
{
	(void)d;
}

const struct conet_backend_ops conet_tap = {
	.name = "tuntap",
	.open = linux_only,
	.close = close_nothing,
};

const struct conet_backend_ops conet_pcap = {
	.name = "pcap-bridge",
	.open = linux_only,
	.close = close_nothing,
};
