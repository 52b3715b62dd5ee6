// SPDX-License-Identifier: GPL-2.0
/*
 * conet-slirp.c --- ethN=slirp: conet's back end on libslirp
 * (conet-backend.h).
 *
 * No offloads: slirp takes and gives whole frames with real checksums.
 * The device's I/O thread owns the Slirp instance: slirp's sockets and an
 * event slirp's notify() sets join the loop's wait, with the nearest slirp
 * timer as timeout.  slirp calls send_packet only from inside
 * slirp_input() and slirp_pollfds_poll(), that is on this thread, so a
 * frame for the guest goes straight to conet_receive().
 *
 * The Slirp instance lives from open to close, so a forward's port already
 * in use fails the start, and the guest's reboots keep it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Winsock's or the socket headers, and inet_pton with them. */
#include <slirp/libslirp.h>
#include <co/log.h>

#include "conet-backend.h"

#define SLIRP_TIMERS 4

struct conet_timer {
	bool used, armed;
	int64_t expire_ms;
	SlirpTimerCb cb;
	void *cb_opaque;
};

struct slirp_state {
	Slirp *slirp;
	int wake; /* slirp's notify(): a device event (dev.h) */
	struct conet_timer timer[SLIRP_TIMERS];
};

static struct slirp_state *state(struct conet *d)
{
	return d->state;
}

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
	conet_receive(opaque, NULL, buf, len);
	return (ssize_t)len;
}

static void guest_error(const char *msg, void *opaque)
{
	struct conet *d = opaque;

	co_dbg("%s: slirp: %s", d->dev.name, msg);
}

static int64_t clock_get_ns(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static void *timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct conet *d = opaque;
	struct slirp_state *s = state(d);

	for (int i = 0; i < SLIRP_TIMERS; i++)
		if (!s->timer[i].used) {
			s->timer[i] = (struct conet_timer){
				.used = true, .cb = cb, .cb_opaque = cb_opaque
			};
			return &s->timer[i];
		}
	co_err("%s: slirp wants more than %d timers", d->dev.name,
	       SLIRP_TIMERS);
	return NULL;
}

static void timer_free(void *timer, void *opaque)
{
	(void)opaque;
	if (timer)
		memset(timer, 0, sizeof(struct conet_timer));
}

static void timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct conet_timer *t = timer;

	(void)opaque;
	if (t) {
		t->expire_ms = expire_ms;
		t->armed = true;
	}
}

static void poll_fd_nop(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void notify(void *opaque)
{
	struct conet *d = opaque;

	co_dev_event_set(state(d)->wake);
}

static const SlirpCb slirp_cb = {
	.send_packet = send_packet,
	.guest_error = guest_error,
	.clock_get_ns = clock_get_ns,
	.timer_new = timer_new,
	.timer_free = timer_free,
	.timer_mod = timer_mod,
	.register_poll_fd = poll_fd_nop,
	.unregister_poll_fd = poll_fd_nop,
	.notify = notify,
};

static int add_poll(int fd, int events, void *opaque)
{
	short ev = 0;

	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	return conet_add_poll(opaque, fd, ev);
}

static int get_revents(int idx, void *opaque)
{
	struct conet *d = opaque;
	short r;
	int ev = 0;

	if (idx < 0 || (unsigned int)idx >= d->npfd)
		return 0;
	r = d->pfd[idx].revents;
	if (r & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (r & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (r & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (r & POLLERR)
		ev |= SLIRP_POLL_ERR;
	if (r & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

/* Run expired timers; lower @timeout to the milliseconds to the next one. */
static void run_timers(struct slirp_state *s, uint32_t *timeout)
{
	int64_t now = now_ns() / 1000000;

	for (int i = 0; i < SLIRP_TIMERS; i++) {
		struct conet_timer *t = &s->timer[i];

		if (t->used && t->armed && t->expire_ms <= now) {
			t->armed = false;
			t->cb(t->cb_opaque);
		}
	}
	for (int i = 0; i < SLIRP_TIMERS; i++) {
		struct conet_timer *t = &s->timer[i];
		int64_t left;

		if (!t->used || !t->armed)
			continue;
		left = t->expire_ms > now ? t->expire_ms - now : 0;
		if (left < *timeout)
			*timeout = (uint32_t)left;
	}
}

static void slirp_fill(struct conet *d, uint32_t *timeout)
{
	struct slirp_state *s = state(d);

	conet_add_event(d, s->wake);
	run_timers(s, timeout);
	slirp_pollfds_fill(s->slirp, timeout, add_poll, d);
}

static void slirp_poll(struct conet *d, bool poll_failed)
{
	/* the wake, if it fired, is cleared: it only ended the wait */
	slirp_pollfds_poll(state(d)->slirp, poll_failed, get_revents, d);
}

static void slirp_send(struct conet *d, const struct virtio_net_hdr_v1 *h,
		       const uint8_t *frame, size_t len)
{
	(void)h; /* no offloads: all zeroes */
	slirp_input(state(d)->slirp, frame, (int)len);
}

static struct in_addr ip4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static int add_forwards(struct conet *d, const struct co_cfg_net *net,
			struct co_err *err)
{
	const char *bind = net->bind ? net->bind : "127.0.0.1";
	struct in_addr host;

	if (inet_pton(AF_INET, bind, &host) != 1)
		return co_fail(err, -EINVAL,
			       "%s: bind=%s is not an IPv4 address",
			       d->dev.name, bind);
	for (int i = 0; i < net->nredirs; i++) {
		const struct co_cfg_redir *r = &net->redir[i];

		errno = 0;
		if (slirp_add_hostfwd(state(d)->slirp, r->udp, host,
				      r->host_port, ip4("10.0.2.15"),
				      r->guest_port))
			return co_fail(err, errno ? -errno : -EADDRINUSE,
				       "%s: %s:%s:%u: %s", d->dev.name,
				       r->udp ? "udp" : "tcp", bind,
				       r->host_port,
				       strerror(errno ? errno : EADDRINUSE));
	}
	return 0;
}

static int slirp_open(struct conet *d, const struct co_cfg_net *net,
		      struct co_err *err)
{
	SlirpConfig c = {
		.version = 4,
		.restricted = net->restricted,
		.in_enabled = true,
		.vnetwork = ip4("10.0.2.0"),
		.vnetmask = ip4("255.255.255.0"),
		.vhost = ip4("10.0.2.2"),
		.vhostname = "colinux",
		.vdhcp_start = ip4("10.0.2.15"),
		.vnameserver = ip4("10.0.2.3"),
		.if_mtu = 1500,
		.if_mru = 1500,
	};
	struct slirp_state *s = calloc(1, sizeof(*s));

	if (!s)
		return co_fail(err, -ENOMEM, "%s: out of memory", d->dev.name);
	d->state = s;
	s->wake = co_dev_event_new();
	if (s->wake < 0)
		return co_fail(err, s->wake, "%s: no event: %s", d->dev.name,
			       strerror(-s->wake));
	s->slirp = slirp_new(&c, &slirp_cb, d);
	if (!s->slirp)
		return co_fail(err, -ENOMEM, "%s: slirp cannot start",
			       d->dev.name);
	co_dbg("%s: slirp: %d forwards%s", d->dev.name, net->nredirs,
	       net->restricted ? ", restricted" : "");
	return add_forwards(d, net, err);
}

static void slirp_close(struct conet *d)
{
	struct slirp_state *s = state(d);

	if (!s)
		return;
	if (s->slirp)
		slirp_cleanup(s->slirp);
	if (s->wake >= 0)
		co_dev_event_free(s->wake);
	free(s);
	d->state = NULL;
}

const struct conet_backend_ops conet_slirp = {
	.name = "slirp",
	.open = slirp_open,
	.fill = slirp_fill,
	.poll = slirp_poll,
	.send = slirp_send,
	.close = slirp_close,
};
