// SPDX-License-Identifier: GPL-2.0
/* win-errno.c --- Windows errors as errno (win-errno.h). */
#include <errno.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "win-errno.h"

int co_win_errno(void)
{
	switch (GetLastError()) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_NAME:
		return ENOENT;
	case ERROR_ACCESS_DENIED:
		return EACCES;
	case ERROR_WRITE_PROTECT:
		return EROFS;
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
		return EBUSY;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		return ENOSPC;
	case ERROR_INVALID_HANDLE:
		return EBADF;
	case ERROR_INVALID_FUNCTION:
	case ERROR_NOT_SUPPORTED:
	case ERROR_CALL_NOT_IMPLEMENTED:
		return ENOSYS;
	case ERROR_INVALID_PARAMETER:
		return EINVAL;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_NO_SYSTEM_RESOURCES:
		return ENOMEM;
	case ERROR_OPERATION_ABORTED:
		return EINTR;
	case ERROR_BAD_EXE_FORMAT:
	case ERROR_EXE_MACHINE_TYPE_MISMATCH:
		return ENOEXEC;
	default:
		return EIO;
	}
}

char *__real_strerror(int e);
char *__wrap_strerror(int e);

/*
 * strerror in the programs linking this file (daemons/win.mk wraps it:
 * --wrap=strerror).  The C runtime has words for errno values up to 42
 * only; the POSIX ones MinGW adds from 100 on, which the shared code and
 * libslirp use ("eth0: tcp:127.0.0.1:2222: ..."), get Linux's.
 */
char *__wrap_strerror(int e)
{
	switch (e) {
	case EADDRINUSE:
		return "Address already in use";
	case EADDRNOTAVAIL:
		return "Cannot assign requested address";
	case EAFNOSUPPORT:
		return "Address family not supported by protocol";
	case EALREADY:
		return "Operation already in progress";
	case ECANCELED:
		return "Operation canceled";
	case ECONNABORTED:
		return "Software caused connection abort";
	case ECONNREFUSED:
		return "Connection refused";
	case ECONNRESET:
		return "Connection reset by peer";
	case EHOSTUNREACH:
		return "No route to host";
	case EINPROGRESS:
		return "Operation now in progress";
	case EISCONN:
		return "Transport endpoint is already connected";
	case ELOOP:
		return "Too many levels of symbolic links";
	case EMSGSIZE:
		return "Message too long";
	case ENETDOWN:
		return "Network is down";
	case ENETUNREACH:
		return "Network is unreachable";
	case ENOBUFS:
		return "No buffer space available";
	case ENOTCONN:
		return "Transport endpoint is not connected";
	case ENOTSOCK:
		return "Socket operation on non-socket";
	case ENOTSUP:
	case EOPNOTSUPP:
		return "Operation not supported";
	case EOVERFLOW:
		return "Value too large for defined data type";
	case EPROTO:
		return "Protocol error";
	case ETIMEDOUT:
		return "Connection timed out";
	case EWOULDBLOCK:
		return "Resource temporarily unavailable";
	}
	return __real_strerror(e);
}
