/* SPDX-License-Identifier: GPL-2.0 */
/* os-windows.h --- what colinux.c needs from os-windows.c. */
#ifndef CO_OS_WINDOWS_H
#define CO_OS_WINDOWS_H

int co_win_os_init(void);
void co_win_os_exit(void);
/* Once, before the first RUN: what needs ring 0 (os-windows.c). */
int co_win_os_ready(void);
/* What CPUID says: a local APIC, a hypervisor below Windows. */
bool co_win_has_apic(void);
bool co_win_hypervisor(void);

#endif
