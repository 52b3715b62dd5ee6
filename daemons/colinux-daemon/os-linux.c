// SPDX-License-Identifier: GPL-2.0
/* os-linux.c --- colinux-daemon's host OS layer on Linux (os.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os.h"

const char co_os_driver_path[] = "/dev/colinux";
const char co_os_driver_hint[] = "modprobe colinux, or insmod colinux.ko";
const char co_os_usage[] = "";

int co_os_driver_open(void)
{
	return open(co_os_driver_path, O_RDWR | O_CLOEXEC);
}

int co_os_driver_call(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg);
}

void *co_os_driver_map(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

void co_os_driver_unmap(void *p, size_t len)
{
	munmap(p, len);
}

void co_os_driver_close(int fd)
{
	close(fd);
}

static void (*stop_fn)(const char *reason);
static void (*wake_fn)(void);

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		wake_fn(); /* Ctrl-] q: the flag is in struct co_console */
	else
		stop_fn(sig == SIGINT ? "Interrupt" : "Terminated");
}

void co_os_on_stop(void (*stop)(const char *reason), void (*wake)(void))
{
	struct sigaction sa = { .sa_handler = on_signal };

	stop_fn = stop;
	wake_fn = wake;
	/* No SA_RESTART: RUN must return to the loop that checks the flag. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int co_os_command(int argc, char **argv, int (*daemon)(int, char **))
{
	return -1;
}

int co_os_console_dir(const char *sock_path)
{
	char *dir = strdup(sock_path), *slash = dir ? strrchr(dir, '/') : NULL;
	int ret = -ENOMEM;

	if (slash) {
		*slash = 0;
		ret = mkdir(dir, 0700) && errno != EEXIST ? -errno : 0;
	}
	free(dir);
	return ret;
}
