// SPDX-License-Identifier: GPL-2.0
/* gmem.c --- guest physical address to the daemon's mapping (pure). */
#include <stddef.h>

#include "gmem.h"

void co_gmem_init(struct co_gmem *gm, const struct colinux_block *blocks,
		  unsigned int nr, void *map)
{
	uint8_t *p = map;
	unsigned int i;

	gm->nr = nr < COLINUX_MAX_BLOCKS ? nr : COLINUX_MAX_BLOCKS;
	for (i = 0; i < gm->nr; i++) {
		gm->blk[i].phys = blocks[i].phys;
		gm->blk[i].size = blocks[i].size;
		gm->blk[i].host = p;
		p += blocks[i].size;
	}
}

void *co_gmem_ptr(const struct co_gmem *gm, uint64_t pa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < gm->nr; i++) {
		const struct co_gmem_block *b = &gm->blk[i];

		/* Written so that no sum can overflow: pa and len are the guest's. */
		if (pa >= b->phys && pa - b->phys <= b->size &&
		    len <= b->size - (pa - b->phys))
			return b->host + (pa - b->phys);
	}
	return NULL;
}
