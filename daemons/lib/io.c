// SPDX-License-Identifier: GPL-2.0
/* io.c --- small I/O helpers shared by the host programs. */
#include <errno.h>
#include <unistd.h>

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
