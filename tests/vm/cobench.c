// SPDX-License-Identifier: GPL-2.0
/*
 * cobench.c --- the guest-vs-host benchmarks: the same static program runs
 * in the coLinux guest and on the host VM, and tests/vm/cases.sh compares.
 *
 *   cobench cpu N | getppid N | pipe N | forkexec N | files N | faults N
 *
 * files: N files created, stat()ed and unlinked in the current directory
 * (one operation is one file); faults: N pages of fresh anonymous memory
 * touched, 256 pages per mmap()/munmap() (one operation is one page).
 *
 * Prints "BENCH NAME SECONDS_PER_OP", timed with CLOCK_MONOTONIC (in the
 * guest that is the host's TSC too).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Integer and floating-point work that stays in registers and L1. */
static void cpu(long n)
{
	volatile double d = 1.0;
	uint64_t x = 88172645463325252ULL;
	long i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		d = d * 1.0000001 + (double)(x & 0xff) * 1e-9;
	}
	if (d < 0)
		printf("%g\n", d);
}

static void getppid_loop(long n)
{
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
}

/* One byte back and forth between two processes. */
static int pipe_pingpong(long n)
{
	int a[2], b[2];
	char c = 0;
	long i;
	pid_t pid;

	if (pipe(a) || pipe(b))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		for (i = 0; i < n; i++)
			if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	for (i = 0; i < n; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			return -1;
	waitpid(pid, NULL, 0);
	return 0;
}

static int forkexec(long n)
{
	int status;
	long i;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			execl("/proc/self/exe", "cobench", "nop", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return -1;
	}
	return 0;
}

/* Create, stat and unlink N small files, 100 at a time. */
static int files(long n)
{
	char name[32];
	struct stat st;
	long i, j, k;
	int fd;

	for (i = 0; i < n; i += 100) {
		k = n - i < 100 ? n - i : 100;
		for (j = 0; j < k; j++) {
			snprintf(name, sizeof(name), "cobench.%ld", j);
			fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
			if (fd < 0 || write(fd, name, 16) != 16 || close(fd))
				return -1;
		}
		for (j = 0; j < k; j++) {
			snprintf(name, sizeof(name), "cobench.%ld", j);
			if (stat(name, &st) || st.st_size != 16)
				return -1;
		}
		for (j = 0; j < k; j++) {
			snprintf(name, sizeof(name), "cobench.%ld", j);
			if (unlink(name))
				return -1;
		}
	}
	return 0;
}

/* Fault in N fresh pages, 256 per mapping. */
static int faults(long n)
{
	long page = sysconf(_SC_PAGESIZE), i, j, k;
	char *p;

	for (i = 0; i < n; i += 256) {
		k = n - i < 256 ? n - i : 256;
		p = mmap(NULL, k * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		for (j = 0; j < k; j++)
			p[j * page] = 1;
		munmap(p, k * page);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0;
	double t0;
	int ret = 0;

	if (!strcmp(what, "nop"))
		return 0;
	if (n <= 0) {
		fprintf(stderr,
			"usage: cobench cpu|getppid|pipe|forkexec|files|faults N\n");
		return 2;
	}
	t0 = now();
	if (!strcmp(what, "cpu"))
		cpu(n);
	else if (!strcmp(what, "getppid"))
		getppid_loop(n);
	else if (!strcmp(what, "pipe"))
		ret = pipe_pingpong(n);
	else if (!strcmp(what, "forkexec"))
		ret = forkexec(n);
	else if (!strcmp(what, "files"))
		ret = files(n);
	else if (!strcmp(what, "faults"))
		ret = faults(n);
	else
		return 2;
	if (ret) {
		printf("BENCH %s failed\n", what);
		return 1;
	}
	printf("BENCH %s %.4e\n", what, (now() - t0) / n);
	return 0;
}
