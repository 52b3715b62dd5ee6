/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vm.h --- one boot of the guest: open the driver, get RAM, load the
 * kernel and initramfs, run until the guest stops.
 */
#ifndef CO_VM_H
#define CO_VM_H

#include <stddef.h>
#include <stdint.h>

#include <colinux/ioctl.h>
#include <co/cfg.h>

#include "console.h"
#include "dev.h"
#include "elf.h"
#include "gmem.h"

/* How a run of the guest ended. */
enum co_vm_end {
	CO_VM_POWEROFF,
	CO_VM_HALT,
	CO_VM_REBOOT,
	CO_VM_PANIC,
	CO_VM_FAULT, /* an exception killed it; the daemon said why */
	CO_VM_STOPPED, /* a signal or Ctrl-] q */
	CO_VM_ERROR, /* it could not be started or run */
	CO_VM_NO_DRIVER, /* the driver is not loaded */
	CO_VM_DRIVER_VERSION, /* the driver speaks another ABI version */
};

struct co_vm {
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
	/*
	 * The device table (linux/colinux.h): the daemon sets nr_devices
	 * (at most COLINUX_MAX_DEVICES) before co_vm_load(), which places the
	 * table in guest RAM beside the shared page and sets dev_table (the
	 * daemon's pointer to it, NULL without devices) and dev_table_pa,
	 * entries zeroed, for the device layer to fill before the first RUN.
	 */
	unsigned int nr_devices;
	struct colinux_device *dev_table; /* guest memory: untrusted */
	uint64_t dev_table_pa;
	/* the virtio devices (dev.h), made before the first boot */
	struct co_devs *devs;
};

/* Read and check the kernel named by cfg->kernel; 0 or -errno (logged). */
int co_vm_read_kernel(struct co_vm *g);
/*
 * Load the guest into RAM that SETUP gave (load.c) and fill @r with its
 * first registers; 0 or -1 (logged).
 */
int co_vm_load(struct co_vm *g, struct colinux_regs *r);
/* One boot, from SETUP to the guest's end; everything is released after. */
enum co_vm_end co_vm_boot(struct co_vm *g);
/*
 * From a signal handler on the RUN thread, after setting the stop flag:
 * make the RUN in progress or about to start return at once (KVM's
 * immediate_exit), so that the RUN loop looks at the flag.  Every other
 * thread must keep SIGINT, SIGTERM and SIGUSR1 blocked.
 */
void co_vm_interrupt(void);

#endif
