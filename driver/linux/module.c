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

#include <linux/cc_platform.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/security.h>
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
	int ret;

	/* The device node is root-only (0600); say so even if it is not. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	mutex_init(&cf->lock);
	ret = co_vm_create(&cf->vm);
	if (ret) {
		kfree(cf);
		return ret;
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
	/* A private mapping would copy guest pages on write: the guest and
	 * the daemon would no longer see the same RAM. */
	if (vma->vm_pgoff || len > vm->mem_size ||
	    !(vma->vm_flags & VM_SHARED)) {
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
	    cmd != COLINUX_RUN && cmd != COLINUX_SET_IOEVENTFD)
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
	else if (cmd == COLINUX_SET_IOEVENTFD)
		ret = co_vm_set_ioeventfd(cf->vm, buf);
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

/*
 * Hosts the driver can not serve:
 *  - A guest runs in ring 0 beside the host kernel and can read and write
 *    all of host memory, as /dev/mem could: a kernel locked down for
 *    integrity refuses the module, as it refuses /dev/mem.
 *  - On PREEMPT_RT, spinlocks and wait queues sleep, and the guest's timer
 *    wakes its thread from a hard-interrupt hrtimer through both.
 *  - Without a local APIC (nolapic) the driver could not tell which host
 *    interrupt a guest forwards.
 *  - With memory encryption (AMD SME or SEV, Intel TDX) host memory is
 *    reached through page-table entries with an encryption bit that the
 *    guest's tables lack, and an SEV-ES, SNP or TDX host is itself a guest
 *    whose CPUID and MSR accesses in the passage would trap to its own
 *    hypervisor.  Linux knows which: cc_platform_has().
 */
static int __init co_host_refused(void)
{
	int ret = security_locked_down(LOCKDOWN_DEV_MEM);

	if (ret) {
		pr_err("refused: the kernel is locked down, and a ring-0 guest could change host memory as /dev/mem could\n");
		return ret;
	}
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		pr_err("refused: a PREEMPT_RT kernel, where the guest's timer could not wake its thread from hard interrupt context\n");
		return -EOPNOTSUPP;
	}
	if (cc_platform_has(CC_ATTR_MEM_ENCRYPT)) {
		pr_err("refused: memory encryption is active (AMD SME/SEV or Intel TDX), which the passage and the guest's page tables do not know\n");
		return -EOPNOTSUPP;
	}
	if (!boot_cpu_has(X86_FEATURE_APIC)) {
		pr_err("refused: the local APIC is off (nolapic), and forwarded interrupts could not be checked against it\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int __init co_init(void)
{
	int ret = co_host_refused();

	if (ret)
		return ret;
	ret = co_linux_os_init();
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
