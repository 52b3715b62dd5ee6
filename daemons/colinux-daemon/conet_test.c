// SPDX-License-Identifier: GPL-2.0
/*
 * conet_test.c --- ethN=slirp against a fake guest: its rings in a RAM
 * buffer, as dev_test.c's.  The guest asks slirp's gateway for its MAC
 * (ARP) through the transmit queue and gets the answer in a receive buffer;
 * the negative control asks for an address slirp does not answer.  The
 * same file is the Windows test (tests/win: conet_test.exe, Winsock under
 * Wine), which is why it uses no POSIX beyond what MinGW has.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "conet.h"
#include "dev.h"

#include "../../tests/lib/check.h"

#define BASE 0x1000000ull
#define SIZE 0x10000
#define QSIZE 16
#define RX_BUF (BASE + 0x8000) /* 8 receive buffers of 2 KiB */
#define RX_LEN 2048
#define TX_BUF (BASE + 0xc000)

static uint8_t ram[SIZE] __attribute__((aligned(4096)));
static struct colinux_device table[1];
static struct co_gmem gm;
static struct co_devs devs;
static struct co_err err;
static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* Queue q's rings: descriptors, available, used, 0x3000 apart per queue. */
static uint64_t ring(unsigned int q, unsigned int part)
{
	return BASE + 0x1000 + q * 0x3000 + part * 0x1000;
}

static void *at(uint64_t pa)
{
	return ram + (pa - BASE);
}

static uint16_t get16(uint64_t pa)
{
	return le16toh(__atomic_load_n((uint16_t *)at(pa), __ATOMIC_ACQUIRE));
}

static void put16(uint64_t pa, uint16_t v)
{
	__atomic_store_n((uint16_t *)at(pa), htole16(v), __ATOMIC_RELEASE);
}

/* Descriptor @i of queue @q: @len bytes at @pa, device-writable or not. */
static void desc(unsigned int q, uint16_t i, uint64_t pa, uint32_t len,
		 bool write)
{
	struct vring_desc d = { htole64(pa), htole32(len),
				htole16(write ? VRING_DESC_F_WRITE : 0), 0 };

	memcpy(at(ring(q, 0) + i * sizeof(d)), &d, sizeof(d));
}

/* Make head @head available in queue @q. */
static void offer(unsigned int q, uint16_t head)
{
	uint16_t idx = get16(ring(q, 1) + 2);

	put16(ring(q, 1) + 4 + 2 * (idx % QSIZE), head);
	put16(ring(q, 1) + 2, idx + 1);
}

static int64_t status(uint32_t st)
{
	table[0].status = st;
	return co_devs_call(&devs, 0, COLINUX_DEV_STATUS, 0, 0);
}

/* eth0=slirp (restricted), up: both queues, 8 receive buffers offered. */
static void bring_up(void)
{
	struct co_cfg_net net = { .type = CO_NET_SLIRP,
				  .restricted = true,
				  .mac_set = true };
	const struct colinux_block b = { BASE, SIZE };
	uint32_t st = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		      VIRTIO_CONFIG_S_FEATURES_OK;

	memset(ram, 0, sizeof(ram));
	memset(table, 0, sizeof(table));
	memset(&devs, 0, sizeof(devs));
	memcpy(net.mac, guest_mac, 6);
	co_gmem_init(&gm, &b, 1, ram);
	CHECK_INT(co_conet_create(&devs, 0, &net, "test", &err), 0);
	CHECK_INT(co_devs_attach(&devs, table, &gm, -1), 0);
	table[0].guest_features = table[0].host_features;
	CHECK_INT(status(st), 0);
	for (unsigned int q = 0; q < 2; q++) {
		table[0].vq[q] = (struct colinux_vq){ .num_max = QSIZE,
						      .num = QSIZE,
						      .ready = 1,
						      .desc = ring(q, 0),
						      .avail = ring(q, 1),
						      .used = ring(q, 2) };
		CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, q, 0), 0);
	}
	for (uint16_t i = 0; i < 8; i++) {
		desc(0, i, RX_BUF + i * RX_LEN, RX_LEN, true);
		offer(0, i);
	}
	CHECK_INT(status(st | VIRTIO_CONFIG_S_DRIVER_OK), 0);
}

/* An ARP request from 10.0.2.15 for @ip, sent through the transmit queue. */
static void send_arp(const uint8_t ip[4], uint16_t head)
{
	uint8_t *p = at(TX_BUF + head * 128);
	struct virtio_net_hdr_v1 h = { 0 };
	const uint8_t from[4] = { 10, 0, 2, 15 };

	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	memset(p, 0xff, 6); /* broadcast */
	memcpy(p + 6, guest_mac, 6);
	p[12] = 0x08, p[13] = 0x06; /* ARP */
	p[14] = 0, p[15] = 1; /* Ethernet */
	p[16] = 0x08, p[17] = 0x00; /* IPv4 */
	p[18] = 6, p[19] = 4, p[20] = 0, p[21] = 1; /* request */
	memcpy(p + 22, guest_mac, 6);
	memcpy(p + 28, from, 4);
	memset(p + 32, 0, 6);
	memcpy(p + 38, ip, 4);
	desc(1, head, TX_BUF + head * 128, sizeof(h) + 42, false);
	offer(1, head);
	CHECK_INT(co_devs_notify(&devs, 0, 1), 0);
}

/* Wait up to @ms for used index @want in queue @q. */
static bool wait_used(unsigned int q, uint16_t want, int ms)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < ms; i++) {
		if (get16(ring(q, 2) + 2) >= want)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

static void test_arp_answered(void)
{
	const uint8_t gw[4] = { 10, 0, 2, 2 };
	const uint8_t *f = at(RX_BUF) + sizeof(struct virtio_net_hdr_v1);

	bring_up();
	send_arp(gw, 0);
	CHECK(wait_used(1, 1, 2000)); /* the frame was taken */
	CHECK(wait_used(0, 1, 2000)); /* and answered */
	CHECK(!memcmp(f, guest_mac, 6)); /* to the guest */
	CHECK(f[12] == 0x08 && f[13] == 0x06 && f[21] == 2); /* ARP reply */
	CHECK(!memcmp(f + 28, gw, 4)); /* from the gateway */
	CHECK(__atomic_load_n(&table[0].isr, __ATOMIC_ACQUIRE) &
	      COLINUX_ISR_USED);
	co_devs_destroy(&devs);
}

/* Negative control: slirp answers nothing outside 10.0.2.0/24. */
static void test_arp_unanswered(void)
{
	const uint8_t other[4] = { 192, 0, 2, 1 };

	bring_up();
	send_arp(other, 0);
	CHECK(wait_used(1, 1, 2000));
	CHECK(!wait_used(0, 1, 500));
	co_devs_destroy(&devs);
}

int main(void)
{
	RUN_TEST(test_arp_answered);
	RUN_TEST(test_arp_unanswered);
	return CHECK_EXIT();
}
