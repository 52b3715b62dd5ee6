// SPDX-License-Identifier: GPL-2.0
/*
 * image-windows.c --- cobd's images on Windows (image.h): a file, or a disk
 * or volume named \\.\PhysicalDriveN or \\.\X:.  Two daemons never write one
 * image: a writer opens it sharing reads only, so a second writer is
 * refused at the open (a sharing violation), and every daemon holds a
 * LockFileEx lock over the whole file (exclusive for a writer, shared for a
 * read-only disk), so a reader and a writer exclude each other too.  The
 * lock belongs to the handle and ends with it; Windows does not say who
 * holds it.  A disk or volume is one daemon's, read-only or not: a named
 * mutex per device name (a disk's driver need not check sharing modes).
 *
 * The I/O calls (co_blk_sys_ops) are ReadFile and WriteFile at an offset,
 * FlushFileBuffers, and FSCTL_SET_ZERO_DATA for a hole (the file is made
 * sparse when opened for writing; on a file that is not, the range is
 * zeroed, which is what the guest asked to read back).
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <string.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <winioctl.h>

#include <linux/falloc.h>

#include <co/cfg.h>

#include "blk.h"
#include "image.h"
#include "win-errno.h"

/* blk.c's offsets are off_t: 64 bits (win.mk's _FILE_OFFSET_BITS). */
_Static_assert(sizeof(off_t) == 8, "off_t must have 64 bits");

static bool is_device(const char *path)
{
	return !strncmp(path, "\\\\.\\", 4);
}

static HANDLE handle(int fd)
{
	return (HANDLE)_get_osfhandle(fd);
}

/* FNV-1a: a device's identity is its name, case folded. */
static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)(*s | 0x20)) * 0x100000001b3ull;
	return h;
}

int co_image_stat(const char *path, struct co_image_stat *st)
{
	BY_HANDLE_FILE_INFORMATION info;
	DWORD attr;
	HANDLE h;

	memset(st, 0, sizeof(*st));
	if (is_device(path)) {
		st->kind = CO_IMAGE_DEVICE;
		st->dev = ~0ull;
		st->ino = name_hash(path);
		return 0;
	}
	attr = GetFileAttributesA(path);
	if (attr == INVALID_FILE_ATTRIBUTES)
		return -co_win_errno();
	if (attr & FILE_ATTRIBUTE_DIRECTORY) {
		st->kind = CO_IMAGE_DIR;
		return 0;
	}
	if (attr & FILE_ATTRIBUTE_DEVICE) {
		st->kind = CO_IMAGE_OTHER;
		return 0;
	}
	st->kind = CO_IMAGE_FILE;
	if (attr & FILE_ATTRIBUTE_READONLY)
		snprintf(st->ro_why, sizeof(st->ro_why),
			 "the read-only attribute");
	/* No access asked: this opens whatever another process holds. */
	h = CreateFileA(path, 0,
			FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
			NULL, OPEN_EXISTING, 0, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return -co_win_errno();
	if (!GetFileInformationByHandle(h, &info)) {
		int ret = -co_win_errno();

		CloseHandle(h);
		return ret;
	}
	CloseHandle(h);
	st->dev = info.dwVolumeSerialNumber;
	st->ino = (uint64_t)info.nFileIndexHigh << 32 | info.nFileIndexLow;
	return 0;
}

int co_image_open(const char *path, bool write)
{
	DWORD access = GENERIC_READ | (write ? GENERIC_WRITE : 0);
	DWORD share = FILE_SHARE_READ | (write ? 0 : FILE_SHARE_WRITE);
	DWORD got;
	HANDLE h;
	int fd;

	h = CreateFileA(path, access, share, NULL, OPEN_EXISTING,
			FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return -co_win_errno();
	/* Holes for DISCARD; a file system without them keeps the data. */
	if (write && !is_device(path))
		DeviceIoControl(h, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &got,
				NULL);
	fd = _open_osfhandle((intptr_t)h, (write ? _O_RDWR : _O_RDONLY) |
						  _O_BINARY | _O_NOINHERIT);
	if (fd < 0) {
		CloseHandle(h);
		return -EMFILE;
	}
	return fd;
}

/*
 * A disk or a volume takes no file lock (and its driver may not check
 * sharing modes): the daemon that has it holds a named mutex instead, one
 * per device name, whether it writes or not, closed with the image.  The
 * mutexes held, by descriptor.
 */
static struct {
	int fd;
	HANDLE mutex;
} device_locks[CO_CFG_MAX_COBD];

static int lock_device(int fd, const struct co_image_stat *st)
{
	char name[64];
	HANDLE m;
	unsigned int i;

	for (i = 0; i < CO_CFG_MAX_COBD && device_locks[i].mutex; i++)
		;
	if (i == CO_CFG_MAX_COBD)
		return -EMFILE;
	snprintf(name, sizeof(name), "Global\\coLinux-cobd-%016llx",
		 (unsigned long long)st->ino);
	m = CreateMutexA(NULL, FALSE, name);
	if (!m)
		return -co_win_errno();
	if (GetLastError() == ERROR_ALREADY_EXISTS) {
		CloseHandle(m);
		return -EBUSY;
	}
	device_locks[i].fd = fd;
	device_locks[i].mutex = m;
	return 0;
}

int co_image_lock(int fd, const struct co_image_stat *st, bool write,
		  long *holder)
{
	OVERLAPPED ov = { 0 };
	DWORD flags = LOCKFILE_FAIL_IMMEDIATELY |
		      (write ? LOCKFILE_EXCLUSIVE_LOCK : 0);

	*holder = 0;
	if (st->kind == CO_IMAGE_DEVICE)
		return lock_device(fd, st);
	if (LockFileEx(handle(fd), flags, 0, MAXDWORD, MAXDWORD, &ov))
		return 0;
	return -co_win_errno();
}

/*
 * A file's size is GetFileSizeEx's; a disk's or a volume's is the driver's
 * (GetFileType says FILE_TYPE_DISK for both, so the path decides).
 */
int co_image_size(int fd, const struct co_image_stat *st, uint64_t *bytes,
		  unsigned int *blksize)
{
	GET_LENGTH_INFORMATION len;
	LARGE_INTEGER size;
	DWORD got;

	if (st->kind != CO_IMAGE_DEVICE) {
		if (!GetFileSizeEx(handle(fd), &size))
			return -co_win_errno();
		*bytes = (uint64_t)size.QuadPart;
		*blksize = 4096;
		return 0;
	}
	if (!DeviceIoControl(handle(fd), IOCTL_DISK_GET_LENGTH_INFO, NULL, 0,
			     &len, sizeof(len), &got, NULL))
		return -co_win_errno();
	*bytes = (uint64_t)len.Length.QuadPart;
	*blksize = 512;
	return 0;
}

void co_image_close(int fd)
{
	for (unsigned int i = 0; i < CO_CFG_MAX_COBD; i++)
		if (device_locks[i].mutex && device_locks[i].fd == fd) {
			CloseHandle(device_locks[i].mutex);
			device_locks[i].mutex = NULL;
		}
	_close(fd);
}

static OVERLAPPED at(off_t off)
{
	OVERLAPPED ov = { 0 };

	ov.Offset = (DWORD)off;
	ov.OffsetHigh = (DWORD)((uint64_t)off >> 32);
	return ov;
}

/*
 * One transfer per iovec, each to its end (a transfer may be short): the
 * bytes moved, stopping at the end of the file, or -1 with errno set.
 */
static ssize_t transfer(int fd, const struct iovec *iov, int n, off_t off,
			bool write)
{
	ssize_t total = 0;

	for (int i = 0; i < n; i++) {
		char *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;

		while (left) {
			DWORD want = left > 1u << 30 ? 1u << 30 : (DWORD)left;
			OVERLAPPED ov = at(off + total);
			DWORD got = 0;
			BOOL ok = write ? WriteFile(handle(fd), p, want, &got,
						    &ov) :
					  ReadFile(handle(fd), p, want, &got,
						   &ov);

			if (!ok && GetLastError() != ERROR_HANDLE_EOF) {
				errno = co_win_errno();
				return -1;
			}
			if (!got)
				return total;
			total += got;
			p += got;
			left -= got;
		}
	}
	return total;
}

static ssize_t win_preadv(int fd, const struct iovec *iov, int n, off_t off)
{
	return transfer(fd, iov, n, off, false);
}

static ssize_t win_pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	return transfer(fd, iov, n, off, true);
}

static int win_fdatasync(int fd)
{
	if (FlushFileBuffers(handle(fd)))
		return 0;
	errno = co_win_errno();
	return -1;
}

/* Holes and zeroed ranges, inside the file (FALLOC_FL_KEEP_SIZE only). */
static int win_fallocate(int fd, int mode, off_t off, off_t len)
{
	FILE_ZERO_DATA_INFORMATION z;
	DWORD got;

	if (!(mode & FALLOC_FL_KEEP_SIZE) ||
	    !(mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))) {
		errno = EOPNOTSUPP;
		return -1;
	}
	z.FileOffset.QuadPart = off;
	z.BeyondFinalZero.QuadPart = off + len;
	if (DeviceIoControl(handle(fd), FSCTL_SET_ZERO_DATA, &z, sizeof(z),
			    NULL, 0, &got, NULL))
		return 0;
	errno = co_win_errno();
	if (errno == ENOSYS)
		errno = EOPNOTSUPP;
	return -1;
}

const struct co_blk_ops co_blk_sys_ops = {
	.preadv = win_preadv,
	.pwritev = win_pwritev,
	.fdatasync = win_fdatasync,
	.fallocate = win_fallocate,
};
