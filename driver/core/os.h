/* SPDX-License-Identifier: GPL-2.0 */
/*
 * os.h --- the only way driver/core reaches the host operating system.
 *
 * driver/core is the OS-independent monitor; driver/linux/os-linux.c and
 * driver/windows/os-windows.c implement these few functions.  Core files
 * include nothing else from the host OS.  Commands return 0 or a negative
 * errno; predicates return bool.
 */
#ifndef CO_OS_H
#define CO_OS_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/kernel.h>
#include <linux/string.h>
#define CO_OS_KERNEL 1 /* in a host's kernel: the CPU is the core's to read */
#elif defined(CO_OS_WINDOWS) /* colinux.sys: MinGW-w64, no C library */
#include <errno.h> /* MinGW's: macros only, the DDK includes it too */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#define EBADFD 77 /* Linux's; MinGW has none */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* ntoskrnl.exe exports these four. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *p, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
/* Always terminated, as C99's (ntoskrnl's _vsnprintf is not). */
int co_os_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int co_os_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define vsnprintf co_os_vsnprintf
#define snprintf co_os_snprintf
#define CO_OS_KERNEL 1
#else /* user-space unit tests of the pure parts */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

/*
 * Functions of switch.S called from C: System V's convention on every host
 * (it takes its argument in %rdi), where MinGW's C is Microsoft's.
 */
#ifdef CO_OS_WINDOWS
#define CO_ASMCALL __attribute__((sysv_abi))
#else
#define CO_ASMCALL
#endif

struct co_err;

/* Guest RAM block: physically contiguous, aligned to its size, zeroed. */
struct co_os_block {
	u64 phys;
	u64 size;
	void *va; /* kernel mapping, for the loader */
	int source; /* which allocator, private to the OS layer */
};

/* Zeroed, page-aligned kernel memory; may sleep. */
void *co_os_zalloc(size_t size);
void co_os_free(void *p);

/*
 * One block of guest RAM.  Returns 0, -ENOMEM when no such block can be
 * found (nothing is held then).
 */
int co_os_block_alloc(u64 size, struct co_os_block *b);
void co_os_block_free(struct co_os_block *b);
/* Bytes of RAM the host has in all. */
u64 co_os_host_ram(void);
/* Physical address of a page of the driver's own image (code or data). */
u64 co_os_image_phys(const void *va);

/* The lock that guards the slot table. */
void co_os_global_lock(void);
void co_os_global_unlock(void);

/* The CPU the caller runs on. */
unsigned long co_os_irq_save(void);
void co_os_irq_restore(unsigned long flags);
/* Claim the FPU for the guest; no preemption until co_os_fpu_end(). */
void co_os_fpu_begin(void);
void co_os_fpu_end(void);
void co_os_cond_resched(void);
bool co_os_signal_pending(void);
int co_os_rdmsr_safe(u32 msr, u64 *val);
/*
 * Run a host IDT handler for an interrupt or NMI already accepted, on the
 * frame the CPU would have pushed (interrupts off).
 */
void co_os_call_gate(u64 handler);
/* Run the host's NMI handler (interrupts off, NMI already accepted). */
void co_os_forward_nmi(void);
/* This CPU is handling a machine check (MCG_STATUS.MCIP). */
bool co_os_mce_in_progress(void);
/*
 * Run the host's machine-check handler for one that hit the guest, as an
 * error in the process's user mode (interrupts off).
 */
void co_os_forward_mce(void);
/*
 * @vector is the local APIC's highest-priority vector in service, or the
 * spurious vector (interrupts off).
 */
bool co_os_apic_in_service(unsigned int vector);
/* The local APIC has no vector in service (checked after forwarding). */
bool co_os_apic_isr_clean(void);
/* A warning may be logged now: a few every few seconds, all guests together. */
bool co_os_ratelimit(void);
/*
 * Around the guest (interrupts off): the guest is a quiescent state for
 * RCU, as KVM tells it for its guests.  Nothing between the two may use RCU.
 */
void co_os_guest_enter(void);
void co_os_guest_exit(void);
/*
 * The hardware audit of the host-VM tests: when the module was loaded with
 * audit=1, mark each guest entry and exit with a port write that QEMU's
 * cpu_out trace shows, so that any port, APIC or PCI access between the two
 * is known to be the guest's.  Interrupts are off around both marks.
 */
void co_os_audit_mark(bool enter);
/*
 * The host's own speculation policy, applied around the guest as KVM
 * applies it around its guests.  co_os_clear_buffers(): the passage clears
 * the CPU's buffers (VERW) just before each entry, when the host clears
 * them on its way to user space.  co_os_exit_barrier(), right after each
 * exit: an IBPB when the host uses one between processes, since the guest
 * kernel trained the branch predictors in the host's own ring.
 */
bool co_os_clear_buffers(void);
void co_os_exit_barrier(void);
/* Host hardware breakpoints: disarm before entry, rearm after exit. */
bool co_os_debug_disarm(void);
void co_os_debug_rearm(void);

/* The host's TSC frequency in kHz (the guest reads the same TSC). */
u64 co_os_tsc_khz(void);
/*
 * Whether the host's TSC can be the guest's clock: co_host_tsc_check() on
 * what the host's kernel knows of it, with the driver's allow_unreliable_tsc.
 */
int co_os_tsc_check(struct co_err *err);
/* The host's wall clock: nanoseconds since the epoch, UTC. */
u64 co_os_realtime_ns(void);

/*
 * A one-shot timer whose function runs on the CPU that started it, with
 * that CPU's interrupts or scheduling held off: hard interrupt context on
 * Linux (an hrtimer), a DPC at DISPATCH_LEVEL on Windows.  It may not
 * sleep.  start() (re)arms it @ns from now; cancel() and destroy() return
 * only once the function is not running.
 */
struct co_os_timer;
struct co_os_timer *co_os_timer_create(void (*fn)(void *), void *arg);
void co_os_timer_start(struct co_os_timer *t, u64 ns);
void co_os_timer_cancel(struct co_os_timer *t);
void co_os_timer_destroy(struct co_os_timer *t);

/*
 * How a guest's thread is woken: from an idle wait, or out of the guest on
 * the CPU it runs on (an interrupt there makes the guest forward it, and the
 * return from that call shows the guest what is pending).  kick() may be
 * called from any context, wait() only from the guest's own thread, which
 * it puts to sleep until ready(arg) holds (0) or a signal comes (-EINTR).
 */
struct co_os_notify;
struct co_os_notify *co_os_notify_create(const volatile int *cpu, u64 *nmis);
void co_os_notify_destroy(struct co_os_notify *n);
/*
 * Between watch_start() and watch_stop() (the guest's own thread, which
 * runs the guest meanwhile) a kill is watched for from other CPUs: the IPI
 * that comes with a signal does not reach a guest that runs with interrupts
 * off.  Once the thread has a fatal signal, the CPU in *cpu (given to
 * create(); the guest's, -1 between entries) gets an NMI, which the guest
 * forwards like any NMI; the round trip ends and RUN sees the signal.
 * Each NMI sent adds one to *nmis.
 */
void co_os_notify_watch_start(struct co_os_notify *n);
void co_os_notify_watch_stop(struct co_os_notify *n);
int co_os_notify_wait(struct co_os_notify *n, bool (*ready)(void *), void *arg);
void co_os_notify_kick(struct co_os_notify *n, int cpu);
/* The caller's thread is the one to interrupt from now on. */
void co_os_notify_bind(struct co_os_notify *n);
/* The CPU the caller runs on (interrupts off). */
int co_os_cpu(void);

/*
 * An eventfd of the daemon's, held by the driver (COLINUX_SET_IOEVENTFD).
 * get() takes a reference from a file descriptor of the calling process
 * (0, or -EBADF when it is not an eventfd); signal() adds 1 to its count,
 * with interrupts on; put() drops the reference.
 */
struct co_os_event;
int co_os_event_get(int fd, struct co_os_event **ev);
void co_os_event_signal(struct co_os_event *ev);
void co_os_event_put(struct co_os_event *ev);

#define CO_LOG_ERR 3
#define CO_LOG_WARN 4
#define CO_LOG_INFO 6
void co_os_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define co_err(...) co_os_log(CO_LOG_ERR, __VA_ARGS__)
#define co_warn(...) co_os_log(CO_LOG_WARN, __VA_ARGS__)
#define co_info(...) co_os_log(CO_LOG_INFO, __VA_ARGS__)

#endif
