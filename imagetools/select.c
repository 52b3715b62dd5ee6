// SPDX-License-Identifier: GPL-2.0
/* select.c --- pick a partition by number, or find the root filesystem. */
#include <errno.h>

#include "rootfs.h"
#include "select.h"

/* Whether an ext partition holds /etc/fstab, read in place with libext2fs. */
static bool part_has_fstab(const struct co_part *part, void *ctx)
{
	const struct co_disk *disk = ctx;

	return co_fs_is_ext(part->fstype) &&
	       co_rootfs_has_fstab(co_disk_raw_path(disk), part->start);
}

int co_select_part(const struct co_disk *disk, int number,
		   struct co_root_choice *rc, struct co_err *err)
{
	if (number < 0)
		return co_disk_find_root(
			disk,
			co_disk_raw_complete(disk) ? part_has_fstab : NULL,
			(void *)disk, rc, err);
	for (int i = 0; i < disk->nparts; i++) {
		if (disk->part[i].number == number) {
			rc->index = i;
			rc->why = "chosen with --partition";
			return 0;
		}
	}
	if (!disk->pttype[0])
		return co_fail(err, -ENOENT,
			       "no partition table: there is no partition %d",
			       number);
	return co_fail(err, -ENOENT, "no partition %d in its %s table", number,
		       disk->pttype);
}
