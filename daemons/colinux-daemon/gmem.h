/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmem.h --- guest RAM as colinux-daemon sees it: the driver's blocks,
 * mapped one after the other from offset 0 of /dev/colinux.
 *
 * Guest physical addresses are host physical addresses, so the only
 * translation is from a guest PA to the daemon's mapping of its block.
 */
#ifndef CO_GMEM_H
#define CO_GMEM_H

#include <stdint.h>

#include <colinux/ioctl.h>

struct co_gmem_block {
	uint64_t phys;
	uint64_t size;
	uint8_t *host; /* where the daemon sees it */
};

struct co_gmem {
	unsigned int nr;
	struct co_gmem_block blk[COLINUX_MAX_BLOCKS];
};

/* The blocks as SETUP gave them, mapped consecutively at @map. */
void co_gmem_init(struct co_gmem *gm, const struct colinux_block *blocks,
		  unsigned int nr, void *map);
/* The daemon's view of guest [pa, pa + len), or NULL unless in one block. */
void *co_gmem_ptr(const struct co_gmem *gm, uint64_t pa, uint64_t len);

#endif
