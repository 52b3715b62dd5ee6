/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest.h --- one boot of the guest: open the driver, get RAM, load the
 * kernel and initramfs, run until the guest stops.
 */
#ifndef CO_GUEST_H
#define CO_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include <colinux/ioctl.h>
#include <co/cfg.h>

#include "console.h"
#include "elf.h"
#include "gmem.h"

/* How a run of the guest ended. */
enum co_guest_end {
	CO_GUEST_POWEROFF,
	CO_GUEST_HALT,
	CO_GUEST_REBOOT,
	CO_GUEST_PANIC,
	CO_GUEST_FAULT, /* an exception killed it; the daemon said why */
	CO_GUEST_STOPPED, /* a signal or Ctrl-] q */
	CO_GUEST_ERROR, /* it could not be started or run */
};

struct co_guest {
	const struct co_cfg *cfg;
	struct co_console *con;
	volatile int *stop_signal; /* set by SIGINT/SIGTERM */
	/* the kernel file, read once for every boot */
	void *kernel;
	size_t kernel_len;
	struct co_elf_kernel kinfo;
	/* this boot */
	int fd;
	struct colinux_setup setup;
	void *ram;
	struct co_gmem gm;
};

/* Read and check the kernel named by cfg->kernel; 0 or -errno (logged). */
int co_guest_read_kernel(struct co_guest *g);
/* One boot, from SETUP to the guest's end; everything is released after. */
enum co_guest_end co_guest_boot(struct co_guest *g);

#endif
