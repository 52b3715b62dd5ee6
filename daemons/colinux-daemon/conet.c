// SPDX-License-Identifier: GPL-2.0
/*
 * conet.c --- ethN=slirp: virtio-net on libslirp (conet.h).
 *
 * Queue 0 receives, queue 1 transmits; features MAC and STATUS (link up),
 * no offloads: slirp takes and gives whole frames with real checksums.
 * The device's I/O thread owns the rings and the Slirp instance: one poll()
 * over the two queue eventfds, the stop eventfd, slirp's sockets and an
 * eventfd slirp's notify() writes, with the nearest slirp timer as timeout.
 * slirp calls send_packet only from inside slirp_input() and
 * slirp_pollfds_poll(), that is on this thread, so a frame for the guest
 * goes straight into the receive ring, or is dropped when the ring has no
 * buffer: the guest is never waited for (TCP retransmits).
 *
 * The Slirp instance lives from creation to destroy, so a forward's port
 * already in use fails the start, and the guest's reboots keep it.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <slirp/libslirp.h>
#include <co/log.h>

#include "conet.h"
#include "vnet.h"

#define QUEUE_SIZE 256
#define RXQ 0
#define TXQ 1
/* kick[RXQ], kick[TXQ], stop, wake, then slirp's sockets */
#define FIXED_FDS 4
#define SLIRP_TIMERS 4

struct conet_timer {
	bool used, armed;
	int64_t expire_ms;
	SlirpTimerCb cb;
	void *cb_opaque;
};

struct conet {
	struct co_dev dev; /* first: the device layer's view */
	Slirp *slirp;
	int wake; /* slirp's notify() */
	struct pollfd *pfd;
	unsigned int npfd, cap;
	struct conet_timer timer[SLIRP_TIMERS];
	/*
	 * The receive chain: frames arrive inside slirp_input(), while the
	 * transmit chain (dev->chain) is still being served.
	 */
	struct co_vq_chain *rxc;
	uint8_t frame[CO_VNET_FRAME_MAX];
	uint64_t tx, rx, rx_dropped, tx_bad;
	bool bad_logged;
};

static struct conet *to_conet(struct co_dev *dev)
{
	return (struct conet *)dev;
}

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A frame for the guest: into the next receive buffer, or dropped. */
static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
	struct conet *d = opaque;
	struct co_dev *dev = &d->dev;
	struct co_vq *vq = &dev->vq[RXQ];
	uint32_t used;
	int ret;

	if (dev->failed || !vq->num) /* broken, or not set up by the guest */
		goto drop;
	ret = co_vq_pop(vq, d->rxc);
	if (ret < 0)
		co_dev_queue_broken(dev, RXQ);
	if (ret <= 0)
		goto drop;
	used = co_vnet_rx(d->rxc, buf, len);
	co_vq_push(vq, d->rxc->head, used);
	if (!used)
		goto drop;
	d->rx++;
	if (co_vq_need_irq(vq))
		co_dev_irq(dev, COLINUX_ISR_USED);
	else
		dev->st.suppressed++;
	return (ssize_t)len;
drop:
	d->rx_dropped++;
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

	for (int i = 0; i < SLIRP_TIMERS; i++)
		if (!d->timer[i].used) {
			d->timer[i] = (struct conet_timer){
				.used = true, .cb = cb, .cb_opaque = cb_opaque
			};
			return &d->timer[i];
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

	eventfd_write(d->wake, 1);
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
	struct conet *d = opaque;
	short ev = 0;

	if (d->npfd == d->cap) {
		unsigned int cap = d->cap * 2;
		struct pollfd *p = realloc(d->pfd, cap * sizeof(*p));

		if (!p)
			return -1;
		d->pfd = p;
		d->cap = cap;
	}
	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	d->pfd[d->npfd] = (struct pollfd){ .fd = fd, .events = ev };
	return (int)d->npfd++;
}

static int get_revents(int idx, void *opaque)
{
	struct conet *d = opaque;
	short r;
	int ev = 0;

	if (idx < FIXED_FDS || (unsigned int)idx >= d->npfd)
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

/* One frame from the guest into slirp; nothing is written back. */
static uint32_t transmit(struct co_dev *dev, struct co_vq_chain *c)
{
	struct conet *d = to_conet(dev);
	int len = co_vnet_tx(c, d->frame);

	if (len < 0) {
		d->tx_bad++;
		if (!d->bad_logged)
			co_warn("%s: the guest sent a frame of %llu bytes with its header (at most %d): dropped",
				dev->name, (unsigned long long)c->out_len,
				CO_VNET_HDR_LEN + CO_VNET_FRAME_MAX);
		d->bad_logged = true;
		return 0;
	}
	d->tx++;
	slirp_input(d->slirp, d->frame, len);
	return 0;
}

static void conet_notify(struct co_dev *dev, unsigned int q)
{
	if (q == TXQ)
		co_dev_serve(dev, TXQ, transmit);
	/* receive buffers are taken when a frame arrives */
}

/* Run expired timers; the milliseconds to the next one (or @timeout). */
static uint32_t run_timers(struct conet *d, uint32_t timeout)
{
	int64_t now = now_ns() / 1000000;

	for (int i = 0; i < SLIRP_TIMERS; i++) {
		struct conet_timer *t = &d->timer[i];

		if (!t->used || !t->armed)
			continue;
		if (t->expire_ms <= now) {
			t->armed = false;
			t->cb(t->cb_opaque);
		}
	}
	for (int i = 0; i < SLIRP_TIMERS; i++) {
		struct conet_timer *t = &d->timer[i];
		int64_t left;

		if (!t->used || !t->armed)
			continue;
		left = t->expire_ms > now ? t->expire_ms - now : 0;
		if (left < timeout)
			timeout = (uint32_t)left;
	}
	return timeout;
}

static void conet_run(struct co_dev *dev)
{
	struct conet *d = to_conet(dev);
	uint32_t timeout;
	eventfd_t v;
	int n;

	conet_notify(dev, TXQ); /* frames queued before DRIVER_OK */
	for (;;) {
		d->npfd = 0;
		add_poll(dev->kick[RXQ], SLIRP_POLL_IN, d);
		add_poll(dev->kick[TXQ], SLIRP_POLL_IN, d);
		add_poll(dev->stop, SLIRP_POLL_IN, d);
		add_poll(d->wake, SLIRP_POLL_IN, d);
		timeout = run_timers(d, UINT32_MAX);
		slirp_pollfds_fill(d->slirp, &timeout, add_poll, d);
		n = poll(d->pfd, d->npfd,
			 timeout == UINT32_MAX ? -1 : (int)timeout);
		if (n < 0 && errno != EINTR)
			co_warn("%s: poll: %s", dev->name, strerror(errno));
		if (d->pfd[2].revents)
			break;
		if (d->pfd[3].revents)
			eventfd_read(d->wake, &v);
		if (d->pfd[0].revents)
			eventfd_read(dev->kick[RXQ], &v);
		slirp_pollfds_poll(d->slirp, n < 0, get_revents, d);
		if (d->pfd[1].revents && !eventfd_read(dev->kick[TXQ], &v))
			conet_notify(dev, TXQ);
	}
}

static void conet_destroy(struct co_dev *dev)
{
	struct conet *d = to_conet(dev);

	co_dbg("%s: %llu frames sent, %llu received, %llu dropped for want of a receive buffer, %llu bad",
	       dev->name, (unsigned long long)d->tx, (unsigned long long)d->rx,
	       (unsigned long long)d->rx_dropped,
	       (unsigned long long)d->tx_bad);
	if (d->slirp)
		slirp_cleanup(d->slirp);
	co_dev_fini(dev);
	if (d->wake >= 0)
		close(d->wake);
	free(d->pfd);
	free(d->rxc);
	free(d);
}

static const struct co_dev_ops conet_ops = {
	.name = "eth",
	.type = VIRTIO_ID_NET,
	.notify = conet_notify,
	.run = conet_run,
	.destroy = conet_destroy,
};

static struct in_addr ip4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static int start_slirp(struct conet *d, const struct co_cfg_net *net,
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
	const char *bind = net->bind ? net->bind : "127.0.0.1";
	struct in_addr host;

	if (inet_pton(AF_INET, bind, &host) != 1)
		return co_fail(err, -EINVAL,
			       "%s: bind=%s is not an IPv4 address",
			       d->dev.name, bind);
	d->slirp = slirp_new(&c, &slirp_cb, d);
	if (!d->slirp)
		return co_fail(err, -ENOMEM, "%s: slirp cannot start",
			       d->dev.name);
	for (int i = 0; i < net->nredirs; i++) {
		const struct co_cfg_redir *r = &net->redir[i];

		errno = 0;
		if (slirp_add_hostfwd(d->slirp, r->udp, host, r->host_port,
				      ip4("10.0.2.15"), r->guest_port))
			return co_fail(err, errno ? -errno : -EADDRINUSE,
				       "%s: %s:%s:%u: %s", d->dev.name,
				       r->udp ? "udp" : "tcp", bind,
				       r->host_port,
				       strerror(errno ? errno : EADDRINUSE));
	}
	return 0;
}

/* virtio_net_config: the MAC and the link, up. */
static void describe(struct conet *d, const uint8_t mac[6])
{
	struct virtio_net_config c;

	memset(&c, 0, sizeof(c));
	memcpy(c.mac, mac, 6);
	c.status = htole16(VIRTIO_NET_S_LINK_UP);
	d->dev.host_features |= (1ull << VIRTIO_NET_F_MAC) |
				(1ull << VIRTIO_NET_F_STATUS);
	memcpy(d->dev.config, &c, sizeof(c));
	d->dev.config_len = sizeof(c);
}

int co_conet_create(struct co_devs *s, unsigned int unit,
		    const struct co_cfg_net *net, const char *seed,
		    struct co_err *err)
{
	struct conet *d = calloc(1, sizeof(*d));
	uint8_t mac[6];
	int ret;

	if (!d)
		return co_fail(err, -ENOMEM, "eth%u: out of memory", unit);
	ret = co_dev_init(&d->dev, &conet_ops, unit, 2, QUEUE_SIZE);
	if (ret) {
		free(d);
		return co_fail(err, ret, "eth%u: %s", unit, strerror(-ret));
	}
	d->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->cap = 16;
	d->pfd = calloc(d->cap, sizeof(*d->pfd));
	d->rxc = malloc(sizeof(*d->rxc));
	if (d->wake < 0 || !d->pfd || !d->rxc) {
		ret = co_fail(err, -ENOMEM, "eth%u: out of memory", unit);
		goto fail;
	}
	if (s->nr == COLINUX_MAX_DEVICES) {
		ret = co_fail(err, -ENOSPC, "eth%u: more than %d devices", unit,
			      COLINUX_MAX_DEVICES);
		goto fail;
	}
	if (net->mac_set)
		memcpy(mac, net->mac, 6);
	else
		co_vnet_mac(seed, unit, mac);
	describe(d, mac);
	ret = start_slirp(d, net, err);
	if (ret)
		goto fail;
	co_dbg("eth%u: slirp, MAC %02x:%02x:%02x:%02x:%02x:%02x, %d forwards%s",
	       unit, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
	       net->nredirs, net->restricted ? ", restricted" : "");
	s->dev[s->nr++] = &d->dev;
	return 0;
fail:
	conet_destroy(&d->dev);
	return ret;
}
