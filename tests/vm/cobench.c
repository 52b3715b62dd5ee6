// SPDX-License-Identifier: GPL-2.0
/*
 * cobench.c --- the guest-vs-host benchmarks: the same static program runs
 * in the coLinux guest and on the host VM, and tests/vm/cases.sh compares.
 *
 *   cobench cpu N | getppid N | pipe N | forkexec N | files N | faults N
 *   cobench seqwrite N | seqread N
 *   cobench tcpsend N | tcprecv N | tcprr N     (client of cobench serve)
 *   cobench serve PORT
 *
 * files: N files created, stat()ed and unlinked in the current directory
 * (one operation is one file); faults: N pages of fresh anonymous memory
 * touched, 256 pages per mmap()/munmap() (one operation is one page).
 * seqwrite: N MiB written to cobench.seq in the current directory in 1 MiB
 * writes, then fsync(); seqread: the same file read back, N MiB expected
 * (one operation is one MiB).
 *
 * The TCP workloads connect to COBENCH_PEER (IPv4:PORT, default
 * 127.0.0.1:9100), where "cobench serve PORT" answers one connection at a
 * time: tcpsend streams N MiB to it and waits for its one-byte receipt of
 * the end, tcprecv has it stream N MiB back (one operation is one MiB);
 * tcprr sends one byte and waits for its echo, N times (one operation is
 * one round trip).  Both sides use TCP_NODELAY.
 *
 * Prints "BENCH NAME SECONDS_PER_OP", timed with CLOCK_MONOTONIC (in the
 * guest that is the host's TSC too).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB (1L << 20)
static char buf[MIB];

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

/* N MiB to cobench.seq, 1 MiB per write(), then fsync(). */
static int seqwrite(long n)
{
	int fd = open("cobench.seq", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long i;

	if (fd < 0)
		return -1;
	memset(buf, 0x5a, sizeof(buf));
	for (i = 0; i < n; i++)
		if (write(fd, buf, MIB) != MIB)
			break;
	if (fsync(fd) || close(fd) || i < n)
		return -1;
	return 0;
}

/* Read @fd to its end and close it: 0 if it gave exactly N MiB. */
static int drain(int fd, long n)
{
	long total = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, MIB)) > 0)
		total += r;
	close(fd);
	return r < 0 || total != n * MIB ? -1 : 0;
}

/* All of cobench.seq, which must hold N MiB. */
static int seqread(long n)
{
	return drain(open("cobench.seq", O_RDONLY), n);
}

static int read_full(int fd, void *p, size_t len)
{
	ssize_t r;

	while (len) {
		r = read(fd, p, len);
		if (r <= 0)
			return -1;
		p = (char *)p + r;
		len -= r;
	}
	return 0;
}

static int write_full(int fd, const void *p, size_t len)
{
	ssize_t r;

	while (len) {
		r = write(fd, p, len);
		if (r <= 0)
			return -1;
		p = (const char *)p + r;
		len -= r;
	}
	return 0;
}

static void nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* A connection to COBENCH_PEER that asks for MODE with argument N. */
static int peer(char mode, long n)
{
	const char *env = getenv("COBENCH_PEER");
	char host[64] = "127.0.0.1", req[32];
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const char *colon;
	int fd, port = 9100;

	if (env) {
		colon = strchr(env, ':');
		if (!colon || colon - env >= (long)sizeof(host)) {
			fprintf(stderr, "COBENCH_PEER=%s: want IPV4:PORT\n",
				env);
			return -1;
		}
		memcpy(host, env, colon - env);
		host[colon - env] = 0;
		port = atoi(colon + 1);
	}
	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "COBENCH_PEER: '%s' is not an IPv4 address\n",
			host);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("cobench: connect");
		return -1;
	}
	nodelay(fd);
	snprintf(req, sizeof(req), "%c %ld\n", mode, n);
	if (write_full(fd, req, sizeof(req))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* N MiB to the server, then its receipt once it has read them all. */
static int tcpsend(long n)
{
	int fd = peer('s', n);
	long i;
	char c;

	if (fd < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (write_full(fd, buf, MIB))
			break;
	shutdown(fd, SHUT_WR);
	if (i < n || read_full(fd, &c, 1) || c != 'k') {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* N MiB from the server, up to its end of stream. */
static int tcprecv(long n)
{
	return drain(peer('o', n), n);
}

/* One byte there and back, N times. */
static int tcprr(long n)
{
	int fd = peer('e', n);
	char c = 1;
	long i;

	if (fd < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (write_full(fd, &c, 1) || read_full(fd, &c, 1))
			break;
	close(fd);
	return i < n ? -1 : 0;
}

/* One request of a client on FD: "MODE N\n" padded to 32 bytes. */
static void serve_one(int fd)
{
	char req[32], mode, c = 'k';
	long n, i;

	nodelay(fd);
	if (read_full(fd, req, sizeof(req)) ||
	    sscanf(req, "%c %ld", &mode, &n) != 2 || n < 0)
		return;
	if (mode == 's') {
		while (read(fd, buf, MIB) > 0)
			;
		write_full(fd, &c, 1);
	} else if (mode == 'o') {
		for (i = 0; i < n; i++)
			if (write_full(fd, buf, MIB))
				return;
	} else if (mode == 'e') {
		for (i = 0; i < n; i++)
			if (read_full(fd, &c, 1) || write_full(fd, &c, 1))
				return;
	}
}

/* The peer of the TCP workloads on PORT (all addresses), until killed. */
static int serve(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_ANY) };
	int one = 1, lfd, fd;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 4)) {
		perror("cobench serve");
		return 1;
	}
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		serve_one(fd);
		close(fd);
	}
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
			"usage: cobench cpu|getppid|pipe|forkexec|files|faults|seqwrite|seqread|tcpsend|tcprecv|tcprr N\n"
			"       cobench serve PORT\n");
		return 2;
	}
	if (!strcmp(what, "serve"))
		return serve(n);
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
	else if (!strcmp(what, "seqwrite"))
		ret = seqwrite(n);
	else if (!strcmp(what, "seqread"))
		ret = seqread(n);
	else if (!strcmp(what, "tcpsend"))
		ret = tcpsend(n);
	else if (!strcmp(what, "tcprecv"))
		ret = tcprecv(n);
	else if (!strcmp(what, "tcprr"))
		ret = tcprr(n);
	else
		return 2;
	if (ret) {
		printf("BENCH %s failed\n", what);
		return 1;
	}
	printf("BENCH %s %.4e\n", what, (now() - t0) / n);
	return 0;
}
