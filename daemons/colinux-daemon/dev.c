// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c --- virtio devices: table, DEVICE/NOTIFY calls, I/O threads (dev.h);
 * the host's events and driver calls are dev-linux.c or dev-windows.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <colinux/ioctl.h>
#include <co/log.h>

#include "cobd.h"
#include "cofs.h"
#include "conet.h"
#include "dev.h"

/* What every device offers on top of its own features. */
#define TRANSPORT_FEATURES                                                  \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_EVENT_IDX) | \
	 (1ull << VIRTIO_RING_F_INDIRECT_DESC))

#define GUEST(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)

int co_dev_init(struct co_dev *dev, const struct co_dev_ops *ops,
		unsigned int unit, unsigned int nr_queues, uint16_t num_max)
{
	unsigned int q;

	dev->ops = ops;
	dev->unit = unit;
	dev->nr_queues = nr_queues;
	dev->num_max = num_max;
	dev->host_features |= TRANSPORT_FEATURES;
	snprintf(dev->name, sizeof(dev->name), "%s%u", ops->name, unit);
	dev->stop = co_dev_event_new();
	for (q = 0; q < COLINUX_MAX_QUEUES; q++)
		dev->kick[q] = q < nr_queues ? co_dev_event_new() : -1;
	dev->chain = malloc(sizeof(*dev->chain));
	for (q = 0; q < nr_queues; q++)
		if (dev->kick[q] < 0)
			break;
	if (dev->stop < 0 || q < nr_queues || !dev->chain) {
		co_dev_fini(dev);
		return -ENOMEM;
	}
	return 0;
}

void co_dev_fini(struct co_dev *dev)
{
	for (unsigned int q = 0; q < COLINUX_MAX_QUEUES; q++)
		if (dev->kick[q] >= 0)
			co_dev_event_free(dev->kick[q]);
	if (dev->stop >= 0)
		co_dev_event_free(dev->stop);
	free(dev->chain);
	dev->chain = NULL;
}

void co_dev_irq(struct co_dev *dev, uint32_t isr)
{
	struct colinux_virq v = {
		.size = sizeof(v),
		.abi_version = COLINUX_ABI_VERSION,
		.virqs = 1ull << dev->virq,
	};
	int ret;

	__atomic_fetch_or(&dev->entry->isr, isr, __ATOMIC_SEQ_CST);
	dev->st.irqs++;
	ret = co_dev_raise(dev->vm_fd, &v);
	if (ret)
		co_warn("%s: raising virtual IRQ %u: %s", dev->name, dev->virq,
			strerror(-ret));
}

/* A ring broke: NEEDS_RESET, a config interrupt, one line (memo B.3.6). */
void co_dev_queue_broken(struct co_dev *dev, unsigned int q)
{
	if (dev->failed)
		return;
	dev->failed = true;
	co_err("%s: queue %u: %s; the device stops until the guest resets it",
	       dev->name, q, dev->vq[q].why);
	__atomic_fetch_or(&dev->entry->status, VIRTIO_CONFIG_S_NEEDS_RESET,
			  __ATOMIC_SEQ_CST);
	co_dev_irq(dev, COLINUX_ISR_CONFIG);
}

void co_dev_serve(struct co_dev *dev, unsigned int q,
		  uint32_t (*handle)(struct co_dev *, struct co_vq_chain *))
{
	struct co_vq *vq = &dev->vq[q];
	bool pushed;
	int ret;

	do {
		co_vq_disable_notify(vq);
		pushed = false;
		while ((ret = co_vq_pop(vq, dev->chain)) > 0) {
			co_vq_push(vq, dev->chain->head,
				   handle(dev, dev->chain));
			dev->st.requests++;
			pushed = true;
		}
		if (ret < 0) {
			co_dev_queue_broken(dev, q);
			return;
		}
		if (pushed && co_vq_need_irq(vq))
			co_dev_irq(dev, COLINUX_ISR_USED);
		else if (pushed)
			dev->st.suppressed++;
	} while (co_vq_enable_notify(vq));
}

static void *io_thread(void *arg)
{
	struct co_dev *dev = arg;
	int ev[COLINUX_MAX_QUEUES + 1];
	unsigned int q, n = dev->nr_queues;
	uint64_t set;

	if (dev->ops->run) {
		dev->ops->run(dev);
		return NULL;
	}
	for (q = 0; q < n; q++) {
		ev[q] = dev->kick[q];
		dev->ops->notify(dev, q); /* buffers made ready before */
	}
	ev[n] = dev->stop;
	for (;;) {
		set = co_dev_event_wait(ev, n + 1);
		if (!set || set & (1ull << n))
			break;
		for (q = 0; q < n; q++)
			if (set & (1ull << q))
				dev->ops->notify(dev, q);
	}
	return NULL;
}

static int start(struct co_dev *dev)
{
	int ret = co_dev_thread(&dev->thread, io_thread, dev);

	if (ret) {
		co_err("%s: cannot start its I/O thread: %s", dev->name,
		       strerror(ret));
		return -ret;
	}
	dev->running = true;
	return 0;
}

/* Stop the I/O thread; when this returns, the device touches no ring. */
static void quiesce(struct co_dev *dev)
{
	if (dev->running) {
		co_dev_event_set(dev->stop);
		pthread_join(dev->thread, NULL);
		co_dev_event_clear(dev->stop);
		dev->running = false;
	}
	for (unsigned int q = 0; q < dev->nr_queues; q++)
		co_dev_event_clear(dev->kick[q]);
	if (dev->ops->reset)
		dev->ops->reset(dev);
	memset(dev->vq, 0, sizeof(dev->vq));
	dev->features = 0;
	dev->status = 0;
	dev->failed = false;
}

/* RESET (memo A.8): quiet first, then the entry as the guest expects it. */
static void reset(struct co_dev *dev)
{
	struct colinux_device *e = dev->entry;

	quiesce(dev);
	__atomic_store_n(&e->status, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->isr, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->guest_features, 0, __ATOMIC_RELAXED);
	for (unsigned int q = 0; q < COLINUX_MAX_QUEUES; q++) {
		e->vq[q].num = 0;
		e->vq[q].ready = 0;
		e->vq[q].desc = e->vq[q].avail = e->vq[q].used = 0;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* FEATURES_OK (memo A.3): a subset of the offer, VERSION_1, device rules. */
static bool features_ok(struct co_dev *dev, uint64_t g)
{
	if (g & ~dev->host_features) {
		co_warn("%s: the guest wants features %#llx that were not offered",
			dev->name,
			(unsigned long long)(g & ~dev->host_features));
		return false;
	}
	if (!(g & (1ull << VIRTIO_F_VERSION_1))) {
		co_warn("%s: the guest did not accept VIRTIO_F_VERSION_1",
			dev->name);
		return false;
	}
	return !dev->ops->features_ok || dev->ops->features_ok(dev, g);
}

static int64_t set_status(struct co_dev *dev)
{
	struct colinux_device *e = dev->entry;
	uint32_t st = GUEST(e->status), added = st & ~dev->status;
	uint64_t g;

	if (!st) {
		reset(dev);
		return 0;
	}
	if (added & VIRTIO_CONFIG_S_FEATURES_OK) {
		g = GUEST(e->guest_features);
		if (features_ok(dev, g)) {
			dev->features = g;
		} else {
			st &= ~VIRTIO_CONFIG_S_FEATURES_OK;
			__atomic_store_n(&e->status, st, __ATOMIC_RELEASE);
		}
	}
	if ((added & VIRTIO_CONFIG_S_DRIVER_OK) && !dev->running) {
		if (!(st & VIRTIO_CONFIG_S_FEATURES_OK)) {
			co_warn("%s: DRIVER_OK without FEATURES_OK", dev->name);
			return -EINVAL;
		}
		dev->status = st;
		return start(dev);
	}
	dev->status = st;
	return 0;
}

static int64_t queue_on(struct co_dev *dev, uint64_t q)
{
	struct colinux_vq *v;
	struct co_vq_addr a;
	int ret;

	if (q >= dev->nr_queues)
		return -EINVAL;
	if (dev->running)
		return -EBUSY;
	if (!(dev->status & VIRTIO_CONFIG_S_FEATURES_OK))
		return -EINVAL;
	v = &dev->entry->vq[q];
	if (!GUEST(v->ready))
		return -EINVAL;
	a.num = GUEST(v->num);
	a.desc = GUEST(v->desc);
	a.avail = GUEST(v->avail);
	a.used = GUEST(v->used);
	ret = co_vq_setup(&dev->vq[q], dev->gm, &a, dev->num_max,
			  dev->features & (1ull << VIRTIO_RING_F_EVENT_IDX),
			  dev->features &
				  (1ull << VIRTIO_RING_F_INDIRECT_DESC));
	if (ret)
		co_err("%s: queue %u refused: %s", dev->name, (unsigned int)q,
		       dev->vq[q].why);
	return ret;
}

static int64_t queue_off(struct co_dev *dev, uint64_t q)
{
	if (q >= dev->nr_queues)
		return -EINVAL;
	if (dev->running)
		return -EBUSY;
	memset(&dev->vq[q], 0, sizeof(dev->vq[q]));
	return 0;
}

static int64_t config_write(struct co_dev *dev, uint64_t off, uint64_t len)
{
	if (off > dev->config_len || len > dev->config_len - off)
		return -EINVAL;
	return dev->ops->config_write ?
		       dev->ops->config_write(dev, (unsigned int)off,
					      (unsigned int)len) :
		       0;
}

int64_t co_devs_call(struct co_devs *s, uint64_t index, uint64_t what,
		     uint64_t a2, uint64_t a3)
{
	struct co_dev *dev;

	if (index >= s->nr || !s->dev[index]->entry)
		return -ENODEV;
	dev = s->dev[index];
	switch (what) {
	case COLINUX_DEV_STATUS:
		return set_status(dev);
	case COLINUX_DEV_RESET:
		reset(dev);
		return 0;
	case COLINUX_DEV_QUEUE:
		return queue_on(dev, a2);
	case COLINUX_DEV_QUEUE_OFF:
		return queue_off(dev, a2);
	case COLINUX_DEV_CONFIG:
		return config_write(dev, a2, a3);
	default:
		return -EINVAL;
	}
}

int64_t co_devs_notify(struct co_devs *s, uint64_t index, uint64_t q)
{
	struct co_dev *dev;

	if (index >= s->nr)
		return -ENODEV;
	dev = s->dev[index];
	if (q >= dev->nr_queues)
		return -EINVAL;
	dev->st.notifies++;
	if (dev->running)
		co_dev_event_set(dev->kick[q]);
	return 0;
}

/*
 * Let the driver answer NOTIFY itself by signalling the queues' events
 * (memo A.5, option 2); a driver that cannot leaves each NOTIFY an exit to
 * the daemon, which sets the same event (co_devs_notify).
 */
static void register_kicks(struct co_dev *dev)
{
	struct colinux_ioeventfd io = {
		.size = sizeof(io),
		.abi_version = COLINUX_ABI_VERSION,
		.device = dev->index,
	};
	int ret;

	for (unsigned int q = 0; q < dev->nr_queues; q++) {
		io.queue = q;
		io.fd = dev->kick[q];
		ret = co_dev_set_ioeventfd(dev->vm_fd, &io);
		if (ret == -EOPNOTSUPP) {
			co_dbg("%s: each notification exits to the daemon",
			       dev->name);
			return;
		}
		if (ret) {
			co_warn("%s: the driver does not take its notifications (%s): each one exits to the daemon",
				dev->name, strerror(-ret));
			return;
		}
	}
}

int co_devs_attach(struct co_devs *s, struct colinux_device *table,
		   const struct co_gmem *gm, int vm_fd)
{
	for (unsigned int i = 0; i < s->nr; i++) {
		struct co_dev *dev = s->dev[i];
		struct colinux_device *e = &table[i];

		dev->index = i;
		dev->entry = e;
		dev->gm = gm;
		dev->vm_fd = vm_fd;
		dev->virq = COLINUX_VIRQ_DEVICE_FIRST +
			    i % (64 - COLINUX_VIRQ_DEVICE_FIRST);
		memset(&dev->st, 0, sizeof(dev->st));
		e->type = dev->ops->type;
		e->unit = dev->unit;
		e->virq = dev->virq;
		e->nr_queues = dev->nr_queues;
		e->host_features = dev->host_features;
		e->config_len = dev->config_len;
		memcpy(e->config, dev->config, dev->config_len);
		for (unsigned int q = 0; q < dev->nr_queues; q++)
			e->vq[q].num_max = dev->num_max;
		if (vm_fd >= 0)
			register_kicks(dev);
		co_dbg("%s: device %u, virtual IRQ %u, features %#llx",
		       dev->name, i, dev->virq,
		       (unsigned long long)dev->host_features);
	}
	return 0;
}

void co_devs_detach(struct co_devs *s)
{
	for (unsigned int i = 0; i < s->nr; i++) {
		struct co_dev *dev = s->dev[i];

		if (!dev->entry)
			continue;
		quiesce(dev);
		co_dbg("%s: %llu requests, %llu notifications to the daemon, %llu interrupts, %llu suppressed",
		       dev->name, (unsigned long long)dev->st.requests,
		       (unsigned long long)dev->st.notifies,
		       (unsigned long long)dev->st.irqs,
		       (unsigned long long)dev->st.suppressed);
		dev->entry = NULL;
	}
}

int co_devs_create(struct co_devs *s, const struct co_cfg *cfg,
		   struct co_err *err)
{
	int ret;

	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < CO_CFG_MAX_COBD; i++) {
		if (!cfg->cobd[i])
			continue;
		ret = co_cobd_create(s, i, cfg->cobd[i], cfg->cobd_flags[i],
				     err);
		if (ret) {
			co_devs_destroy(s);
			return ret;
		}
	}
	for (unsigned int i = 0; i < CO_CFG_MAX_COFS; i++) {
		if (!cfg->cofs[i])
			continue;
		ret = co_cofs_create(s, i, cfg->cofs[i], cfg->cofs_flags[i],
				     err);
		if (ret) {
			co_devs_destroy(s);
			return ret;
		}
	}
	ret = co_conet_create_all(s, cfg, err);
	if (ret)
		co_devs_destroy(s);
	return ret;
}

void co_devs_destroy(struct co_devs *s)
{
	co_devs_detach(s);
	for (unsigned int i = 0; i < s->nr; i++)
		s->dev[i]->ops->destroy(s->dev[i]);
	s->nr = 0;
}
