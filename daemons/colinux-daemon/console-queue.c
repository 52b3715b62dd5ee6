// SPDX-License-Identifier: GPL-2.0
/*
 * console-queue.c --- the console's input queue: one for both hosts
 * (console.c and console-windows.c fill it, the guest reads it), and the
 * console virq that tells the guest.
 */
#include <pthread.h>

#include <colinux/ioctl.h>

#include "console.h"
#include "os.h"

void co_console_raise(struct co_console *c)
{
	struct colinux_virq v = {
		.size = sizeof(v),
		.abi_version = COLINUX_ABI_VERSION,
		.virqs = 1ULL << COLINUX_VIRQ_CONSOLE,
	};

	if (c->vm_fd >= 0)
		co_os_driver_call(c->vm_fd, COLINUX_RAISE_VIRQ, &v);
}

void co_console_attach_vm(struct co_console *c, int vm_fd)
{
	pthread_mutex_lock(&c->lock);
	c->vm_fd = vm_fd;
	/* Input typed before the guest was there is for it all the same. */
	if (c->len)
		co_console_raise(c);
	pthread_mutex_unlock(&c->lock);
}

void co_console_queue(struct co_console *c, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && c->len < sizeof(c->queue); i++, c->len++)
		c->queue[(c->head + c->len) % sizeof(c->queue)] = p[i];
	if (n)
		co_console_raise(c);
}

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
