/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfg.h --- coLinux configuration: key=value tokens from the command line and
 * from @files.
 *
 *   kernel=vmlinux initrd=initrd.gz mem=512 cobd0=root.img cobd1=swap.img
 *   eth0=slirp,,tcp:2222:22 cofs0=/srv/share root=/dev/cobd0 ro
 *
 * Known keys fill struct co_cfg; any other token goes to the guest kernel
 * command line.  A later value of a key overrides an earlier one (the rule
 * the coLinux documentation gives).  The parser is pure: it reads no file
 * itself but asks the caller's reader for the text of an @file, so it is unit
 * tested with in-memory files.  Errors name the file, line, key and reason.
 */
#ifndef CO_CFG_H
#define CO_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CO_CFG_MAX_COBD 32
#define CO_CFG_MAX_ETH 16
#define CO_CFG_MAX_COFS 32
#define CO_CFG_MAX_REDIRS 16
#define CO_CFG_CMDLINE_MAX 2048
#define CO_CFG_MEM_MIN_MB 16
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
};

struct co_cfg {
	char *kernel;
	char *initrd;
	uint32_t mem_mb; /* 0: not given */
	char *cobd[CO_CFG_MAX_COBD]; /* disk images, NULL when unused */
	struct co_cfg_net eth[CO_CFG_MAX_ETH];
	char *cofs[CO_CFG_MAX_COFS]; /* host directories */
	char cmdline[CO_CFG_CMDLINE_MAX]; /* the other tokens, in order */
};

struct co_cfg_error {
	char where[512]; /* "file:line" or "command line" */
	char msg[512]; /* "mem: 'lots' is not a number of MiB" */
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
		      co_cfg_reader reader, void *ctx,
		      struct co_cfg_error *err);

/* Parse the text of a configuration file named @origin. */
int co_cfg_parse_text(struct co_cfg *cfg, const char *text, size_t len,
		      const char *origin, co_cfg_reader reader, void *ctx,
		      struct co_cfg_error *err);

#endif
