// SPDX-License-Identifier: GPL-2.0
/* part_test.c --- unit tests for layout checks and the root choice. */
#include <errno.h>
#include <string.h>

#include "../tests/lib/check.h"
#include "disk.h"
#include "size.h"

static struct co_disk disk;

static struct co_part *add(int number, uint64_t start, uint64_t size,
			   const char *fstype)
{
	struct co_part *p = &disk.part[disk.nparts++];

	memset(p, 0, sizeof(*p));
	p->number = number;
	p->start = start;
	p->size = size;
	strcpy(p->fstype, fstype);
	return p;
}

static void new_disk(const char *pttype, uint64_t size)
{
	memset(&disk, 0, sizeof(disk));
	disk.path = "disk.img";
	disk.size = size;
	strcpy(disk.pttype, pttype);
}

static void test_boot_plus_root(void)
{
	struct co_root_choice rc;

	new_disk("dos", 8192 * MiB);
	strcpy(add(1, MiB, 512 * MiB, "ext2")->label, "boot");
	add(2, 513 * MiB, 6000 * MiB, "ext4");
	add(3, 6513 * MiB, 1000 * MiB, "swap");
	CHECK_INT(co_disk_check_layout(&disk, NULL), 0);
	CHECK_INT(co_disk_find_root(&disk, NULL, NULL, &rc, NULL), 0);
	CHECK_INT(disk.part[rc.index].number, 2);
}

static void test_gpt_root_type_wins(void)
{
	struct co_root_choice rc;

	new_disk("gpt", 8192 * MiB);
	add(1, MiB, 100 * MiB, "vfat");
	strcpy(add(2, 101 * MiB, 1000 * MiB, "ext4")->type_guid,
	       "4f68bce3-e8cd-4db1-96e7-fbcaf984b709");
	add(3, 1101 * MiB, 6000 * MiB, "ext4");
	CHECK_INT(co_disk_find_root(&disk, NULL, NULL, &rc, NULL), 0);
	CHECK_INT(disk.part[rc.index].number, 2);
}

static void test_logical_root(void)
{
	struct co_root_choice rc;
	struct co_part *ext;

	new_disk("dos", 1024 * MiB);
	add(1, MiB, 100 * MiB, "swap");
	ext = add(2, 101 * MiB, 900 * MiB, "");
	ext->extended = true;
	add(5, 102 * MiB, 800 * MiB, "ext4")->logical = true;
	CHECK_INT(co_disk_check_layout(&disk, NULL), 0);
	CHECK_INT(co_disk_find_root(&disk, NULL, NULL, &rc, NULL), 0);
	CHECK_INT(disk.part[rc.index].number, 5);
}

static void test_truncated_and_overlap(void)
{
	struct co_err err;

	new_disk("dos", 100 * MiB);
	add(1, MiB, 200 * MiB, "ext4");
	CHECK_INT(co_disk_check_layout(&disk, &err), -EINVAL);
	CHECK(strstr(err.msg, "partition 1 ends at byte"));
	CHECK(strstr(err.msg, "truncated"));

	new_disk("dos", 100 * MiB);
	add(1, MiB, 50 * MiB, "ext4");
	add(2, 40 * MiB, 20 * MiB, "ext4");
	CHECK_INT(co_disk_check_layout(&disk, &err), -EINVAL);
	CHECK(strstr(err.msg,
		     "partition 1 (sectors 2048-104447) overlaps partition 2"));
}

static void test_unsupported(void)
{
	struct co_root_choice rc;
	struct co_err err;

	new_disk("dos", 100 * MiB);
	add(1, MiB, 90 * MiB, "LVM2_member");
	CHECK_INT(co_disk_find_root(&disk, NULL, NULL, &rc, &err), -EOPNOTSUPP);
	CHECK(strstr(err.msg, "LVM"));

	new_disk("gpt", 100 * MiB);
	add(1, MiB, 90 * MiB, "crypto_LUKS");
	CHECK_INT(co_disk_find_root(&disk, NULL, NULL, &rc, &err), -EOPNOTSUPP);
	CHECK(strstr(err.msg, "LUKS"));

	new_disk("", 100 * MiB);
	add(0, 0, 100 * MiB, "");
	CHECK_INT(co_disk_find_root(&disk, NULL, NULL, &rc, &err), -ENOENT);
	CHECK(strstr(err.msg, "no Linux filesystem"));

	new_disk("", 100 * MiB);
	add(0, 0, 100 * MiB, "xfs");
	CHECK_INT(co_disk_find_root(&disk, NULL, NULL, &rc, &err), 0);
	CHECK_INT(co_part_check_convertible(&disk.part[rc.index], &err),
		  -EOPNOTSUPP);
	CHECK(strstr(err.msg, "the disk holds a xfs filesystem"));
}

static bool fstab_in_3(const struct co_part *p, void *ctx)
{
	(*(int *)ctx)++;
	return p->number == 3;
}

static void test_fstab_decides(void)
{
	struct co_root_choice rc;
	int calls = 0;

	/* A separate /home larger than root: only the content tells. */
	new_disk("gpt", 8192 * MiB);
	add(1, MiB, 100 * MiB, "vfat");
	add(2, 101 * MiB, 5000 * MiB, "ext4");
	add(3, 5101 * MiB, 3000 * MiB, "ext4");
	CHECK_INT(co_disk_find_root(&disk, NULL, NULL, &rc, NULL), 0);
	CHECK_INT(disk.part[rc.index].number, 2);
	CHECK_INT(co_disk_find_root(&disk, fstab_in_3, &calls, &rc, NULL), 0);
	CHECK_INT(disk.part[rc.index].number, 3);
	CHECK_STR(rc.why, "holds /etc/fstab");
	CHECK_INT(calls, 2);
}

int main(void)
{
	RUN_TEST(test_boot_plus_root);
	RUN_TEST(test_gpt_root_type_wins);
	RUN_TEST(test_logical_root);
	RUN_TEST(test_truncated_and_overlap);
	RUN_TEST(test_unsupported);
	RUN_TEST(test_fstab_decides);
	return check_failures != 0;
}
