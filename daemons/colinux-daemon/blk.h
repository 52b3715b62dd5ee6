/* SPDX-License-Identifier: GPL-2.0 */
/*
 * blk.h --- virtio-blk requests on an open image (the part of cobd that is
 * pure but for the I/O calls, which go through an ops table so the tests and
 * the fuzzer can watch them).
 *
 * A request is a chain: a 16-byte header {le32 type; le32 reserved; le64
 * sector} at the start of the device-readable part, data, and a status byte,
 * the last byte of the device-writable part.  The header is copied out of
 * guest memory before it is looked at; every range is checked against the
 * capacity (whole 512-byte sectors, overflow-safe); writes, discards and
 * write-zeroes on a read-only disk fail; after a failed flush every request
 * fails (the host may have dropped the dirty pages: memo C.2).
 */
#ifndef CO_BLK_H
#define CO_BLK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "virtq.h"

#define CO_BLK_SECTOR 512
#define CO_BLK_MAX_SEG 32 /* discard / write-zeroes segments per request */
#define CO_BLK_MAX_SECTORS 0x3fffff /* per discard / write-zeroes segment */

/*
 * The I/O calls, as Linux names them: 0 (or bytes) on success, else -1 with
 * errno set; fallocate's @mode is FALLOC_FL_* (linux/falloc.h), EOPNOTSUPP
 * when the host cannot do it.
 */
struct co_blk_ops {
	ssize_t (*preadv)(int fd, const struct iovec *iov, int n, off_t off);
	ssize_t (*pwritev)(int fd, const struct iovec *iov, int n, off_t off);
	int (*fdatasync)(int fd);
	int (*fallocate)(int fd, int mode, off_t off, off_t len);
};

/* The host's (image-linux.c, image-windows.c). */
extern const struct co_blk_ops co_blk_sys_ops;

struct co_blk_stats {
	uint64_t reads, writes, flushes, discards, errors;
	uint64_t bytes_read, bytes_written;
};

struct co_blk {
	const struct co_blk_ops *ops;
	int fd;
	unsigned int unit; /* N of cobdN: the serial GET_ID answers */
	uint64_t sectors; /* capacity */
	bool ro;
	bool unsafe; /* flushes answered without fdatasync (cobdN=...,unsafe) */
	bool punch; /* hole punching works (off after the first EOPNOTSUPP) */
	bool zero_range; /* FALLOC_FL_ZERO_RANGE works (likewise) */
	bool failed; /* a flush failed: every request gets IOERR */
	int flush_errno; /* why */
	struct co_blk_stats st;
};

/*
 * Serve the request in chain @c; returns the bytes written into its
 * device-writable part (the used length), status byte included; 0 when the
 * chain has no status byte (nothing can be answered).
 */
uint32_t co_blk_request(struct co_blk *d, const struct co_vq_chain *c);

#endif
