// SPDX-License-Identifier: GPL-2.0
/* fstab.c --- adapt /etc/fstab to coLinux devices (pure). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <co/buf.h>

#include "fstab.h"

#define NOTE "# colinux-img: no such device under coLinux: "

/* One fstab entry split in place: fields point into a private copy. */
struct entry {
	char copy[1024];
	char *field[6];
	int nfields;
};

static void split(struct entry *e, const char *line, size_t len)
{
	char *save = NULL, *tok;

	if (len >= sizeof(e->copy))
		len = sizeof(e->copy) - 1;
	memcpy(e->copy, line, len);
	e->copy[len] = '\0';
	e->nfields = 0;
	for (tok = strtok_r(e->copy, " \t", &save); tok && e->nfields < 6;
	     tok = strtok_r(NULL, " \t", &save))
		e->field[e->nfields++] = tok;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static bool has_option(const char *opts, const char *opt)
{
	size_t n = strlen(opt);
	const char *p = opts;

	while ((p = strstr(p, opt))) {
		if ((p == opts || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

/*
 * Whether an entry can still work inside the guest, where the only block
 * devices are the cobd disks the configuration gives it.
 */
static bool entry_survives(const struct entry *e)
{
	static const char *const virtual_fs[] = {
		"proc",	      "sysfs",	     "tmpfs",	 "devpts",  "devtmpfs",
		"securityfs", "cgroup",	     "cgroup2",	 "debugfs", "tracefs",
		"mqueue",     "hugetlbfs",   "configfs", "fusectl", "pstore",
		"bpf",	      "binfmt_misc", "ramfs",	 "overlay", "9p",
		"nfs",	      "nfs4",	     "cifs",	 "smb3",    "sshfs",
		"virtiofs",   NULL,
	};
	const char *spec = e->field[0], *type = e->field[2];

	if (in_list(type, virtual_fs) || !strncmp(type, "fuse", 4))
		return true;
	if (e->nfields >= 4 && has_option(e->field[3], "bind"))
		return true;
	/* A path that is not a device: a swap file or an image on root. */
	if (spec[0] == '/' && strncmp(spec, "/dev/", 5))
		return true;
	if (!strncmp(spec, "/dev/cobd", 9))
		return true;
	/* Network and virtual sources such as "server:/export" or "none". */
	if (!strchr(spec, '=') && strncmp(spec, "/dev/", 5))
		return true;
	return false;
}

/* The entry @e with its device replaced by @dev. */
static void add_entry_on(struct co_buf *b, const struct entry *e,
			 const char *dev)
{
	int i;

	co_buf_str(b, dev);
	for (i = 1; i < e->nfields; i++) {
		co_buf_str(b, "\t");
		co_buf_str(b, e->field[i]);
	}
	co_buf_str(b, "\n");
}

int co_fstab_adapt(const char *in, size_t len, const char *root_dev,
		   const char *root_fstype, const char *swap_dev, char **out,
		   struct co_fstab_stats *stats)
{
	struct co_buf b = { 0 };
	struct entry e;
	size_t pos = 0;

	memset(stats, 0, sizeof(*stats));
	co_buf_add(&b, "", 0);
	while (pos < len) {
		const char *line = in + pos,
			   *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		size_t skip = strspn(line, " \t");

		pos += n + (nl ? 1 : 0);
		if (skip >= n || line[skip] == '#') {
			co_buf_add(&b, line, n);
			co_buf_str(&b, "\n");
			continue;
		}
		split(&e, line, n);
		if (e.nfields >= 3 && !strcmp(e.field[1], "/")) {
			add_entry_on(&b, &e, root_dev);
			stats->root_found = 1;
			continue;
		}
		if (e.nfields >= 3 && entry_survives(&e)) {
			co_buf_add(&b, line, n);
			co_buf_str(&b, "\n");
			continue;
		}
		if (swap_dev && !stats->swap_mapped && e.nfields >= 3 &&
		    !strcmp(e.field[2], "swap")) {
			add_entry_on(&b, &e, swap_dev);
			stats->swap_mapped = 1;
			continue;
		}
		stats->commented++;
		co_buf_str(&b, NOTE);
		co_buf_add(&b, line, n);
		co_buf_str(&b, "\n");
	}
	if (!stats->root_found) {
		co_buf_str(&b, root_dev);
		co_buf_str(&b, "\t/\t");
		co_buf_str(&b, root_fstype);
		co_buf_str(&b, "\terrors=remount-ro\t0\t1\n");
		stats->root_added = 1;
	}
	if (b.error) {
		free(b.data);
		return b.error;
	}
	*out = b.data;
	return 0;
}
