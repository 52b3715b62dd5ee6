// SPDX-License-Identifier: GPL-2.0
/*
 * term-windows.c --- colinux-console's host on Windows (term.h): the
 * console's input and output modes (ENABLE_VIRTUAL_TERMINAL_INPUT and
 * _PROCESSING: the guest's terminal is a VT), and, as a console read cannot
 * be waited for with a socket, a thread that reads standard input one
 * buffer at a time and sets an event when it has one.
 */
#include <stdbool.h>
#include <string.h>
#include <winsock2.h>
#include <windows.h>

#include "term.h"

static struct {
	HANDLE in, out;
	DWORD in_mode, out_mode;
	UINT in_cp, out_cp;
	bool raw;
	/* the reading thread's buffer: full (filled) or free (taken) */
	HANDLE thread, filled, taken;
	char buf[512];
	DWORD len;
	/* the socket's event (WSAEventSelect) */
	HANDLE sock_event;
} term;

bool co_term_raw(void)
{
	DWORD mode;

	term.in = GetStdHandle(STD_INPUT_HANDLE);
	term.out = GetStdHandle(STD_OUTPUT_HANDLE);
	if (!GetConsoleMode(term.in, &term.in_mode))
		return false;
	/* Ctrl-C goes to the guest too: no line editing, no echo, no signal. */
	mode = term.in_mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT |
				ENABLE_PROCESSED_INPUT);
	if (!SetConsoleMode(term.in, mode | ENABLE_VIRTUAL_TERMINAL_INPUT))
		return false;
	term.raw = true;
	term.in_cp = GetConsoleCP();
	term.out_cp = GetConsoleOutputCP();
	SetConsoleCP(CP_UTF8);
	SetConsoleOutputCP(CP_UTF8);
	if (GetConsoleMode(term.out, &term.out_mode))
		SetConsoleMode(term.out,
			       term.out_mode | ENABLE_PROCESSED_OUTPUT |
				       ENABLE_VIRTUAL_TERMINAL_PROCESSING);
	return true;
}

void co_term_restore(void)
{
	if (!term.raw)
		return;
	SetConsoleMode(term.in, term.in_mode);
	SetConsoleMode(term.out, term.out_mode);
	SetConsoleCP(term.in_cp);
	SetConsoleOutputCP(term.out_cp);
}

/* Fill the buffer, wait until it is taken, again; len 0: input ended. */
static DWORD WINAPI reader(void *arg)
{
	for (;;) {
		if (!ReadFile(GetStdHandle(STD_INPUT_HANDLE), term.buf,
			      sizeof(term.buf), &term.len, NULL))
			term.len = 0;
		SetEvent(term.filled);
		if (!term.len)
			return 0;
		WaitForSingleObject(term.taken, INFINITE);
	}
}

static int start(int sock)
{
	term.filled = CreateEventA(NULL, TRUE, FALSE, NULL);
	term.taken = CreateEventA(NULL, FALSE, FALSE, NULL);
	term.sock_event = CreateEventA(NULL, TRUE, FALSE, NULL);
	if (!term.filled || !term.taken || !term.sock_event ||
	    WSAEventSelect((SOCKET)(unsigned int)sock, term.sock_event,
			   FD_READ | FD_CLOSE))
		return -1;
	term.thread = CreateThread(NULL, 0, reader, NULL, 0, NULL);
	return term.thread ? 0 : -1;
}

/*
 * The socket's event is reset before it is read: data that arrives after
 * sets it again (recv re-enables FD_READ).
 */
int co_term_wait(int sock, bool input)
{
	HANDLE ev[2];
	DWORD n = 0, r;
	int ready = 0;

	if (!term.thread && start(sock))
		return -1;
	ev[n++] = term.sock_event;
	if (input)
		ev[n++] = term.filled;
	r = WaitForMultipleObjects(n, ev, FALSE, INFINITE);
	if (r >= WAIT_OBJECT_0 + n)
		return -1;
	if (WaitForSingleObject(term.sock_event, 0) == WAIT_OBJECT_0) {
		ResetEvent(term.sock_event);
		ready |= CO_TERM_SOCKET;
	}
	if (input && WaitForSingleObject(term.filled, 0) == WAIT_OBJECT_0)
		ready |= CO_TERM_INPUT;
	return ready;
}

ssize_t co_term_read(void *buf, size_t n)
{
	DWORD len;

	WaitForSingleObject(term.filled, INFINITE);
	len = term.len < n ? term.len : n;
	memcpy(buf, term.buf, len);
	/* What did not fit is dropped: the caller's buffer is as large. */
	ResetEvent(term.filled);
	if (len)
		SetEvent(term.taken);
	return len;
}

int co_term_write(const void *buf, size_t n)
{
	const char *p = buf;
	DWORD done;

	while (n) {
		if (!WriteFile(term.out ? term.out :
					  GetStdHandle(STD_OUTPUT_HANDLE),
			       p, n, &done, NULL) ||
		    !done)
			return -1;
		p += done;
		n -= done;
	}
	return 0;
}
