// SPDX-License-Identifier: GPL-2.0
/*
 * launch_test.c --- colinux-run's pure part: the instance from a
 * configuration, path mapping, and the remote command, which is run here by
 * the build machine's sh against a fake /proc/mounts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"

#include "../../tests/lib/check.h"

static int from_text(struct co_launch *l, struct co_cfg *cfg, const char *text,
		     struct co_err *err)
{
	int ret;

	co_cfg_init(cfg);
	ret = co_cfg_parse_text(cfg, text, strlen(text), "t.conf", NULL, NULL,
				err);
	return ret ? ret : co_launch_from_cfg(l, cfg, "t.conf", err);
}

static void test_instance(void)
{
	struct co_launch l;
	struct co_cfg cfg;
	struct co_err err = { "" };

	CHECK_INT(
		from_text(
			&l, &cfg,
			"eth0=tuntap eth1=slirp,,udp:53:22/tcp:8080:80/tcp:2200:22 "
			"cofs0=/srv/a cofs3=rel/dir colinux.user=old quiet colinux.user=tux",
			&err),
		0);
	CHECK_STR(err.msg, "");
	CHECK_STR(l.user, "tux");
	CHECK_INT(l.port, 2200);
	CHECK_INT(l.eth, 1);
	CHECK_STR(l.share[0], "/srv/a");
	CHECK(l.share[3] == NULL); /* relative: the daemon's, not ours */
	co_cfg_free(&cfg);

	CHECK_INT(from_text(&l, &cfg, "eth0=slirp,,tcp:2222:22", &err),
		  -EINVAL);
	CHECK(strstr(err.msg, "t.conf: no colinux.user=NAME") == err.msg);
	co_cfg_free(&cfg);
	CHECK_INT(from_text(&l, &cfg, "colinux.user=tux eth0=slirp,,tcp:80:80",
			    &err),
		  -ENOENT);
	CHECK(strstr(err.msg, "no forward to the guest's SSH port"));
	co_cfg_free(&cfg);
	CHECK_INT(from_text(&l, &cfg, "xcolinux.user=tux", &err), -EINVAL);
	co_cfg_free(&cfg);
	CHECK_INT(from_text(&l, &cfg, "colinux.user=Tux;rm", &err), -EINVAL);
	CHECK(strstr(err.msg, "colinux.user=Tux;rm: not a user name"));
	co_cfg_free(&cfg);
	CHECK_INT(from_text(&l, &cfg, "colinux.user=root", &err), -EINVAL);
	CHECK(strstr(err.msg, "not run programs as the guest's root"));
	co_cfg_free(&cfg);
}

static void test_map(void)
{
	struct co_launch l = {
		.share = { [0] = "/srv/a", [2] = "/srv/a/b/", [5] = "/" }
	};
	struct co_mapped m;

	m = co_launch_map(&l, "/srv/a");
	CHECK_INT(m.share, 0);
	CHECK_STR(m.rel, "");
	m = co_launch_map(&l, "/srv/a/x/y");
	CHECK_INT(m.share, 0);
	CHECK_STR(m.rel, "x/y");
	m = co_launch_map(&l, "/srv/a/b/c"); /* the deeper share */
	CHECK_INT(m.share, 2);
	CHECK_STR(m.rel, "c");
	m = co_launch_map(&l, "/srv/ab");
	CHECK_INT(m.share, 5);
	CHECK_STR(m.rel, "srv/ab");
	l.share[5] = NULL;
	m = co_launch_map(&l, "/srv/ab");
	CHECK_INT(m.share, -1);
}

static void test_quote(void)
{
	struct co_buf b = { 0 };

	co_sh_quote(&b, "it's $HOME `x` \"y\"");
	CHECK_STR(b.data, "'it'\\''s $HOME `x` \"y\"'");
	free(b.data);
}

/*
 * Run the remote command @cmd with sh from @dir/home, @dir/mounts standing
 * in for /proc/mounts; its stdout and stderr into @out.  Its exit status.
 */
static int run_sh(const char *dir, const char *cmd, char *out, size_t n)
{
	struct co_buf c = { 0 }, b = { 0 };
	const char *s = cmd, *hit;
	size_t got;
	FILE *p;
	int st;

	while ((hit = strstr(s, "/proc/mounts"))) {
		co_buf_add(&c, s, hit - s);
		co_buf_str(&c, dir);
		co_buf_str(&c, "/mounts");
		s = hit + strlen("/proc/mounts");
	}
	co_buf_str(&c, s);
	co_buf_str(&b, "cd ");
	co_sh_quote(&b, dir);
	co_buf_str(&b, "/home && sh -c ");
	co_sh_quote(&b, c.data);
	co_buf_str(&b, " 2>&1");
	p = popen(b.data, "r");
	got = fread(out, 1, n - 1, p);
	out[got] = '\0';
	st = pclose(p);
	free(b.data);
	free(c.data);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_mounts(const char *dir, const char *lines)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/mounts", dir);
	f = fopen(path, "w");
	if (f) {
		fputs(lines, f);
		fclose(f);
	}
}

/* The command built for @argv from host directory @cwd (with @socks), run by sh. */
static int command(const struct co_launch *l, const char *dir, const char *cwd,
		   int argc, char *argv[], char *out, size_t n,
		   const struct co_launch_socks *socks)
{
	static const struct co_launch_socks none;
	struct co_mapped map[8];
	struct co_buf b = { 0 };
	int st;

	for (int i = 0; i < argc; i++)
		map[i] = co_launch_map(l, argv[i]);
	co_launch_command(&b, l, co_launch_map(l, cwd), argc, argv, map,
			  socks ? socks : &none);
	CHECK(!b.error);
	st = run_sh(dir, b.data, out, n);
	free(b.data);
	return st;
}

/*
 * Wayland: with waypipe in the guest (here a stand-in on PATH that records
 * its arguments and runs the program), the program runs under "waypipe
 * server"; a missing program is the shell's 127, not waypipe's failure;
 * without waypipe the program runs as it is.  The sockets are gone after.
 */
static void test_waypipe(const struct co_launch *l, const char *dir)
{
	char *prog[] = { "sh", "-c", "echo \"<$*>\"; exit 6", "-", "a b" };
	char *missing[] = { "no-such-program-here" };
	char wp[64], wl[64], bin[64], cmd[1024], out[1024], want[1024];
	struct co_launch_socks socks = { .waypipe = wp, .wayland = wl };
	const char *path = getenv("PATH");
	char *saved = strdup(path ? path : "/usr/bin:/bin");

	snprintf(wp, sizeof(wp), "%s/waypipe sock", dir);
	snprintf(wl, sizeof(wl), "%s/wayland sock", dir);
	snprintf(bin, sizeof(bin), "%s/bin", dir);
	snprintf(
		cmd, sizeof(cmd),
		"mkdir -p '%s' && touch '%s' '%s' && "
		"printf '#!/bin/sh\\n[ \"$1\" = --version ] && exit\\n"
		"echo \"waypipe $*\"\\n"
		"while [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"\\n' >'%s/waypipe' && "
		"chmod 755 '%s/waypipe'",
		bin, wp, wl, bin, bin);
	CHECK_INT(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s:%s", bin, saved);
	setenv("PATH", cmd, 1);
	CHECK_INT(command(l, dir, "/elsewhere", 5, prog, out, sizeof(out),
			  &socks),
		  6);
	snprintf(
		want, sizeof(want),
		"waypipe --no-gpu --unlink-socket --socket %s --display %s server -- sh -c echo \"<$*>\"; exit 6 - a b\n<a b>\n",
		wp, wl);
	CHECK_STR(out, want);
	CHECK(access(wp, F_OK) != 0 && access(wl, F_OK) != 0);
	CHECK_INT(command(l, dir, "/elsewhere", 1, missing, out, sizeof(out),
			  &socks),
		  127);
	CHECK_STR(out, "sh: no-such-program-here: not found\n");

	/* No waypipe in the guest: the program as it is, the socket gone. */
	snprintf(cmd, sizeof(cmd), "rm '%s/waypipe' && touch '%s'", bin, wp);
	CHECK_INT(system(cmd), 0);
	CHECK_INT(command(l, dir, "/elsewhere", 5, prog, out, sizeof(out),
			  &socks),
		  6);
	CHECK_STR(out, "<a b>\n");
	CHECK(access(wp, F_OK) != 0);
	setenv("PATH", saved, 1);
	free(saved);
}

static void test_command(void)
{
	struct co_launch l = { .share = {
				       [1] = "/host/one", [4] = "/host/two" } };
	char *show[] = { "sh",
			 "-c",
			 "pwd; printf '<%s>' \"$@\"",
			 "x",
			 "/host/one/f 'q'",
			 "/host/two/g",
			 "plain" };
	char *exit7[] = { "sh", "-c", "exit 7" };
	char *missing[] = { "no-such-program-here" };
	char dir[] = "/tmp/launch_test.XXXXXX", want[1024], out[2048];
	char mounts[1024], cmd[1100], sock[300];

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/home' '%s/mnt/one/sub dir/deep' '%s/mnt/two'",
		 dir, dir, dir);
	CHECK_INT(system(cmd), 0);
	/* cofs1 on a path with a blank; cofs4 first mounted partly (aname). */
	snprintf(mounts, sizeof(mounts),
		 "/dev/cobd0 / ext4 rw 0 0\n"
		 "cofs4 %s/mnt/two 9p rw,trans=virtio,aname=x 0 0\n"
		 "cofs1 %s/mnt/one/sub\\040dir 9p rw,trans=virtio 0 0\n"
		 "cofs4 %s/mnt/two 9p rw,trans=virtio 0 0\n",
		 dir, dir, dir);
	write_mounts(dir, mounts);
	CHECK_INT(command(&l, dir, "/host/one/deep", 7, show, out, sizeof(out),
			  NULL),
		  0);
	snprintf(
		want, sizeof(want),
		"%s/mnt/one/sub dir/deep\n<%s/mnt/one/sub dir/f 'q'><%s/mnt/two/g><plain>",
		dir, dir, dir);
	CHECK_STR(out, want);

	CHECK_INT(command(&l, dir, "/elsewhere", 3, exit7, out, sizeof(out),
			  NULL),
		  7);
	CHECK_INT(command(&l, dir, "/elsewhere", 1, missing, out, sizeof(out),
			  NULL),
		  127);

	/* cofs4 not mounted: an argument in it cannot be reached. */
	snprintf(mounts, sizeof(mounts),
		 "cofs1 %s/mnt/one/sub\\040dir 9p rw,trans=virtio 0 0\n", dir);
	write_mounts(dir, mounts);
	CHECK_INT(command(&l, dir, "/host/one", 7, show, out, sizeof(out),
			  NULL),
		  CO_RUN_EXIT_SELF);
	CHECK_STR(
		out,
		"colinux-run: the guest has not mounted cofs4 (/host/two); mount it: sudo mount -t cofs cofs4 DIR\n");

	/* cofs1 not mounted: only the working directory; start at home. */
	write_mounts(dir, "");
	CHECK_INT(command(&l, dir, "/host/one/deep", 3, show, out, sizeof(out),
			  NULL),
		  0);
	snprintf(
		want, sizeof(want),
		"colinux-run: the guest has not mounted cofs1 (/host/one): starting in the home directory; mount it: sudo mount -t cofs cofs1 DIR\n%s/home\n<>",
		dir);
	CHECK_STR(out, want);

	snprintf(sock, sizeof(sock), "%s/pulse sock", dir);
	/* Sound: PULSE_SERVER for the program, the socket gone after it. */
	{
		char *pa[] = {
			"sh", "-c",
			"echo \"$PULSE_SERVER\"; cat \"$PULSE_CLIENTCONFIG\"; exit 5"
		};
		struct co_launch_socks socks = { .pulse = sock };

		snprintf(cmd, sizeof(cmd), "touch '%s'", sock);
		CHECK_INT(system(cmd), 0);
		CHECK_INT(command(&l, dir, "/elsewhere", 3, pa, out,
				  sizeof(out), &socks),
			  5);
		snprintf(want, sizeof(want), "unix:%s\nenable-shm = no\n",
			 sock);
		CHECK_STR(out, want);
		CHECK(access(sock, F_OK) != 0);
		snprintf(cmd, sizeof(cmd), "%s.conf", sock);
		CHECK(access(cmd, F_OK) != 0);
	}
	test_waypipe(&l, dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

int main(void)
{
	RUN_TEST(test_instance);
	RUN_TEST(test_map);
	RUN_TEST(test_quote);
	RUN_TEST(test_command);
	return CHECK_EXIT();
}
