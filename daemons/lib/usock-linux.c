// SPDX-License-Identifier: GPL-2.0
/* usock-linux.c --- unix stream sockets on Linux (co/usock.h). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <co/console_proto.h>
#include <co/io.h>
#include <co/usock.h>

_Static_assert(sizeof(((struct sockaddr_un *)0)->sun_path) ==
		       CO_USOCK_PATH_MAX + 1,
	       "CO_USOCK_PATH_MAX is sun_path's");

const char *co_console_socket_default(void)
{
	return "/run/colinux/console.sock";
}

static int addr(const char *path, struct sockaddr_un *sa)
{
	if (strlen(path) > CO_USOCK_PATH_MAX)
		return -ENAMETOOLONG;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	strcpy(sa->sun_path, path);
	return 0;
}

int co_usock_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	return fd < 0 ? -errno : fd;
}

int co_usock_connect(int fd, const char *path)
{
	struct sockaddr_un sa;
	int ret = addr(path, &sa);

	if (ret)
		return ret;
	return connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
}

int co_usock_listen(int fd, const char *path)
{
	struct sockaddr_un sa;
	int ret = addr(path, &sa);

	if (ret)
		return ret;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4))
		return -errno;
	return chmod(path, 0600) ? -errno : 0;
}

int co_usock_accept(int fd)
{
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	return c < 0 ? -errno : c;
}

ssize_t co_usock_recv(int fd, void *buf, size_t n)
{
	ssize_t got;

	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got < 0 ? -errno : got;
}

ssize_t co_usock_send(int fd, const void *buf, size_t n)
{
	ssize_t sent = send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);

	return sent < 0 ? -errno : sent;
}

int co_usock_send_all(int fd, const void *buf, size_t n)
{
	return co_write_all(fd, buf, n);
}

void co_usock_close(int fd)
{
	close(fd);
}

int co_usock_remove(const char *path)
{
	return unlink(path) && errno != ENOENT ? -errno : 0;
}

const char *co_usock_strerror(int err)
{
	return strerror(err);
}
