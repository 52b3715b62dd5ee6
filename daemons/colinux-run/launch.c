// SPDX-License-Identifier: GPL-2.0
/*
 * launch.c --- colinux-run's pure part (launch.h): the instance from its
 * configuration, host paths to guest paths, the remote command.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <co/array_size.h>

#include "launch.h"

/* The last colinux.user=NAME among the kernel parameters, as firstboot. */
static int take_user(struct co_launch *l, const char *cmdline,
		     const char *origin, struct co_err *err)
{
	static const char key[] = "colinux.user=";
	const char *p, *name = NULL;
	size_t n = 0;

	for (p = cmdline; (p = strstr(p, key)); p++) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		name = p + strlen(key);
		n = strcspn(name, " ");
	}
	if (!name)
		return co_fail(
			err, -EINVAL,
			"%s: no colinux.user=NAME: which guest user to run as is not known (make image writes it; add colinux.user=NAME)",
			origin);
	if (n == 0 || n > CO_LAUNCH_USER_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") < n ||
	    (name[0] >= '0' && name[0] <= '9') || name[0] == '-')
		return co_fail(err, -EINVAL,
			       "%s: colinux.user=%.*s: not a user name", origin,
			       (int)(n > 40 ? 40 : n), name);
	if (n == 4 && !strncmp(name, "root", 4))
		return co_fail(
			err, -EINVAL,
			"%s: colinux.user=root: colinux-run does not run programs as the guest's root",
			origin);
	memcpy(l->user, name, n);
	l->user[n] = '\0';
	return 0;
}

/* The first ethN=slirp forward of a TCP port to the guest's port 22. */
static int take_forward(struct co_launch *l, const struct co_cfg *cfg,
			const char *origin, struct co_err *err)
{
	for (int i = 0; i < CO_CFG_MAX_ETH; i++) {
		const struct co_cfg_net *net = &cfg->eth[i];

		if (net->type != CO_NET_SLIRP)
			continue;
		for (int r = 0; r < net->nredirs; r++) {
			if (net->redir[r].udp || net->redir[r].guest_port != 22)
				continue;
			l->port = net->redir[r].host_port;
			l->eth = i;
			return 0;
		}
	}
	return co_fail(
		err, -ENOENT,
		"%s: no forward to the guest's SSH port (add one to the slirp network: eth0=slirp,,tcp:2222:22)",
		origin);
}

int co_launch_from_cfg(struct co_launch *l, const struct co_cfg *cfg,
		       const char *origin, struct co_err *err)
{
	int ret;

	memset(l, 0, sizeof(*l));
	ret = take_user(l, cfg->cmdline, origin, err);
	if (!ret)
		ret = take_forward(l, cfg, origin, err);
	if (ret)
		return ret;
	for (int i = 0; i < CO_CFG_MAX_COFS; i++)
		if (cfg->cofs[i] && cfg->cofs[i][0] == '/')
			l->share[i] = cfg->cofs[i];
	return 0;
}

/* @path is @dir or below it: the part after "dir/" ("" for @dir itself). */
static const char *below(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (strncmp(dir, path, n))
		return NULL;
	if (path[n] == '\0')
		return path + n;
	if (path[n] != '/')
		return NULL;
	while (path[n] == '/')
		n++;
	return path + n;
}

struct co_mapped co_launch_map(const struct co_launch *l, const char *path)
{
	struct co_mapped m = { .share = -1, .rel = path };

	/* The deepest share wins when one folder is inside another. */
	for (int i = 0; i < CO_CFG_MAX_COFS; i++) {
		const char *rel;

		if (!l->share[i] || !(rel = below(l->share[i], path)))
			continue;
		if (m.share < 0 || rel > m.rel) {
			m.share = i;
			m.rel = rel;
		}
	}
	return m;
}

void co_sh_quote(struct co_buf *b, const char *s)
{
	co_buf_str(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			co_buf_str(b, "'\\''");
		else
			co_buf_add(b, s, 1);
	}
	co_buf_str(b, "'");
}

/*
 * co_m N: the directory the guest mounted cofsN on, whole (9p, no aname=);
 * /proc/mounts writes a blank in a path as \040, which printf %b undoes.
 */
static const char mount_lookup[] =
	"co_m() { while read -r s d t o r; do "
	"if [ \"$s\" = \"cofs$1\" ] && [ \"$t\" = 9p ]; then "
	"case ,$o, in *,aname=*) ;; *) printf '%b' \"$d\"; return 0 ;; esac; "
	"fi; done </proc/mounts; return 1; }; ";

/*
 * mN=$(co_m N): where the guest mounted share N.  If it did not: one line
 * and, when @fatal, the command ends with CO_RUN_EXIT_SELF; else the
 * assignment is false (an "if" condition).
 */
static void lookup_share(struct co_buf *b, const struct co_launch *l, int n,
			 bool fatal)
{
	struct co_buf msg = { 0 };

	co_buf_printf(
		&msg,
		"colinux-run: the guest has not mounted cofs%d (%s)%s; mount it: sudo mount -t cofs cofs%d DIR",
		n, l->share[n], fatal ? "" : ": starting in the home directory",
		n);
	if (msg.error) {
		b->error = msg.error;
		return;
	}
	co_buf_printf(b, "m%d=$(co_m %d) || { echo ", n, n);
	co_sh_quote(b, msg.data);
	if (fatal)
		co_buf_printf(b, " >&2; exit %d; }; ", CO_RUN_EXIT_SELF);
	else
		co_buf_str(b, " >&2; false; }");
	free(msg.data);
}

/* "$mN"'/rel' or 'arg'. */
static void add_word(struct co_buf *b, const char *word, struct co_mapped m)
{
	if (m.share < 0) {
		co_sh_quote(b, word);
		return;
	}
	co_buf_printf(b, "\"$m%d\"", m.share);
	if (*m.rel) {
		co_buf_str(b, "/");
		co_sh_quote(b, m.rel);
	}
}

/*
 * The sound server for the program: PULSE_SERVER, and a client
 * configuration of its own (@pulse.conf, made new: set -C) without shared
 * memory, which cannot cross from the guest to the host (PulseAudio would
 * wait for a memfd that ssh cannot carry, and drop the program).
 */
static void add_pulse(struct co_buf *b, const char *pulse)
{
	co_buf_str(b, "PULSE_SERVER=unix:");
	co_sh_quote(b, pulse);
	co_buf_str(b, "; PULSE_CLIENTCONFIG=");
	co_sh_quote(b, pulse);
	co_buf_str(b, ".conf; export PULSE_SERVER PULSE_CLIENTCONFIG; "
		      "(umask 077; set -C; echo 'enable-shm = no' "
		      ">\"$PULSE_CLIENTCONFIG\") 2>/dev/null || "
		      "unset PULSE_CLIENTCONFIG; ");
}

/* The program and its arguments, mapped. */
static void add_argv(struct co_buf *b, int argc, char *const argv[],
		     const struct co_mapped map[])
{
	for (int i = 0; i < argc; i++) {
		if (i)
			co_buf_str(b, " ");
		add_word(b, argv[i], map[i]);
	}
}

/*
 * Under "waypipe server" when the guest has a waypipe that runs, else as it
 * is; $s the program's status.  A program that is not there is the shell's
 * 127 first (waypipe would say only "Spawn failure" and end with 1).
 */
static void add_waypipe(struct co_buf *b, int argc, char *const argv[],
			const struct co_mapped map[],
			const struct co_launch_socks *socks)
{
	co_buf_str(b, "if waypipe --version >/dev/null 2>&1; then "
		      "if command -v ");
	add_word(b, argv[0], map[0]);
	co_buf_str(b, " >/dev/null 2>&1; then "
		      "waypipe --no-gpu --unlink-socket --socket ");
	co_sh_quote(b, socks->waypipe);
	co_buf_str(b, " --display ");
	co_sh_quote(b, socks->wayland);
	co_buf_str(b, " server -- ");
	add_argv(b, argc, argv, map);
	co_buf_str(b, "; s=$?; else printf 'sh: %s: not found\\n' ");
	add_word(b, argv[0], map[0]);
	co_buf_str(b, " >&2; s=127; fi; else ");
	add_argv(b, argc, argv, map);
	co_buf_str(b, "; s=$?; fi");
}

void co_launch_command(struct co_buf *b, const struct co_launch *l,
		       struct co_mapped cwd, int argc, char *const argv[],
		       const struct co_mapped map[],
		       const struct co_launch_socks *socks)
{
	bool looked[CO_CFG_MAX_COFS] = { false };
	bool any = cwd.share >= 0;
	const char *gone[] = { socks->pulse, socks->waypipe, socks->wayland };

	for (int i = 0; i < argc; i++)
		any |= map[i].share >= 0;
	if (any)
		co_buf_str(b, mount_lookup);
	for (int i = 0; i < argc; i++) {
		if (map[i].share < 0 || looked[map[i].share])
			continue;
		lookup_share(b, l, map[i].share, true);
		looked[map[i].share] = true;
	}
	if (cwd.share >= 0) {
		co_buf_str(b, "if ");
		if (!looked[cwd.share])
			lookup_share(b, l, cwd.share, false);
		else
			co_buf_str(b, "true");
		co_buf_str(b, "; then cd ");
		add_word(b, "", cwd);
		co_buf_printf(b, " || exit %d; fi; ", CO_RUN_EXIT_SELF);
	}
	if (!socks->pulse && !socks->waypipe) {
		co_buf_str(b, "exec ");
		add_argv(b, argc, argv, map);
		return;
	}
	if (socks->pulse)
		add_pulse(b, socks->pulse);
	if (socks->waypipe) {
		add_waypipe(b, argc, argv, map, socks);
	} else {
		add_argv(b, argc, argv, map);
		co_buf_str(b, "; s=$?");
	}
	/* sshd leaves the forwards' socket files behind */
	co_buf_str(b, "; rm -f");
	if (socks->pulse) {
		co_buf_str(b, " ");
		co_sh_quote(b, socks->pulse);
		co_buf_str(b, ".conf");
	}
	for (size_t i = 0; i < ARRAY_SIZE(gone); i++) {
		if (gone[i]) {
			co_buf_str(b, " ");
			co_sh_quote(b, gone[i]);
		}
	}
	co_buf_str(b, "; exit $s");
}
