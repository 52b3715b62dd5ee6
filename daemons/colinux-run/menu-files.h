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

/* Where application @id's entry and icon go (appended to @entry, @icon). */
int co_menu_paths(const char *inst, const char *id, struct co_buf *entry,
		  struct co_buf *icon, struct co_err *err);

/* Replace @inst's menu with @files and the submenu; 0 or -errno. */
int co_menu_install(const char *inst, const struct co_menu_file *files, int n,
		    struct co_err *err);

/* Remove what the last install of @inst wrote; *@removed files. */
int co_menu_remove(const char *inst, int *removed, struct co_err *err);

#endif
