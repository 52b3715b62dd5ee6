/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux/virtio_colinux.h --- what other drivers ask of the coLinux virtio
 * transport (drivers/virtio/virtio_colinux.c).
 */
#ifndef _LINUX_VIRTIO_COLINUX_H
#define _LINUX_VIRTIO_COLINUX_H

#include <linux/types.h>

struct virtio_device;

#ifdef CONFIG_VIRTIO_COLINUX
/*
 * The name of a coLinux disk, "cobd<unit>" with the unit the host gave it,
 * in @buf (@len bytes); false, @buf untouched, for a device of another
 * transport.
 */
bool virtio_colinux_disk_name(struct virtio_device *vdev, char *buf,
			      size_t len);
#else
static inline bool virtio_colinux_disk_name(struct virtio_device *vdev,
					    char *buf, size_t len)
{
	return false;
}
#endif

#endif
