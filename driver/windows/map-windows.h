/* SPDX-License-Identifier: GPL-2.0 */
/* map-windows.h --- guest RAM in the daemon, for colinux.c (map-windows.c). */
#ifndef CO_MAP_WINDOWS_H
#define CO_MAP_WINDOWS_H

#include <colinux/ioctl.h>

struct co_vm;

/* Guest RAM as mapped into the daemon: one MDL per block, back to back. */
struct co_win_ram {
	PEPROCESS process; /* the one that mapped it, referenced; or NULL */
	u8 *addr;
	unsigned int nr_mdls;
	PMDL mdls[COLINUX_MAX_BLOCKS];
};

/* COLINUX_WIN_MAP_RAM, in the calling process; -errno on failure. */
int co_win_map_ram(struct co_win_ram *r, struct co_vm *vm,
		   struct colinux_win_map *m);
/* Takes the view away (attached to its process); no-op when none. */
void co_win_unmap_ram(struct co_win_ram *r);

/* fn(arg), or the code of the exception it raised (guard-windows.S). */
long co_win_guarded(long (*fn)(void *), void *arg);

#endif
