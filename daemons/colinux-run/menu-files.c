// SPDX-License-Identifier: GPL-2.0
/*
 * menu-files.c --- the menu entries on disk (menu-files.h): in the host
 * user's XDG directories,
 *   $XDG_DATA_HOME/applications/colinux-INST-ID          the entries
 *   $XDG_DATA_HOME/colinux/icons/INST/ID.png             their icons
 *   $XDG_DATA_HOME/desktop-directories/colinux-INST.directory
 *   $XDG_CONFIG_HOME/menus/applications-merged/colinux-INST.menu
 *                                      the "coLinux" submenu (X-coLinux)
 *   $XDG_DATA_HOME/colinux/menus/INST.files   what was written, one path a
 *                                      line: --remove-menu removes those
 * (XDG_DATA_HOME: ~/.local/share, XDG_CONFIG_HOME: ~/.config when unset).
 * The list is written before the files, so an install cut short is still
 * removed whole; every file is written to a temporary name and renamed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <co/buf.h>
#include <co/io.h>

#include "menu-files.h"

static const char entry_prefix[] = "colinux-";

/* $VAR, or $HOME/@fallback. */
static int xdg_dir(struct co_buf *b, const char *var, const char *fallback,
		   struct co_err *err)
{
	const char *v = getenv(var), *home = getenv("HOME");

	if (v && v[0] == '/') {
		co_buf_str(b, v);
		return 0;
	}
	if (!home || home[0] != '/')
		return co_fail(
			err, -ENOENT,
			"neither %s nor HOME is set: where is your menu?", var);
	co_buf_str(b, home);
	co_buf_str(b, fallback);
	return 0;
}

/* Each directory of @path up to its last '/'. */
static int make_parents(const char *path, struct co_err *err)
{
	char *p = strdup(path);

	if (!p)
		return co_fail(err, -ENOMEM, "out of memory");
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST) {
			int e = errno;

			co_fail(err, -e, "%s: %s", p, strerror(e));
			free(p);
			return -e;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

static int write_file(const char *path, const void *data, size_t len,
		      struct co_err *err)
{
	struct co_buf tmp = { 0 };
	int fd, ret;

	ret = make_parents(path, err);
	if (ret)
		return ret;
	co_buf_str(&tmp, path);
	co_buf_str(&tmp, ".tmp");
	if (tmp.error)
		return co_fail(err, -ENOMEM, "out of memory");
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ret = fd < 0 ? -errno : co_write_all(fd, data, len);
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp.data, path))
		ret = -errno;
	if (ret) {
		unlink(tmp.data);
		co_fail(err, ret, "%s: %s", path, strerror(-ret));
	}
	free(tmp.data);
	return ret;
}

struct place {
	struct co_buf data, config, list;
};

static int places(struct place *p, const char *inst, struct co_err *err)
{
	memset(p, 0, sizeof(*p));
	if (xdg_dir(&p->data, "XDG_DATA_HOME", "/.local/share", err) ||
	    xdg_dir(&p->config, "XDG_CONFIG_HOME", "/.config", err))
		return -ENOENT;
	co_buf_str(&p->list, p->data.data);
	co_buf_str(&p->list, "/colinux/menus/");
	co_buf_str(&p->list, inst);
	co_buf_str(&p->list, ".files");
	if (p->data.error || p->config.error || p->list.error)
		return co_fail(err, -ENOMEM, "out of memory");
	return 0;
}

static void free_places(struct place *p)
{
	free(p->data.data);
	free(p->config.data);
	free(p->list.data);
}

/* The list's paths: only ours (a damaged list removes nothing else). */
static bool ours(const struct place *p, const char *path)
{
	return (!strncmp(path, p->data.data, p->data.len) ||
		!strncmp(path, p->config.data, p->config.len)) &&
	       strstr(path, "/colinux") && !strstr(path, "/../");
}

int co_menu_remove(const char *inst, int *removed, struct co_err *err)
{
	struct place p;
	char *text, *line, *next;
	size_t len;
	int ret;

	*removed = 0;
	ret = places(&p, inst, err);
	if (ret)
		goto out;
	ret = co_read_file(p.list.data, &text, &len);
	if (ret == -ENOENT) {
		ret = 0; /* nothing installed */
		goto out;
	}
	if (ret) {
		co_fail(err, ret, "%s: %s", p.list.data, strerror(-ret));
		goto out;
	}
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (ours(&p, line) && !unlink(line))
			(*removed)++;
	}
	free(text);
	unlink(p.list.data);
out:
	free_places(&p);
	return ret;
}

static void add_path(struct co_buf *b, const char *dir, const char *a,
		     const char *c, const char *d)
{
	co_buf_str(b, dir);
	co_buf_str(b, a);
	co_buf_str(b, c);
	co_buf_str(b, d);
}

/* The submenu: one per instance, all named "coLinux", so they merge. */
static void submenu_files(const struct place *p, const char *inst,
			  struct co_buf *dir_path, struct co_buf *menu_path,
			  struct co_buf *dir_text, struct co_buf *menu_text)
{
	add_path(dir_path, p->data.data, "/desktop-directories/colinux-", inst,
		 ".directory");
	add_path(menu_path, p->config.data,
		 "/menus/applications-merged/colinux-", inst, ".menu");
	co_buf_str(dir_text, "[Desktop Entry]\nType=Directory\nName=coLinux\n"
			     "Comment=Programs of the coLinux guests\n");
	co_buf_str(
		menu_text,
		"<!DOCTYPE Menu PUBLIC \"-//freedesktop//DTD Menu 1.0//EN\"\n"
		" \"http://www.freedesktop.org/standards/menu-spec/1.0/menu.dtd\">\n"
		"<Menu>\n  <Name>Applications</Name>\n  <Menu>\n"
		"    <Name>coLinux</Name>\n    <Directory>colinux-");
	co_buf_str(menu_text, inst);
	co_buf_str(menu_text,
		   ".directory</Directory>\n"
		   "    <Include><Category>X-coLinux</Category></Include>\n"
		   "  </Menu>\n</Menu>\n");
}

int co_menu_install(const char *inst, const struct co_menu_file *files, int n,
		    struct co_err *err)
{
	struct co_buf list = { 0 }, dir_path = { 0 }, menu_path = { 0 };
	struct co_buf dir_text = { 0 }, menu_text = { 0 };
	struct place p;
	int ret, gone;

	ret = co_menu_remove(inst, &gone, err);
	if (ret || (ret = places(&p, inst, err)))
		return ret;
	submenu_files(&p, inst, &dir_path, &menu_path, &dir_text, &menu_text);
	for (int i = 0; i < n; i++) {
		co_buf_str(&list, files[i].path);
		co_buf_str(&list, "\n");
	}
	co_buf_str(&list, dir_path.data);
	co_buf_str(&list, "\n");
	co_buf_str(&list, menu_path.data);
	co_buf_str(&list, "\n");
	if (list.error || dir_path.error || menu_path.error || dir_text.error ||
	    menu_text.error) {
		ret = co_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	ret = write_file(p.list.data, list.data, list.len, err);
	for (int i = 0; !ret && i < n; i++)
		ret = write_file(files[i].path, files[i].data, files[i].len,
				 err);
	if (!ret)
		ret = write_file(dir_path.data, dir_text.data, dir_text.len,
				 err);
	if (!ret)
		ret = write_file(menu_path.data, menu_text.data, menu_text.len,
				 err);
out:
	free(list.data);
	free(dir_path.data);
	free(menu_path.data);
	free(dir_text.data);
	free(menu_text.data);
	free_places(&p);
	return ret;
}

int co_menu_paths(const char *inst, const char *id, struct co_buf *entry,
		  struct co_buf *icon, struct co_err *err)
{
	struct place p;
	size_t n = strlen(id) - strlen(".desktop");
	int ret = places(&p, inst, err);

	if (ret)
		return ret;
	add_path(entry, p.data.data, "/applications/", entry_prefix, inst);
	co_buf_str(entry, "-");
	co_buf_str(entry, id);
	add_path(icon, p.data.data, "/colinux/icons/", inst, "/");
	co_buf_add(icon, id, n);
	co_buf_str(icon, ".png");
	free_places(&p);
	if (entry->error || icon->error)
		return co_fail(err, -ENOMEM, "out of memory");
	return 0;
}
