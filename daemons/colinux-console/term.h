/* SPDX-License-Identifier: GPL-2.0 */
/*
 * term.h --- what colinux-console asks of its host: the terminal on
 * standard input and output, and waiting for it and the socket at once.
 * term-linux.c (termios, poll) or term-windows.c (the console's modes, a
 * thread reading standard input, WSAEventSelect), chosen by the Makefile.
 */
#ifndef CO_TERM_H
#define CO_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CO_TERM_INPUT 1 /* standard input has bytes, or has ended */
#define CO_TERM_SOCKET 2 /* the socket has bytes, or has closed */

/*
 * Raw mode (keys as they are typed, the escape sequences of a VT) when
 * standard input is a terminal; false when it is not one.
 */
bool co_term_raw(void);
/* The modes co_term_raw() found, back. */
void co_term_restore(void);
/*
 * Wait until standard input (while @input) or @sock has something to
 * read: CO_TERM_* bits, or -1 when the wait fails.
 */
int co_term_wait(int sock, bool input);
/* Read standard input: a count, 0 at its end, or -1. */
ssize_t co_term_read(void *buf, size_t n);
/* Write all @n bytes to standard output: 0, or -1. */
int co_term_write(const void *buf, size_t n);

#endif
