/* SPDX-License-Identifier: GPL-2.0 */
/*
 * termios.h for the Windows build of colinux-daemon (daemons/win.mk): only
 * the type that console.h keeps a terminal's saved mode in.  On Windows the
 * mode is the console's input mode (GetConsoleMode), console-windows.c's.
 */
#ifndef CO_WIN_TERMIOS_H
#define CO_WIN_TERMIOS_H

struct termios {
	unsigned long mode;
};

#endif
