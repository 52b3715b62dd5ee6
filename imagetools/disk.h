/* SPDX-License-Identifier: GPL-2.0 */
/*
 * disk.h --- a disk image as colinux-img sees it: its format, its partitions
 * and the filesystem in each.
 *
 * co_disk_open() fills a struct co_disk through qemu-img (any format) and
 * libblkid (partition tables, filesystem probing).  The functions of part.c
 * then judge the layout and pick the root filesystem without any I/O, so they
 * are unit-tested on hand-made tables.
 */
#ifndef CO_IMG_DISK_H
#define CO_IMG_DISK_H

#include <stdbool.h>
#include <stdint.h>

#include <co/err.h>

#define CO_DISK_MAX_PARTS 128
#define CO_SECTOR 512ULL

struct co_part {
	int number; /* as Linux numbers it: 1-4 primary, 5+ logical */
	uint64_t start; /* bytes from the start of the disk */
	uint64_t size; /* bytes */
	unsigned int mbr_type; /* DOS partition type byte; 0 on GPT */
	char type_guid[40]; /* GPT partition type GUID, lower case */
	char name[80]; /* GPT partition name */
	bool extended; /* DOS extended container */
	bool logical; /* inside an extended container */
	char fstype[32]; /* what libblkid found in it: "ext4", "swap" */
	char label[80];
	char uuid[80];
};

struct co_disk {
	const char *path;
	char format[32]; /* qemu-img's name: raw, qcow2, vmdk, vdi... */
	uint64_t size; /* virtual size in bytes */
	char pttype[16]; /* "dos", "gpt", or "" without a table */
	int nparts; /* with no table: 1, the whole disk, number 0 */
	struct co_part part[CO_DISK_MAX_PARTS];
	/* Private to disk.c: a raw file holding (at least) what was probed. */
	const char *raw_path; /* the disk itself when it is raw */
	char *shadow_path; /* otherwise a sparse temporary copy */
	int shadow_fd; /* keeps the unlinked shadow alive */
	bool shadow_complete; /* the shadow holds every byte of the disk */
};

/* Filled by co_disk_find_root() to say why it chose what it chose. */
struct co_root_choice {
	int index; /* into disk->part[] */
	const char *why; /* "GPT root type", "largest Linux filesystem"... */
};

/* disk.c: probing (I/O). */
/*
 * Probe @path.  @progress shows qemu-img's progress when a non-raw disk must
 * be copied whole (extended partitions).
 */
int co_disk_open(struct co_disk *disk, const char *path, bool progress,
		 struct co_err *err);
void co_disk_close(struct co_disk *disk);
/*
 * A raw file where the probed parts of the disk can be read: the disk itself
 * when it is raw, else a sparse temporary copy.  co_disk_raw_complete() says
 * whether every byte is there (raw disks, or copies made whole).
 */
const char *co_disk_raw_path(const struct co_disk *disk);
bool co_disk_raw_complete(const struct co_disk *disk);

/* part.c: judging a probed layout (pure). */
int co_disk_check_layout(const struct co_disk *disk, struct co_err *err);
typedef bool (*co_has_fstab_fn)(const struct co_part *part, void *ctx);
int co_disk_find_root(const struct co_disk *disk, co_has_fstab_fn has_fstab,
		      void *ctx, struct co_root_choice *rc, struct co_err *err);
int co_part_check_convertible(const struct co_part *part, struct co_err *err);
bool co_fs_is_linux(const char *fstype);
bool co_fs_is_ext(const char *fstype);
const char *co_part_type_name(const struct co_disk *disk,
			      const struct co_part *part);
/* "partition 2" or "the disk" (no partition table), for messages. */
const char *co_part_what(const struct co_part *part, char *buf, int len);

#endif
