// SPDX-License-Identifier: GPL-2.0
/* repro.c --- SOURCE_DATE_EPOCH and derived UUIDs (libuuid). */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "repro.h"

int co_repro_epoch(int64_t *epoch, bool *set, struct co_err *err)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	*set = false;
	*epoch = 0;
	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < 0 || v > 0xffffffffLL)
		return co_fail(
			err, -EINVAL,
			"SOURCE_DATE_EPOCH: '%s' is not a number of seconds since 1970",
			s);
	*epoch = v;
	*set = true;
	return 0;
}

static void name_uuid(char out[37], const char *what)
{
	/* This project's own namespace for name-based UUIDs. */
	static const uuid_t ns = { 0x6c, 0x0e, 0x4a, 0x1b, 0x7f, 0x3d,
				   0x4e, 0x52, 0x9a, 0x61, 0xc0, 0x11,
				   0x1a, 0x0c, 0x64, 0x5e };
	uuid_t u;

	uuid_generate_sha1(u, ns, what, strlen(what));
	uuid_unparse_lower(u, out);
}

void co_repro_image_uuid(char out[37], const char *kind, const char *path,
			 const char *label, uint64_t size, int64_t epoch)
{
	char what[1024], *copy = strdup(path);

	snprintf(what, sizeof(what), "%s:%s:%s:%llu:%lld", kind,
		 copy ? basename(copy) : path, label ? label : "",
		 (unsigned long long)size, (long long)epoch);
	free(copy);
	name_uuid(out, what);
}
