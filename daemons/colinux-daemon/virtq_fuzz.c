// SPDX-License-Identifier: GPL-2.0
/*
 * virtq_fuzz.c --- libFuzzer target: a guest RAM image and a queue setup
 * from the input, then every available chain walked and given back.
 *
 * Input: le16 num (a power of two is taken from it), u8 flags (bit 0 event
 * index, bit 1 indirect), le32 desc, avail, used offsets, then the RAM
 * image.  RAM is three blocks: b0 and b1 adjacent in both address spaces,
 * b2 elsewhere.  The oracle, besides the sanitizers: every iovec lies inside
 * the RAM buffer, the lengths add up, and nothing is written outside the
 * used ring (the rest of RAM is compared before and after).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtq.h"

#define BLK 0x8000
#define RAM (3 * BLK)

static uint8_t ram[RAM] __attribute__((aligned(4096)));
static uint8_t copy[RAM];
static struct co_vq_chain chain;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void check_chain(const struct co_vq_chain *c)
{
	uint64_t out = 0, in = 0;

	for (unsigned int i = 0; i < c->nout + c->nin; i++) {
		const uint8_t *b = c->iov[i].iov_base;

		if (b < ram || c->iov[i].iov_len > RAM ||
		    b + c->iov[i].iov_len > ram + RAM)
			abort();
		if (i < c->nout)
			out += c->iov[i].iov_len;
		else
			in += c->iov[i].iov_len;
	}
	if (out != c->out_len || in != c->in_len || out + in > CO_VQ_MAX_BYTES)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct colinux_block b[3] = { { 0x100000, BLK },
					    { 0x100000 + BLK, BLK },
					    { 0x400000, BLK } };
	struct co_gmem gm;
	struct co_vq_addr a;
	struct co_vq vq;
	uint8_t *used_lo, *used_hi;
	int ret, rounds;

	if (size < 15)
		return 0;
	a.num = (uint16_t)(1u << ((data[0] | data[1] << 8) % 10));
	a.desc = 0x100000 + le32(data + 3) % (3 * BLK);
	a.avail = 0x100000 + le32(data + 7) % (3 * BLK);
	a.used = 0x100000 + le32(data + 11) % (3 * BLK);
	memset(ram, 0, sizeof(ram));
	memcpy(ram, data + 15, size - 15 < RAM ? size - 15 : RAM);
	co_gmem_init(&gm, b, 3, ram);
	if (co_vq_setup(&vq, &gm, &a, 512, data[2] & 1, data[2] & 2))
		return 0;
	memcpy(copy, ram, RAM);
	for (rounds = 0; rounds <= a.num; rounds++) {
		ret = co_vq_pop(&vq, &chain);
		if (ret <= 0)
			break;
		check_chain(&chain);
		co_vq_push(&vq, chain.head, (uint32_t)chain.in_len);
		co_vq_need_irq(&vq);
	}
	co_vq_enable_notify(&vq);
	/* Only the used ring may have changed. */
	used_lo = vq.used;
	used_hi = vq.used + 6 + 8 * vq.num;
	for (size_t i = 0; i < RAM; i++)
		if (ram[i] != copy[i] &&
		    (ram + i < used_lo || ram + i >= used_hi))
			abort();
	return 0;
}
