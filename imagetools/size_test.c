// SPDX-License-Identifier: GPL-2.0
/* size_test.c --- unit tests for size parsing and printing. */
#include <errno.h>
#include <stdint.h>

#include "../tests/lib/check.h"
#include "size.h"

static uint64_t parsed(const char *s)
{
	uint64_t v = 0xdead;

	CHECK_INT(co_size_parse(s, &v), 0);
	return v;
}

static void test_plain_and_suffixes(void)
{
	CHECK_INT(parsed("0"), 0);
	CHECK_INT(parsed("4096"), 4096);
	CHECK_INT(parsed("1K"), 1024);
	CHECK_INT(parsed("512M"), 512ULL << 20);
	CHECK_INT(parsed("4G"), 4ULL << 30);
	CHECK_INT(parsed("4g"), 4ULL << 30);
	CHECK_INT(parsed("2GiB"), 2ULL << 30);
	CHECK_INT(parsed("2GB"), 2ULL << 30);
	CHECK_INT(parsed("1T"), 1ULL << 40);
	CHECK_INT(parsed("1.5G"), 3ULL << 29);
	CHECK_INT(parsed("0.5K"), 512);
}

static void test_rejects(void)
{
	uint64_t v;

	CHECK_INT(co_size_parse("", &v), -EINVAL);
	CHECK_INT(co_size_parse("G", &v), -EINVAL);
	CHECK_INT(co_size_parse("-1G", &v), -EINVAL);
	CHECK_INT(co_size_parse("4X", &v), -EINVAL);
	CHECK_INT(co_size_parse("4Gx", &v), -EINVAL);
	CHECK_INT(co_size_parse("1.", &v), -EINVAL);
	CHECK_INT(co_size_parse("1.5", &v), -EINVAL);
	CHECK_INT(co_size_parse("4 G", &v), -EINVAL);
	CHECK_INT(co_size_parse("99999999999999999999", &v), -ERANGE);
	CHECK_INT(co_size_parse("20000000P", &v), -ERANGE);
}

static void test_format(void)
{
	char buf[32];

	co_size_format(512, buf, sizeof(buf));
	CHECK_STR(buf, "512 B");
	co_size_format(3ULL << 29, buf, sizeof(buf));
	CHECK_STR(buf, "1.5 GiB");
	co_size_format(64ULL << 20, buf, sizeof(buf));
	CHECK_STR(buf, "64.0 MiB");
}

int main(void)
{
	RUN_TEST(test_plain_and_suffixes);
	RUN_TEST(test_rejects);
	RUN_TEST(test_format);
	return check_failures != 0;
}
