/* SPDX-License-Identifier: GPL-2.0 */
/*
 * console_proto.h --- what colinux-daemon's console and colinux-console
 * agree on: where the socket is unless told otherwise, and the escape key
 * (Ctrl-] then a command letter; Ctrl-] twice sends one Ctrl-]).  The
 * socket carries the guest's console bytes as they are, both ways.
 */
#ifndef CO_CONSOLE_PROTO_H
#define CO_CONSOLE_PROTO_H

#define CO_CONSOLE_ESCAPE 0x1d /* Ctrl-] */

/*
 * The socket's default path, the host's (usock-linux.c, usock-windows.c):
 * /run/colinux/console.sock on Linux, %ProgramData%\coLinux\console.sock
 * on Windows (one folder for every user and for a service).
 */
const char *co_console_socket_default(void);

#endif
