// SPDX-License-Identifier: GPL-2.0
/*
 * usock-tcp.c --- the console sockets' addresses for tests/win's builds of
 * the console server and client (usock-windows.h): Wine 8 has no AF_UNIX,
 * so a path is a port on the loopback address instead, the same for the
 * same path, 20000 to 39999.  Everything else is usock-windows.c's.
 */
#include <string.h>
#include <winsock2.h>

#include "usock-windows.h"

const int co_usock_family = AF_INET;

void co_usock_addr(const char *path, struct sockaddr_storage *sa, int *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)sa;
	unsigned int h = 2166136261u; /* FNV-1a */

	for (; *path; path++)
		h = (h ^ (unsigned char)*path) * 16777619u;
	in->sin_family = AF_INET;
	in->sin_port = htons(20000 + h % 20000);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*len = sizeof(*in);
}
