// SPDX-License-Identifier: GPL-2.0
/*
 * virtq_test.c --- the virtqueue rules (memo B.3), one case per rule, on a
 * fake guest RAM of four blocks: b0 and b1 adjacent both physically and in
 * the daemon's mapping, b2 alone, b3 physically after b1 but not after it in
 * the mapping.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_ring.h>

#include "virtq.h"

#include "../../tests/lib/check.h"

#define BLK 0x10000
#define B0 0x100000ull
#define B1 0x110000ull
#define B2 0x200000ull
#define B3 0x120000ull
#define DESC B0
#define AVAIL (B0 + 0x1000)
#define USED (B0 + 0x2000)
#define BUF (B0 + 0x8000)
#define NUM 8

static uint8_t ram[4 * BLK] __attribute__((aligned(4096)));
static struct co_gmem gm;
static struct co_vq vq;
static struct co_vq_chain ch;
static uint16_t avail_idx;

static uint8_t *at(uint64_t pa)
{
	static const uint64_t phys[4] = { B0, B1, B2, B3 };

	for (int i = 0; i < 4; i++)
		if (pa >= phys[i] && pa < phys[i] + BLK)
			return ram + i * BLK + (pa - phys[i]);
	return NULL;
}

static void desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	struct vring_desc d = { htole64(addr), htole32(len), htole16(flags),
				htole16(next) };

	memcpy(at(DESC + 16 * i), &d, sizeof(d));
}

static void idesc(uint64_t table, unsigned int i, uint64_t addr, uint32_t len,
		  uint16_t flags, uint16_t next)
{
	struct vring_desc d = { htole64(addr), htole32(len), htole16(flags),
				htole16(next) };

	memcpy(at(table + 16 * i), &d, sizeof(d));
}

static void put16(uint64_t pa, uint16_t v)
{
	v = htole16(v);
	memcpy(at(pa), &v, 2);
}

static uint16_t get16(uint64_t pa)
{
	uint16_t v;

	memcpy(&v, at(pa), 2);
	return le16toh(v);
}

static uint32_t get32(uint64_t pa)
{
	uint32_t v;

	memcpy(&v, at(pa), 4);
	return le32toh(v);
}

/* Make @head available (avail->idx moves by one). */
static void offer(uint16_t head)
{
	put16(AVAIL + 4 + 2 * (avail_idx % NUM), head);
	put16(AVAIL + 2, ++avail_idx);
}

static void fresh(bool event_idx, bool indirect)
{
	const struct colinux_block b[4] = {
		{ B0, BLK }, { B1, BLK }, { B2, BLK }, { B3, BLK }
	};
	struct co_vq_addr a = { NUM, DESC, AVAIL, USED };

	memset(ram, 0, sizeof(ram));
	co_gmem_init(&gm, b, 4, ram);
	avail_idx = 0;
	CHECK_INT(co_vq_setup(&vq, &gm, &a, 256, event_idx, indirect), 0);
}

static bool refused(const char *why)
{
	int ret = co_vq_pop(&vq, &ch);

	if (ret != -EIO || !strstr(vq.why, why)) {
		printf("# pop: %d, \"%s\"; expected -EIO, \"%s\"\n", ret,
		       vq.why, why);
		return false;
	}
	return true;
}

static int setup_with(uint16_t num, uint64_t d, uint64_t av, uint64_t u)
{
	struct co_vq_addr a = { num, d, av, u };

	return co_vq_setup(&vq, &gm, &a, 256, true, true);
}

/* Rule 1: size, alignment, areas in guest RAM, contiguous for the daemon. */
static void test_setup(void)
{
	fresh(true, true);
	CHECK_INT(setup_with(6, DESC, AVAIL, USED), -EINVAL);
	CHECK_INT(setup_with(0, DESC, AVAIL, USED), -EINVAL);
	CHECK_INT(setup_with(512, DESC, AVAIL, USED), -EINVAL);
	CHECK(strstr(vq.why, "power of two"));
	CHECK_INT(setup_with(NUM, DESC + 8, AVAIL, USED), -EINVAL);
	CHECK_INT(setup_with(NUM, DESC, AVAIL + 1, USED), -EINVAL);
	CHECK_INT(setup_with(NUM, DESC, AVAIL, USED + 2), -EINVAL);
	CHECK(strstr(vq.why, "misaligned"));
	/* used of 8 entries is 70 bytes: the last 64 of b2 are too few. */
	CHECK_INT(setup_with(NUM, DESC, AVAIL, B2 + BLK - 64), -EINVAL);
	CHECK(strstr(vq.why, "outside guest RAM"));
	/* avail's used_event counts: 6 + 2 * 8 = 22 bytes, not 20. */
	CHECK_INT(setup_with(NUM, DESC, B2 + BLK - 20, USED), -EINVAL);
	CHECK_INT(setup_with(NUM, DESC, B2 + BLK - 22, USED), 0);
	/* Across b0 -> b1 (adjacent in both): one run, accepted. */
	CHECK_INT(setup_with(NUM, B1 - 64, AVAIL, USED), 0);
	CHECK(vq.desc == ram + BLK - 64);
	/* Across b1 -> b3: adjacent physically, not in the mapping. */
	CHECK_INT(setup_with(NUM, B3 - 64, AVAIL, USED), -EINVAL);
	CHECK_INT(setup_with(NUM, UINT64_MAX - 15, AVAIL, USED), -EINVAL);
}

static void test_valid_chain(void)
{
	fresh(true, true);
	desc(3, BUF, 16, VRING_DESC_F_NEXT, 5);
	desc(5, BUF + 0x100, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0);
	desc(0, BUF + 0x400, 1, VRING_DESC_F_WRITE, 0);
	offer(3);
	CHECK_INT(co_vq_pop(&vq, &ch), 1);
	CHECK_INT(ch.head, 3);
	CHECK_INT(ch.nout, 1);
	CHECK_INT(ch.nin, 2);
	CHECK_INT(ch.out_len, 16);
	CHECK_INT(ch.in_len, 513);
	CHECK(ch.iov[0].iov_base == at(BUF));
	CHECK(ch.iov[1].iov_base == at(BUF + 0x100));
	CHECK_INT(ch.iov[1].iov_len, 512);
	CHECK_INT(co_vq_pop(&vq, &ch), 0);
	co_vq_push(&vq, 3, 513);
	CHECK_INT(get16(USED + 2), 1);
	CHECK_INT(get32(USED + 4), 3);
	CHECK_INT(get32(USED + 8), 513);
}

/* A buffer may cross blocks (as iovecs), but not leave guest RAM. */
static void test_buffer_ram(void)
{
	fresh(true, true);
	desc(0, B1 - 8, 16, 0, 0);
	desc(1, B3 - 8, 16, 0, 0);
	offer(0);
	offer(1);
	CHECK_INT(co_vq_pop(&vq, &ch), 1);
	CHECK_INT(ch.nout, 2);
	CHECK(ch.iov[1].iov_base == ram + BLK);
	CHECK_INT(co_vq_pop(&vq, &ch), 1);
	CHECK_INT(ch.nout, 2);
	CHECK(ch.iov[1].iov_base == ram + 3 * BLK);
	desc(2, B2 + BLK - 8, 16, 0, 0);
	offer(2);
	CHECK(refused("outside guest RAM"));
}

/* Rule 2: the available index and heads. */
static void test_avail_index(void)
{
	fresh(true, true);
	desc(0, BUF, 16, 0, 0);
	put16(AVAIL + 2, NUM + 1);
	CHECK(refused("ahead"));
	fresh(true, true);
	desc(0, BUF, 16, 0, 0);
	put16(AVAIL + 2, NUM); /* exactly a full ring: fine */
	CHECK_INT(co_vq_pop(&vq, &ch), 1);
	fresh(true, true);
	offer(NUM);
	CHECK(refused("outside the queue"));
}

/* Rule 3: next inside the table, loops, direction, total length. */
static void test_chain_rules(void)
{
	fresh(true, true);
	desc(0, BUF, 16, VRING_DESC_F_NEXT, NUM);
	offer(0);
	CHECK(refused("next 8 outside"));

	fresh(true, true);
	desc(0, BUF, 16, VRING_DESC_F_NEXT, 1);
	desc(1, BUF, 16, VRING_DESC_F_NEXT, 0);
	offer(0);
	CHECK(refused("longer than the queue"));

	fresh(true, true);
	for (unsigned int i = 0; i < NUM; i++)
		desc(i, BUF, 16, VRING_DESC_F_NEXT, (i + 1) % NUM);
	offer(0);
	CHECK(refused("longer than the queue"));

	fresh(true, true); /* all NUM descriptors: the longest legal chain */
	for (unsigned int i = 0; i < NUM; i++)
		desc(i, BUF, 16, i < NUM - 1 ? VRING_DESC_F_NEXT : 0, i + 1);
	offer(0);
	CHECK_INT(co_vq_pop(&vq, &ch), 1);
	CHECK_INT(ch.nout, NUM);

	fresh(true, true);
	desc(0, BUF, 16, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
	desc(1, BUF, 16, 0, 0);
	offer(0);
	CHECK(refused("readable buffer after a device-writable"));

	fresh(true, true); /* 16 + (4 GiB - 8) wraps to 8 in 32 bits */
	desc(0, BUF, 16, VRING_DESC_F_NEXT, 1);
	desc(1, BUF, 0xfffffff8u, 0, 0);
	offer(0);
	CHECK(refused("longer than 67108864 bytes"));

	fresh(true, true); /* one byte over the cap, checked before mapping */
	desc(0, BUF, 16, VRING_DESC_F_NEXT, 1);
	desc(1, BUF, (64u << 20) - 15, 0, 0);
	offer(0);
	CHECK(refused("longer than 67108864 bytes"));
}

/* Rule 4: indirect tables. */
static void test_indirect(void)
{
	const uint64_t t = B0 + 0x4000;

	fresh(true, true);
	idesc(t, 0, BUF, 16, VRING_DESC_F_NEXT, 1);
	idesc(t, 1, BUF + 0x100, 1, VRING_DESC_F_WRITE, 0);
	desc(2, t, 32, VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK_INT(co_vq_pop(&vq, &ch), 1);
	CHECK_INT(ch.head, 2);
	CHECK_INT(ch.nout, 1);
	CHECK_INT(ch.nin, 1);

	fresh(true, false);
	desc(2, t, 32, VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK(refused("not negotiated"));

	fresh(true, true);
	desc(2, t, 32, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 3);
	offer(2);
	CHECK(refused("with NEXT"));

	fresh(true, true);
	idesc(t, 0, t, 16, VRING_DESC_F_INDIRECT, 0);
	desc(2, t, 16, VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK(refused("inside an indirect table"));

	fresh(true, true);
	desc(2, t, 24, VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK(refused("indirect table of 24 bytes"));

	fresh(true, true);
	desc(2, t, 0, VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK(refused("indirect table of 0 bytes"));

	fresh(true, true);
	desc(2, t, 16 * (NUM + 1), VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK(refused("indirect table of 144 bytes"));

	fresh(true, true);
	idesc(t, 0, BUF, 16, VRING_DESC_F_NEXT, 2);
	desc(2, t, 32, VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK(refused("next 2 outside a table of 2"));

	fresh(true, true);
	desc(2, B2 + BLK - 16, 32, VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK(refused("outside guest RAM"));

	/* The same TTL: 2 direct + a full table of NUM is NUM + 2. */
	fresh(true, true);
	for (unsigned int i = 0; i < NUM; i++)
		idesc(t, i, BUF, 16, i < NUM - 1 ? VRING_DESC_F_NEXT : 0,
		      i + 1);
	desc(0, BUF, 16, VRING_DESC_F_NEXT, 1);
	desc(1, BUF, 16, VRING_DESC_F_NEXT, 2);
	desc(2, t, 16 * NUM, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	CHECK(refused("longer than the queue"));

	/* A full table alone is legal. */
	fresh(true, true);
	for (unsigned int i = 0; i < NUM; i++)
		idesc(t, i, BUF, 16, i < NUM - 1 ? VRING_DESC_F_NEXT : 0,
		      i + 1);
	desc(2, t, 16 * NUM, VRING_DESC_F_INDIRECT, 0);
	offer(2);
	CHECK_INT(co_vq_pop(&vq, &ch), 1);
	CHECK_INT(ch.nout, NUM);
}

/* Rule 5: the used ring and the event index, across the 16-bit wrap. */
static void test_event_idx(void)
{
	fresh(true, true);
	desc(0, BUF, 1, VRING_DESC_F_WRITE, 0);
	vq.used_idx = vq.signalled = 0xfffe;
	put16(AVAIL + 4 + 2 * NUM, 0xfffe); /* used_event: after 0xfffe */
	co_vq_push(&vq, 0, 1); /* 0xffff */
	CHECK(co_vq_need_irq(&vq));
	co_vq_push(&vq, 0, 1); /* 0x0000: the guest asked for no more */
	CHECK(!co_vq_need_irq(&vq));
	put16(AVAIL + 4 + 2 * NUM, 0xffff);
	co_vq_push(&vq, 0, 1); /* 0x0001 passes used_event + 1 = 0 */
	CHECK(!co_vq_need_irq(&vq));
	put16(AVAIL + 4 + 2 * NUM, 0x0001);
	co_vq_push(&vq, 0, 1);
	co_vq_push(&vq, 0, 1); /* 0x0003, signalled 0x0001 */
	CHECK(co_vq_need_irq(&vq));
	CHECK(!co_vq_need_irq(&vq)); /* nothing new */
	CHECK_INT(get16(USED + 2), 3);

	/* avail_event: where the guest should notify next. */
	offer(0);
	CHECK(co_vq_enable_notify(&vq)); /* a buffer is there: do not sleep */
	CHECK_INT(co_vq_pop(&vq, &ch), 1);
	CHECK(!co_vq_enable_notify(&vq));
	CHECK_INT(get16(USED + 4 + 8 * NUM), 1);
}

/* Without the event index: the flags. */
static void test_flags(void)
{
	fresh(false, true);
	desc(0, BUF, 1, VRING_DESC_F_WRITE, 0);
	co_vq_push(&vq, 0, 1);
	CHECK(co_vq_need_irq(&vq));
	put16(AVAIL, VRING_AVAIL_F_NO_INTERRUPT);
	co_vq_push(&vq, 0, 1);
	CHECK(!co_vq_need_irq(&vq));
	co_vq_disable_notify(&vq);
	CHECK_INT(get16(USED), VRING_USED_F_NO_NOTIFY);
	CHECK(!co_vq_enable_notify(&vq));
	CHECK_INT(get16(USED), 0);
}

/* Rule 6: broken is sticky, whatever the guest does next. */
static void test_sticky(void)
{
	fresh(true, true);
	offer(NUM + 3);
	CHECK(refused("outside the queue"));
	put16(AVAIL + 4, 0);
	desc(0, BUF, 16, 0, 0);
	CHECK_INT(co_vq_pop(&vq, &ch), -EIO);
	CHECK(strstr(vq.why, "head 11"));
	CHECK(!co_vq_enable_notify(&vq));
}

static volatile int flipping;

/* "The guest" rewrites descriptor 0's length as fast as it can. */
static void *flipper(void *arg)
{
	uint32_t *len = (uint32_t *)at(DESC + 8);

	for (uint32_t i = 0; flipping; i++)
		__atomic_store_n(len, htole32(i & 1 ? 4096 : 16),
				 __ATOMIC_RELAXED);
	return NULL;
}

/*
 * Rule 3, read once: whatever the guest writes meanwhile, an accepted chain
 * is consistent: the length added up is the length mapped.  A race, so
 * about a second of tries; an implementation that reads the length twice
 * fails here most of the time, not always.
 */
static void test_read_once(void)
{
	struct co_vq_addr a = { NUM, DESC, AVAIL, USED };
	int n16 = 0, n4096 = 0, mixed = 0;
	pthread_t t;

	fresh(true, true);
	desc(0, BUF, 16, 0, 0);
	offer(0);
	flipping = 1;
	pthread_create(&t, NULL, flipper, NULL);
	for (time_t end = time(NULL) + 1; time(NULL) <= end;) {
		co_vq_setup(&vq, &gm, &a, 256, true, true);
		if (co_vq_pop(&vq, &ch) != 1 || ch.nout != 1 ||
		    ch.out_len != ch.iov[0].iov_len)
			mixed++;
		else if (ch.out_len == 16)
			n16++;
		else
			n4096++;
	}
	flipping = 0;
	pthread_join(t, NULL);
	printf("# %d chains of 16 bytes, %d of 4096, %d inconsistent\n", n16,
	       n4096, mixed);
	CHECK_INT(mixed, 0);
	CHECK(n16 > 0 && n4096 > 0); /* the race did happen */
}

static void test_iov_helpers(void)
{
	uint8_t a[4] = { 1, 2, 3, 4 }, b[3] = { 5, 6, 7 }, out[8];
	struct iovec iov[2] = { { a, 4 }, { b, 3 } }, s[2];

	CHECK_INT(co_iov_to_buf(iov, 2, 3, out, 8), 4);
	CHECK(out[0] == 4 && out[1] == 5 && out[3] == 7);
	CHECK_INT(co_iov_slice(iov, 2, 2, 4, s, 2), 2);
	CHECK(s[0].iov_base == a + 2 && s[0].iov_len == 2);
	CHECK(s[1].iov_base == b && s[1].iov_len == 2);
	CHECK_INT(co_iov_slice(iov, 2, 2, 6, s, 2), -1);
	CHECK_INT(co_iov_slice(iov, 2, 0, 7, s, 1), -1);
	CHECK_INT(co_iov_from_buf(iov, 2, 6, "xy", 2), 1);
	CHECK(b[2] == 'x');
}

int main(void)
{
	RUN_TEST(test_setup);
	RUN_TEST(test_valid_chain);
	RUN_TEST(test_buffer_ram);
	RUN_TEST(test_avail_index);
	RUN_TEST(test_chain_rules);
	RUN_TEST(test_indirect);
	RUN_TEST(test_event_idx);
	RUN_TEST(test_flags);
	RUN_TEST(test_sticky);
	RUN_TEST(test_read_once);
	RUN_TEST(test_iov_helpers);
	return CHECK_EXIT();
}
