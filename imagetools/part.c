// SPDX-License-Identifier: GPL-2.0
/*
 * part.c --- judge a probed disk layout and pick the root filesystem.
 *
 * Pure functions over struct co_disk: no I/O, so every rule here is
 * unit-tested on hand-written layouts (part_test.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <co/array_size.h>

#include "disk.h"

/* GPT type GUIDs (the UEFI specification and the Discoverable Partitions
 * Specification) that matter when looking for a root filesystem. */
#define GUID_ROOT_X86_64 "4f68bce3-e8cd-4db1-96e7-fbcaf984b709"

static const struct {
	const char *guid;
	const char *name;
} gpt_types[] = {
	{ "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "EFI System" },
	{ "21686148-6449-6e6f-744e-656564454649", "BIOS boot" },
	{ "0fc63daf-8483-4772-8e79-3d69d8477de4", "Linux filesystem" },
	{ GUID_ROOT_X86_64, "Linux root (x86-64)" },
	{ "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "Linux swap" },
	{ "e6d6d379-f507-44c2-a23c-238f2a3df928", "Linux LVM" },
	{ "ca7d7ccb-63ed-4c53-861c-1742536059cc", "Linux LUKS" },
	{ "933ac7e1-2eb4-4f13-b844-0e14e2aef915", "Linux home" },
	{ "bc13c2ff-59e6-4262-a352-b275fd6f7172", "Linux extended boot" },
	{ "a19d880f-05fc-4d3b-a006-743f0f84911e", "Linux RAID" },
	{ "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "Microsoft basic data" },
	{ "e3c9e316-0b5c-4db8-817d-f92df00215ae", "Microsoft reserved" },
};

static const struct {
	unsigned int type;
	const char *name;
} mbr_types[] = {
	{ 0x05, "Extended" },
	{ 0x0f, "W95 Ext'd (LBA)" },
	{ 0x85, "Linux extended" },
	{ 0x83, "Linux" },
	{ 0x82, "Linux swap" },
	{ 0x8e, "Linux LVM" },
	{ 0xfd, "Linux raid autodetect" },
	{ 0xef, "EFI (FAT-12/16/32)" },
	{ 0xee, "GPT" },
	{ 0x07, "HPFS/NTFS/exFAT" },
	{ 0x0b, "W95 FAT32" },
	{ 0x0c, "W95 FAT32 (LBA)" },
	{ 0x06, "FAT16" },
	{ 0x0e, "W95 FAT16 (LBA)" },
};

static const char *const linux_fs[] = {
	"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "reiserfs",
};

bool co_fs_is_ext(const char *fstype)
{
	return !strcmp(fstype, "ext2") || !strcmp(fstype, "ext3") ||
	       !strcmp(fstype, "ext4");
}

bool co_fs_is_linux(const char *fstype)
{
	for (size_t i = 0; i < ARRAY_SIZE(linux_fs); i++)
		if (!strcmp(fstype, linux_fs[i]))
			return true;
	return false;
}

const char *co_part_type_name(const struct co_disk *disk,
			      const struct co_part *part)
{
	size_t i;

	if (!strcmp(disk->pttype, "gpt")) {
		for (i = 0; i < ARRAY_SIZE(gpt_types); i++)
			if (!strcmp(part->type_guid, gpt_types[i].guid))
				return gpt_types[i].name;
		return part->type_guid;
	}
	if (!strcmp(disk->pttype, "dos")) {
		for (i = 0; i < ARRAY_SIZE(mbr_types); i++)
			if (part->mbr_type == mbr_types[i].type)
				return mbr_types[i].name;
		return "unknown";
	}
	return "whole disk";
}

const char *co_part_what(const struct co_part *part, char *buf, int len)
{
	if (part->number == 0)
		snprintf(buf, (size_t)len, "the disk");
	else
		snprintf(buf, (size_t)len, "partition %d", part->number);
	return buf;
}

static bool overlap(const struct co_part *a, const struct co_part *b)
{
	return a->start < b->start + b->size && b->start < a->start + a->size;
}

/*
 * A container and what it contains overlap by design; everything else must
 * not.  Logical partitions live inside the extended container.
 */
static bool may_overlap(const struct co_part *a, const struct co_part *b)
{
	return (a->extended && b->logical) || (b->extended && a->logical);
}

int co_disk_check_layout(const struct co_disk *disk, struct co_err *err)
{
	char wa[32], wb[32];
	int i, j;

	for (i = 0; i < disk->nparts; i++) {
		const struct co_part *p = &disk->part[i];

		if (p->start + p->size > disk->size)
			return co_fail(
				err, -EINVAL,
				"%s ends at byte %llu, past the end of the disk (%llu bytes): truncated disk?",
				co_part_what(p, wa, 32),
				(unsigned long long)(p->start + p->size),
				(unsigned long long)disk->size);
	}
	for (i = 0; i < disk->nparts; i++) {
		for (j = i + 1; j < disk->nparts; j++) {
			const struct co_part *a = &disk->part[i];
			const struct co_part *b = &disk->part[j];

			if (overlap(a, b) && !may_overlap(a, b))
				return co_fail(
					err, -EINVAL,
					"%s (sectors %llu-%llu) overlaps %s (sectors %llu-%llu)",
					co_part_what(a, wa, 32),
					(unsigned long long)(a->start /
							     CO_SECTOR),
					(unsigned long long)((a->start +
							      a->size) /
								     CO_SECTOR -
							     1),
					co_part_what(b, wb, 32),
					(unsigned long long)(b->start /
							     CO_SECTOR),
					(unsigned long long)((b->start +
							      b->size) /
								     CO_SECTOR -
							     1));
		}
	}
	return 0;
}

/*
 * Why a partition cannot become a cobd root image, or 0.  Only ext2/3/4 can
 * be adapted (fstab, console) without mounting, through libext2fs.
 */
int co_part_check_convertible(const struct co_part *part, struct co_err *err)
{
	char what[32];

	co_part_what(part, what, sizeof(what));
	if (part->extended)
		return co_fail(
			err, -EINVAL,
			"%s is an extended partition (a container of logical partitions), not a filesystem",
			what);
	if (co_fs_is_ext(part->fstype))
		return 0;
	if (!strcmp(part->fstype, "LVM2_member"))
		return co_fail(
			err, -EOPNOTSUPP,
			"%s is an LVM physical volume (LVM2_member): LVM is not supported; copy the logical volume out with the LVM tools first",
			what);
	if (!strcmp(part->fstype, "crypto_LUKS"))
		return co_fail(
			err, -EOPNOTSUPP,
			"%s is LUKS-encrypted (crypto_LUKS): not supported; decrypt it first",
			what);
	if (!part->fstype[0])
		return co_fail(
			err, -EINVAL,
			"%s holds no filesystem that libblkid recognises",
			what);
	return co_fail(
		err, -EOPNOTSUPP,
		"%s holds a %s filesystem: not supported (ext2, ext3 and ext4 only)",
		what, part->fstype);
}

/* "/boot"-like partitions are small and often labelled so. */
static bool looks_like_boot(const struct co_part *p)
{
	return strstr(p->label, "boot") || strstr(p->name, "boot") ||
	       !strcmp(p->type_guid, "bc13c2ff-59e6-4262-a352-b275fd6f7172");
}

/* Rank of a Linux filesystem as root candidate: lower is more likely. */
static int root_rank(const struct co_part *p)
{
	if (!strcmp(p->type_guid, GUID_ROOT_X86_64))
		return 0;
	return looks_like_boot(p) ? 2 : 1;
}

static bool ranks_before(const struct co_part *a, const struct co_part *b)
{
	int ra = root_rank(a), rb = root_rank(b);

	return ra != rb ? ra < rb : a->size > b->size;
}

/*
 * The root filesystem, in order of evidence: a GPT partition typed "Linux
 * root (x86-64)"; then Linux filesystems that do not look like /boot, largest
 * first; then the others.  When @has_fstab can look inside (raw disks), the
 * first candidate holding /etc/fstab wins over the ranking.  When nothing
 * qualifies, the error says what was found instead (LVM, LUKS, nothing).
 */
int co_disk_find_root(const struct co_disk *disk, co_has_fstab_fn has_fstab,
		      void *ctx, struct co_root_choice *rc, struct co_err *err)
{
	int order[CO_DISK_MAX_PARTS], n = 0, i, j, other = -1;

	for (i = 0; i < disk->nparts; i++) {
		const struct co_part *p = &disk->part[i];

		if (p->extended)
			continue;
		if (!co_fs_is_linux(p->fstype)) {
			if (other < 0 && (!strcmp(p->fstype, "LVM2_member") ||
					  !strcmp(p->fstype, "crypto_LUKS")))
				other = i;
			continue;
		}
		/* Insertion sort: a disk has a handful of partitions. */
		for (j = n; j > 0 && ranks_before(p, &disk->part[order[j - 1]]);
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	if (n == 0) {
		if (other >= 0)
			return co_part_check_convertible(&disk->part[other], err) ?:
				       -EINVAL;
		return co_fail(err, -ENOENT, "no Linux filesystem found (%s)",
			       disk->pttype[0] ?
				       "no partition holds one" :
				       "no partition table and no filesystem");
	}
	for (i = 0; has_fstab && i < n; i++) {
		if (has_fstab(&disk->part[order[i]], ctx)) {
			rc->index = order[i];
			rc->why = "holds /etc/fstab";
			return 0;
		}
	}
	rc->index = order[0];
	rc->why = root_rank(&disk->part[order[0]]) == 0 ?
			  "GPT type Linux root (x86-64)" :
			  "largest Linux filesystem";
	return 0;
}
