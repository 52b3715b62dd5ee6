// SPDX-License-Identifier: GPL-2.0
/*
 * cobdbench.c --- disk benchmarks for cobd against the host VM: the same
 * static program reads and writes /dev/cobdN in the guest (O_DIRECT, so the
 * guest's page cache is out of the way) and the image file on the host VM
 * (buffered, warm), and tests/vm/cases.sh compares.
 *
 *   cobdbench FILE seqread MIB | seqwrite MIB | randread N | syncwrite N
 *             [direct]
 *   cobdbench DIR mix N
 *
 * seqread/seqwrite: 1 MiB at a time over the first MIB MiB (seqwrite ends
 * with fdatasync); randread: N reads of 4 KiB at random 4 KiB offsets, one
 * at a time; syncwrite: N times a 4 KiB pwrite then fdatasync.  mix: what a
 * build does to a file system, in DIR (on the disk under test): N sources
 * of 2-16 KiB written in directories of 64, each "compiled" (stat, the
 * source and a 32 KiB header read, an object 1.5 times its size written),
 * the objects "linked" into one file that is fsync'ed, everything removed,
 * and the file system synced.  Prints "BENCH NAME SECONDS_PER_OP" (per MiB,
 * per request or per source file).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB (1 << 20)
#define BLK 4096

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static double sequential(int fd, char *buf, long mib, int write)
{
	double t0 = now();

	for (long i = 0; i < mib; i++) {
		ssize_t n = write ? pwrite(fd, buf, MIB, (off_t)i * MIB) :
				    pread(fd, buf, MIB, (off_t)i * MIB);

		if (n != MIB)
			die(write ? "pwrite" : "pread");
	}
	if (write && fdatasync(fd))
		die("fdatasync");
	return (now() - t0) / mib;
}

static double small(int fd, char *buf, long n, off_t size, int write)
{
	uint64_t x = 88172645463325252ULL;
	long blocks = size / BLK;
	double t0 = now();

	for (long i = 0; i < n; i++) {
		off_t off = (off_t)(xorshift(&x) % blocks) * BLK;

		if (write) {
			if (pwrite(fd, buf, BLK, off) != BLK)
				die("pwrite");
			if (fdatasync(fd))
				die("fdatasync");
		} else if (pread(fd, buf, BLK, off) != BLK) {
			die("pread");
		}
	}
	return (now() - t0) / n;
}

static void write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd))
		die(path);
}

/* Reads PATH whole into BUF (room for MIB); returns its size. */
static size_t read_file(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || (n = read(fd, buf, MIB)) < 0 || close(fd))
		die(path);
	return n;
}

static double mix(const char *dir, char *buf, long n)
{
	uint64_t x = 88172645463325252ULL;
	char path[4096];
	struct stat st;
	double t0 = now();
	int out, dfd;
	long i;

	for (i = 0; i < n; i += 64) {
		snprintf(path, sizeof(path), "%s/d%ld", dir, i / 64);
		if (mkdir(path, 0755))
			die(path);
	}
	snprintf(path, sizeof(path), "%s/hdr.h", dir);
	write_file(path, buf, 32768);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/d%ld/s%ld.c", dir, i / 64, i);
		write_file(path, buf, 2048 + xorshift(&x) % 14336);
	}
	for (i = 0; i < n; i++) {
		size_t len;

		snprintf(path, sizeof(path), "%s/hdr.h", dir);
		read_file(path, buf);
		snprintf(path, sizeof(path), "%s/d%ld/s%ld.c", dir, i / 64, i);
		if (stat(path, &st))
			die(path);
		len = read_file(path, buf);
		snprintf(path, sizeof(path), "%s/d%ld/s%ld.o", dir, i / 64, i);
		write_file(path, buf, len + len / 2);
	}
	snprintf(path, sizeof(path), "%s/a.out", dir);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0)
		die(path);
	for (i = 0; i < n; i++) {
		size_t len;

		snprintf(path, sizeof(path), "%s/d%ld/s%ld.o", dir, i / 64, i);
		len = read_file(path, buf);
		if (write(out, buf, len) != (ssize_t)len)
			die("a.out");
	}
	if (fsync(out) || close(out))
		die("a.out");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/d%ld/s%ld.o", dir, i / 64, i);
		if (unlink(path))
			die(path);
		snprintf(path, sizeof(path), "%s/d%ld/s%ld.c", dir, i / 64, i);
		if (unlink(path))
			die(path);
	}
	for (i = 0; i < n; i += 64) {
		snprintf(path, sizeof(path), "%s/d%ld", dir, i / 64);
		if (rmdir(path))
			die(path);
	}
	snprintf(path, sizeof(path), "%s/a.out", dir);
	if (unlink(path))
		die(path);
	snprintf(path, sizeof(path), "%s/hdr.h", dir);
	if (unlink(path))
		die(path);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || syncfs(dfd) || close(dfd))
		die(dir);
	return (now() - t0) / n;
}

int main(int argc, char **argv)
{
	int direct = argc > 4 && !strcmp(argv[4], "direct"), fd;
	const char *mode = argc > 2 ? argv[2] : "";
	long n = argc > 3 ? atol(argv[3]) : 0;
	double t;
	off_t size;
	char *buf;

	if (n <= 0) {
		fprintf(stderr,
			"usage: cobdbench FILE seqread|seqwrite MIB | randread|syncwrite N [direct]\n"
			"       cobdbench DIR mix N\n");
		return 2;
	}
	if (!strcmp(mode, "mix")) {
		buf = malloc(MIB);
		if (!buf)
			die("memory");
		memset(buf, 0x5a, MIB);
		printf("BENCH %s %.9f\n", mode, mix(argv[1], buf, n));
		return 0;
	}
	fd = open(argv[1], O_RDWR | (direct ? O_DIRECT : 0));
	if (fd < 0)
		die(argv[1]);
	size = lseek(fd, 0, SEEK_END);
	if (size < MIB || posix_memalign((void **)&buf, BLK, MIB))
		die("size or memory");
	memset(buf, 0x5a, MIB);
	if (!strcmp(mode, "seqread") || !strcmp(mode, "seqwrite")) {
		if (n * MIB > size)
			n = size / MIB;
		t = sequential(fd, buf, n, mode[3] == 'w');
	} else if (!strcmp(mode, "randread") || !strcmp(mode, "syncwrite")) {
		t = small(fd, buf, n, size, mode[0] == 's');
	} else {
		fprintf(stderr, "cobdbench: unknown mode %s\n", mode);
		return 2;
	}
	printf("BENCH %s %.9f\n", mode, t);
	return 0;
}
