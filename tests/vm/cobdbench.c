// SPDX-License-Identifier: GPL-2.0
/*
 * cobdbench.c --- disk benchmarks for cobd against the host VM: the same
 * static program reads and writes /dev/cobdN in the guest (O_DIRECT, so the
 * guest's page cache is out of the way) and the image file on the host VM
 * (buffered, warm), and tests/vm/cases.sh compares.
 *
 *   cobdbench FILE seqread MIB | seqwrite MIB | randread N | syncwrite N
 *             [direct]
 *
 * seqread/seqwrite: 1 MiB at a time over the first MIB MiB (seqwrite ends
 * with fdatasync); randread: N reads of 4 KiB at random 4 KiB offsets, one
 * at a time; syncwrite: N times a 4 KiB pwrite then fdatasync.  Prints
 * "BENCH NAME SECONDS_PER_OP" (per MiB or per request).
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
			"usage: cobdbench FILE seqread|seqwrite MIB | randread|syncwrite N [direct]\n");
		return 2;
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
