// SPDX-License-Identifier: GPL-2.0
/* vnet.c --- virtio-net frames and MAC addresses (vnet.h). */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include <linux/virtio_net.h>

#include "vnet.h"

_Static_assert(sizeof(struct virtio_net_hdr_v1) == CO_VNET_HDR_LEN,
	       "the VERSION_1 header is 12 bytes");

int co_vnet_tx(const struct co_vq_chain *c, uint8_t *buf)
{
	uint64_t len;

	if (c->nin || c->out_len < CO_VNET_HDR_LEN + CO_VNET_ETH_HLEN ||
	    c->out_len - CO_VNET_HDR_LEN > CO_VNET_FRAME_MAX)
		return -EINVAL;
	len = c->out_len - CO_VNET_HDR_LEN;
	return (int)co_iov_to_buf(c->iov, c->nout, CO_VNET_HDR_LEN, buf, len);
}

uint32_t co_vnet_rx(const struct co_vq_chain *c, const uint8_t *frame,
		    size_t len)
{
	struct virtio_net_hdr_v1 h;
	const struct iovec *in = c->iov + c->nout;

	if (c->nout || c->in_len < CO_VNET_HDR_LEN ||
	    c->in_len - CO_VNET_HDR_LEN < len)
		return 0;
	memset(&h, 0, sizeof(h));
	h.num_buffers = htole16(1);
	co_iov_from_buf(in, c->nin, 0, &h, sizeof(h));
	co_iov_from_buf(in, c->nin, CO_VNET_HDR_LEN, frame, len);
	return (uint32_t)(CO_VNET_HDR_LEN + len);
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
