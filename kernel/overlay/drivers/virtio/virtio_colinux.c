// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_colinux.c --- the virtio transport of a coLinux guest.
 *
 * colinux-daemon describes its devices in a table in guest RAM
 * (colinux_boot_info.devices_pa, struct colinux_device in linux/colinux.h).
 * Each entry becomes a platform device "virtio-colinux.<index>" with the
 * entry's virtual IRQ, and its probe registers a virtio device.  Everything
 * the device must see goes through a passage call: status, reset, queue set
 * up and taken down, config written (COLINUX_OP_DEVICE), new buffers
 * (COLINUX_OP_NOTIFY).  The host answers with bits in the entry's isr word
 * and the virtual IRQ.  Rings are split rings at guest-physical addresses,
 * which are host-physical ones: no DMA API (VIRTIO_F_ACCESS_PLATFORM is
 * never offered).
 */
#include <linux/colinux.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_colinux.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include <asm/colinux.h>

#define VC_NAME "virtio-colinux"
/* virtio_device.id.vendor of our devices ("co"); drivers match any. */
#define VC_VENDOR 0x636f

struct vc_device {
	struct virtio_device vdev;
	struct platform_device *pdev;
	struct colinux_device *entry; /* in the table, written by both sides */
	unsigned int index; /* in the table: the host's name for the device */
	int irq;
};

static struct colinux_device *vc_table;

static struct vc_device *to_vc(struct virtio_device *vdev)
{
	return container_of(vdev, struct vc_device, vdev);
}

/* COLINUX_OP_DEVICE: the host sees what the guest wrote in the entry. */
static long vc_call(struct vc_device *vc, unsigned long what, unsigned long a2,
		    unsigned long a3)
{
	return colinux_call(COLINUX_OP_DEVICE, vc->index, what, a2, a3);
}

/* Config space: [offset, offset + len) within what the host filled. */
static bool vc_config_range(struct vc_device *vc, unsigned int offset,
			    unsigned int len)
{
	u32 size = min_t(u32, READ_ONCE(vc->entry->config_len),
			 COLINUX_CONFIG_MAX);

	if (offset <= size && len <= size - offset)
		return true;
	dev_warn_ratelimited(&vc->vdev.dev,
			     "config access [%u, +%u) beyond its %u bytes\n",
			     offset, len, size);
	return false;
}

static void vc_get(struct virtio_device *vdev, unsigned int offset, void *buf,
		   unsigned int len)
{
	struct vc_device *vc = to_vc(vdev);

	if (vc_config_range(vc, offset, len))
		memcpy(buf, vc->entry->config + offset, len);
	else
		memset(buf, 0, len);
}

static void vc_set(struct virtio_device *vdev, unsigned int offset,
		   const void *buf, unsigned int len)
{
	struct vc_device *vc = to_vc(vdev);

	if (!vc_config_range(vc, offset, len))
		return;
	memcpy(vc->entry->config + offset, buf, len);
	vc_call(vc, COLINUX_DEV_CONFIG, offset, len);
}

/*
 * The host rewrites config[] as a seqcount writer: odd while it writes.  The
 * core reads the generation before and after the bytes and retries when it
 * changed; waiting here for an even value keeps it from taking torn bytes.
 */
static u32 vc_generation(struct virtio_device *vdev)
{
	struct colinux_device *e = to_vc(vdev)->entry;
	u32 gen;

	while ((gen = READ_ONCE(e->config_generation)) & 1)
		cpu_relax();
	virt_rmb();
	return gen;
}

static u8 vc_get_status(struct virtio_device *vdev)
{
	return READ_ONCE(to_vc(vdev)->entry->status) & 0xff;
}

/* The host may clear FEATURES_OK before the call returns: it refused. */
static void vc_set_status(struct virtio_device *vdev, u8 status)
{
	struct vc_device *vc = to_vc(vdev);

	WRITE_ONCE(vc->entry->status, status);
	vc_call(vc, COLINUX_DEV_STATUS, 0, 0);
}

/* Returns once the host has quiesced the device and zeroed its state. */
static void vc_reset(struct virtio_device *vdev)
{
	vc_call(to_vc(vdev), COLINUX_DEV_RESET, 0, 0);
}

static u64 vc_get_features(struct virtio_device *vdev)
{
	return READ_ONCE(to_vc(vdev)->entry->host_features);
}

static int vc_finalize_features(struct virtio_device *vdev)
{
	vring_transport_features(vdev);
	if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev,
			"the host does not offer VIRTIO_F_VERSION_1\n");
		return -EINVAL;
	}
	WRITE_ONCE(to_vc(vdev)->entry->guest_features, vdev->features);
	return 0;
}

/*
 * Buffers in the available ring.  A notify the daemon answers in an exit
 * may have raised the device's virtual IRQ: with interrupts enabled, run it
 * now instead of at the next forwarded interrupt.
 */
static bool vc_notify(struct virtqueue *vq)
{
	struct vc_device *vc = to_vc(vq->vdev);

	colinux_call(COLINUX_OP_NOTIFY, vc->index, vq->index, 0, 0);
	if (!irqs_disabled())
		colinux_run_pending_virqs();
	return true;
}

/*
 * A device that failed says so with NEEDS_RESET and a config change.  No
 * driver in this kernel resets a device on its own, so its requests would
 * wait forever: break the device, and they fail.
 */
static void vc_config_changed(struct vc_device *vc)
{
	if (READ_ONCE(vc->entry->status) & VIRTIO_CONFIG_S_NEEDS_RESET) {
		dev_err(&vc->vdev.dev,
			"the host device failed (NEEDS_RESET)\n");
		virtio_break_device(&vc->vdev);
	}
	virtio_config_changed(&vc->vdev);
}

/* The virtual IRQ may be shared: the isr word says whether it is ours. */
static irqreturn_t vc_interrupt(int irq, void *data)
{
	struct vc_device *vc = data;
	u32 isr = xchg(&vc->entry->isr, 0);
	irqreturn_t ret = IRQ_NONE;
	struct virtqueue *vq;

	if (isr & COLINUX_ISR_CONFIG) {
		vc_config_changed(vc);
		ret = IRQ_HANDLED;
	}
	if (isr & COLINUX_ISR_USED) {
		virtio_device_for_each_vq(&vc->vdev, vq)
			ret |= vring_interrupt(irq, vq);
	}
	return ret;
}

static void vc_del_vq(struct vc_device *vc, struct virtqueue *vq)
{
	unsigned int index = vq->index;

	WRITE_ONCE(vc->entry->vq[index].ready, 0);
	vc_call(vc, COLINUX_DEV_QUEUE_OFF, index, 0);
	vring_del_virtqueue(vq);
}

static void vc_del_vqs(struct virtio_device *vdev)
{
	struct vc_device *vc = to_vc(vdev);
	struct virtqueue *vq, *n;

	list_for_each_entry_safe(vq, n, &vdev->vqs, list)
		vc_del_vq(vc, vq);
	free_irq(vc->irq, vc);
}

/*
 * Queue @index: as large as the host allows, its three areas written into
 * the entry, then one call; the host checks them and may refuse.
 */
static struct virtqueue *vc_setup_vq(struct vc_device *vc, unsigned int index,
				     vq_callback_t *callback, const char *name,
				     bool ctx)
{
	struct colinux_vq *q = &vc->entry->vq[index];
	struct virtqueue *vq;
	unsigned int num;
	long ret;

	if (index >=
	    min_t(u32, READ_ONCE(vc->entry->nr_queues), COLINUX_MAX_QUEUES))
		return ERR_PTR(-ENOENT);
	num = READ_ONCE(q->num_max);
	if (!num)
		return ERR_PTR(-ENOENT);
	vq = vring_create_virtqueue(index, num, PAGE_SIZE, &vc->vdev, true,
				    true, ctx, vc_notify, callback, name);
	if (!vq)
		return ERR_PTR(-ENOMEM);
	vq->num_max = num;
	WRITE_ONCE(q->num, virtqueue_get_vring_size(vq));
	WRITE_ONCE(q->desc, virtqueue_get_desc_addr(vq));
	WRITE_ONCE(q->avail, virtqueue_get_avail_addr(vq));
	WRITE_ONCE(q->used, virtqueue_get_used_addr(vq));
	WRITE_ONCE(q->ready, 1);
	ret = vc_call(vc, COLINUX_DEV_QUEUE, index, 0);
	if (ret) {
		dev_err(&vc->vdev.dev, "the host refused queue %u (%s): %ld\n",
			index, name, ret);
		WRITE_ONCE(q->ready, 0);
		vring_del_virtqueue(vq);
		return ERR_PTR(ret < 0 && ret >= -MAX_ERRNO ? ret : -EIO);
	}
	return vq;
}

static int vc_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
		       struct virtqueue *vqs[], vq_callback_t *callbacks[],
		       const char *const names[], const bool *ctx,
		       struct irq_affinity *desc)
{
	struct vc_device *vc = to_vc(vdev);
	unsigned int i, index = 0;
	int err;

	err = request_irq(vc->irq, vc_interrupt, IRQF_SHARED,
			  dev_name(&vdev->dev), vc);
	if (err)
		return err;
	for (i = 0; i < nvqs; i++) {
		if (!names[i]) {
			vqs[i] = NULL;
			continue;
		}
		vqs[i] = vc_setup_vq(vc, index++, callbacks[i], names[i],
				     ctx ? ctx[i] : false);
		if (IS_ERR(vqs[i])) {
			vc_del_vqs(vdev);
			return PTR_ERR(vqs[i]);
		}
	}
	return 0;
}

static void vc_synchronize_cbs(struct virtio_device *vdev)
{
	synchronize_irq(to_vc(vdev)->irq);
}

static const char *vc_bus_name(struct virtio_device *vdev)
{
	return dev_name(&to_vc(vdev)->pdev->dev);
}

static const struct virtio_config_ops vc_config_ops = {
	.get = vc_get,
	.set = vc_set,
	.generation = vc_generation,
	.get_status = vc_get_status,
	.set_status = vc_set_status,
	.reset = vc_reset,
	.find_vqs = vc_find_vqs,
	.del_vqs = vc_del_vqs,
	.synchronize_cbs = vc_synchronize_cbs,
	.get_features = vc_get_features,
	.finalize_features = vc_finalize_features,
	.bus_name = vc_bus_name,
};

bool virtio_colinux_disk_name(struct virtio_device *vdev, char *buf, size_t len)
{
	if (vdev->config != &vc_config_ops)
		return false;
	snprintf(buf, len, "cobd%u", READ_ONCE(to_vc(vdev)->entry->unit));
	return true;
}

static void vc_release(struct device *dev)
{
	kfree(to_vc(dev_to_virtio(dev)));
}

static int vc_probe(struct platform_device *pdev)
{
	struct vc_device *vc;
	int irq = platform_get_irq(pdev, 0), err;

	if (irq < 0)
		return irq;
	vc = kzalloc(sizeof(*vc), GFP_KERNEL);
	if (!vc)
		return -ENOMEM;
	vc->pdev = pdev;
	vc->index = pdev->id;
	vc->entry = &vc_table[pdev->id];
	vc->irq = irq;
	vc->vdev.dev.parent = &pdev->dev;
	vc->vdev.dev.release = vc_release;
	vc->vdev.config = &vc_config_ops;
	vc->vdev.id.device = READ_ONCE(vc->entry->type);
	vc->vdev.id.vendor = VC_VENDOR;
	platform_set_drvdata(pdev, vc);
	err = register_virtio_device(&vc->vdev);
	if (err)
		put_device(&vc->vdev.dev);
	return err;
}

static int vc_remove(struct platform_device *pdev)
{
	struct vc_device *vc = platform_get_drvdata(pdev);

	unregister_virtio_device(&vc->vdev);
	return 0;
}

/* For udev: the N of cobdN, ethN, cofsN. */
static ssize_t unit_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(
		buf, "%u\n",
		READ_ONCE(vc_table[to_platform_device(dev)->id].unit));
}
static DEVICE_ATTR_RO(unit);

static struct attribute *vc_attrs[] = {
	&dev_attr_unit.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vc);

static struct platform_driver vc_driver = {
	.probe = vc_probe,
	.remove = vc_remove,
	.driver = {
		.name = VC_NAME,
		.dev_groups = vc_groups,
	},
};

/* One platform device per entry: "virtio-colinux.<index>". */
static int __init vc_add_device(unsigned int i)
{
	unsigned int virq = READ_ONCE(vc_table[i].virq);
	struct platform_device *pdev;
	struct resource res;
	int irq;

	if (virq < COLINUX_VIRQ_DEVICE_FIRST || virq >= COLINUX_NR_VIRQS) {
		pr_err(VC_NAME ": device %u: virtual IRQ %u out of [%d, %d)\n",
		       i, virq, COLINUX_VIRQ_DEVICE_FIRST, COLINUX_NR_VIRQS);
		return -EINVAL;
	}
	irq = colinux_virq(virq);
	if (irq <= 0)
		return -ENOMEM;
	res = (struct resource)DEFINE_RES_IRQ(irq);
	pdev = platform_device_register_resndata(NULL, VC_NAME, i, &res, 1,
						 NULL, 0);
	return PTR_ERR_OR_ZERO(pdev);
}

static int __init vc_init(void)
{
	u32 nr = colinux_boot.nr_devices, i;
	int err;

	if (!nr)
		return 0;
	if (nr > COLINUX_MAX_DEVICES ||
	    colinux_boot.device_size != sizeof(struct colinux_device)) {
		pr_err(VC_NAME
		       ": a table of %u devices of %u bytes; this kernel takes up to %d of %zu\n",
		       nr, colinux_boot.device_size, COLINUX_MAX_DEVICES,
		       sizeof(struct colinux_device));
		return -EINVAL;
	}
	vc_table = __va(colinux_boot.devices_pa);
	err = platform_driver_register(&vc_driver);
	if (err)
		return err;
	for (i = 0; i < nr; i++) {
		err = vc_add_device(i);
		if (err)
			pr_err(VC_NAME ": device %u not added: %d\n", i, err);
	}
	return 0;
}
device_initcall(vc_init);
