/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rootfs.h --- adapt the system inside an ext2/3/4 image to coLinux, through
 * libext2fs: no mounting, no root, no loop device.
 */
#ifndef CO_IMG_ROOTFS_H
#define CO_IMG_ROOTFS_H

#include <stdbool.h>

#include <co/err.h>

#include "fstab.h"

struct co_rootfs_report {
	bool has_fstab; /* /etc/fstab existed */
	struct co_fstab_stats fstab; /* what the fstab rewrite did */
	const char *console; /* how the hvc0 getty was set up */
	bool udev_rules; /* the cobdN by-uuid/by-label rule was installed */
	bool mount_cofs; /* /sbin/mount.cofs was installed */
};

/*
 * In the filesystem image @path: point the root entry of /etc/fstab at
 * @root_dev (a @fstype filesystem), its swap at @swap_dev if not NULL, and
 * comment out entries that cannot exist (fstab.h), and start a
 * login prompt on the coLinux console hvc0 (systemd: serial-getty@hvc0
 * enabled; sysvinit: an inittab line), and, where udev runs, install the
 * rule that gives cobdN disks their /dev/disk/by-uuid and by-label links,
 * and, where /sbin is, the mount.cofs helper (mode 0755).  Idempotent.
 */
int co_rootfs_adapt(const char *path, const char *root_dev, const char *fstype,
		    const char *swap_dev, struct co_rootfs_report *rep,
		    struct co_err *err);

/* Whether @path (with @offset) is an ext filesystem holding /etc/fstab. */
bool co_rootfs_has_fstab(const char *path, unsigned long long offset);

#endif
