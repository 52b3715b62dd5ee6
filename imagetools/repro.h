/* SPDX-License-Identifier: GPL-2.0 */
/*
 * repro.h --- reproducible builds: SOURCE_DATE_EPOCH, and UUIDs derived from
 * the inputs instead of drawn at random when it is set.
 */
#ifndef CO_IMG_REPRO_H
#define CO_IMG_REPRO_H

#include <stdbool.h>
#include <stdint.h>

#include <co/err.h>

/*
 * SOURCE_DATE_EPOCH: 0 and *@set = false when unset; -EINVAL (with the reason
 * in @err) when set to something other than a number of seconds.
 */
int co_repro_epoch(int64_t *epoch, bool *set, struct co_err *err);

/*
 * A name-based (SHA-1, RFC 4122 version 5) UUID in @out for an image of @kind
 * ("ext", "swap") named @path (only its base name counts, so the build
 * directory does not), with @label, @size and @epoch: the same inputs always
 * give the same UUID, different ones a different UUID.
 */
void co_repro_image_uuid(char out[37], const char *kind, const char *path,
			 const char *label, uint64_t size, int64_t epoch);

#endif
