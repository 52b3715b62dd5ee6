// SPDX-License-Identifier: GPL-2.0
/*
 * colinux.c --- colinux.sys, the Windows driver (WDM, non-PnP): the device
 * \Device\coLinux (\\.\coLinux for CreateFile) and the ABI of
 * colinux/ioctl.h through DeviceIoControl (colinux/winioctl.h).
 *
 * What it does today: it answers GET_ABI_VERSION, checks every other call's
 * code and buffer sizes, and refuses the calls that would run a guest
 * (SETUP, SET_REGS, RUN, RAISE_VIRQ, SET_IOEVENTFD) with
 * STATUS_NOT_IMPLEMENTED: driver/core has no Windows OS layer yet
 * (driver/core/os.h; README, "Windows").  So colinux-daemon.exe reaches the
 * driver, agrees on the ABI, and says plainly that guests do not run yet.
 */
#include <ntddk.h>
#include <stdbool.h>

#include <colinux/winioctl.h>

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR bytes)
{
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = bytes;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return status;
}

static NTSTATUS co_open_close(PDEVICE_OBJECT dev, PIRP irp)
{
	return complete(irp, STATUS_SUCCESS, 0);
}

/* The commands of colinux/ioctl.h, by their DeviceIoControl code. */
static const ULONG co_commands[] = {
	COLINUX_WIN_IOCTL(COLINUX_GET_ABI_VERSION),
	COLINUX_WIN_IOCTL(COLINUX_SETUP),
	COLINUX_WIN_IOCTL(COLINUX_SET_REGS),
	COLINUX_WIN_IOCTL(COLINUX_RUN),
	COLINUX_WIN_IOCTL(COLINUX_RAISE_VIRQ),
	COLINUX_WIN_IOCTL(COLINUX_SET_IOEVENTFD),
};
static const ULONG co_sizes[] = {
	0,
	sizeof(struct colinux_setup),
	sizeof(struct colinux_regs),
	sizeof(struct colinux_run),
	sizeof(struct colinux_virq),
	sizeof(struct colinux_ioeventfd),
};

/* The command's index in co_commands, or -1 for a code not ours. */
static int co_command(ULONG code)
{
	int i;

	for (i = 0; i < (int)(sizeof(co_commands) / sizeof(co_commands[0]));
	     i++)
		if (co_commands[i] == code)
			return i;
	return -1;
}

/*
 * A guest call's struct: exactly its size in, and out when the command
 * gives results back; its own size and ABI version fields must agree.
 */
static bool co_struct_ok(int cmd, const IO_STACK_LOCATION *sp, const void *buf)
{
	const struct {
		__u32 size, abi_version;
	} *head = buf;

	if (sp->Parameters.DeviceIoControl.InputBufferLength != co_sizes[cmd])
		return false;
	if (sp->Parameters.DeviceIoControl.OutputBufferLength &&
	    sp->Parameters.DeviceIoControl.OutputBufferLength != co_sizes[cmd])
		return false;
	return head->size == co_sizes[cmd] &&
	       head->abi_version == COLINUX_ABI_VERSION;
}

static NTSTATUS co_ioctl(PDEVICE_OBJECT dev, PIRP irp)
{
	PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
	ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
	void *buf = irp->AssociatedIrp.SystemBuffer;
	int cmd = co_command(sp->Parameters.DeviceIoControl.IoControlCode);

	if (cmd < 0)
		return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
	if (cmd == 0) {
		if (out < sizeof(__s32))
			return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
		*(__s32 *)buf = COLINUX_ABI_VERSION;
		return complete(irp, STATUS_SUCCESS, sizeof(__s32));
	}
	if (!buf || !co_struct_ok(cmd, sp, buf))
		return complete(irp, STATUS_INVALID_PARAMETER, 0);
	return complete(irp, STATUS_NOT_IMPLEMENTED, 0);
}

static void co_unload(PDRIVER_OBJECT drv)
{
	UNICODE_STRING link;

	RtlInitUnicodeString(&link, COLINUX_WIN_LINK);
	IoDeleteSymbolicLink(&link);
	IoDeleteDevice(drv->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT drv, PUNICODE_STRING reg);

NTSTATUS DriverEntry(PDRIVER_OBJECT drv, PUNICODE_STRING reg)
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
	if (!NT_SUCCESS(status)) {
		IoDeleteDevice(dev);
		return status;
	}
	drv->MajorFunction[IRP_MJ_CREATE] = co_open_close;
	drv->MajorFunction[IRP_MJ_CLOSE] = co_open_close;
	drv->MajorFunction[IRP_MJ_DEVICE_CONTROL] = co_ioctl;
	drv->DriverUnload = co_unload;
	return STATUS_SUCCESS;
}
