/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev.h --- the virtio devices of colinux-daemon: one ops table per device
 * type, the device table in guest RAM, the guest's COLINUX_OP_DEVICE and
 * COLINUX_OP_NOTIFY calls, and one I/O thread per device.
 *
 * Life of a device: created from the configuration before the first boot
 * (co_devs_create: images opened and locked, errors are one line naming the
 * key); for each boot co_devs_attach() fills the entries of the table the
 * loader placed in guest RAM and co_devs_detach() quiesces everything before
 * the RAM goes away; co_devs_destroy() at exit.
 *
 * The table entry is guest memory: at each DEVICE call the fields needed are
 * copied into struct co_dev and checked (memo A.3, B.3 rule 1); the I/O
 * paths never read addresses from the entry again.  The I/O thread runs from
 * DRIVER_OK to the next reset; RESET returns only when it has stopped, so no
 * late completion can write into memory the guest has reused (memo A.8).
 * Notifications reach the thread through one wake-up event per queue: set
 * by the RUN thread for a NOTIFY exit, or signalled by the driver itself once
 * it is registered (COLINUX_SET_IOEVENTFD).  The events, the thread's wait
 * and the driver's calls are the host's (dev-linux.c: eventfds, poll and
 * ioctl; dev-windows.c: event objects and WaitForMultipleObjects, notifies
 * always through the daemon); the rest is dev.c, on both.
 */
#ifndef CO_DEV_H
#define CO_DEV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/colinux.h>
#include <colinux/ioctl.h>
#include <co/cfg.h>
#include <co/err.h>

#include "gmem.h"
#include "virtq.h"

struct co_dev;

struct co_dev_ops {
	const char *name; /* "cobd": with the unit, the device's name */
	uint32_t type; /* VIRTIO_ID_* */
	/*
	 * Optional: may the guest use @features (already a subset of the
	 * offer, VERSION_1 included)?  Device-specific rules.
	 */
	bool (*features_ok)(struct co_dev *dev, uint64_t features);
	/*
	 * Buffers arrived in queue @q; runs on the device's I/O thread, which
	 * owns the queues (co_dev_serve does the usual loop).
	 */
	void (*notify)(struct co_dev *dev, unsigned int q);
	/*
	 * Optional: the I/O thread's own loop instead of the usual one (which
	 * polls the queues' eventfds and calls notify); it must return soon
	 * after dev->stop becomes readable.
	 */
	void (*run)(struct co_dev *dev);
	/* Optional: the guest wrote config[@off, @off + @len). */
	int (*config_write)(struct co_dev *dev, unsigned int off,
			    unsigned int len);
	/* Optional: the I/O thread has stopped; drop per-run state. */
	void (*reset)(struct co_dev *dev);
	/* Close what realize opened; free the device. */
	void (*destroy)(struct co_dev *dev);
};

struct co_dev_stats {
	uint64_t notifies, irqs, suppressed, requests;
};

struct co_dev {
	const struct co_dev_ops *ops;
	char name[16]; /* "cobd0" */
	unsigned int index, unit, virq, nr_queues;
	uint16_t num_max;
	uint64_t host_features;
	uint8_t config[COLINUX_CONFIG_MAX];
	uint32_t config_len;
	/* this boot */
	struct colinux_device *entry; /* guest memory: untrusted */
	const struct co_gmem *gm;
	int vm_fd;
	uint64_t features; /* accepted at FEATURES_OK */
	uint32_t status; /* as accepted */
	struct co_vq vq[COLINUX_MAX_QUEUES];
	int kick[COLINUX_MAX_QUEUES]; /* wake-up event per queue */
	int stop; /* event that ends the I/O thread */
	pthread_t thread;
	bool running;
	bool failed; /* NEEDS_RESET was set; logged once */
	struct co_vq_chain *chain; /* the I/O thread's */
	struct co_dev_stats st;
};

struct co_devs {
	unsigned int nr;
	struct co_dev *dev[COLINUX_MAX_DEVICES];
};

/* Open every device of @cfg; 0, or -errno with one line in @err. */
int co_devs_create(struct co_devs *s, const struct co_cfg *cfg,
		   struct co_err *err);
void co_devs_destroy(struct co_devs *s);

/*
 * This boot: @table has s->nr zeroed entries in guest RAM (the loader's);
 * fill them.  @vm_fd raises the virtual IRQs.  0 or -1 (logged).
 */
int co_devs_attach(struct co_devs *s, struct colinux_device *table,
		   const struct co_gmem *gm, int vm_fd);
/* Quiesce every device; after it nothing touches guest RAM. */
void co_devs_detach(struct co_devs *s);

/* COLINUX_OP_DEVICE(@index, @what, @a2, @a3): 0 or -errno for the guest. */
int64_t co_devs_call(struct co_devs *s, uint64_t index, uint64_t what,
		     uint64_t a2, uint64_t a3);
/* COLINUX_OP_NOTIFY(@index, @q) that reached the daemon. */
int64_t co_devs_notify(struct co_devs *s, uint64_t index, uint64_t q);

/*
 * For device code: fill the common part of @dev (name, queues, eventfds);
 * 0 or -errno.  co_dev_fini() undoes it.
 */
int co_dev_init(struct co_dev *dev, const struct co_dev_ops *ops,
		unsigned int unit, unsigned int nr_queues, uint16_t num_max);
void co_dev_fini(struct co_dev *dev);
/*
 * The usual queue loop: pop chains from @q, hand each to @handle (which
 * returns the used length), push, raise the IRQ once per batch if the guest
 * wants it, and go on until the ring is empty with notifications enabled.
 */
void co_dev_serve(struct co_dev *dev, unsigned int q,
		  uint32_t (*handle)(struct co_dev *, struct co_vq_chain *));
/*
 * Queue @q broke (reason in dev->vq[q].why): NEEDS_RESET, a config
 * interrupt and one line, once.
 */
void co_dev_queue_broken(struct co_dev *dev, unsigned int q);
/* Used buffers or a config change (COLINUX_ISR_*): OR isr, raise the virq. */
void co_dev_irq(struct co_dev *dev, uint32_t isr);

/*
 * The host's part (dev-linux.c, dev-windows.c).  An event is a descriptor:
 * an eventfd on Linux, an event object's handle on Windows (a kernel handle
 * has 32 significant bits).  Set, it stays set until a wait or a clear.
 */
int co_dev_event_new(void); /* the event, or -errno */
void co_dev_event_free(int ev);
void co_dev_event_set(int ev);
void co_dev_event_clear(int ev);
/*
 * Wait until one of @ev[0..@n) is set (@n <= COLINUX_MAX_QUEUES + 1);
 * clear those that are and return them as a mask (bit i: @ev[i]).  0 when
 * the wait itself failed.
 */
uint64_t co_dev_event_wait(const int *ev, unsigned int n);
/* Start @fn(@arg) on a thread of its own (no signals on Linux): 0 or errno. */
int co_dev_thread(pthread_t *t, void *(*fn)(void *), void *arg);
/* COLINUX_RAISE_VIRQ through the driver @vm_fd: 0 or -errno. */
int co_dev_raise(int vm_fd, struct colinux_virq *v);
/*
 * COLINUX_SET_IOEVENTFD: 0, or -errno; -EOPNOTSUPP where the host's driver
 * never takes the events (each notify is then an exit to the daemon).
 */
int co_dev_set_ioeventfd(int vm_fd, struct colinux_ioeventfd *io);

#endif
