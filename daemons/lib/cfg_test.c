// SPDX-License-Identifier: GPL-2.0
/* cfg_test.c --- unit tests for the configuration parser. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <co/array_size.h>
#include <co/cfg.h>

#include "../../tests/lib/check.h"

/* In-memory files for @file tokens. */
static const struct {
	const char *name, *text;
} files[] = {
	{ "base.conf", "# a comment\nkernel=vmlinux\nmem=256 # trailing\n"
		       "cobd0=\"/srv/my images/root.img\"\n"
		       "root=/dev/cobd0 ro\n" },
	{ "override.conf", "mem=1024\n@base.conf\nmem=512\n" },
	{ "loop.conf", "@loop.conf\n" },
	{ "bad.conf", "kernel=vmlinux\n\nmem=lots\n" },
	{ "quote.conf", "cobd0=\"unterminated\n" },
};

static int reader(void *ctx, const char *path, char **text, size_t *len)
{
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (!strcmp(files[i].name, path)) {
			*text = strdup(files[i].text);
			*len = strlen(files[i].text);
			return 0;
		}
	}
	return -ENOENT;
}

static int parse(struct co_cfg *cfg, struct co_err *err, int argc,
		 char *const argv[])
{
	co_cfg_init(cfg);
	memset(err, 0, sizeof(*err));
	return co_cfg_parse_args(cfg, argc, argv, reader, NULL, err);
}

static void test_design_example(void)
{
	char *const argv[] = { "kernel=vmlinux",
			       "mem=512",
			       "cobd0=debian.img",
			       "cobd1=swap.img",
			       "eth0=slirp,,tcp:2222:22/udp:5353:53",
			       "cofs0=/srv/share",
			       "root=/dev/cobd0",
			       "console=hvc0" };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 8, argv), 0);
	CHECK_STR(cfg.kernel, "vmlinux");
	CHECK_INT(cfg.mem_mb, 512);
	CHECK_STR(cfg.cobd[0], "debian.img");
	CHECK_STR(cfg.cobd[1], "swap.img");
	CHECK(cfg.cobd[2] == NULL);
	CHECK_INT(cfg.eth[0].type, CO_NET_SLIRP);
	CHECK(!cfg.eth[0].mac_set);
	CHECK_INT(cfg.eth[0].nredirs, 2);
	CHECK_INT(cfg.eth[0].redir[0].host_port, 2222);
	CHECK_INT(cfg.eth[0].redir[0].guest_port, 22);
	CHECK(!cfg.eth[0].redir[0].udp);
	CHECK(cfg.eth[0].redir[1].udp);
	CHECK_STR(cfg.cofs[0], "/srv/share");
	CHECK_STR(cfg.cmdline, "root=/dev/cobd0 console=hvc0");
	co_cfg_free(&cfg);
}

static void test_files_and_override(void)
{
	char *const argv[] = { "@override.conf", "init=/bin/sh" };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 2, argv), 0);
	/* Later values override earlier ones, across files. */
	CHECK_INT(cfg.mem_mb, 512);
	CHECK_STR(cfg.cobd[0], "/srv/my images/root.img");
	CHECK_STR(cfg.cmdline, "root=/dev/cobd0 ro init=/bin/sh");
	co_cfg_free(&cfg);
}

static void test_net_forms(void)
{
	char *const argv[] = {
		"eth0=slirp,02:00:00:00:00:01,tcp:8000:80:3",
		"eth1=tuntap,\"my tap\",02:00:00:00:00:02",
		"eth2=pcap-bridge,eth0",
		"eth3=slirp,,tcp:2222:22,restrict/bind=0.0.0.0",
	};
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 4, argv), 0);
	CHECK(!cfg.eth[0].restricted);
	CHECK(cfg.eth[0].bind == NULL);
	CHECK(cfg.eth[3].restricted);
	CHECK_STR(cfg.eth[3].bind, "0.0.0.0");
	CHECK_INT(cfg.eth[3].nredirs, 1);
	CHECK(cfg.eth[0].mac_set);
	CHECK_INT(cfg.eth[0].mac[5], 1);
	CHECK_INT(cfg.eth[0].nredirs, 3);
	CHECK_INT(cfg.eth[0].redir[2].host_port, 8002);
	CHECK_INT(cfg.eth[0].redir[2].guest_port, 82);
	CHECK_INT(cfg.eth[1].type, CO_NET_TAP);
	CHECK_STR(cfg.eth[1].ifname, "my tap");
	CHECK_INT(cfg.eth[1].mac[5], 2);
	CHECK_INT(cfg.eth[2].type, CO_NET_PCAP);
	CHECK_STR(cfg.eth[2].ifname, "eth0");
	co_cfg_free(&cfg);
}

/* Parameters that merely start like keys belong to the kernel. */
static void test_kernel_params_not_keys(void)
{
	char *const argv[] = { "memmap=64M$0x1000000", "cobdx=1", "ethtool=1",
			       "quiet" };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 4, argv), 0);
	CHECK_INT(cfg.mem_mb, 0);
	CHECK_STR(cfg.cmdline, "memmap=64M$0x1000000 cobdx=1 ethtool=1 quiet");
	co_cfg_free(&cfg);
}

static void expect_error(char *token, const char *where, const char *msg)
{
	char *const argv[] = { token };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 1, argv), -EINVAL);
	/* One line: where, then the key and the reason. */
	if (strncmp(err.msg, where, strlen(where)) ||
	    strncmp(err.msg + strlen(where), ": ", 2) ||
	    !strstr(err.msg, msg) || strchr(err.msg, '\n')) {
		printf("# error was \"%s\", wanted \"%s: ...%s...\"\n", err.msg,
		       where, msg);
		CHECK(0);
	}
	co_cfg_free(&cfg);
}

static void test_cobd_read_only(void)
{
	char *const argv[] = { "cobd0=a.img,ro", "cobd1=\"x,y.img\"",
			       "cobd2=c.img,ro", "cobd2=c.img" };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 4, argv), 0);
	CHECK_STR(cfg.cobd[0], "a.img");
	CHECK(cfg.cobd_flags[0] == CO_COBD_RO);
	CHECK_STR(cfg.cobd[1], "x,y.img");
	CHECK(!cfg.cobd_flags[1]);
	/* The later value wins, the flag with it. */
	CHECK_STR(cfg.cobd[2], "c.img");
	CHECK(!cfg.cobd_flags[2]);
	co_cfg_free(&cfg);
}

/* Any whole number of MiB from the smallest guest that boots. */
static void test_cobd_unsafe(void)
{
	char *const argv[] = { "cobd0=a.img,unsafe", "cobd1=b.img,unsafe,ro" };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 2, argv), 0);
	CHECK(cfg.cobd_flags[0] == CO_COBD_UNSAFE);
	CHECK(cfg.cobd_flags[1] == (CO_COBD_UNSAFE | CO_COBD_RO));
	co_cfg_free(&cfg);
}

static void test_cofs_read_only(void)
{
	char *const argv[] = { "cofs0=/srv/a", "cofs1=\"/srv/b,c\",ro" };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 2, argv), 0);
	CHECK_STR(cfg.cofs[0], "/srv/a");
	CHECK_INT(cfg.cofs_flags[0], 0);
	CHECK_STR(cfg.cofs[1], "/srv/b,c");
	CHECK_INT(cfg.cofs_flags[1], CO_COFS_RO);
	co_cfg_free(&cfg);
}

static void test_exec(void)
{
	char *const argv[] = { "exec0=/usr/bin/true", "exec3=Xvfb,\":1  -ac\"",
			       "exec15=\"/opt/a,b/x\",\"-o a,b\"", "exec1=old",
			       "exec1=new,-v" };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 5, argv), 0);
	CHECK_STR(cfg.exec[0].argv[0], "/usr/bin/true");
	CHECK(cfg.exec[0].argv[1] == NULL);
	CHECK_STR(cfg.exec[3].argv[0], "Xvfb");
	CHECK_STR(cfg.exec[3].argv[1], ":1");
	CHECK_STR(cfg.exec[3].argv[2], "-ac");
	CHECK(cfg.exec[3].argv[3] == NULL);
	CHECK_STR(cfg.exec[15].argv[0], "/opt/a,b/x");
	CHECK_STR(cfg.exec[15].argv[1], "-o");
	CHECK_STR(cfg.exec[15].argv[2], "a,b");
	CHECK_STR(cfg.exec[1].argv[0], "new"); /* a later value wins */
	CHECK_STR(cfg.exec[1].argv[1], "-v");
	CHECK(cfg.exec[2].argv == NULL);
	CHECK(strstr(cfg.cmdline, "exec") == NULL);
	co_cfg_free(&cfg);
}

static void test_mem_any_size(void)
{
	char *const argv[] = { "mem=97", "mem=32" };
	struct co_err err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 1, argv), 0);
	CHECK_INT(cfg.mem_mb, 97);
	co_cfg_free(&cfg);
	CHECK_INT(parse(&cfg, &err, 1, argv + 1), 0);
	CHECK_INT(cfg.mem_mb, 32);
	co_cfg_free(&cfg);
}

static void test_errors_name_key_and_reason(void)
{
	expect_error("cobd0=a.img,rw", "argument 1",
		     "cobd0: 'a.img,rw' is not PATH[,ro][,unsafe]");
	expect_error("cobd0=a.img,ro,unsafe,ro", "argument 1",
		     "cobd0: 'a.img,ro,unsafe,ro' is not PATH[,ro][,unsafe]");
	expect_error("cobd0=a,b,ro", "argument 1", "quote a path with a comma");
	expect_error("cobd0=,ro", "argument 1", "cobd0: empty value");
	expect_error("cofs0=/srv,rw", "argument 1",
		     "cofs0: '/srv,rw' is not DIR[,ro]");
	expect_error("cofs0=/srv,ro,ro", "argument 1",
		     "cofs0: '/srv,ro,ro' is not DIR[,ro]");
	expect_error("cofs0=,ro", "argument 1", "cofs0: empty value");
	expect_error("cofs32=/srv", "argument 1",
		     "cofs32: index out of range (cofs0 to cofs31)");
	expect_error("mem=lots", "argument 1",
		     "mem: 'lots' is not a number of MiB");
	expect_error("mem=31", "argument 1",
		     "from 32 (the smallest guest that boots) to");
	expect_error("cobd32=x.img", "argument 1",
		     "cobd32: index out of range (cobd0 to cobd31)");
	expect_error("eth0=carrier-pigeon", "argument 1",
		     "eth0: unknown network type 'carrier-pigeon'");
	expect_error("eth0=slirp,01:00:00:00:00:01", "argument 1",
		     "eth0: '01:00:00:00:00:01' is not a unicast MAC");
	expect_error("eth0=slirp,,tcp:70000:22", "argument 1",
		     "eth0: bad port forward 'tcp:70000:22'");
	expect_error("eth0=slirp,,,open", "argument 1",
		     "eth0: unknown slirp option 'open'");
	expect_error("exec0=", "argument 1", "exec0: '' is not PROGRAM[,ARGS]");
	expect_error("exec0=,-v", "argument 1",
		     "exec0: ',-v' is not PROGRAM[,ARGS]");
	expect_error("exec0=x,a,b", "argument 1", "quote ARGS with a comma");
	expect_error("exec16=x", "argument 1",
		     "exec16: index out of range (exec0 to exec15)");
	expect_error("kernel=", "argument 1", "kernel: empty value");
	expect_error("@missing.conf", "argument 1",
		     "@missing.conf: No such file or directory");
	expect_error("@bad.conf", "bad.conf:3", "mem: 'lots'");
	expect_error("@loop.conf", "loop.conf:1", "more than 8 deep");
	expect_error("@quote.conf", "quote.conf:1", "unterminated quote");
}

int main(void)
{
	RUN_TEST(test_design_example);
	RUN_TEST(test_files_and_override);
	RUN_TEST(test_net_forms);
	RUN_TEST(test_kernel_params_not_keys);
	RUN_TEST(test_cobd_read_only);
	RUN_TEST(test_cobd_unsafe);
	RUN_TEST(test_cofs_read_only);
	RUN_TEST(test_exec);
	RUN_TEST(test_mem_any_size);
	RUN_TEST(test_errors_name_key_and_reason);
	return check_failures != 0;
}
