// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_test.c --- virtio-net frames in and out of chains (header removed on
 * transmit, written on receive, split buffers, sizes refused), the offload
 * rules of the header and the features, and the stable MAC address.
 */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#include "vnet.h"

#include "../../tests/lib/check.h"

static struct co_vq_chain ch;
static struct virtio_net_hdr_v1 hdr;

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
	CHECK_INT(co_vnet_tx(&ch, &hdr, out, CO_VNET_FRAME_MAX), 60);
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
	CHECK_INT(co_vnet_tx(&ch, &hdr, out, CO_VNET_FRAME_MAX),
		  CO_VNET_FRAME_MAX);
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
	CHECK_INT(co_vnet_tx(&ch, &hdr, out, CO_VNET_FRAME_MAX), -EINVAL);
	lens[0] =
		CO_VNET_HDR_LEN + CO_VNET_ETH_HLEN - 1; /* no Ethernet header */
	chain(1, 0, bufs, lens);
	CHECK_INT(co_vnet_tx(&ch, &hdr, out, CO_VNET_FRAME_MAX), -EINVAL);
	lens[0] = CO_VNET_HDR_LEN + CO_VNET_ETH_HLEN;
	chain(1, 0, bufs, lens);
	CHECK_INT(co_vnet_tx(&ch, &hdr, out, CO_VNET_FRAME_MAX),
		  CO_VNET_ETH_HLEN);
	chain(1, 1, bufs, lens); /* a writable buffer in a transmit chain */
	CHECK_INT(co_vnet_tx(&ch, &hdr, out, CO_VNET_FRAME_MAX), -EINVAL);
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
	CHECK_INT(co_vnet_rx(&ch, NULL, frame, sizeof(frame)),
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
	CHECK_INT(co_vnet_rx(&ch, NULL, frame, sizeof(frame)), 0);
	CHECK_INT(b[0], 0xee); /* nothing written */
	CHECK_INT(co_vnet_rx(&ch, NULL, frame, 100), sizeof(b));
	chain(1, 1, bufs, lens); /* a readable buffer in a receive chain */
	CHECK_INT(co_vnet_rx(&ch, NULL, frame, 10), 0);
}

/* A header from the tap (partial checksum, TSO) reaches the guest as is. */
static void test_rx_offload_header(void)
{
	static uint8_t b[CO_VNET_HDR_LEN + 100], frame[100];
	uint8_t *bufs[] = { b };
	size_t lens[] = { sizeof(b) };
	struct virtio_net_hdr_v1 h = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
		.hdr_len = htole16(54),
		.gso_size = htole16(1448),
		.csum_start = htole16(34),
		.csum_offset = htole16(16),
		.num_buffers = htole16(7), /* the tap leaves it unwritten */
	}, got;

	chain(0, 1, bufs, lens);
	CHECK_INT(co_vnet_rx(&ch, &h, frame, sizeof(frame)), sizeof(b));
	memcpy(&got, b, sizeof(got));
	CHECK_INT(le16toh(got.num_buffers), 1);
	h.num_buffers = htole16(1);
	CHECK(!memcmp(&got, &h, sizeof(h)));
}

/* TCP over IPv4 in one 64 KiB frame, checksum partial at 34 + 16. */
static struct virtio_net_hdr_v1 tso4(void)
{
	return (struct virtio_net_hdr_v1){
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
		.hdr_len = htole16(66),
		.gso_size = htole16(1448),
		.csum_start = htole16(34),
		.csum_offset = htole16(16),
	};
}

#define F(x) (1ull << VIRTIO_NET_F_##x)

/* Each rule of co_vnet_hdr_check, with the header that passes it. */
static void test_hdr_check(void)
{
	const uint64_t all = CO_VNET_OFFLOADS;
	struct virtio_net_hdr_v1 h = tso4(), z = { 0 };

	CHECK(!co_vnet_hdr_check(&h, 65000, all, false));
	CHECK(!co_vnet_hdr_check(&h, 65000, all, true));
	CHECK(co_vnet_hdr_check(&h, 65000, all & ~F(HOST_TSO4), false));
	CHECK(co_vnet_hdr_check(&h, 65000, all & ~F(GUEST_TSO4), true));
	CHECK(!co_vnet_hdr_check(&h, 65000, F(CSUM) | F(HOST_TSO4), false));
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	CHECK(co_vnet_hdr_check(&h, 65000, all & ~F(HOST_TSO6), false));
	CHECK(!co_vnet_hdr_check(&h, 65000, all, false));
	h.gso_type = VIRTIO_NET_HDR_GSO_UDP; /* never offered */
	CHECK(co_vnet_hdr_check(&h, 65000, all, false));
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN;
	CHECK(co_vnet_hdr_check(&h, 65000, all, false));
	h = tso4();
	h.gso_size = 0;
	CHECK(co_vnet_hdr_check(&h, 65000, all, false));
	h = tso4();
	h.hdr_len = htole16(200);
	CHECK(co_vnet_hdr_check(&h, 100, all, false));
	h = tso4();
	h.flags = 0; /* TSO needs a partial checksum */
	CHECK(co_vnet_hdr_check(&h, 65000, all, false));

	/* a partial checksum alone: negotiated, and its field in the frame */
	h = tso4();
	h.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	CHECK(!co_vnet_hdr_check(&h, 52, F(CSUM), false));
	CHECK(co_vnet_hdr_check(&h, 51, F(CSUM), false));
	CHECK(co_vnet_hdr_check(&h, 52, F(GUEST_CSUM), false));
	CHECK(co_vnet_hdr_check(&h, 52, 0, false));
	h.csum_start = htole16(13); /* inside the Ethernet header */
	CHECK(co_vnet_hdr_check(&h, 52, F(CSUM), false));
	h.csum_start = htole16(0xffff); /* no wrap-around */
	h.csum_offset = htole16(0xffff);
	CHECK(co_vnet_hdr_check(&h, 65000, all, false));
	CHECK(co_vnet_hdr_check(&h, CO_VNET_FRAME_MAX, all, false));

	/* DATA_VALID: only towards a guest that took GUEST_CSUM */
	h = z;
	h.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	CHECK(!co_vnet_hdr_check(&h, 60, F(GUEST_CSUM), true));
	CHECK(co_vnet_hdr_check(&h, 60, 0, true));
	CHECK(co_vnet_hdr_check(&h, 60, all, false));
	h.flags = 0x80;
	CHECK(co_vnet_hdr_check(&h, 60, all, true));

	/* no offload: anything up to the MTU, nothing above */
	CHECK(!co_vnet_hdr_check(&z, CO_VNET_FRAME_MAX, 0, false));
	CHECK(co_vnet_hdr_check(&z, CO_VNET_FRAME_MAX + 1, all, false));
	CHECK(co_vnet_hdr_check(&z, CO_VNET_FRAME_MAX + 1, all, true));
}

static void test_features_ok(void)
{
	CHECK(co_vnet_features_ok(0));
	CHECK(co_vnet_features_ok(CO_VNET_OFFLOADS));
	CHECK(co_vnet_features_ok(F(CSUM) | F(GUEST_CSUM)));
	CHECK(!co_vnet_features_ok(F(HOST_TSO4)));
	CHECK(!co_vnet_features_ok(CO_VNET_OFFLOADS & ~F(CSUM)));
	CHECK(!co_vnet_features_ok(CO_VNET_OFFLOADS & ~F(GUEST_CSUM)));
	CHECK(!co_vnet_features_ok(F(GUEST_TSO6) | F(CSUM)));
}

/* TUNSETOFFLOAD follows what the guest took, TSO only with the checksum. */
static void test_tap_offloads(void)
{
	CHECK_INT(co_vnet_tap_offloads(0), 0);
	CHECK_INT(co_vnet_tap_offloads(CO_VNET_OFFLOADS),
		  TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
	CHECK_INT(co_vnet_tap_offloads(F(GUEST_CSUM) | F(GUEST_TSO6)),
		  TUN_F_CSUM | TUN_F_TSO6);
	CHECK_INT(co_vnet_tap_offloads(F(GUEST_TSO4) | F(CSUM)), 0);
	CHECK_INT(co_vnet_tap_offloads(F(CSUM) | F(HOST_TSO4)), 0);
}

/* A TSO frame passes co_vnet_tx only when the caller allows 64 KiB. */
static void test_tx_gso_size(void)
{
	static uint8_t b[CO_VNET_HDR_LEN + 60000], out[CO_VNET_GSO_FRAME_MAX];
	struct virtio_net_hdr_v1 h = tso4();
	uint8_t *bufs[] = { b };
	size_t lens[] = { sizeof(b) };

	memcpy(b, &h, sizeof(h));
	chain(1, 0, bufs, lens);
	CHECK_INT(co_vnet_tx(&ch, &hdr, out, CO_VNET_FRAME_MAX), -EINVAL);
	CHECK_INT(co_vnet_tx(&ch, &hdr, out, CO_VNET_GSO_FRAME_MAX), 60000);
	CHECK(!memcmp(&hdr, &h, sizeof(h)));
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
	RUN_TEST(test_rx_offload_header);
	RUN_TEST(test_hdr_check);
	RUN_TEST(test_features_ok);
	RUN_TEST(test_tap_offloads);
	RUN_TEST(test_tx_gso_size);
	RUN_TEST(test_mac_stable_local_unicast);
	return check_failures != 0;
}
