// SPDX-License-Identifier: GPL-2.0
/*
 * cotest.c --- drives colinux.ko inside the host VM, with payload.bin as the
 * guest.  One sub-command per test; each prints its results as
 * "COTEST ok - ..." / "COTEST not ok - ..." lines for tests/vm/boot and
 * exits 0 (or 1 on a setup error, also reported as "not ok").
 *
 *   cotest roundtrip N      N round trips, host state compared on each
 *   cotest owntables N      the same, the payload on its own GDT/TSS/IDT
 *   cotest spin SECONDS     payload with interrupts on; a second thread
 *                           makes TLB-shootdown IPIs meanwhile
 *   cotest nmi SECONDS      round trips while the harness injects NMIs
 *   cotest fault            payload page fault -> fault exit
 *   cotest badsel           exception inside the passage -> clean exit
 *   cotest badcalls         refusals: ABI version, sizes, order, non-root
 *   cotest alloc MIB        allocate guest RAM, print the blocks
 *   cotest bench N          round trip cost against getppid()
 *   cotest hold MIB         set up a guest and spin until killed
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <colinux/ioctl.h>

#define OP_DONE (COLINUX_OP_DAEMON + 1)
#define MODE_ROUNDTRIP 1
#define MODE_OWN_TABLES 2
#define MODE_SPIN 3
#define MODE_FAULT 4
#define MODE_BAD_SELECTOR 5
#define FAULT_ADDR 0x0000700000000000ULL

/* Guest layout in block 0: loader, payload, its data page, its stack. */
#define PAYLOAD_OFF (2 << 20)
#define DATA_OFF (3 << 20)
#define STACK_TOP_OFF (4 << 20)

static const char *payload_path = "/tests/payload.bin";

struct guest {
	int fd;
	struct colinux_setup setup;
	uint8_t *ram;
	uint64_t base;
};

static void ok(int pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("COTEST %s - ", pass ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("COTEST # ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int guest_open(struct guest *g, uint64_t mem_mib)
{
	memset(g, 0, sizeof(*g));
	g->fd = open("/dev/colinux", O_RDWR | O_CLOEXEC);
	if (g->fd < 0) {
		ok(0, "open /dev/colinux: %s", strerror(errno));
		return -1;
	}
	g->setup.size = sizeof(g->setup);
	g->setup.abi_version = COLINUX_ABI_VERSION;
	g->setup.mem_size = mem_mib << 20;
	if (ioctl(g->fd, COLINUX_SETUP, &g->setup)) {
		ok(0, "SETUP %llu MiB: %s: %s", (unsigned long long)mem_mib,
		   strerror(errno), g->setup.message);
		close(g->fd);
		return -1;
	}
	g->base = g->setup.blocks[0].phys;
	g->ram = mmap(NULL, g->setup.mem_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, g->fd, 0);
	if (g->ram == MAP_FAILED) {
		ok(0, "mmap guest RAM: %s", strerror(errno));
		close(g->fd);
		return -1;
	}
	return 0;
}

static void guest_close(struct guest *g)
{
	munmap(g->ram, g->setup.mem_size);
	close(g->fd);
}

/* Load payload.bin and give it its first registers. */
static int guest_load(struct guest *g, uint64_t mode, uint64_t count)
{
	struct colinux_regs r = { .size = sizeof(r),
				  .abi_version = COLINUX_ABI_VERSION };
	FILE *f = fopen(payload_path, "rb");
	size_t n;

	if (!f) {
		ok(0, "open %s: %s", payload_path, strerror(errno));
		return -1;
	}
	n = fread(g->ram + PAYLOAD_OFF, 1, 1 << 20, f);
	fclose(f);
	if (!n) {
		ok(0, "%s is empty", payload_path);
		return -1;
	}
	memset(g->ram + DATA_OFF, 0, 0x4000);
	r.rip = g->base + PAYLOAD_OFF;
	r.rsp = g->base + STACK_TOP_OFF;
	r.rdi = mode;
	r.rsi = g->setup.passage_entry;
	r.rdx = count;
	r.rcx = g->base + DATA_OFF;
	if (ioctl(g->fd, COLINUX_SET_REGS, &r)) {
		ok(0, "SET_REGS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static uint64_t guest_counter(struct guest *g)
{
	return *(volatile uint64_t *)(g->ram + DATA_OFF);
}

static void run_init(struct colinux_run *run, uint32_t flags)
{
	memset(run, 0, sizeof(*run));
	run->size = sizeof(*run);
	run->abi_version = COLINUX_ABI_VERSION;
	run->flags = flags;
}

/* RUN until something other than a signal stops it; -1 on error. */
static int guest_run(struct guest *g, struct colinux_run *run,
		     volatile sig_atomic_t *stop)
{
	for (;;) {
		if (ioctl(g->fd, COLINUX_RUN, run)) {
			diag("RUN: %s %s", strerror(errno), run->message);
			return -1;
		}
		if (run->exit_reason != COLINUX_EXIT_NONE)
			return 0;
		if (stop && *stop)
			return 0;
	}
}

static const char *exit_name(uint32_t e)
{
	static const char *const names[] = { "none", "call", "fault",
					     "passage fault", "host state" };

	return e < 5 ? names[e] : "?";
}

static void report_run(const struct colinux_run *run)
{
	diag("exit %s; round trips %llu, nop calls %llu, irqs %llu, nmis %llu (in passage %llu), isr dirty %llu, host checks %llu",
	     exit_name(run->exit_reason), (unsigned long long)run->round_trips,
	     (unsigned long long)run->nop_calls,
	     (unsigned long long)run->forwarded_irqs,
	     (unsigned long long)run->forwarded_nmis,
	     (unsigned long long)run->passage_nmis,
	     (unsigned long long)run->apic_isr_dirty,
	     (unsigned long long)run->host_state_checks);
	if (run->message[0])
		diag("message: %s", run->message);
	if (run->exit_reason == COLINUX_EXIT_FAULT ||
	    run->exit_reason == COLINUX_EXIT_PASSAGE_FAULT)
		diag("fault: vector %llu error %#llx rip %#llx cr2 %#llx",
		     (unsigned long long)run->fault.vector,
		     (unsigned long long)run->fault.error_code,
		     (unsigned long long)run->fault.rip,
		     (unsigned long long)run->fault.cr2);
}

/* Tests 1 and 2: exact round-trip count, host state checked every time. */
static int cmd_roundtrip(uint64_t mode, uint64_t n)
{
	const char *what = mode == MODE_ROUNDTRIP ? "roundtrip" : "own tables";
	struct colinux_run run;
	struct guest g;
	double t0, t1;

	if (guest_open(&g, 16) || guest_load(&g, mode, n))
		return 1;
	run_init(&run, COLINUX_RUN_CHECK_HOST);
	t0 = now(CLOCK_MONOTONIC);
	guest_run(&g, &run, NULL);
	t1 = now(CLOCK_MONOTONIC);
	report_run(&run);
	ok(run.exit_reason == COLINUX_EXIT_CALL && run.call.op == OP_DONE,
	   "%s: payload finished with DONE", what);
	ok(run.call.arg[0] == n && guest_counter(&g) == n && run.nop_calls == n,
	   "%s: %llu round trips, payload counter %llu exact", what,
	   (unsigned long long)n, (unsigned long long)run.call.arg[0]);
	ok(run.call.arg[1] == 0,
	   "%s: payload's registers, xmm0%s preserved (status %llu)", what,
	   mode == MODE_OWN_TABLES ? ", own TR and IST" : "",
	   (unsigned long long)run.call.arg[1]);
	ok(run.exit_reason != COLINUX_EXIT_HOST_STATE &&
		   run.host_state_checks >= n,
	   "%s: host CRs, GDT/IDT/TR/LDT, selectors, bases, MSRs, XCR0, PKRU identical on %llu round trips",
	   what, (unsigned long long)run.host_state_checks);
	diag("%s: %.2f us per round trip (with host state checks)", what,
	     (t1 - t0) * 1e6 / (n ? n : 1));
	guest_close(&g);
	return 0;
}

static volatile sig_atomic_t alarm_fired;
static volatile int shootdown_stop;

static void on_alarm(int sig)
{
	(void)sig;
	alarm_fired = 1;
}

/* TLB shootdowns: unmapping in this mm IPIs every CPU that runs it. */
static void *shootdown_thread(void *arg)
{
	cpu_set_t set;
	unsigned long n = 0;

	(void)arg;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	while (!shootdown_stop) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			break;
		p[0] = 1;
		munmap(p, 4096);
		if (++n % 64 == 0)
			usleep(1000);
	}
	return NULL;
}

static void arm_alarm(unsigned int seconds)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	alarm_fired = 0;
	alarm(seconds);
}

/* Test 3: interrupts on in the guest for SECONDS. */
static int cmd_spin(unsigned int seconds)
{
	struct colinux_run run;
	struct guest g;
	pthread_t t;
	uint64_t c0;
	double t0;

	if (guest_open(&g, 16) || guest_load(&g, MODE_SPIN, 0))
		return 1;
	pthread_create(&t, NULL, shootdown_thread, NULL);
	run_init(&run, 0);
	printf("COTEST clock irq-start %.3f\n", now(CLOCK_REALTIME));
	t0 = now(CLOCK_MONOTONIC);
	arm_alarm(seconds);
	guest_run(&g, &run, &alarm_fired);
	c0 = guest_counter(&g);
	printf("COTEST clock irq-end %.3f\n", now(CLOCK_REALTIME));
	shootdown_stop = 1;
	pthread_join(t, NULL);
	report_run(&run);
	ok(run.exit_reason == COLINUX_EXIT_NONE && alarm_fired,
	   "spin: guest ran with interrupts on until the host's signal (%.1f s)",
	   now(CLOCK_MONOTONIC) - t0);
	ok(run.forwarded_irqs > seconds * 50ULL,
	   "spin: %llu host interrupts forwarded to the host IDT",
	   (unsigned long long)run.forwarded_irqs);
	ok(run.apic_isr_dirty == 0,
	   "spin: APIC ISR clean after every forwarded interrupt");
	ok(c0 > 1000, "spin: payload made progress (%llu loops)",
	   (unsigned long long)c0);
	guest_close(&g);
	return 0;
}

/* Test 4: round trips for SECONDS while the harness injects NMIs. */
static int cmd_nmi(unsigned int seconds)
{
	struct colinux_run run;
	struct guest g;
	uint64_t c;

	if (guest_open(&g, 16) || guest_load(&g, MODE_ROUNDTRIP, ~0ULL >> 1))
		return 1;
	run_init(&run, 0);
	printf("COTEST nmi %u 100 %d\n", seconds * 10, sched_getcpu());
	fflush(stdout);
	arm_alarm(seconds);
	guest_run(&g, &run, &alarm_fired);
	report_run(&run);
	c = guest_counter(&g);
	ok(run.exit_reason == COLINUX_EXIT_NONE,
	   "nmi: round trips ran on through the NMIs (%llu)",
	   (unsigned long long)run.nop_calls);
	ok(c == run.nop_calls || c + 1 == run.nop_calls,
	   "nmi: payload counter %llu matches the driver's %llu",
	   (unsigned long long)c, (unsigned long long)run.nop_calls);
	ok(run.forwarded_nmis > 0,
	   "nmi: %llu NMIs reached the guest and were forwarded, %llu of them caught in the passage",
	   (unsigned long long)run.forwarded_nmis,
	   (unsigned long long)run.passage_nmis);
	guest_close(&g);
	return 0;
}

/* Test 5: a page fault in the payload. */
static int cmd_fault(void)
{
	struct colinux_run run;
	struct guest g;
	int again;

	if (guest_open(&g, 16) || guest_load(&g, MODE_FAULT, 0))
		return 1;
	run_init(&run, 0);
	guest_run(&g, &run, NULL);
	report_run(&run);
	ok(run.exit_reason == COLINUX_EXIT_FAULT && run.fault.vector == 14 &&
		   run.fault.cr2 == FAULT_ADDR &&
		   run.fault.rip >= g.base + PAYLOAD_OFF &&
		   run.fault.rip < g.base + PAYLOAD_OFF + 4096,
	   "fault: page fault exit, vector %llu at %#llx, rip in the payload",
	   (unsigned long long)run.fault.vector,
	   (unsigned long long)run.fault.cr2);
	again = ioctl(g.fd, COLINUX_RUN, &run);
	ok(again == -1 && errno == ESRCH, "fault: RUN on a dead guest: %s",
	   strerror(errno));
	guest_close(&g);
	return 0;
}

/* An exception inside the passage itself. */
static int cmd_badsel(void)
{
	struct colinux_run run;
	struct guest g;

	if (guest_open(&g, 16) || guest_load(&g, MODE_BAD_SELECTOR, 0))
		return 1;
	run_init(&run, 0);
	guest_run(&g, &run, NULL);
	report_run(&run);
	ok(run.exit_reason == COLINUX_EXIT_PASSAGE_FAULT &&
		   run.fault.vector == 13,
	   "passage fault: #GP loading the guest's %%ds became a clean exit (vector %llu)",
	   (unsigned long long)run.fault.vector);
	guest_close(&g);
	return 0;
}

/* Test 6: refusals. */
static int cmd_badcalls(void)
{
	struct colinux_setup s;
	struct colinux_run run;
	struct colinux_regs r;
	int fd = open("/dev/colinux", O_RDWR), ret, err;
	pid_t pid;
	void *p;

	if (fd < 0) {
		ok(0, "open /dev/colinux: %s", strerror(errno));
		return 1;
	}
	ret = ioctl(fd, COLINUX_GET_ABI_VERSION);
	ok(ret == COLINUX_ABI_VERSION, "badcalls: GET_ABI_VERSION is %d", ret);

	run_init(&run, 0);
	ret = ioctl(fd, COLINUX_RUN, &run);
	ok(ret == -1 && errno == EBADFD, "badcalls: RUN before SETUP: %s",
	   strerror(errno));
	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.abi_version = COLINUX_ABI_VERSION;
	ret = ioctl(fd, COLINUX_SET_REGS, &r);
	ok(ret == -1 && errno == EBADFD, "badcalls: SET_REGS before SETUP: %s",
	   strerror(errno));
	p = mmap(NULL, 1 << 20, PROT_READ, MAP_SHARED, fd, 0);
	ok(p == MAP_FAILED && errno == EBADFD,
	   "badcalls: mmap before SETUP: %s", strerror(errno));

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.abi_version = COLINUX_ABI_VERSION + 1;
	s.mem_size = 16 << 20;
	ret = ioctl(fd, COLINUX_SETUP, &s);
	err = errno;
	ok(ret == -1 && err == EPROTO && strstr((char *)s.message, "ABI"),
	   "badcalls: wrong ABI version refused: %s: %s", strerror(err),
	   s.message);

	s.abi_version = COLINUX_ABI_VERSION;
	s.size = sizeof(s) - 8;
	ret = ioctl(fd, COLINUX_SETUP, &s);
	err = errno;
	ok(ret == -1 && err == EPROTO,
	   "badcalls: wrong struct size refused: %s", s.message);

	s.size = sizeof(s);
	s.mem_size = 1ULL << 40;
	ret = ioctl(fd, COLINUX_SETUP, &s);
	err = errno;
	ok(ret == -1 && err == ENOMEM && strstr((char *)s.message, "asked") &&
		   strstr((char *)s.message, "1048576 MiB"),
	   "badcalls: 1 TiB refused: %s: %s", strerror(err), s.message);

	s.mem_size = 5 << 20;
	ret = ioctl(fd, COLINUX_SETUP, &s);
	err = errno;
	ok(ret == -1 && err == EINVAL, "badcalls: 5 MiB refused: %s",
	   s.message);

	s.mem_size = 16 << 20;
	ret = ioctl(fd, COLINUX_SETUP, &s);
	ok(ret == 0, "badcalls: a good SETUP after the bad ones: %s",
	   s.message);
	ret = ioctl(fd, COLINUX_RUN, &run);
	ok(ret == -1 && errno == EBADFD, "badcalls: RUN before SET_REGS: %s",
	   strerror(errno));
	ret = ioctl(fd, COLINUX_SETUP, &s);
	ok(ret == -1 && errno == EEXIST, "badcalls: second SETUP: %s",
	   s.message);
	r.rsp = 0x1000; /* not guest RAM */
	ret = ioctl(fd, COLINUX_SET_REGS, &r);
	ok(ret == -1 && errno == EFAULT,
	   "badcalls: SET_REGS with a stack outside guest RAM: %s",
	   strerror(errno));
	run.abi_version = 0;
	ret = ioctl(fd, COLINUX_RUN, &run);
	ok(ret == -1 && errno == EPROTO, "badcalls: RUN with ABI version 0: %s",
	   strerror(errno));
	ret = ioctl(fd, _IO(COLINUX_IOCTL_MAGIC, 99));
	ok(ret == -1 && errno == ENOTTY, "badcalls: unknown ioctl: %s",
	   strerror(errno));
	close(fd);

	/* Only root may open the device. */
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open("/dev/colinux", O_RDWR);
		_exit(fd < 0 && (errno == EACCES || errno == EPERM) ? 0 : 1);
	}
	waitpid(pid, &ret, 0);
	ok(WIFEXITED(ret) && WEXITSTATUS(ret) == 0,
	   "badcalls: a non-root user can not open /dev/colinux");
	return 0;
}

static int cmd_alloc(uint64_t mib)
{
	struct guest g;
	uint32_t i;

	if (guest_open(&g, mib))
		return 1;
	for (i = 0; i < g.setup.nr_blocks; i++)
		printf("block %#llx %#llx\n",
		       (unsigned long long)g.setup.blocks[i].phys,
		       (unsigned long long)g.setup.blocks[i].size);
	printf("message %s\n", g.setup.message);
	guest_close(&g);
	return 0;
}

/* Set up a guest and spin in it until killed (kill -9 test). */
static int cmd_hold(uint64_t mib)
{
	struct colinux_run run;
	struct guest g;

	if (guest_open(&g, mib) || guest_load(&g, MODE_SPIN, 0))
		return 1;
	printf("holding\n");
	fflush(stdout);
	run_init(&run, 0);
	for (;;)
		guest_run(&g, &run, NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The benchmark: one round trip against one getppid() system call, in three
 * alternating runs of N each; the median of each is reported.
 */
static int cmd_bench(uint64_t n)
{
	double rt[3], sc[3], ratio[3], t0, t1, t2;
	struct colinux_run run;
	struct guest g;
	uint64_t i;
	int k, good = 1;

	for (k = 0; k < 3; k++) {
		if (guest_open(&g, 16) || guest_load(&g, MODE_ROUNDTRIP, n))
			return 1;
		run_init(&run, 0);
		t0 = now(CLOCK_MONOTONIC);
		guest_run(&g, &run, NULL);
		t1 = now(CLOCK_MONOTONIC);
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
		t2 = now(CLOCK_MONOTONIC);
		good &= run.nop_calls == n;
		rt[k] = (t1 - t0) / n;
		sc[k] = (t2 - t1) / n;
		ratio[k] = rt[k] / sc[k];
		guest_close(&g);
	}
	qsort(rt, 3, sizeof(double), cmp_double);
	qsort(sc, 3, sizeof(double), cmp_double);
	qsort(ratio, 3, sizeof(double), cmp_double);
	ok(good, "bench: 3 x %llu round trips", (unsigned long long)n);
	printf("COTEST bench round_trip_us=%.3f getppid_us=%.3f ratio=%.1f (medians of 3)\n",
	       rt[1] * 1e6, sc[1] * 1e6, ratio[1]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	uint64_t arg = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("COTEST_PAYLOAD"))
		payload_path = getenv("COTEST_PAYLOAD");
	if (!strcmp(cmd, "roundtrip"))
		return cmd_roundtrip(MODE_ROUNDTRIP, arg);
	if (!strcmp(cmd, "owntables"))
		return cmd_roundtrip(MODE_OWN_TABLES, arg);
	if (!strcmp(cmd, "spin"))
		return cmd_spin(arg);
	if (!strcmp(cmd, "nmi"))
		return cmd_nmi(arg);
	if (!strcmp(cmd, "fault"))
		return cmd_fault();
	if (!strcmp(cmd, "badsel"))
		return cmd_badsel();
	if (!strcmp(cmd, "badcalls"))
		return cmd_badcalls();
	if (!strcmp(cmd, "alloc"))
		return cmd_alloc(arg);
	if (!strcmp(cmd, "hold"))
		return cmd_hold(arg);
	if (!strcmp(cmd, "bench"))
		return cmd_bench(arg);
	fprintf(stderr, "usage: cotest COMMAND [ARG] (see cotest.c)\n");
	return 2;
}
