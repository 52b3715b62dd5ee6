/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usock.h --- unix stream sockets, the console's transport (console_proto.h),
 * for colinux-daemon and colinux-console alike: usock-linux.c, or
 * usock-windows.c (Winsock's AF_UNIX, Windows 10 1803 and later), chosen by
 * the Makefile.  A socket is a descriptor on both (on Windows, the SOCKET
 * handle, whose significant bits fit an int as every kernel handle's do).
 * Functions return 0, a count or a descriptor, or -errno; the errors the
 * callers look at are -EAGAIN (a non-blocking socket would wait) and
 * -EAFNOSUPPORT (a host without unix sockets); co_usock_strerror() says any.
 */
#ifndef CO_USOCK_H
#define CO_USOCK_H

#include <stddef.h>
#include <sys/types.h>

/* The longest path a socket can have (sun_path less its NUL). */
#define CO_USOCK_PATH_MAX 107

/* A new unix stream socket, not inherited by child processes. */
int co_usock_socket(void);
int co_usock_connect(int fd, const char *path);
/* Bind @fd to @path and listen; the socket file is for its owner only. */
int co_usock_listen(int fd, const char *path);
/* A client of a listening socket, non-blocking; -EAGAIN when none waits. */
int co_usock_accept(int fd);
/* Up to @n bytes; 0 at the end, -EAGAIN when a non-blocking one has none. */
ssize_t co_usock_recv(int fd, void *buf, size_t n);
/* Send without waiting: the count sent, or -EAGAIN when it is full. */
ssize_t co_usock_send(int fd, const void *buf, size_t n);
/* Send all @n bytes, waiting as long as it takes. */
int co_usock_send_all(int fd, const void *buf, size_t n);
void co_usock_close(int fd);
/* Remove a socket file left at @path (0 when there was none). */
int co_usock_remove(const char *path);
/* The text for an error these functions returned (@err > 0). */
const char *co_usock_strerror(int err);

#endif
