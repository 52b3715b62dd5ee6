/* SPDX-License-Identifier: GPL-2.0 */
/* os-linux.h --- what module.c needs from os-linux.c. */
#ifndef CO_OS_LINUX_H
#define CO_OS_LINUX_H

int co_linux_os_init(void);
void co_linux_os_exit(void);
/* The load line: which speculation barriers the passage applies. */
void co_linux_say_barriers(void);

#endif
