/* SPDX-License-Identifier: GPL-2.0 */
/*
 * os.h --- what colinux-daemon asks of its host OS: the driver's device,
 * stop requests, and the host's own commands.  os-linux.c or os-windows.c,
 * chosen by the Makefile (daemons/daemons.mk, daemons/win.mk).  The driver
 * is a file descriptor on both (on Windows, a C runtime descriptor of the
 * device's handle).
 */
#ifndef CO_OS_H
#define CO_OS_H

#include <stddef.h>

/* The driver's device, for messages: /dev/colinux or \\.\coLinux. */
extern const char co_os_driver_path[];
/* How to get the driver loaded, for the message when it is not. */
extern const char co_os_driver_hint[];

/* Open the driver's device: a descriptor, or -1 with errno set. */
int co_os_driver_open(void);
/* A command of colinux/ioctl.h: its result (>= 0), or -1 with errno set. */
int co_os_driver_call(int fd, unsigned long cmd, void *arg);
/* Map the guest RAM SETUP made: the mapping, or NULL with errno set. */
void *co_os_driver_map(int fd, size_t len);
void co_os_driver_unmap(void *p, size_t len);
void co_os_driver_close(int fd);

/*
 * Call @stop(reason) when the user or the system asks the daemon to stop
 * (SIGINT/SIGTERM; Ctrl-C, a service stop or shutdown on Windows), and
 * @wake() when the console's thread wants the RUN loop to look at its
 * flags.  @reason is a text for the log.
 */
void co_os_on_stop(void (*stop)(const char *reason), void (*wake)(void));

/*
 * The host's own commands (Windows: --install-driver, --install-service,
 * ...), looked at before anything else: the exit status when argv[1] is
 * one of them, -1 when it is not.  @daemon is main's body, for a service
 * that runs the daemon.
 */
int co_os_command(int argc, char **argv, int (*daemon)(int, char **));
/* Usage lines of the host's own commands ("" when there are none). */
extern const char co_os_usage[];

/*
 * Make the folder of the default console socket @sock_path when it is
 * missing, for its maker (and on Windows, Administrators and SYSTEM) only:
 * 0 or -errno.
 */
int co_os_console_dir(const char *sock_path);

#endif
