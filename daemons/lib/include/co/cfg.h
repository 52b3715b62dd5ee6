/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfg.h --- coLinux configuration: key=value tokens from the command line and
 * from @files.
 *
 *   kernel=vmlinux initrd=initrd.gz mem=512 cobd0=root.img cobd1=swap.img
 *   cobd2=/srv/data.img,ro (a path with a comma: quote it, cobd3="a,b.img")
 *   cobd4=/tmp/scratch.img,unsafe (flushes not passed on)
 *   eth0=slirp,,tcp:2222:22 cofs0=/srv/share root=/dev/cobd0 ro
 *   cofs1=/srv/docs,ro (a read-only host folder)
 *   eth1=slirp,02:00:00:00:00:01,tcp:8000:80:3/udp:5353:53,restrict/bind=0.0.0.0
 *   exec0=/usr/bin/Xvfb,":1 -nolisten tcp" (a helper program run beside the
 *   guest: PROGRAM[,ARGS], ARGS split at blanks; quote ARGS with a comma)
 *
 * Known keys fill struct co_cfg; any other token goes to the guest kernel
 * command line.  A later value of a key overrides an earlier one (the rule
 * the coLinux documentation gives).  The parser is pure: it reads no file
 * itself but asks the caller's reader for the text of an @file, so it is unit
 * tested with in-memory files.  An error is -EINVAL (-ENOMEM) and one line
 * in struct co_err naming where, the key and the reason:
 * "base.conf:3: mem: 'lots' is not a number of MiB ..." ("argument 2: ..."
 * on the command line).
 */
#ifndef CO_CFG_H
#define CO_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <co/err.h>

#define CO_CFG_MAX_COBD 32
#define CO_CFG_MAX_ETH 16
#define CO_CFG_MAX_COFS 32
#define CO_CFG_MAX_REDIRS 16
#define CO_CFG_MAX_EXEC 16
#define CO_CFG_EXEC_MAX_ARGS 64
#define CO_CFG_CMDLINE_MAX 2048
/*
 * mem= takes any whole number of MiB from the smallest guest that boots:
 * the guest kernel (about 14 MiB) goes into the first RAM block, which is
 * 32 MiB from mem=32 on (16 MiB below).
 */
#define CO_CFG_MEM_MIN_MB 32
#define CO_CFG_MEM_MAX_MB (1024 * 1024)

enum co_net_type {
	CO_NET_NONE,
	CO_NET_SLIRP,
	CO_NET_TAP,
	CO_NET_PCAP,
};

struct co_cfg_redir {
	bool udp;
	uint16_t host_port, guest_port;
};

struct co_cfg_net {
	enum co_net_type type;
	char *ifname; /* tap/pcap: host interface, may be NULL */
	bool mac_set;
	uint8_t mac[6];
	int nredirs; /* slirp port forwards */
	struct co_cfg_redir redir[CO_CFG_MAX_REDIRS];
	/* slirp options, the 4th field: "restrict" and "bind=ADDR", by '/' */
	bool restricted; /* the guest reaches nothing but the forwards */
	char *bind; /* forwards listen here (NULL: 127.0.0.1) */
};

/* Options of a disk: cobdN=PATH[,ro][,unsafe]. */
#define CO_COBD_RO (1u << 0) /* the guest may not write */
/* flushes are not passed on (QEMU's cache=unsafe): for throwaway guests */
#define CO_COBD_UNSAFE (1u << 1)

/* Options of a host folder: cofsN=DIR[,ro]. */
#define CO_COFS_RO (1u << 0) /* the guest may not change anything */

/* execN=PROGRAM[,ARGS]: argv[0] is PROGRAM, NULL-terminated. */
struct co_cfg_exec {
	char **argv; /* NULL when unused */
};

struct co_cfg {
	char *kernel;
	char *initrd;
	uint32_t mem_mb; /* 0: not given */
	char *cobd[CO_CFG_MAX_COBD]; /* disk images, NULL when unused */
	unsigned int cobd_flags[CO_CFG_MAX_COBD]; /* CO_COBD_*: cobdN=PATH,ro */
	struct co_cfg_net eth[CO_CFG_MAX_ETH];
	char *cofs[CO_CFG_MAX_COFS]; /* host directories */
	unsigned int cofs_flags[CO_CFG_MAX_COFS]; /* CO_COFS_*: cofsN=DIR,ro */
	struct co_cfg_exec exec[CO_CFG_MAX_EXEC]; /* helper programs */
	char cmdline[CO_CFG_CMDLINE_MAX]; /* the other tokens, in order */
};

/*
 * Read the text of @path into a malloc'd buffer (*@text, *@len); 0 or
 * -errno.  @path is as written in the @file token.
 */
typedef int (*co_cfg_reader)(void *ctx, const char *path, char **text,
			     size_t *len);

void co_cfg_init(struct co_cfg *cfg);
void co_cfg_free(struct co_cfg *cfg);

/* Parse command-line arguments; "@file" arguments go through @reader. */
int co_cfg_parse_args(struct co_cfg *cfg, int argc, char *const argv[],
		      co_cfg_reader reader, void *ctx, struct co_err *err);

/* Parse the text of a configuration file named @origin. */
int co_cfg_parse_text(struct co_cfg *cfg, const char *text, size_t len,
		      const char *origin, co_cfg_reader reader, void *ctx,
		      struct co_err *err);

#endif
