// SPDX-License-Identifier: GPL-2.0
/*
 * cmd-convert.c --- colinux-img convert: any disk QEMU reads -> cobd image.
 *
 * A cobd image is a bare filesystem.  The partition table tells where the
 * root filesystem starts (sector 63 on old DOS disks, 2048 on modern ones,
 * anywhere in a logical partition or on GPT); qemu-img copies exactly that
 * byte range out, sparse; libext2fs then adapts the guest's /etc inside it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <co/log.h>

#include "cmd.h"
#include "ext.h"
#include "rootfs.h"
#include <co/out.h>
#include "qimg.h"
#include "run.h"
#include "select.h"
#include "size.h"

#define ROOT_DEV "/dev/cobd0"
#define SWAP_DEV "/dev/cobd1"

struct convert_args {
	const char *in, *out;
	int number; /* --partition, or -1 */
	bool force; /* --force */
	const char *swap; /* --swap: the swap device, or NULL */
};

/*
 * Replay the journal of a filesystem that was not cleanly unmounted, which
 * libext2fs cannot do and must not write over.  Only then: e2fsck flushes
 * the whole image, which would cost as much as the copy.
 */
static int recover_journal(const char *path, struct co_err *err)
{
	const char *argv[] = { "e2fsck", "-p", path, NULL };
	struct co_ext_info info;
	int status, ret;

	ret = co_ext_info(path, &info, err);
	if (ret || !info.needs_recovery)
		return ret;
	co_info("replaying the filesystem's journal (e2fsck -p)");
	ret = co_run_status(argv, 0, &status, NULL, err);
	if (ret)
		return ret;
	/* 1: errors corrected; 2: corrected, reboot (irrelevant here). */
	return status & ~3 ?
		       co_fail(err, -EIO,
			       "the filesystem has errors e2fsck -p cannot repair (%s)",
			       err->msg) :
		       0;
}

static int extract(const struct co_disk *disk, const struct co_part *part,
		   const char *tmp, struct co_err *err)
{
	char *src;
	int ret;

	/* A disk already read whole into a raw copy is extracted from it. */
	if (co_disk_raw_complete(disk))
		src = co_qimg_range(co_disk_raw_path(disk), "raw", part->start,
				    part->size);
	else
		src = co_qimg_range(disk->path, disk->format, part->start,
				    part->size);
	if (!src)
		return co_fail(err, -ENOMEM, "out of memory");
	ret = co_qimg_copy(src, tmp, true, co_cmd_progress(), err);
	free(src);
	return ret;
}

static void report(const struct co_rootfs_report *rep)
{
	if (!rep->has_fstab)
		co_warn("the filesystem had no /etc/fstab: is it really a root filesystem? one was created");
	co_info("/etc/fstab: root -> %s%s%s, %d entr%s commented out", ROOT_DEV,
		rep->fstab.root_added ? " (entry added)" : "",
		rep->fstab.swap_mapped ? ", swap -> " SWAP_DEV : "",
		rep->fstab.commented, rep->fstab.commented == 1 ? "y" : "ies");
	co_info("console: %s", rep->console);
	if (rep->udev_rules)
		co_info("udev: /dev/disk/by-uuid and by-label for cobdN disks");
	if (rep->mount_cofs)
		co_info("/sbin/mount.cofs: mount -t cofs N /mnt for cofsN= folders");
}

static int convert(const struct convert_args *a)
{
	const char *in = a->in, *outpath = a->out;
	struct co_rootfs_report rep;
	struct co_root_choice rc;
	const struct co_part *part;
	struct co_out out;
	struct co_disk disk;
	struct co_err err;
	char what[32], size[32];
	const char *blame = in;
	int ret;

	ret = co_out_begin(&out, outpath, a->force, &err);
	if (ret) {
		co_err("%s", err.msg);
		return CO_EXIT_FAIL;
	}
	ret = co_disk_open(&disk, in, co_cmd_progress(), &err);
	if (ret)
		goto out_abort;
	ret = co_disk_check_layout(&disk, &err);
	if (!ret)
		ret = co_select_part(&disk, a->number, &rc, &err);
	if (ret)
		goto out_close;
	part = &disk.part[rc.index];
	ret = co_part_check_convertible(part, &err);
	if (ret)
		goto out_close;
	/* From here on, what fails is writing OUT. */
	blame = outpath;
	co_size_format(part->size, size, sizeof(size));
	co_info("%s: %s (%s, %s at sector %llu, %s) -> %s", in,
		co_part_what(part, what, sizeof(what)), part->fstype, size,
		(unsigned long long)(part->start / CO_SECTOR), rc.why, outpath);
	ret = extract(&disk, part, out.tmp, &err);
	if (!ret)
		ret = recover_journal(out.tmp, &err);
	if (!ret)
		ret = co_rootfs_adapt(out.tmp, ROOT_DEV, part->fstype, a->swap,
				      &rep, &err);
	if (ret)
		goto out_close;
	co_disk_close(&disk);
	ret = co_out_commit(&out, &err);
	if (ret) {
		co_err("%s", err.msg);
		co_out_abort(&out);
		return CO_EXIT_FAIL;
	}
	report(&rep);
	co_info("wrote %s", outpath);
	return CO_EXIT_OK;

out_close:
	co_disk_close(&disk);
out_abort:
	co_out_abort(&out);
	co_err("%s: %s", blame, err.msg);
	return CO_EXIT_FAIL;
}

static int convert_run(const struct co_img_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "partition", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "swap", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct convert_args a = { .number = -1 };
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			a.number = (int)strtol(optarg, &end, 10);
			if (*end || a.number < 0 || end == optarg)
				return co_cmd_usage(
					cmd,
					"--partition: '%s' is not a partition number",
					optarg);
			break;
		case 'f':
			a.force = true;
			break;
		case 's':
			a.swap = SWAP_DEV;
			break;
		default:
			return co_cmd_usage(cmd, "unknown option");
		}
	}
	if (argc - optind != 2)
		return co_cmd_usage(cmd, "expected DISK and OUT");
	a.in = argv[optind];
	a.out = argv[optind + 1];
	return convert(&a);
}

const struct co_img_cmd co_cmd_convert = {
	.name = "convert",
	.synopsis = "DISK OUT [--partition N] [--swap] [--force]",
	.summary =
		"extract the root filesystem of DISK (any QEMU format) as a cobd image, adapted to coLinux",
	.run = convert_run,
};
