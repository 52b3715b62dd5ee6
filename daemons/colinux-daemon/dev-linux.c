// SPDX-License-Identifier: GPL-2.0
/*
 * dev-linux.c --- the device layer's host part on Linux (dev.h): eventfds,
 * which colinux.ko signals itself for the guest's notifies once they are
 * registered (COLINUX_SET_IOEVENTFD), poll, and the driver's ioctls.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dev.h"

int co_dev_event_new(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	return fd < 0 ? -errno : fd;
}

void co_dev_event_free(int ev)
{
	close(ev);
}

void co_dev_event_set(int ev)
{
	eventfd_write(ev, 1);
}

void co_dev_event_clear(int ev)
{
	eventfd_t v;

	eventfd_read(ev, &v);
}

uint64_t co_dev_event_wait(const int *ev, unsigned int n)
{
	struct pollfd p[COLINUX_MAX_QUEUES + 1];
	uint64_t set = 0;
	eventfd_t v;
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = ev[i], .events = POLLIN };
	while (!set) {
		if (poll(p, n, -1) < 0 && errno != EINTR)
			return 0;
		for (i = 0; i < n; i++)
			if (p[i].revents && !eventfd_read(ev[i], &v))
				set |= 1ull << i;
	}
	return set;
}

int co_dev_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int ret;

	/* Signals are for the RUN thread: they interrupt RUN. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

int co_dev_raise(int vm_fd, struct colinux_virq *v)
{
	return ioctl(vm_fd, COLINUX_RAISE_VIRQ, v) ? -errno : 0;
}

int co_dev_set_ioeventfd(int vm_fd, struct colinux_ioeventfd *io)
{
	return ioctl(vm_fd, COLINUX_SET_IOEVENTFD, io) ? -errno : 0;
}
