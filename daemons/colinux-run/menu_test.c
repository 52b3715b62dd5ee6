// SPDX-License-Identifier: GPL-2.0
/*
 * menu_test.c --- the guest's application listing, split and checked, and
 * the host entries made from it (menu.h); the guest is not trusted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <co/buf.h>

#include "menu.h"

#include "../../tests/lib/check.h"

static const char png[] = "\x89PNG\r\n\x1a\nrest-of-icon";

/* "D ID SIZE\n" + @text, or "I png SIZE\n" + @text (@n bytes). */
static void item(struct co_buf *b, const char *kind, const char *text, size_t n)
{
	char h[300];

	snprintf(h, sizeof(h), "%s %zu\n", kind, n);
	co_buf_str(b, h);
	co_buf_add(b, text, n);
}

static void test_parse(void)
{
	static const char good[] =
		"[Desktop Entry]\nType=Application\nName=A\nExec=a\n";
	struct co_menu_app *apps;
	struct co_buf b = { 0 };
	struct co_err err;
	int n;

	item(&b, "D a.desktop", good, strlen(good));
	item(&b, "I png", png, sizeof(png) - 1);
	item(&b, "D ../evil.desktop", good, strlen(good));
	item(&b, "D b.desktop", good, strlen(good));
	item(&b, "I png", "GIF89a-not-a-png", 16);
	item(&b, "D a b.desktop", good, strlen(good));
	CHECK_INT(co_menu_parse(b.data, b.len, &apps, &n, &err), 0);
	CHECK_INT(n, 4);
	CHECK_STR(apps[0].id, "a.desktop");
	CHECK(apps[0].skip == NULL);
	CHECK_INT(apps[0].desktop_len, strlen(good));
	CHECK(!memcmp(apps[0].desktop, good, strlen(good)));
	CHECK_INT(apps[0].icon_len, sizeof(png) - 1);
	CHECK(apps[1].skip != NULL); /* ../evil.desktop */
	CHECK(apps[2].icon == NULL); /* not a PNG */
	CHECK(apps[3].skip != NULL); /* a blank in the name */
	free(apps);

	/* Cut short: the size says more than there is. */
	CHECK_INT(co_menu_parse(b.data, b.len - 1, &apps, &n, &err), -EPROTO);
	CHECK(strstr(err.msg, "ends inside the entry at byte"));
	/* An icon first, a bad header, a size that is not a number. */
	CHECK_INT(co_menu_parse("I png 3\nabc", 11, &apps, &n, &err), -EPROTO);
	CHECK_INT(co_menu_parse("X a.desktop 1\na", 15, &apps, &n, &err),
		  -EPROTO);
	CHECK_INT(co_menu_parse("D a.desktop 1x\na", 16, &apps, &n, &err),
		  -EPROTO);
	CHECK(strstr(err.msg, "no valid header at byte 0"));
	CHECK_INT(co_menu_parse("", 0, &apps, &n, &err), 0);
	CHECK_INT(n, 0);
	free(b.data);
}

/* The entry for the desktop file @text, or NULL (the reason in *@skip). */
static char *entry(const char *text, const char **skip)
{
	struct co_menu_app app = { .id = "t.desktop",
				   .desktop = text,
				   .desktop_len = strlen(text) };
	char *out = NULL;

	co_menu_entry(&app, "/opt/co/colinux-run", "/srv/my vm.conf",
		      "/home/u/.local/share/colinux/icons/vm/t.png", &out);
	*skip = app.skip;
	return out;
}

static char *exec_of(const char *entry_text)
{
	GKeyFile *k = g_key_file_new();
	char *v = NULL;

	if (g_key_file_load_from_data(k, entry_text, strlen(entry_text), 0,
				      NULL))
		v = g_key_file_get_string(k, "Desktop Entry", "Exec", NULL);
	g_key_file_free(k);
	return v;
}

static void test_entry(void)
{
	const char *skip;
	char *e, *x, **argv;
	int argc;

	e = entry(
		"[Desktop Entry]\nType=Application\nName=Editor\n"
		"Name[de]=Bearbeiter\nComment=Edit\nIcon=ed\nTryExec=ed\n"
		"Categories=Utility;\nExec=ed --opt=\"a b\" %U %i --name=%c \"x%%y\"\n",
		&skip);
	CHECK(e != NULL);
	x = e ? exec_of(e) : NULL;
	CHECK_STR(
		x,
		"\"/opt/co/colinux-run\" \"@/srv/my vm.conf\" -- \"ed\" \"--opt=a b\" %F \"--name=\" \"x%%y\"");
	CHECK(e && strstr(e, "\nName[de]=Bearbeiter\n"));
	CHECK(e &&
	      strstr(e,
		     "\nIcon=/home/u/.local/share/colinux/icons/vm/t.png\n"));
	CHECK(e && strstr(e, "\nCategories=X-coLinux;\n"));
	CHECK(e && strstr(e, "\nTerminal=false\n"));
	CHECK(e && !strstr(e, "TryExec"));
	g_free(x);
	free(e);

	/* A guest command line cannot become a host one. */
	e = entry("[Desktop Entry]\nType=Application\nName=X\n"
		  "Exec=sh -c \"\\\"; touch /tmp/pwned; \\\"\" `id` $HOME\n",
		  &skip);
	x = e ? exec_of(e) : NULL;
	CHECK(x && g_shell_parse_argv(x, &argc, &argv, NULL));
	if (x && argv) {
		CHECK_INT(argc, 8);
		CHECK_STR(argv[0], "/opt/co/colinux-run");
		CHECK_STR(argv[1], "@/srv/my vm.conf");
		CHECK_STR(argv[2], "--");
		CHECK_STR(argv[5], "\"; touch /tmp/pwned; \"");
		CHECK_STR(argv[6], "`id`");
		CHECK_STR(argv[7], "$HOME");
		g_strfreev(argv);
	}
	g_free(x);
	free(e);

	e = entry(
		"[Desktop Entry]\nType=Application\nName=T\nTerminal=true\nExec=top\n",
		&skip);
	x = e ? exec_of(e) : NULL;
	CHECK_STR(x,
		  "\"/opt/co/colinux-run\" \"@/srv/my vm.conf\" -t -- \"top\"");
	g_free(x);
	free(e);

	CHECK(!entry(
		"[Desktop Entry]\nType=Application\nName=H\nNoDisplay=true\nExec=h\n",
		&skip));
	CHECK_STR(skip, "NoDisplay or Hidden");
	CHECK(!entry("[Desktop Entry]\nType=Link\nName=L\nURL=http://x/\n",
		     &skip));
	CHECK_STR(skip, "not Type=Application");
	CHECK(!entry("[Desktop Entry]\nType=Application\nName=N\n", &skip));
	CHECK_STR(skip, "no Exec, or one that does not parse");
	CHECK(!entry("[Desktop Entry]\nType=Application\nName=Q\nExec=a \"b\n",
		     &skip));
	CHECK(!entry("not a key file at all\n", &skip));
	CHECK_STR(skip, "not a desktop entry file");
}

int main(void)
{
	RUN_TEST(test_parse);
	RUN_TEST(test_entry);
	return CHECK_EXIT();
}
