/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet.h --- the pure part of conet (virtio-net): frames in and out of
 * virtqueue chains with the virtio-net header in front, and the stable MAC
 * address of an interface (memo D.1, D.5).
 *
 * The header (struct virtio_net_hdr_v1, 12 bytes with VERSION_1) carries
 * the offloads: a partial checksum (NEEDS_CSUM with csum_start/offset) and
 * TCP segmentation (gso_type/gso_size), each way only when negotiated.
 * slirp takes none, the kernel back ends (tap, packet socket) take the set
 * CO_VNET_OFFLOADS; without offloads the header is all zeroes but
 * num_buffers = 1 on receive and every frame is whole, with real checksums.
 */
#ifndef CO_VNET_H
#define CO_VNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_net.h>

#include "virtq.h"

#define CO_VNET_HDR_LEN 12 /* struct virtio_net_hdr_v1 */
#define CO_VNET_ETH_HLEN 14
/* The largest frame either way: a 1500-byte MTU, Ethernet and a VLAN tag. */
#define CO_VNET_FRAME_MAX (1500 + CO_VNET_ETH_HLEN + 4)
/* The largest frame with TCP segmentation offload: 64 KiB of IP packet. */
#define CO_VNET_GSO_FRAME_MAX (65536 + CO_VNET_ETH_HLEN + 4)

/*
 * The offloads a kernel back end offers: partial checksums and TSO both
 * ways (VIRTIO_NET_F_CSUM, GUEST_CSUM, HOST_TSO4/6, GUEST_TSO4/6).
 */
#define CO_VNET_OFFLOADS                                                       \
	((1ull << VIRTIO_NET_F_CSUM) | (1ull << VIRTIO_NET_F_GUEST_CSUM) |     \
	 (1ull << VIRTIO_NET_F_HOST_TSO4) | (1ull << VIRTIO_NET_F_HOST_TSO6) | \
	 (1ull << VIRTIO_NET_F_GUEST_TSO4) |                                   \
	 (1ull << VIRTIO_NET_F_GUEST_TSO6))

/*
 * The transmit chain @c: its header into @hdr and its frame into @buf (at
 * most @max bytes, CO_VNET_FRAME_MAX or CO_VNET_GSO_FRAME_MAX): the frame's
 * length, or -EINVAL when the chain is not a header and a frame
 * (device-writable buffers, shorter than header + Ethernet header, a frame
 * longer than @max).  The header is the guest's: co_vnet_hdr_check() it.
 */
int co_vnet_tx(const struct co_vq_chain *c, struct virtio_net_hdr_v1 *hdr,
	       uint8_t *buf, size_t max);

/*
 * Put @hdr (NULL: no offloads, all zeroes) and @frame (@len bytes) into the
 * receive chain @c, num_buffers = 1: the bytes written (the used length),
 * or 0 when it does not fit (or the chain has device-readable buffers); the
 * caller drops the frame then.
 */
uint32_t co_vnet_rx(const struct co_vq_chain *c,
		    const struct virtio_net_hdr_v1 *hdr, const uint8_t *frame,
		    size_t len);

/*
 * Does header @h ask only for offloads that @features (the negotiated
 * virtio-net features) allow, and fit its frame of @len bytes?  @rx: a frame
 * for the guest (GUEST_* features), else one from the guest (CSUM,
 * HOST_TSO*).  NULL, or the reason it does not, for a log line; such a
 * frame is dropped.
 */
const char *co_vnet_hdr_check(const struct virtio_net_hdr_v1 *h, size_t len,
			      uint64_t features, bool rx);

/*
 * May the guest accept @features (a subset of the offer)?  The virtio
 * rules: TSO needs the checksum offload of the same direction.
 */
bool co_vnet_features_ok(uint64_t features);

/*
 * The TUN_F_* offloads (TUNSETOFFLOAD) a tap may hand the guest once it
 * accepted @features: partial checksums with GUEST_CSUM, TSO with
 * GUEST_TSO4/6.
 */
unsigned int co_vnet_tap_offloads(uint64_t features);

/*
 * A locally administered unicast MAC 02:xx:xx:xx:xx:xx derived from @seed
 * (a string that names the configuration) and interface @unit: the same
 * configuration gets the same address at every boot.
 */
void co_vnet_mac(const char *seed, unsigned int unit, uint8_t mac[6]);

#endif
