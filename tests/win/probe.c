// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c --- coprobe.exe, the tests/win client of colinux.sys: every call
 * of colinux/winioctl.h, good and bad, one line each with what the driver
 * answered ("NAME: ok VALUE" or "NAME: error WIN32-CODE"), for the suite to
 * compare.  Exit status 2 when \\.\coLinux cannot be opened.
 *
 * Only calls that run no privileged instruction in the driver's core, which
 * Wine runs in user mode: argument checks, calls out of order, SETUP up to
 * its host check (Wine emulates the reads of CR0, CR4 and EFER) and the
 * message it leaves for LAST_MESSAGE.  Never a RUN of a guest that was set
 * up, nor a MAP_RAM of one (Wine's driver runs in another process).
 */
#include <stdbool.h>
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

static void setup_calls(HANDLE h)
{
	DWORD code = COLINUX_WIN_IOCTL(COLINUX_SETUP);
	struct colinux_setup s;

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.abi_version = COLINUX_ABI_VERSION;
	s.mem_size = 64 << 20;
	call(h, "setup-short", code, &s, sizeof(s) - 8, &s, sizeof(s));
	s.abi_version = COLINUX_ABI_VERSION + 1;
	call(h, "setup-abi", code, &s, sizeof(s), &s, sizeof(s));
	s.abi_version = COLINUX_ABI_VERSION;
	s.size = sizeof(s) - 8;
	call(h, "setup-size", code, &s, sizeof(s), &s, sizeof(s));
	s.size = sizeof(s);
	s.flags = 1;
	call(h, "setup-flags", code, &s, sizeof(s), &s, sizeof(s));
	s.flags = 0;
	call(h, "setup", code, &s, sizeof(s), &s, sizeof(s));
}

/* MAP_RAM, good and bad; @name for the good one. */
static void map_calls(HANDLE h, const char *name)
{
	DWORD code = COLINUX_WIN_IOCTL(COLINUX_WIN_MAP_RAM);
	struct colinux_win_map m = { .size = sizeof(m),
				     .abi_version = COLINUX_ABI_VERSION,
				     .len = 64 << 20 };

	call(h, name, code, &m, sizeof(m), &m, sizeof(m));
	m.abi_version++;
	call(h, "map-abi", code, &m, sizeof(m), &m, sizeof(m));
	call(h, "map-short", code, &m, sizeof(m) - 8, &m, sizeof(m));
}

/* LAST_MESSAGE: "NAME: 'TEXT'", or the error. */
static void last_message(HANDLE h, const char *name)
{
	DWORD code = COLINUX_WIN_IOCTL(COLINUX_WIN_LAST_MESSAGE), got;
	struct colinux_win_message m;

	memset(&m, 'x', sizeof(m));
	if (DeviceIoControl(h, code, NULL, 0, &m, sizeof(m), &got, NULL))
		printf("%s: '%.*s'\n", name, (int)sizeof(m.message),
		       (char *)m.message);
	else
		printf("%s: error %lu\n", name, GetLastError());
}

/* The other calls on a guest that was never set up. */
static void early_calls(HANDLE h)
{
	struct colinux_regs r = { .size = sizeof(r),
				  .abi_version = COLINUX_ABI_VERSION };
	struct colinux_run run = { .size = sizeof(run),
				   .abi_version = COLINUX_ABI_VERSION };
	struct colinux_virq v = { .size = sizeof(v),
				  .abi_version = COLINUX_ABI_VERSION,
				  .virqs = 1 };
	struct colinux_ioeventfd e = { .size = sizeof(e),
				       .abi_version = COLINUX_ABI_VERSION,
				       .fd = -1 };

	call(h, "set-regs-early", COLINUX_WIN_IOCTL(COLINUX_SET_REGS), &r,
	     sizeof(r), NULL, 0);
	r.abi_version++;
	call(h, "set-regs-abi", COLINUX_WIN_IOCTL(COLINUX_SET_REGS), &r,
	     sizeof(r), NULL, 0);
	call(h, "run-early", COLINUX_WIN_IOCTL(COLINUX_RUN), &run, sizeof(run),
	     &run, sizeof(run));
	call(h, "run-short", COLINUX_WIN_IOCTL(COLINUX_RUN), &run,
	     sizeof(run) - 8, &run, sizeof(run));
	call(h, "virq-early", COLINUX_WIN_IOCTL(COLINUX_RAISE_VIRQ), &v,
	     sizeof(v), NULL, 0);
	call(h, "ioeventfd", COLINUX_WIN_IOCTL(COLINUX_SET_IOEVENTFD), &e,
	     sizeof(e), NULL, 0);
	map_calls(h, "map-early");
}

static HANDLE open_device(void)
{
	return CreateFileA(COLINUX_WIN_PATH, GENERIC_READ | GENERIC_WRITE, 0,
			   NULL, OPEN_EXISTING, 0, NULL);
}

/* SET_REGS on a guest never set up: EBADFD (22) from the core. */
static bool has_guest(HANDLE h)
{
	struct colinux_regs r = { .size = sizeof(r),
				  .abi_version = COLINUX_ABI_VERSION };
	DWORD got;

	return !DeviceIoControl(h, COLINUX_WIN_IOCTL(COLINUX_SET_REGS), &r,
				sizeof(r), NULL, 0, &got, NULL) &&
	       GetLastError() == ERROR_BAD_COMMAND;
}

/*
 * "slots": every open file is a guest, in one of the driver's 8 slots.
 * Open 12 files and count the guests behind them ("slots: 12 opened, N
 * guests"; a file without one has every call refused), close them all,
 * and open once more ("slots-again: a guest" when the closes gave the
 * slots back).
 */
static int slots(void)
{
	HANDLE h[12];
	int n, i, guests = 0;

	for (n = 0; n < 12; n++) {
		h[n] = open_device();
		if (h[n] == INVALID_HANDLE_VALUE)
			break;
		guests += has_guest(h[n]);
	}
	printf("slots: %d opened, %d guests\n", n, guests);
	for (i = 0; i < n; i++)
		CloseHandle(h[i]);
	h[0] = open_device();
	if (h[0] == INVALID_HANDLE_VALUE)
		return 1;
	printf("slots-again: %s\n", has_guest(h[0]) ? "a guest" : "none");
	CloseHandle(h[0]);
	return 0;
}

int main(int argc, char **argv)
{
	HANDLE h;
	INT32 version = 0;

	if (argc > 1 && !strcmp(argv[1], "slots"))
		return slots();
	h = open_device();
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
	last_message(h, "message-none");
	call(h, "message-short", COLINUX_WIN_IOCTL(COLINUX_WIN_LAST_MESSAGE),
	     NULL, 0, &version, sizeof(version));
	early_calls(h);
	setup_calls(h);
	last_message(h, "message-setup");
	map_calls(h, "map-after-failed-setup");
	version = 0;
	call(h, "version", COLINUX_WIN_IOCTL(COLINUX_GET_ABI_VERSION), NULL, 0,
	     &version, sizeof(version));
	printf("version-after: %d\n", version);
	CloseHandle(h);
	return 0;
}
