// SPDX-License-Identifier: GPL-2.0
/* ext.c --- geometry and timestamp clamping of ext2/3/4 images. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <et/com_err.h>
#include <ext2fs/ext2fs.h>

#include "ext.h"

const char *co_ext_strerror(errcode_t code)
{
	static bool registered;

	if (!registered) {
		initialize_ext2_error_table();
		registered = true;
	}
	return error_message(code);
}

int co_ext_fail(struct co_err *err, errcode_t code, const char *what)
{
	return co_fail(err, -EIO, "%s: %s", what, co_ext_strerror(code));
}

int co_ext_info(const char *path, struct co_ext_info *info, struct co_err *err)
{
	ext2_filsys fs;
	errcode_t code;

	code = ext2fs_open2(path, NULL, EXT2_FLAG_64BITS, 0, 0, unix_io_manager,
			    &fs);
	if (code)
		return co_ext_fail(err, code, "not an ext2/3/4 filesystem");
	info->block_size = (uint32_t)fs->blocksize;
	info->blocks = ext2fs_blocks_count(fs->super);
	info->needs_recovery =
		ext2fs_has_feature_journal_needs_recovery(fs->super);
	ext2fs_close_free(&fs);
	return 0;
}

static void clamp(__u32 *t, __u32 epoch)
{
	if (*t > epoch)
		*t = epoch;
}

/* Large inodes keep crtime and sub-second parts beyond the 128 bytes. */
static void clamp_large(struct ext2_inode_large *in, int inode_size,
			__u32 epoch)
{
	if (inode_size <= EXT2_GOOD_OLD_INODE_SIZE ||
	    in->i_extra_isize < 4 * sizeof(__u32) + sizeof(__u16) * 2)
		return;
	in->i_ctime_extra = in->i_mtime_extra = in->i_atime_extra = 0;
	if (in->i_extra_isize >= 6 * sizeof(__u32)) {
		clamp(&in->i_crtime, epoch);
		in->i_crtime_extra = 0;
	}
}

int co_ext_clamp_times(const char *path, int64_t epoch, struct co_err *err)
{
	struct ext2_inode_large *inode, *before;
	ext2_inode_scan scan;
	ext2_filsys fs;
	errcode_t code;
	ext2_ino_t ino;
	int size, ret = 0;

	code = ext2fs_open2(path, NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0,
			    unix_io_manager, &fs);
	if (code)
		return co_ext_fail(err, code, "opening the filesystem");
	size = EXT2_INODE_SIZE(fs->super);
	inode = calloc(2, (size_t)size);
	before = (void *)((char *)inode + size);
	code = inode ? ext2fs_open_inode_scan(fs, 0, &scan) : EXT2_ET_NO_MEMORY;
	if (code) {
		ret = co_ext_fail(err, code, "scanning inodes");
		goto out_free;
	}
	while (!(code = ext2fs_get_next_inode_full(
			 scan, &ino, (struct ext2_inode *)inode, size)) &&
	       ino) {
		/* Every inode, in use or reserved (mke2fs times inode 1 too). */
		memcpy(before, inode, (size_t)size);
		clamp(&inode->i_atime, (__u32)epoch);
		clamp(&inode->i_ctime, (__u32)epoch);
		clamp(&inode->i_mtime, (__u32)epoch);
		clamp_large(inode, size, (__u32)epoch);
		if (!memcmp(before, inode, (size_t)size))
			continue;
		code = ext2fs_write_inode_full(
			fs, ino, (struct ext2_inode *)inode, size);
		if (code)
			break;
	}
	if (code)
		ret = co_ext_fail(err, code, "clamping inode times");
	ext2fs_close_inode_scan(scan);
out_free:
	free(inode);
	code = ext2fs_close_free(&fs);
	if (code && !ret)
		ret = co_ext_fail(err, code, "writing the filesystem");
	return ret;
}
