// SPDX-License-Identifier: GPL-2.0
/*
 * console-queue.c --- the console's input queue as the guest reads it: one
 * for both hosts (console.c and console-windows.c fill it).
 */
#include <pthread.h>

#include "console.h"

size_t co_console_input(struct co_console *c, void *buf, size_t room)
{
	unsigned char *p = buf;
	size_t n = 0;

	pthread_mutex_lock(&c->lock);
	while (n < room && c->len) {
		p[n++] = c->queue[c->head];
		c->head = (c->head + 1) % sizeof(c->queue);
		c->len--;
	}
	pthread_mutex_unlock(&c->lock);
	return n;
}
