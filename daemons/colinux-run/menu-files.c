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
 * removed whole; every file is written as co/out.h writes outputs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <co/io.h>
#include <co/out.h>

#include "menu-files.h"

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
	co_buf_printf(b, "%s%s", home, fallback);
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

/* @path holds @data whole, or is as it was (co/out.h). */
static int write_file(const char *path, const void *data, size_t len,
		      struct co_err *err)
{
	struct co_out out;
	int fd, ret;

	ret = make_parents(path, err);
	if (!ret)
		ret = co_out_begin(&out, path, true, err);
	if (ret)
		return ret;
	fd = open(out.tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ret = fd < 0 ? -errno : co_write_all(fd, data, len);
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (ret) {
		co_out_abort(&out);
		return co_fail(err, ret, "%s: %s", path, strerror(-ret));
	}
	return co_out_commit(&out, err);
}

int co_menu_place(struct co_menu_place *p, const char *inst, struct co_err *err)
{
	memset(p, 0, sizeof(*p));
	p->inst = inst;
	if (xdg_dir(&p->data, "XDG_DATA_HOME", "/.local/share", err) ||
	    xdg_dir(&p->config, "XDG_CONFIG_HOME", "/.config", err)) {
		co_menu_place_free(p);
		return -ENOENT;
	}
	co_buf_printf(&p->list, "%s/colinux/menus/%s.files", p->data.data,
		      inst);
	if (p->data.error || p->config.error || p->list.error) {
		co_menu_place_free(p);
		return co_fail(err, -ENOMEM, "out of memory");
	}
	return 0;
}

void co_menu_place_free(struct co_menu_place *p)
{
	free(p->data.data);
	free(p->config.data);
	free(p->list.data);
	memset(p, 0, sizeof(*p));
}

/* The list's paths: only ours (a damaged list removes nothing else). */
static bool ours(const struct co_menu_place *p, const char *path)
{
	return (!strncmp(path, p->data.data, p->data.len) ||
		!strncmp(path, p->config.data, p->config.len)) &&
	       strstr(path, "/colinux") && !strstr(path, "/../");
}

int co_menu_remove(const struct co_menu_place *p, int *removed,
		   struct co_err *err)
{
	char *text, *line, *next;
	size_t len;
	int ret;

	*removed = 0;
	ret = co_read_file(p->list.data, &text, &len);
	if (ret == -ENOENT)
		return 0; /* nothing installed */
	if (ret)
		return co_fail(err, ret, "%s: %s", p->list.data,
			       strerror(-ret));
	for (line = text; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (ours(p, line) && !unlink(line))
			(*removed)++;
	}
	free(text);
	unlink(p->list.data);
	return 0;
}

void co_menu_paths(const struct co_menu_place *p, const char *id,
		   struct co_buf *entry, struct co_buf *icon)
{
	int n = (int)(strlen(id) - strlen(".desktop"));

	co_buf_printf(entry, "%s/applications/colinux-%s-%s", p->data.data,
		      p->inst, id);
	co_buf_printf(icon, "%s/colinux/icons/%s/%.*s.png", p->data.data,
		      p->inst, n, id);
}

/* The submenu: one per instance, all named "coLinux", so they merge. */
static void submenu_files(const struct co_menu_place *p,
			  struct co_buf *dir_path, struct co_buf *menu_path,
			  struct co_buf *dir_text, struct co_buf *menu_text)
{
	co_buf_printf(dir_path, "%s/desktop-directories/colinux-%s.directory",
		      p->data.data, p->inst);
	co_buf_printf(menu_path, "%s/menus/applications-merged/colinux-%s.menu",
		      p->config.data, p->inst);
	co_buf_str(dir_text, "[Desktop Entry]\nType=Directory\nName=coLinux\n"
			     "Comment=Programs of the coLinux guests\n");
	co_buf_printf(
		menu_text,
		"<!DOCTYPE Menu PUBLIC \"-//freedesktop//DTD Menu 1.0//EN\"\n"
		" \"http://www.freedesktop.org/standards/menu-spec/1.0/menu.dtd\">\n"
		"<Menu>\n  <Name>Applications</Name>\n  <Menu>\n"
		"    <Name>coLinux</Name>\n"
		"    <Directory>colinux-%s.directory</Directory>\n"
		"    <Include><Category>X-coLinux</Category></Include>\n"
		"  </Menu>\n</Menu>\n",
		p->inst);
}

int co_menu_install(const struct co_menu_place *p,
		    const struct co_menu_file *files, int n, struct co_err *err)
{
	struct co_buf list = { 0 }, dir_path = { 0 }, menu_path = { 0 };
	struct co_buf dir_text = { 0 }, menu_text = { 0 };
	int ret, gone;

	ret = co_menu_remove(p, &gone, err);
	if (ret)
		return ret;
	submenu_files(p, &dir_path, &menu_path, &dir_text, &menu_text);
	for (int i = 0; i < n; i++)
		co_buf_printf(&list, "%s\n", files[i].path);
	co_buf_printf(&list, "%s\n%s\n", dir_path.data, menu_path.data);
	if (list.error || dir_path.error || menu_path.error || dir_text.error ||
	    menu_text.error) {
		ret = co_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	ret = write_file(p->list.data, list.data, list.len, err);
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
	return ret;
}
