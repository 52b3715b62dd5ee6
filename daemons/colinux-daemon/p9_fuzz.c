// SPDX-License-Identifier: GPL-2.0
/*
 * p9_fuzz.c --- libFuzzer target: the 9P2000.L codec on any bytes.
 *
 * Input: one T-message as the guest could send it (size field included).
 * The oracle, besides the sanitizers: a decoded message keeps every string
 * within its bound and NUL-free (strlen equals the bytes taken), Twrite's
 * data lies inside the message, at most CO_P9_MAXWELEM names; an error is
 * answerable (the tag is read whenever the header is there); an Rlerror
 * never exceeds its buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "p9.h"

static struct co_p9_req r;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t max)
{
	if (strnlen(s, max + 1) > max)
		abort();
}

static void check(const uint8_t *data, size_t size)
{
	uint32_t n = co_p9_size(data, size);

	check_str(r.name, CO_P9_NAME_MAX);
	check_str(r.name2, CO_P9_NAME_MAX);
	check_str(r.str, CO_P9_STR_MAX);
	check_str(r.str2, CO_P9_STR_MAX);
	if (r.nwname > CO_P9_MAXWELEM)
		abort();
	for (unsigned int i = 0; i < r.nwname; i++)
		check_str(r.wname[i], CO_P9_NAME_MAX);
	if (r.type == P9_TWRITE &&
	    (r.data < data + CO_P9_WRITE_HDR || r.data + r.u32[0] > data + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t rep[16];
	int ret = co_p9_parse(data, size, &r);

	if (!ret)
		check(data, size);
	else if (ret != -EBADMSG && ret != -EINVAL && ret != -ENAMETOOLONG &&
		 ret != -E2BIG)
		abort();
	if (size >= CO_P9_HDR && r.tag != (data[5] | data[6] << 8))
		abort();
	if (co_p9_error(rep, sizeof(rep), r.tag, (uint32_t)-ret) != 11)
		abort();
	return 0;
}
