// SPDX-License-Identifier: GPL-2.0
/* vnet.c --- virtio-net frames and MAC addresses (vnet.h). */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#include "vnet.h"

_Static_assert(sizeof(struct virtio_net_hdr_v1) == CO_VNET_HDR_LEN,
	       "the VERSION_1 header is 12 bytes");

int co_vnet_tx(const struct co_vq_chain *c, struct virtio_net_hdr_v1 *hdr,
	       uint8_t *buf, size_t max)
{
	uint64_t len;

	if (c->nin || c->out_len < CO_VNET_HDR_LEN + CO_VNET_ETH_HLEN ||
	    c->out_len - CO_VNET_HDR_LEN > max)
		return -EINVAL;
	len = c->out_len - CO_VNET_HDR_LEN;
	co_iov_to_buf(c->iov, c->nout, 0, hdr, CO_VNET_HDR_LEN);
	return (int)co_iov_to_buf(c->iov, c->nout, CO_VNET_HDR_LEN, buf, len);
}

uint32_t co_vnet_rx(const struct co_vq_chain *c,
		    const struct virtio_net_hdr_v1 *hdr, const uint8_t *frame,
		    size_t len)
{
	struct virtio_net_hdr_v1 h;
	const struct iovec *in = c->iov + c->nout;

	if (c->nout || c->in_len < CO_VNET_HDR_LEN ||
	    c->in_len - CO_VNET_HDR_LEN < len)
		return 0;
	if (hdr)
		h = *hdr;
	else
		memset(&h, 0, sizeof(h));
	h.num_buffers = htole16(1);
	co_iov_from_buf(in, c->nin, 0, &h, sizeof(h));
	co_iov_from_buf(in, c->nin, CO_VNET_HDR_LEN, frame, len);
	return (uint32_t)(CO_VNET_HDR_LEN + len);
}

static bool has(uint64_t features, unsigned int bit)
{
	return features & (1ull << bit);
}

/* The feature that allows gso_type @type (ECN flag removed), or -1. */
static int gso_feature(uint8_t type, bool rx)
{
	switch (type) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
		return rx ? VIRTIO_NET_F_GUEST_TSO4 : VIRTIO_NET_F_HOST_TSO4;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		return rx ? VIRTIO_NET_F_GUEST_TSO6 : VIRTIO_NET_F_HOST_TSO6;
	default:
		return -1;
	}
}

const char *co_vnet_hdr_check(const struct virtio_net_hdr_v1 *h, size_t len,
			      uint64_t features, bool rx)
{
	unsigned int csum = rx ? VIRTIO_NET_F_GUEST_CSUM : VIRTIO_NET_F_CSUM;
	uint8_t allowed = VIRTIO_NET_HDR_F_NEEDS_CSUM |
			  (rx ? VIRTIO_NET_HDR_F_DATA_VALID : 0);
	uint32_t start = le16toh(h->csum_start);
	uint32_t end = start + le16toh(h->csum_offset) + 2;
	int gso = gso_feature(h->gso_type, rx);

	if (h->flags & ~allowed)
		return "unknown header flags";
	if (h->flags && !has(features, csum))
		return "a checksum offload that was not negotiated";
	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    (start < CO_VNET_ETH_HLEN || end > len))
		return "a checksum field outside the frame";
	if (h->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return len > CO_VNET_FRAME_MAX ?
			       "a frame over the MTU without TSO" :
			       NULL;
	if (gso < 0 || !has(features, (unsigned int)gso))
		return "a segmentation offload that was not negotiated";
	if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return "TSO without a partial checksum";
	if (!h->gso_size || le16toh(h->hdr_len) > len)
		return "TSO with a bad segment size or header length";
	return NULL;
}

bool co_vnet_features_ok(uint64_t f)
{
	if ((has(f, VIRTIO_NET_F_HOST_TSO4) ||
	     has(f, VIRTIO_NET_F_HOST_TSO6)) &&
	    !has(f, VIRTIO_NET_F_CSUM))
		return false;
	if ((has(f, VIRTIO_NET_F_GUEST_TSO4) ||
	     has(f, VIRTIO_NET_F_GUEST_TSO6)) &&
	    !has(f, VIRTIO_NET_F_GUEST_CSUM))
		return false;
	return true;
}

unsigned int co_vnet_tap_offloads(uint64_t f)
{
	unsigned int t = 0;

	if (!has(f, VIRTIO_NET_F_GUEST_CSUM))
		return 0;
	t |= TUN_F_CSUM;
	if (has(f, VIRTIO_NET_F_GUEST_TSO4))
		t |= TUN_F_TSO4;
	if (has(f, VIRTIO_NET_F_GUEST_TSO6))
		t |= TUN_F_TSO6;
	return t;
}

/* FNV-1a, 64 bits: stable across builds and machines. */
static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void co_vnet_mac(const char *seed, unsigned int unit, uint8_t mac[6])
{
	uint8_t u[4] = { (uint8_t)unit, (uint8_t)(unit >> 8),
			 (uint8_t)(unit >> 16), (uint8_t)(unit >> 24) };
	uint64_t h = 0xcbf29ce484222325ull;

	h = fnv1a(h, seed, strlen(seed) + 1);
	h = fnv1a(h, u, sizeof(u));
	mac[0] = 0x02; /* locally administered, unicast */
	for (int i = 1; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * (i - 1)));
}
