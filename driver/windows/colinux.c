// SPDX-License-Identifier: GPL-2.0
/*
 * colinux.c --- colinux.sys, the Windows driver (WDM, non-PnP): the device
 * \Device\coLinux (\\.\coLinux for CreateFile) and the ABI of
 * colinux/ioctl.h through DeviceIoControl (colinux/winioctl.h), over the
 * same driver/core as colinux.ko (os-windows.c is its OS layer).
 *
 * Thin glue, as driver/linux/module.c: one open file object is one guest
 * (struct co_vm in FsContext, made at IRP_MJ_CREATE, freed at
 * IRP_MJ_CLOSE, which also comes when the daemon is killed); SETUP,
 * SET_REGS and RUN call the core under the guest's lock, RAISE_VIRQ
 * without it.  Every call is handled in the caller's thread at
 * PASSIVE_LEVEL and completed before the dispatch returns: RUN runs the
 * guest for as long as it takes.  Windows serializes the calls on a
 * handle opened without FILE_FLAG_OVERLAPPED, so the daemon's handle is
 * overlapped (a device thread's RAISE_VIRQ during RUN); the driver itself
 * serializes only SETUP, SET_REGS and RUN.
 *
 * Two calls are Windows's own: MAP_RAM maps guest RAM into the daemon
 * (map-windows.c; mmap on Linux), taken away at IRP_MJ_CLEANUP, and
 * LAST_MESSAGE gives back the message of a failed SETUP or RUN, which
 * Linux copies back in the call's own struct.  SET_IOEVENTFD is refused
 * (no eventfds).
 */
#include <ntddk.h>

#include <colinux/winioctl.h>

#include "../core/vm.h"
#include "map-windows.h"
#include "os-windows.h"

struct co_file {
	KEVENT lock; /* one SETUP, SET_REGS, RUN or MAP_RAM at a time */
	struct co_vm *vm;
	struct co_win_ram ram;
	/* the last failed SETUP's or RUN's (LAST_MESSAGE), under lock */
	__u8 message[COLINUX_MESSAGE_SIZE];
};

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR bytes)
{
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = bytes;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return status;
}

/* The core's -errno as the NTSTATUS the daemon's win-errno.c reads back. */
static NTSTATUS co_status(int err)
{
	switch (-err) {
	case 0:
		return STATUS_SUCCESS;
	case EPERM:
		return STATUS_ACCESS_DENIED;
	case EINTR:
		return STATUS_CANCELLED;
	case ENOMEM:
	case ENOSPC:
	case E2BIG:
		return STATUS_INSUFFICIENT_RESOURCES;
	case EFAULT:
		return STATUS_ACCESS_VIOLATION;
	case EBUSY:
		return STATUS_DEVICE_BUSY;
	case EEXIST:
		return STATUS_OBJECT_NAME_COLLISION;
	case EINVAL:
		return STATUS_INVALID_PARAMETER;
	case ESRCH:
		return STATUS_NOT_FOUND;
	case EBADFD:
		return STATUS_INVALID_DEVICE_STATE;
	case EPROTO:
		return STATUS_REVISION_MISMATCH;
	case EOPNOTSUPP:
		return STATUS_NOT_SUPPORTED;
	case ENOSYS:
		return STATUS_NOT_IMPLEMENTED;
	case ENOTTY:
		return STATUS_INVALID_DEVICE_REQUEST;
	default:
		return STATUS_UNSUCCESSFUL;
	}
}

static NTSTATUS co_create(PDEVICE_OBJECT dev, PIRP irp)
{
	PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
	struct co_file *cf;
	int ret;

	/* The device is for Administrators and SYSTEM (colinux.inf). */
	cf = co_os_zalloc(sizeof(*cf));
	if (!cf)
		return complete(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
	KeInitializeEvent(&cf->lock, SynchronizationEvent, TRUE);
	ret = co_vm_create(&cf->vm);
	if (ret) {
		co_os_free(cf);
		return complete(irp, co_status(ret), 0);
	}
	sp->FileObject->FsContext = cf;
	return complete(irp, STATUS_SUCCESS, 0);
}

/*
 * The last handle is closed, in the process that closed it (the daemon,
 * also when it is killed): its view of guest RAM goes while its address
 * space is still there.  A call may still be in progress on the file (a
 * handle closed by another thread): the guest's lock waits for it, as a
 * MAP_RAM must not run beside the unmap.
 */
static NTSTATUS co_cleanup(PDEVICE_OBJECT dev, PIRP irp)
{
	PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
	struct co_file *cf = sp->FileObject->FsContext;

	if (cf) {
		KeEnterCriticalRegion();
		KeWaitForSingleObject(&cf->lock, Executive, KernelMode, FALSE,
				      NULL);
		co_win_unmap_ram(&cf->ram);
		KeSetEvent(&cf->lock, IO_NO_INCREMENT, FALSE);
		KeLeaveCriticalRegion();
	}
	return complete(irp, STATUS_SUCCESS, 0);
}

/* The last reference to the file object is gone: no call is running. */
static NTSTATUS co_close(PDEVICE_OBJECT dev, PIRP irp)
{
	PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
	struct co_file *cf = sp->FileObject->FsContext;

	if (cf) {
		/* IRP_MJ_CLEANUP, which always comes first, took the view. */
		co_vm_destroy(cf->vm);
		co_os_free(cf);
		sp->FileObject->FsContext = NULL;
	}
	return complete(irp, STATUS_SUCCESS, 0);
}

/*
 * The commands of colinux/ioctl.h as Linux numbers them: the number says
 * the struct's size and which way it goes (_IOC_SIZE, _IOC_DIR), and
 * COLINUX_WIN_IOCTL() turns it into the DeviceIoControl code.
 */
static const unsigned int co_commands[] = {
	COLINUX_GET_ABI_VERSION, COLINUX_SETUP,
	COLINUX_SET_REGS,	 COLINUX_RUN,
	COLINUX_RAISE_VIRQ,	 COLINUX_SET_IOEVENTFD,
	COLINUX_WIN_MAP_RAM,	 COLINUX_WIN_LAST_MESSAGE,
};
enum {
	CMD_VERSION,
	CMD_SETUP,
	CMD_SET_REGS,
	CMD_RUN,
	CMD_VIRQ,
	CMD_IOEVENTFD,
	CMD_MAP,
	CMD_MESSAGE
};

/* The command's index in co_commands, or -1 for a code not ours. */
static int co_command(ULONG code)
{
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(co_commands); i++)
		if (COLINUX_WIN_IOCTL(co_commands[i]) == code)
			return i;
	return -1;
}

/*
 * A guest call's struct, as its number says: exactly its size in when it
 * goes in (_IOC_WRITE), nothing otherwise; out, exactly its size when it
 * comes back (_IOC_READ), or nothing when the caller wants no results.
 * Its own size and ABI version fields are the core's to check, as on
 * Linux.
 */
static bool co_buffers_ok(int cmd, const IO_STACK_LOCATION *sp)
{
	ULONG in = sp->Parameters.DeviceIoControl.InputBufferLength;
	ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
	unsigned int dir = _IOC_DIR(co_commands[cmd]);
	ULONG size = _IOC_SIZE(co_commands[cmd]);

	if (in != (dir & _IOC_WRITE ? size : 0))
		return false;
	return !out || (dir & _IOC_READ && out == size);
}

/* RUN enters the guest only with the first RUN's preparation done. */
static int co_run(struct co_vm *vm, struct colinux_run *run)
{
	int ret;

	/* The core's own refusals first, as on Linux (nothing is entered). */
	if (!vm->setup_done || !vm->regs_set)
		return co_vm_run(vm, run);
	ret = co_win_os_ready();
	if (ret)
		return ret;
	return co_vm_run(vm, run);
}

/* A failed SETUP's or RUN's message, kept for LAST_MESSAGE. */
static void co_keep_message(struct co_file *cf, const __u8 *msg)
{
	memcpy(cf->message, msg, sizeof(cf->message));
	cf->message[sizeof(cf->message) - 1] = 0;
}

static int co_locked_call(struct co_file *cf, int cmd, void *buf)
{
	int ret;

	KeWaitForSingleObject(&cf->lock, Executive, KernelMode, FALSE, NULL);
	switch (cmd) {
	case CMD_SETUP:
		ret = co_vm_setup(cf->vm, buf);
		if (ret) {
			co_keep_message(cf,
					((struct colinux_setup *)buf)->message);
			if (cf->message[0])
				co_err("SETUP: %s\n", cf->message);
		}
		break;
	case CMD_SET_REGS:
		ret = co_vm_set_regs(cf->vm, buf);
		break;
	case CMD_RUN:
		ret = co_run(cf->vm, buf);
		if (ret)
			co_keep_message(cf,
					((struct colinux_run *)buf)->message);
		break;
	case CMD_MAP:
		ret = co_win_map_ram(&cf->ram, cf->vm, buf);
		break;
	default: /* CMD_MESSAGE */
		memcpy(buf, cf->message, sizeof(cf->message));
		ret = 0;
	}
	KeSetEvent(&cf->lock, IO_NO_INCREMENT, FALSE);
	return ret;
}

/*
 * Between KeEnterCriticalRegion() and the leave, Windows does not suspend
 * or terminate the thread (no normal kernel APC), so a killed daemon's
 * RUN returns through the core, which sees the termination, and the
 * guest's lock is released.
 */
static NTSTATUS co_ioctl(PDEVICE_OBJECT dev, PIRP irp)
{
	PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
	ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
	struct co_file *cf = sp->FileObject->FsContext;
	void *buf = irp->AssociatedIrp.SystemBuffer;
	int cmd = co_command(sp->Parameters.DeviceIoControl.IoControlCode);
	int ret;

	if (cmd < 0)
		return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
	if (cmd == CMD_VERSION) {
		if (out < sizeof(__s32))
			return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
		*(__s32 *)buf = COLINUX_ABI_VERSION;
		return complete(irp, STATUS_SUCCESS, sizeof(__s32));
	}
	if (!buf || !cf || !co_buffers_ok(cmd, sp))
		return complete(irp, STATUS_INVALID_PARAMETER, 0);
	/* No eventfds here: the daemon takes every notify as an exit. */
	if (cmd == CMD_IOEVENTFD)
		return complete(irp, STATUS_NOT_SUPPORTED, 0);
	/* From any thread, also while RUN holds the lock (console input). */
	if (cmd == CMD_VIRQ)
		return complete(irp, co_status(co_vm_raise_virq(cf->vm, buf)),
				0);
	KeEnterCriticalRegion();
	ret = co_locked_call(cf, cmd, buf);
	KeLeaveCriticalRegion();
	/*
	 * Results go back when the call succeeded; the I/O manager copies no
	 * buffer back for an error status, so a failure's message waits for
	 * LAST_MESSAGE (SETUP's is in the debug log too).
	 */
	return complete(irp, co_status(ret), ret ? 0 : out);
}

static void co_unload(PDRIVER_OBJECT drv)
{
	UNICODE_STRING link;

	RtlInitUnicodeString(&link, COLINUX_WIN_LINK);
	IoDeleteSymbolicLink(&link);
	IoDeleteDevice(drv->DeviceObject);
	co_win_os_exit();
}

/*
 * Hosts the driver can not serve, as colinux.ko's co_host_refused() says
 * them (the others, Windows's own settings, are the daemon's to check
 * before it installs the driver: test signing, Secure Boot, HVCI):
 *  - a TSC that is not invariant can not be the guest's clock, unless a
 *    hypervisor keeps it steady (co_host_tsc_check(): a warning then);
 *  - without a local APIC the driver could not tell which host interrupt
 *    a guest forwards.
 * Only CPUID is asked here: DriverEntry runs in Wine's user mode too.
 */
static NTSTATUS co_host_refused(void)
{
	struct co_err err;
	int ret = co_os_tsc_check(&err);

	if (ret < 0) {
		co_err("refused: %s\n", err.msg);
		return STATUS_NOT_SUPPORTED;
	}
	if (ret)
		co_warn("%s: it may drift or jump (a hypervisor's TSC)\n",
			err.msg);
	if (!co_win_has_apic()) {
		co_err("refused: CPUID shows no local APIC, and forwarded interrupts could not be checked against it\n");
		return STATUS_NOT_SUPPORTED;
	}
	return STATUS_SUCCESS;
}

static NTSTATUS co_device_create(PDRIVER_OBJECT drv)
{
	UNICODE_STRING name, link;
	PDEVICE_OBJECT dev;
	NTSTATUS status;

	RtlInitUnicodeString(&name, COLINUX_WIN_DEVICE);
	RtlInitUnicodeString(&link, COLINUX_WIN_LINK);
	status = IoCreateDevice(drv, 0, &name, FILE_DEVICE_UNKNOWN,
				FILE_DEVICE_SECURE_OPEN, FALSE, &dev);
	if (!NT_SUCCESS(status))
		return status;
	status = IoCreateSymbolicLink(&link, &name);
	if (!NT_SUCCESS(status))
		IoDeleteDevice(dev);
	return status;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT drv, PUNICODE_STRING reg);

NTSTATUS DriverEntry(PDRIVER_OBJECT drv, PUNICODE_STRING reg)
{
	NTSTATUS status;

	if (co_win_os_init())
		return STATUS_INSUFFICIENT_RESOURCES;
	status = co_host_refused();
	if (!NT_SUCCESS(status))
		goto out_os_exit;
	status = co_device_create(drv);
	if (!NT_SUCCESS(status))
		goto out_os_exit;
	drv->MajorFunction[IRP_MJ_CREATE] = co_create;
	drv->MajorFunction[IRP_MJ_CLEANUP] = co_cleanup;
	drv->MajorFunction[IRP_MJ_CLOSE] = co_close;
	drv->MajorFunction[IRP_MJ_DEVICE_CONTROL] = co_ioctl;
	drv->DriverUnload = co_unload;
	co_info("ready: \\\\.\\coLinux, ABI %u\n", COLINUX_ABI_VERSION);
	return STATUS_SUCCESS;

out_os_exit:
	co_win_os_exit();
	return status;
}
