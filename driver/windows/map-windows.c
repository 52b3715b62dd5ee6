// SPDX-License-Identifier: GPL-2.0
/*
 * map-windows.c --- guest RAM in the daemon (COLINUX_WIN_MAP_RAM): what
 * colinux.ko's mmap does, block after block from offset 0, for Windows.
 *
 * Each block is physically contiguous non-paged memory, so an MDL built
 * over its kernel mapping describes it, and MmMapLockedPagesSpecifyCache
 * maps that MDL into the calling process.  The blocks must follow each
 * other in the daemon as they do in the guest's RAM, so the driver first
 * asks the process for a range of the whole length (reserve, then
 * release) and maps each block at its offset in it; a thread of the
 * daemon that allocates in between takes the range, and the whole is
 * tried again elsewhere.
 *
 * MmMapLockedPagesSpecifyCache with UserMode does not return NULL when it
 * fails: it raises an exception, and GCC has no __try.  The call goes
 * through co_win_guarded() (guard-windows.S), which is why this file alone
 * is compiled with unwind data (windows.mk).
 *
 * The view must be gone before the process's address space is, so it is
 * taken away at IRP_MJ_CLEANUP (the last handle closed, which a dying
 * daemon's handle table also does while its address space still exists),
 * attached to the process that mapped it if another one closes last.  What
 * the driver cannot protect: a handle duplicated into another process that
 * outlives the daemon leaves the view to the daemon's exit; the device is
 * for Administrators and SYSTEM only (colinux.inf), who can do that.
 */
#include <ntifs.h>

#include "../core/arch.h"
#include "../core/vm.h"
#include "map-windows.h"

/* Windows 8 and later: user views of guest RAM are never executable. */
#define CO_MDL_MAPPING_NO_EXECUTE 0x40000000

/* A few tries when a thread of the daemon takes the range meanwhile. */
#define CO_MAP_TRIES 4

struct co_map_call {
	PMDL mdl;
	void *want;
	void *got;
};

static long co_map_call(void *arg)
{
	struct co_map_call *c = arg;

	c->got = MmMapLockedPagesSpecifyCache(
		c->mdl, UserMode, MmCached, c->want, FALSE,
		NormalPagePriority | CO_MDL_MAPPING_NO_EXECUTE);
	return 0;
}

/* Where the process has @len bytes free now, 64 KiB aligned. */
static u8 *co_map_room(u64 len)
{
	void *base = NULL;
	SIZE_T size = len;

	if (!NT_SUCCESS(ZwAllocateVirtualMemory(ZwCurrentProcess(), &base, 0,
						&size, MEM_RESERVE,
						PAGE_NOACCESS)))
		return NULL;
	size = 0;
	ZwFreeVirtualMemory(ZwCurrentProcess(), &base, &size, MEM_RELEASE);
	return base;
}

/* Unmaps and frees every MDL; in the process that holds the view. */
static void co_map_drop(struct co_win_ram *r)
{
	u8 *at = r->addr;
	unsigned int i;

	for (i = 0; i < r->nr_mdls; i++) {
		MmUnmapLockedPages(at, r->mdls[i]);
		at += MmGetMdlByteCount(r->mdls[i]);
		IoFreeMdl(r->mdls[i]);
	}
	r->nr_mdls = 0;
}

/* One MDL over [va, va + len) of a block, mapped at @at in the process. */
static NTSTATUS co_map_one(struct co_win_ram *r, void *va, u64 len, u8 *at)
{
	struct co_map_call c = { .want = at };
	NTSTATUS raised;

	c.mdl = IoAllocateMdl(va, (ULONG)len, FALSE, FALSE, NULL);
	if (!c.mdl)
		return STATUS_INSUFFICIENT_RESOURCES;
	MmBuildMdlForNonPagedPool(c.mdl);
	raised = co_win_guarded(co_map_call, &c);
	if (raised || c.got != at) {
		if (!raised)
			MmUnmapLockedPages(c.got, c.mdl);
		IoFreeMdl(c.mdl);
		return raised ? raised : STATUS_CONFLICTING_ADDRESSES;
	}
	r->mdls[r->nr_mdls++] = c.mdl;
	return STATUS_SUCCESS;
}

/* The blocks' first @len bytes, back to back from @base. */
static NTSTATUS co_map_blocks(struct co_win_ram *r, struct co_vm *vm, u64 len,
			      u8 *base)
{
	u64 done = 0, n;
	unsigned int i;
	NTSTATUS status;

	r->addr = base;
	for (i = 0; i < vm->nr_blocks && done < len; i++) {
		n = len - done < vm->blocks[i].size ? len - done :
						      vm->blocks[i].size;
		status = co_map_one(r, vm->blocks[i].va, n, base + done);
		if (status) {
			co_map_drop(r);
			return status;
		}
		done += n;
	}
	return STATUS_SUCCESS;
}

int co_win_map_ram(struct co_win_ram *r, struct co_vm *vm,
		   struct colinux_win_map *m)
{
	NTSTATUS status = STATUS_CONFLICTING_ADDRESSES;
	int tries;
	u8 *base;

	if (m->size != sizeof(*m) || m->abi_version != COLINUX_ABI_VERSION)
		return -EPROTO;
	if (!vm->setup_done)
		return -EBADFD;
	if (r->process)
		return -EBUSY;
	if (!m->len || m->len % CO_PAGE_SIZE || m->len > vm->mem_size)
		return -EINVAL;
	for (tries = 0;
	     tries < CO_MAP_TRIES && status == STATUS_CONFLICTING_ADDRESSES;
	     tries++) {
		base = co_map_room(m->len);
		if (!base)
			return -ENOMEM;
		status = co_map_blocks(r, vm, m->len, base);
	}
	if (status) {
		co_err("mapping %llu MiB of guest RAM into the daemon: status %#lx\n",
		       (unsigned long long)(m->len >> 20),
		       (unsigned long)status);
		return -ENOMEM;
	}
	r->process = PsGetCurrentProcess();
	ObReferenceObject(r->process);
	m->addr = (u64)(uintptr_t)base;
	return 0;
}

void co_win_unmap_ram(struct co_win_ram *r)
{
	KAPC_STATE apc;
	bool other;

	if (!r->process)
		return;
	other = r->process != PsGetCurrentProcess();
	if (other)
		KeStackAttachProcess((PKPROCESS)r->process, &apc);
	co_map_drop(r);
	if (other)
		KeUnstackDetachProcess(&apc);
	ObDereferenceObject(r->process);
	r->process = NULL;
}
