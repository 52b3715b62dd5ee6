/* SPDX-License-Identifier: GPL-2.0 */
/*
 * menu.h --- the guest's applications in the host's menu (colinux-run
 * --install-menu), the pure part: the listing the guest sends and the
 * entries made from it.  menu-files.c writes and removes them.
 *
 * The guest runs CO_MENU_LISTING, which prints for each
 * /usr/share/applications/ID.desktop
 *   "D ID SIZE\n" and the file's SIZE bytes, then, when its Icon= names a
 *   PNG the guest has (an absolute path, or hicolor 48x48, 64x64, 128x128,
 *   32x32, or /usr/share/pixmaps), "I png SIZE\n" and its bytes.
 * The guest is not trusted: a header that does not parse ends the listing
 * with an error naming the byte offset; an ID outside [A-Za-z0-9._+-], a
 * file over CO_MENU_FILE_MAX, an icon over CO_MENU_ICON_MAX or without a
 * PNG signature, more than CO_MENU_APPS_MAX entries: skipped, with the
 * reason in the application's @skip.
 *
 * An entry: Type=Application, the guest's Name, GenericName and Comment
 * (every language), Terminal, the icon by its host path, Categories
 * X-coLinux, and Exec running colinux-run on the instance with the guest's
 * command line, re-quoted word by word.  %f and %F (and %u, %U, as files)
 * stay, to be mapped into cofs folders; %i, %c, %k and the deprecated codes
 * go.  NoDisplay, Hidden, a Type other than Application, no Exec: skipped.
 */
#ifndef CO_MENU_H
#define CO_MENU_H

#include <stddef.h>

#include <co/err.h>

#define CO_MENU_FILE_MAX (64 * 1024)
#define CO_MENU_ICON_MAX (1024 * 1024)
#define CO_MENU_APPS_MAX 1000
#define CO_MENU_LISTING_MAX (256 << 20) /* the whole listing */
#define CO_MENU_ID_MAX 200

extern const char CO_MENU_LISTING[];

struct co_menu_app {
	char id[CO_MENU_ID_MAX + 1]; /* "org.xfce.mousepad.desktop" */
	const char *desktop; /* into the listing; not NUL-terminated */
	size_t desktop_len;
	const unsigned char *icon; /* NULL: none */
	size_t icon_len;
	const char *skip; /* NULL, or why it gets no entry */
};

/*
 * Split the guest's listing @data into *@apps (malloc'd, *@n of them,
 * pointing into @data).  0, or -EPROTO with @err naming the offset.
 */
int co_menu_parse(const char *data, size_t len, struct co_menu_app **apps,
		  int *n, struct co_err *err);

/*
 * The host's entry for @app: *@text (malloc'd), launching @run (the path of
 * colinux-run) on @conf; @icon the icon's host path or NULL.  0, or
 * -EINVAL with @app->skip set to why there is none.
 */
int co_menu_entry(struct co_menu_app *app, const char *run, const char *conf,
		  const char *icon, char **text);

#endif
