/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cofs_fs.h --- the 9P2000.L file server of cofs, on one host directory
 * (memo E.3).
 *
 * The server holds file descriptors, never path strings: the share root is
 * an O_PATH descriptor and every fid is one, reached one validated name at a
 * time with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV) from its parent.  The guest
 * (root included) is the adversary: nothing it sends reaches a host file
 * outside the share, and nothing it sends crashes the daemon.
 */
#ifndef CO_COFS_FS_H
#define CO_COFS_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <co/err.h>

/* The largest message size the server agrees to (Tversion). */
#define CO_FS_MSIZE (512u << 10)
/* Fids per share; more are refused with EMFILE. */
#define CO_FS_MAX_FIDS 16384

struct co_fs;

/*
 * Serve the directory @dir, read-only if @ro; files the guest creates
 * belong to @dir's owner.  0 with *@fs, or -errno with one line in @err
 * naming @key (the configuration token) and the reason.
 */
int co_fs_open(struct co_fs **fs, const char *key, const char *dir, bool ro,
	       struct co_err *err);
void co_fs_close(struct co_fs *fs);

/*
 * Answer the T-message in @req (@len bytes, copied out of guest memory) with
 * an R-message in @rep (at most @cap bytes); its length, 0 only when not even
 * an Rlerror fits or @req has no header.
 */
size_t co_fs_serve(struct co_fs *fs, const uint8_t *req, size_t len,
		   uint8_t *rep, size_t cap);

/* The guest went away (device reset): clunk every fid. */
void co_fs_reset(struct co_fs *fs);

#endif
