/* SPDX-License-Identifier: GPL-2.0 */
/* fstab.h --- adapt a guest's /etc/fstab to coLinux (pure text transform). */
#ifndef CO_IMG_FSTAB_H
#define CO_IMG_FSTAB_H

#include <stddef.h>

struct co_fstab_stats {
	int root_found; /* 1 when a "/" entry existed (it now names root) */
	int root_added; /* 1 when no "/" entry existed and one was added */
	int commented; /* entries commented out: devices that cannot exist */
	int swap_mapped; /* 1 when a swap entry now names the swap device */
};

/*
 * Rewrite @in (@len bytes, need not end in a newline) for a guest whose root
 * is @root_dev (e.g. "/dev/cobd0") holding a @root_fstype filesystem: the "/"
 * entry names @root_dev; entries naming disks, partitions, UUIDs or labels
 * that do not exist under coLinux are commented out with a note; virtual and
 * network filesystems, bind mounts and files on the root filesystem (swap
 * files) are kept.  With @swap_dev (e.g. "/dev/cobd1"), the first swap entry
 * naming a device is pointed at it instead of being commented out.
 * Comments, blank lines and spacing of kept lines are kept.
 * Running it on its own output changes nothing.  Returns a malloc'd string in
 * @out, or -ENOMEM.
 */
int co_fstab_adapt(const char *in, size_t len, const char *root_dev,
		   const char *root_fstype, const char *swap_dev, char **out,
		   struct co_fstab_stats *stats);

#endif
