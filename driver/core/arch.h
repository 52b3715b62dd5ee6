/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch.h --- x86_64 instructions the monitor needs, as inline functions
 * (the constants they use are in colinux/x86.h).
 *
 * Deliberately independent of any host OS header: the same core builds in
 * the Linux module and, later, in the Windows driver.
 */
#ifndef CO_ARCH_H
#define CO_ARCH_H

#include <colinux/x86.h>

#include "os.h"

struct co_dtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

#define CO_DEFINE_READ_CR(n)                                  \
	static inline u64 co_arch_read_cr##n(void)            \
	{                                                     \
		u64 v;                                        \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v)); \
		return v;                                     \
	}
CO_DEFINE_READ_CR(0)
CO_DEFINE_READ_CR(2)
CO_DEFINE_READ_CR(3)
CO_DEFINE_READ_CR(4)

#define CO_DEFINE_READ_SEG(s)                                \
	static inline u16 co_arch_read_##s(void)             \
	{                                                    \
		u16 v;                                       \
		asm volatile("mov %%" #s ", %0" : "=rm"(v)); \
		return v;                                    \
	}
CO_DEFINE_READ_SEG(cs)
CO_DEFINE_READ_SEG(ss)
CO_DEFINE_READ_SEG(ds)
CO_DEFINE_READ_SEG(es)
CO_DEFINE_READ_SEG(fs)
CO_DEFINE_READ_SEG(gs)

static inline u64 co_arch_rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void co_arch_wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
		     : "memory");
}

static inline u64 co_arch_xgetbv(u32 index)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return ((u64)hi << 32) | lo;
}

static inline void co_arch_xsetbv(u32 index, u64 v)
{
	asm volatile("xsetbv" : : "c"(index), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u32 co_arch_rdpkru(void)
{
	u32 pkru, edx;

	asm volatile("rdpkru" : "=a"(pkru), "=d"(edx) : "c"(0));
	return pkru;
}

static inline void co_arch_wrpkru(u32 pkru)
{
	asm volatile("wrpkru" : : "a"(pkru), "c"(0), "d"(0));
}

/* Plain XSAVE/XRSTOR of every enabled component (never XSAVEOPT). */
static inline void co_arch_xsave(void *area)
{
	asm volatile("xsave64 %0"
		     : "+m"(*(u8 *)area)
		     : "a"(~0U), "d"(~0U)
		     : "memory");
}

static inline void co_arch_xrstor(const void *area)
{
	asm volatile("xrstor64 %0"
		     :
		     : "m"(*(const u8 *)area), "a"(~0U), "d"(~0U)
		     : "memory");
}

static inline void co_arch_fxsave(void *area)
{
	asm volatile("fxsave64 %0" : "+m"(*(u8 *)area) : : "memory");
}

static inline void co_arch_fxrstor(const void *area)
{
	asm volatile("fxrstor64 %0" : : "m"(*(const u8 *)area) : "memory");
}

static inline void co_arch_sgdt(struct co_dtr *d)
{
	asm volatile("sgdt %0" : "=m"(*d));
}

static inline void co_arch_sidt(struct co_dtr *d)
{
	asm volatile("sidt %0" : "=m"(*d));
}

static inline u16 co_arch_str(void)
{
	u16 v;

	asm volatile("str %0" : "=rm"(v));
	return v;
}

static inline u16 co_arch_sldt(void)
{
	u16 v;

	asm volatile("sldt %0" : "=rm"(v));
	return v;
}

static inline u64 co_arch_read_dr7(void)
{
	u64 v;

	asm volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

static inline u64 co_arch_rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* Atomic *p |= v, a full barrier (lock prefix). */
static inline void co_arch_atomic_or64(volatile u64 *p, u64 v)
{
	asm volatile("lock orq %1, %0" : "+m"(*p) : "er"(v) : "memory");
}

static inline void co_arch_cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c,
				 u32 *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(sub));
}

#endif
