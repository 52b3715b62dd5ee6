// SPDX-License-Identifier: GPL-2.0
/*
 * blk_test.c --- virtio-blk requests against a temporary image, through an
 * ops table that counts calls and injects short transfers and failures.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/virtio_blk.h>

#include "blk.h"

#include "../../tests/lib/check.h"

#define SECTORS 64

static struct co_blk d;
static struct co_vq_chain c;
static uint8_t hdr[16], data[8192], status;
static int syncs, fail_sync, short_io, no_fallocate;

static ssize_t t_preadv(int fd, const struct iovec *iov, int n, off_t off)
{
	struct iovec one = iov[0];

	if (short_io && one.iov_len > 100) {
		one.iov_len = 100; /* a short transfer the caller must resume */
		return preadv(fd, &one, 1, off);
	}
	return preadv(fd, iov, n, off);
}

static ssize_t t_pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	return pwritev(fd, iov, n, off);
}

static int t_fdatasync(int fd)
{
	syncs++;
	if (fail_sync) {
		errno = EIO;
		return -1;
	}
	return fdatasync(fd);
}

static int t_fallocate(int fd, int mode, off_t off, off_t len)
{
	if (no_fallocate) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return fallocate(fd, mode, off, len);
}

static const struct co_blk_ops ops = { t_preadv, t_pwritev, t_fdatasync,
				       t_fallocate };

static void fresh(bool ro)
{
	char name[] = "/tmp/blk_test.XXXXXX";
	uint8_t sector[512];

	if (d.fd > 0)
		close(d.fd);
	memset(&d, 0, sizeof(d));
	d.fd = mkstemp(name);
	unlink(name);
	for (int i = 0; i < SECTORS; i++) {
		memset(sector, i, sizeof(sector));
		CHECK_INT(write(d.fd, sector, sizeof(sector)), 512);
	}
	d.ops = &ops;
	d.unit = 3;
	d.sectors = SECTORS;
	d.ro = ro;
	d.punch = d.zero_range = true;
	syncs = fail_sync = short_io = no_fallocate = 0;
}

static void header(uint32_t type, uint64_t sector)
{
	struct virtio_blk_outhdr h = { htole32(type), 0, htole64(sector) };

	memcpy(hdr, &h, sizeof(h));
}

/* hdr [+ data out] | [data in +] status, data in @n iovecs. */
static void chain(uint32_t type, uint64_t sector, size_t len, bool in, int n)
{
	unsigned int k = 0;

	header(type, sector);
	c.iov[k++] = (struct iovec){ hdr, sizeof(hdr) };
	c.nout = 1;
	c.out_len = sizeof(hdr);
	c.nin = 0;
	c.in_len = 0;
	for (int i = 0; i < n && len; i++) {
		size_t part = i == n - 1 ? len - i * (len / n) : len / n;

		c.iov[k++] = (struct iovec){ data + i * (len / n), part };
		if (in) {
			c.nin++;
			c.in_len += part;
		} else {
			c.nout++;
			c.out_len += part;
		}
		if (i == n - 1)
			break;
	}
	c.iov[k] = (struct iovec){ &status, 1 };
	c.nin++;
	c.in_len++;
	status = 0xff;
}

static void test_read(void)
{
	fresh(false);
	chain(VIRTIO_BLK_T_IN, 2, 1024, true, 2);
	CHECK_INT(co_blk_request(&d, &c), 1025);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK(data[0] == 2 && data[511] == 2 && data[512] == 3);
	/* The last sector, exactly. */
	chain(VIRTIO_BLK_T_IN, SECTORS - 1, 512, true, 1);
	CHECK_INT(co_blk_request(&d, &c), 513);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	/* Short transfers are resumed. */
	short_io = 1;
	chain(VIRTIO_BLK_T_IN, 5, 1024, true, 1);
	CHECK_INT(co_blk_request(&d, &c), 1025);
	CHECK(data[0] == 5 && data[1023] == 6);
}

static void test_write(void)
{
	uint8_t back[512];

	fresh(false);
	memset(data, 0xab, 512);
	chain(VIRTIO_BLK_T_OUT, 7, 512, false, 1);
	CHECK_INT(co_blk_request(&d, &c), 1);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK_INT(pread(d.fd, back, 512, 7 * 512), 512);
	CHECK(back[0] == 0xab && back[511] == 0xab);
}

static void test_bad_ranges(void)
{
	fresh(false);
	chain(VIRTIO_BLK_T_IN, SECTORS - 1, 1024, true, 1);
	CHECK_INT(co_blk_request(&d, &c), 1);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	chain(VIRTIO_BLK_T_IN, UINT64_MAX, 512, true, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	chain(VIRTIO_BLK_T_OUT, UINT64_MAX / 512 + 1, 512, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	chain(VIRTIO_BLK_T_IN, 0, 500, true, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	chain(VIRTIO_BLK_T_OUT, 0, 700, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	CHECK_INT(d.st.errors, 5);
}

static void test_header(void)
{
	fresh(false);
	chain(VIRTIO_BLK_T_IN, 1, 512, true, 1);
	c.iov[0].iov_len = 8; /* short header */
	c.out_len = 8;
	CHECK_INT(co_blk_request(&d, &c), 1);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	/* The header split over two buffers is still a header. */
	chain(VIRTIO_BLK_T_IN, 1, 512, true, 1);
	memmove(c.iov + 1, c.iov, 3 * sizeof(c.iov[0]));
	c.iov[0].iov_len = 5;
	c.iov[1] = (struct iovec){ hdr + 5, 11 };
	c.nout = 2;
	CHECK_INT(co_blk_request(&d, &c), 513);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK(data[0] == 1);
	/* No status byte: nothing is written. */
	chain(VIRTIO_BLK_T_IN, 1, 0, true, 1);
	c.nin = 0;
	c.in_len = 0;
	CHECK_INT(co_blk_request(&d, &c), 0);
	CHECK_INT(status, 0xff);
	chain(99, 0, 0, true, 1);
	CHECK_INT(co_blk_request(&d, &c), 1);
	CHECK_INT(status, VIRTIO_BLK_S_UNSUPP);
}

static void test_read_only(void)
{
	uint8_t back[512];

	fresh(true);
	memset(data, 0xcd, 512);
	chain(VIRTIO_BLK_T_OUT, 4, 512, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	CHECK_INT(pread(d.fd, back, 512, 4 * 512), 512);
	CHECK_INT(back[0], 4);
	chain(VIRTIO_BLK_T_IN, 4, 512, true, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
}

static void test_flush(void)
{
	fresh(false);
	chain(VIRTIO_BLK_T_FLUSH, 0, 0, true, 1);
	CHECK_INT(co_blk_request(&d, &c), 1);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK_INT(syncs, 1);
	/* A failed flush fails everything after it. */
	fail_sync = 1;
	chain(VIRTIO_BLK_T_FLUSH, 0, 0, true, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	CHECK(d.failed && d.flush_errno == EIO);
	fail_sync = 0;
	chain(VIRTIO_BLK_T_IN, 0, 512, true, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
}

/* cobdN=...,unsafe: a flush is answered, not passed on. */
static void test_flush_unsafe(void)
{
	fresh(false);
	d.unsafe = true;
	chain(VIRTIO_BLK_T_FLUSH, 0, 0, true, 1);
	CHECK_INT(co_blk_request(&d, &c), 1);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK_INT(syncs, 0);
	CHECK_INT(d.st.flushes, 1);
}

/* A read-only disk's flush: answered, nothing to write back. */
static void test_flush_ro(void)
{
	fresh(true);
	fail_sync = 1;
	chain(VIRTIO_BLK_T_FLUSH, 0, 0, true, 1);
	CHECK_INT(co_blk_request(&d, &c), 1);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK_INT(syncs, 0);
	CHECK(!d.failed);
	fail_sync = 0;
}

static void test_get_id(void)
{
	fresh(false);
	memset(data, 'x', sizeof(data));
	chain(VIRTIO_BLK_T_GET_ID, 0, VIRTIO_BLK_ID_BYTES, true, 1);
	CHECK_INT(co_blk_request(&d, &c), VIRTIO_BLK_ID_BYTES + 1);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK(!memcmp(data, "cobd3\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0x", 21));
	chain(VIRTIO_BLK_T_GET_ID, 0, 10, true, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
}

static void segment(int i, uint64_t sector, uint32_t num, uint32_t flags)
{
	struct virtio_blk_discard_write_zeroes s = { htole64(sector),
						     htole32(num),
						     htole32(flags) };

	memcpy(data + 16 * i, &s, sizeof(s));
}

static void test_discard(void)
{
	struct stat before, after;
	uint8_t back[4096];

	fresh(false);
	segment(0, SECTORS - 8, 16, 0);
	chain(VIRTIO_BLK_T_DISCARD, 0, 16, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	segment(0, 8, 8, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_UNSUPP);
	chain(VIRTIO_BLK_T_DISCARD, 0, 16 * (CO_BLK_MAX_SEG + 1), false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
	chain(VIRTIO_BLK_T_DISCARD, 0, 24, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);

	fstat(d.fd, &before);
	segment(0, 8, 16, 0);
	segment(1, 32, 16, 0);
	chain(VIRTIO_BLK_T_DISCARD, 0, 32, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	fstat(d.fd, &after);
	CHECK(after.st_blocks < before.st_blocks);
	CHECK_INT(after.st_size, SECTORS * 512);

	/* Without fallocate: discard is advisory, write-zeroes writes. */
	fresh(false);
	no_fallocate = 1;
	segment(0, 8, 8, 0);
	chain(VIRTIO_BLK_T_DISCARD, 0, 16, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK(!d.punch);
	segment(0, 8, 8, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP);
	chain(VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK_INT(pread(d.fd, back, 4096, 8 * 512), 4096);
	CHECK(back[0] == 0 && back[4095] == 0);
	CHECK_INT(pread(d.fd, back, 1, 16 * 512), 1);
	CHECK_INT(back[0], 16);

	fresh(true);
	segment(0, 8, 8, 0);
	chain(VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false, 1);
	co_blk_request(&d, &c);
	CHECK_INT(status, VIRTIO_BLK_S_IOERR);
}

int main(void)
{
	RUN_TEST(test_read);
	RUN_TEST(test_write);
	RUN_TEST(test_bad_ranges);
	RUN_TEST(test_header);
	RUN_TEST(test_read_only);
	RUN_TEST(test_flush);
	RUN_TEST(test_flush_unsafe);
	RUN_TEST(test_flush_ro);
	RUN_TEST(test_get_id);
	RUN_TEST(test_discard);
	return CHECK_EXIT();
}
