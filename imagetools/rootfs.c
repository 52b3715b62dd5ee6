// SPDX-License-Identifier: GPL-2.0
/* rootfs.c --- edit /etc inside an ext2/3/4 image with libext2fs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <et/com_err.h>
#include <ext2fs/ext2fs.h>

#include "cobd_rules.h" /* COBD_RULES: recipes/rootfs/60-colinux-cobd.rules */
#include "ext.h"
#include "mount_cofs.h" /* MOUNT_COFS: recipes/rootfs/mount.cofs */
#include "rootfs.h"

#define SYSTEMD_WANTS "/etc/systemd/system/getty.target.wants"
#define GETTY_UNIT "serial-getty@hvc0.service"
#define GETTY_TEMPLATE "/lib/systemd/system/serial-getty@.service"
#define INITTAB_LINE "hvc0:2345:respawn:/sbin/getty 38400 hvc0\n"
#define UDEV_RULES_DIR "/etc/udev/rules.d"
#define COBD_RULES_NAME "60-colinux-cobd.rules"
#define MOUNT_HELPER_DIR "/sbin"
#define MOUNT_COFS_NAME "mount.cofs"

static bool exists(ext2_filsys fs, const char *path, ext2_ino_t *ino)
{
	ext2_ino_t found;

	if (ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &found))
		return false;
	if (ino)
		*ino = found;
	return true;
}

static errcode_t read_file(ext2_filsys fs, ext2_ino_t ino, char **data,
			   size_t *len)
{
	unsigned int got;
	ext2_file_t file;
	errcode_t code;
	__u64 size;
	char *buf;

	code = ext2fs_file_open(fs, ino, 0, &file);
	if (code)
		return code;
	code = ext2fs_file_get_lsize(file, &size);
	if (!code && size > 16 << 20)
		code = EXT2_ET_FILE_TOO_BIG;
	if (code) {
		ext2fs_file_close(file);
		return code;
	}
	buf = malloc(size + 1);
	if (!buf) {
		ext2fs_file_close(file);
		return EXT2_ET_NO_MEMORY;
	}
	code = ext2fs_file_read(file, buf, (unsigned int)size, &got);
	ext2fs_file_close(file);
	if (code) {
		free(buf);
		return code;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

/* Link @name into @dir, growing the directory when its blocks are full. */
static errcode_t link_grow(ext2_filsys fs, ext2_ino_t dir, const char *name,
			   ext2_ino_t ino, int type)
{
	errcode_t code = ext2fs_link(fs, dir, name, ino, type);

	if (code == EXT2_ET_DIR_NO_SPACE) {
		code = ext2fs_expand_dir(fs, dir);
		if (!code)
			code = ext2fs_link(fs, dir, name, ino, type);
	}
	return code;
}

/* A new empty regular file @name in @dir, owned by root, mode 0644. */
static errcode_t create_file(ext2_filsys fs, ext2_ino_t dir, const char *name,
			     ext2_ino_t *ino)
{
	struct ext2_inode inode = { 0 };
	ext2_extent_handle_t handle;
	errcode_t code;

	code = ext2fs_new_inode(fs, dir, LINUX_S_IFREG | 0644, NULL, ino);
	if (code)
		return code;
	code = link_grow(fs, dir, name, *ino, EXT2_FT_REG_FILE);
	if (code)
		return code;
	ext2fs_inode_alloc_stats2(fs, *ino, +1, 0);
	inode.i_mode = LINUX_S_IFREG | 0644;
	inode.i_links_count = 1;
	inode.i_atime = inode.i_ctime = inode.i_mtime = fs->now ?: time(NULL);
	if (ext2fs_has_feature_extents(fs->super))
		inode.i_flags |= EXT4_EXTENTS_FL;
	code = ext2fs_write_new_inode(fs, *ino, &inode);
	if (code || !(inode.i_flags & EXT4_EXTENTS_FL))
		return code;
	/* An extent-mapped inode needs an (empty) extent tree header. */
	code = ext2fs_extent_open2(fs, *ino, &inode, &handle);
	if (!code)
		ext2fs_extent_free(handle);
	return code;
}

/*
 * Replace the contents of @dir/@name (creating it in its existing parent) and
 * give it the permissions @mode.
 */
static errcode_t write_file(ext2_filsys fs, const char *dir, const char *name,
			    const char *data, size_t len, unsigned int mode)
{
	char path[256];
	ext2_ino_t parent, ino;
	struct ext2_inode inode;
	unsigned int written;
	ext2_file_t file;
	errcode_t code;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!exists(fs, path, &ino)) {
		code = ext2fs_namei_follow(fs, EXT2_ROOT_INO, EXT2_ROOT_INO,
					   dir, &parent);
		if (!code)
			code = create_file(fs, parent, name, &ino);
		if (code)
			return code;
	}
	code = ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &file);
	if (code)
		return code;
	code = ext2fs_file_set_size2(file, 0);
	if (!code)
		code = ext2fs_file_write(file, data, (unsigned int)len,
					 &written);
	if (!code && written != len)
		code = EXT2_ET_SHORT_WRITE;
	if (!code)
		code = ext2fs_file_close(file);
	else
		ext2fs_file_close(file);
	if (code)
		return code;
	code = ext2fs_read_inode(fs, ino, &inode);
	if (code)
		return code;
	inode.i_mode = LINUX_S_IFREG | (mode & 07777);
	inode.i_mtime = inode.i_ctime = fs->now ?: time(NULL);
	return ext2fs_write_inode(fs, ino, &inode);
}

static int adapt_fstab(ext2_filsys fs, const char *root_dev, const char *fstype,
		       const char *swap_dev, struct co_rootfs_report *rep,
		       struct co_err *err)
{
	char *text = NULL, *out;
	size_t len = 0;
	ext2_ino_t ino;
	errcode_t code;
	int ret;

	rep->has_fstab = exists(fs, "/etc/fstab", &ino);
	if (rep->has_fstab) {
		code = read_file(fs, ino, &text, &len);
		if (code)
			return co_ext_fail(err, code, "/etc/fstab");
	}
	ret = co_fstab_adapt(text ? text : "", len, root_dev, fstype, swap_dev,
			     &out, &rep->fstab);
	free(text);
	if (ret)
		return co_fail(err, ret, "/etc/fstab: out of memory");
	code = write_file(fs, "/etc", "fstab", out, strlen(out), 0644);
	free(out);
	return code ? co_ext_fail(err, code, "writing /etc/fstab") : 0;
}

static errcode_t mkdir_p(ext2_filsys fs, const char *path)
{
	char part[256], *slash;
	ext2_ino_t parent;
	errcode_t code;

	snprintf(part, sizeof(part), "%s", path);
	for (slash = strchr(part + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (!exists(fs, part, NULL)) {
			char *base = strrchr(part, '/');

			*base = '\0';
			code = ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO,
					    *part ? part : "/", &parent);
			*base = '/';
			if (!code)
				code = ext2fs_mkdir(fs, parent, 0, base + 1);
			if (code == EXT2_ET_DIR_NO_SPACE) {
				code = ext2fs_expand_dir(fs, parent);
				if (!code)
					code = ext2fs_mkdir(fs, parent, 0,
							    base + 1);
			}
			if (code)
				return code;
		}
		if (!slash)
			return 0;
		*slash = '/';
	}
}

static errcode_t enable_systemd_getty(ext2_filsys fs)
{
	ext2_ino_t dir;
	errcode_t code;

	if (exists(fs, SYSTEMD_WANTS "/" GETTY_UNIT, NULL))
		return 0;
	code = mkdir_p(fs, SYSTEMD_WANTS);
	if (!code)
		code = ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO,
				    SYSTEMD_WANTS, &dir);
	if (code)
		return code;
	code = ext2fs_symlink(fs, dir, 0, GETTY_UNIT, GETTY_TEMPLATE);
	if (code == EXT2_ET_DIR_NO_SPACE) {
		code = ext2fs_expand_dir(fs, dir);
		if (!code)
			code = ext2fs_symlink(fs, dir, 0, GETTY_UNIT,
					      GETTY_TEMPLATE);
	}
	return code;
}

/* Append @line to the file @dir/@name unless it already has it. */
static errcode_t ensure_line(ext2_filsys fs, const char *dir, const char *name,
			     const char *line, const char *needle)
{
	char path[256], *text, *joined;
	struct ext2_inode inode;
	ext2_ino_t ino;
	errcode_t code;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!exists(fs, path, &ino))
		return 0;
	code = ext2fs_read_inode(fs, ino, &inode);
	if (!code)
		code = read_file(fs, ino, &text, &len);
	if (code)
		return code;
	if (strstr(text, needle)) {
		free(text);
		return 0;
	}
	if (asprintf(&joined, "%s%s%s", text,
		     len && text[len - 1] != '\n' ? "\n" : "", line) < 0) {
		free(text);
		return EXT2_ET_NO_MEMORY;
	}
	free(text);
	code = write_file(fs, dir, name, joined, strlen(joined), inode.i_mode);
	free(joined);
	return code;
}

static int adapt_console(ext2_filsys fs, struct co_rootfs_report *rep,
			 struct co_err *err)
{
	errcode_t code = 0;

	if (exists(fs, "/lib/systemd/systemd", NULL) ||
	    exists(fs, "/usr/lib/systemd/systemd", NULL)) {
		rep->console = "systemd: " GETTY_UNIT " enabled";
		code = enable_systemd_getty(fs);
	} else if (exists(fs, "/etc/inittab", NULL)) {
		rep->console = "sysvinit: getty on hvc0 in /etc/inittab";
		code = ensure_line(fs, "/etc", "inittab", INITTAB_LINE,
				   "getty 38400 hvc0");
	} else {
		rep->console = "no init system found: no getty added";
	}
	if (!code)
		code = ensure_line(fs, "/etc", "securetty", "hvc0\n", "hvc0");
	return code ? co_ext_fail(err, code, "setting up the hvc0 console") : 0;
}

/*
 * udev names no /dev/disk/by-uuid or by-label links for disks called cobdN:
 * give a system that runs udev the rule that does (the same file "make
 * image" installs).
 */
static int adapt_udev(ext2_filsys fs, struct co_rootfs_report *rep,
		      struct co_err *err)
{
	errcode_t code;

	if (!exists(fs, "/lib/udev", NULL) &&
	    !exists(fs, "/usr/lib/udev", NULL))
		return 0;
	code = mkdir_p(fs, UDEV_RULES_DIR);
	if (!code)
		code = write_file(fs, UDEV_RULES_DIR, COBD_RULES_NAME,
				  COBD_RULES, sizeof(COBD_RULES) - 1, 0644);
	if (code)
		return co_ext_fail(err, code,
				   "writing " UDEV_RULES_DIR
				   "/" COBD_RULES_NAME);
	rep->udev_rules = true;
	return 0;
}

/*
 * mount(8) runs /sbin/mount.TYPE for "mount -t TYPE": give the system the
 * helper for coLinux's "mount -t cofs N /mnt" (the file "make image"
 * installs).  /sbin may be a link to usr/sbin.
 */
static int adapt_mount_helper(ext2_filsys fs, struct co_rootfs_report *rep,
			      struct co_err *err)
{
	struct ext2_inode inode;
	ext2_ino_t dir;
	errcode_t code;

	if (ext2fs_namei_follow(fs, EXT2_ROOT_INO, EXT2_ROOT_INO,
				MOUNT_HELPER_DIR, &dir) ||
	    ext2fs_read_inode(fs, dir, &inode) || !LINUX_S_ISDIR(inode.i_mode))
		return 0;
	code = write_file(fs, MOUNT_HELPER_DIR, MOUNT_COFS_NAME, MOUNT_COFS,
			  sizeof(MOUNT_COFS) - 1, 0755);
	if (code)
		return co_ext_fail(err, code,
				   "writing " MOUNT_HELPER_DIR
				   "/" MOUNT_COFS_NAME);
	rep->mount_cofs = true;
	return 0;
}

int co_rootfs_adapt(const char *path, const char *root_dev, const char *fstype,
		    const char *swap_dev, struct co_rootfs_report *rep,
		    struct co_err *err)
{
	ext2_filsys fs;
	errcode_t code;
	int ret;

	memset(rep, 0, sizeof(*rep));
	code = ext2fs_open2(path, NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0,
			    unix_io_manager, &fs);
	if (code)
		return co_ext_fail(err, code, "opening the filesystem");
	code = ext2fs_read_bitmaps(fs);
	if (code) {
		ret = co_ext_fail(err, code, "reading the allocation bitmaps");
		goto out_close;
	}
	ret = adapt_fstab(fs, root_dev, fstype, swap_dev, rep, err);
	if (!ret)
		ret = adapt_console(fs, rep, err);
	if (!ret)
		ret = adapt_udev(fs, rep, err);
	if (!ret)
		ret = adapt_mount_helper(fs, rep, err);
out_close:
	code = ext2fs_close_free(&fs);
	if (code && !ret)
		ret = co_ext_fail(err, code, "writing the filesystem");
	return ret;
}

bool co_rootfs_has_fstab(const char *path, unsigned long long offset)
{
	char opts[64];
	ext2_filsys fs;
	bool found;

	snprintf(opts, sizeof(opts), "offset=%llu", offset);
	if (ext2fs_open2(path, opts, EXT2_FLAG_64BITS, 0, 0, unix_io_manager,
			 &fs))
		return false;
	found = exists(fs, "/etc/fstab", NULL);
	ext2fs_close_free(&fs);
	return found;
}
