// SPDX-License-Identifier: GPL-2.0
/*
 * p9_test.c --- the 9P2000.L codec: messages as the Linux client sends them
 * decode field by field; every truncation, a size beyond the buffer, a NUL
 * in a name, an overlong string, too many walk names and a Twrite count
 * beyond the message are refused; replies never overflow their buffer.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "p9.h"

#include "../../tests/lib/check.h"

static uint8_t buf[8192];
static struct co_p9_out t;
static struct co_p9_req r;

static void begin(uint8_t type)
{
	co_p9_begin(&t, buf, sizeof(buf), type, 0x1234);
}

static void str(const char *s)
{
	co_p9_putstr(&t, s, strlen(s));
}

/* Every proper prefix of the message is refused; the whole one decodes. */
static int parse_all(void)
{
	size_t n = co_p9_end(&t);
	uint8_t cut[sizeof(buf)];

	for (size_t len = 0; len < n; len++) {
		memcpy(cut, buf, len);
		if (len >= 4) /* the size field says what is left */
			memcpy(cut, &(uint32_t){ htole32((uint32_t)len) }, 4);
		if (co_p9_parse(cut, len, &r) != -EBADMSG) {
			printf("# type %u: a %zu-byte prefix parses\n", buf[4],
			       len);
			return -1;
		}
	}
	return co_p9_parse(buf, n, &r);
}

static void test_attach_walk(void)
{
	begin(P9_TATTACH);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, CO_P9_NOFID);
	str("root");
	str("sub/dir");
	co_p9_put32(&t, 0);
	CHECK_INT(parse_all(), 0);
	CHECK_INT(r.type, P9_TATTACH);
	CHECK_INT(r.tag, 0x1234);
	CHECK_INT(r.fid, 1);
	CHECK(r.fid2 == CO_P9_NOFID);
	CHECK_STR(r.str, "root");
	CHECK_STR(r.str2, "sub/dir");

	begin(P9_TWALK);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, 2);
	co_p9_put16(&t, 2);
	str("a");
	str("bb");
	CHECK_INT(parse_all(), 0);
	CHECK_INT(r.nwname, 2);
	CHECK_STR(r.wname[0], "a");
	CHECK_STR(r.wname[1], "bb");
	CHECK_INT(r.fid2, 2);
}

static void test_io(void)
{
	begin(P9_TWRITE);
	co_p9_put32(&t, 3);
	co_p9_put64(&t, 0x100000000ull);
	co_p9_put32(&t, 5);
	memcpy(co_p9_reserve(&t, 5), "hello", 5);
	CHECK_INT(parse_all(), 0);
	CHECK(r.u64[0] == 0x100000000ull && r.u32[0] == 5);
	CHECK(r.data == buf + CO_P9_WRITE_HDR && !memcmp(r.data, "hello", 5));

	/* The count beyond the message. */
	begin(P9_TWRITE);
	co_p9_put32(&t, 3);
	co_p9_put64(&t, 0);
	co_p9_put32(&t, 6);
	memcpy(co_p9_reserve(&t, 5), "hello", 5);
	CHECK_INT(co_p9_parse(buf, co_p9_end(&t), &r), -EBADMSG);

	begin(P9_TREAD);
	co_p9_put32(&t, 3);
	co_p9_put64(&t, 7);
	co_p9_put32(&t, 4096);
	CHECK_INT(parse_all(), 0);
	CHECK(r.fid == 3 && r.u64[0] == 7 && r.u32[0] == 4096);
}

static void test_names_and_more(void)
{
	begin(P9_TRENAMEAT);
	co_p9_put32(&t, 4);
	str("old");
	co_p9_put32(&t, 5);
	str("new");
	CHECK_INT(parse_all(), 0);
	CHECK(r.fid == 4 && r.fid2 == 5);
	CHECK_STR(r.name, "old");
	CHECK_STR(r.name2, "new");

	begin(P9_TSETATTR);
	co_p9_put32(&t, 4);
	co_p9_put32(&t, P9_ATTR_SIZE);
	co_p9_put32(&t, 0644);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, 2);
	co_p9_put64(&t, 99);
	for (int i = 0; i < 4; i++)
		co_p9_put64(&t, (uint64_t)i + 10);
	CHECK_INT(parse_all(), 0);
	CHECK(r.u32[0] == P9_ATTR_SIZE && r.u32[1] == 0644 && r.u64[0] == 99 &&
	      r.u64[4] == 13);

	begin(P9_TLOCK);
	co_p9_put32(&t, 4);
	co_p9_put8(&t, P9_LOCK_TYPE_WRLCK);
	co_p9_put32(&t, 1);
	co_p9_put64(&t, 10);
	co_p9_put64(&t, 20);
	co_p9_put32(&t, 77);
	str("client");
	CHECK_INT(parse_all(), 0);
	CHECK(r.u8 == P9_LOCK_TYPE_WRLCK && r.u64[1] == 20 && r.u32[1] == 77);
	CHECK_STR(r.str, "client");

	begin(P9_TMKNOD);
	co_p9_put32(&t, 4);
	str("node");
	co_p9_put32(&t, 0010644);
	co_p9_put32(&t, 8);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, 100);
	CHECK_INT(parse_all(), 0);
	CHECK(r.u32[1] == 0010644 && r.u32[3] == 8 && r.u32[4] == 1 &&
	      r.u32[2] == 100);
}

static void test_refused(void)
{
	char name[CO_P9_NAME_MAX + 2];

	/* the size field beyond the buffer, or below the header */
	begin(P9_TCLUNK);
	co_p9_put32(&t, 1);
	CHECK_INT(co_p9_parse(buf, co_p9_end(&t) - 1, &r), -EBADMSG);
	CHECK_INT(r.tag, 0x1234); /* still answerable */
	memcpy(buf, &(uint32_t){ htole32(3) }, 4);
	CHECK_INT(co_p9_parse(buf, 11, &r), -EBADMSG);

	begin(P9_TWALK);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, 2);
	co_p9_put16(&t, 1);
	co_p9_putstr(&t, "a\0b", 3);
	CHECK_INT(co_p9_parse(buf, co_p9_end(&t), &r), -EINVAL);

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	begin(P9_TWALK);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, 2);
	co_p9_put16(&t, 1);
	str(name);
	CHECK_INT(co_p9_parse(buf, co_p9_end(&t), &r), -ENAMETOOLONG);
	name[CO_P9_NAME_MAX] = '\0';
	begin(P9_TWALK);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, 2);
	co_p9_put16(&t, 1);
	str(name);
	CHECK_INT(co_p9_parse(buf, co_p9_end(&t), &r), 0);

	begin(P9_TWALK);
	co_p9_put32(&t, 1);
	co_p9_put32(&t, 2);
	co_p9_put16(&t, CO_P9_MAXWELEM + 1);
	for (int i = 0; i <= CO_P9_MAXWELEM; i++)
		str("a");
	CHECK_INT(co_p9_parse(buf, co_p9_end(&t), &r), -E2BIG);
}

static void test_replies_bounded(void)
{
	uint8_t small[16];
	struct co_p9_out o;
	struct co_p9_qid q = { P9_QTDIR, 1, 2 };

	co_p9_begin(&o, small, sizeof(small), P9_RWALK, 1);
	co_p9_put16(&o, 1);
	co_p9_putqid(&o, &q); /* 7 + 2 + 13 > 16 */
	CHECK(o.overflow);
	CHECK_INT(co_p9_end(&o), 0);
	CHECK(o.len <= sizeof(small));

	co_p9_begin(&o, small, sizeof(small), P9_RATTACH, 1);
	co_p9_putqid(&o, &q);
	CHECK_INT(co_p9_end(&o), 0); /* 7 + 13 > 16 */

	CHECK_INT(co_p9_error(small, sizeof(small), 9, ENOENT), 11);
	CHECK_INT(small[0], 11);
	CHECK_INT(small[4], P9_RLERROR);
	CHECK_INT(small[5], 9);
	CHECK_INT(small[7], ENOENT);
	CHECK_INT(co_p9_error(small, 10, 9, ENOENT), 0);
}

int main(void)
{
	RUN_TEST(test_attach_walk);
	RUN_TEST(test_io);
	RUN_TEST(test_names_and_more);
	RUN_TEST(test_refused);
	RUN_TEST(test_replies_bounded);
	return CHECK_EXIT();
}
