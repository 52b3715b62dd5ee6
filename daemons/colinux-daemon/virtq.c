// SPDX-License-Identifier: GPL-2.0
/*
 * virtq.c --- split virtqueue, device side (pure; contract in virtq.h).
 *
 * Layout (virtio 1.x, little-endian), for a queue of num entries:
 *   desc:  num * struct vring_desc {le64 addr; le32 len; le16 flags, next}
 *   avail: le16 flags, le16 idx, le16 ring[num], le16 used_event
 *   used:  le16 flags, le16 idx, {le32 id, le32 len} ring[num],
 *          le16 avail_event
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/virtio_ring.h>

#include "virtq.h"

static int broken(struct co_vq *vq, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record the first violation; every later call fails at once. */
static int broken(struct co_vq *vq, const char *fmt, ...)
{
	va_list ap;

	if (!vq->broken) {
		va_start(ap, fmt);
		vsnprintf(vq->why, sizeof(vq->why), fmt, ap);
		va_end(ap);
	}
	vq->broken = true;
	return -EIO;
}

static uint16_t load16(const uint8_t *p)
{
	return le16toh(__atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED));
}

static uint16_t load16_acquire(const uint8_t *p)
{
	return le16toh(__atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE));
}

static void store16(uint8_t *p, uint16_t v)
{
	__atomic_store_n((uint16_t *)p, htole16(v), __ATOMIC_RELAXED);
}

static void store32(uint8_t *p, uint32_t v)
{
	__atomic_store_n((uint32_t *)p, htole32(v), __ATOMIC_RELAXED);
}

/*
 * The block holding @pa: the daemon's pointer and, in *@got, how many bytes
 * of [@pa, @pa + @len) it holds.  NULL outside guest RAM.
 */
static void *piece(const struct co_gmem *gm, uint64_t pa, uint64_t len,
		   uint64_t *got)
{
	for (unsigned int i = 0; i < gm->nr; i++) {
		const struct co_gmem_block *b = &gm->blk[i];
		uint64_t room;

		if (pa < b->phys || pa - b->phys >= b->size)
			continue;
		room = b->size - (pa - b->phys);
		*got = len < room ? len : room;
		return co_gmem_ptr(gm, pa, *got);
	}
	return NULL;
}

/*
 * [@pa, @pa + @len) as one run of the daemon's mapping (blocks adjacent in
 * both address spaces), or NULL.  @len > 0.
 */
static uint8_t *map_contig(const struct co_gmem *gm, uint64_t pa, uint64_t len)
{
	uint8_t *start, *p, *end;
	uint64_t got;

	start = piece(gm, pa, len, &got);
	if (!start)
		return NULL;
	end = start + got;
	while ((len -= got)) {
		pa += got;
		p = piece(gm, pa, len, &got);
		if (p != end)
			return NULL;
		end += got;
	}
	return start;
}

int co_vq_setup(struct co_vq *vq, const struct co_gmem *gm,
		const struct co_vq_addr *a, uint16_t num_max, bool event_idx,
		bool indirect)
{
	uint64_t n = a->num;

	memset(vq, 0, sizeof(*vq));
	vq->gm = gm;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	if (!n || n > num_max || n > CO_VQ_NUM_MAX || (n & (n - 1))) {
		broken(vq, "size %u is not a power of two from 1 to %u", a->num,
		       num_max);
		return -EINVAL;
	}
	if ((a->desc & 15) || (a->avail & 1) || (a->used & 3)) {
		broken(vq,
		       "misaligned ring (desc %#llx, avail %#llx, used %#llx)",
		       (unsigned long long)a->desc,
		       (unsigned long long)a->avail,
		       (unsigned long long)a->used);
		return -EINVAL;
	}
	vq->desc = map_contig(gm, a->desc, 16 * n);
	vq->avail = map_contig(gm, a->avail, 6 + 2 * n);
	vq->used = map_contig(gm, a->used, 6 + 8 * n);
	if (!vq->desc || !vq->avail || !vq->used) {
		broken(vq,
		       "ring outside guest RAM (desc %#llx, avail %#llx, used %#llx, size %u)",
		       (unsigned long long)a->desc,
		       (unsigned long long)a->avail,
		       (unsigned long long)a->used, a->num);
		return -EINVAL;
	}
	vq->num = a->num;
	return 0;
}

/*
 * Read a descriptor once: the guest may rewrite it at any time, so only the
 * copy is used (the barrier keeps the compiler from reading it again).
 */
static void copy_desc(struct vring_desc *d, const uint8_t *p)
{
	memcpy(d, p, sizeof(*d));
	__asm__ __volatile__("" : : "r"(d) : "memory");
	d->addr = le64toh(d->addr);
	d->len = le32toh(d->len);
	d->flags = le16toh(d->flags);
	d->next = le16toh(d->next);
}

/* Append guest [@pa, @pa + @len) to the chain's iovecs. */
static int map_buffer(struct co_vq *vq, struct co_vq_chain *c, uint64_t pa,
		      uint64_t len, bool in)
{
	unsigned int n = c->nout + c->nin;
	uint64_t got;
	void *p;

	while (len) {
		p = piece(vq->gm, pa, len, &got);
		if (!p)
			return broken(
				vq,
				"buffer %#llx+%llu outside guest RAM (head %u)",
				(unsigned long long)pa, (unsigned long long)len,
				c->head);
		if (n == CO_VQ_MAX_IOV)
			return broken(
				vq,
				"chain from head %u has more than %d pieces",
				c->head, CO_VQ_MAX_IOV);
		c->iov[n].iov_base = p;
		c->iov[n++].iov_len = got;
		if (in)
			c->nin++;
		else
			c->nout++;
		pa += got;
		len -= got;
	}
	return 0;
}

static int add_buffer(struct co_vq *vq, struct co_vq_chain *c,
		      const struct vring_desc *d)
{
	bool in = d->flags & VRING_DESC_F_WRITE;

	if (!in && c->nin)
		return broken(
			vq,
			"chain from head %u: a device-readable buffer after a device-writable one",
			c->head);
	if (c->out_len + c->in_len + d->len > CO_VQ_MAX_BYTES)
		return broken(vq, "chain from head %u is longer than %u bytes",
			      c->head, CO_VQ_MAX_BYTES);
	if (in)
		c->in_len += d->len;
	else
		c->out_len += d->len;
	return map_buffer(vq, c, d->addr, d->len, in);
}

/* Switch the walk to the indirect table @d names. */
static int enter_indirect(struct co_vq *vq, const struct co_vq_chain *c,
			  const struct vring_desc *d, bool nested,
			  const uint8_t **table, uint32_t *tnum)
{
	if (!vq->indirect)
		return broken(
			vq,
			"chain from head %u: indirect descriptor, not negotiated",
			c->head);
	if (nested)
		return broken(
			vq,
			"chain from head %u: indirect descriptor inside an indirect table",
			c->head);
	if (d->flags & VRING_DESC_F_NEXT)
		return broken(
			vq, "chain from head %u: indirect descriptor with NEXT",
			c->head);
	if (!d->len || d->len % 16 || d->len / 16 > vq->num)
		return broken(
			vq,
			"chain from head %u: indirect table of %u bytes (a multiple of 16, at most %u)",
			c->head, d->len, 16 * vq->num);
	*table = map_contig(vq->gm, d->addr, d->len);
	if (!*table)
		return broken(
			vq,
			"chain from head %u: indirect table %#llx+%u outside guest RAM",
			c->head, (unsigned long long)d->addr, d->len);
	*tnum = d->len / 16;
	return 0;
}

/*
 * Follow the chain from @head.  At most num descriptors are read (the
 * indirect descriptor itself aside), which bounds the walk and ends loops.
 */
static int walk(struct co_vq *vq, uint16_t head, struct co_vq_chain *c)
{
	const uint8_t *table = vq->desc;
	uint32_t tnum = vq->num, ttl = vq->num, i = head;
	bool nested = false;
	struct vring_desc d;
	int ret;

	for (;;) {
		if (!ttl--)
			return broken(
				vq,
				"chain from head %u is longer than the queue (%u): a loop?",
				head, vq->num);
		copy_desc(&d, table + 16 * i);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			ret = enter_indirect(vq, c, &d, nested, &table, &tnum);
			if (ret)
				return ret;
			nested = true;
			ttl++;
			i = 0;
			continue;
		}
		ret = add_buffer(vq, c, &d);
		if (ret)
			return ret;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		if (d.next >= tnum)
			return broken(
				vq,
				"chain from head %u: next %u outside a table of %u",
				head, d.next, tnum);
		i = d.next;
	}
}

int co_vq_pop(struct co_vq *vq, struct co_vq_chain *c)
{
	uint16_t idx, pending, head;
	int ret;

	if (vq->broken || !vq->num)
		return -EIO;
	idx = load16_acquire(vq->avail + 2);
	pending = (uint16_t)(idx - vq->last_avail);
	if (!pending)
		return 0;
	if (pending > vq->num)
		return broken(
			vq,
			"available index %u runs %u ahead of %u (queue size %u)",
			idx, pending, vq->last_avail, vq->num);
	head = load16(vq->avail + 4 + 2 * (vq->last_avail & (vq->num - 1)));
	if (head >= vq->num)
		return broken(vq, "available head %u outside the queue (%u)",
			      head, vq->num);
	c->head = head;
	c->nout = c->nin = 0;
	c->out_len = c->in_len = 0;
	ret = walk(vq, head, c);
	if (ret)
		return ret;
	vq->last_avail++;
	return 1;
}

void co_vq_push(struct co_vq *vq, uint16_t head, uint32_t len)
{
	uint8_t *e;

	if (!vq->num)
		return;
	e = vq->used + 4 + 8 * (vq->used_idx & (vq->num - 1));
	store32(e, head);
	store32(e + 4, len);
	vq->used_idx++;
	/* The element before the index that publishes it. */
	__atomic_store_n((uint16_t *)(vq->used + 2), htole16(vq->used_idx),
			 __ATOMIC_RELEASE);
}

bool co_vq_need_irq(struct co_vq *vq)
{
	uint16_t old = vq->signalled;
	bool need;

	if (!vq->num)
		return false;
	/* used->idx (store) before used_event (load): only a full fence. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vq->signalled = vq->used_idx;
	if (vq->event_idx)
		need = vring_need_event(load16(vq->avail + 4 + 2 * vq->num),
					vq->used_idx, old);
	else
		need = vq->used_idx != old &&
		       !(load16(vq->avail) & VRING_AVAIL_F_NO_INTERRUPT);
	return need;
}

bool co_vq_enable_notify(struct co_vq *vq)
{
	if (vq->broken || !vq->num)
		return false;
	if (vq->event_idx)
		store16(vq->used + 4 + 8 * vq->num, vq->last_avail);
	else
		store16(vq->used, 0);
	/* Our request (store) before the guest's index (load). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return load16_acquire(vq->avail + 2) != vq->last_avail;
}

void co_vq_disable_notify(struct co_vq *vq)
{
	if (vq->num && !vq->event_idx)
		store16(vq->used, VRING_USED_F_NO_NOTIFY);
}

/* Copy between @buf and the bytes of @iov after @skip, either way. */
static size_t iov_copy(const struct iovec *iov, unsigned int n, size_t skip,
		       uint8_t *buf, size_t len, bool into_iov)
{
	size_t done = 0, take;
	uint8_t *p;

	for (unsigned int i = 0; i < n && done < len; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		take = iov[i].iov_len - skip;
		if (take > len - done)
			take = len - done;
		p = (uint8_t *)iov[i].iov_base + skip;
		if (into_iov)
			memcpy(p, buf + done, take);
		else
			memcpy(buf + done, p, take);
		done += take;
		skip = 0;
	}
	return done;
}

size_t co_iov_to_buf(const struct iovec *iov, unsigned int n, size_t skip,
		     void *buf, size_t len)
{
	return iov_copy(iov, n, skip, buf, len, false);
}

size_t co_iov_from_buf(const struct iovec *iov, unsigned int n, size_t skip,
		       const void *buf, size_t len)
{
	/* iov_copy() only reads @buf in this direction. */
	return iov_copy(iov, n, skip, (uint8_t *)buf, len, true);
}

int co_iov_slice(const struct iovec *src, unsigned int n, size_t skip,
		 size_t len, struct iovec *dst, unsigned int max)
{
	unsigned int out = 0;
	size_t take;

	for (unsigned int i = 0; i < n && len; i++) {
		if (skip >= src[i].iov_len) {
			skip -= src[i].iov_len;
			continue;
		}
		if (out == max)
			return -1;
		take = src[i].iov_len - skip;
		if (take > len)
			take = len;
		dst[out].iov_base = (uint8_t *)src[i].iov_base + skip;
		dst[out++].iov_len = take;
		len -= take;
		skip = 0;
	}
	return len ? -1 : (int)out;
}
