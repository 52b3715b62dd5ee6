// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_fuzz.c --- libFuzzer target: the virtio-net header handling against
 * chains the guest shapes, both ways.
 *
 * Input: u8 nout, u8 nin (each 0..8), u16 le frame length for the receive
 * side, then a le16 length per buffer, then the bytes the buffers hold
 * (headers and frames as the guest wrote them).  The oracle: transmit
 * gives the 12-byte header and exactly the bytes after it, or -EINVAL for
 * a chain that is not a header and a frame of CO_VNET_FRAME_MAX bytes at
 * most, and the header check runs on any header without fault;
 * receive writes only into the writable buffers, a used length of header +
 * frame or 0, the header all zeroes but num_buffers = 1, then the frame.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>

#include "fuzz_chain.h"
#include "vnet.h"

#define MAX_BUF 8
#define BYTES (2 * MAX_BUF * 4096)

static uint8_t bytes[BYTES + 64]; /* 64 guard bytes, never written */
static uint8_t flat[BYTES], frame[65536], out[CO_VNET_FRAME_MAX];
static struct co_vq_chain chain;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The chain's bytes from @first, @n buffers, into flat[]: their length. */
static size_t gather(unsigned int first, unsigned int n)
{
	size_t len = 0;

	for (unsigned int i = first; i < first + n; i++) {
		memcpy(flat + len, chain.iov[i].iov_base, chain.iov[i].iov_len);
		len += chain.iov[i].iov_len;
	}
	return len;
}

static void check_tx(void)
{
	struct virtio_net_hdr_v1 h;
	int len = co_vnet_tx(&chain, &h, out, CO_VNET_FRAME_MAX);
	bool valid = !chain.nin &&
		     chain.out_len >= CO_VNET_HDR_LEN + CO_VNET_ETH_HLEN &&
		     chain.out_len - CO_VNET_HDR_LEN <= CO_VNET_FRAME_MAX;

	if (!valid) {
		if (len != -EINVAL)
			abort();
		return;
	}
	if ((uint64_t)len != chain.out_len - CO_VNET_HDR_LEN)
		abort();
	gather(0, chain.nout);
	if (memcmp(&h, flat, sizeof(h)) ||
	    memcmp(out, flat + CO_VNET_HDR_LEN, (size_t)len))
		abort();
	/* the guest's header against every feature set: no crash, no UB */
	co_vnet_hdr_check(&h, (size_t)len, CO_VNET_OFFLOADS, false);
	co_vnet_hdr_check(&h, (size_t)len, 0, false);
}

static void check_rx(size_t flen)
{
	struct virtio_net_hdr_v1 h;
	uint8_t guard[64];
	uint32_t used;

	memcpy(guard, bytes + BYTES, sizeof(guard));
	used = co_vnet_rx(&chain, NULL, frame, flen);
	if (memcmp(guard, bytes + BYTES, sizeof(guard)) || used > chain.in_len)
		abort();
	if (chain.nout || chain.in_len < CO_VNET_HDR_LEN + flen) {
		if (used)
			abort();
		return;
	}
	if (used != CO_VNET_HDR_LEN + flen)
		abort();
	gather(chain.nout, chain.nin);
	memcpy(&h, flat, sizeof(h));
	if (le16toh(h.num_buffers) != 1 || h.flags || h.gso_type || h.hdr_len ||
	    h.gso_size || h.csum_start || h.csum_offset)
		abort();
	if (memcmp(flat + CO_VNET_HDR_LEN, frame, flen))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at, flen;
	unsigned int n;

	if (size < 4)
		return 0;
	chain.nout = data[0] % (MAX_BUF + 1);
	chain.nin = data[1] % (MAX_BUF + 1);
	flen = (size_t)(data[2] | data[3] << 8);
	n = chain.nout + chain.nin;
	at = 4 + 2 * n;
	if (size < at)
		return 0;
	co_fuzz_chain(&chain, data + 4, 4097, bytes, data + at, size - at);
	for (size_t i = 0; i < flen; i++)
		frame[i] = (uint8_t)(i * 13 + data[2]);
	check_tx();
	check_rx(flen);
	return 0;
}
