// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_test.c --- virtio-net frames in and out of chains (header removed on
 * transmit, written on receive, split buffers, sizes refused) and the
 * stable MAC address.
 */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/virtio_net.h>

#include "vnet.h"

#include "../../tests/lib/check.h"

static struct co_vq_chain ch;

static void chain(unsigned int nout, unsigned int nin, uint8_t *bufs[],
		  const size_t lens[])
{
	memset(&ch, 0, sizeof(ch));
	ch.nout = nout;
	ch.nin = nin;
	for (unsigned int i = 0; i < nout + nin; i++) {
		ch.iov[i] = (struct iovec){ bufs[i], lens[i] };
		if (i < nout)
			ch.out_len += lens[i];
		else
			ch.in_len += lens[i];
	}
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* The guest's usual layout: header and frame in one buffer. */
static void test_tx_strips_header(void)
{
	static uint8_t b[CO_VNET_HDR_LEN + 60], out[CO_VNET_FRAME_MAX];
	uint8_t *bufs[] = { b };
	size_t lens[] = { sizeof(b) };

	fill(b, sizeof(b), 1);
	chain(1, 0, bufs, lens);
	CHECK_INT(co_vnet_tx(&ch, out), 60);
	CHECK(!memcmp(out, b + CO_VNET_HDR_LEN, 60));
}

/* Header alone, then the frame split over two more buffers. */
static void test_tx_split(void)
{
	static uint8_t h[CO_VNET_HDR_LEN], f1[5], f2[CO_VNET_FRAME_MAX - 5];
	static uint8_t out[CO_VNET_FRAME_MAX];
	uint8_t *bufs[] = { h, f1, f2 };
	size_t lens[] = { sizeof(h), sizeof(f1), sizeof(f2) };

	fill(f1, sizeof(f1), 3);
	fill(f2, sizeof(f2), 9);
	chain(3, 0, bufs, lens);
	CHECK_INT(co_vnet_tx(&ch, out), CO_VNET_FRAME_MAX);
	CHECK(!memcmp(out, f1, sizeof(f1)));
	CHECK(!memcmp(out + 5, f2, sizeof(f2)));
}

static void test_tx_refused(void)
{
	static uint8_t b[CO_VNET_HDR_LEN + CO_VNET_FRAME_MAX + 1], w[64];
	static uint8_t out[CO_VNET_FRAME_MAX];
	uint8_t *bufs[] = { b, w };
	size_t lens[] = { sizeof(b), sizeof(w) };

	chain(1, 0, bufs, lens); /* one byte too long */
	CHECK_INT(co_vnet_tx(&ch, out), -EINVAL);
	lens[0] =
		CO_VNET_HDR_LEN + CO_VNET_ETH_HLEN - 1; /* no Ethernet header */
	chain(1, 0, bufs, lens);
	CHECK_INT(co_vnet_tx(&ch, out), -EINVAL);
	lens[0] = CO_VNET_HDR_LEN + CO_VNET_ETH_HLEN;
	chain(1, 0, bufs, lens);
	CHECK_INT(co_vnet_tx(&ch, out), CO_VNET_ETH_HLEN);
	chain(1, 1, bufs, lens); /* a writable buffer in a transmit chain */
	CHECK_INT(co_vnet_tx(&ch, out), -EINVAL);
}

/* The header: zero but num_buffers = 1; the frame behind it, byte for byte. */
static void test_rx_header_and_frame(void)
{
	static uint8_t a[7], b[2000], frame[1514];
	uint8_t *bufs[] = { a, b };
	size_t lens[] = { sizeof(a), sizeof(b) };
	struct virtio_net_hdr_v1 h;
	uint8_t got[sizeof(frame)];

	memset(a, 0xee, sizeof(a));
	memset(b, 0xee, sizeof(b));
	fill(frame, sizeof(frame), 5);
	chain(0, 2, bufs, lens);
	CHECK_INT(co_vnet_rx(&ch, frame, sizeof(frame)),
		  CO_VNET_HDR_LEN + sizeof(frame));
	co_iov_to_buf(ch.iov, 2, 0, &h, sizeof(h));
	CHECK_INT(le16toh(h.num_buffers), 1);
	h.num_buffers = 0;
	for (size_t i = 0; i < sizeof(h); i++)
		CHECK_INT(((uint8_t *)&h)[i], 0);
	co_iov_to_buf(ch.iov, 2, CO_VNET_HDR_LEN, got, sizeof(got));
	CHECK(!memcmp(got, frame, sizeof(frame)));
	CHECK_INT(b[CO_VNET_HDR_LEN - sizeof(a) + sizeof(frame)], 0xee);
}

static void test_rx_does_not_fit(void)
{
	static uint8_t b[CO_VNET_HDR_LEN + 100], frame[101];
	uint8_t *bufs[] = { b, b };
	size_t lens[] = { sizeof(b), sizeof(b) };

	memset(b, 0xee, sizeof(b));
	chain(0, 1, bufs, lens);
	CHECK_INT(co_vnet_rx(&ch, frame, sizeof(frame)), 0);
	CHECK_INT(b[0], 0xee); /* nothing written */
	CHECK_INT(co_vnet_rx(&ch, frame, 100), sizeof(b));
	chain(1, 1, bufs, lens); /* a readable buffer in a receive chain */
	CHECK_INT(co_vnet_rx(&ch, frame, 10), 0);
}

static void test_mac_stable_local_unicast(void)
{
	static const uint8_t want[6] = { 0x02, 0xc8, 0x4b, 0x61, 0xc4, 0x64 };
	uint8_t m1[6], m2[6], m3[6], m4[6];

	co_vnet_mac("/srv/debian.img", 0, m1);
	co_vnet_mac("/srv/debian.img", 0, m2);
	co_vnet_mac("/srv/debian.img", 1, m3);
	co_vnet_mac("/srv/other.img", 0, m4);
	CHECK(!memcmp(m1, m2, 6));
	CHECK(memcmp(m1, m3, 6));
	CHECK(memcmp(m1, m4, 6));
	CHECK_INT(m1[0], 0x02);
	CHECK_INT(m3[0], 0x02);
	/* the value itself is part of the contract: leases survive upgrades */
	CHECK(!memcmp(m2, want, 6));
}

int main(void)
{
	RUN_TEST(test_tx_strips_header);
	RUN_TEST(test_tx_split);
	RUN_TEST(test_tx_refused);
	RUN_TEST(test_rx_header_and_frame);
	RUN_TEST(test_rx_does_not_fit);
	RUN_TEST(test_mac_stable_local_unicast);
	return check_failures != 0;
}
