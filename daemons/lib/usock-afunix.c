// SPDX-License-Identifier: GPL-2.0
/* usock-afunix.c --- the console sockets' addresses on Windows: AF_UNIX. */
#include <string.h>
#include <winsock2.h>
#include <afunix.h>

#include <co/usock.h>

#include "usock-windows.h"

_Static_assert(sizeof(((struct sockaddr_un *)0)->sun_path) ==
		       CO_USOCK_PATH_MAX + 1,
	       "CO_USOCK_PATH_MAX is sun_path's");

const int co_usock_family = AF_UNIX;

void co_usock_addr(const char *path, struct sockaddr_storage *sa, int *len)
{
	struct sockaddr_un *un = (struct sockaddr_un *)sa;

	un->sun_family = AF_UNIX;
	strcpy(un->sun_path, path);
	*len = sizeof(*un);
}
