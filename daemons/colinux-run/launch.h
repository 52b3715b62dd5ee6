/* SPDX-License-Identifier: GPL-2.0 */
/*
 * launch.h --- colinux-run's pure part: what it takes from an instance's
 * configuration, and the command line it hands the guest's shell over SSH.
 *
 * An instance is a configuration file NAME.conf and, beside it, what
 * "make image" made for it (README, "Desktop"):
 *   NAME.key           the private key colinux-run logs in with (0600)
 *   NAME.known_hosts   the guest's SSH host key, pinned (no first-use prompt)
 * From the configuration: the guest user (colinux.user=), the slirp forward
 * to the guest's port 22 (ethN=slirp,...,tcp:PORT:22) and the cofsN= host
 * folders.
 *
 * The remote command is POSIX sh.  The host's working directory and absolute
 * file arguments inside a cofsN folder become paths under the directory the
 * guest mounted cofsN on, which the command looks up in the guest's
 * /proc/mounts when it runs (a folder mounted whole: no aname=).  A mapped
 * argument whose folder the guest has not mounted ends the command with
 * status CO_RUN_EXIT_SELF and one line; a working directory that cannot be
 * mapped only warns, and the command starts in the user's home.
 */
#ifndef CO_LAUNCH_H
#define CO_LAUNCH_H

#include <stdint.h>

#include <co/buf.h>
#include <co/cfg.h>
#include <co/err.h>

/* colinux-run's own failures (as env(1) and the shells use 125-127). */
#define CO_RUN_EXIT_SELF 125

#define CO_LAUNCH_USER_MAX 32

struct co_launch {
	char user[CO_LAUNCH_USER_MAX + 1];
	uint16_t port; /* the host end of the forward to the guest's port 22 */
	int eth; /* the ethN that has it */
	/* cofsN host folders as absolute paths without a trailing '/' */
	const char *share[CO_CFG_MAX_COFS];
};

/* A host path's place in a share: cofs@share, @rel below it ("" its top). */
struct co_mapped {
	int share; /* -1: in no share */
	const char *rel;
};

/*
 * The guest user, the SSH forward and the shares of @cfg, read from the file
 * @origin (for the messages).  Shares that are not absolute paths are left
 * out (the daemon resolves them from its own working directory).
 */
int co_launch_from_cfg(struct co_launch *l, const struct co_cfg *cfg,
		       const char *origin, struct co_err *err);

/* Where the absolute, normalised @path lies in @l's shares. */
struct co_mapped co_launch_map(const struct co_launch *l, const char *path);

/* Append @s to @b quoted for sh: '...', a ' inside as '\''. */
void co_sh_quote(struct co_buf *b, const char *s);

/*
 * The guest ends of the sockets carried with "ssh -R" (NULL: not carried);
 * the command removes them when the program ends.
 *   pulse    the host's sound server: the program gets PULSE_SERVER, and
 *            PULSE_CLIENTCONFIG, @pulse.conf, without shared memory.
 *   waypipe  the host's "waypipe client": when the guest has waypipe, the
 *            program runs under "waypipe server", which makes it the
 *            Wayland display @wayland; without, it runs as it would
 *            without the socket (its windows through X11 forwarding).
 */
struct co_launch_socks {
	const char *pulse;
	const char *waypipe, *wayland;
};

/*
 * The remote command: start in @cwd's mapped place (share -1: home), run
 * @argv with @map[i] applied to argv[i], with @socks; the program's status
 * is the command's (127: not found).  Sets b->error on allocation failure.
 */
void co_launch_command(struct co_buf *b, const struct co_launch *l,
		       struct co_mapped cwd, int argc, char *const argv[],
		       const struct co_mapped map[],
		       const struct co_launch_socks *socks);

#endif
