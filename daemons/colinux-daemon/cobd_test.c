// SPDX-License-Identifier: GPL-2.0
/*
 * cobd_test.c --- cobdN=PATH on temporary files: the errors (one line naming
 * the key), read-only disks, the size, the features and config offered, and
 * the lock seen from another process.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/virtio_blk.h>

#include "cobd.h"

#include "../../tests/lib/check.h"

static char dir[] = "/tmp/cobd_test.XXXXXX";
static char path[4][256];
static struct co_devs devs;
static struct co_err err;

static void make_file(int i, const char *name, off_t size, mode_t mode)
{
	int fd;

	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	fd = open(path[i], O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && !ftruncate(fd, size));
	close(fd);
	chmod(path[i], mode);
}

static int create(unsigned int unit, const char *p, bool ro)
{
	memset(&err, 0, sizeof(err));
	return co_cobd_create(&devs, unit, p, ro ? CO_COBD_RO : 0, &err);
}

static bool said(const char *what)
{
	if (strstr(err.msg, what) && !strchr(err.msg, '\n'))
		return true;
	printf("# error \"%s\", expected \"%s\"\n", err.msg, what);
	return false;
}

static void test_errors(void)
{
	char missing[300];

	snprintf(missing, sizeof(missing), "%s/none.img", dir);
	CHECK_INT(create(0, missing, false), -ENOENT);
	CHECK(said("/none.img: no such file"));
	CHECK(!strncmp(err.msg, "cobd0=", 6));
	CHECK_INT(create(1, dir, false), -EISDIR);
	CHECK(said("cobd1=/tmp/cobd_test.") && said(": is a directory"));
	CHECK_INT(create(2, "/dev/null", false), -EINVAL);
	CHECK(said("cobd2=/dev/null: neither a file nor a block device"));
	CHECK_INT(devs.nr, 0);
}

static void test_disk(void)
{
	struct virtio_blk_config c;
	uint64_t f;

	CHECK_INT(create(3, path[0], false), 0);
	CHECK_INT(devs.nr, 1);
	f = devs.dev[0]->host_features;
	CHECK(f & (1ull << VIRTIO_BLK_F_FLUSH));
	CHECK(f & (1ull << VIRTIO_BLK_F_DISCARD));
	CHECK(!(f & (1ull << VIRTIO_BLK_F_RO)));
	memcpy(&c, devs.dev[0]->config, sizeof(c));
	CHECK_INT(le64toh(c.capacity), 2048);
	CHECK_STR(devs.dev[0]->name, "cobd3");
	/* The same image again, under another name. */
	CHECK_INT(create(4, path[0], false), -EBUSY);
	CHECK(said("the same image as cobd3="));
	co_devs_destroy(&devs);
}

static void test_read_only(void)
{
	uint64_t f;

	CHECK_INT(create(0, path[1], false), 0); /* mode 0444 */
	CHECK_INT(create(1, path[0], true), 0); /* ,ro */
	for (int i = 0; i < 2; i++) {
		f = devs.dev[i]->host_features;
		CHECK(f & (1ull << VIRTIO_BLK_F_RO));
		CHECK(!(f & (1ull << VIRTIO_BLK_F_DISCARD)));
	}
	co_devs_destroy(&devs);
}

static void test_odd_size(void)
{
	struct virtio_blk_config c;

	CHECK_INT(create(0, path[2], false), 0); /* 1000000 bytes */
	memcpy(&c, devs.dev[0]->config, sizeof(c));
	CHECK_INT(le64toh(c.capacity), 1953);
	co_devs_destroy(&devs);
}

/* Another process is refused, and told who holds the image. */
static void test_lock(void)
{
	char want[64];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	CHECK_INT(create(0, path[0], false), 0);
	CHECK(!pipe(fds));
	pid = fork();
	if (!pid) { /* another daemon: none of our devices */
		int ret;

		memset(&devs, 0, sizeof(devs));
		ret = create(0, path[0], false);

		n = write(fds[1], err.msg, strlen(err.msg) + 1);
		_exit(ret == -EBUSY && n > 0 ? 0 : 1);
	}
	memset(err.msg, 0, sizeof(err.msg));
	n = read(fds[0], err.msg, sizeof(err.msg) - 1);
	waitpid(pid, &status, 0);
	CHECK(n > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(want, sizeof(want), "locked by process %d", (int)getpid());
	CHECK(said(want));
	co_devs_destroy(&devs);
	/* Released with the device: now the other process gets it. */
	pid = fork();
	if (!pid) {
		memset(&devs, 0, sizeof(devs));
		_exit(create(0, path[0], false) ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 2;
	make_file(0, "disk.img", 1 << 20, 0644);
	make_file(1, "ro.img", 1 << 20, 0444);
	make_file(2, "odd.img", 1000000, 0644);
	RUN_TEST(test_errors);
	RUN_TEST(test_disk);
	RUN_TEST(test_read_only);
	RUN_TEST(test_odd_size);
	RUN_TEST(test_lock);
	for (int i = 0; i < 3; i++)
		unlink(path[i]);
	rmdir(dir);
	return CHECK_EXIT();
}
