// SPDX-License-Identifier: GPL-2.0
/* gmem_test.c --- guest PA translation: inside, across and outside blocks. */
#include <stdint.h>

#include "gmem.h"

#include "../../tests/lib/check.h"

static uint8_t ram[3 * 4096];

static void setup(struct co_gmem *gm)
{
	const struct colinux_block b[2] = {
		{ .phys = 0x40000000, .size = 8192 },
		{ .phys = 0x10000000, .size = 4096 },
	};

	co_gmem_init(gm, b, 2, ram);
}

static void test_inside(void)
{
	struct co_gmem gm;

	setup(&gm);
	CHECK(co_gmem_ptr(&gm, 0x40000000, 1) == ram);
	CHECK(co_gmem_ptr(&gm, 0x40001fff, 1) == ram + 8191);
	CHECK(co_gmem_ptr(&gm, 0x40000000, 8192) == ram);
	/* The second block follows the first in the mapping. */
	CHECK(co_gmem_ptr(&gm, 0x10000010, 16) == ram + 8192 + 16);
	CHECK(co_gmem_ptr(&gm, 0x40002000, 0) == ram + 8192);
}

static void test_outside(void)
{
	struct co_gmem gm;

	setup(&gm);
	CHECK(!co_gmem_ptr(&gm, 0x3fffffff, 1));
	CHECK(!co_gmem_ptr(&gm, 0x40001fff, 2));
	CHECK(!co_gmem_ptr(&gm, 0x40002000, 1));
	CHECK(!co_gmem_ptr(&gm, 0x40000000, 8193));
	CHECK(!co_gmem_ptr(&gm, 0x40000010, UINT64_MAX));
	CHECK(!co_gmem_ptr(&gm, UINT64_MAX, 2));
	CHECK(!co_gmem_ptr(&gm, 0, 1));
}

int main(void)
{
	RUN_TEST(test_inside);
	RUN_TEST(test_outside);
	return CHECK_EXIT();
}
