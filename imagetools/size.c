// SPDX-License-Identifier: GPL-2.0
/* size.c --- parse and print byte sizes (pure functions). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "size.h"

static const char units[] = "KMGTP";

static int unit_shift(const char *suffix, unsigned int *shift)
{
	const char *u;

	if (!*suffix) {
		*shift = 0;
		return 0;
	}
	u = strchr(units, toupper((unsigned char)*suffix));
	if (!u || !*u)
		return -EINVAL;
	suffix++;
	if (!strcmp(suffix, "") || !strcasecmp(suffix, "B") ||
	    !strcasecmp(suffix, "iB")) {
		*shift = 10 * (unsigned int)(u - units + 1);
		return 0;
	}
	return -EINVAL;
}

int co_size_parse(const char *s, uint64_t *bytes)
{
	uint64_t whole = 0, frac = 0, frac_div = 1, value;
	unsigned int shift;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		/* Keep six decimals: finer than a byte at every unit. */
		for (; isdigit((unsigned char)*p); p++) {
			if (frac_div < 1000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_div *= 10;
			}
		}
	}
	if (unit_shift(p, &shift))
		return -EINVAL;
	if (shift == 0 && frac)
		return -EINVAL; /* a fraction of a byte */
	if (shift && whole > (UINT64_MAX >> shift))
		return -ERANGE;
	value = whole << shift;
	if (frac) {
		uint64_t extra = ((frac << shift) + frac_div / 2) / frac_div;

		if (value > UINT64_MAX - extra)
			return -ERANGE;
		value += extra;
	}
	*bytes = value;
	return 0;
}

void co_size_format(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "B",   "KiB", "MiB",
					     "GiB", "TiB", "PiB" };
	unsigned int i = 0;
	double v = (double)bytes;

	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%.1f %s", v, names[i]);
}
