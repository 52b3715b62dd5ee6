// SPDX-License-Identifier: GPL-2.0
/*
 * menu.c --- the guest's applications as host menu entries (menu.h): the
 * guest's listing split and checked, entries made with GLib's key-file
 * parser and writer (GKeyFile) and its command-line splitter.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <co/buf.h>

#include "menu.h"

const char CO_MENU_LISTING[] =
	"for f in /usr/share/applications/*.desktop; do "
	"[ -f \"$f\" ] || continue; "
	"printf 'D %s %s\\n' \"${f##*/}\" \"$(wc -c <\"$f\")\"; cat \"$f\"; "
	"i=$(sed -n 's/^Icon=//p' \"$f\" | head -n 1); p=; "
	"case $i in /*.png) p=$i ;; */* | '') ;; "
	"*) for d in /usr/share/icons/hicolor/48x48/apps "
	"/usr/share/icons/hicolor/64x64/apps /usr/share/icons/hicolor/128x128/apps "
	"/usr/share/icons/hicolor/32x32/apps /usr/share/pixmaps; do "
	"[ -f \"$d/$i.png\" ] && p=$d/$i.png && break; done ;; esac; "
	"if [ -n \"$p\" ] && [ -f \"$p\" ]; then "
	"printf 'I png %s\\n' \"$(wc -c <\"$p\")\"; cat \"$p\"; fi; done";

static const char group[] = "Desktop Entry";

static bool valid_id(const char *s, size_t n)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-";

	if (n < 9 || n > CO_MENU_ID_MAX || s[0] == '.' ||
	    strncmp(s + n - 8, ".desktop", 8))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(ok, s[i]))
			return false;
	return true;
}

/* "K NAME SIZE": the kind, NAME's place and SIZE; false if it is not so. */
static bool header(const char *line, size_t n, char *kind, size_t *name_len,
		   size_t *size)
{
	const char *sp = NULL;
	size_t digits;

	if (n < 5 || line[1] != ' ')
		return false;
	for (size_t i = n; i-- > 2;)
		if (line[i] == ' ') {
			sp = line + i;
			break;
		}
	if (!sp || sp == line + 2)
		return false;
	digits = line + n - sp - 1;
	if (digits == 0 || digits > 9)
		return false;
	*size = 0;
	for (size_t i = 1; i <= digits; i++) {
		if (sp[i] < '0' || sp[i] > '9')
			return false;
		*size = *size * 10 + (sp[i] - '0');
	}
	*kind = line[0];
	*name_len = sp - line - 2;
	return true;
}

static void take_icon(struct co_menu_app *app, const char *name, size_t n,
		      const char *body, size_t size)
{
	static const unsigned char png[8] = { 0x89, 'P',  'N',	'G',
					      '\r', '\n', 0x1a, '\n' };

	if (app->icon || n != 3 || strncmp(name, "png", 3) ||
	    size > CO_MENU_ICON_MAX || size < sizeof(png) ||
	    memcmp(body, png, sizeof(png)))
		return; /* no icon: the menu shows a generic one */
	app->icon = (const unsigned char *)body;
	app->icon_len = size;
}

int co_menu_parse(const char *data, size_t len, struct co_menu_app **apps,
		  int *n, struct co_err *err)
{
	struct co_menu_app *a = NULL;
	size_t off = 0;
	int count = 0;

	*apps = NULL;
	*n = 0;
	while (off < len) {
		const char *line = data + off, *nl;
		size_t name_len, size, room = len - off;
		char kind;

		nl = memchr(line, '\n', room < 512 ? room : 512);
		if (!nl || !header(line, nl - line, &kind, &name_len, &size) ||
		    (kind != 'D' && kind != 'I') || (kind == 'I' && !count)) {
			free(a);
			return co_fail(
				err, -EPROTO,
				"the guest's application listing: no valid header at byte %zu",
				off);
		}
		off += nl - line + 1;
		if (size > len - off) {
			free(a);
			return co_fail(
				err, -EPROTO,
				"the guest's application listing ends inside the entry at byte %zu",
				(size_t)(line - data));
		}
		if (kind == 'I') {
			take_icon(&a[count - 1], line + 2, name_len, data + off,
				  size);
		} else if (count < CO_MENU_APPS_MAX) {
			struct co_menu_app *grown;

			grown = realloc(a, (count + 1) * sizeof(*a));
			if (!grown) {
				free(a);
				return co_fail(err, -ENOMEM, "out of memory");
			}
			a = grown;
			memset(&a[count], 0, sizeof(*a));
			if (!valid_id(line + 2, name_len)) {
				snprintf(a[count].id, sizeof(a[count].id),
					 "(at byte %zu)",
					 (size_t)(line - data));
				a[count].skip =
					"its file name is not an application ID ([A-Za-z0-9._+-].desktop)";
			} else {
				memcpy(a[count].id, line + 2, name_len);
			}
			if (size > CO_MENU_FILE_MAX && !a[count].skip)
				a[count].skip = "its file is over 64 KiB";
			a[count].desktop = data + off;
			a[count].desktop_len = size;
			count++;
		}
		off += size;
	}
	*apps = a;
	*n = count;
	return 0;
}

/* One word of an Exec value, after a blank, quoted as the spec says. */
static void exec_word(struct co_buf *b, const char *w)
{
	co_buf_str(b, " \"");
	for (; *w; w++) {
		if (strchr("\"`$\\", *w))
			co_buf_str(b, "\\");
		else if (*w == '%')
			co_buf_str(b, "%");
		co_buf_add(b, w, 1);
	}
	co_buf_str(b, "\"");
}

/*
 * The guest's Exec words after colinux-run's: file codes stay (%u and %U
 * as %f and %F: colinux-run maps files, not URLs), other codes go, %% is a
 * '%' inside a word.
 */
static void guest_words(struct co_buf *b, char **argv)
{
	for (char **w = argv; *w; w++) {
		struct co_buf word = { 0 };

		if (!strcmp(*w, "%f") || !strcmp(*w, "%u")) {
			co_buf_str(b, " %f");
			continue;
		}
		if (!strcmp(*w, "%F") || !strcmp(*w, "%U")) {
			co_buf_str(b, " %F");
			continue;
		}
		co_buf_add(&word, "", 0);
		for (const char *c = *w; *c; c++) {
			if (c[0] != '%')
				co_buf_add(&word, c, 1);
			else if (c[1] == '%')
				co_buf_add(&word, c++, 1);
			else if (c[1])
				c++; /* a code the guest's command cannot use */
		}
		if (word.error)
			b->error = word.error;
		else if (word.len)
			exec_word(b, word.data);
		free(word.data);
	}
}

/* Name, GenericName and Comment, in every language the guest has. */
static void copy_texts(GKeyFile *dst, GKeyFile *src)
{
	static const char *const keys[] = { "Name", "GenericName", "Comment" };
	gchar **all = g_key_file_get_keys(src, group, NULL, NULL);

	for (gchar **k = all; k && *k; k++) {
		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
			size_t n = strlen(keys[i]);
			gchar *v;

			if (strncmp(*k, keys[i], n) ||
			    ((*k)[n] && (*k)[n] != '['))
				continue;
			v = g_key_file_get_string(src, group, *k, NULL);
			if (v && g_utf8_validate(v, -1, NULL))
				g_key_file_set_string(dst, group, *k, v);
			g_free(v);
		}
	}
	g_strfreev(all);
}

static const char *check_source(GKeyFile *src)
{
	gchar *type = g_key_file_get_string(src, group, "Type", NULL);
	bool app = type && !strcmp(type, "Application");

	g_free(type);
	if (!app)
		return "not Type=Application";
	if (g_key_file_get_boolean(src, group, "NoDisplay", NULL) ||
	    g_key_file_get_boolean(src, group, "Hidden", NULL))
		return "NoDisplay or Hidden";
	if (!g_key_file_has_key(src, group, "Name", NULL))
		return "no Name";
	return NULL;
}

int co_menu_entry(struct co_menu_app *app, const char *run, const char *conf,
		  const char *icon, char **text)
{
	GKeyFile *src = g_key_file_new(), *dst = g_key_file_new();
	gchar *exec = NULL, **argv = NULL, *out;
	struct co_buf line = { 0 }, conf_arg = { 0 };
	bool terminal;

	*text = NULL;
	if (!app->skip &&
	    !g_key_file_load_from_data(src, app->desktop, app->desktop_len,
				       G_KEY_FILE_KEEP_TRANSLATIONS, NULL))
		app->skip = "not a desktop entry file";
	if (!app->skip)
		app->skip = check_source(src);
	if (!app->skip) {
		exec = g_key_file_get_string(src, group, "Exec", NULL);
		if (!exec || !g_shell_parse_argv(exec, NULL, &argv, NULL))
			app->skip = "no Exec, or one that does not parse";
	}
	if (app->skip)
		goto free_src;

	terminal = g_key_file_get_boolean(src, group, "Terminal", NULL);
	co_buf_printf(&conf_arg, "@%s", conf);
	exec_word(&line, run);
	if (conf_arg.data)
		exec_word(&line, conf_arg.data);
	co_buf_str(&line, terminal ? " -t --" : " --");
	guest_words(&line, argv);
	if (line.error || conf_arg.error) {
		app->skip = "out of memory";
		goto free_src;
	}

	g_key_file_set_string(dst, group, "Type", "Application");
	copy_texts(dst, src);
	g_key_file_set_string(dst, group, "Exec", line.data + 1);
	if (icon)
		g_key_file_set_string(dst, group, "Icon", icon);
	g_key_file_set_boolean(dst, group, "Terminal", terminal);
	g_key_file_set_string(dst, group, "Categories", "X-coLinux;");
	g_key_file_set_string(dst, group, "X-coLinux-Source", app->id);
	out = g_key_file_to_data(dst, NULL, NULL);
	*text = out ? strdup(out) : NULL;
	g_free(out);
	if (!*text)
		app->skip = "out of memory";

free_src:
	free(line.data);
	free(conf_arg.data);
	g_strfreev(argv);
	g_free(exec);
	g_key_file_free(dst);
	g_key_file_free(src);
	return app->skip ? -EINVAL : 0;
}
