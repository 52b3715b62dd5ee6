// SPDX-License-Identifier: GPL-2.0
/* io_test.c --- unit tests for the growing buffer and the file helpers. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <co/array_size.h>
#include <co/buf.h>
#include <co/io.h>

#include "../../tests/lib/check.h"

static void test_buf_appends(void)
{
	struct co_buf b = { 0 };
	int i;

	co_buf_str(&b, "");
	CHECK_STR(b.data, "");
	for (i = 0; i < 1000; i++)
		co_buf_add(&b, "abc", 3);
	co_buf_str(&b, "!");
	CHECK_INT(b.error, 0);
	CHECK_INT(b.len, 3001);
	CHECK(b.cap > b.len);
	CHECK_INT(b.data[b.len], '\0');
	CHECK(!memcmp(b.data + 2997, "abc!", 4));
	free(b.data);
}

static void test_buf_error_sticks(void)
{
	struct co_buf b = { 0 };

	CHECK_INT(co_buf_reserve(&b, (size_t)-16), -ENOMEM);
	co_buf_str(&b, "x");
	CHECK_INT(b.error, -ENOMEM);
	CHECK_INT(b.len, 0);
	CHECK(!b.data);
}

/* A temporary file holding @n bytes of a pattern; its name in @path. */
static void test_buf_printf(void)
{
	struct co_buf b = { 0 };

	co_buf_str(&b, "m");
	co_buf_printf(&b, "%d=%s;", 12, "x y");
	co_buf_printf(&b, "%s", "");
	CHECK_STR(b.data, "m12=x y;");
	CHECK_INT(b.len, 8);
	free(b.data);
}

/* co_read_fd on a pipe: all of it, or at most @max and the rest drained. */
static void test_read_fd(void)
{
	struct co_buf b = { 0 };
	char big[10000];
	int p[2];

	memset(big, 'z', sizeof(big));
	CHECK_INT(pipe(p), 0);
	CHECK_INT(co_write_all(p[1], big, sizeof(big)), 0);
	close(p[1]);
	CHECK_INT(co_read_fd(p[0], &b, SIZE_MAX), 0);
	close(p[0]);
	CHECK_INT(b.len, sizeof(big));
	CHECK(!memcmp(b.data, big, sizeof(big)));
	free(b.data);

	memset(&b, 0, sizeof(b));
	CHECK_INT(pipe(p), 0);
	CHECK_INT(co_write_all(p[1], big, sizeof(big)), 0);
	close(p[1]);
	CHECK_INT(co_read_fd(p[0], &b, 100), -EFBIG);
	CHECK_INT(b.len, 100);
	CHECK_INT(b.data[100], '\0');
	CHECK_INT(read(p[0], big, 1), 0); /* drained to its end */
	close(p[0]);
	free(b.data);
}

static void make_file(char path[32], size_t n)
{
	int fd;
	char *p = malloc(n ? n : 1);

	for (size_t i = 0; i < n; i++)
		p[i] = (char)('a' + i % 26);
	strcpy(path, "/tmp/io_test.XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK_INT(co_write_all(fd, p, n), 0);
	close(fd);
	free(p);
}

static void test_read_file(void)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, 1 << 20 };
	char path[32];
	char *data;
	size_t len, i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		make_file(path, sizes[i]);
		data = NULL;
		CHECK_INT(co_read_file(path, &data, &len), 0);
		CHECK_INT(len, sizes[i]);
		for (j = 0; data && j < len; j++)
			if (data[j] != (char)('a' + j % 26))
				break;
		CHECK_INT(j, sizes[i]);
		CHECK(data && data[len] == '\0');
		free(data);
		unlink(path);
	}
}

static void test_read_file_errors(void)
{
	char *data = (char *)"untouched";
	size_t len = 7;

	CHECK_INT(co_read_file("/nonexistent/io_test", &data, &len), -ENOENT);
	CHECK_INT(co_read_file("/", &data, &len), -EISDIR);
	CHECK_STR(data, "untouched");
	CHECK_INT(len, 7);
}

/* A file that is not what its size says: /proc's are empty by stat. */
static void test_read_file_proc(void)
{
	char *data = NULL;
	size_t len = 0;

	CHECK_INT(co_read_file("/proc/self/status", &data, &len), 0);
	CHECK(len > 0 && data && strstr(data, "Name:"));
	CHECK_INT(strlen(data), len);
	free(data);
}

static void test_read_all(void)
{
	char path[32], buf[100];
	int fd;

	make_file(path, 60);
	fd = open(path, O_RDONLY);
	CHECK_INT(co_read_all(fd, buf, 50), 0);
	CHECK(!memcmp(buf, "abcdefghijklmnopqrstuvwxyzabcdefghij", 36));
	CHECK_INT(co_read_all(fd, buf, 20), -ENODATA);
	close(fd);
	CHECK_INT(co_read_all(fd, buf, 1), -EBADF);
	unlink(path);
}

int main(void)
{
	RUN_TEST(test_buf_appends);
	RUN_TEST(test_buf_error_sticks);
	RUN_TEST(test_buf_printf);
	RUN_TEST(test_read_fd);
	RUN_TEST(test_read_file);
	RUN_TEST(test_read_file_errors);
	RUN_TEST(test_read_file_proc);
	RUN_TEST(test_read_all);
	return CHECK_EXIT();
}
