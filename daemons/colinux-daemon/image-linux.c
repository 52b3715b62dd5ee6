// SPDX-License-Identifier: GPL-2.0
/*
 * image-linux.c --- cobd's images on Linux (image.h): a file or a block
 * device, locked with a classic POSIX record lock over the whole file
 * (write lock, or read lock for a read-only disk).  Not an OFD lock:
 * F_OFD_GETLK reports the holder's pid as -1, and the refusal must name the
 * holder.  The process-wide semantics of POSIX locks are safe here because
 * the daemon opens each image once (the same image twice is refused by
 * inode before it is opened) and never closes it until exit.  The I/O is
 * preadv, pwritev, fdatasync and fallocate (co_blk_sys_ops).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/fs.h>

#include "blk.h"
#include "image.h"

int co_image_stat(const char *path, struct co_image_stat *st)
{
	struct stat s;

	if (stat(path, &s))
		return -errno;
	st->kind = S_ISREG(s.st_mode) ? CO_IMAGE_FILE :
		   S_ISBLK(s.st_mode) ? CO_IMAGE_DEVICE :
		   S_ISDIR(s.st_mode) ? CO_IMAGE_DIR :
					CO_IMAGE_OTHER;
	st->dev = s.st_dev;
	st->ino = s.st_ino;
	st->ro_why[0] = 0;
	/* root may write anything: the mode bits say what the owner wants */
	if (!(s.st_mode & 0222))
		snprintf(st->ro_why, sizeof(st->ro_why), "mode %04o",
			 (unsigned int)(s.st_mode & 07777));
	return 0;
}

int co_image_open(const char *path, bool write)
{
	int fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int co_image_lock(int fd, const struct co_image_stat *st, bool write,
		  long *holder)
{
	struct flock l = { .l_type = write ? F_WRLCK : F_RDLCK,
			   .l_whence = SEEK_SET };
	int e;

	*holder = 0;
	if (!fcntl(fd, F_SETLK, &l))
		return 0;
	e = errno;
	if (e != EAGAIN && e != EACCES)
		return -e;
	l = (struct flock){ .l_type = write ? F_WRLCK : F_RDLCK,
			    .l_whence = SEEK_SET };
	if (!fcntl(fd, F_GETLK, &l) && l.l_type != F_UNLCK)
		*holder = l.l_pid;
	return -EBUSY;
}

/* fstat's answer, not @img's: the open file is the one to size. */
int co_image_size(int fd, const struct co_image_stat *img, uint64_t *bytes,
		  unsigned int *blksize)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	*bytes = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, bytes))
		return -errno;
	*blksize = st.st_blksize > 0 ? (unsigned int)st.st_blksize : 0;
	return 0;
}

void co_image_close(int fd)
{
	close(fd);
}

static ssize_t sys_preadv(int fd, const struct iovec *iov, int n, off_t off)
{
	return preadv(fd, iov, n, off);
}

static ssize_t sys_pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	return pwritev(fd, iov, n, off);
}

static int sys_fallocate(int fd, int mode, off_t off, off_t len)
{
	return fallocate(fd, mode, off, len);
}

const struct co_blk_ops co_blk_sys_ops = {
	.preadv = sys_preadv,
	.pwritev = sys_pwritev,
	.fdatasync = fdatasync,
	.fallocate = sys_fallocate,
};
