/* SPDX-License-Identifier: GPL-2.0 */
/*
 * colinux/winioctl.h --- the driver<->daemon ABI of colinux/ioctl.h on
 * Windows: the same structs and commands, through DeviceIoControl on
 * \\.\coLinux.  A command's DeviceIoControl code is CTL_CODE(0x8C00,
 * 0x800 + its number, METHOD_BUFFERED, FILE_READ_DATA | FILE_WRITE_DATA);
 * the buffer in and out is the command's struct (_IOC_SIZE), and
 * GET_ABI_VERSION's answer is a 32-bit int in the output buffer.
 */
#ifndef _UAPI_COLINUX_WINIOCTL_H
#define _UAPI_COLINUX_WINIOCTL_H

#include <colinux/ioctl.h>

#define COLINUX_WIN_DEVICE_TYPE 0x8C00U
#define COLINUX_WIN_FUNCTION_BASE 0x800U
#define COLINUX_WIN_IOCTL(cmd)                                         \
	((unsigned int)((COLINUX_WIN_DEVICE_TYPE << 16) | (3U << 14) | \
			((COLINUX_WIN_FUNCTION_BASE + _IOC_NR(cmd)) << 2)))

/* The device's names, in the kernel and for CreateFile. */
#define COLINUX_WIN_DEVICE L"\\Device\\coLinux"
#define COLINUX_WIN_LINK L"\\DosDevices\\coLinux"
#define COLINUX_WIN_PATH "\\\\.\\coLinux"
/* The driver's service (colinux.inf, colinux-daemon --install-driver). */
#define COLINUX_WIN_SERVICE "colinux"

#endif
