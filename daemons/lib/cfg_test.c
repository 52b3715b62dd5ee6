// SPDX-License-Identifier: GPL-2.0
/* cfg_test.c --- unit tests for the configuration parser. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!strcmp(files[i].name, path)) {
			*text = strdup(files[i].text);
			*len = strlen(files[i].text);
			return 0;
		}
	}
	return -ENOENT;
}

static int parse(struct co_cfg *cfg, struct co_cfg_error *err, int argc,
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
	struct co_cfg_error err;
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
	struct co_cfg_error err;
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
	};
	struct co_cfg_error err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 3, argv), 0);
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
	struct co_cfg_error err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 4, argv), 0);
	CHECK_INT(cfg.mem_mb, 0);
	CHECK_STR(cfg.cmdline, "memmap=64M$0x1000000 cobdx=1 ethtool=1 quiet");
	co_cfg_free(&cfg);
}

static void expect_error(char *token, const char *where, const char *msg)
{
	char *const argv[] = { token };
	struct co_cfg_error err;
	struct co_cfg cfg;

	CHECK_INT(parse(&cfg, &err, 1, argv), -EINVAL);
	CHECK_STR(err.where, where);
	if (!strstr(err.msg, msg)) {
		printf("# error was \"%s\", wanted \"%s\"\n", err.msg, msg);
		CHECK(0);
	}
	co_cfg_free(&cfg);
}

static void test_errors_name_key_and_reason(void)
{
	expect_error("mem=lots", "argument 1",
		     "mem: 'lots' is not a number of MiB");
	expect_error("mem=4", "argument 1", "from 16 to");
	expect_error("cobd32=x.img", "argument 1",
		     "cobd32: index out of range (cobd0 to cobd31)");
	expect_error("eth0=carrier-pigeon", "argument 1",
		     "eth0: unknown network type 'carrier-pigeon'");
	expect_error("eth0=slirp,01:00:00:00:00:01", "argument 1",
		     "eth0: '01:00:00:00:00:01' is not a unicast MAC");
	expect_error("eth0=slirp,,tcp:70000:22", "argument 1",
		     "eth0: bad port forward 'tcp:70000:22'");
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
	RUN_TEST(test_errors_name_key_and_reason);
	return check_failures != 0;
}
