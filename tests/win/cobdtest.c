// SPDX-License-Identifier: GPL-2.0
/*
 * cobdtest.c --- cobd on Windows, run under Wine by tests/win: the same
 * cobd.c and blk.c as on Linux over image-windows.c.
 *
 *   cobdtest io DIR          the I/O calls on a file in DIR (TAP, check.h):
 *                            scattered writes read back after a flush, a
 *                            short read at the end, holes and zeroed
 *                            ranges; a sector past 4 GiB through blk.c;
 *                            cobdN= on a read-only file, the same file
 *                            under another spelling
 *   cobdtest hold PATH [ro]  cobd0=PATH[,ro], held until stdin ends
 *                            ("held" on stdout once it is); a PATH
 *                            \\.\NAME is a device, only opened and locked
 *   cobdtest try PATH [ro]   cobd0=PATH[,ro]: exit 0 when it was taken, 1
 *                            when another process holds it, 2 otherwise;
 *                            the error line on stdout
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <linux/falloc.h>
#include <linux/virtio_blk.h>

#include "blk.h"
#include "cobd.h"
#include "image.h"

#include "../lib/check.h"

static char dir[MAX_PATH];
static struct co_devs devs;
static struct co_err err;

static void path_of(char *p, const char *name)
{
	snprintf(p, MAX_PATH, "%s\\%s", dir, name);
}

static void make_file(const char *p, long size, char fill)
{
	FILE *f = fopen(p, "wb");

	CHECK(f != NULL);
	for (long i = 0; f && i < size; i++)
		fputc(fill, f);
	CHECK(f && !fclose(f));
}

static bool all(const char *b, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != c)
			return false;
	return true;
}

static void test_io(void)
{
	static char a[1000], b[4096], c[3000], back[8098], tail[4096];
	struct iovec out[3] = { { a, sizeof(a) },
				{ b, sizeof(b) },
				{ c, sizeof(c) } };
	struct iovec in = { back, 8096 }, end = { tail, sizeof(tail) };
	const struct co_blk_ops *o = &co_blk_sys_ops;
	struct co_image_stat st;
	char p[MAX_PATH];
	long holder;
	int fd, ret;

	path_of(p, "io.img");
	make_file(p, 1 << 20, 'x');
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	memset(c, 'c', sizeof(c));
	/* Opened and locked as cobd does: the lock is the handle's own. */
	CHECK_INT(co_image_stat(p, &st), 0);
	fd = co_image_open(p, true);
	CHECK(fd >= 0);
	CHECK_INT(co_image_lock(fd, &st, true, &holder), 0);
	CHECK_INT(o->pwritev(fd, out, 3, 12345), 8096);
	CHECK_INT(o->fdatasync(fd), 0);
	CHECK_INT(o->preadv(fd, &in, 1, 12345), 8096);
	CHECK(all(back, 1000, 'a') && all(back + 1000, 4096, 'b') &&
	      all(back + 5096, 3000, 'c'));
	/* 100 bytes left before the end: a short read, not an error. */
	CHECK_INT(o->preadv(fd, &end, 1, (1 << 20) - 100), 100);
	CHECK(all(tail, 100, 'x'));
	/*
	 * A hole reads back as zeros; the size stays.  Wine has no
	 * FSCTL_SET_ZERO_DATA: the call must then say EOPNOTSUPP, which
	 * blk.c answers by writing zeros (and DISCARD by nothing).
	 */
	ret = o->fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 8192,
			   8192);
	if (ret && errno == EOPNOTSUPP) {
		printf("# no FSCTL_SET_ZERO_DATA on this host: holes untested\n");
	} else {
		CHECK_INT(ret, 0);
		CHECK_INT(o->fallocate(fd,
				       FALLOC_FL_ZERO_RANGE |
					       FALLOC_FL_KEEP_SIZE,
				       65536, 4096),
			  0);
		in.iov_len = 4096;
		CHECK_INT(o->preadv(fd, &in, 1, 8192), 4096);
		CHECK(all(back, 4096, 0));
		CHECK_INT(o->preadv(fd, &in, 1, 65536), 4096);
		CHECK(all(back, 4096, 0));
		CHECK_INT(o->preadv(fd, &in, 1, 65536 + 4096), 4096);
		CHECK(all(back, 4096, 'x'));
	}
	/* Growing the file is not what a disk does. */
	CHECK_INT(o->fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096), -1);
	CHECK_INT(errno, EOPNOTSUPP);
	co_image_close(fd);
	/*
	 * A read-only disk's flush (the guest's fsync of /dev/cobdN), through
	 * blk.c: nothing to write back, and not an error, which would fail
	 * the disk (FlushFileBuffers refuses a handle that may not write).
	 */
	{
		static uint8_t hdr[16];
		struct virtio_blk_outhdr h = { .type = VIRTIO_BLK_T_FLUSH };
		struct co_blk ro = { .ops = o, .ro = true, .sectors = 2048 };
		struct co_vq_chain fc = { 0 };
		uint8_t status = 0xff;

		ro.fd = co_image_open(p, false);
		CHECK(ro.fd >= 0);
		memcpy(hdr, &h, sizeof(h));
		fc.iov[0] = (struct iovec){ hdr, sizeof(hdr) };
		fc.iov[1] = (struct iovec){ &status, 1 };
		fc.nout = 1;
		fc.nin = 1;
		fc.out_len = sizeof(hdr);
		fc.in_len = 1;
		CHECK_INT(co_blk_request(&ro, &fc), 1);
		CHECK_INT(status, VIRTIO_BLK_S_OK);
		CHECK(!ro.failed);
		co_image_close(ro.fd);
	}
	/*
	 * What the flush wrote is in the file, seen by another reader: the
	 * three buffers in a row, the bytes around them untouched.
	 */
	{
		FILE *f = fopen(p, "rb");

		memset(back, 0, sizeof(back));
		CHECK(f && !fseek(f, 12344, SEEK_SET) &&
		      fread(back, 1, 8098, f) == 8098);
		CHECK(back[0] == 'x' && all(back + 1, 1000, 'a') &&
		      all(back + 1001, 4096, 'b') &&
		      all(back + 5097, 3000, 'c') && back[8097] == 'x');
		if (f)
			fclose(f);
	}
}

/*
 * Past 4 GiB, through blk.c as the guest asks: a write and a read of one
 * sector at 5 GiB in a sparse 6 GiB file land there, and nowhere else (a
 * 32-bit off_t would put them at 1 GiB).
 */
static void test_large(void)
{
	static uint8_t w[512], r[512], hdr[16];
	const uint64_t sector = (5ull << 30) / 512 + 7;
	struct virtio_blk_outhdr h = { 0 };
	struct co_blk d = { 0 };
	struct co_image_stat st;
	struct co_vq_chain c = { 0 };
	LARGE_INTEGER size = { .QuadPart = 6ll << 30 };
	uint8_t status = 0xff;
	uint64_t bytes = 0;
	unsigned int blksize;
	char p[MAX_PATH];
	HANDLE f;
	FILE *in;

	path_of(p, "big.img");
	f = CreateFileA(p, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
	CHECK(f != INVALID_HANDLE_VALUE);
	CHECK(SetFilePointerEx(f, size, NULL, FILE_BEGIN) && SetEndOfFile(f));
	CloseHandle(f);
	d.ops = &co_blk_sys_ops;
	d.fd = co_image_open(p, true);
	CHECK(d.fd >= 0);
	CHECK_INT(co_image_stat(p, &st), 0);
	CHECK_INT(co_image_size(d.fd, &st, &bytes, &blksize), 0);
	CHECK_INT(bytes, 6ull << 30);
	d.sectors = bytes / 512;
	memset(w, 0x5a, sizeof(w));
	h.type = VIRTIO_BLK_T_OUT;
	h.sector = sector;
	memcpy(hdr, &h, sizeof(h));
	c.iov[0] = (struct iovec){ hdr, sizeof(hdr) };
	c.iov[1] = (struct iovec){ w, sizeof(w) };
	c.iov[2] = (struct iovec){ &status, 1 };
	c.nout = 2;
	c.nin = 1;
	c.out_len = sizeof(hdr) + sizeof(w);
	c.in_len = 1;
	CHECK_INT(co_blk_request(&d, &c), 1);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	h.type = VIRTIO_BLK_T_IN;
	memcpy(hdr, &h, sizeof(h));
	c.iov[1] = (struct iovec){ r, sizeof(r) };
	c.nout = 1;
	c.nin = 2;
	c.out_len = sizeof(hdr);
	c.in_len = sizeof(r) + 1;
	status = 0xff;
	CHECK_INT(co_blk_request(&d, &c), 513);
	CHECK_INT(status, VIRTIO_BLK_S_OK);
	CHECK(!memcmp(r, w, sizeof(r)));
	co_image_close(d.fd);
	/* Another reader finds it at 5 GiB, and zeros at 1 GiB. */
	in = fopen(p, "rb");
	CHECK(in != NULL);
	memset(r, 0, sizeof(r));
	CHECK(in && !_fseeki64(in, sector * 512, SEEK_SET) &&
	      fread(r, 1, sizeof(r), in) == sizeof(r));
	CHECK(!memcmp(r, w, sizeof(r)));
	CHECK(in && !_fseeki64(in, (sector * 512) & 0xffffffffull, SEEK_SET) &&
	      fread(r, 1, sizeof(r), in) == sizeof(r));
	CHECK(all((char *)r, sizeof(r), 0));
	if (in)
		fclose(in);
	DeleteFileA(p);
}

static int create(unsigned int unit, const char *p, bool ro)
{
	memset(&err, 0, sizeof(err));
	return co_cobd_create(&devs, unit, p, ro ? CO_COBD_RO : 0, &err);
}

static void test_devices(void)
{
	char p[MAX_PATH], q[MAX_PATH], r[MAX_PATH];
	struct virtio_blk_config cfg;

	path_of(p, "disk.img");
	make_file(p, 1000000, 0);
	CHECK_INT(create(0, p, false), 0);
	memcpy(&cfg, devs.dev[0]->config, sizeof(cfg));
	CHECK_INT(cfg.capacity, 1953);
	CHECK(!(devs.dev[0]->host_features & (1ull << VIRTIO_BLK_F_RO)));
	CHECK(devs.dev[0]->host_features & (1ull << VIRTIO_BLK_F_DISCARD));
	/* The same file, spelled another way. */
	snprintf(q, sizeof(q), "%s\\.\\DISK.IMG", dir);
	CHECK_INT(create(1, q, false), -EBUSY);
	CHECK(strstr(err.msg, "the same image as cobd0=") != NULL);
	/* The read-only attribute: the guest gets the disk read-only. */
	path_of(r, "ro.img");
	make_file(r, 65536, 0);
	CHECK(SetFileAttributesA(r, FILE_ATTRIBUTE_READONLY));
	CHECK_INT(create(2, r, false), 0);
	CHECK_INT(devs.nr, 2);
	CHECK(devs.dev[1]->host_features & (1ull << VIRTIO_BLK_F_RO));
	co_devs_destroy(&devs);
	SetFileAttributesA(r, FILE_ATTRIBUTE_NORMAL);
}

/*
 * cobd0=PATH[,ro]; a device (\\.\NAME) only opened and locked, as Wine has
 * no disk to size (\\.\NUL stands in for one).
 */
static int take(const char *p, bool ro)
{
	struct co_image_stat st;
	long holder;
	int fd, ret;

	if (strncmp(p, "\\\\.\\", 4))
		return create(0, p, ro);
	ret = co_image_stat(p, &st);
	fd = ret ? ret : co_image_open(p, !ro);
	if (fd < 0) {
		snprintf(err.msg, sizeof(err.msg), "%s: %s", p, strerror(-fd));
		return fd;
	}
	ret = co_image_lock(fd, &st, !ro, &holder);
	if (ret) {
		snprintf(err.msg, sizeof(err.msg), "%s: %s", p,
			 ret == -EBUSY ? "locked by another process" :
					 strerror(-ret));
		co_image_close(fd);
	}
	return ret;
}

int main(int argc, char **argv)
{
	bool ro = argc > 3 && !strcmp(argv[3], "ro");
	int ret;

	if (argc > 2 && !strcmp(argv[1], "io")) {
		snprintf(dir, sizeof(dir), "%s", argv[2]);
		RUN_TEST(test_io);
		RUN_TEST(test_large);
		RUN_TEST(test_devices);
		return CHECK_EXIT();
	}
	if (argc > 2 && !strcmp(argv[1], "hold")) {
		if (take(argv[2], ro)) {
			printf("%s\n", err.msg);
			return 1;
		}
		printf("held\n");
		fflush(stdout);
		while (getchar() != EOF)
			;
		co_devs_destroy(&devs);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "try")) {
		ret = take(argv[2], ro);
		printf("%s\n", ret ? err.msg : "taken");
		co_devs_destroy(&devs);
		return !ret ? 0 : ret == -EBUSY ? 1 : 2;
	}
	fprintf(stderr,
		"usage: cobdtest io DIR | hold PATH [ro] | try PATH [ro]\n");
	return 2;
}
