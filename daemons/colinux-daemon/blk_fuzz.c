// SPDX-License-Identifier: GPL-2.0
/*
 * blk_fuzz.c --- libFuzzer target: one virtio-blk request, its chain shaped
 * by the input, against an in-memory disk.
 *
 * Input: u8 flags (bit 0 read-only, bit 1 a failed flush before), u8 nout,
 * u8 nin (each 0..8), then a le16 length per buffer, then the bytes the
 * buffers hold.  The oracle: the I/O calls stay inside the disk, a
 * read-only disk is never written, the used length fits the writable part.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "fuzz_chain.h"

#define SECTORS 64
#define DISK (SECTORS * CO_BLK_SECTOR)
#define MAX_BUF 8

static uint8_t disk[DISK];
static uint8_t bytes[2 * MAX_BUF * 65536]; /* nout + nin buffers */
static struct co_vq_chain chain;
static bool read_only;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_range(const struct iovec *iov, int n, off_t off,
			uint64_t *len)
{
	*len = 0;
	for (int i = 0; i < n; i++)
		*len += iov[i].iov_len;
	if (off < 0 || (uint64_t)off > DISK || *len > DISK - (uint64_t)off)
		abort();
}

static ssize_t f_preadv(int fd, const struct iovec *iov, int n, off_t off)
{
	uint64_t len, done = 0;

	check_range(iov, n, off, &len);
	for (int i = 0; i < n; i++) {
		memcpy(iov[i].iov_base, disk + off + done, iov[i].iov_len);
		done += iov[i].iov_len;
	}
	return (ssize_t)len;
}

static ssize_t f_pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	uint64_t len, done = 0;

	if (read_only)
		abort();
	check_range(iov, n, off, &len);
	for (int i = 0; i < n; i++) {
		memcpy(disk + off + done, iov[i].iov_base, iov[i].iov_len);
		done += iov[i].iov_len;
	}
	return (ssize_t)len;
}

static int f_fdatasync(int fd)
{
	return 0;
}

static int f_fallocate(int fd, int mode, off_t off, off_t len)
{
	if (read_only || off < 0 || len < 0 || off > DISK || len > DISK - off)
		abort();
	memset(disk + off, 0, (size_t)len);
	return 0;
}

static const struct co_blk_ops ops = { f_preadv, f_pwritev, f_fdatasync,
				       f_fallocate };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct co_blk d = { .ops = &ops,
			    .unit = 7,
			    .sectors = SECTORS,
			    .punch = true,
			    .zero_range = true };
	size_t at;
	unsigned int n;
	uint32_t used;

	if (size < 3)
		return 0;
	d.ro = read_only = data[0] & 1;
	d.failed = data[0] & 2;
	chain.nout = data[1] % (MAX_BUF + 1);
	chain.nin = data[2] % (MAX_BUF + 1);
	n = chain.nout + chain.nin;
	at = 3 + 2 * n;
	if (size < at)
		return 0;
	co_fuzz_chain(&chain, data + 3, 65536, bytes, data + at, size - at);
	used = co_blk_request(&d, &chain);
	if (used > chain.in_len)
		abort();
	return 0;
}
