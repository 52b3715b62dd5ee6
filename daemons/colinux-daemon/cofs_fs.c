// SPDX-License-Identifier: GPL-2.0
/*
 * cofs_fs.c --- the 9P2000.L file server of cofs (cofs_fs.h, memo E.3).
 *
 * Confinement, rule by rule (cofs_fs_test.c has a case for each):
 *  - a fid is an O_PATH descriptor; a walk step is one name, refused when
 *    empty, "." or containing '/', opened with openat2() beneath its parent,
 *    following no symlink, no magic link and no mount point (a walk onto a
 *    symlink itself succeeds: O_NOFOLLOW; the client reads it and resolves
 *    it in the guest);
 *  - ".." is never the host's: at the share root it stays at the root, and
 *    elsewhere the parent must still lie beneath the share root (a directory
 *    the host moved out of the share leads nowhere);
 *  - names to create, remove or rename are single validated components
 *    relative to the parent's descriptor, and no *at() call follows a final
 *    symlink;
 *  - only regular files and directories are opened: the O_PATH descriptor is
 *    fstat'ed first, and a regular file is reopened through
 *    /proc/self/fd/N, which names exactly that inode; device nodes, FIFOs
 *    and sockets are never opened, and mknod makes sockets only;
 *  - what the guest creates belongs to the share root's owner (when the
 *    daemon runs as root), no mode the guest sets keeps set-user-ID or
 *    set-group-ID bits, and a file opened for writing or truncated loses
 *    them, as it would for any writer but root; guest chown is accepted and
 *    ignored;
 *  - a read-only share refuses every change with EROFS;
 *  - extended attributes: only user.* and the POSIX ACLs pass; security.*,
 *    trusted.* and the rest are neither listed, read nor set, so guest root
 *    can give no host file capabilities or labels.
 *
 * Requests come one at a time from the device's I/O thread, so a Tflush
 * always finds its request answered, and nothing here takes a lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "cofs_fs.h"
#include "p9.h"

#define FID_BUCKETS 1024
/* Descriptors the fids leave to the rest of the daemon (sockets, consoles). */
#define FD_RESERVE 256
/* ".." climbs at most this many levels looking for the share root. */
#define MAX_DEPTH 4096
#define RESOLVE_CONFINED                                                 \
	(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | \
	 RESOLVE_NO_XDEV)
/* An attribute's value, and a list of names, at most (Linux's limits). */
#define XATTR_MAX 65536
/* Lopen/Lcreate flags passed on (9P2000.L's values are x86 Linux's). */
#define OPEN_FLAGS (O_ACCMODE | O_TRUNC | O_APPEND | O_DSYNC | O_SYNC)

enum fid_kind {
	FID_NODE, /* a file, directory or other node */
	FID_XREAD, /* Txattrwalk: the value (or name list) in x */
	FID_XWRITE, /* Txattrcreate: x fills up, Tclunk sets it */
};

struct fid {
	uint32_t id;
	enum fid_kind kind;
	int path; /* O_PATH descriptor */
	int fd; /* after Tlopen/Tlcreate, else -1 */
	char *x, *xname;
	size_t xlen, xsize;
	int xflags;
	struct fid *next;
};

struct co_fs {
	int root; /* O_PATH|O_DIRECTORY */
	dev_t dev;
	ino_t ino;
	uid_t uid; /* the share root's owner */
	gid_t gid;
	bool chown; /* running as root: created files go to uid/gid */
	bool ro;
	uint32_t msize;
	int fd_top; /* a fid's descriptor must lie below */
	unsigned int nfids;
	struct fid *fids[FID_BUCKETS];
	struct co_p9_req req; /* the request being served */
	char link[PATH_MAX]; /* Treadlink */
	char dents[32768]; /* Treaddir */
};

typedef int (*op_fn)(struct co_fs *fs, const struct co_p9_req *r,
		     struct co_p9_out *o);

/* --- fids --- */

static struct fid **fid_slot(struct co_fs *fs, uint32_t id)
{
	struct fid **p = &fs->fids[id % FID_BUCKETS];

	while (*p && (*p)->id != id)
		p = &(*p)->next;
	return p;
}

static struct fid *fid_get(struct co_fs *fs, uint32_t id)
{
	return *fid_slot(fs, id);
}

/*
 * Keep @fd for a fid only below fs->fd_top, so that the guest's fids never
 * take the daemon's last descriptors: @fd, or -EMFILE with @fd closed.
 */
static int keep_fd(struct co_fs *fs, int fd)
{
	if (fd < fs->fd_top)
		return fd;
	close(fd);
	return -EMFILE;
}

/* A new fid @id on descriptor @path (taken over, closed on failure). */
static int fid_new(struct co_fs *fs, uint32_t id, int path)
{
	struct fid **p = fid_slot(fs, id), *f;

	path = keep_fd(fs, path);
	if (path < 0)
		return path;
	if (*p || fs->nfids >= CO_FS_MAX_FIDS || id == CO_P9_NOFID) {
		close(path);
		return *p ? -EEXIST : id == CO_P9_NOFID ? -EBADF : -EMFILE;
	}
	f = malloc(sizeof(*f));
	if (!f) {
		close(path);
		return -ENOMEM;
	}
	*f = (struct fid){ .id = id, .kind = FID_NODE, .path = path, .fd = -1 };
	*p = f;
	fs->nfids++;
	return 0;
}

static void fid_put(struct co_fs *fs, uint32_t id)
{
	struct fid **p = fid_slot(fs, id), *f = *p;

	if (!f)
		return;
	*p = f->next;
	close(f->path);
	if (f->fd >= 0)
		close(f->fd);
	free(f->x);
	free(f->xname);
	free(f);
	fs->nfids--;
}

void co_fs_reset(struct co_fs *fs)
{
	for (unsigned int i = 0; i < FID_BUCKETS; i++)
		while (fs->fids[i])
			fid_put(fs, fs->fids[i]->id);
	fs->msize = CO_FS_MSIZE;
}

/* --- lookups --- */

static int check_name(const char *name)
{
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strchr(name, '/'))
		return -EINVAL;
	return 0;
}

/* openat2() beneath @dir, confined; a descriptor or -errno. */
static int open_beneath(int dir, const char *path, uint64_t flags,
			uint64_t mode)
{
	struct open_how how = { .flags = flags | O_NOFOLLOW | O_CLOEXEC,
				.mode = mode,
				.resolve = RESOLVE_CONFINED };
	long fd = syscall(SYS_openat2, dir, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

static int dup_fd(int fd)
{
	int n = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	return n < 0 ? -errno : n;
}

static bool is_root(struct co_fs *fs, const struct stat *st)
{
	return st->st_dev == fs->dev && st->st_ino == fs->ino;
}

/* Is the directory @fd the share root or below it?  (Climbs its ".."s.) */
static bool beneath_root(struct co_fs *fs, int fd)
{
	struct stat st, up;
	int cur = dup_fd(fd), next;
	bool found = false;

	for (int i = 0; cur >= 0 && i < MAX_DEPTH; i++) {
		if (fstat(cur, &st))
			break;
		if (is_root(fs, &st)) {
			found = true;
			break;
		}
		next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (next < 0 || fstat(next, &up) ||
		    (up.st_dev == st.st_dev && up.st_ino == st.st_ino)) {
			if (next >= 0)
				close(next);
			break; /* the top of the host's tree */
		}
		close(cur);
		cur = next;
	}
	if (cur >= 0)
		close(cur);
	return found;
}

/* ".." from directory @cur: the root stays the root. */
static int walk_up(struct co_fs *fs, int cur)
{
	struct stat st;
	int fd;

	if (fstat(cur, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (is_root(fs, &st))
		return dup_fd(cur);
	fd = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!beneath_root(fs, fd)) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

static int walk_one(struct co_fs *fs, int cur, const char *name)
{
	int ret;

	if (!strcmp(name, ".."))
		return walk_up(fs, cur);
	ret = check_name(name);
	return ret ? ret : open_beneath(cur, name, O_PATH, 0);
}

static void make_qid(const struct stat *st, struct co_p9_qid *q)
{
	q->type = S_ISDIR(st->st_mode) ? P9_QTDIR :
		  S_ISLNK(st->st_mode) ? P9_QTSYMLINK :
					 P9_QTFILE;
	q->version = 0;
	q->path = st->st_ino;
}

static int put_qid_of(struct co_p9_out *o, int fd)
{
	struct stat st;
	struct co_p9_qid q;

	if (fstat(fd, &st))
		return -errno;
	make_qid(&st, &q);
	co_p9_putqid(o, &q);
	return 0;
}

static void proc_path(char *buf, size_t len, int fd)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* What the guest created belongs to the share's owner. */
static int own(struct co_fs *fs, int dir, const char *name, int flags)
{
	if (!fs->chown || !fchownat(dir, name, fs->uid, fs->gid, flags))
		return 0;
	return -errno;
}

/* chmod through the descriptor; no set-ID bits ever. */
static int set_mode(int path, uint32_t mode)
{
	char p[64];

	proc_path(p, sizeof(p), path);
	return chmod(p, mode & 01777) ? -errno : 0;
}

/* --- extended attributes: user.* and the POSIX ACLs only --- */

static bool xattr_allowed(const char *name)
{
	return !strncmp(name, "user.", 5) ||
	       !strcmp(name, "system.posix_acl_access") ||
	       !strcmp(name, "system.posix_acl_default");
}

/* Drop the names not allowed from the list @buf of @n bytes; the new n. */
static size_t filter_names(char *buf, size_t n)
{
	size_t in = 0, out = 0, len;

	while (in < n) {
		len = strnlen(buf + in, n - in) + 1;
		if (xattr_allowed(buf + in)) {
			memmove(buf + out, buf + in, len);
			out += len;
		}
		in += len;
	}
	return out;
}

/* The value of @name, or the allowed names when @name is empty. */
static ssize_t get_xattr(int path, const char *name, char *buf)
{
	struct stat st;
	ssize_t n;
	char p[64];

	if (fstat(path, &st))
		return -errno;
	if (S_ISLNK(st.st_mode)) /* /proc/self/fd/N would follow it */
		return *name ? -ENODATA : 0;
	if (*name && !xattr_allowed(name))
		return -ENODATA;
	proc_path(p, sizeof(p), path);
	n = *name ? getxattr(p, name, buf, XATTR_MAX) :
		    listxattr(p, buf, XATTR_MAX);
	if (n < 0)
		return -errno;
	return *name ? n : (ssize_t)filter_names(buf, (size_t)n);
}

static int op_xattrwalk(struct co_fs *fs, const struct co_p9_req *r,
			struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	char *buf;
	ssize_t n;
	int path, ret;

	if (!f)
		return -EBADF;
	if (fid_get(fs, r->fid2))
		return -EEXIST;
	buf = malloc(XATTR_MAX);
	if (!buf)
		return -ENOMEM;
	n = get_xattr(f->path, r->str, buf);
	path = n < 0 ? (int)n : dup_fd(f->path);
	ret = path < 0 ? path : fid_new(fs, r->fid2, path);
	if (ret) {
		free(buf);
		return ret;
	}
	f = fid_get(fs, r->fid2);
	f->kind = FID_XREAD;
	f->x = buf;
	f->xlen = (size_t)n;
	co_p9_put64(o, (uint64_t)n);
	return 0;
}

/* Room for data after a count field in @o. */
static size_t data_room(const struct co_p9_out *o)
{
	return o->cap > o->len + 4 ? o->cap - o->len - 4 : 0;
}

static int read_xattr(struct fid *f, uint64_t off, size_t count,
		      struct co_p9_out *o)
{
	size_t room = data_room(o);
	uint8_t *data;

	if (off > f->xlen)
		off = f->xlen;
	if (count > f->xlen - off)
		count = f->xlen - off;
	if (count > room)
		count = room;
	co_p9_put32(o, (uint32_t)count);
	data = co_p9_reserve(o, count);
	if (!data)
		return -EMSGSIZE;
	memcpy(data, f->x + off, count);
	return 0;
}

static int op_xattrcreate(struct co_fs *fs, const struct co_p9_req *r,
			  struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);

	if (!f)
		return -EBADF;
	if (f->fd >= 0 || f->kind != FID_NODE)
		return -EBUSY;
	if (fs->ro)
		return -EROFS;
	if (!xattr_allowed(r->str))
		return -EOPNOTSUPP;
	if (r->u64[0] > XATTR_MAX)
		return -E2BIG;
	if (r->u32[0] & ~(uint32_t)(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	f->x = malloc(r->u64[0] ? r->u64[0] : 1);
	f->xname = strdup(r->str);
	if (!f->x || !f->xname) {
		free(f->x);
		free(f->xname);
		f->x = f->xname = NULL;
		return -ENOMEM;
	}
	f->kind = FID_XWRITE;
	f->xsize = r->u64[0];
	f->xflags = (int)r->u32[0];
	return 0;
}

static int write_xattr(struct fid *f, uint64_t off, const uint8_t *data,
		       uint32_t count, struct co_p9_out *o)
{
	if (off > f->xsize || count > f->xsize - off)
		return -ENOSPC;
	memcpy(f->x + off, data, count);
	if (off + count > f->xlen)
		f->xlen = off + count;
	co_p9_put32(o, count);
	return 0;
}

/* Tclunk of a Txattrcreate fid: all the bytes announced, then set. */
static int set_xattr(struct fid *f)
{
	char p[64];
	struct stat st;

	if (f->xlen != f->xsize)
		return -EINVAL;
	if (fstat(f->path, &st))
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -EOPNOTSUPP;
	proc_path(p, sizeof(p), f->path);
	return setxattr(p, f->xname, f->x, f->xlen, f->xflags) ? -errno : 0;
}

/*
 * Before the contents of a regular file change: the daemon, root with
 * CAP_FSETID, keeps the set-user-ID and set-group-ID bits the kernel clears
 * when others write, so they are cleared here as the kernel would.
 */
static int drop_setid(int path, const struct stat *st)
{
	if (!(st->st_mode & (S_ISUID | S_ISGID)))
		return 0;
	return set_mode(path, st->st_mode);
}

/* --- session --- */

static int op_version(struct co_fs *fs, const struct co_p9_req *r,
		      struct co_p9_out *o)
{
	const char *v = strncmp(r->str, "9P2000.L", 8) ? "unknown" : "9P2000.L";

	if (r->u32[0] < 4096)
		return -EINVAL;
	co_fs_reset(fs);
	fs->msize = r->u32[0] < CO_FS_MSIZE ? r->u32[0] : CO_FS_MSIZE;
	co_p9_put32(o, fs->msize);
	co_p9_putstr(o, v, strlen(v));
	return 0;
}

static int op_attach(struct co_fs *fs, const struct co_p9_req *r,
		     struct co_p9_out *o)
{
	const char *aname = r->str2;
	int fd, ret;

	if (r->fid2 != CO_P9_NOFID)
		return -EINVAL; /* no Tauth, so no afid */
	if (fid_get(fs, r->fid))
		return -EEXIST;
	while (*aname == '/')
		aname++;
	fd = *aname ? open_beneath(fs->root, aname, O_PATH | O_DIRECTORY, 0) :
		      dup_fd(fs->root);
	if (fd < 0)
		return fd;
	ret = put_qid_of(o, fd);
	if (ret) {
		close(fd);
		return ret;
	}
	return fid_new(fs, r->fid, fd);
}

static int op_flush(struct co_fs *fs, const struct co_p9_req *r,
		    struct co_p9_out *o)
{
	return 0; /* requests are served in order: the old one has answered */
}

static int op_refuse(struct co_fs *fs, const struct co_p9_req *r,
		     struct co_p9_out *o)
{
	return -EOPNOTSUPP;
}

/* A Txattrcreate fid sets its attribute when it is clunked. */
static int op_clunk(struct co_fs *fs, const struct co_p9_req *r,
		    struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	int ret;

	if (!f)
		return -EBADF;
	ret = f->kind == FID_XWRITE ? set_xattr(f) : 0;
	fid_put(fs, r->fid);
	return ret;
}

/* Tremove clunks the fid even though it fails: paths are not kept. */
static int op_remove(struct co_fs *fs, const struct co_p9_req *r,
		     struct co_p9_out *o)
{
	fid_put(fs, r->fid);
	return -EOPNOTSUPP;
}

/* --- walking --- */

static int walk_names(struct co_fs *fs, const struct co_p9_req *r, int *cur,
		      struct co_p9_qid *qid)
{
	struct stat st;
	int i, next;

	for (i = 0; i < r->nwname; i++) {
		next = walk_one(fs, *cur, r->wname[i]);
		if (next < 0)
			return i ? i : next;
		close(*cur);
		*cur = next;
		if (fstat(*cur, &st))
			return i ? i : -errno;
		make_qid(&st, &qid[i]);
	}
	return i;
}

static int op_walk(struct co_fs *fs, const struct co_p9_req *r,
		   struct co_p9_out *o)
{
	struct co_p9_qid qid[CO_P9_MAXWELEM];
	struct fid *f = fid_get(fs, r->fid);
	int cur, n, ret = 0;

	if (!f)
		return -EBADF;
	if (r->fid2 != r->fid && fid_get(fs, r->fid2))
		return -EEXIST;
	if (r->fid2 == r->fid && f->fd >= 0)
		return -EBUSY; /* an open fid is not walked away */
	cur = dup_fd(f->path);
	if (cur < 0)
		return cur;
	n = walk_names(fs, r, &cur, qid);
	if (n < 0) {
		close(cur);
		return n;
	}
	if (n < r->nwname) {
		close(cur); /* a partial walk: newfid is not made */
	} else if (r->fid2 == r->fid) {
		close(f->path);
		f->path = cur;
	} else {
		ret = fid_new(fs, r->fid2, cur);
	}
	if (ret)
		return ret;
	co_p9_put16(o, (uint16_t)n);
	for (int i = 0; i < n; i++)
		co_p9_putqid(o, &qid[i]);
	return 0;
}

/* --- opening, reading, writing --- */

static int open_flags(struct co_fs *fs, uint32_t flags)
{
	int f = (int)(flags & OPEN_FLAGS);

	if ((f & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if (fs->ro && ((f & O_ACCMODE) != O_RDONLY || (f & O_TRUNC)))
		return -EROFS;
	return f;
}

/* Open the node of O_PATH @path: regular files and directories only. */
static int open_node(int path, int flags)
{
	struct stat st;
	char p[64];
	int fd;

	if (fstat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR;
		fd = openat(path, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISREG(st.st_mode))
		return -ENXIO; /* devices, FIFOs, sockets: never opened */
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) {
		fd = drop_setid(path, &st);
		if (fd)
			return fd;
	}
	proc_path(p, sizeof(p), path);
	fd = open(p, flags | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

static int op_lopen(struct co_fs *fs, const struct co_p9_req *r,
		    struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	int flags = open_flags(fs, r->u32[0]);

	if (!f)
		return -EBADF;
	if (f->fd >= 0 || f->kind != FID_NODE)
		return -EBUSY;
	if (flags < 0)
		return flags;
	f->fd = open_node(f->path, flags);
	if (f->fd >= 0)
		f->fd = keep_fd(fs, f->fd);
	if (f->fd < 0) {
		int ret = f->fd;

		f->fd = -1;
		return ret;
	}
	if (put_qid_of(o, f->fd))
		return -errno;
	co_p9_put32(o, 0); /* iounit: the client's msize */
	return 0;
}

static int op_lcreate(struct co_fs *fs, const struct co_p9_req *r,
		      struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	int flags = open_flags(fs, r->u32[0]), fd, path, ret;

	if (!f)
		return -EBADF;
	if (f->fd >= 0 || f->kind != FID_NODE)
		return -EBUSY;
	if (fs->ro)
		return -EROFS;
	if (flags < 0)
		return flags;
	ret = check_name(r->name);
	if (ret)
		return ret;
	fd = open_beneath(f->path, r->name, flags | O_CREAT | O_EXCL,
			  r->u32[1] & 0777);
	if (fd < 0)
		return fd;
	ret = own(fs, fd, "", AT_EMPTY_PATH);
	if (!ret && fchmod(fd, r->u32[1] & 0777))
		ret = -errno;
	if (!ret && fd >= fs->fd_top)
		ret = -EMFILE;
	path = ret ? ret : keep_fd(fs, dup_fd(fd));
	if (path < 0) {
		close(fd);
		return path;
	}
	close(f->path);
	f->path = path;
	f->fd = fd;
	ret = put_qid_of(o, fd);
	co_p9_put32(o, 0);
	return ret;
}

static int op_read(struct co_fs *fs, const struct co_p9_req *r,
		   struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	size_t room = data_room(o), count = r->u32[0];
	uint8_t *n, *data;
	ssize_t got;

	if (f && f->kind == FID_XREAD)
		return read_xattr(f, r->u64[0], r->u32[0], o);
	if (!f || f->fd < 0)
		return -EBADF;
	if (r->u64[0] > INT64_MAX)
		return -EINVAL;
	if (count > room)
		count = room;
	if (count > fs->msize - CO_P9_IOHDR)
		count = fs->msize - CO_P9_IOHDR;
	n = co_p9_reserve(o, 4);
	data = co_p9_reserve(o, count);
	if (!n || !data)
		return -EMSGSIZE;
	got = pread(f->fd, data, count, (off_t)r->u64[0]);
	if (got < 0)
		return -errno;
	o->len -= count - (size_t)got;
	co_p9_set32(n, (uint32_t)got);
	return 0;
}

static int op_write(struct co_fs *fs, const struct co_p9_req *r,
		    struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	ssize_t n;

	if (f && f->kind == FID_XWRITE)
		return write_xattr(f, r->u64[0], r->data, r->u32[0], o);
	if (!f || f->fd < 0)
		return -EBADF;
	if (fs->ro)
		return -EROFS;
	if (r->u64[0] > INT64_MAX)
		return -EINVAL;
	n = pwrite(f->fd, r->data, r->u32[0], (off_t)r->u64[0]);
	if (n < 0)
		return -errno;
	co_p9_put32(o, (uint32_t)n);
	return 0;
}

static int op_fsync(struct co_fs *fs, const struct co_p9_req *r,
		    struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);

	if (!f || f->fd < 0)
		return -EBADF;
	if (r->u32[0] ? fdatasync(f->fd) : fsync(f->fd))
		return -errno;
	return 0;
}

/* One directory entry; false when it does not fit in @limit. */
static bool put_dirent(struct co_p9_out *o, size_t limit,
		       const struct dirent64 *d)
{
	struct co_p9_qid q = { .type = d->d_type == DT_DIR ? P9_QTDIR :
				       d->d_type == DT_LNK ? P9_QTSYMLINK :
							     P9_QTFILE,
			       .path = d->d_ino };
	size_t n = strlen(d->d_name);

	if (o->len + 13 + 8 + 1 + 2 + n > limit)
		return false;
	co_p9_putqid(o, &q);
	co_p9_put64(o, (uint64_t)d->d_off);
	co_p9_put8(o, d->d_type);
	co_p9_putstr(o, d->d_name, n);
	return true;
}

/* Entries from cookie @off into @o up to @limit; -errno or 0. */
static int fill_dir(struct co_fs *fs, int fd, uint64_t off, struct co_p9_out *o,
		    size_t limit)
{
	long n;

	if (off > INT64_MAX || lseek(fd, (off_t)off, SEEK_SET) < 0)
		return -EINVAL;
	for (;;) {
		n = syscall(SYS_getdents64, fd, fs->dents, sizeof(fs->dents));
		if (n <= 0)
			return n < 0 ? -errno : 0;
		for (long i = 0; i < n;) {
			struct dirent64 *d = (void *)(fs->dents + i);

			if (!put_dirent(o, limit, d))
				return 0;
			i += d->d_reclen;
		}
	}
}

static int op_readdir(struct co_fs *fs, const struct co_p9_req *r,
		      struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	size_t start, limit, count = r->u32[0];
	uint8_t *n;
	int ret;

	if (!f || f->fd < 0)
		return -EBADF;
	if (count > fs->msize - CO_P9_IOHDR)
		count = fs->msize - CO_P9_IOHDR;
	n = co_p9_reserve(o, 4);
	if (!n)
		return -EMSGSIZE;
	start = o->len;
	limit = o->cap - start < count ? o->cap : start + count;
	ret = fill_dir(fs, f->fd, r->u64[0], o, limit);
	if (ret)
		return ret;
	co_p9_set32(n, (uint32_t)(o->len - start));
	return 0;
}

/* --- attributes --- */

static int op_getattr(struct co_fs *fs, const struct co_p9_req *r,
		      struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	struct co_p9_qid q;
	struct stat st;

	if (!f)
		return -EBADF;
	if (fstat(f->path, &st))
		return -errno;
	make_qid(&st, &q);
	co_p9_put64(o, P9_GETATTR_BASIC);
	co_p9_putqid(o, &q);
	co_p9_put32(o, st.st_mode);
	co_p9_put32(o, st.st_uid);
	co_p9_put32(o, st.st_gid);
	co_p9_put64(o, st.st_nlink);
	co_p9_put64(o, st.st_rdev);
	co_p9_put64(o, (uint64_t)st.st_size);
	co_p9_put64(o, (uint64_t)st.st_blksize);
	co_p9_put64(o, (uint64_t)st.st_blocks);
	co_p9_put64(o, (uint64_t)st.st_atim.tv_sec);
	co_p9_put64(o, (uint64_t)st.st_atim.tv_nsec);
	co_p9_put64(o, (uint64_t)st.st_mtim.tv_sec);
	co_p9_put64(o, (uint64_t)st.st_mtim.tv_nsec);
	co_p9_put64(o, (uint64_t)st.st_ctim.tv_sec);
	co_p9_put64(o, (uint64_t)st.st_ctim.tv_nsec);
	for (int i = 0; i < 4; i++) /* btime, gen, data_version */
		co_p9_put64(o, 0);
	return 0;
}

static struct timespec set_time(uint32_t valid, uint32_t given, uint32_t set,
				uint64_t sec, uint64_t nsec)
{
	if (!(valid & given))
		return (struct timespec){ .tv_nsec = UTIME_OMIT };
	if (!(valid & set))
		return (struct timespec){ .tv_nsec = UTIME_NOW };
	return (struct timespec){ .tv_sec = (time_t)sec,
				  .tv_nsec = (long)nsec };
}

static int set_size(int path, const struct stat *st, uint64_t size)
{
	char p[64];
	int ret;

	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	if (size > INT64_MAX)
		return -EFBIG;
	ret = drop_setid(path, st);
	if (ret)
		return ret;
	proc_path(p, sizeof(p), path);
	return truncate(p, (off_t)size) ? -errno : 0;
}

static int op_setattr(struct co_fs *fs, const struct co_p9_req *r,
		      struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	uint32_t valid = r->u32[0];
	struct timespec t[2];
	struct stat st;
	int ret = 0;

	if (!f)
		return -EBADF;
	if (fs->ro && (valid & ~P9_ATTR_CTIME))
		return -EROFS;
	if (fstat(f->path, &st))
		return -errno;
	if ((valid & P9_ATTR_MODE) && !S_ISLNK(st.st_mode))
		ret = set_mode(f->path, r->u32[1]);
	if (!ret && (valid & P9_ATTR_SIZE))
		ret = set_size(f->path, &st, r->u64[0]);
	if (ret || !(valid & (P9_ATTR_ATIME | P9_ATTR_MTIME)))
		return ret;
	if (r->u64[2] >= 1000000000 || r->u64[4] >= 1000000000)
		return -EINVAL;
	t[0] = set_time(valid, P9_ATTR_ATIME, P9_ATTR_ATIME_SET, r->u64[1],
			r->u64[2]);
	t[1] = set_time(valid, P9_ATTR_MTIME, P9_ATTR_MTIME_SET, r->u64[3],
			r->u64[4]);
	return utimensat(f->path, "", t, AT_EMPTY_PATH) ? -errno : 0;
}

static int op_statfs(struct co_fs *fs, const struct co_p9_req *r,
		     struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	struct statfs s;
	uint64_t fsid;

	if (!f)
		return -EBADF;
	if (fstatfs(f->path, &s))
		return -errno;
	memcpy(&fsid, &s.f_fsid, sizeof(fsid));
	co_p9_put32(o, (uint32_t)s.f_type);
	co_p9_put32(o, (uint32_t)s.f_bsize);
	co_p9_put64(o, s.f_blocks);
	co_p9_put64(o, s.f_bfree);
	co_p9_put64(o, s.f_bavail);
	co_p9_put64(o, s.f_files);
	co_p9_put64(o, s.f_ffree);
	co_p9_put64(o, fsid);
	co_p9_put32(o, (uint32_t)s.f_namelen);
	return 0;
}

static int op_readlink(struct co_fs *fs, const struct co_p9_req *r,
		       struct co_p9_out *o)
{
	struct fid *f = fid_get(fs, r->fid);
	ssize_t n;

	if (!f)
		return -EBADF;
	n = readlinkat(f->path, "", fs->link, sizeof(fs->link));
	if (n < 0)
		return errno == ENOENT ? -EINVAL : -errno;
	co_p9_putstr(o, fs->link, (size_t)n);
	return 0;
}

/* --- changing the tree --- */

/* The directory fid @id for making or removing @name. */
static int dir_for(struct co_fs *fs, uint32_t id, const char *name)
{
	struct fid *f = fid_get(fs, id);

	if (!f)
		return -EBADF;
	if (fs->ro)
		return -EROFS;
	return check_name(name) ? -EINVAL : f->path;
}

/*
 * The entry just made as @name in @dir (created 0700 or 0600, so nobody
 * else could open it meanwhile): owned by the share's owner, given @mode,
 * its qid into @o.
 */
static int settle_new(struct co_fs *fs, int dir, const char *name, int oflags,
		      uint32_t mode, struct co_p9_out *o)
{
	int fd = open_beneath(dir, name, O_PATH | oflags, 0), ret;

	if (fd < 0)
		return fd;
	ret = own(fs, fd, "", AT_EMPTY_PATH);
	if (!ret)
		ret = set_mode(fd, mode);
	if (!ret)
		ret = put_qid_of(o, fd);
	close(fd);
	return ret;
}

static int op_mkdir(struct co_fs *fs, const struct co_p9_req *r,
		    struct co_p9_out *o)
{
	int dir = dir_for(fs, r->fid, r->name);

	if (dir < 0)
		return dir;
	if (mkdirat(dir, r->name, 0700))
		return -errno;
	return settle_new(fs, dir, r->name, O_DIRECTORY, r->u32[1], o);
}

static int op_symlink(struct co_fs *fs, const struct co_p9_req *r,
		      struct co_p9_out *o)
{
	int dir = dir_for(fs, r->fid, r->name), ret;
	struct co_p9_qid q;
	struct stat st;

	if (dir < 0)
		return dir;
	if (!r->str[0])
		return -ENOENT;
	if (symlinkat(r->str, dir, r->name))
		return -errno;
	ret = own(fs, dir, r->name, AT_SYMLINK_NOFOLLOW);
	if (ret)
		return ret;
	if (fstatat(dir, r->name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	make_qid(&st, &q);
	co_p9_putqid(o, &q);
	return 0;
}

/* Sockets only: no device numbers, no FIFOs the daemon could block on. */
static int op_mknod(struct co_fs *fs, const struct co_p9_req *r,
		    struct co_p9_out *o)
{
	int dir = dir_for(fs, r->fid, r->name);

	if (dir < 0)
		return dir;
	if ((r->u32[1] & S_IFMT) != S_IFSOCK)
		return -EPERM;
	if (mknodat(dir, r->name, S_IFSOCK | 0600, 0))
		return -errno;
	return settle_new(fs, dir, r->name, 0, r->u32[1], o);
}

static int op_link(struct co_fs *fs, const struct co_p9_req *r,
		   struct co_p9_out *o)
{
	int dir = dir_for(fs, r->fid, r->name);
	struct fid *f = fid_get(fs, r->fid2);
	char p[64];

	if (dir < 0)
		return dir;
	if (!f)
		return -EBADF;
	proc_path(p, sizeof(p), f->path);
	return linkat(AT_FDCWD, p, dir, r->name, AT_SYMLINK_FOLLOW) ? -errno :
								      0;
}

static int op_renameat(struct co_fs *fs, const struct co_p9_req *r,
		       struct co_p9_out *o)
{
	int from = dir_for(fs, r->fid, r->name);
	int to = dir_for(fs, r->fid2, r->name2);

	if (from < 0 || to < 0)
		return from < 0 ? from : to;
	return renameat(from, r->name, to, r->name2) ? -errno : 0;
}

static int op_unlinkat(struct co_fs *fs, const struct co_p9_req *r,
		       struct co_p9_out *o)
{
	int dir = dir_for(fs, r->fid, r->name);

	if (dir < 0)
		return dir;
	if (r->u32[0] & ~P9_AT_REMOVEDIR)
		return -EINVAL;
	return unlinkat(dir, r->name,
			r->u32[0] & P9_AT_REMOVEDIR ? AT_REMOVEDIR : 0) ?
		       -errno :
		       0;
}

/* --- locks: open-file-description locks, never waited for --- */

static int make_flock(const struct co_p9_req *r, struct flock *l)
{
	static const short types[] = { F_RDLCK, F_WRLCK, F_UNLCK };

	if (r->u8 > P9_LOCK_TYPE_UNLCK || r->u64[0] > INT64_MAX ||
	    r->u64[1] > INT64_MAX)
		return -EINVAL;
	*l = (struct flock){ .l_type = types[r->u8],
			     .l_whence = SEEK_SET,
			     .l_start = (off_t)r->u64[0],
			     .l_len = (off_t)r->u64[1] };
	return 0;
}

/* The open descriptor of @r's fid and @r's range as a struct flock. */
static int lock_args(struct co_fs *fs, const struct co_p9_req *r, int *fd,
		     struct flock *l)
{
	struct fid *f = fid_get(fs, r->fid);

	if (!f || f->fd < 0)
		return -EBADF;
	*fd = f->fd;
	return make_flock(r, l);
}

static int op_lock(struct co_fs *fs, const struct co_p9_req *r,
		   struct co_p9_out *o)
{
	struct flock l;
	int fd, ret;

	ret = lock_args(fs, r, &fd, &l);
	if (ret)
		return ret;
	if (!fcntl(fd, F_OFD_SETLK, &l))
		co_p9_put8(o, P9_LOCK_SUCCESS);
	else if (errno == EAGAIN || errno == EACCES)
		co_p9_put8(o, P9_LOCK_BLOCKED);
	else
		return -errno;
	return 0;
}

static int op_getlock(struct co_fs *fs, const struct co_p9_req *r,
		      struct co_p9_out *o)
{
	struct flock l;
	int fd, ret;

	ret = lock_args(fs, r, &fd, &l);
	if (ret)
		return ret;
	if (fcntl(fd, F_OFD_GETLK, &l))
		return -errno;
	co_p9_put8(o, l.l_type == F_RDLCK ? P9_LOCK_TYPE_RDLCK :
		      l.l_type == F_WRLCK ? P9_LOCK_TYPE_WRLCK :
					    P9_LOCK_TYPE_UNLCK);
	co_p9_put64(o, (uint64_t)l.l_start);
	co_p9_put64(o, (uint64_t)l.l_len);
	co_p9_put32(o, l.l_type == F_UNLCK ? r->u32[1] : 0);
	co_p9_putstr(o, r->str, strlen(r->str));
	return 0;
}

/* The message types served; any other is answered EOPNOTSUPP. */
static const op_fn ops[256] = {
	[P9_TVERSION] = op_version,	[P9_TATTACH] = op_attach,
	[P9_TFLUSH] = op_flush,		[P9_TWALK] = op_walk,
	[P9_TCLUNK] = op_clunk,		[P9_TREMOVE] = op_remove,
	[P9_TLOPEN] = op_lopen,		[P9_TLCREATE] = op_lcreate,
	[P9_TREAD] = op_read,		[P9_TWRITE] = op_write,
	[P9_TFSYNC] = op_fsync,		[P9_TREADDIR] = op_readdir,
	[P9_TGETATTR] = op_getattr,	[P9_TSETATTR] = op_setattr,
	[P9_TSTATFS] = op_statfs,	[P9_TREADLINK] = op_readlink,
	[P9_TMKDIR] = op_mkdir,		[P9_TSYMLINK] = op_symlink,
	[P9_TMKNOD] = op_mknod,		[P9_TLINK] = op_link,
	[P9_TRENAMEAT] = op_renameat,	[P9_TUNLINKAT] = op_unlinkat,
	[P9_TLOCK] = op_lock,		[P9_TGETLOCK] = op_getlock,
	[P9_TXATTRWALK] = op_xattrwalk, [P9_TXATTRCREATE] = op_xattrcreate,
	[P9_TRENAME] = op_refuse, /* fids have no names: Trenameat */
};

size_t co_fs_serve(struct co_fs *fs, const uint8_t *req, size_t len,
		   uint8_t *rep, size_t cap)
{
	struct co_p9_req *r = &fs->req;
	struct co_p9_out o;
	size_t n = 0;
	int ret;

	if (len < CO_P9_HDR)
		return 0; /* no tag to answer */
	if (cap > fs->msize)
		cap = fs->msize;
	ret = co_p9_parse(req, len, r);
	if (!ret && !(r->type & 1) && ops[r->type]) {
		co_p9_begin(&o, rep, cap, r->type + 1, r->tag);
		ret = ops[r->type](fs, r, &o);
		n = ret ? 0 : co_p9_end(&o);
		if (!ret && !n)
			ret = -EMSGSIZE;
	} else if (!ret) {
		ret = -EOPNOTSUPP;
	}
	return ret ? co_p9_error(rep, cap, r->tag, (uint32_t)-ret) : n;
}

/*
 * Room for the fids' descriptors (two per fid): the soft limit raised to the
 * hard one; the fids get what lies below the last FD_RESERVE.
 */
static int fd_top(void)
{
	struct rlimit l;

	if (getrlimit(RLIMIT_NOFILE, &l))
		return FD_RESERVE;
	if (l.rlim_cur < l.rlim_max) {
		l.rlim_cur = l.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &l))
			getrlimit(RLIMIT_NOFILE, &l);
	}
	if (l.rlim_cur > INT_MAX)
		l.rlim_cur = INT_MAX;
	return l.rlim_cur > 2 * FD_RESERVE ? (int)l.rlim_cur - FD_RESERVE :
					     (int)l.rlim_cur / 2;
}

/* What the server needs of the host: openat2() and /proc/self/fd. */
static int check_host(int root, const char *key, struct co_err *err)
{
	int fd = open_beneath(root, ".", O_PATH, 0);

	if (fd == -ENOSYS)
		return co_fail(
			err, fd,
			"%s: the host kernel has no openat2() (Linux 5.6 or later is needed)",
			key);
	if (fd < 0)
		return co_fail(err, fd, "%s: %s", key, strerror(-fd));
	close(fd);
	if (access("/proc/self/fd", F_OK))
		return co_fail(
			err, -errno,
			"%s: /proc is not mounted (files are reopened through /proc/self/fd)",
			key);
	return 0;
}

int co_fs_open(struct co_fs **fsp, const char *key, const char *dir, bool ro,
	       struct co_err *err)
{
	struct co_fs *fs;
	struct stat st;
	int fd, ret;

	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return co_fail(err, -errno, "%s: %s", key,
			       errno == ENOENT	? "no such directory" :
			       errno == ENOTDIR ? "not a directory" :
						  strerror(errno));
	ret = check_host(fd, key, err);
	if (ret) {
		close(fd);
		return ret;
	}
	fs = calloc(1, sizeof(*fs));
	if (!fs || fstat(fd, &st)) {
		free(fs);
		close(fd);
		return co_fail(err, -ENOMEM, "%s: out of memory", key);
	}
	fs->root = fd;
	fs->dev = st.st_dev;
	fs->ino = st.st_ino;
	fs->uid = st.st_uid;
	fs->gid = st.st_gid;
	fs->chown = geteuid() == 0;
	fs->ro = ro;
	fs->msize = CO_FS_MSIZE;
	fs->fd_top = fd_top();
	*fsp = fs;
	return 0;
}

void co_fs_close(struct co_fs *fs)
{
	if (!fs)
		return;
	co_fs_reset(fs);
	close(fs->root);
	free(fs);
}
