// SPDX-License-Identifier: GPL-2.0
/*
 * conet.c --- ethN=: the virtio-net device (conet.h) in front of one back
 * end (conet-backend.h: slirp, tap or packet).
 *
 * Queue 0 receives, queue 1 transmits; features MAC and STATUS (link up)
 * and the offloads the back end takes.  The device's I/O thread owns the
 * rings and the back end: one wait (conet_wait, the OS's) on the two queue
 * events, the stop event and the back end's events and sockets.  A frame
 * for the guest goes straight into the receive ring, or is dropped when the ring has no
 * buffer: the guest is never waited for (TCP retransmits).  Every header
 * crossing the device is checked against the negotiated features
 * (co_vnet_hdr_check): the guest's before the back end sees it, the back
 * end's before the guest does.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <co/log.h>

#include "conet-backend.h"
#include "conet.h"
#include "vnet.h"

#define QUEUE_SIZE 256
#define RXQ 0
#define TXQ 1
#define STOP 2 /* pfd[]: kick[RXQ], kick[TXQ], stop, then the back end's */

static struct conet *to_conet(struct co_dev *dev)
{
	return (struct conet *)dev;
}

static int add_wait(struct conet *d, int fd, short events, bool event)
{
	if (d->npfd == d->cap) {
		unsigned int cap = d->cap * 2;
		struct pollfd *p = realloc(d->pfd, cap * sizeof(*p));
		bool *e;

		if (!p)
			return -1;
		d->pfd = p; /* cap grows once both have */
		e = realloc(d->is_event, cap * sizeof(*e));
		if (!e)
			return -1;
		d->is_event = e;
		d->cap = cap;
	}
	d->pfd[d->npfd] = (struct pollfd){ .fd = fd, .events = events };
	d->is_event[d->npfd] = event;
	return (int)d->npfd++;
}

int conet_add_poll(struct conet *d, int fd, short events)
{
	return add_wait(d, fd, events, false);
}

int conet_add_event(struct conet *d, int ev)
{
	return add_wait(d, ev, POLLIN, true);
}

static bool guest_has(const struct conet *d, unsigned int bit)
{
	return d->dev.features & (1ull << bit);
}

/* A bad header either way: counted, one line the first time. */
static void bad_header(struct conet *d, const char *why, bool rx)
{
	bool *logged = rx ? &d->rx_bad_logged : &d->tx_bad_logged;

	if (!*logged)
		co_warn("%s: %s %s: dropped", d->dev.name,
			rx ? "the host sent a frame with" :
			     "the guest sent a frame with",
			why);
	*logged = true;
}

void conet_receive(struct conet *d, const struct virtio_net_hdr_v1 *h,
		   const uint8_t *frame, size_t len)
{
	struct co_dev *dev = &d->dev;
	struct co_vq *vq = &dev->vq[RXQ];
	struct virtio_net_hdr_v1 hdr;
	const char *why;
	uint32_t used;
	int ret;

	if (h) {
		hdr = *h;
		/* "checksum verified" means nothing to a guest without it */
		if (!guest_has(d, VIRTIO_NET_F_GUEST_CSUM))
			hdr.flags &= (uint8_t)~VIRTIO_NET_HDR_F_DATA_VALID;
		why = co_vnet_hdr_check(&hdr, len, dev->features, true);
		if (why) {
			d->rx_bad++;
			bad_header(d, why, true);
			return;
		}
		h = &hdr;
	}
	if (dev->failed || !vq->num) /* broken, or not set up by the guest */
		goto drop;
	ret = co_vq_pop(vq, d->rxc);
	if (ret < 0)
		co_dev_queue_broken(dev, RXQ);
	if (ret <= 0)
		goto drop;
	used = co_vnet_rx(d->rxc, h, frame, len);
	co_vq_push(vq, d->rxc->head, used);
	if (!used)
		goto drop;
	d->rx++;
	if (co_vq_need_irq(vq))
		co_dev_irq(dev, COLINUX_ISR_USED);
	else
		dev->st.suppressed++;
	return;
drop:
	d->rx_dropped++;
}

/* One frame from the guest to the back end; nothing is written back. */
static uint32_t transmit(struct co_dev *dev, struct co_vq_chain *c)
{
	struct conet *d = to_conet(dev);
	struct virtio_net_hdr_v1 h;
	int len = co_vnet_tx(c, &h, d->frame, d->frame_max);
	const char *why = "a bad length";

	if (len >= 0)
		why = co_vnet_hdr_check(&h, (size_t)len, dev->features, false);
	if (why) {
		d->tx_bad++;
		bad_header(d, why, false);
		return 0;
	}
	d->tx++;
	d->be->send(d, &h, d->frame, (size_t)len);
	return 0;
}

static void conet_notify(struct co_dev *dev, unsigned int q)
{
	if (q == TXQ)
		co_dev_serve(dev, TXQ, transmit);
	/* receive buffers are taken when a frame arrives */
}

static bool conet_features_ok(struct co_dev *dev, uint64_t features)
{
	(void)dev;
	return co_vnet_features_ok(features);
}

static void conet_run(struct co_dev *dev)
{
	struct conet *d = to_conet(dev);
	uint32_t timeout;
	int n;

	if (d->be->start)
		d->be->start(d);
	conet_notify(dev, TXQ); /* frames queued before DRIVER_OK */
	for (;;) {
		d->npfd = 0;
		conet_add_event(d, dev->kick[RXQ]);
		conet_add_event(d, dev->kick[TXQ]);
		conet_add_event(d, dev->stop);
		timeout = UINT32_MAX;
		d->be->fill(d, &timeout);
		n = conet_wait(d, timeout == UINT32_MAX ? -1 : (int)timeout);
		if (n < 0)
			co_warn("%s: wait: %s", dev->name, strerror(-n));
		if (d->pfd[STOP].revents)
			break;
		d->be->poll(d, n < 0);
		if (d->pfd[TXQ].revents)
			conet_notify(dev, TXQ);
	}
}

static void conet_destroy(struct co_dev *dev)
{
	struct conet *d = to_conet(dev);

	co_dbg("%s: %llu frames sent, %llu received, %llu dropped for want of a receive buffer, %llu bad from the guest, %llu bad from the host, %llu not taken by the host",
	       dev->name, (unsigned long long)d->tx, (unsigned long long)d->rx,
	       (unsigned long long)d->rx_dropped, (unsigned long long)d->tx_bad,
	       (unsigned long long)d->rx_bad, (unsigned long long)d->tx_lost);
	if (d->be)
		d->be->close(d);
	co_dev_fini(dev);
	free(d->pfd);
	free(d->is_event);
	free(d->rxc);
	free(d->frame);
	free(d);
}

static const struct co_dev_ops conet_ops = {
	.name = "eth",
	.type = VIRTIO_ID_NET,
	.features_ok = conet_features_ok,
	.notify = conet_notify,
	.run = conet_run,
	.destroy = conet_destroy,
};

/* virtio_net_config: the MAC and the link, up; the back end's offloads. */
static void describe(struct conet *d, const uint8_t mac[6])
{
	struct virtio_net_config c;

	memset(&c, 0, sizeof(c));
	memcpy(c.mac, mac, 6);
	c.status = htole16(VIRTIO_NET_S_LINK_UP);
	d->dev.host_features |= (1ull << VIRTIO_NET_F_MAC) |
				(1ull << VIRTIO_NET_F_STATUS) | d->be->features;
	memcpy(d->dev.config, &c, sizeof(c));
	d->dev.config_len = sizeof(c);
}

static const struct conet_backend_ops *backend(enum co_net_type type)
{
	switch (type) {
	case CO_NET_SLIRP:
		return &conet_slirp;
	case CO_NET_TAP:
		return &conet_tap;
	case CO_NET_PCAP:
		return &conet_pcap;
	default:
		return NULL;
	}
}

int co_conet_create(struct co_devs *s, unsigned int unit,
		    const struct co_cfg_net *net, const char *seed,
		    struct co_err *err)
{
	struct conet *d = calloc(1, sizeof(*d));
	const struct conet_backend_ops *be = backend(net->type);
	uint8_t mac[6];
	int ret;

	if (!d)
		return co_fail(err, -ENOMEM, "eth%u: out of memory", unit);
	if (!be) {
		free(d);
		return co_fail(err, -EINVAL, "eth%u: no such network type",
			       unit);
	}
	ret = co_dev_init(&d->dev, &conet_ops, unit, 2, QUEUE_SIZE);
	if (ret) {
		free(d);
		return co_fail(err, ret, "eth%u: %s", unit, strerror(-ret));
	}
	d->cap = 16;
	d->pfd = calloc(d->cap, sizeof(*d->pfd));
	d->is_event = calloc(d->cap, sizeof(*d->is_event));
	d->rxc = malloc(sizeof(*d->rxc));
	d->frame_max = be->features & (1ull << VIRTIO_NET_F_HOST_TSO4) ?
			       CO_VNET_GSO_FRAME_MAX :
			       CO_VNET_FRAME_MAX;
	d->frame = malloc(d->frame_max);
	if (!d->pfd || !d->is_event || !d->rxc || !d->frame) {
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
	d->be = be;
	describe(d, mac);
	ret = be->open(d, net, err);
	if (ret)
		goto fail;
	co_dbg("eth%u: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x", unit, be->name,
	       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	s->dev[s->nr++] = &d->dev;
	return 0;
fail:
	conet_destroy(&d->dev);
	return ret;
}

/*
 * What names this configuration, for the MACs not given (memo D.5): the
 * absolute path of cobd0, else of the kernel.
 */
static void mac_seed(const struct co_cfg *cfg, char *seed, size_t len)
{
	const char *p = cfg->cobd[0] ? cfg->cobd[0] :
			cfg->kernel  ? cfg->kernel :
				       "";
	char *abs = conet_abspath(p);

	snprintf(seed, len, "%s", abs ? abs : p);
	free(abs);
}

int co_conet_create_all(struct co_devs *s, const struct co_cfg *cfg,
			struct co_err *err)
{
	char seed[4096];
	int ret;

	mac_seed(cfg, seed, sizeof(seed));
	for (unsigned int i = 0; i < CO_CFG_MAX_ETH; i++) {
		const struct co_cfg_net *net = &cfg->eth[i];

		if (net->type == CO_NET_NONE)
			continue;
		ret = co_conet_create(s, i, net, seed, err);
		if (ret)
			return ret;
	}
	return 0;
}
