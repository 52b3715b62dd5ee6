// SPDX-License-Identifier: GPL-2.0
/*
 * cofs_fs_test.c --- the 9P2000.L server against a real temporary directory:
 * reading and writing, and each confinement rule of cofs_fs.c with a case
 * that fails without it (symlinks to /etc and to ../.., ".." at the root,
 * names with '/', empty or too long, a FIFO, a device node, a renamed
 * directory with an open fid below it, a read-only share, security.* and
 * trusted.* attributes).
 *
 *   TMP/share/hello          "hi\n"
 *   TMP/share/sub/           (a directory)
 *   TMP/share/etc -> /etc, up -> ../.., out -> ../outside
 *   TMP/share/fifo, null     a FIFO and, as root, a character device 1,3
 *   TMP/outside/secret       what no request may reach
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cofs_fs.h"
#include "p9.h"

#include "../../tests/lib/check.h"

#define ROOT 1 /* the attached fid */

static char tmp[] = "/tmp/cofs_fs_test.XXXXXX";
static char share[256], outside[256];
static struct co_fs *fs;
static uint8_t tbuf[8192], rep[CO_FS_MSIZE];
static size_t rlen;
static struct co_p9_out t;

static void begin(uint8_t type)
{
	co_p9_begin(&t, tbuf, sizeof(tbuf), type, 7);
}

static void str(const char *s)
{
	co_p9_putstr(&t, s, strlen(s));
}

static uint32_t rep32(size_t off)
{
	uint32_t v;

	memcpy(&v, rep + off, 4);
	return le32toh(v);
}

/* Send the message built in t: 0 for the R-message expected, or -ecode. */
static int send(void)
{
	size_t n = co_p9_end(&t);
	uint8_t want = tbuf[4] + 1;

	rlen = co_fs_serve(fs, tbuf, n, rep, sizeof(rep));
	if (rlen < CO_P9_HDR || rep32(0) != rlen || rep[5] != 7 ||
	    rep[6] != 0) {
		printf("# reply of %zu bytes is malformed\n", rlen);
		return -1000;
	}
	if (rep[4] == P9_RLERROR && rlen == 11)
		return -(int)rep32(7);
	return rep[4] == want ? 0 : -1001;
}

static int version(uint32_t msize)
{
	begin(P9_TVERSION);
	co_p9_put32(&t, msize);
	str("9P2000.L");
	return send();
}

static int attach(uint32_t fid, const char *aname)
{
	begin(P9_TATTACH);
	co_p9_put32(&t, fid);
	co_p9_put32(&t, CO_P9_NOFID);
	str("root");
	str(aname);
	co_p9_put32(&t, 0);
	return send();
}

/* Twalk; the number of qids (partial walks) or -ecode. */
static int walk(uint32_t fid, uint32_t newfid, int n, ...)
{
	va_list ap;
	int ret;

	begin(P9_TWALK);
	co_p9_put32(&t, fid);
	co_p9_put32(&t, newfid);
	co_p9_put16(&t, (uint16_t)n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		str(va_arg(ap, const char *));
	va_end(ap);
	ret = send();
	return ret ? ret : rep[7] | rep[8] << 8;
}

static uint64_t qid_path(size_t off)
{
	uint64_t v;

	memcpy(&v, rep + off + 5, 8);
	return le64toh(v);
}

static int clunk(uint32_t fid)
{
	begin(P9_TCLUNK);
	co_p9_put32(&t, fid);
	return send();
}

static int lopen(uint32_t fid, uint32_t flags)
{
	begin(P9_TLOPEN);
	co_p9_put32(&t, fid);
	co_p9_put32(&t, flags);
	return send();
}

static int lcreate(uint32_t fid, const char *name, uint32_t flags,
		   uint32_t mode)
{
	begin(P9_TLCREATE);
	co_p9_put32(&t, fid);
	str(name);
	co_p9_put32(&t, flags);
	co_p9_put32(&t, mode);
	co_p9_put32(&t, 0);
	return send();
}

/* Tread into rep; the count or -ecode. */
static int rd(uint32_t fid, uint64_t off, uint32_t count)
{
	int ret;

	begin(P9_TREAD);
	co_p9_put32(&t, fid);
	co_p9_put64(&t, off);
	co_p9_put32(&t, count);
	ret = send();
	return ret ? ret : (int)rep32(7);
}

static int wr(uint32_t fid, uint64_t off, const char *data)
{
	size_t n = strlen(data);
	int ret;

	begin(P9_TWRITE);
	co_p9_put32(&t, fid);
	co_p9_put64(&t, off);
	co_p9_put32(&t, (uint32_t)n);
	memcpy(co_p9_reserve(&t, n), data, n);
	ret = send();
	return ret ? ret : (int)rep32(7);
}

static int mkdir9(uint32_t fid, const char *name, uint32_t mode)
{
	begin(P9_TMKDIR);
	co_p9_put32(&t, fid);
	str(name);
	co_p9_put32(&t, mode);
	co_p9_put32(&t, 0);
	return send();
}

static int symlink9(uint32_t fid, const char *name, const char *target)
{
	begin(P9_TSYMLINK);
	co_p9_put32(&t, fid);
	str(name);
	str(target);
	co_p9_put32(&t, 0);
	return send();
}

static int mknod9(uint32_t fid, const char *name, uint32_t mode)
{
	begin(P9_TMKNOD);
	co_p9_put32(&t, fid);
	str(name);
	co_p9_put32(&t, mode);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, 3);
	co_p9_put32(&t, 0);
	return send();
}

static int unlink9(uint32_t fid, const char *name, uint32_t flags)
{
	begin(P9_TUNLINKAT);
	co_p9_put32(&t, fid);
	str(name);
	co_p9_put32(&t, flags);
	return send();
}

static int rename9(uint32_t from, const char *a, uint32_t to, const char *b)
{
	begin(P9_TRENAMEAT);
	co_p9_put32(&t, from);
	str(a);
	co_p9_put32(&t, to);
	str(b);
	return send();
}

static int setattr(uint32_t fid, uint32_t valid, uint32_t mode, uint64_t size)
{
	begin(P9_TSETATTR);
	co_p9_put32(&t, fid);
	co_p9_put32(&t, valid);
	co_p9_put32(&t, mode);
	co_p9_put32(&t, 0);
	co_p9_put32(&t, 0);
	co_p9_put64(&t, size);
	for (int i = 0; i < 4; i++)
		co_p9_put64(&t, 0);
	return send();
}

static int getattr(uint32_t fid)
{
	begin(P9_TGETATTR);
	co_p9_put32(&t, fid);
	co_p9_put64(&t, P9_GETATTR_BASIC);
	return send();
}

/* Rgetattr: mode at 7 + 8 + 13, uid, gid after it. */
static uint32_t attr_mode(void)
{
	return rep32(28);
}

static char *path_in(const char *dir, const char *name)
{
	static char p[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static void put_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	CHECK(f && fputs(text, f) >= 0);
	if (f)
		fclose(f);
}

static char *get_file(const char *p)
{
	static char buf[256];
	FILE *f = fopen(p, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return f ? buf : NULL;
}

static void open_fs(bool ro)
{
	struct co_err err;

	co_fs_close(fs);
	CHECK_INT(co_fs_open(&fs, "cofs0=share", share, ro, &err), 0);
	CHECK_INT(version(1u << 20), 0);
	CHECK_INT(rep32(7), CO_FS_MSIZE);
	CHECK_INT(attach(ROOT, ""), 0);
}

static void setup(void)
{
	CHECK(mkdtemp(tmp) != NULL);
	snprintf(share, sizeof(share), "%s/share", tmp);
	snprintf(outside, sizeof(outside), "%s/outside", tmp);
	CHECK(!mkdir(share, 0755) && !mkdir(outside, 0755));
	CHECK(!mkdir(path_in(share, "sub"), 0755));
	put_file(path_in(share, "hello"), "hi\n");
	put_file(path_in(outside, "secret"), "secret\n");
	CHECK(!symlink("/etc", path_in(share, "etc")));
	CHECK(!symlink("../..", path_in(share, "up")));
	CHECK(!symlink("../outside", path_in(share, "out")));
	CHECK(!mkfifo(path_in(share, "fifo"), 0644));
	if (!geteuid()) {
		CHECK(!mknod(path_in(share, "null"), S_IFCHR | 0666,
			     makedev(1, 3)));
		CHECK(!chown(share, 1234, 5678));
	}
	alarm(60); /* an opened FIFO would block: fail, don't hang */
}

static void test_open_errors(void)
{
	struct co_fs *f;
	struct co_err err;

	CHECK_INT(co_fs_open(&f, "cofs1=/nonexistent", "/nonexistent/x", false,
			     &err),
		  -ENOENT);
	CHECK_STR(err.msg, "cofs1=/nonexistent: no such directory");
	CHECK_INT(co_fs_open(&f, "cofs1=hello", path_in(share, "hello"), false,
			     &err),
		  -ENOTDIR);
	CHECK_STR(err.msg, "cofs1=hello: not a directory");
}

static void test_read_write_create(void)
{
	struct stat st;

	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 1, "hello"), 1);
	CHECK_INT(lopen(2, O_RDONLY), 0);
	CHECK_INT(rd(2, 0, 100), 3);
	CHECK(!memcmp(rep + 11, "hi\n", 3));
	CHECK_INT(rd(2, 1, 1), 1);
	CHECK_INT(rep[11], 'i');
	CHECK_INT(lopen(2, O_RDONLY), -EBUSY);
	CHECK_INT(clunk(2), 0);
	CHECK_INT(clunk(2), -EBADF);

	/* Tlcreate: a new file, the share owner's, mode without set-ID. */
	CHECK_INT(walk(ROOT, 3, 0), 0);
	CHECK_INT(lcreate(3, "new", O_RDWR, 04755), 0);
	CHECK_INT(wr(3, 0, "data"), 4);
	CHECK_INT(clunk(3), 0);
	CHECK_STR(get_file(path_in(share, "new")), "data");
	CHECK(!lstat(path_in(share, "new"), &st));
	CHECK_INT(st.st_mode, S_IFREG | 0755);
	if (!geteuid()) {
		CHECK_INT(st.st_uid, 1234);
		CHECK_INT(st.st_gid, 5678);
	}
	CHECK_INT(walk(ROOT, 3, 0), 0);
	CHECK_INT(lcreate(3, "new", O_RDWR, 0644), -EEXIST);

	/* Tsetattr: truncate, chmod (set-ID dropped). */
	CHECK_INT(walk(ROOT, 4, 1, "new"), 1);
	CHECK_INT(setattr(4, P9_ATTR_SIZE | P9_ATTR_MODE, 06640, 2), 0);
	CHECK_STR(get_file(path_in(share, "new")), "da");
	CHECK_INT(getattr(4), 0);
	CHECK_INT(attr_mode(), S_IFREG | 0640);

	/* mkdir, rename, unlink; the directory is the owner's too. */
	CHECK_INT(mkdir9(ROOT, "d", 0750), 0);
	CHECK(!lstat(path_in(share, "d"), &st));
	CHECK_INT(st.st_mode, S_IFDIR | 0750);
	if (!geteuid())
		CHECK_INT(st.st_uid, 1234);
	CHECK_INT(walk(ROOT, 5, 1, "d"), 1);
	CHECK_INT(rename9(ROOT, "new", 5, "moved"), 0);
	CHECK_STR(get_file(path_in(share, "d/moved")), "da");
	CHECK_INT(walk(4, 6, 0), 0); /* fid 4 still the file, renamed */
	CHECK_INT(getattr(6), 0);
	CHECK_INT(unlink9(ROOT, "d", P9_AT_REMOVEDIR), -ENOTEMPTY);
	CHECK_INT(unlink9(5, "moved", 0), 0);
	CHECK_INT(unlink9(ROOT, "d", P9_AT_REMOVEDIR), 0);
	CHECK(lstat(path_in(share, "d"), &st) && errno == ENOENT);

	/* A symlink is stored as given; readlink gives it back. */
	CHECK_INT(symlink9(ROOT, "ln", "/anywhere/../at/all"), 0);
	CHECK_INT(walk(ROOT, 7, 1, "ln"), 1);
	CHECK_INT(rep[9], P9_QTSYMLINK);
	begin(P9_TREADLINK);
	co_p9_put32(&t, 7);
	CHECK_INT(send(), 0);
	CHECK(rlen == 9 + 19 && !memcmp(rep + 9, "/anywhere/../at/all", 19));
	CHECK_INT(unlink9(ROOT, "ln", 0), 0);
	co_fs_reset(fs);
}

/* Writing or truncating clears set-ID bits, as for any writer but root. */
static void test_setid_cleared(void)
{
	struct stat st;

	put_file(path_in(share, "suid"), "#!/bin/sh\n");
	put_file(path_in(share, "sgid"), "#!/bin/sh\n");
	CHECK(!chmod(path_in(share, "suid"), 04755) &&
	      !chmod(path_in(share, "sgid"), 02755));
	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 1, "suid"), 1);
	CHECK_INT(lopen(2, O_RDONLY), 0);
	CHECK(!lstat(path_in(share, "suid"), &st));
	CHECK_INT(st.st_mode, S_IFREG | 04755); /* reading changes nothing */
	CHECK_INT(walk(ROOT, 3, 1, "suid"), 1);
	CHECK_INT(lopen(3, O_WRONLY), 0);
	CHECK(!lstat(path_in(share, "suid"), &st));
	CHECK_INT(st.st_mode, S_IFREG | 0755);
	CHECK_INT(walk(ROOT, 4, 1, "sgid"), 1);
	CHECK_INT(setattr(4, P9_ATTR_SIZE, 0, 0), 0);
	CHECK(!lstat(path_in(share, "sgid"), &st));
	CHECK_INT(st.st_mode, S_IFREG | 0755);
	co_fs_reset(fs);
	CHECK(!unlink(path_in(share, "suid")) &&
	      !unlink(path_in(share, "sgid")));
}

static int lock(uint32_t fid, uint8_t type, uint8_t msg)
{
	int ret;

	begin(msg);
	co_p9_put32(&t, fid);
	co_p9_put8(&t, type);
	if (msg == P9_TLOCK)
		co_p9_put32(&t, 0);
	co_p9_put64(&t, 0);
	co_p9_put64(&t, 10);
	co_p9_put32(&t, 42);
	str("guest");
	ret = send();
	return ret ? ret : rep[7];
}

/* statfs, fsync, link, and locks that are never waited for. */
static void test_misc(void)
{
	struct stat a, b;

	open_fs(false);
	begin(P9_TSTATFS);
	co_p9_put32(&t, ROOT);
	CHECK_INT(send(), 0);
	CHECK_INT(rlen, 7 + 4 + 4 + 8 * 6 + 4);
	CHECK_INT(rep32(rlen - 4), 255); /* namelen */
	CHECK_INT(walk(ROOT, 2, 1, "hello"), 1);
	begin(P9_TLINK);
	co_p9_put32(&t, ROOT);
	co_p9_put32(&t, 2);
	str("hard");
	CHECK_INT(send(), 0);
	CHECK(!lstat(path_in(share, "hello"), &a) &&
	      !lstat(path_in(share, "hard"), &b) && a.st_ino == b.st_ino);
	CHECK_INT(unlink9(ROOT, "hard", 0), 0);
	begin(P9_TFSYNC);
	co_p9_put32(&t, 2);
	co_p9_put32(&t, 0);
	CHECK_INT(send(), -EBADF); /* not open */
	CHECK_INT(lopen(2, O_RDWR), 0);
	begin(P9_TFSYNC);
	co_p9_put32(&t, 2);
	co_p9_put32(&t, 1);
	CHECK_INT(send(), 0);
	CHECK_INT(walk(ROOT, 3, 1, "hello"), 1);
	CHECK_INT(lopen(3, O_RDWR), 0);
	CHECK_INT(lock(2, P9_LOCK_TYPE_WRLCK, P9_TLOCK), P9_LOCK_SUCCESS);
	CHECK_INT(lock(3, P9_LOCK_TYPE_WRLCK, P9_TLOCK), P9_LOCK_BLOCKED);
	CHECK_INT(lock(3, P9_LOCK_TYPE_RDLCK, P9_TGETLOCK), P9_LOCK_TYPE_WRLCK);
	CHECK_INT(lock(2, P9_LOCK_TYPE_UNLCK, P9_TLOCK), P9_LOCK_SUCCESS);
	CHECK_INT(lock(3, P9_LOCK_TYPE_WRLCK, P9_TLOCK), P9_LOCK_SUCCESS);
	CHECK_INT(lock(3, 7, P9_TLOCK), -EINVAL);
	co_fs_reset(fs);
}

/* Treaddir: every name once, "." and ".." included, across small replies. */
static void test_readdir(void)
{
	char seen[1024] = "";
	uint64_t off = 0;
	int rounds = 0;

	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 0), 0);
	CHECK_INT(lopen(2, O_RDONLY), 0);
	for (;;) {
		uint32_t n;

		begin(P9_TREADDIR);
		co_p9_put32(&t, 2);
		co_p9_put64(&t, off);
		co_p9_put32(&t, 40); /* one entry at a time */
		CHECK_INT(send(), 0);
		n = rep32(7);
		if (!n || ++rounds > 50)
			break;
		for (size_t i = 11; i < 11 + n;) {
			uint16_t len = rep[i + 22] | rep[i + 23] << 8;

			memcpy(&off, rep + i + 13, 8);
			off = le64toh(off);
			strcat(seen, " ");
			strncat(seen, (char *)rep + i + 24, len);
			i += 24 + len;
		}
	}
	CHECK(strstr(seen, " hello") && strstr(seen, " sub") &&
	      strstr(seen, " fifo") && strstr(seen, " .."));
	CHECK(rounds >= 6 && rounds < 50);
	co_fs_reset(fs);
}

/* Symlinks are never followed: /etc, ../.., ../outside. */
static void test_symlinks(void)
{
	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 2, "etc", "passwd"), 1); /* partial */
	CHECK_INT(clunk(2), -EBADF); /* ... so newfid was not made */
	CHECK_INT(walk(ROOT, 2, 2, "up", "etc"), 1);
	CHECK_INT(walk(ROOT, 2, 2, "out", "secret"), 1);
	CHECK_INT(walk(ROOT, 2, 1, "out"), 1);
	CHECK_INT(lopen(2, O_RDONLY), -ELOOP);
	CHECK_INT(walk(2, 3, 1, "secret"), -ENOTDIR);
	CHECK_INT(setattr(2, P9_ATTR_SIZE, 0, 0), -EINVAL);
	CHECK_INT(lcreate(2, "x", O_RDWR, 0644), -ENOTDIR);
	/* attach's aname is confined alike */
	CHECK_INT(attach(9, "out"), -ENOTDIR); /* O_NOFOLLOW: the link itself */
	CHECK_INT(attach(9, "up/tmp"), -ELOOP);
	CHECK_INT(attach(9, "../outside"), -EXDEV);
	CHECK_INT(attach(9, "hello"), -ENOTDIR);
	CHECK_INT(attach(9, "/sub"), 0);
	CHECK_INT(walk(9, 10, 1, ".."), 1); /* the share root, not TMP */
	CHECK_INT(walk(10, 11, 1, "hello"), 1);
	CHECK_STR(get_file(path_in(outside, "secret")), "secret\n");
	co_fs_reset(fs);
}

/* ".." at the root stays there; elsewhere it is the parent. */
static void test_dotdot(void)
{
	uint64_t root;

	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 0), 0);
	CHECK_INT(getattr(2), 0);
	root = qid_path(15);
	CHECK_INT(walk(ROOT, 3, 3, "..", "..", ".."), 3);
	CHECK(qid_path(9) == root && qid_path(9 + 26) == root);
	CHECK_INT(walk(3, 4, 2, "..", "outside"), 1);
	CHECK_INT(walk(ROOT, 4, 3, "sub", "..", "hello"), 3);
	CHECK(qid_path(9 + 13) == root);
	co_fs_reset(fs);
}

/* Names: no '/', not empty, not ".", at most 255 bytes, no NUL. */
static void test_names(void)
{
	char longname[300];

	memset(longname, 'a', 256);
	longname[256] = '\0';
	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 1, "sub/../../outside"), -EINVAL);
	CHECK_INT(walk(ROOT, 2, 1, "../outside"), -EINVAL);
	CHECK_INT(walk(ROOT, 2, 1, ""), -EINVAL);
	CHECK_INT(walk(ROOT, 2, 1, "."), -EINVAL);
	CHECK_INT(walk(ROOT, 2, 1, longname), -ENAMETOOLONG);
	CHECK_INT(lcreate(ROOT, "../outside/x", O_RDWR, 0644), -EINVAL);
	CHECK_INT(lcreate(ROOT, "..", O_RDWR, 0644), -EINVAL);
	CHECK_INT(lcreate(ROOT, "", O_RDWR, 0644), -EINVAL);
	CHECK_INT(lcreate(ROOT, longname, O_RDWR, 0644), -ENAMETOOLONG);
	CHECK_INT(mkdir9(ROOT, "../evil", 0755), -EINVAL);
	CHECK_INT(symlink9(ROOT, "../evil", "x"), -EINVAL);
	CHECK_INT(unlink9(ROOT, "../outside/secret", 0), -EINVAL);
	CHECK_INT(unlink9(ROOT, "..", P9_AT_REMOVEDIR), -EINVAL);
	CHECK_INT(rename9(ROOT, "hello", ROOT, "../hello"), -EINVAL);
	CHECK_INT(rename9(ROOT, "../outside", ROOT, "stolen"), -EINVAL);
	longname[255] = '\0';
	CHECK_INT(walk(ROOT, 2, 1, longname), -ENOENT);
	/* a NUL inside a name */
	begin(P9_TWALK);
	co_p9_put32(&t, ROOT);
	co_p9_put32(&t, 2);
	co_p9_put16(&t, 1);
	co_p9_putstr(&t, "hello\0x", 7);
	CHECK_INT(send(), -EINVAL);
	CHECK_STR(get_file(path_in(outside, "secret")), "secret\n");
	CHECK(access(path_in(tmp, "evil"), F_OK) &&
	      access(path_in(tmp, "x"), F_OK));
	co_fs_reset(fs);
}

/* FIFOs and device nodes are never opened, and mknod makes neither. */
static void test_special_files(void)
{
	struct stat st;

	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 1, "fifo"), 1);
	CHECK_INT(lopen(2, O_RDONLY), -ENXIO); /* would block if opened */
	CHECK_INT(lopen(2, O_WRONLY), -ENXIO);
	CHECK_INT(setattr(2, P9_ATTR_SIZE, 0, 0), -EINVAL);
	if (!geteuid()) {
		CHECK_INT(walk(ROOT, 3, 1, "null"), 1);
		CHECK_INT(lopen(3, O_RDWR), -ENXIO);
	}
	CHECK_INT(mknod9(ROOT, "disk", S_IFBLK | 0666), -EPERM);
	CHECK_INT(mknod9(ROOT, "tty", S_IFCHR | 0666), -EPERM);
	CHECK_INT(mknod9(ROOT, "pipe", S_IFIFO | 0666), -EPERM);
	CHECK(lstat(path_in(share, "disk"), &st) &&
	      lstat(path_in(share, "pipe"), &st));
	CHECK_INT(mknod9(ROOT, "sock", S_IFSOCK | 0600), 0);
	CHECK(!lstat(path_in(share, "sock"), &st) && S_ISSOCK(st.st_mode));
	CHECK_INT(unlink9(ROOT, "sock", 0), 0);
	co_fs_reset(fs);
}

/*
 * A directory renamed with fids below it: they follow the inode.  Moved out
 * of the share by the host, ".." from below it leads nowhere.
 */
static void test_renamed_directory(void)
{
	CHECK(!mkdir(path_in(share, "a"), 0755) &&
	      !mkdir(path_in(share, "a/b"), 0755));
	put_file(path_in(share, "a/b/f"), "fff");
	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 3, "a", "b", "f"), 3);
	CHECK_INT(lopen(2, O_RDONLY), 0);
	CHECK_INT(walk(ROOT, 3, 2, "a", "b"), 2);
	CHECK_INT(rename9(ROOT, "a", ROOT, "c"), 0);
	CHECK_INT(rd(2, 0, 10), 3);
	CHECK_INT(walk(3, 4, 1, "f"), 1);
	CHECK_INT(walk(3, 5, 3, "..", "..", "hello"), 3);
	CHECK(!rename(path_in(share, "c"), path_in(outside, "c")));
	CHECK_INT(walk(3, 6, 1, ".."), -ENOENT);
	CHECK_INT(walk(3, 6, 2, "..", ".."), -ENOENT);
	CHECK(!rename(path_in(outside, "c"), path_in(share, "c")));
	CHECK_INT(walk(3, 6, 2, "..", ".."), 2);
	co_fs_reset(fs);
	CHECK(!unlink(path_in(share, "c/b/f")) &&
	      !rmdir(path_in(share, "c/b")) && !rmdir(path_in(share, "c")));
}

/* Txattrwalk: the size or -ecode; the value (or names) stays in newfid. */
static int xattrwalk(uint32_t fid, uint32_t newfid, const char *name)
{
	int ret;

	begin(P9_TXATTRWALK);
	co_p9_put32(&t, fid);
	co_p9_put32(&t, newfid);
	str(name);
	ret = send();
	return ret ? ret : (int)rep32(7);
}

static int xattrcreate(uint32_t fid, const char *name, uint64_t size)
{
	begin(P9_TXATTRCREATE);
	co_p9_put32(&t, fid);
	str(name);
	co_p9_put64(&t, size);
	co_p9_put32(&t, 0);
	return send();
}

/* user.* attributes pass; security.* and trusted.* neither way. */
static void test_xattrs(void)
{
	char *p = path_in(share, "hello"), v[16] = "";

	CHECK(!setxattr(p, "trusted.host", "t", 1, 0));
	open_fs(false);
	CHECK_INT(walk(ROOT, 2, 1, "hello"), 1);
	CHECK_INT(xattrcreate(2, "user.colour", 4), 0);
	CHECK_INT(wr(2, 0, "blue"), 4);
	CHECK_INT(clunk(2), 0);
	CHECK_INT(getxattr(p, "user.colour", v, sizeof(v)), 4);
	CHECK_STR(v, "blue");
	CHECK_INT(walk(ROOT, 2, 1, "hello"), 1);
	CHECK_INT(xattrwalk(2, 3, "user.colour"), 4);
	CHECK_INT(rd(3, 0, 100), 4);
	CHECK(!memcmp(rep + 11, "blue", 4));
	CHECK_INT(clunk(3), 0);
	/* the list has user.colour, not trusted.host */
	CHECK_INT(xattrwalk(2, 3, ""), 12);
	CHECK_INT(rd(3, 0, 100), 12);
	CHECK(!memcmp(rep + 11, "user.colour", 12));
	CHECK_INT(clunk(3), 0);
	CHECK_INT(xattrwalk(2, 3, "trusted.host"), -ENODATA);
	CHECK_INT(xattrwalk(2, 3, "security.capability"), -ENODATA);
	CHECK_INT(xattrcreate(2, "security.capability", 20), -EOPNOTSUPP);
	CHECK_INT(xattrcreate(2, "trusted.overlay.opaque", 1), -EOPNOTSUPP);
	CHECK_INT(xattrcreate(2, "system.sockprotoname", 1), -EOPNOTSUPP);
	CHECK(getxattr(p, "security.capability", v, sizeof(v)) < 0);
	/* fewer bytes than announced: nothing set */
	CHECK_INT(xattrcreate(2, "user.short", 8), 0);
	CHECK_INT(wr(2, 0, "abc"), 3);
	CHECK_INT(clunk(2), -EINVAL);
	CHECK(getxattr(p, "user.short", v, sizeof(v)) < 0);
	open_fs(true);
	CHECK_INT(walk(ROOT, 2, 1, "hello"), 1);
	CHECK_INT(xattrcreate(2, "user.colour", 3), -EROFS);
	co_fs_reset(fs);
	CHECK(!removexattr(p, "user.colour") &&
	      !removexattr(p, "trusted.host"));
}

/* A read-only share refuses every change with EROFS. */
static void test_read_only(void)
{
	struct stat before, after;

	CHECK(!lstat(path_in(share, "hello"), &before));
	open_fs(true);
	CHECK_INT(walk(ROOT, 2, 1, "hello"), 1);
	CHECK_INT(lopen(2, O_WRONLY), -EROFS);
	CHECK_INT(lopen(2, O_RDWR), -EROFS);
	CHECK_INT(lopen(2, O_RDONLY | O_TRUNC), -EROFS);
	CHECK_INT(setattr(2, P9_ATTR_SIZE, 0, 0), -EROFS);
	CHECK_INT(setattr(2, P9_ATTR_MODE, 0777, 0), -EROFS);
	CHECK_INT(lopen(2, O_RDONLY), 0);
	CHECK_INT(wr(2, 0, "x"), -EROFS);
	CHECK_INT(rd(2, 0, 10), 3);
	CHECK_INT(walk(ROOT, 3, 0), 0);
	CHECK_INT(lcreate(3, "new", O_RDWR, 0644), -EROFS);
	CHECK_INT(mkdir9(ROOT, "d", 0755), -EROFS);
	CHECK_INT(symlink9(ROOT, "l", "x"), -EROFS);
	CHECK_INT(mknod9(ROOT, "s", S_IFSOCK | 0600), -EROFS);
	CHECK_INT(unlink9(ROOT, "hello", 0), -EROFS);
	CHECK_INT(rename9(ROOT, "hello", ROOT, "h2"), -EROFS);
	CHECK(!lstat(path_in(share, "hello"), &after));
	CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec &&
	      after.st_size == 3 && after.st_mode == before.st_mode);
	CHECK(access(path_in(share, "new"), F_OK) &&
	      access(path_in(share, "d"), F_OK));
	co_fs_reset(fs);
}

/* Malformed and unknown messages get Rlerror; the fid table is bounded. */
static void test_protocol(void)
{
	static const uint8_t shorty[] = { 5, 0, 0, 0, P9_TCLUNK, 7, 0 };
	static const uint8_t big[] = { 100, 0, 0, 0, P9_TCLUNK, 7, 0, 1, 0 };
	int i, ret = 0;

	open_fs(false);
	CHECK_INT(co_fs_serve(fs, shorty, 3, rep, sizeof(rep)), 0);
	rlen = co_fs_serve(fs, shorty, sizeof(shorty), rep, sizeof(rep));
	CHECK(rlen == 11 && rep[4] == P9_RLERROR && rep32(7) == EBADMSG);
	rlen = co_fs_serve(fs, big, sizeof(big), rep, sizeof(rep));
	CHECK(rlen == 11 && rep[4] == P9_RLERROR && rep32(7) == EBADMSG);
	rlen = co_fs_serve(fs, big, sizeof(big), rep, 10);
	CHECK_INT(rlen, 0);
	begin(P9_TSTAT);
	co_p9_put32(&t, ROOT);
	CHECK_INT(send(), -EOPNOTSUPP);
	begin(P9_RREAD);
	CHECK_INT(send(), -EOPNOTSUPP);
	CHECK_INT(attach(ROOT, ""), -EEXIST);
	CHECK_INT(walk(ROOT, CO_P9_NOFID, 0), -EBADF);
	CHECK_INT(walk(99, 2, 0), -EBADF);
	for (i = 2; i < CO_FS_MAX_FIDS + 10 && !ret; i++)
		ret = walk(ROOT, (uint32_t)i, 0);
	CHECK_INT(ret, -EMFILE);
	CHECK_INT(i, CO_FS_MAX_FIDS + 2);
	co_fs_reset(fs);
	CHECK_INT(walk(ROOT, 2, 0), -EBADF); /* reset clunked them all */
	CHECK_INT(version(1024), -EINVAL);
	CHECK_INT(version(8192), 0);
	CHECK_INT(attach(ROOT, ""), 0);
	CHECK_INT(walk(ROOT, 2, 1, "hello"), 1);
	CHECK_INT(lopen(2, O_RDONLY), 0);
	CHECK_INT(rd(2, 0, 100000), 3); /* the count bounded by msize */
	co_fs_reset(fs);
}

/*
 * The fids leave the daemon's last descriptors alone: with a limit of 1024,
 * walks fail with EMFILE while the process can still open 200 files.
 * (Last: the limit stays lowered.)
 */
static void test_fd_reserve(void)
{
	struct rlimit l = { 1024, 1024 };
	int fds[200], n = 0, i, ret = 0;

	CHECK(!setrlimit(RLIMIT_NOFILE, &l));
	open_fs(false);
	for (i = 2; i < 2000 && !ret; i++)
		ret = walk(ROOT, (uint32_t)i, 0);
	CHECK_INT(ret, -EMFILE);
	CHECK(i > 500);
	while (n < 200 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0)
		n++;
	CHECK_INT(n, 200);
	while (n)
		close(fds[--n]);
	co_fs_reset(fs);
}

int main(void)
{
	setup();
	RUN_TEST(test_open_errors);
	RUN_TEST(test_read_write_create);
	RUN_TEST(test_setid_cleared);
	RUN_TEST(test_readdir);
	RUN_TEST(test_misc);
	RUN_TEST(test_symlinks);
	RUN_TEST(test_dotdot);
	RUN_TEST(test_names);
	RUN_TEST(test_special_files);
	RUN_TEST(test_renamed_directory);
	RUN_TEST(test_read_only);
	RUN_TEST(test_xattrs);
	RUN_TEST(test_protocol);
	RUN_TEST(test_fd_reserve);
	co_fs_close(fs);
	if (!check_failures) {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
		CHECK(!system(cmd));
	}
	return CHECK_EXIT();
}
