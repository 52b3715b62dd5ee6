// SPDX-License-Identifier: GPL-2.0
/*
 * module.c --- colinux.ko: the /dev/colinux misc device.
 *
 * Thin glue: one open file is one guest (struct co_vm, driver/core); ioctls
 * copy their argument in, call the core under the guest's mutex and copy it
 * back out; mmap maps guest RAM; the last close frees everything, which is
 * also what happens when the daemon is killed.
 */
#define pr_fmt(fmt) "colinux: " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../core/vm.h"
#include "os-linux.h"

struct co_file {
	struct mutex lock; /* one ioctl or mmap at a time per guest */
	struct co_vm *vm;
};

static int co_open(struct inode *inode, struct file *file)
{
	struct co_file *cf;
	int err;

	/* The device node is root-only (0600); say so even if it is not. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	mutex_init(&cf->lock);
	cf->vm = co_vm_create(&err);
	if (!cf->vm) {
		kfree(cf);
		return err;
	}
	file->private_data = cf;
	return 0;
}

static int co_release(struct inode *inode, struct file *file)
{
	struct co_file *cf = file->private_data;

	co_vm_destroy(cf->vm);
	kfree(cf);
	return 0;
}

/*
 * Guest RAM, block after block, from offset 0.  The mapping holds a
 * reference to the file, so the blocks outlive neither the file nor the
 * mapping: release() runs only once both are gone.
 */
static int co_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct co_file *cf = file->private_data;
	struct co_vm *vm = cf->vm;
	unsigned long len = vma->vm_end - vma->vm_start, done = 0, n;
	unsigned int i;
	int ret = 0;

	mutex_lock(&cf->lock);
	if (!vm->setup_done) {
		ret = -EBADFD;
		goto out_unlock;
	}
	if (vma->vm_pgoff || len > vm->mem_size) {
		ret = -EINVAL;
		goto out_unlock;
	}
	vma->vm_flags |= VM_DONTCOPY;
	for (i = 0; i < vm->nr_blocks && done < len; i++) {
		n = min_t(unsigned long, len - done, vm->blocks[i].size);
		ret = remap_pfn_range(vma, vma->vm_start + done,
				      PHYS_PFN(vm->blocks[i].phys), n,
				      vma->vm_page_prot);
		if (ret)
			break;
		done += n;
	}
out_unlock:
	mutex_unlock(&cf->lock);
	return ret;
}

static long co_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct co_file *cf = file->private_data;
	void __user *uarg = (void __user *)arg;
	size_t size = _IOC_SIZE(cmd);
	void *buf;
	long ret;

	if (cmd == COLINUX_GET_ABI_VERSION)
		return COLINUX_ABI_VERSION;
	/* From any thread, also while RUN holds the lock (console input). */
	if (cmd == COLINUX_RAISE_VIRQ) {
		struct colinux_virq v;

		if (copy_from_user(&v, uarg, sizeof(v)))
			return -EFAULT;
		return co_vm_raise_virq(cf->vm, &v);
	}
	if (cmd != COLINUX_SETUP && cmd != COLINUX_SET_REGS &&
	    cmd != COLINUX_RUN)
		return -ENOTTY;
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, uarg, size)) {
		ret = -EFAULT;
		goto out_free;
	}
	mutex_lock(&cf->lock);
	if (cmd == COLINUX_SETUP)
		ret = co_vm_setup(cf->vm, buf);
	else if (cmd == COLINUX_SET_REGS)
		ret = co_vm_set_regs(cf->vm, buf);
	else
		ret = co_vm_run(cf->vm, buf);
	mutex_unlock(&cf->lock);
	if (cmd == COLINUX_SETUP) {
		struct colinux_setup *s = buf;

		if (ret && s->message[0])
			pr_err("SETUP: %s\n", s->message);
	}
	/* Results and error messages go back even when the call failed. */
	if (_IOC_DIR(cmd) & _IOC_READ && copy_to_user(uarg, buf, size))
		ret = -EFAULT;
out_free:
	kfree(buf);
	return ret;
}

static const struct file_operations co_fops = {
	.owner = THIS_MODULE,
	.open = co_open,
	.release = co_release,
	.unlocked_ioctl = co_ioctl,
	.mmap = co_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice co_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "colinux",
	.fops = &co_fops,
	.mode = 0600,
};

static int __init co_init(void)
{
	int ret = co_linux_os_init();

	if (ret)
		return ret;
	ret = misc_register(&co_misc);
	if (ret)
		goto out_os_exit;
	pr_info("ready: /dev/colinux, ABI %u\n", COLINUX_ABI_VERSION);
	return 0;

out_os_exit:
	co_linux_os_exit();
	return ret;
}

static void __exit co_exit(void)
{
	misc_deregister(&co_misc);
	co_linux_os_exit();
}

module_init(co_init);
module_exit(co_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Cooperative Linux host driver");
