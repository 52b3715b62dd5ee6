// SPDX-License-Identifier: GPL-2.0
/*
 * dev_test.c --- the device layer against a fake guest: a table entry and
 * rings in a RAM buffer, a device that answers every chain with its length.
 * Feature negotiation (memo A.3), queue setup checks, notify to the I/O
 * thread, a broken ring (NEEDS_RESET), and a reset that quiesces (A.8).
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "dev.h"

#include "../../tests/lib/check.h"

#define BASE 0x1000000ull
#define SIZE 0x10000
#define DESC (BASE + 0x1000)
#define AVAIL (BASE + 0x2000)
#define USED (BASE + 0x3000)
#define OFFER                                                               \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_EVENT_IDX) | \
	 (1ull << VIRTIO_RING_F_INDIRECT_DESC))

static uint8_t ram[SIZE] __attribute__((aligned(4096)));
static struct colinux_device table[1];
static struct co_gmem gm;
static struct co_devs devs;
static struct co_dev fake;
static int handled;

static uint32_t answer(struct co_dev *dev, struct co_vq_chain *c)
{
	__atomic_fetch_add(&handled, 1, __ATOMIC_SEQ_CST);
	return (uint32_t)c->in_len;
}

static void fake_notify(struct co_dev *dev, unsigned int q)
{
	co_dev_serve(dev, q, answer);
}

static void fake_destroy(struct co_dev *dev)
{
	co_dev_fini(dev);
}

static const struct co_dev_ops ops = {
	.name = "fake",
	.type = 2,
	.notify = fake_notify,
	.destroy = fake_destroy,
};

static void fresh(void)
{
	const struct colinux_block b = { BASE, SIZE };

	memset(ram, 0, sizeof(ram));
	memset(table, 0, sizeof(table));
	memset(&fake, 0, sizeof(fake));
	co_gmem_init(&gm, &b, 1, ram);
	fake.config_len = 8;
	memcpy(fake.config, "cfgbytes", 8);
	CHECK_INT(co_dev_init(&fake, &ops, 5, 1, 16), 0);
	devs.nr = 1;
	devs.dev[0] = &fake;
	CHECK_INT(co_devs_attach(&devs, table, &gm, -1), 0);
}

static int64_t status(uint32_t st)
{
	table[0].status = st;
	return co_devs_call(&devs, 0, COLINUX_DEV_STATUS, 0, 0);
}

static void queue_addr(uint16_t num)
{
	table[0].vq[0] = (struct colinux_vq){ .num_max = 16,
					      .num = num,
					      .ready = 1,
					      .desc = DESC,
					      .avail = AVAIL,
					      .used = USED };
}

static uint16_t get16(uint64_t pa)
{
	return le16toh(__atomic_load_n((uint16_t *)(ram + (pa - BASE)),
				       __ATOMIC_ACQUIRE));
}

static void put16(uint64_t pa, uint16_t v)
{
	__atomic_store_n((uint16_t *)(ram + (pa - BASE)), htole16(v),
			 __ATOMIC_RELEASE);
}

/* One chain of one writable byte at head 0, made available. */
static void offer_one(uint16_t idx, uint16_t len_next)
{
	struct vring_desc d = { htole64(BASE + 0x8000), htole32(1),
				htole16(VRING_DESC_F_WRITE), 0 };

	memcpy(ram + (DESC - BASE), &d, sizeof(d));
	put16(AVAIL + 4 + 2 * (idx % 16), len_next);
	put16(AVAIL + 2, idx + 1);
}

static bool wait_used(uint16_t want)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < 2000; i++) {
		if (get16(USED + 2) == want)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Ready: ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue 0, DRIVER_OK. */
static void bring_up(void)
{
	table[0].guest_features = OFFER;
	CHECK_INT(status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			 VIRTIO_CONFIG_S_FEATURES_OK),
		  0);
	queue_addr(16);
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, 0, 0), 0);
	CHECK_INT(status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			 VIRTIO_CONFIG_S_FEATURES_OK |
			 VIRTIO_CONFIG_S_DRIVER_OK),
		  0);
	CHECK(fake.running);
}

static void test_attach(void)
{
	fresh();
	CHECK_INT(table[0].type, 2);
	CHECK_INT(table[0].unit, 5);
	CHECK_INT(table[0].virq, COLINUX_VIRQ_DEVICE_FIRST);
	CHECK_INT(table[0].nr_queues, 1);
	CHECK_INT(table[0].vq[0].num_max, 16);
	CHECK_INT(table[0].vq[1].num_max, 0);
	CHECK(table[0].host_features == OFFER);
	CHECK_INT(table[0].config_len, 8);
	CHECK(!memcmp(table[0].config, "cfgbytes", 8));
	CHECK_STR(fake.name, "fake5");
	CHECK_INT(co_devs_call(&devs, 1, COLINUX_DEV_STATUS, 0, 0), -ENODEV);
	co_devs_destroy(&devs);
}

/* Memo A.3: a subset of the offer with VERSION_1, or FEATURES_OK cleared. */
static void test_features(void)
{
	uint32_t st = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		      VIRTIO_CONFIG_S_FEATURES_OK;

	fresh();
	table[0].guest_features = OFFER | (1ull << 40);
	CHECK_INT(status(st), 0);
	CHECK_INT(table[0].status, st & ~VIRTIO_CONFIG_S_FEATURES_OK);
	table[0].guest_features = 1ull << VIRTIO_RING_F_EVENT_IDX;
	CHECK_INT(status(st), 0);
	CHECK_INT(table[0].status, st & ~VIRTIO_CONFIG_S_FEATURES_OK);
	/* DRIVER_OK without accepted features: refused, no thread. */
	CHECK_INT(status(VIRTIO_CONFIG_S_DRIVER_OK), -EINVAL);
	CHECK(!fake.running);
	table[0].guest_features = 1ull << VIRTIO_F_VERSION_1;
	CHECK_INT(status(st), 0);
	CHECK_INT(table[0].status, st);
	CHECK(fake.features == 1ull << VIRTIO_F_VERSION_1);
	co_devs_destroy(&devs);
}

/* Memo B.3 rule 1 through the DEVICE call, and queue state while running. */
static void test_queue_setup(void)
{
	fresh();
	queue_addr(16);
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, 0, 0), -EINVAL);
	table[0].guest_features = OFFER;
	CHECK_INT(status(VIRTIO_CONFIG_S_FEATURES_OK), 0);
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, 1, 0), -EINVAL);
	queue_addr(32); /* above num_max */
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, 0, 0), -EINVAL);
	queue_addr(16);
	table[0].vq[0].used = BASE + SIZE - 8; /* outside RAM */
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, 0, 0), -EINVAL);
	queue_addr(16);
	table[0].vq[0].ready = 0;
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, 0, 0), -EINVAL);
	queue_addr(16);
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, 0, 0), 0);
	/* The guest rewriting the entry later changes nothing. */
	table[0].vq[0].desc = 0xdead0000;
	CHECK(fake.vq[0].desc == ram + (DESC - BASE));
	co_devs_destroy(&devs);
}

static void test_notify_and_reset(void)
{
	fresh();
	bring_up();
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_QUEUE, 0, 0), -EBUSY);
	offer_one(0, 0);
	CHECK_INT(co_devs_notify(&devs, 0, 0), 0);
	CHECK(wait_used(1));
	CHECK_INT(handled, 1);
	CHECK(__atomic_load_n(&table[0].isr, __ATOMIC_ACQUIRE) &
	      COLINUX_ISR_USED);
	CHECK_INT(co_devs_notify(&devs, 0, 3), -EINVAL);

	/* Reset: the thread is gone and the entry is as new. */
	table[0].isr = 0;
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_RESET, 0, 0), 0);
	CHECK(!fake.running);
	CHECK_INT(table[0].status, 0);
	CHECK(table[0].guest_features == 0);
	CHECK_INT(table[0].vq[0].num, 0);
	CHECK(table[0].vq[0].desc == 0);
	CHECK_INT(table[0].vq[0].num_max, 16);
	/* A notify after reset touches nothing. */
	offer_one(1, 0);
	co_devs_notify(&devs, 0, 0);
	CHECK(!wait_used(2));
	CHECK_INT(handled, 1);
	co_devs_destroy(&devs);
}

/* Memo B.3 rule 6: a broken ring gives NEEDS_RESET and a config IRQ. */
static void test_needs_reset(void)
{
	fresh();
	handled = 0;
	bring_up();
	offer_one(0, 99); /* head 99 in a queue of 16 */
	co_devs_notify(&devs, 0, 0);
	for (int i = 0;
	     i < 2000 && !(__atomic_load_n(&table[0].isr, __ATOMIC_ACQUIRE) &
			   COLINUX_ISR_CONFIG);
	     i++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	CHECK(__atomic_load_n(&table[0].status, __ATOMIC_ACQUIRE) &
	      VIRTIO_CONFIG_S_NEEDS_RESET);
	CHECK(__atomic_load_n(&table[0].isr, __ATOMIC_ACQUIRE) &
	      COLINUX_ISR_CONFIG);
	CHECK_INT(handled, 0);
	CHECK_INT(co_devs_call(&devs, 0, COLINUX_DEV_RESET, 0, 0), 0);
	CHECK(!fake.failed);
	co_devs_destroy(&devs);
}

int main(void)
{
	RUN_TEST(test_attach);
	RUN_TEST(test_features);
	RUN_TEST(test_queue_setup);
	RUN_TEST(test_notify_and_reset);
	RUN_TEST(test_needs_reset);
	return CHECK_EXIT();
}
