/* SPDX-License-Identifier: GPL-2.0 */
/*
 * image.h --- what cobd asks of its host to serve a disk: an image file or a
 * block device opened, identified, locked against other daemons and sized.
 * image-linux.c or image-windows.c, chosen by the Makefile (daemons.mk,
 * win.mk); each also has the I/O calls blk.c makes (co_blk_sys_ops).  An
 * open image is a C runtime file descriptor on both hosts (on Windows, one
 * of the image's handle).  Every function returns 0 (or a descriptor) or
 * -errno.
 */
#ifndef CO_IMAGE_H
#define CO_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

enum co_image_kind {
	CO_IMAGE_FILE,
	CO_IMAGE_DEVICE, /* a block device, \\.\PhysicalDriveN, \\.\X: */
	CO_IMAGE_DIR,
	CO_IMAGE_OTHER,
};

struct co_image_stat {
	enum co_image_kind kind;
	/* two paths to one image compare equal */
	uint64_t dev, ino;
	/*
	 * Set when the file says it must not be written ("mode 0444", "the
	 * read-only attribute"): the guest gets it read-only.
	 */
	char ro_why[32];
};

/* What @path is, before it is opened. */
int co_image_stat(const char *path, struct co_image_stat *st);
/* Open @path for reading, and writing when @write. */
int co_image_open(const char *path, bool write);
/*
 * Lock the open image @fd, which co_image_stat described in @st, for this
 * process's life (shared when !@write): -EBUSY when another process holds
 * it, with its id in *@holder, or 0 when the host cannot say whose it is.
 */
int co_image_lock(int fd, const struct co_image_stat *st, bool write,
		  long *holder);
/*
 * The image's size in bytes, and its host block size in *@blksize (@st as
 * above: on Windows a disk's handle and a file's cannot be told apart).
 */
int co_image_size(int fd, const struct co_image_stat *st, uint64_t *bytes,
		  unsigned int *blksize);
/* Close it (which releases the lock). */
void co_image_close(int fd);

#endif
