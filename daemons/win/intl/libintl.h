/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libintl.h for the Windows build of GLib (daemons/win/slirp.sh): GLib is
 * built without translations (-Dnls=disabled) yet still links gettext's
 * names; these return the message given.  GLib's own fallback for a
 * missing libintl, GNOME's proxy-libintl, is the same idea, fetched with git.
 * format_arg: GLib passes the results as printf formats (-Wformat-nonliteral).
 */
#ifndef CO_WIN_LIBINTL_H
#define CO_WIN_LIBINTL_H
#include <locale.h>
#ifndef LC_MESSAGES
#define LC_MESSAGES 1729
#endif
#define CO_FA(n) __attribute__((__format_arg__(n)))
char *gettext(const char *msgid) CO_FA(1);
char *dgettext(const char *domain, const char *msgid) CO_FA(2);
char *dcgettext(const char *domain, const char *msgid, int category) CO_FA(2);
char *ngettext(const char *one, const char *many, unsigned long n) CO_FA(1)
	CO_FA(2);
char *dngettext(const char *domain, const char *one, const char *many,
		unsigned long n) CO_FA(2) CO_FA(3);
char *dcngettext(const char *domain, const char *one, const char *many,
		 unsigned long n, int category) CO_FA(2) CO_FA(3);
char *textdomain(const char *domain);
char *bindtextdomain(const char *domain, const char *dir);
char *bind_textdomain_codeset(const char *domain, const char *codeset);
#endif
