/* SPDX-License-Identifier: GPL-2.0 */
/*
 * console_proto.h --- what colinux-daemon's console and colinux-console
 * agree on: where the socket is unless told otherwise, and the escape key
 * (Ctrl-] then a command letter; Ctrl-] twice sends one Ctrl-]).
 */
#ifndef CO_CONSOLE_PROTO_H
#define CO_CONSOLE_PROTO_H

#define CO_CONSOLE_SOCKET_DIR "/run/colinux"
#define CO_CONSOLE_SOCKET CO_CONSOLE_SOCKET_DIR "/console.sock"
#define CO_CONSOLE_ESCAPE 0x1d /* Ctrl-] */

#endif
