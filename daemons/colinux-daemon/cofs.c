// SPDX-License-Identifier: GPL-2.0
/*
 * cofs.c --- cofsN=DIR[,ro]: virtio-9p on the 9P2000.L server of
 * cofs_fs.c.  One request queue; feature VIRTIO_9P_MOUNT_TAG with the tag
 * "cofsN" in the config space, so the guest mounts it with
 * "mount -t 9p -o trans=virtio,version=9p2000.L cofsN /mnt".
 *
 * A request is one chain: the T-message in the device-readable buffers, the
 * R-message into the device-writable ones.  The T-message is copied out of
 * guest memory whole before it is decoded (the guest cannot change it under
 * the decoder), and the reply is built in the daemon's buffer and copied in
 * afterwards, at most as many bytes as the writable part holds.  Requests are
 * served one at a time on the device's I/O thread.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_9p.h>
#include <linux/virtio_ids.h>
#include <co/log.h>

#include "cofs.h"
#include "cofs_fs.h"

#define QUEUE_SIZE 128

struct cofs {
	struct co_dev dev; /* first: the device layer's view */
	struct co_fs *fs;
	char *key; /* "cofsN=DIR", for messages */
	uint8_t req[CO_FS_MSIZE];
	uint8_t rep[CO_FS_MSIZE];
};

static struct cofs *to_cofs(struct co_dev *dev)
{
	return (struct cofs *)dev;
}

static uint32_t cofs_request(struct co_dev *dev, struct co_vq_chain *c)
{
	struct cofs *d = to_cofs(dev);
	size_t len = co_iov_to_buf(c->iov, c->nout, 0, d->req, sizeof(d->req));
	size_t cap = c->in_len < sizeof(d->rep) ? c->in_len : sizeof(d->rep);
	size_t n = co_fs_serve(d->fs, d->req, len, d->rep, cap);

	return (uint32_t)co_iov_from_buf(c->iov + c->nout, c->nin, 0, d->rep,
					 n);
}

static void cofs_notify(struct co_dev *dev, unsigned int q)
{
	co_dev_serve(dev, q, cofs_request);
}

static void cofs_reset(struct co_dev *dev)
{
	co_fs_reset(to_cofs(dev)->fs);
}

static void cofs_destroy(struct co_dev *dev)
{
	struct cofs *d = to_cofs(dev);

	co_dev_fini(dev);
	co_fs_close(d->fs);
	free(d->key);
	free(d);
}

static const struct co_dev_ops cofs_ops = {
	.name = "cofs",
	.type = VIRTIO_ID_9P,
	.notify = cofs_notify,
	.reset = cofs_reset,
	.destroy = cofs_destroy,
};

/* Feature and config: struct virtio_9p_config, le16 length and the tag. */
static void describe(struct cofs *d, unsigned int unit)
{
	char tag[16];
	int n = snprintf(tag, sizeof(tag), "cofs%u", unit);
	uint16_t len = htole16((uint16_t)n);

	d->dev.host_features |= 1ull << VIRTIO_9P_MOUNT_TAG;
	memcpy(d->dev.config, &len, sizeof(len));
	memcpy(d->dev.config + sizeof(len), tag, (size_t)n);
	d->dev.config_len = sizeof(len) + (uint32_t)n;
}

int co_cofs_create(struct co_devs *s, unsigned int unit, const char *dir,
		   unsigned int flags, struct co_err *err)
{
	struct cofs *d = calloc(1, sizeof(*d));
	int ret;

	if (!d || asprintf(&d->key, "cofs%u=%s", unit, dir) < 0) {
		free(d);
		return co_fail(err, -ENOMEM, "cofs%u: out of memory", unit);
	}
	if (s->nr == COLINUX_MAX_DEVICES) {
		ret = co_fail(err, -ENOSPC, "%s: more than %d devices", d->key,
			      COLINUX_MAX_DEVICES);
		goto fail;
	}
	ret = co_fs_open(&d->fs, d->key, dir, flags & CO_COFS_RO, err);
	if (ret)
		goto fail;
	describe(d, unit);
	ret = co_dev_init(&d->dev, &cofs_ops, unit, 1, QUEUE_SIZE);
	if (ret) {
		co_fs_close(d->fs);
		ret = co_fail(err, ret, "%s: %s", d->key, strerror(-ret));
		goto fail;
	}
	co_dbg("%s: tag cofs%u%s", d->key, unit,
	       flags & CO_COFS_RO ? ", read-only" : "");
	s->dev[s->nr++] = &d->dev;
	return 0;
fail:
	free(d->key);
	free(d);
	return ret;
}
