/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qimg.h --- every disk format through qemu-img.
 *
 * colinux-img never parses qcow2, vmdk or vdi itself: qemu-img reads them.  A
 * byte range of a disk is named with a "json:" filename that stacks QEMU's raw
 * driver (offset, size) on the format driver, so a partition can be copied
 * out, or a few sectors copied into a sparse file, in one qemu-img call.
 */
#ifndef CO_IMG_QIMG_H
#define CO_IMG_QIMG_H

#include <stdbool.h>
#include <stdint.h>

#include <co/err.h>

/* The format qemu-img detects (into @format, @len bytes) and virtual size. */
int co_qimg_info(const char *path, char *format, int len, uint64_t *size,
		 struct co_err *err);

/* A malloc'd "json:" name for bytes [@offset, @offset + @size) of @path. */
char *co_qimg_range(const char *path, const char *format, uint64_t offset,
		    uint64_t size);

/*
 * Copy @src (a path or range name) to @dst as raw data, keeping zeros sparse.
 * With @create, @dst is created (replacing a file of that name); without, it
 * is an existing file or range written in place.  @progress shows qemu-img's
 * progress on the terminal.
 */
int co_qimg_copy(const char *src, const char *dst, bool create, bool progress,
		 struct co_err *err);

#endif
