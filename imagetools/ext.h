/* SPDX-License-Identifier: GPL-2.0 */
/* ext.h --- whole-filesystem facts and fixes on ext2/3/4 images (libext2fs). */
#ifndef CO_IMG_EXT_H
#define CO_IMG_EXT_H

#include <stdbool.h>
#include <stdint.h>

#include <et/com_err.h>

#include <co/err.h>

struct co_ext_geometry {
	uint32_t block_size;
	uint64_t blocks;
};

/* libext2fs's message for @code (registering its error table first). */
const char *co_ext_strerror(errcode_t code);

int co_ext_geometry(const char *path, struct co_ext_geometry *geo,
		    struct co_err *err);

/* Whether the journal holds changes not yet written (unclean shutdown). */
int co_ext_needs_recovery(const char *path, bool *needs, struct co_err *err);

/*
 * Clamp every inode's access, change, modification and creation times to at
 * most @epoch, so that an image built from the same files twice is the same
 * byte for byte (mke2fs -d copies ctimes, which no one can set).
 */
int co_ext_clamp_times(const char *path, int64_t epoch, struct co_err *err);

#endif
