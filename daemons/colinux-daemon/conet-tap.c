// SPDX-License-Identifier: GPL-2.0
/*
 * conet-tap.c --- conet's back ends on a kernel interface
 * (conet-backend.h): ethN=tuntap, a tap from /dev/net/tun, and
 * ethN=pcap-bridge, an AF_PACKET socket bound to a host interface.
 *
 * Both carry the virtio-net header in front of every frame, read and
 * written as is (x86 is little-endian, as VERSION_1 wants): the tap with
 * IFF_VNET_HDR and TUNSETVNETHDRSZ 12 (it leaves num_buffers alone), the
 * socket with PACKET_VNET_HDR (the 10-byte struct virtio_net_hdr).  So both
 * offer the guest partial checksums and TSO both ways (CO_VNET_OFFLOADS):
 * the kernel segments and checksums what the guest leaves to it, and a
 * packet socket on a veth or a NIC with GRO sees frames with partial
 * checksums or 64 KiB long that it could not hand on without the header.
 * A tap gives the guest only what TUNSETOFFLOAD allows (set from the
 * guest's features at each start); the socket cannot be told, so
 * conet_receive() drops what the guest did not accept.
 *
 * The descriptor is non-blocking: a frame the guest has no buffer for is
 * read and dropped, one the host does not take is counted and dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <co/log.h>

#include "conet-backend.h"
#include "vnet.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23 /* Linux 4.20 */
#endif

/* Frames taken from the descriptor per round, then the guest's turn. */
#define RX_BATCH 64

struct tap_state {
	int fd;
	int idx; /* in this round's poll set */
	size_t hdr_len; /* the kernel's virtio-net header */
	char ifname[IFNAMSIZ];
	bool rd_logged, wr_logged;
	uint8_t buf[CO_VNET_GSO_FRAME_MAX];
};

static struct tap_state *state(struct conet *d)
{
	return d->state;
}

static int state_new(struct conet *d, size_t hdr_len, struct co_err *err)
{
	struct tap_state *s = calloc(1, sizeof(*s));

	if (!s)
		return co_fail(err, -ENOMEM, "%s: out of memory", d->dev.name);
	s->fd = -1;
	s->hdr_len = hdr_len;
	d->state = s;
	return 0;
}

static void tap_fill(struct conet *d, uint32_t *timeout)
{
	(void)timeout;
	state(d)->idx = conet_add_poll(d, state(d)->fd, POLLIN);
}

static void tap_poll(struct conet *d, bool poll_failed)
{
	struct tap_state *s = state(d);

	if (poll_failed || s->idx < 0 || !d->pfd[s->idx].revents)
		return;
	for (int i = 0; i < RX_BATCH; i++) {
		struct virtio_net_hdr_v1 h = { 0 };
		struct iovec iov[2] = { { &h, s->hdr_len },
					{ s->buf, sizeof(s->buf) } };
		ssize_t n = readv(s->fd, iov, 2);
		size_t len;

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR && !s->rd_logged)
				co_warn("%s: %s %s: read: %s", d->dev.name,
					d->be->name, s->ifname,
					strerror(errno));
			s->rd_logged |= errno != EAGAIN && errno != EINTR;
			return;
		}
		len = (size_t)n - s->hdr_len;
		/* short, or as long as the buffer: maybe cut */
		if ((size_t)n < s->hdr_len + CO_VNET_ETH_HLEN ||
		    len >= sizeof(s->buf)) {
			d->rx_bad++;
			continue;
		}
		conet_receive(d, &h, s->buf, len);
	}
}

static void tap_send(struct conet *d, const struct virtio_net_hdr_v1 *h,
		     const uint8_t *frame, size_t len)
{
	struct tap_state *s = state(d);
	struct iovec iov[2] = { { (void *)h, s->hdr_len },
				{ (void *)frame, len } };

	if (writev(s->fd, iov, 2) >= 0)
		return;
	d->tx_lost++;
	if (!s->wr_logged)
		co_warn("%s: %s %s does not take the guest's frames: %s%s",
			d->dev.name, d->be->name, s->ifname, strerror(errno),
			errno == EIO ? " (is it up?)" : "");
	s->wr_logged = true;
}

static void tap_close(struct conet *d)
{
	struct tap_state *s = state(d);

	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
	d->state = NULL;
}

/* The interface name of @net; an error line when it cannot be one. */
static int ifname(struct conet *d, const struct co_cfg_net *net,
		  struct co_err *err)
{
	const char *name = net->ifname ? net->ifname : "";

	if (strlen(name) >= IFNAMSIZ)
		return co_fail(
			err, -ENAMETOOLONG,
			"%s: %s: interface name '%s' is longer than %d characters",
			d->dev.name, d->be->name, name, IFNAMSIZ - 1);
	strcpy(state(d)->ifname, name);
	return 0;
}

static const char *tun_why(int e)
{
	switch (e) {
	case EPERM:
	case EACCES:
		return "not permitted (needs root or CAP_NET_ADMIN, or the tap belongs to another user)";
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return "no such device (is the tun module loaded?)";
	case EBUSY:
		return "busy: another program has the tap open";
	case EINVAL:
		return "the name belongs to an interface that is not a tap";
	default:
		return strerror(e);
	}
}

/* Apply the offloads the guest accepted: the tap hands it nothing else. */
static void tap_start(struct conet *d)
{
	unsigned int off = co_vnet_tap_offloads(d->dev.features);

	if (ioctl(state(d)->fd, TUNSETOFFLOAD, off))
		co_warn("%s: tuntap %s: TUNSETOFFLOAD %#x: %s", d->dev.name,
			state(d)->ifname, off, strerror(errno));
	else
		co_dbg("%s: tuntap %s: offloads %#x for the guest", d->dev.name,
		       state(d)->ifname, off);
}

static int tap_open(struct conet *d, const struct co_cfg_net *net,
		    struct co_err *err)
{
	int hdr = CO_VNET_HDR_LEN, ret;
	struct ifreq ifr;
	struct tap_state *s;

	ret = state_new(d, CO_VNET_HDR_LEN, err);
	if (!ret)
		ret = ifname(d, net, err);
	if (ret)
		return ret;
	s = state(d);
	s->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0)
		return co_fail(err, -errno, "%s: tuntap: /dev/net/tun: %s",
			       d->dev.name, tun_why(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	strcpy(ifr.ifr_name, s->ifname);
	if (ioctl(s->fd, TUNSETIFF, &ifr))
		return co_fail(err, -errno, "%s: tuntap %s: %s", d->dev.name,
			       s->ifname[0] ? s->ifname : "(any name)",
			       tun_why(errno));
	memcpy(s->ifname, ifr.ifr_name, IFNAMSIZ);
	s->ifname[IFNAMSIZ - 1] = '\0';
	if (ioctl(s->fd, TUNSETVNETHDRSZ, &hdr) ||
	    ioctl(s->fd, TUNSETOFFLOAD, 0))
		return co_fail(err, -errno,
			       "%s: tuntap %s: no virtio-net header: %s",
			       d->dev.name, s->ifname, strerror(errno));
	co_info("%s: tuntap: host interface %s", d->dev.name, s->ifname);
	return 0;
}

const struct conet_backend_ops conet_tap = {
	.name = "tuntap",
	.features = CO_VNET_OFFLOADS,
	.open = tap_open,
	.start = tap_start,
	.fill = tap_fill,
	.poll = tap_poll,
	.send = tap_send,
	.close = tap_close,
};

static int sockopt(int fd, int level, int opt, const void *v, socklen_t len)
{
	return setsockopt(fd, level, opt, v, len) ? -errno : 0;
}

/* Bind @s->fd to @index: every frame, promiscuous, not our own back. */
static int bind_packet(struct tap_state *s, int index)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = index };
	struct packet_mreq mr = { .mr_ifindex = index,
				  .mr_type = PACKET_MR_PROMISC };
	int one = 1, ret;

	ret = sockopt(s->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one));
	if (!ret && bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)))
		ret = -errno;
	if (!ret)
		ret = sockopt(s->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
			      sizeof(mr));
	if (!ret)
		ret = sockopt(s->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			      sizeof(one));
	return ret;
}

static int pcap_open(struct conet *d, const struct co_cfg_net *net,
		     struct co_err *err)
{
	struct ifreq ifr;
	struct tap_state *s;
	int ret, index;

	if (!net->ifname)
		return co_fail(
			err, -EINVAL,
			"%s: pcap-bridge needs the host interface: %s=pcap-bridge,IFNAME",
			d->dev.name, d->dev.name);
	ret = state_new(d, sizeof(struct virtio_net_hdr), err);
	if (!ret)
		ret = ifname(d, net, err);
	if (ret)
		return ret;
	s = state(d);
	/* protocol 0: nothing queued before the bind to the interface */
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return co_fail(err, -errno, "%s: pcap-bridge %s: %s%s",
			       d->dev.name, s->ifname, strerror(errno),
			       errno == EPERM ? " (needs root or CAP_NET_RAW)" :
						"");
	index = (int)if_nametoindex(s->ifname);
	if (!index)
		return co_fail(err, -ENODEV,
			       "%s: pcap-bridge %s: no such interface",
			       d->dev.name, s->ifname);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, s->ifname);
	if (ioctl(s->fd, SIOCGIFFLAGS, &ifr))
		return co_fail(err, -errno, "%s: pcap-bridge %s: %s",
			       d->dev.name, s->ifname, strerror(errno));
	if (!(ifr.ifr_flags & IFF_UP))
		return co_fail(
			err, -ENETDOWN,
			"%s: pcap-bridge %s: the interface is down (ip link set %s up)",
			d->dev.name, s->ifname, s->ifname);
	ret = bind_packet(s, index);
	if (ret)
		return co_fail(err, ret, "%s: pcap-bridge %s: %s", d->dev.name,
			       s->ifname, strerror(-ret));
	co_info("%s: pcap-bridge: bridged to host interface %s", d->dev.name,
		s->ifname);
	return 0;
}

const struct conet_backend_ops conet_pcap = {
	.name = "pcap-bridge",
	.features = CO_VNET_OFFLOADS,
	.open = pcap_open,
	.fill = tap_fill,
	.poll = tap_poll,
	.send = tap_send,
	.close = tap_close,
};
