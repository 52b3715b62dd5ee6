/* SPDX-License-Identifier: GPL-2.0 */
/*
 * poll.h for the Windows build: Winsock's struct pollfd and POLL* flags
 * (WSAPoll's), which conet's round of waits uses (conet-windows.c).
 */
#ifndef CO_WIN_POLL_H
#define CO_WIN_POLL_H
#include <winsock2.h>
#endif
