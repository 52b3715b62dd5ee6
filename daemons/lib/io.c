// SPDX-License-Identifier: GPL-2.0
/* io.c --- small I/O helpers shared by the host programs. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <co/buf.h>
#include <co/io.h>

int co_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int co_read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	ssize_t got;

	while (n) {
		got = read(fd, p, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			return -ENODATA;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

int co_read_fd(int fd, struct co_buf *b, size_t max)
{
	struct stat st;
	size_t room, hint;
	char sink[4096];
	bool over = false;
	ssize_t got;

	/*
	 * One byte more than the size, so the read that sees the end fits;
	 * the size is only a first guess (a pipe has none).
	 */
	hint = fstat(fd, &st) ? 0 : (size_t)st.st_size + 1;
	co_buf_reserve(b, hint < max ? hint : max);
	for (;;) {
		room = b->len < max ? max - b->len : 0;
		if (room && co_buf_reserve(b, b->cap > b->len + 1 ? 0 : 4096))
			return b->error;
		if (room > b->cap - b->len - 1)
			room = b->cap - b->len - 1;
		/* Past @max the rest is read and dropped: the writer ends. */
		got = room ? read(fd, b->data + b->len, room) :
			     read(fd, sink, sizeof(sink));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			return over ? -EFBIG : 0;
		if (!room) {
			over = true;
			continue;
		}
		b->len += (size_t)got;
		b->data[b->len] = '\0';
	}
}

int co_read_file(const char *path, char **data, size_t *len)
{
	struct co_buf b = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = co_read_fd(fd, &b, SIZE_MAX);
	close(fd);
	if (ret) {
		free(b.data);
		return ret;
	}
	*data = b.data;
	*len = b.len;
	return 0;
}
