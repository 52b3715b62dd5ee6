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
#include <linux/suspend.h>
#include <linux/uaccess.h>

#include "../core/vm.h"
#include "os-linux.h"

struct co_file {
	struct mutex lock; /* one ioctl or mmap at a time per guest */
	struct co_vm *vm;
};

/*
 * Host suspend and hibernation while a guest exists are refused.  The
 * guest's clock is the TSC, read directly, at the rate and offset it
 * learned at boot; S3 and hibernation stop the TSC and most machines reset
 * it, so after resume the guest's time would jump back by the host's uptime
 * and its timers (TSC deadlines) would fire late by as much.  Carrying the
 * guest across would need a TSC offset in the shared page that the guest
 * adds on every read, re-measured on resume (see README, "Host driver").
 * co_guests counts open files, each one guest; co_pm_busy keeps new guests
 * out from a suspend's notification until the host has resumed.
 */
static DEFINE_MUTEX(co_pm_lock);
static unsigned int co_guests;
static bool co_pm_busy;

static int co_pm_notify(struct notifier_block *nb, unsigned long event,
			void *unused)
{
	int ret = NOTIFY_DONE;

	mutex_lock(&co_pm_lock);
	switch (event) {
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
		if (co_guests) {
			pr_err("suspend refused: %u guest(s) running, whose clock is the TSC that suspend stops or resets; stop them first\n",
			       co_guests);
			ret = notifier_from_errno(-EBUSY);
			break;
		}
		co_pm_busy = true;
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
		co_pm_busy = false;
		break;
	}
	mutex_unlock(&co_pm_lock);
	return ret;
}

static struct notifier_block co_pm_nb = {
	.notifier_call = co_pm_notify,
};

/* One more guest, unless a suspend is under way: 0 or -EBUSY. */
static int co_guest_get(void)
{
	int ret = 0;

	mutex_lock(&co_pm_lock);
	if (co_pm_busy)
		ret = -EBUSY;
	else
		co_guests++;
	mutex_unlock(&co_pm_lock);
	return ret;
}

static void co_guest_put(void)
{
	mutex_lock(&co_pm_lock);
	co_guests--;
	mutex_unlock(&co_pm_lock);
}

static int co_open(struct inode *inode, struct file *file)
{
	struct co_file *cf;
	int ret;

	/* The device node is root-only (0600); say so even if it is not. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = co_guest_get();
	if (ret)
		return ret;
	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf) {
		co_guest_put();
		return -ENOMEM;
	}
	mutex_init(&cf->lock);
	ret = co_vm_create(&cf->vm);
	if (ret) {
		kfree(cf);
		co_guest_put();
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
	co_guest_put();
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
 *  - A TSC that is not constant and non-stop, or that Linux marked unstable,
 *    can not be the guest's clock (co_host_tsc_check(); SETUP checks again,
 *    as the clocksource watchdog may mark it later).
 */
static int __init co_host_refused(void)
{
	int ret = security_locked_down(LOCKDOWN_DEV_MEM);
	struct co_err err;

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
	ret = co_os_tsc_check(&err);
	if (ret < 0) {
		pr_err("refused: %s (allow_unreliable_tsc=1 loads it all the same)\n",
		       err.msg);
		return ret;
	}
	if (ret)
		pr_warn("%s: it may drift or jump (%s)\n", err.msg,
			boot_cpu_has(X86_FEATURE_HYPERVISOR) ?
				"a hypervisor's TSC" :
				"allow_unreliable_tsc=1");
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
	ret = register_pm_notifier(&co_pm_nb);
	if (ret)
		goto out_os_exit;
	ret = misc_register(&co_misc);
	if (ret)
		goto out_pm;
	pr_info("ready: /dev/colinux, ABI %u\n", COLINUX_ABI_VERSION);
	co_linux_say_barriers();
	return 0;

out_pm:
	unregister_pm_notifier(&co_pm_nb);
out_os_exit:
	co_linux_os_exit();
	return ret;
}

static void __exit co_exit(void)
{
	misc_deregister(&co_misc);
	unregister_pm_notifier(&co_pm_nb);
	co_linux_os_exit();
}

module_init(co_init);
module_exit(co_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Cooperative Linux host driver");
