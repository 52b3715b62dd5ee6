// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c --- coprobe.exe, the tests/win client of colinux.sys: every call
 * of colinux/winioctl.h, good and bad, one line each with what the driver
 * answered ("NAME: ok VALUE" or "NAME: error WIN32-CODE"), for the suite to
 * compare.  Exit status 2 when \\.\coLinux cannot be opened.
 */
#include <stdio.h>
#include <string.h>
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <colinux/winioctl.h>

static void call(HANDLE h, const char *name, DWORD code, void *in, DWORD in_len,
		 void *out, DWORD out_len)
{
	DWORD got = 0;

	if (DeviceIoControl(h, code, in, in_len, out, out_len, &got, NULL))
		printf("%s: ok %lu\n", name, got);
	else
		printf("%s: error %lu\n", name, GetLastError());
}

int main(void)
{
	HANDLE h = CreateFileA(COLINUX_WIN_PATH, GENERIC_READ | GENERIC_WRITE,
			       0, NULL, OPEN_EXISTING, 0, NULL);
	struct colinux_setup s;
	INT32 version = 0;

	if (h == INVALID_HANDLE_VALUE) {
		printf("open: error %lu\n", GetLastError());
		return 2;
	}
	call(h, "version", COLINUX_WIN_IOCTL(COLINUX_GET_ABI_VERSION), NULL, 0,
	     &version, sizeof(version));
	printf("version: %d\n", version);
	call(h, "version-short", COLINUX_WIN_IOCTL(COLINUX_GET_ABI_VERSION),
	     NULL, 0, &version, 2);
	call(h, "unknown", COLINUX_WIN_IOCTL(_IO(COLINUX_IOCTL_MAGIC, 99)),
	     NULL, 0, NULL, 0);
	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.abi_version = COLINUX_ABI_VERSION;
	s.mem_size = 64 << 20;
	call(h, "setup-short", COLINUX_WIN_IOCTL(COLINUX_SETUP), &s,
	     sizeof(s) - 8, &s, sizeof(s));
	s.abi_version = COLINUX_ABI_VERSION + 1;
	call(h, "setup-abi", COLINUX_WIN_IOCTL(COLINUX_SETUP), &s, sizeof(s),
	     &s, sizeof(s));
	s.abi_version = COLINUX_ABI_VERSION;
	call(h, "setup", COLINUX_WIN_IOCTL(COLINUX_SETUP), &s, sizeof(s), &s,
	     sizeof(s));
	CloseHandle(h);
	return 0;
}
