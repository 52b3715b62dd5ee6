/* SPDX-License-Identifier: GPL-2.0 */
/*
 * win-errno.h --- the Windows files' one translation of a Windows error
 * into errno (win-errno.c).
 */
#ifndef CO_WIN_ERRNO_H
#define CO_WIN_ERRNO_H

/* errno for the calling thread's last Windows error (GetLastError). */
int co_win_errno(void);

#endif
