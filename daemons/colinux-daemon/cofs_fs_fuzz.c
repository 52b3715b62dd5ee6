// SPDX-License-Identifier: GPL-2.0
/*
 * cofs_fs_fuzz.c --- libFuzzer target: the cofs server on a temporary
 * share, driven by a sequence of T-messages.
 *
 *   TMP/share/hello, sub/inner, etc -> /etc, up -> ../.., out -> ../outside,
 *   fifo, and as root a device node null (1,3)
 *   TMP/outside/canary       the canary: never read, never changed
 *
 * Input: u8 flags (bit 0: a read-only share; bit 1: replies limited to
 * 16 + flags / 4 bytes, as a guest's short buffers do), then messages, each a le16 length n and n bytes (the first 4 are
 * replaced by n, so the size is consistent), after a Tversion and a Tattach
 * of fid 0 to the share root.  The share is made afresh for every input.
 * The oracle, besides the sanitizers: every reply is a whole message within
 * its buffer, the canary's contents, times and inode are unchanged, and
 * nothing is added to TMP or TMP/outside.  A FIFO opened by mistake hangs
 * the run, which libFuzzer reports as a timeout.
 */
#include <dirent.h>
#include <endian.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cofs_fs.h"
#include "p9.h"

#define CANARY "canary: no guest may read this\n"
#define REPLY 65536

static char tmp[] = "/tmp/cofs_fuzz.XXXXXX";
static char share[64], outside[64], canary[96];
static struct stat canary_st;
static uint8_t msg[65536 + 4], rep[REPLY];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool ok, const char *what)
{
	if (!ok) {
		perror(what);
		abort();
	}
}

static char *in(const char *dir, const char *name)
{
	static char p[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(p);
}

static void make_share(void)
{
	int fd;

	nftw(share, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	must(!mkdir(share, 0755) && !mkdir(in(share, "sub"), 0755), "mkdir");
	fd = open(in(share, "hello"), O_WRONLY | O_CREAT, 0644);
	must(fd >= 0 && write(fd, "hi\n", 3) == 3, "hello");
	close(fd);
	fd = open(in(share, "sub/inner"), O_WRONLY | O_CREAT, 0644);
	close(fd);
	must(!symlink("/etc", in(share, "etc")) &&
		     !symlink("../..", in(share, "up")) &&
		     !symlink("../outside", in(share, "out")) &&
		     !mkfifo(in(share, "fifo"), 0644),
	     "links");
	if (!geteuid())
		must(!mknod(in(share, "null"), S_IFCHR | 0666, makedev(1, 3)),
		     "mknod");
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;

	must(d != NULL, dir);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void cleanup(void)
{
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	struct timespec old[2] = { { 946684800, 0 }, { 946684800, 0 } };
	int fd;

	must(mkdtemp(tmp) != NULL, "mkdtemp");
	atexit(cleanup);
	snprintf(share, sizeof(share), "%s/share", tmp);
	snprintf(outside, sizeof(outside), "%s/outside", tmp);
	snprintf(canary, sizeof(canary), "%s/canary", outside);
	must(!mkdir(outside, 0755), "outside");
	fd = open(canary, O_WRONLY | O_CREAT, 0644);
	must(fd >= 0 && write(fd, CANARY, strlen(CANARY)) ==
				(ssize_t)strlen(CANARY),
	     "canary");
	/* atime = mtime: with relatime any read would move atime */
	must(!futimens(fd, old), "futimens");
	close(fd);
	must(!stat(canary, &canary_st), "stat");
}

static void check_canary(void)
{
	struct stat st;
	char buf[128] = "";
	int fd;

	must(!stat(canary, &st), "stat canary");
	if (st.st_ino != canary_st.st_ino ||
	    st.st_atim.tv_sec != canary_st.st_atim.tv_sec ||
	    st.st_mtim.tv_sec != canary_st.st_mtim.tv_sec ||
	    st.st_ctim.tv_sec != canary_st.st_ctim.tv_sec ||
	    st.st_ctim.tv_nsec != canary_st.st_ctim.tv_nsec ||
	    st.st_mode != canary_st.st_mode || st.st_nlink != 1)
		abort();
	fd = open(canary, O_RDONLY | O_NOATIME);
	must(fd >= 0 && read(fd, buf, sizeof(buf)) >= 0, "read canary");
	close(fd);
	if (strcmp(buf, CANARY) || count_entries(outside) != 3 ||
	    count_entries(tmp) != 4)
		abort();
}

static size_t cap = REPLY;

static void serve(struct co_fs *fs, const uint8_t *m, size_t n)
{
	size_t r = co_fs_serve(fs, m, n, rep, cap);
	uint32_t len;

	if (n >= CO_P9_HDR && r < CO_P9_HDR && cap >= 11)
		abort();
	len = co_p9_size(rep, r);
	if (r && (len != r || r > cap))
		abort();
}

static void start(struct co_fs *fs)
{
	struct co_p9_out o;

	co_p9_begin(&o, msg, sizeof(msg), P9_TVERSION, CO_P9_NOTAG);
	co_p9_put32(&o, REPLY);
	co_p9_putstr(&o, "9P2000.L", 8);
	serve(fs, msg, co_p9_end(&o));
	co_p9_begin(&o, msg, sizeof(msg), P9_TATTACH, 1);
	co_p9_put32(&o, 0);
	co_p9_put32(&o, CO_P9_NOFID);
	co_p9_putstr(&o, "", 0);
	co_p9_putstr(&o, "", 0);
	co_p9_put32(&o, 0);
	serve(fs, msg, co_p9_end(&o));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct co_fs *fs;
	struct co_err err;

	if (!ready) {
		setup();
		ready = true;
	}
	if (!size)
		return 0;
	make_share();
	must(!co_fs_open(&fs, "cofs0=fuzz", share, data[0] & 1, &err), err.msg);
	cap = REPLY;
	start(fs);
	cap = data[0] & 2 ? 16 + data[0] / 4 : REPLY;
	data++;
	size--;
	while (size >= 2) {
		size_t n = data[0] | data[1] << 8;

		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		memcpy(msg, data, n);
		if (n >= 4)
			memcpy(msg, &(uint32_t){ htole32((uint32_t)n) }, 4);
		serve(fs, msg, n);
		data += n;
		size -= n;
	}
	co_fs_close(fs);
	check_canary();
	return 0;
}
