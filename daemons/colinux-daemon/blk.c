// SPDX-License-Identifier: GPL-2.0
/* blk.c --- virtio-blk requests (contract in blk.h; memo C.1-C.4). */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/falloc.h>
#include <linux/virtio_blk.h>

#include "blk.h"

/* A request, its data as iovecs of guest memory. */
struct req {
	uint32_t type;
	uint64_t sector;
	struct iovec data[CO_VQ_MAX_IOV];
	int ndata;
	uint64_t len; /* bytes of data */
	uint32_t written; /* bytes of data written into the guest */
};

/* [sector, sector + len / 512) inside the disk, len whole sectors. */
static bool in_range(const struct co_blk *d, uint64_t sector, uint64_t len)
{
	return len % CO_BLK_SECTOR == 0 && sector <= d->sectors &&
	       len / CO_BLK_SECTOR <= d->sectors - sector;
}

/* Drop @n done bytes from the front of @iov[0..*@cnt). */
static struct iovec *advance(struct iovec *iov, int *cnt, size_t n)
{
	while (*cnt && n >= iov->iov_len) {
		n -= iov->iov_len;
		iov++;
		(*cnt)--;
	}
	if (*cnt) {
		iov->iov_base = (uint8_t *)iov->iov_base + n;
		iov->iov_len -= n;
	}
	return iov;
}

/* Transfer all of r->data at the request's sector; short ones are resumed. */
static int transfer(struct co_blk *d, struct req *r, bool write)
{
	struct iovec *iov = r->data;
	int cnt = r->ndata;
	off_t off = (off_t)(r->sector * CO_BLK_SECTOR);
	uint64_t left = r->len;
	ssize_t n;

	while (left) {
		n = write ? d->ops->pwritev(d->fd, iov, cnt, off) :
			    d->ops->preadv(d->fd, iov, cnt, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (uint64_t)n > left)
			return VIRTIO_BLK_S_IOERR;
		iov = advance(iov, &cnt, (size_t)n);
		off += n;
		left -= (uint64_t)n;
		if (!write)
			r->written += (uint32_t)n;
	}
	return VIRTIO_BLK_S_OK;
}

static int do_read(struct co_blk *d, struct req *r)
{
	if (!in_range(d, r->sector, r->len))
		return VIRTIO_BLK_S_IOERR;
	d->st.reads++;
	d->st.bytes_read += r->len;
	return transfer(d, r, false);
}

static int do_write(struct co_blk *d, struct req *r)
{
	if (d->ro || !in_range(d, r->sector, r->len))
		return VIRTIO_BLK_S_IOERR;
	d->st.writes++;
	d->st.bytes_written += r->len;
	return transfer(d, r, true);
}

/*
 * Nothing reaches a read-only disk, so its flush has nothing to write back
 * (and Windows refuses FlushFileBuffers on a handle that may not write).
 */
static int do_flush(struct co_blk *d)
{
	d->st.flushes++;
	while (!d->unsafe && !d->ro && d->ops->fdatasync(d->fd)) {
		if (errno == EINTR)
			continue;
		d->failed = true;
		d->flush_errno = errno;
		return VIRTIO_BLK_S_IOERR;
	}
	return VIRTIO_BLK_S_OK;
}

static int do_get_id(struct co_blk *d, struct req *r)
{
	char id[VIRTIO_BLK_ID_BYTES + 1] = { 0 };

	if (r->len < VIRTIO_BLK_ID_BYTES)
		return VIRTIO_BLK_S_IOERR;
	snprintf(id, sizeof(id), "cobd%u", d->unit);
	r->written = (uint32_t)co_iov_from_buf(r->data, (unsigned int)r->ndata,
					       0, id, VIRTIO_BLK_ID_BYTES);
	return VIRTIO_BLK_S_OK;
}

/* Zeroes by plain writes, when the file system cannot do better. */
static int write_zeroes(struct co_blk *d, off_t off, uint64_t len)
{
	static const uint8_t zero[65536];
	struct iovec iov;
	ssize_t n;

	while (len) {
		iov.iov_base = (void *)zero;
		iov.iov_len = len < sizeof(zero) ? len : sizeof(zero);
		n = d->ops->pwritev(d->fd, &iov, 1, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return VIRTIO_BLK_S_IOERR;
		off += n;
		len -= (uint64_t)n;
	}
	return VIRTIO_BLK_S_OK;
}

/*
 * fallocate(@mode) with its fallback: a file system without it answers
 * EOPNOTSUPP once, and *@works stays false from then on.  Returns 1 when
 * the caller must do it another way.
 */
static int try_fallocate(struct co_blk *d, bool *works, int mode, off_t off,
			 uint64_t len)
{
	if (!*works)
		return 1;
	while (d->ops->fallocate(d->fd, mode, off, (off_t)len)) {
		if (errno == EINTR)
			continue;
		if (errno == EOPNOTSUPP || errno == ENOSYS) {
			*works = false;
			return 1;
		}
		return -1;
	}
	return 0;
}

static int one_segment(struct co_blk *d, uint32_t type, off_t off, uint64_t len,
		       bool unmap)
{
	int keep = FALLOC_FL_KEEP_SIZE, ret;

	if (type == VIRTIO_BLK_T_DISCARD) {
		/* Advisory: a host that cannot punch holes keeps the data. */
		ret = try_fallocate(d, &d->punch, FALLOC_FL_PUNCH_HOLE | keep,
				    off, len);
		return ret < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	}
	ret = 1;
	if (unmap)
		ret = try_fallocate(d, &d->punch, FALLOC_FL_PUNCH_HOLE | keep,
				    off, len);
	if (ret > 0)
		ret = try_fallocate(d, &d->zero_range,
				    FALLOC_FL_ZERO_RANGE | keep, off, len);
	if (ret > 0)
		return write_zeroes(d, off, len);
	return ret < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

/* DISCARD and WRITE_ZEROES: every segment checked before any is done. */
static int do_segments(struct co_blk *d, struct req *r)
{
	struct virtio_blk_discard_write_zeroes seg[CO_BLK_MAX_SEG];
	uint32_t allowed = r->type == VIRTIO_BLK_T_WRITE_ZEROES ?
				   VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP :
				   0;
	size_t n = r->len / sizeof(seg[0]), i;
	int status = VIRTIO_BLK_S_OK;

	if (d->ro || !n || r->len % sizeof(seg[0]) || n > CO_BLK_MAX_SEG)
		return VIRTIO_BLK_S_IOERR;
	co_iov_to_buf(r->data, (unsigned int)r->ndata, 0, seg, r->len);
	for (i = 0; i < n; i++) {
		if (le32toh(seg[i].flags) & ~allowed)
			return VIRTIO_BLK_S_UNSUPP;
		if (le32toh(seg[i].num_sectors) > CO_BLK_MAX_SECTORS ||
		    !in_range(d, le64toh(seg[i].sector),
			      (uint64_t)le32toh(seg[i].num_sectors) *
				      CO_BLK_SECTOR))
			return VIRTIO_BLK_S_IOERR;
	}
	d->st.discards++;
	for (i = 0; i < n && status == VIRTIO_BLK_S_OK; i++)
		status = one_segment(
			d, r->type,
			(off_t)(le64toh(seg[i].sector) * CO_BLK_SECTOR),
			(uint64_t)le32toh(seg[i].num_sectors) * CO_BLK_SECTOR,
			le32toh(seg[i].flags) &
				VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP);
	return status;
}

/*
 * Where the data is: after the header for requests that carry data to the
 * device, before the status byte for those that bring data back.
 */
static int find_data(const struct co_vq_chain *c, struct req *r)
{
	const struct iovec *in = c->iov + c->nout;
	bool to_device = r->type == VIRTIO_BLK_T_OUT ||
			 r->type == VIRTIO_BLK_T_DISCARD ||
			 r->type == VIRTIO_BLK_T_WRITE_ZEROES;

	if (to_device) {
		r->len = c->out_len - sizeof(struct virtio_blk_outhdr);
		r->ndata = co_iov_slice(c->iov, c->nout,
					sizeof(struct virtio_blk_outhdr),
					r->len, r->data, CO_VQ_MAX_IOV);
	} else {
		r->len = c->in_len - 1;
		r->ndata = co_iov_slice(in, c->nin, 0, r->len, r->data,
					CO_VQ_MAX_IOV);
	}
	return r->ndata < 0 ? -1 : 0;
}

static int serve(struct co_blk *d, const struct co_vq_chain *c, struct req *r)
{
	struct virtio_blk_outhdr h;

	if (d->failed || c->out_len < sizeof(h))
		return VIRTIO_BLK_S_IOERR;
	co_iov_to_buf(c->iov, c->nout, 0, &h, sizeof(h));
	r->type = le32toh(h.type);
	r->sector = le64toh(h.sector);
	if (find_data(c, r))
		return VIRTIO_BLK_S_IOERR;
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		return do_read(d, r);
	case VIRTIO_BLK_T_OUT:
		return do_write(d, r);
	case VIRTIO_BLK_T_FLUSH:
		return do_flush(d);
	case VIRTIO_BLK_T_GET_ID:
		return do_get_id(d, r);
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		return do_segments(d, r);
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

uint32_t co_blk_request(struct co_blk *d, const struct co_vq_chain *c)
{
	struct req r; /* 16 KiB of iovecs: on the I/O thread's stack */
	uint8_t status;

	if (!c->in_len)
		return 0;
	r.written = 0;
	status = (uint8_t)serve(d, c, &r);
	if (status != VIRTIO_BLK_S_OK) {
		d->st.errors++;
		r.written = 0;
	}
	co_iov_from_buf(c->iov + c->nout, c->nin, c->in_len - 1, &status, 1);
	return r.written + 1;
}
