// SPDX-License-Identifier: GPL-2.0
/*
 * dev-windows.c --- the device layer's host part on Windows (dev.h): the
 * wake-up events are auto-reset event objects, the I/O thread waits with
 * WaitForMultipleObjects, and the driver's calls go through the daemon's
 * OS layer (os-windows.c, DeviceIoControl).  colinux.sys signals no event
 * itself: every notify is an exit to the daemon, which sets the event.
 */
#include <errno.h>
#include <stdint.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "dev.h"
#include "os.h"

static HANDLE handle(int ev)
{
	return (HANDLE)(intptr_t)ev;
}

int co_dev_event_new(void)
{
	HANDLE h = CreateEventA(NULL, FALSE, FALSE, NULL);

	/* A kernel handle has 32 significant bits: it fits the descriptor. */
	return h ? (int)(intptr_t)h : -ENOMEM;
}

void co_dev_event_free(int ev)
{
	CloseHandle(handle(ev));
}

void co_dev_event_set(int ev)
{
	SetEvent(handle(ev));
}

void co_dev_event_clear(int ev)
{
	ResetEvent(handle(ev));
}

/*
 * WaitForMultipleObjects reports the first event set and resets it; the
 * others are looked at (and reset) without waiting.
 */
uint64_t co_dev_event_wait(const int *ev, unsigned int n)
{
	HANDLE h[COLINUX_MAX_QUEUES + 1] = { 0 };
	uint64_t set;
	DWORD first;
	unsigned int i;

	for (i = 0; i < n; i++)
		h[i] = handle(ev[i]);
	first = WaitForMultipleObjects(n, h, FALSE, INFINITE);
	if (first >= WAIT_OBJECT_0 + n)
		return 0;
	set = 1ull << (first - WAIT_OBJECT_0);
	for (i = first - WAIT_OBJECT_0 + 1; i < n; i++)
		if (WaitForSingleObject(h[i], 0) == WAIT_OBJECT_0)
			set |= 1ull << i;
	return set;
}

int co_dev_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	return pthread_create(t, NULL, fn, arg);
}

/*
 * From the device's I/O thread, on the handle the RUN thread uses: that
 * handle is synchronous (os-windows.c), and Windows serializes the calls on
 * a synchronous handle, so once colinux.sys runs guests a RAISE_VIRQ would
 * wait for RUN to return; the handle must then become overlapped.
 */
int co_dev_raise(int vm_fd, struct colinux_virq *v)
{
	return co_os_driver_call(vm_fd, COLINUX_RAISE_VIRQ, v) < 0 ? -errno : 0;
}

int co_dev_set_ioeventfd(int vm_fd, struct colinux_ioeventfd *io)
{
	return -EOPNOTSUPP;
}
