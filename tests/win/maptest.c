// SPDX-License-Identifier: GPL-2.0
/*
 * maptest.c --- maptest.exe: colinux.sys's MAP_RAM, the driver's own
 * objects (map-windows.o, guard-windows.o, as built for colinux.sys) in a
 * program under Wine, over stand-ins for the kernel calls they make.  No user-mode process can run
 * the real ones (Wine's driver is in its own process), so the stand-ins
 * record what the driver asks and answer as Windows documents: the map
 * call maps at the address asked for, picks another one (a conflict), or
 * raises STATUS_INSUFFICIENT_RESOURCES through the real exception
 * machinery, which the guard must catch.  The checks: blocks mapped back
 * to back from one base, one MDL each, the process referenced; on a raise
 * or a conflict everything mapped so far unmapped and every MDL freed;
 * conflicts tried again elsewhere, four times at most; the refusals; the
 * unmap attached to the mapping process when another one closes.
 */
#include <ntifs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"
#include "map-windows.h"
#include "check.h"

/* kernel32's (this is a program): raises as ExRaiseStatus does. */
__declspec(dllimport) VOID NTAPI
	RaiseException(ULONG code, ULONG flags, ULONG n, const ULONG_PTR *args);

/* What the stand-ins saw and are told to do. */
static struct {
	int mdls, mdls_freed, maps, unmaps, refs, derefs, attached, detached;
	int raise_at; /* the map call's number that raises (0: none) */
	int conflicts; /* this many map calls pick another address */
	int rooms; /* ranges handed out */
	u8 *last_want;
} st;
static char room[4][16 << 20]; /* the process's free ranges, in turn */
static char other_process, this_process;

void co_os_log(int level, const char *fmt, ...)
{
}

PMDL NTAPI IoAllocateMdl(PVOID va, ULONG len, BOOLEAN secondary, BOOLEAN charge,
			 PIRP irp)
{
	PMDL m = calloc(1, sizeof(*m));

	m->ByteCount = len;
	m->StartVa = va;
	st.mdls++;
	return m;
}

VOID NTAPI IoFreeMdl(PMDL m)
{
	free(m);
	st.mdls_freed++;
}

VOID NTAPI MmBuildMdlForNonPagedPool(PMDL m)
{
}

PVOID NTAPI MmMapLockedPagesSpecifyCache(PMDL m, KPROCESSOR_MODE mode,
					 MEMORY_CACHING_TYPE cache, PVOID want,
					 ULONG bugcheck,
					 MM_PAGE_PRIORITY priority)
{
	if (++st.maps == st.raise_at)
		RaiseException(STATUS_INSUFFICIENT_RESOURCES, 0, 0, NULL);
	st.last_want = want;
	if (st.conflicts) {
		st.conflicts--;
		return (u8 *)want + 0x10000;
	}
	return want;
}

VOID NTAPI MmUnmapLockedPages(PVOID at, PMDL m)
{
	st.unmaps++;
}

NTSTATUS NTAPI ZwAllocateVirtualMemory(HANDLE p, PVOID *base, ULONG_PTR bits,
				       PSIZE_T size, ULONG type, ULONG prot)
{
	if (*size > sizeof(room[0]))
		return STATUS_NO_MEMORY;
	*base = room[st.rooms++ % 4];
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI ZwFreeVirtualMemory(HANDLE p, PVOID *base, PSIZE_T size,
				   ULONG type)
{
	return STATUS_SUCCESS;
}

PEPROCESS NTAPI IoGetCurrentProcess(VOID)
{
	return (PEPROCESS)&this_process;
}

LONG_PTR FASTCALL ObfReferenceObject(PVOID o)
{
	st.refs++;
	return 1;
}

LONG_PTR FASTCALL ObfDereferenceObject(PVOID o)
{
	st.derefs++;
	return 0;
}

VOID NTAPI KeStackAttachProcess(PKPROCESS p, PRKAPC_STATE apc)
{
	st.attached += p == (PKPROCESS)&other_process;
}

VOID NTAPI KeUnstackDetachProcess(PRKAPC_STATE apc)
{
	st.detached++;
}

/* The driver's object calls them through import pointers. */
#define IMPORT(fn) void *__imp_##fn = (void *)fn
IMPORT(IoAllocateMdl);
IMPORT(IoFreeMdl);
IMPORT(IoGetCurrentProcess);
IMPORT(KeStackAttachProcess);
IMPORT(KeUnstackDetachProcess);
IMPORT(MmBuildMdlForNonPagedPool);
IMPORT(MmMapLockedPagesSpecifyCache);
IMPORT(MmUnmapLockedPages);
IMPORT(ObfDereferenceObject);
IMPORT(ObfReferenceObject);
IMPORT(ZwAllocateVirtualMemory);
IMPORT(ZwFreeVirtualMemory);

/* A guest set up with blocks of 4, 2 and 1 MiB. */
static u8 ram[7 << 20];
static struct co_vm vm;
/* The driver's view of it in each test, and the call that asks for it. */
static struct co_win_ram r;
static struct colinux_win_map m;

static void fresh(void)
{
	memset(&st, 0, sizeof(st));
	memset(&r, 0, sizeof(r));
	m = (struct colinux_win_map){ .size = sizeof(m),
				      .abi_version = COLINUX_ABI_VERSION,
				      .len = 7 << 20 };
	vm.setup_done = true;
	vm.mem_size = 7 << 20;
	vm.nr_blocks = 3;
	vm.blocks[0] = (struct co_os_block){ .va = ram, .size = 4 << 20 };
	vm.blocks[1] =
		(struct co_os_block){ .va = ram + (4 << 20), .size = 2 << 20 };
	vm.blocks[2] =
		(struct co_os_block){ .va = ram + (6 << 20), .size = 1 << 20 };
}

static void test_back_to_back(void)
{
	fresh();
	CHECK_INT(co_win_map_ram(&r, &vm, &m), 0);
	CHECK(m.addr == (u64)(uintptr_t)room[0]);
	CHECK_INT(r.nr_mdls, 3);
	CHECK_INT(st.maps, 3);
	/* The last block at 6 MiB from the base, after 4 and 2. */
	CHECK(st.last_want == (u8 *)room[0] + (6 << 20));
	CHECK_INT((int)MmGetMdlByteCount(r.mdls[1]), 2 << 20);
	CHECK(r.process == (PEPROCESS)&this_process);
	CHECK_INT(st.refs, 1);
	/* Once per handle. */
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -EBUSY);
	co_win_unmap_ram(&r);
	CHECK_INT(st.unmaps, 3);
	CHECK_INT(st.mdls_freed, 3);
	CHECK_INT(st.derefs, 1);
	CHECK_INT(st.attached + st.detached, 0);
	CHECK(r.process == NULL);
}

/* Part of guest RAM: the blocks it takes, the last one in part. */
static void test_part(void)
{
	fresh();
	m.len = 5 << 20;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), 0);
	CHECK_INT(r.nr_mdls, 2);
	CHECK_INT((int)MmGetMdlByteCount(r.mdls[1]), 1 << 20);
	co_win_unmap_ram(&r);
}

/* The second block's map call raises: caught, the first unmapped. */
static void test_raise(void)
{
	fresh();
	st.raise_at = 2;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -ENOMEM);
	CHECK_INT(st.maps, 2);
	CHECK_INT(st.unmaps, 1);
	CHECK_INT(st.mdls, st.mdls_freed);
	CHECK_INT(r.nr_mdls, 0);
	CHECK(r.process == NULL);
	CHECK_INT(st.refs, 0);
	/* Nothing held: the next try maps. */
	CHECK_INT(co_win_map_ram(&r, &vm, &m), 0);
	co_win_unmap_ram(&r);
}

/* Another address picked once: everything undone, a new range, mapped. */
static void test_conflict_once(void)
{
	fresh();
	st.conflicts = 1;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), 0);
	CHECK_INT(st.rooms, 2);
	CHECK(m.addr == (u64)(uintptr_t)room[1]);
	CHECK_INT(st.unmaps, 1); /* the misplaced one */
	CHECK_INT(st.mdls - st.mdls_freed, 3);
	co_win_unmap_ram(&r);
	CHECK_INT(st.mdls, st.mdls_freed);
}

/* Always another address: four tries, then ENOMEM, nothing held. */
static void test_conflict_always(void)
{
	fresh();
	st.conflicts = 1000;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -ENOMEM);
	CHECK_INT(st.rooms, 4);
	CHECK_INT(st.mdls, st.mdls_freed);
	CHECK_INT(st.unmaps, st.maps);
	CHECK(r.process == NULL);
}

static void test_refusals(void)
{
	fresh();
	m.len = 0;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -EINVAL);
	m.len = (7 << 20) + 4096;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -EINVAL);
	m.len = 4095;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -EINVAL);
	m.len = 7 << 20;
	m.abi_version++;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -EPROTO);
	m.abi_version--;
	m.size--;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -EPROTO);
	m.size++;
	vm.setup_done = false;
	CHECK_INT(co_win_map_ram(&r, &vm, &m), -EBADFD);
	CHECK_INT(st.maps + st.mdls + st.rooms, 0);
}

/* Closed last by another process: the unmap runs attached to the mapper. */
static void test_unmap_elsewhere(void)
{
	fresh();
	CHECK_INT(co_win_map_ram(&r, &vm, &m), 0);
	r.process = (PEPROCESS)&other_process;
	co_win_unmap_ram(&r);
	CHECK_INT(st.attached, 1);
	CHECK_INT(st.detached, 1);
	CHECK_INT(st.unmaps, 3);
	co_win_unmap_ram(&r); /* none left: nothing happens */
	CHECK_INT(st.unmaps, 3);
	CHECK_INT(st.derefs, 1);
}

int main(void)
{
	RUN_TEST(test_back_to_back);
	RUN_TEST(test_part);
	RUN_TEST(test_raise);
	RUN_TEST(test_conflict_once);
	RUN_TEST(test_conflict_always);
	RUN_TEST(test_refusals);
	RUN_TEST(test_unmap_elsewhere);
	return CHECK_EXIT();
}
