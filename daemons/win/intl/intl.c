// SPDX-License-Identifier: GPL-2.0
/* intl.c --- no translations: see libintl.h. */
#include "libintl.h"

char *gettext(const char *msgid)
{
	return (char *)msgid;
}

char *dgettext(const char *domain, const char *msgid)
{
	return (char *)msgid;
}

char *dcgettext(const char *domain, const char *msgid, int category)
{
	return (char *)msgid;
}

char *ngettext(const char *one, const char *many, unsigned long n)
{
	return (char *)(n == 1 ? one : many);
}

char *dngettext(const char *domain, const char *one, const char *many,
		unsigned long n)
{
	return ngettext(one, many, n);
}

char *dcngettext(const char *domain, const char *one, const char *many,
		 unsigned long n, int category)
{
	return ngettext(one, many, n);
}

char *textdomain(const char *domain)
{
	return (char *)"messages";
}

char *bindtextdomain(const char *domain, const char *dir)
{
	return (char *)dir;
}

char *bind_textdomain_codeset(const char *domain, const char *codeset)
{
	return (char *)codeset;
}
