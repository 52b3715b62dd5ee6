// SPDX-License-Identifier: GPL-2.0
/*
 * cofs_test.c --- cofsN=DIR as a device: the errors (one line naming the
 * key), the virtio-9p identity, feature and mount tag in the config space.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_9p.h>
#include <linux/virtio_ids.h>

#include "cofs.h"

#include "../../tests/lib/check.h"

static char dir[] = "/tmp/cofs_test.XXXXXX";
static char file[300], missing[300];
static struct co_devs devs;
static struct co_err err;

static int create(unsigned int unit, const char *p, unsigned int flags)
{
	memset(&err, 0, sizeof(err));
	return co_cofs_create(&devs, unit, p, flags, &err);
}

static bool said(const char *what)
{
	if (!strcmp(err.msg, what))
		return true;
	printf("# error \"%s\", expected \"%s\"\n", err.msg, what);
	return false;
}

static void test_errors(void)
{
	char want[400];

	CHECK_INT(create(0, missing, 0), -ENOENT);
	snprintf(want, sizeof(want), "cofs0=%s: no such directory", missing);
	CHECK(said(want));
	CHECK_INT(create(7, file, CO_COFS_RO), -ENOTDIR);
	snprintf(want, sizeof(want), "cofs7=%s: not a directory", file);
	CHECK(said(want));
	CHECK_INT(devs.nr, 0);
}

static void test_device(void)
{
	struct co_dev *d;
	uint16_t len;

	CHECK_INT(create(3, dir, 0), 0);
	CHECK_INT(create(12, dir, CO_COFS_RO), 0);
	CHECK_INT(devs.nr, 2);
	d = devs.dev[0];
	CHECK_STR(d->name, "cofs3");
	CHECK_INT(d->ops->type, VIRTIO_ID_9P);
	CHECK_INT(d->nr_queues, 1);
	CHECK(d->host_features & (1ull << VIRTIO_9P_MOUNT_TAG));
	memcpy(&len, d->config, 2);
	CHECK_INT(le16toh(len), 5);
	CHECK_INT(d->config_len, 7);
	CHECK(!memcmp(d->config + 2, "cofs3", 5));
	d = devs.dev[1];
	CHECK_INT(d->config_len, 8);
	CHECK(!memcmp(d->config + 2, "cofs12", 6));
	co_devs_destroy(&devs);
}

int main(void)
{
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(missing, sizeof(missing), "%s/none", dir);
	f = fopen(file, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	RUN_TEST(test_errors);
	RUN_TEST(test_device);
	unlink(file);
	rmdir(dir);
	return CHECK_EXIT();
}
