/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet.h --- the pure part of conet (virtio-net): frames in and out of
 * virtqueue chains with the virtio-net header in front, and the stable MAC
 * address of an interface (memo D.1, D.5).
 *
 * No offloads are negotiated, so the header (struct virtio_net_hdr_v1, 12
 * bytes with VERSION_1) carries nothing on transmit and is all zeroes but
 * num_buffers = 1 on receive; every frame is whole, with real checksums.
 */
#ifndef CO_VNET_H
#define CO_VNET_H

#include <stddef.h>
#include <stdint.h>

#include "virtq.h"

#define CO_VNET_HDR_LEN 12 /* struct virtio_net_hdr_v1 */
#define CO_VNET_ETH_HLEN 14
/* The largest frame either way: a 1500-byte MTU, Ethernet and a VLAN tag. */
#define CO_VNET_FRAME_MAX (1500 + CO_VNET_ETH_HLEN + 4)

/*
 * The frame of the transmit chain @c, header removed, into @buf (at least
 * CO_VNET_FRAME_MAX bytes): its length, or -EINVAL when the chain is not a
 * header and a frame (device-writable buffers, shorter than header +
 * Ethernet header, longer than CO_VNET_FRAME_MAX).
 */
int co_vnet_tx(const struct co_vq_chain *c, uint8_t *buf);

/*
 * Put @frame (@len bytes) with its header into the receive chain @c: the
 * bytes written (the used length), or 0 when it does not fit (or the chain
 * has device-readable buffers); the caller drops the frame then.
 */
uint32_t co_vnet_rx(const struct co_vq_chain *c, const uint8_t *frame,
		    size_t len);

/*
 * A locally administered unicast MAC 02:xx:xx:xx:xx:xx derived from @seed
 * (a string that names the configuration) and interface @unit: the same
 * configuration gets the same address at every boot.
 */
void co_vnet_mac(const char *seed, unsigned int unit, uint8_t mac[6]);

#endif
