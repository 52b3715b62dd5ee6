/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtq.h --- the device side of a virtio split virtqueue (pure: no I/O, no
 * logging, no threads).
 *
 * Everything in the ring is the guest's and may change under our feet, so:
 * the ring addresses are checked and translated once (co_vq_setup); every
 * index read from the ring is checked against the queue size; every
 * descriptor is copied once and only the copy is used; a chain is at most
 * "num" descriptors long, indirect ones included, which also ends loops; all
 * device-readable buffers come before all device-writable ones; every
 * buffer lies in guest RAM (co_gmem_ptr) and is handed out as iovecs, so no
 * write can land outside guest RAM.  The first violation marks the queue
 * broken with one line in vq->why; the queue then refuses all work until
 * co_vq_setup() runs again (the device answers with NEEDS_RESET).
 *
 * One thread owns a queue (pops, pushes, decides interrupts); the guest is
 * the only other party, and the barriers below are what the virtio spec asks
 * of a device.
 */
#ifndef CO_VIRTQ_H
#define CO_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "gmem.h"

#define CO_VQ_NUM_MAX 32768 /* the split-ring limit */
/* A chain is refused beyond this many bytes in total (both directions). */
#define CO_VQ_MAX_BYTES (64u << 20)
/* iovecs per chain: a descriptor that crosses guest RAM blocks takes more. */
#define CO_VQ_MAX_IOV 1024

/* What the guest wrote for a queue (struct colinux_vq), copied. */
struct co_vq_addr {
	uint16_t num;
	uint64_t desc, avail, used;
};

struct co_vq {
	const struct co_gmem *gm;
	uint16_t num;
	bool event_idx; /* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect; /* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool broken;
	uint8_t *desc, *avail, *used; /* the daemon's view of the three areas */
	uint16_t last_avail; /* next available entry to take */
	uint16_t used_idx; /* our copy of used->idx */
	uint16_t signalled; /* used_idx at the last interrupt decision */
	char why[160]; /* the first violation, for the device's log line */
};

/* A popped chain: out[] (device-readable) then in[] (device-writable). */
struct co_vq_chain {
	uint16_t head;
	unsigned int nout, nin; /* iov[0..nout) readable, then nin writable */
	uint64_t out_len, in_len;
	struct iovec iov[CO_VQ_MAX_IOV];
};

/*
 * Check a queue's setup and translate its areas (rule: @a->num a power of
 * two, 1..@num_max; desc 16-, avail 2-, used 4-byte aligned; the areas,
 * event-index fields included, inside guest RAM).  0, or -EINVAL with the
 * reason in vq->why.
 */
int co_vq_setup(struct co_vq *vq, const struct co_gmem *gm,
		const struct co_vq_addr *a, uint16_t num_max, bool event_idx,
		bool indirect);

/*
 * Take the next available chain: 1 with @c filled, 0 if there is none, or
 * -EIO when the ring is broken (reason in vq->why; sticky).
 */
int co_vq_pop(struct co_vq *vq, struct co_vq_chain *c);

/* Give @head back as used, with @len bytes written into its in[] buffers. */
void co_vq_push(struct co_vq *vq, uint16_t head, uint32_t len);

/*
 * After pushes: does the guest want an interrupt now?  (Event index:
 * vring_need_event() against used_event; otherwise the NO_INTERRUPT flag.)
 * Issues the full fence between the used index and used_event.
 */
bool co_vq_need_irq(struct co_vq *vq);

/*
 * Before sleeping: ask the guest to notify for the next buffer (avail_event
 * or the NO_NOTIFY flag); true if buffers arrived meanwhile, so the caller
 * must not sleep.  co_vq_disable_notify() is the opposite, while working.
 */
bool co_vq_enable_notify(struct co_vq *vq);
void co_vq_disable_notify(struct co_vq *vq);

/* Copy up to @len bytes from @iov[0..@n) at byte @skip into @buf; bytes. */
size_t co_iov_to_buf(const struct iovec *iov, unsigned int n, size_t skip,
		     void *buf, size_t len);
/* Copy @len bytes of @buf into @iov[0..@n) at byte @skip; bytes copied. */
size_t co_iov_from_buf(const struct iovec *iov, unsigned int n, size_t skip,
		       const void *buf, size_t len);
/*
 * @dst = the bytes [@skip, @skip + @len) of @src[0..@n) as iovecs; their
 * number, or -1 if @max is too small or @src too short.
 */
int co_iov_slice(const struct iovec *src, unsigned int n, size_t skip,
		 size_t len, struct iovec *dst, unsigned int max);

#endif
