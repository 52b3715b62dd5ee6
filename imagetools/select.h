/* SPDX-License-Identifier: GPL-2.0 */
/* select.h --- choose the partition of a probed disk that holds the root. */
#ifndef CO_IMG_SELECT_H
#define CO_IMG_SELECT_H

#include "disk.h"

/*
 * The partition numbered @number, or with @number < 0 the root filesystem
 * (co_disk_find_root(), looking inside when the disk is readable as raw).
 * Fills @rc; fails with a reason when there is no such partition.
 */
int co_select_part(const struct co_disk *disk, int number,
		   struct co_root_choice *rc, struct co_err *err);

#endif
