/* SPDX-License-Identifier: GPL-2.0 */
/*
 * menu-files.h --- colinux-run --install-menu and --remove-menu on disk: the
 * entries and icons of one instance INST, the "coLinux" submenu, and the list
 * of what was written (menu-files.c says where).
 */
#ifndef CO_MENU_FILES_H
#define CO_MENU_FILES_H

#include <stddef.h>

#include <co/buf.h>
#include <co/err.h>

struct co_menu_file {
	const char *path;
	const void *data;
	size_t len;
};

/* Where instance @inst's menu goes: the user's XDG directories. */
struct co_menu_place {
	const char *inst;
	struct co_buf data, config; /* $XDG_DATA_HOME, $XDG_CONFIG_HOME */
	struct co_buf list; /* the list of what was written */
};

int co_menu_place(struct co_menu_place *p, const char *inst,
		  struct co_err *err);
void co_menu_place_free(struct co_menu_place *p);

/* Where application @id's entry and icon go (appended to @entry, @icon). */
void co_menu_paths(const struct co_menu_place *p, const char *id,
		   struct co_buf *entry, struct co_buf *icon);

/* Replace the instance's menu with @files and the submenu; 0 or -errno. */
int co_menu_install(const struct co_menu_place *p,
		    const struct co_menu_file *files, int n,
		    struct co_err *err);

/* Remove what the last install wrote; *@removed files. */
int co_menu_remove(const struct co_menu_place *p, int *removed,
		   struct co_err *err);

#endif
