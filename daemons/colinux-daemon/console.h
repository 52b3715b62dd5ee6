/* SPDX-License-Identifier: GPL-2.0 */
/*
 * console.h --- the guest's console on the host: this terminal (on Windows,
 * the daemon's console window) and any colinux-console attached through a
 * unix socket.  console.c (Linux) or console-windows.c wait for input;
 * the input queue (console-queue.c) and the socket (console-sock.c) are
 * both hosts'.
 *
 * One thread waits for input (terminal, socket, clients) and queues it for
 * the guest, raising COLINUX_VIRQ_CONSOLE so that the guest comes to read
 * it; the RUN thread writes guest output and takes queued input when the
 * guest asks.  On the terminal, Ctrl-] is the escape key: Ctrl-] q stops
 * the guest, Ctrl-] d detaches the terminal (the guest runs on, reachable
 * with colinux-console), Ctrl-] Ctrl-] sends a Ctrl-].
 */
#ifndef CO_CONSOLE_H
#define CO_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include <co/console_proto.h>
#include <co/err.h>

#define CO_CONSOLE_MAX_CLIENTS 8
#define CO_CONSOLE_QUEUE 4096

struct co_console {
	pthread_t thread;
	pthread_t runner; /* the RUN thread, woken on Ctrl-] q */
	pthread_mutex_t lock; /* guards everything below */
	int vm_fd; /* the guest to raise COLINUX_VIRQ_CONSOLE on, or -1 */
	bool tty_in; /* terminal input still read */
	bool tty_out; /* guest output still shown on the terminal */
	bool raw; /* terminal in raw mode; saved holds the old mode */
	struct termios saved;
	bool escape; /* Ctrl-] seen, waiting for the next key */
	volatile bool quit; /* Ctrl-] q */
	int listen_fd;
	char *sock_path;
	int clients[CO_CONSOLE_MAX_CLIENTS];
	int wake[2]; /* a pipe that ends the input thread */
	/* console-windows.c: the socket's thread and its events (stop, any) */
	pthread_t sock_thread;
	void *sock_events[2];
	unsigned char queue[CO_CONSOLE_QUEUE];
	size_t head, len;
};

/*
 * Start serving: raw mode if stdin is a terminal, a listening socket at
 * @sock_path (NULL: none), the input thread.
 */
int co_console_start(struct co_console *c, const char *sock_path,
		     struct co_err *err);
void co_console_stop(struct co_console *c);
/* The guest to raise the console virq on (-1 while there is none). */
void co_console_attach_vm(struct co_console *c, int vm_fd);
/* Guest output, to the terminal and every client. */
void co_console_output(struct co_console *c, const void *buf, size_t n);
/* Take up to @room bytes of queued input; returns how many. */
size_t co_console_input(struct co_console *c, void *buf, size_t room);
/* Lock held: queue @n bytes of input (what does not fit is dropped) and
 * tell the guest; co_console_raise() only tells it. */
void co_console_queue(struct co_console *c, const unsigned char *p, size_t n);
void co_console_raise(struct co_console *c);

/*
 * The socket (console-sock.c), for console.c and console-windows.c.
 * Listen at @path: refused when the path is too long or another daemon
 * answers there, a socket file nobody answers on removed first; a host
 * without unix sockets only warns (listen_fd stays -1).
 */
int co_console_listen(struct co_console *c, const char *path,
		      struct co_err *err);
/* Lock held: take a waiting client; read client @i's input. */
void co_console_accept(struct co_console *c);
void co_console_client_input(struct co_console *c, int i);
/* Lock held: guest output to every client, dropped where it is full. */
void co_console_to_clients(struct co_console *c, const void *buf, size_t n);
/* Close the clients and the socket, and remove its file. */
void co_console_unlisten(struct co_console *c);

#endif
