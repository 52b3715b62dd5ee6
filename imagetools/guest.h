/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest.h --- adapt the system inside an ext2/3/4 image to coLinux, through
 * libext2fs: no mounting, no root, no loop device.
 */
#ifndef CO_IMG_GUEST_H
#define CO_IMG_GUEST_H

#include <stdbool.h>

#include <co/err.h>

#include "fstab.h"

struct co_guest_report {
	bool has_fstab; /* /etc/fstab existed */
	struct co_fstab_stats fstab; /* what the fstab rewrite did */
	const char *console; /* how the hvc0 getty was set up */
};

/*
 * In the filesystem image @path: point the root entry of /etc/fstab at
 * @root_dev (a @fstype filesystem), its swap at @swap_dev if not NULL, and
 * comment out entries that cannot exist (fstab.h), and start a
 * login prompt on the coLinux console hvc0 (systemd: serial-getty@hvc0
 * enabled; sysvinit: an inittab line).  Idempotent.
 */
int co_guest_adapt(const char *path, const char *root_dev, const char *fstype,
		   const char *swap_dev, struct co_guest_report *rep,
		   struct co_err *err);

/* Whether @path (with @offset) is an ext filesystem holding /etc/fstab. */
bool co_guest_has_fstab(const char *path, unsigned long long offset);

#endif
