/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usock-windows.h --- what usock-windows.c takes from the file beside it:
 * the sockets' address family and a path's address.  usock-afunix.c gives
 * AF_UNIX's (the programs'); tests/win/usock-tcp.c loopback TCP's, for
 * Wine 8, which has no AF_UNIX (README, "Windows").
 */
#ifndef CO_USOCK_WINDOWS_H
#define CO_USOCK_WINDOWS_H

#include <winsock2.h>

extern const int co_usock_family;
/* @path's address (it fits: CO_USOCK_PATH_MAX) into zeroed @sa; *@len. */
void co_usock_addr(const char *path, struct sockaddr_storage *sa, int *len);

#endif
