// SPDX-License-Identifier: GPL-2.0
/*
 * cobd.c --- cobdN=PATH[,ro]: virtio-blk on a raw image file or a block
 * device.  Buffered I/O (guest RAM cannot be pinned for O_DIRECT, memo C.5),
 * FLUSH always offered and answered with the host's flush (C.2), discard by
 * punching holes (C.3), serial "cobdN" (C.4).  The host's part, opening,
 * locking and sizing an image and its I/O calls, is image.h.
 *
 * Two daemons must never write one image: it is locked for the daemon's
 * life (shared for a read-only disk), and the same image twice in one
 * daemon is refused before it is opened.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_blk.h>
#include <linux/virtio_ids.h>
#include <co/log.h>

#include "blk.h"
#include "cobd.h"
#include "image.h"

#define QUEUE_SIZE 256

struct cobd {
	struct co_dev dev; /* first: the device layer's view */
	struct co_blk blk;
	char *key; /* "cobdN=PATH", for messages */
	struct co_image_stat img; /* what co_image_stat said */
	bool flush_logged;
};

static struct cobd *to_cobd(struct co_dev *dev)
{
	return (struct cobd *)dev;
}

static uint32_t cobd_request(struct co_dev *dev, struct co_vq_chain *c)
{
	struct cobd *d = to_cobd(dev);
	uint32_t len = co_blk_request(&d->blk, c);

	if (d->blk.failed && !d->flush_logged) {
		d->flush_logged = true;
		co_err("%s: flush failed (%s): what the guest wrote since its last flush may be lost; every later request fails",
		       d->key, strerror(d->blk.flush_errno));
	}
	return len;
}

static void cobd_notify(struct co_dev *dev, unsigned int q)
{
	co_dev_serve(dev, q, cobd_request);
}

static void cobd_destroy(struct co_dev *dev)
{
	struct cobd *d = to_cobd(dev);

	co_dbg("%s: %llu reads (%llu bytes), %llu writes (%llu bytes), %llu flushes, %llu discards, %llu errors",
	       d->key, (unsigned long long)d->blk.st.reads,
	       (unsigned long long)d->blk.st.bytes_read,
	       (unsigned long long)d->blk.st.writes,
	       (unsigned long long)d->blk.st.bytes_written,
	       (unsigned long long)d->blk.st.flushes,
	       (unsigned long long)d->blk.st.discards,
	       (unsigned long long)d->blk.st.errors);
	co_dev_fini(dev);
	if (d->blk.fd >= 0)
		co_image_close(d->blk.fd); /* releases the lock */
	free(d->key);
	free(d);
}

static const struct co_dev_ops cobd_ops = {
	.name = "cobd",
	.type = VIRTIO_ID_BLOCK,
	.notify = cobd_notify,
	.destroy = cobd_destroy,
};

/* The path names a file or block device no other cobd has. */
static int check_path(struct co_devs *s, struct cobd *d, const char *path,
		      struct co_err *err)
{
	struct co_image_stat st;
	int ret = co_image_stat(path, &st);

	if (ret)
		return co_fail(err, ret, "%s: %s", d->key,
			       ret == -ENOENT ? "no such file" :
						strerror(-ret));
	if (st.kind == CO_IMAGE_DIR)
		return co_fail(err, -EISDIR,
			       "%s: is a directory, not a disk image", d->key);
	if (st.kind == CO_IMAGE_OTHER)
		return co_fail(err, -EINVAL,
			       "%s: neither a file nor a block device", d->key);
	for (unsigned int i = 0; i < s->nr; i++) {
		struct cobd *o = to_cobd(s->dev[i]);

		if (s->dev[i]->ops == &cobd_ops && o->img.dev == st.dev &&
		    o->img.ino == st.ino)
			return co_fail(
				err, -EBUSY,
				"%s: the same image as %s; a disk can be given only once",
				d->key, o->key);
	}
	d->img = st;
	if (!d->blk.ro && st.ro_why[0]) {
		co_warn("%s: not writable (%s): the guest gets it read-only",
			d->key, st.ro_why);
		d->blk.ro = true;
	}
	return 0;
}

/* Another process has the image (@holder: its id, or 0 when unknown). */
static int busy(struct cobd *d, long holder, struct co_err *err)
{
	char who[32] = "another process";

	if (holder)
		snprintf(who, sizeof(who), "process %ld", holder);
	return co_fail(
		err, -EBUSY,
		"%s: locked by %s (another colinux-daemon?): two guests must not share a disk",
		d->key, who);
}

/*
 * Read-write if allowed and wanted; a disk the daemon may not open for
 * writing (a read-only file system, or not root) is read-only.
 */
static int open_image(struct cobd *d, const char *path, struct co_err *err)
{
	int fd = -1, why = 0;

	if (!d->blk.ro) {
		fd = co_image_open(path, true);
		if (fd == -EBUSY) /* Windows: a writer shares reads only */
			return busy(d, 0, err);
		if (fd < 0 && fd != -EACCES && fd != -EPERM && fd != -EROFS)
			return co_fail(err, fd, "%s: cannot be opened: %s",
				       d->key, strerror(-fd));
		why = fd < 0 ? -fd : 0;
	}
	if (fd < 0)
		fd = co_image_open(path, false);
	if (fd < 0)
		return co_fail(err, fd, "%s: cannot be read: %s", d->key,
			       strerror(-fd));
	if (why) {
		co_warn("%s: not writable (%s): the guest gets it read-only",
			d->key, strerror(why));
		d->blk.ro = true;
	}
	d->blk.fd = fd;
	return 0;
}

static int lock_image(struct cobd *d, struct co_err *err)
{
	long holder;
	int ret = co_image_lock(d->blk.fd, &d->img, !d->blk.ro, &holder);

	if (ret == -EBUSY)
		return busy(d, holder, err);
	if (ret)
		return co_fail(err, ret, "%s: cannot be locked: %s", d->key,
			       strerror(-ret));
	return 0;
}

static int find_size(struct cobd *d, struct co_err *err)
{
	uint64_t bytes;
	unsigned int blksize;
	int ret = co_image_size(d->blk.fd, &d->img, &bytes, &blksize);

	if (ret)
		return co_fail(err, ret, "%s: its size: %s", d->key,
			       strerror(-ret));
	if (bytes % CO_BLK_SECTOR)
		co_warn("%s: size %llu is not a multiple of 512; the guest gets %llu whole sectors, the last %llu bytes are not served",
			d->key, (unsigned long long)bytes,
			(unsigned long long)(bytes / CO_BLK_SECTOR),
			(unsigned long long)(bytes % CO_BLK_SECTOR));
	d->blk.sectors = bytes / CO_BLK_SECTOR;
	return blksize >= CO_BLK_SECTOR ? (int)blksize : CO_BLK_SECTOR;
}

/* Features and virtio_blk_config (memo C.1, C.3). */
static void describe(struct cobd *d, int blksize)
{
	struct virtio_blk_config c;
	struct co_dev *dev = &d->dev;

	memset(&c, 0, sizeof(c));
	c.capacity = htole64(d->blk.sectors);
	c.seg_max = htole32(QUEUE_SIZE - 2);
	c.blk_size = htole32(CO_BLK_SECTOR);
	dev->host_features |= (1ull << VIRTIO_BLK_F_SEG_MAX) |
			      (1ull << VIRTIO_BLK_F_BLK_SIZE) |
			      (1ull << VIRTIO_BLK_F_FLUSH);
	if (d->blk.ro) {
		dev->host_features |= 1ull << VIRTIO_BLK_F_RO;
	} else {
		dev->host_features |= (1ull << VIRTIO_BLK_F_DISCARD) |
				      (1ull << VIRTIO_BLK_F_WRITE_ZEROES);
		c.max_discard_sectors = htole32(CO_BLK_MAX_SECTORS);
		c.max_discard_seg = htole32(CO_BLK_MAX_SEG);
		c.discard_sector_alignment =
			htole32((uint32_t)blksize / CO_BLK_SECTOR);
		c.max_write_zeroes_sectors = htole32(CO_BLK_MAX_SECTORS);
		c.max_write_zeroes_seg = htole32(CO_BLK_MAX_SEG);
		c.write_zeroes_may_unmap = 1;
	}
	memcpy(dev->config, &c, sizeof(c));
	dev->config_len = sizeof(c);
}

static int setup(struct co_devs *s, struct cobd *d, const char *path,
		 struct co_err *err)
{
	int ret;

	ret = check_path(s, d, path, err);
	if (!ret)
		ret = open_image(d, path, err);
	if (!ret)
		ret = lock_image(d, err);
	if (!ret)
		ret = find_size(d, err);
	if (ret < 0)
		return ret;
	describe(d, ret);
	ret = co_dev_init(&d->dev, &cobd_ops, d->blk.unit, 1, QUEUE_SIZE);
	if (ret)
		return co_fail(err, ret, "%s: %s", d->key, strerror(-ret));
	return 0;
}

int co_cobd_create(struct co_devs *s, unsigned int unit, const char *path,
		   unsigned int flags, struct co_err *err)
{
	struct cobd *d = calloc(1, sizeof(*d));
	int ret;

	if (!d || asprintf(&d->key, "cobd%u=%s", unit, path) < 0) {
		free(d);
		return co_fail(err, -ENOMEM, "cobd%u: out of memory", unit);
	}
	if (s->nr == COLINUX_MAX_DEVICES) {
		ret = co_fail(err, -ENOSPC, "%s: more than %d devices", d->key,
			      COLINUX_MAX_DEVICES);
		goto fail;
	}
	d->blk = (struct co_blk){ .ops = &co_blk_sys_ops,
				  .fd = -1,
				  .unit = unit,
				  .ro = flags & CO_COBD_RO,
				  .unsafe = flags & CO_COBD_UNSAFE,
				  .punch = true,
				  .zero_range = true };
	ret = setup(s, d, path, err);
	if (ret)
		goto fail;
	co_dbg("%s: %llu sectors%s", d->key, (unsigned long long)d->blk.sectors,
	       d->blk.ro ? ", read-only" : "");
	if (d->blk.unsafe && !d->blk.ro)
		co_warn("%s: unsafe: the guest's flushes are not passed on; what it synced is lost if the host goes down",
			d->key);
	s->dev[s->nr++] = &d->dev;
	return 0;
fail:
	if (d->blk.fd >= 0)
		co_image_close(d->blk.fd);
	free(d->key);
	free(d);
	return ret;
}
