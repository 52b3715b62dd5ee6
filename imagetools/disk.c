// SPDX-License-Identifier: GPL-2.0
/*
 * disk.c --- probe a disk image of any format: partitions and filesystems.
 *
 * libblkid reads partition tables (MBR with extended/logical partitions, GPT)
 * and filesystem superblocks, but only from a raw file.  A raw disk is probed
 * in place.  Any other format is probed through a sparse "shadow" file of the
 * disk's virtual size into which qemu-img copies just the bytes the probes
 * need: the first and last MiB (MBR, primary and backup GPT) and the first MiB
 * of every partition (superblocks).  Extended partitions chain their tables
 * through the disk, so a disk with one is copied whole instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <blkid/blkid.h>

#include "disk.h"
#include "qimg.h"
#include "size.h"
#define TRUNCATED_PROBE_SIZE (1ULL << 43) /* 8 TiB: below ext4's file limit */

struct probe_src {
	int fd;
	const char *path;
};

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* Copy bytes [@off, @off + @len) of the disk into the shadow, in place. */
static int copy_range(const struct co_disk *disk, const char *shadow,
		      uint64_t off, uint64_t len, bool progress,
		      struct co_err *err)
{
	char *src, *dst;
	int ret;

	if (off >= disk->size)
		return 0;
	if (len > disk->size - off)
		len = disk->size - off;
	src = co_qimg_range(disk->path, disk->format, off, len);
	dst = co_qimg_range(shadow, "raw", off, len);
	ret = src && dst ? co_qimg_copy(src, dst, false, progress, err) :
			   co_fail(err, -ENOMEM, "out of memory");
	free(src);
	free(dst);
	return ret;
}

static int shadow_fill(struct co_disk *disk, uint64_t off, uint64_t len,
		       bool progress, struct co_err *err)
{
	return copy_range(disk, disk->shadow_path, off, len, progress, err);
}

/*
 * A sparse file of @size bytes, unlinked at once and named through
 * /proc/PID/fd/N (in *@name), so that qemu-img can write it and nothing is
 * left behind however we end.
 */
static int sparse_tmp(uint64_t size, int *fd, char **name, struct co_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s/colinux-img-shadow.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	*fd = mkstemp(path);
	if (*fd < 0)
		return co_fail(err, -errno, "%s: %s", path, strerror(errno));
	unlink(path);
	if (ftruncate(*fd, (off_t)size)) {
		ret = co_fail(err, -errno, "%s: %s", path, strerror(errno));
		close(*fd);
		return ret;
	}
	if (asprintf(name, "/proc/%d/fd/%d", (int)getpid(), *fd) < 0) {
		*name = NULL;
		close(*fd);
		return co_fail(err, -ENOMEM, "out of memory");
	}
	return 0;
}

static void read_part(struct co_part *p, blkid_partition bp)
{
	p->number = blkid_partition_get_partno(bp);
	p->start = (uint64_t)blkid_partition_get_start(bp) * CO_SECTOR;
	p->size = (uint64_t)blkid_partition_get_size(bp) * CO_SECTOR;
	p->mbr_type = (unsigned int)blkid_partition_get_type(bp);
	p->extended = blkid_partition_is_extended(bp);
	p->logical = blkid_partition_is_logical(bp);
	copy_str(p->name, sizeof(p->name), blkid_partition_get_name(bp));
	if (blkid_partition_get_type_string(bp))
		copy_str(p->type_guid, sizeof(p->type_guid),
			 blkid_partition_get_type_string(bp));
	for (char *c = p->type_guid; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
}

static int probe_table(struct co_disk *disk, int fd, uint64_t size,
		       struct co_err *err)
{
	blkid_partlist list;
	blkid_probe pr;
	int i, n, ret = 0;

	pr = blkid_new_probe();
	if (!pr)
		return co_fail(err, -ENOMEM, "out of memory");
	if (blkid_probe_set_device(pr, fd, 0, (blkid_loff_t)size)) {
		ret = co_fail(err, -EIO, "cannot read the disk");
		goto out_free;
	}
	blkid_probe_enable_superblocks(pr, 0);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	list = blkid_probe_get_partitions(pr);
	disk->nparts = 0;
	disk->pttype[0] = '\0';
	if (!list || !blkid_partlist_get_table(list))
		goto out_free;
	copy_str(disk->pttype, sizeof(disk->pttype),
		 blkid_parttable_get_type(blkid_partlist_get_table(list)));
	n = blkid_partlist_numof_partitions(list);
	if (n > CO_DISK_MAX_PARTS) {
		ret = co_fail(err, -E2BIG, "%d partitions: more than %d", n,
			      CO_DISK_MAX_PARTS);
		goto out_free;
	}
	for (i = 0; i < n; i++) {
		memset(&disk->part[i], 0, sizeof(disk->part[i]));
		read_part(&disk->part[i],
			  blkid_partlist_get_partition(list, i));
	}
	disk->nparts = n;
out_free:
	blkid_free_probe(pr);
	return ret;
}

/* Fill in what libblkid finds inside a partition: type, label, UUID. */
static void probe_fs(struct co_part *p, int fd, uint64_t disk_size)
{
	const char *val;
	blkid_probe pr;

	if (p->extended || p->start >= disk_size)
		return;
	pr = blkid_new_probe();
	if (!pr)
		return;
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)p->start,
				   (blkid_loff_t)p->size))
		goto out_free;
	blkid_probe_enable_partitions(pr, 0);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(
		pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
	if (blkid_do_safeprobe(pr) != 0)
		goto out_free;
	if (!blkid_probe_lookup_value(pr, "TYPE", &val, NULL))
		copy_str(p->fstype, sizeof(p->fstype), val);
	if (!blkid_probe_lookup_value(pr, "LABEL", &val, NULL))
		copy_str(p->label, sizeof(p->label), val);
	if (!blkid_probe_lookup_value(pr, "UUID", &val, NULL))
		copy_str(p->uuid, sizeof(p->uuid), val);
out_free:
	blkid_free_probe(pr);
}

static bool has_extended(const struct co_disk *disk)
{
	for (int i = 0; i < disk->nparts; i++)
		if (disk->part[i].extended || disk->part[i].logical)
			return true;
	return false;
}

/* Give a non-raw disk's shadow the bytes the probes will read. */
static int shadow_prepare(struct co_disk *disk, int fd, bool progress,
			  struct co_err *err)
{
	int i, ret;

	ret = shadow_fill(disk, 0, 2 * MiB, false, err);
	if (!ret && disk->size > MiB)
		ret = shadow_fill(disk, disk->size - MiB, MiB, false, err);
	if (!ret)
		ret = probe_table(disk, fd, disk->size, err);
	if (ret)
		return ret;
	if (has_extended(disk)) {
		ret = shadow_fill(disk, 0, disk->size, progress, err);
		if (!ret)
			disk->shadow_complete = true;
		return ret ?: probe_table(disk, fd, disk->size, err);
	}
	for (i = 0; i < disk->nparts && !ret; i++)
		ret = shadow_fill(
			disk, disk->part[i].start,
			disk->part[i].size < MiB ? disk->part[i].size : MiB,
			false, err);
	return ret;
}

/*
 * libblkid rejects a table whose partitions run past the end of the device.
 * Look again at the first MiBs placed in a huge sparse file, so that a
 * truncated disk is reported as such (co_disk_check_layout) rather than as a
 * disk without a partition table.
 */
static int probe_truncated(struct co_disk *disk, struct co_err *err)
{
	char *name;
	int fd, ret;

	ret = sparse_tmp(TRUNCATED_PROBE_SIZE, &fd, &name, err);
	if (ret)
		return ret;
	ret = copy_range(disk, name, 0, 2 * MiB, false, err);
	if (!ret)
		ret = probe_table(disk, fd, TRUNCATED_PROBE_SIZE, err);
	close(fd);
	free(name);
	return ret;
}

int co_disk_open(struct co_disk *disk, const char *path, bool progress,
		 struct co_err *err)
{
	struct stat st;
	int fd, ret, i;

	memset(disk, 0, sizeof(*disk));
	disk->path = path;
	if (stat(path, &st))
		return co_fail(err, -errno, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return co_fail(err, -EISDIR,
			       "is a directory, not a disk image");
	ret = co_qimg_info(path, disk->format, sizeof(disk->format),
			   &disk->size, err);
	if (ret)
		return ret;
	if (!strcmp(disk->format, "raw")) {
		disk->raw_path = path;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return co_fail(err, -errno, "%s", strerror(errno));
		ret = probe_table(disk, fd, disk->size, err);
	} else {
		ret = sparse_tmp(disk->size, &fd, &disk->shadow_path, err);
		if (ret)
			return ret;
		ret = shadow_prepare(disk, fd, progress, err);
	}
	if (!ret && disk->nparts == 0)
		ret = probe_truncated(disk, err);
	if (ret)
		goto out_close;
	if (disk->nparts == 0) {
		/* No partition table: the disk may be a bare filesystem. */
		disk->part[0] = (struct co_part){ .size = disk->size };
		disk->nparts = 1;
	}
	for (i = 0; i < disk->nparts; i++)
		probe_fs(&disk->part[i], fd, disk->size);
	if (disk->shadow_path) {
		/* Reachable through its /proc name until co_disk_close(). */
		disk->shadow_fd = fd;
		return 0;
	}
out_close:
	close(fd);
	if (ret) {
		free(disk->shadow_path);
		disk->shadow_path = NULL;
	}
	return ret;
}

void co_disk_close(struct co_disk *disk)
{
	if (disk->shadow_path) {
		close(disk->shadow_fd);
		free(disk->shadow_path);
		disk->shadow_path = NULL;
	}
}

const char *co_disk_raw_path(const struct co_disk *disk)
{
	return disk->raw_path ? disk->raw_path : disk->shadow_path;
}

bool co_disk_raw_complete(const struct co_disk *disk)
{
	return disk->raw_path || disk->shadow_complete;
}
