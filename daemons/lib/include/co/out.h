/* SPDX-License-Identifier: GPL-2.0 */
/*
 * out.h --- write an output file so that no half-written file ever carries
 * its final name: work on a temporary file beside it, then flush and rename.
 */
#ifndef CO_OUT_H
#define CO_OUT_H

#include <stdbool.h>

#include <co/err.h>

struct co_out {
	const char *path; /* the final name */
	char *tmp; /* the temporary name, in the same directory */
};

/*
 * Refuse an existing @path unless @force, then create the temporary file.
 * Until co_out_commit() or co_out_abort(), SIGINT/SIGTERM/SIGHUP remove it.
 */
int co_out_begin(struct co_out *out, const char *path, bool force,
		 struct co_err *err);
/* fsync the temporary file, rename it to the final name, fsync the dir. */
int co_out_commit(struct co_out *out, struct co_err *err);
void co_out_abort(struct co_out *out);

#endif
