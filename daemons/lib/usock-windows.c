// SPDX-License-Identifier: GPL-2.0
/*
 * usock-windows.c --- unix stream sockets on Windows (co/usock.h) through
 * Winsock.  The address family and a path's address come from
 * usock-afunix.c (AF_UNIX, which Windows has from Windows 10 1803 on);
 * tests/win links loopback TCP's instead, as Wine 8 has no AF_UNIX.
 * Windows errors come back as -WSAExxx (above every errno), but for -EAGAIN
 * and -EAFNOSUPPORT, which the callers look at.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <winsock2.h>
#include <windows.h>

#include <co/console_proto.h>
#include <co/usock.h>

#include "usock-windows.h"

const char *co_console_socket_default(void)
{
	static char path[MAX_PATH + 32];
	char dir[MAX_PATH];
	DWORD n = GetEnvironmentVariableA("ProgramData", dir, sizeof(dir));

	if (!n || n >= sizeof(dir))
		strcpy(dir, "C:\\ProgramData");
	snprintf(path, sizeof(path), "%s\\coLinux\\console.sock", dir);
	return path;
}

static int wsa_error(void)
{
	int e = WSAGetLastError();

	if (e == WSAEWOULDBLOCK)
		return -EAGAIN;
	if (e == WSAEAFNOSUPPORT)
		return -EAFNOSUPPORT;
	return -e;
}

static SOCKET sock(int fd)
{
	return (SOCKET)(unsigned int)fd;
}

static int addr(const char *path, struct sockaddr_storage *sa, int *len)
{
	if (strlen(path) > CO_USOCK_PATH_MAX)
		return -ENAMETOOLONG;
	memset(sa, 0, sizeof(*sa));
	co_usock_addr(path, sa, len);
	return 0;
}

int co_usock_socket(void)
{
	static bool started;
	WSADATA wsa;
	SOCKET s;

	if (!started) {
		if (WSAStartup(MAKEWORD(2, 2), &wsa))
			return -WSASYSNOTREADY;
		started = true;
	}
	/* WSASocket's sockets are not inherited without the flag. */
	s = WSASocketA(co_usock_family, SOCK_STREAM, 0, NULL, 0,
		       WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
	if (s == INVALID_SOCKET)
		return wsa_error();
	return (int)s;
}

int co_usock_connect(int fd, const char *path)
{
	struct sockaddr_storage sa;
	int len, ret = addr(path, &sa, &len);

	if (ret)
		return ret;
	return connect(sock(fd), (struct sockaddr *)&sa, len) ? wsa_error() : 0;
}

/*
 * The socket file takes its folder's access list: the default folder's is
 * made by the daemon (os-windows.c, co_os_console_dir).
 */
int co_usock_listen(int fd, const char *path)
{
	struct sockaddr_storage sa;
	int len, ret = addr(path, &sa, &len);

	if (ret)
		return ret;
	if (bind(sock(fd), (struct sockaddr *)&sa, len) || listen(sock(fd), 4))
		return wsa_error();
	return 0;
}

int co_usock_accept(int fd)
{
	u_long nonblocking = 1;
	SOCKET c = accept(sock(fd), NULL, NULL);

	if (c == INVALID_SOCKET)
		return wsa_error();
	ioctlsocket(c, FIONBIO, &nonblocking);
	return (int)c;
}

ssize_t co_usock_recv(int fd, void *buf, size_t n)
{
	int got = recv(sock(fd), buf, n > INT_MAX ? INT_MAX : (int)n, 0);

	return got < 0 ? wsa_error() : got;
}

ssize_t co_usock_send(int fd, const void *buf, size_t n)
{
	int sent = send(sock(fd), buf, n > INT_MAX ? INT_MAX : (int)n, 0);

	return sent < 0 ? wsa_error() : sent;
}

/* The socket may be non-blocking (WSAEventSelect makes it so). */
int co_usock_send_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t sent;
	fd_set w;

	while (n) {
		sent = co_usock_send(fd, p, n);
		if (sent == -EAGAIN) {
			FD_ZERO(&w);
			FD_SET(sock(fd), &w);
			select(0, NULL, &w, NULL, NULL);
			continue;
		}
		if (sent < 0)
			return sent;
		p += sent;
		n -= sent;
	}
	return 0;
}

void co_usock_close(int fd)
{
	closesocket(sock(fd));
}

int co_usock_remove(const char *path)
{
	if (DeleteFileA(path) || GetLastError() == ERROR_FILE_NOT_FOUND ||
	    GetLastError() == ERROR_PATH_NOT_FOUND)
		return 0;
	return GetLastError() == ERROR_ACCESS_DENIED ? -EACCES : -EIO;
}

const char *co_usock_strerror(int err)
{
	static char msg[256];
	DWORD n;

	if (err == EAFNOSUPPORT)
		return "this Windows has no unix sockets (AF_UNIX: Windows 10 1803 or later)";
	if (err < WSABASEERR)
		return strerror(err);
	n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
				   FORMAT_MESSAGE_IGNORE_INSERTS,
			   NULL, err, 0, msg, sizeof(msg), NULL);
	while (n &&
	       (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == '.'))
		msg[--n] = 0;
	if (!n)
		snprintf(msg, sizeof(msg), "Winsock error %d", err);
	return msg;
}
