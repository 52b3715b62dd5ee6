/* SPDX-License-Identifier: GPL-2.0 */
/* ext.h --- whole-filesystem facts and fixes on ext2/3/4 images (libext2fs). */
#ifndef CO_IMG_EXT_H
#define CO_IMG_EXT_H

#include <stdbool.h>
#include <stdint.h>

#include <et/com_err.h>

#include <co/err.h>

struct co_ext_info {
	uint32_t block_size;
	uint64_t blocks;
	bool needs_recovery; /* the journal holds changes not yet written */
};

/* libext2fs's message for @code (registering its error table first). */
const char *co_ext_strerror(errcode_t code);

/* Fails when @path is not an ext2/3/4 filesystem. */
int co_ext_info(const char *path, struct co_ext_info *info, struct co_err *err);

/* Record "@what: <libext2fs message>" in @err and return -EIO. */
int co_ext_fail(struct co_err *err, errcode_t code, const char *what);

/*
 * Clamp every inode's access, change, modification and creation times to at
 * most @epoch, so that an image built from the same files twice is the same
 * byte for byte (mke2fs -d copies ctimes, which no one can set).
 */
int co_ext_clamp_times(const char *path, int64_t epoch, struct co_err *err);

#endif
