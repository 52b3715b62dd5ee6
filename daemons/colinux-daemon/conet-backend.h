/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conet-backend.h --- the back ends of conet: where the frames of the
 * virtio-net device go (conet.c owns the device, its rings and the poll
 * loop; each back end adds its file descriptors to that loop).
 *
 *   slirp        conet_slirp  conet-slirp.c  libslirp, user-mode NAT on
 *                                            10.0.2.0/24
 *   tuntap       conet_tap    conet-tap.c    /dev/net/tun, IFF_TAP with the
 *                                            virtio-net header
 *   pcap-bridge  conet_pcap   conet-tap.c    an AF_PACKET socket bound to a
 *                                            host interface (coLinux used
 *                                            WinPcap; no libpcap needed)
 *
 * Every hook runs on the device's I/O thread, except open and close.
 */
#ifndef CO_CONET_BACKEND_H
#define CO_CONET_BACKEND_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_net.h>
#include <co/cfg.h>
#include <co/err.h>

#include "dev.h"

struct conet;

struct conet_backend_ops {
	const char *name; /* the configuration's: "slirp", "tuntap", ... */
	/* The offloads it takes, offered to the guest (VIRTIO_NET_F_*). */
	uint64_t features;
	/* Open what @net names; 0, or -errno with one line naming dev.name. */
	int (*open)(struct conet *d, const struct co_cfg_net *net,
		    struct co_err *err);
	/* Optional: the I/O thread starts; dev.features are the guest's. */
	void (*start)(struct conet *d);
	/* Add its descriptors (conet_add_poll); may lower @timeout (ms). */
	void (*fill)(struct conet *d, uint32_t *timeout);
	/* After poll(): take what is ready and conet_receive() each frame. */
	void (*poll)(struct conet *d, bool poll_failed);
	/* A frame from the guest, its header checked against the features. */
	void (*send)(struct conet *d, const struct virtio_net_hdr_v1 *h,
		     const uint8_t *frame, size_t len);
	/* Close what open opened (also after a failed open). */
	void (*close)(struct conet *d);
};

extern const struct conet_backend_ops conet_slirp, conet_tap, conet_pcap;

struct conet {
	struct co_dev dev; /* first: the device layer's view */
	const struct conet_backend_ops *be;
	void *state; /* the back end's */
	struct pollfd *pfd;
	bool *is_event; /* pfd[i] is a device event (dev.h), not a socket */
	unsigned int npfd, cap;
	/*
	 * The receive chain: slirp's frames arrive inside slirp_input(),
	 * while the transmit chain (dev->chain) is still being served.
	 */
	struct co_vq_chain *rxc;
	uint8_t *frame; /* a frame from the guest, frame_max bytes */
	size_t frame_max;
	uint64_t tx, rx, rx_dropped, tx_bad, rx_bad, tx_lost;
	bool tx_bad_logged, rx_bad_logged;
};

/* Poll @fd for @events (POLL*) in this round: its index in d->pfd, or -1. */
int conet_add_poll(struct conet *d, int fd, short events);
/* Wait for event @ev (co_dev_event_new) too: its index, or -1. */
int conet_add_event(struct conet *d, int ev);

/*
 * The OS's part (conet-linux.c, conet-windows.c).  conet_wait: wait until
 * an entry of this round is ready or @timeout_ms (-1: none) has passed;
 * the revents set, an event that fired cleared.  The number ready, or
 * -errno.  conet_abspath: @path made absolute, to be freed; NULL if it
 * cannot be.
 */
int conet_wait(struct conet *d, int timeout_ms);
char *conet_abspath(const char *path);
/*
 * A frame for the guest with header @h (NULL: none): into the next receive
 * buffer, or dropped when there is none, it does not fit, or @h asks for
 * offloads the guest did not take.
 */
void conet_receive(struct conet *d, const struct virtio_net_hdr_v1 *h,
		   const uint8_t *frame, size_t len);

#endif
