// SPDX-License-Identifier: GPL-2.0
/*
 * os-windows.c --- colinux-daemon's host OS layer on Windows (os.h): the
 * driver colinux.sys through DeviceIoControl (colinux/winioctl.h), stops
 * from Ctrl-C and the service manager, and coLinux's Windows commands:
 *
 *   --install-driver [--force] [FILE.sys]   the kernel service "colinux"
 *   --remove-driver / --status-driver
 *   --install-service [NAME] ARGS...         a service running the daemon
 *   --remove-service [NAME]                  (NAME: coLinux-guest)
 *
 * Exit statuses of the commands: 0 done; 1 failed (one line says why);
 * 4 the driver is not installed or not running (--status-driver);
 * 5 the driver speaks another ABI version; 6 this Windows refuses a
 * test-signed driver (test signing off, Secure Boot or memory integrity
 * on; --install-driver without --force).
 */
#include <ctype.h>
#include <errno.h>
#include <io.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <winternl.h>
#include <sddl.h>

#include <colinux/winioctl.h>
#include <co/log.h>

#include "os.h"
#include "win-errno.h"

#define EXIT_NO_DRIVER 4
#define EXIT_DRIVER_VERSION 5
#define EXIT_HOST_REFUSES 6
#define DEFAULT_SERVICE "coLinux-guest"

const char co_os_driver_path[] = COLINUX_WIN_PATH;
const char co_os_driver_hint[] =
	"colinux-daemon --install-driver, as Administrator";
const char co_os_usage[] =
	"Windows: colinux-daemon --install-driver [--force] [FILE.sys] | --remove-driver | --status-driver\n"
	"         colinux-daemon --install-service [NAME] [options] @config | --remove-service [NAME]\n";

/* Windows's text for an error code, without the line end. */
static const char *win_strerror(DWORD code)
{
	static char msg[256];
	DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
					 FORMAT_MESSAGE_IGNORE_INSERTS,
				 NULL, code, 0, msg, sizeof(msg), NULL);

	while (n &&
	       (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == '.'))
		msg[--n] = 0;
	if (!n)
		snprintf(msg, sizeof(msg), "Windows error %lu", code);
	return msg;
}

/*
 * What keeps this Windows from loading a test-signed driver that switches
 * the CPU's tables itself, as one line saying how to change it; NULL when
 * nothing does.  *unknown is set when the code-integrity state cannot be
 * read (then only Secure Boot is known).
 */
static const char *host_refusal(bool *unknown)
{
	struct {
		ULONG length, options;
	} ci = { sizeof(ci), 0 };
	DWORD secure_boot = 0, size = sizeof(secure_boot);
	NTSTATUS st;

	if (!RegGetValueA(
		    HKEY_LOCAL_MACHINE,
		    "SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State",
		    "UEFISecureBootEnabled", RRF_RT_REG_DWORD, NULL,
		    &secure_boot, &size) &&
	    secure_boot)
		return "Secure Boot is on, which keeps test-signed drivers out: turn it off in the firmware setup";
	/* SystemCodeIntegrityInformation: CODEINTEGRITY_OPTION_* */
	st = NtQuerySystemInformation((SYSTEM_INFORMATION_CLASS)103, &ci,
				      sizeof(ci), NULL);
	*unknown = !NT_SUCCESS(st);
	if (*unknown)
		return NULL;
	if (ci.options & 0x400) /* HVCI_KMCI_ENABLED */
		return "memory integrity (HVCI) is on, which gives no driver executable memory of its own: turn it off in Windows Security > Device security > Core isolation, and restart";
	if (!(ci.options & 0x2)) /* TESTSIGN */
		return "test signing is off: run \"bcdedit /set testsigning on\" as Administrator, and restart";
	return NULL;
}

/* Say what is in the way, if anything; true when something is. */
static bool say_host_refusal(void)
{
	bool unknown = false;
	const char *why = host_refusal(&unknown);

	if (why)
		co_err("this Windows will not load colinux.sys: %s", why);
	else if (unknown)
		co_warn("cannot tell whether test signing and memory integrity allow colinux.sys");
	return why;
}

static SC_HANDLE open_scm(void)
{
	SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);

	if (!scm)
		co_err("service manager: %s (run as Administrator)",
		       win_strerror(GetLastError()));
	return scm;
}

/* Wait (up to 30 s) while @svc's state is @pending. */
static void wait_while(SC_HANDLE svc, DWORD pending)
{
	SERVICE_STATUS st;
	int i;

	for (i = 0; i < 300; i++) {
		if (!QueryServiceStatus(svc, &st) ||
		    st.dwCurrentState != pending)
			return;
		Sleep(100);
	}
}

/*
 * Start the driver's service when it is installed and stopped, and wait
 * until its DriverEntry has run (the device exists then).
 */
static void start_driver(void)
{
	SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
	SC_HANDLE svc =
		scm ? OpenServiceA(scm, COLINUX_WIN_SERVICE,
				   SERVICE_START | SERVICE_QUERY_STATUS) :
		      NULL;

	if (svc && StartServiceA(svc, 0, NULL)) {
		wait_while(svc, SERVICE_START_PENDING);
	} else if (svc && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
		co_err("%s: the driver's service would not start: %s",
		       COLINUX_WIN_SERVICE, win_strerror(GetLastError()));
		say_host_refusal();
	}
	if (svc)
		CloseServiceHandle(svc);
	if (scm)
		CloseServiceHandle(scm);
}

/*
 * The device's handle as the descriptor: a kernel handle has 32
 * significant bits (as 32- and 64-bit processes share them), and it is
 * positive.  The C runtime's descriptors do not take a device's handle.
 * The handle is overlapped: Windows serializes the calls on a synchronous
 * handle, and a device thread's RAISE_VIRQ must not wait for the RUN that
 * the guest's thread is in.
 */
static int open_device(void)
{
	HANDLE h = CreateFileA(COLINUX_WIN_PATH, GENERIC_READ | GENERIC_WRITE,
			       0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
			       NULL);

	if (h == INVALID_HANDLE_VALUE) {
		errno = co_win_errno();
		return -1;
	}
	return (int)(intptr_t)h;
}

static HANDLE fd_handle(int fd)
{
	return (HANDLE)(intptr_t)fd;
}

/* The device; the driver's service is started first when it is not. */
int co_os_driver_open(void)
{
	int fd = open_device();

	if (fd < 0 && errno == ENOENT) {
		start_driver();
		fd = open_device();
	}
	return fd;
}

/*
 * One DeviceIoControl on the overlapped handle, waited for.  colinux.sys
 * completes every call before it returns (RUN runs in the caller's
 * thread), so the wait only collects the result; each thread has its own
 * event for it, made at its first call and kept for the next ones.
 */
static BOOL device_call(HANDLE h, DWORD code, void *in, DWORD in_size,
			void *out, DWORD out_size, DWORD *got)
{
	static __thread HANDLE done_event;
	OVERLAPPED ov = { 0 };

	if (!done_event)
		done_event = CreateEventA(NULL, TRUE, FALSE, NULL);
	if (!done_event)
		return FALSE;
	ov.hEvent = done_event;
	if (DeviceIoControl(h, code, in, in_size, out, out_size, got, &ov))
		return TRUE;
	return GetLastError() == ERROR_IO_PENDING &&
	       GetOverlappedResult(h, &ov, got, TRUE);
}

/*
 * A failed call's message, which Windows does not copy back with its
 * struct, into the struct's message field, as on Linux; errno is kept.
 */
static void last_message(HANDLE h, __u8 *message)
{
	struct colinux_win_message m;
	int err = errno;
	DWORD got;

	if (device_call(h, COLINUX_WIN_IOCTL(COLINUX_WIN_LAST_MESSAGE), NULL, 0,
			&m, sizeof(m), &got) &&
	    got == sizeof(m))
		memcpy(message, m.message, sizeof(m.message));
	errno = err;
}

int co_os_driver_call(int fd, unsigned long cmd, void *arg)
{
	HANDLE h = fd_handle(fd);
	DWORD code = COLINUX_WIN_IOCTL(cmd), size = _IOC_SIZE(cmd), got;
	DWORD out = _IOC_DIR(cmd) & _IOC_READ ? size : 0;
	INT32 version;

	if (cmd == COLINUX_GET_ABI_VERSION) {
		if (!device_call(h, code, NULL, 0, &version, sizeof(version),
				 &got) ||
		    got != sizeof(version)) {
			errno = co_win_errno();
			return -1;
		}
		return version;
	}
	if (device_call(h, code, arg, size, out ? arg : NULL, out, &got))
		return 0;
	errno = co_win_errno();
	if (cmd == COLINUX_SETUP)
		last_message(h, ((struct colinux_setup *)arg)->message);
	else if (cmd == COLINUX_RUN)
		last_message(h, ((struct colinux_run *)arg)->message);
	return -1;
}

/*
 * Guest RAM, block after block from offset 0, where colinux.sys put it in
 * this process (COLINUX_WIN_MAP_RAM; mmap on Linux).
 */
void *co_os_driver_map(int fd, size_t len)
{
	struct colinux_win_map m = { .size = sizeof(m),
				     .abi_version = COLINUX_ABI_VERSION,
				     .len = len };

	if (co_os_driver_call(fd, COLINUX_WIN_MAP_RAM, &m))
		return NULL;
	return (void *)(uintptr_t)m.addr;
}

/* colinux.sys takes the view away when the handle is closed, next. */
void co_os_driver_unmap(void *p, size_t len)
{
}

void co_os_driver_close(int fd)
{
	CloseHandle(fd_handle(fd));
}

static void (*stop_fn)(const char *reason);
static const char *volatile stop_early; /* asked before co_os_on_stop */

static void stop(const char *reason)
{
	if (stop_fn)
		stop_fn(reason);
	else
		stop_early = reason;
}

static BOOL WINAPI on_ctrl(DWORD type)
{
	stop(type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT ?
		     "Ctrl-C" :
		     "the console's closing or Windows's shutdown");
	return TRUE;
}

void co_os_on_stop(void (*fn)(const char *reason), void (*wake)(void))
{
	stop_fn = fn;
	SetConsoleCtrlHandler(on_ctrl, TRUE);
	if (stop_early)
		fn(stop_early);
}

/*
 * %ProgramData%\coLinux, as /run/colinux is on Linux: full control for
 * SYSTEM, Administrators and its maker (owner rights), nothing for anyone
 * else, and so for the socket file in it, which takes its access list (a
 * user who may not write the socket file may not connect).  An existing
 * folder is left as it is.
 */
int co_os_console_dir(const char *sock_path)
{
	SECURITY_ATTRIBUTES sa = { .nLength = sizeof(sa) };
	char dir[MAX_PATH], *slash;
	int ret = 0;

	if (strlen(sock_path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, sock_path);
	slash = strrchr(dir, '\\');
	if (!slash)
		return 0;
	*slash = 0;
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(
		    "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;OW)",
		    SDDL_REVISION_1, &sa.lpSecurityDescriptor, NULL))
		return -co_win_errno();
	if (!CreateDirectoryA(dir, &sa) &&
	    GetLastError() != ERROR_ALREADY_EXISTS)
		ret = -co_win_errno();
	LocalFree(sa.lpSecurityDescriptor);
	return ret;
}

/* GetModuleFileName's directory with @name appended, in @buf. */
static void beside_exe(char *buf, size_t size, const char *name)
{
	char *slash;

	GetModuleFileNameA(NULL, buf, size);
	slash = strrchr(buf, '\\');
	snprintf(slash ? slash + 1 : buf, size - (slash ? slash + 1 - buf : 0),
		 "%s", name);
}

static int install_driver(int argc, char **argv)
{
	char path[MAX_PATH];
	bool force = argc > 2 && !strcmp(argv[2], "--force");
	const char *file = argc > 2 + force ? argv[2 + force] : NULL;
	SC_HANDLE scm, svc;
	int ret = 1;

	if (argc > 3 + force) {
		co_err("--install-driver: one driver file at most, not %s",
		       argv[3 + force]);
		return 1;
	}
	if (!file) {
		beside_exe(path, sizeof(path), "colinux.sys");
	} else if (!GetFullPathNameA(file, sizeof(path), path, NULL)) {
		co_err("%s: %s", file, win_strerror(GetLastError()));
		return 1;
	}
	if (GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES) {
		co_err("%s: %s", path, win_strerror(GetLastError()));
		return 1;
	}
	if (say_host_refusal() && !force) {
		co_err("--install-driver: not installed (--force installs it all the same, for a driver signed otherwise)");
		return EXIT_HOST_REFUSES;
	}
	scm = open_scm();
	if (!scm)
		return 1;
	svc = CreateServiceA(scm, COLINUX_WIN_SERVICE, "coLinux driver",
			     SERVICE_ALL_ACCESS, SERVICE_KERNEL_DRIVER,
			     SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL, path,
			     NULL, NULL, NULL, NULL, NULL);
	if (!svc && GetLastError() == ERROR_SERVICE_EXISTS) {
		svc = OpenServiceA(scm, COLINUX_WIN_SERVICE,
				   SERVICE_ALL_ACCESS);
		if (svc && !ChangeServiceConfigA(
				   svc, SERVICE_KERNEL_DRIVER,
				   SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
				   path, NULL, NULL, NULL, NULL, NULL, NULL)) {
			CloseServiceHandle(svc);
			svc = NULL;
		}
	}
	if (svc) {
		co_info("driver service %s installed: %s", COLINUX_WIN_SERVICE,
			path);
		CloseServiceHandle(svc);
		ret = 0;
	} else {
		co_err("driver service %s: %s", COLINUX_WIN_SERVICE,
		       win_strerror(GetLastError()));
	}
	CloseServiceHandle(scm);
	return ret;
}

/* Stop @svc and wait until it has stopped. */
static void stop_service(SC_HANDLE svc)
{
	SERVICE_STATUS st;

	if (ControlService(svc, SERVICE_CONTROL_STOP, &st))
		wait_while(svc, SERVICE_STOP_PENDING);
}

static int remove_service(const char *name, const char *what)
{
	SC_HANDLE scm = open_scm(), svc;
	int ret = 1;

	if (!scm)
		return 1;
	svc = OpenServiceA(scm, name, SERVICE_ALL_ACCESS);
	if (svc) {
		stop_service(svc);
		if (DeleteService(svc)) {
			co_info("%s %s removed", what, name);
			ret = 0;
		}
	}
	if (ret)
		co_err("%s %s: %s", what, name, win_strerror(GetLastError()));
	if (svc)
		CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return ret;
}

static int status_driver(void)
{
	SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
	SC_HANDLE svc = scm ? OpenServiceA(scm, COLINUX_WIN_SERVICE,
					   SERVICE_QUERY_STATUS) :
			      NULL;
	SERVICE_STATUS st = { 0 };
	int fd, version, ret = EXIT_NO_DRIVER;

	if (svc)
		QueryServiceStatus(svc, &st);
	if (!svc)
		co_info("driver: not installed (colinux-daemon --install-driver)");
	else if (st.dwCurrentState != SERVICE_RUNNING)
		co_info("driver: installed, not running (colinux-daemon starts it; sc start %s)",
			COLINUX_WIN_SERVICE);
	say_host_refusal();
	if (svc)
		CloseServiceHandle(svc);
	if (scm)
		CloseServiceHandle(scm);
	if (!svc || st.dwCurrentState != SERVICE_RUNNING)
		return ret;
	fd = open_device();
	if (fd < 0) {
		co_err("driver: running, but %s: %s", COLINUX_WIN_PATH,
		       strerror(errno));
		return 1;
	}
	version = co_os_driver_call(fd, COLINUX_GET_ABI_VERSION, NULL);
	co_os_driver_close(fd);
	if (version != COLINUX_ABI_VERSION) {
		co_err("driver: running, ABI %d, but this colinux-daemon speaks %d: install matching versions",
		       version, COLINUX_ABI_VERSION);
		return EXIT_DRIVER_VERSION;
	}
	co_info("driver: running, ABI %d", version);
	return 0;
}

/*
 * Append @arg to the command line in @cmd, quoted when it has a space;
 * @file args ("@conf") are made absolute, for a service starts in
 * system32.  0, or -1 (logged) when it does not fit or cannot be quoted.
 */
static int append_arg(char *cmd, size_t size, const char *arg)
{
	char full[MAX_PATH + 1];
	size_t n = strlen(cmd);

	if (arg[0] == '@') {
		if (!GetFullPathNameA(arg + 1, MAX_PATH, full + 1, NULL)) {
			co_err("%s: %s", arg + 1, win_strerror(GetLastError()));
			return -1;
		}
		full[0] = '@';
		arg = full;
	}
	if (strchr(arg, '"')) {
		co_err("--install-service: an argument cannot hold a double quote: %s",
		       arg);
		return -1;
	}
	if ((size_t)snprintf(cmd + n, size - n,
			     strpbrk(arg, " \t") ? " \"%s\"" : " %s",
			     arg) >= size - n) {
		co_err("--install-service: the command line is too long");
		return -1;
	}
	return 0;
}

/* A service name: letters, digits, '-', '_' (no option, no @config). */
static bool service_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_'))
			return false;
	return true;
}

static int install_service(int argc, char **argv)
{
	const char *name = DEFAULT_SERVICE;
	char cmd[8192];
	SC_HANDLE scm, svc;
	int i = 2;

	if (argc > 2 && service_name(argv[2]))
		name = argv[i++];
	if (i == argc) {
		co_err("--install-service: the daemon's arguments are missing (@config at least)");
		return 1;
	}
	cmd[0] = '"';
	GetModuleFileNameA(NULL, cmd + 1, MAX_PATH);
	strcat(cmd, "\"");
	if (append_arg(cmd, sizeof(cmd), "--service") ||
	    append_arg(cmd, sizeof(cmd), name))
		return 1;
	for (; i < argc; i++)
		if (append_arg(cmd, sizeof(cmd), argv[i]))
			return 1;
	scm = open_scm();
	if (!scm)
		return 1;
	svc = CreateServiceA(scm, name, name, SERVICE_ALL_ACCESS,
			     SERVICE_WIN32_OWN_PROCESS, SERVICE_DEMAND_START,
			     SERVICE_ERROR_NORMAL, cmd, NULL, NULL, NULL, NULL,
			     NULL);
	if (!svc) {
		co_err("service %s: %s", name, win_strerror(GetLastError()));
		CloseServiceHandle(scm);
		return 1;
	}
	co_info("service %s installed: %s", name, cmd);
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return 0;
}

/* --service NAME ARGS...: what the service manager runs. */
static struct {
	const char *name;
	int argc;
	char **argv;
	int (*daemon)(int, char **);
	SERVICE_STATUS_HANDLE handle;
	SERVICE_STATUS st;
} svc;

static DWORD WINAPI service_control(DWORD ctl, DWORD type, void *data,
				    void *ctx)
{
	if (ctl != SERVICE_CONTROL_STOP && ctl != SERVICE_CONTROL_SHUTDOWN)
		return ctl == SERVICE_CONTROL_INTERROGATE ?
			       NO_ERROR :
			       ERROR_CALL_NOT_IMPLEMENTED;
	svc.st.dwCurrentState = SERVICE_STOP_PENDING;
	svc.st.dwWaitHint = 30000;
	SetServiceStatus(svc.handle, &svc.st);
	stop(ctl == SERVICE_CONTROL_STOP ? "a service stop" :
					   "Windows's shutdown");
	return NO_ERROR;
}

/*
 * The daemon's messages and the guest's console go to NAME.log beside the
 * program: a service has neither terminal nor console.
 */
static void service_log(void)
{
	char log[MAX_PATH], file[80];
	FILE *f;

	snprintf(file, sizeof(file), "%s.log", svc.name);
	beside_exe(log, sizeof(log), file);
	f = fopen(log, "a");
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	co_log_to(f);
	/* The C runtime's descriptor 1 had no handle behind it. */
	_dup2(_fileno(f), 1);
}

static void WINAPI service_main(DWORD argc, char **argv)
{
	int ret;

	service_log();
	svc.handle =
		RegisterServiceCtrlHandlerExA(svc.name, service_control, NULL);
	if (!svc.handle)
		return;
	svc.st.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	svc.st.dwCurrentState = SERVICE_RUNNING;
	svc.st.dwControlsAccepted = SERVICE_ACCEPT_STOP |
				    SERVICE_ACCEPT_SHUTDOWN;
	SetServiceStatus(svc.handle, &svc.st);
	ret = svc.daemon(svc.argc, svc.argv);
	svc.st.dwCurrentState = SERVICE_STOPPED;
	svc.st.dwControlsAccepted = 0;
	svc.st.dwWin32ExitCode = ret ? ERROR_SERVICE_SPECIFIC_ERROR : 0;
	svc.st.dwServiceSpecificExitCode = ret;
	SetServiceStatus(svc.handle, &svc.st);
}

static int run_service(int argc, char **argv, int (*daemon)(int, char **))
{
	SERVICE_TABLE_ENTRYA table[] = { { (char *)"", service_main },
					 { NULL, NULL } };

	if (argc < 3 || !service_name(argv[2])) {
		co_err("--service: a service name must follow");
		return 1;
	}
	svc.name = argv[2];
	svc.daemon = daemon;
	svc.argc = argc - 2;
	svc.argv = argv + 2;
	svc.argv[0] = argv[0];
	table[0].lpServiceName = (char *)svc.name;
	if (!StartServiceCtrlDispatcherA(table)) {
		co_err("--service %s: %s (the service manager runs this, not a user)",
		       svc.name, win_strerror(GetLastError()));
		return 1;
	}
	return (int)svc.st.dwServiceSpecificExitCode;
}

int co_os_command(int argc, char **argv, int (*daemon)(int, char **))
{
	const char *cmd = argc > 1 ? argv[1] : "";
	bool named = argc > 2;

	if (!strcmp(cmd, "--install-driver"))
		return install_driver(argc, argv);
	if (!strcmp(cmd, "--remove-driver") ||
	    !strcmp(cmd, "--status-driver")) {
		if (argc > 2) {
			co_err("%s takes no argument, not %s", cmd, argv[2]);
			return 1;
		}
		return cmd[2] == 'r' ? remove_service(COLINUX_WIN_SERVICE,
						      "driver service") :
				       status_driver();
	}
	if (!strcmp(cmd, "--install-service"))
		return install_service(argc, argv);
	if (!strcmp(cmd, "--remove-service")) {
		if (argc > 3 || (named && !service_name(argv[2]))) {
			co_err("--remove-service [NAME]: not a service name: %s",
			       argv[argc > 3 ? 3 : 2]);
			return 1;
		}
		return remove_service(named ? argv[2] : DEFAULT_SERVICE,
				      "service");
	}
	if (!strcmp(cmd, "--service"))
		return run_service(argc, argv, daemon);
	return -1;
}
