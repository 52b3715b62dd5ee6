// SPDX-License-Identifier: GPL-2.0
/*
 * exectest.c --- execN= helpers on Windows (exec-windows.c), run under Wine
 * by tests/win; the program is also the helper it starts.
 *
 *   exectest run DIR            the cases (TAP, check.h): command lines
 *                               read back as they were given, the program
 *                               by path, by name alone and in a folder
 *                               with a blank; an exit logged when it
 *                               happens; helpers that cannot be asked (no
 *                               console) terminated at once, with what
 *                               they started; the refusals, naming the
 *                               key and ending the helpers before; the
 *                               job; a helper on the console
 *   exectest hold DIR [nokill]  exec0= a helper that starts another; "held
 *                               PID HELPER CHILD" on stdout, then 2
 *                               minutes' sleep (to be killed); nokill
 *                               takes the job's KILL_ON_JOB_CLOSE off
 *                               first, here and not in the daemon (the
 *                               negative control)
 *   exectest sleep PIDFILE      a helper: its pid in PIDFILE, then sleep
 *   exectest spawn PIDFILE      a helper that starts "sleep PIDFILE" (which
 *                               stays in the job), then sleeps
 *   exectest args FILE ARGS...  a helper: its argv as the C runtime and as
 *                               CommandLineToArgvW read it, each string
 *                               followed by a NUL, in FILE.crt and FILE.sh
 *   exectest exit N             a helper that exits with status N
 *   exectest alive PID          exit 0 while PID runs, 1 when it does not
 *   exectest kill PID           TerminateProcess, as a hard kill would
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <shellapi.h>

#include <co/array_size.h>
#include <co/cfg.h>
#include <co/io.h>
#include <co/log.h>

#include "exec.h"

#include "../lib/check.h"

static char dir[MAX_PATH], self[MAX_PATH], logpath[MAX_PATH];
static struct co_execs execs;
static struct co_cfg cfg;
static struct co_err err;

static void path_of(char *p, const char *name)
{
	snprintf(p, MAX_PATH, "%s\\%s", dir, name);
}

/* The whole of @p (NUL-terminated, *len bytes before it); NULL if none. */
static char *slurp(const char *p, size_t *len)
{
	char *s;

	return co_read_file(p, &s, len) ? NULL : s;
}

/* Wait up to 10 s for @p to hold @text; true when it does. */
static bool wait_for(const char *p, const char *text)
{
	size_t len;
	char *s;
	bool found = false;

	for (int i = 0; i < 100 && !found; i++) {
		s = slurp(p, &len);
		found = s && strstr(s, text);
		free(s);
		if (!found)
			Sleep(100);
	}
	return found;
}

/* The log from now on, empty: each case counts its own lines. */
static void fresh_log(void)
{
	static FILE *log;
	FILE *f = fopen(logpath, "wb");

	CHECK(f != NULL);
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	co_log_to(f);
	if (log)
		fclose(log);
	log = f;
}

/* How many times the log holds @text. */
static int logged(const char *text)
{
	size_t len = 0;
	char *s = slurp(logpath, &len), *at = s;
	int n = 0;

	while (at && (at = strstr(at, text))) {
		n++;
		at += strlen(text);
	}
	free(s);
	return n;
}

/* The pid of "execN: started '...' (pid N)" in the log, or 0. */
static DWORD started_pid(int i)
{
	char key[32], *s, *at;
	size_t len;
	DWORD pid = 0;

	snprintf(key, sizeof(key), "exec%d: started '", i);
	s = slurp(logpath, &len);
	at = s ? strstr(s, key) : NULL;
	at = at ? strstr(at, "(pid ") : NULL;
	if (at)
		pid = strtoul(at + 5, NULL, 10);
	free(s);
	return pid;
}

/* Whether @pid runs; not this process, which may have an ended one's pid. */
static bool alive(DWORD pid)
{
	HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, pid);
	bool running = h && WaitForSingleObject(h, 0) == WAIT_TIMEOUT &&
		       pid != GetCurrentProcessId();

	if (h)
		CloseHandle(h);
	return running;
}

/* execN= @argv, NULL-terminated (a copy is not needed: cfg is ours). */
static void set_exec(int i, char **argv)
{
	cfg.exec[i].argv = argv;
}

static int start(void)
{
	fresh_log();
	memset(&err, 0, sizeof(err));
	return co_execs_start(&execs, &cfg, &err);
}

static void stop(void)
{
	co_execs_stop(&execs);
	memset(&cfg, 0, sizeof(cfg));
}

/* The NUL-terminated strings of @p are @argv's, in order. */
static bool same_args(const char *p, char **argv)
{
	size_t len = 0, at = 0;
	char *s = slurp(p, &len);
	bool same = s != NULL;
	int i;

	for (i = 0; same && argv[i]; i++) {
		same = at < len && !strcmp(s + at, argv[i]);
		if (!same)
			printf("# %s: argument %d is \"%s\", expected \"%s\"\n",
			       p, i, at < len ? s + at : "(none)", argv[i]);
		at += strlen(s + at) + 1;
	}
	if (same && at != len) {
		printf("# %s: more arguments than given\n", p);
		same = false;
	}
	free(s);
	return same;
}

/* One helper's command line through CreateProcessW and back. */
static void round_trip(char *program, char **args, int nargs)
{
	char file[MAX_PATH], crt[MAX_PATH], sh[MAX_PATH], *argv[32];
	int i;

	path_of(file, "args");
	snprintf(crt, sizeof(crt), "%s.crt", file);
	snprintf(sh, sizeof(sh), "%s.sh", file);
	DeleteFileA(crt);
	DeleteFileA(sh);
	argv[0] = program;
	argv[1] = "args";
	argv[2] = file;
	for (i = 0; i < nargs; i++)
		argv[3 + i] = args[i];
	argv[3 + nargs] = NULL;
	set_exec(0, argv);
	CHECK_INT(start(), 0);
	CHECK(wait_for(logpath, "exited with status 0\n"));
	CHECK(same_args(crt, argv));
	CHECK(same_args(sh, argv));
	stop();
}

/*
 * Arguments with blanks, quotes and backslashes (before a quote, at the
 * end, elsewhere), an empty one, and one beyond ASCII in the code page,
 * read back by the C runtime and CommandLineToArgvW as they were given;
 * the program by its path, by its name alone (found in the daemon's
 * folder, ".exe" added), and from a folder with a blank in its name.
 */
static void test_command_line(void)
{
	static char acp[16];
	char *args[] = { "plain",
			 "two words",
			 "",
			 "tab\there",
			 "q\"uote",
			 "\"",
			 "\\\"",
			 "back\\slash",
			 "trail\\",
			 "trail blank\\",
			 "\\\\server\\share\\",
			 "a\\\\\"b c",
			 "-x=\"1 2\"",
			 acp };
	char spaced[MAX_PATH], sub[MAX_PATH], name[] = "exectest";
	BOOL lossy = FALSE;
	int n = ARRAY_SIZE(args);

	/* "café" in the ANSI code page, as the daemon's own argv has it. */
	if (!WideCharToMultiByte(CP_ACP, 0, L"caf\u00e9", -1, acp, sizeof(acp),
				 NULL, &lossy) ||
	    lossy) {
		printf("# this code page (%u) has no e acute: not tried\n",
		       GetACP());
		n--;
	}
	round_trip(self, args, n);
	round_trip(name, args, 2);
	CHECK_INT(logged("exec0: started 'exectest' (pid "), 1);
	path_of(sub, "sub dir");
	CreateDirectoryA(sub, NULL);
	snprintf(spaced, sizeof(spaced), "%s\\exectest.exe", sub);
	CHECK(CopyFileA(self, spaced, FALSE));
	round_trip(spaced, args, 2);
}

/* A helper's own exit is logged when it happens, once, as its own. */
static void test_exit(void)
{
	char *argv[] = { self, "exit", "3", NULL };

	set_exec(2, argv);
	CHECK_INT(start(), 0);
	CHECK_INT(logged("exec2: started '"), 1);
	CHECK(wait_for(logpath, ") exited with status 3\n"));
	stop();
	CHECK_INT(logged("exited with status 3"), 1);
}

/*
 * Without a console no helper can be asked to end: the job is terminated
 * at once (no grace period), with what the helpers started.
 */
static void test_terminate(void)
{
	char pid1[MAX_PATH], pid2[MAX_PATH];
	char *a[] = { self, "sleep", pid1, NULL };
	char *b[] = { self, "spawn", pid2, NULL };
	size_t len;
	char *s;
	DWORD t, first = 0, grandchild = 0;

	path_of(pid1, "t1.pid");
	path_of(pid2, "t2.pid");
	DeleteFileA(pid1);
	DeleteFileA(pid2);
	set_exec(0, a);
	set_exec(15, b);
	CHECK_INT(start(), 0);
	CHECK(wait_for(pid1, "\n") && wait_for(pid2, "\n"));
	s = slurp(pid1, &len);
	first = s ? strtoul(s, NULL, 10) : 0;
	free(s);
	s = slurp(pid2, &len);
	grandchild = s ? strtoul(s, NULL, 10) : 0;
	free(s);
	CHECK(first == started_pid(0) && alive(first));
	CHECK(grandchild && grandchild != started_pid(15) && alive(grandchild));
	t = GetTickCount();
	stop();
	t = GetTickCount() - t;
	printf("# stopped in %lu ms\n", t);
	CHECK(t < CO_EXEC_GRACE_MS);
	CHECK_INT(logged(") exited with status 1 (terminated)\n"), 2);
	CHECK(!alive(first) && !alive(started_pid(15)));
	CHECK(!alive(grandchild));
}

/*
 * A program that cannot start: one message naming the key, and the
 * helpers started before it ended.
 */
static void test_refusals(void)
{
	char none[MAX_PATH], text[MAX_PATH], pid[MAX_PATH], want[512];
	char *a[] = { self, "sleep", pid, NULL };
	char *b[] = { none, NULL };
	char *c[] = { text, NULL };
	FILE *f;

	path_of(none, "none.exe");
	path_of(text, "notes.txt");
	path_of(pid, "r.pid");
	f = fopen(text, "w");
	CHECK(f && fputs("not a program\n", f) >= 0 && !fclose(f));
	set_exec(0, a);
	set_exec(1, b);
	CHECK_INT(start(), -ENOENT);
	snprintf(want, sizeof(want),
		 "exec1: cannot start '%s': No such file or directory", none);
	CHECK_STR(err.msg, want);
	CHECK(started_pid(0) && !alive(started_pid(0)));
	CHECK_INT(logged("exec0: started '"), 1);
	CHECK_INT(logged(") exited with status 1 (terminated)\n"), 1);
	stop();
	set_exec(4, c);
	CHECK_INT(start(), -ENOEXEC);
	snprintf(want, sizeof(want),
		 "exec4: cannot start '%s': Exec format error", text);
	CHECK_STR(err.msg, want);
	stop();
}

/*
 * The job exec-windows.c put @pid into: the handle of this process's whose
 * process list has it (Wine answers a query of the limits with zeros for
 * any handle, so the list it is).
 */
static HANDLE find_job(DWORD pid)
{
	struct {
		JOBOBJECT_BASIC_PROCESS_ID_LIST list;
		ULONG_PTR more[CO_CFG_MAX_EXEC * 4];
	} ids;
	DWORD i;

	for (uintptr_t h = 4; pid && h < 0x10000; h += 4) {
		if (!QueryInformationJobObject((HANDLE)h,
					       JobObjectBasicProcessIdList,
					       &ids, sizeof(ids), NULL))
			continue;
		for (i = 0; i < ids.list.NumberOfProcessIdsInList; i++)
			if (ids.list.ProcessIdList[i] == pid)
				return (HANDLE)h;
	}
	return NULL;
}

/*
 * A helper is in a job of the daemon's, and the job is gone after the
 * stop.  (Its kill at the close: tests/win kills a holder.  What a helper
 * starts stays in the job, but Wine's IsProcessInJob says no for it:
 * test_terminate sees it end with the job.)
 */
static void test_job(void)
{
	char pid[MAX_PATH];
	char *a[] = { self, "sleep", pid, NULL };
	DWORD helper;
	HANDLE job, h;
	BOOL in = FALSE;

	path_of(pid, "j.pid");
	set_exec(7, a);
	CHECK_INT(start(), 0);
	helper = started_pid(7);
	job = find_job(helper);
	CHECK(job != NULL);
	h = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, helper);
	CHECK(h && IsProcessInJob(h, job, &in) && in);
	if (h)
		CloseHandle(h);
	stop();
	CHECK(find_job(helper) == NULL);
}

/* Whether @pid is on this console (Wine lists a new process late). */
static bool on_console(DWORD pid)
{
	DWORD pids[64], n, i;

	for (int tries = 0; tries < 100; tries++, Sleep(100)) {
		n = GetConsoleProcessList(pids, ARRAY_SIZE(pids));
		for (i = 0; i < n && i < ARRAY_SIZE(pids); i++)
			if (pids[i] == pid)
				return true;
	}
	return false;
}

/*
 * On the daemon's console, a helper is asked to end with CTRL_BREAK to
 * its group (it ends with 0xc000013a); Wine 8 has no CTRL_BREAK_EVENT
 * (GenerateConsoleCtrlEvent fails), and the helper is terminated.
 */
static void test_console(void)
{
	char pid[MAX_PATH];
	char *a[] = { self, "sleep", pid, NULL };

	path_of(pid, "c.pid");
	FreeConsole();
	CHECK(AllocConsole());
	set_exec(0, a);
	CHECK_INT(start(), 0);
	CHECK(wait_for(pid, "\n"));
	CHECK(on_console(started_pid(0)));
	stop();
	if (logged("no CTRL_BREAK for pid"))
		printf("# no CTRL_BREAK_EVENT on this host: terminated\n");
	CHECK(logged(") exited with status 0xc000013a\n") +
		      logged(") exited with status 1 (terminated)\n") ==
	      1);
	CHECK(!alive(started_pid(0)));
	FreeConsole();
}

static int run(void)
{
	path_of(logpath, "exectest.log");
	RUN_TEST(test_command_line);
	RUN_TEST(test_exit);
	RUN_TEST(test_terminate);
	RUN_TEST(test_refusals);
	RUN_TEST(test_job);
	RUN_TEST(test_console);
	return CHECK_EXIT();
}

/*
 * exec0= a helper that starts another, then wait to be killed; "held PID
 * HELPER ITS-CHILD" on stdout.
 */
static int hold(bool nokill)
{
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION li = { 0 };
	char pid[MAX_PATH];
	char *a[] = { self, "spawn", pid, NULL };
	HANDLE job;
	size_t len;
	char *s;

	path_of(pid, "hold.pid");
	path_of(logpath, "hold.log");
	DeleteFileA(pid);
	set_exec(0, a);
	if (start()) {
		printf("%s\n", err.msg);
		return 1;
	}
	job = find_job(started_pid(0));
	/* No limit at all: KILL_ON_JOB_CLOSE off. */
	if (nokill && job &&
	    !SetInformationJobObject(job, JobObjectExtendedLimitInformation,
				     &li, sizeof(li)))
		job = NULL;
	if (!job || !wait_for(pid, "\n")) {
		printf("no job, or the helper did not start\n");
		return 1;
	}
	s = slurp(pid, &len);
	printf("held %lu %lu %lu\n", GetCurrentProcessId(), started_pid(0),
	       strtoul(s, NULL, 10));
	fflush(stdout);
	free(s);
	Sleep(120000);
	stop();
	return 0;
}

/* The helper's side. */
static int write_pid(const char *p)
{
	char tmp[MAX_PATH];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%lu\n", GetCurrentProcessId()) < 0 || fclose(f))
		return 1;
	return !MoveFileExA(tmp, p, MOVEFILE_REPLACE_EXISTING);
}

/* @argc strings, each followed by a NUL, in @p (whole or not at all). */
static int write_list(const char *p, int argc, char **argv)
{
	char tmp[MAX_PATH];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	f = fopen(tmp, "wb");
	for (int i = 0; f && i < argc; i++)
		fwrite(argv[i], 1, strlen(argv[i]) + 1, f);
	if (!f || fclose(f))
		return 1;
	return !MoveFileExA(tmp, p, MOVEFILE_REPLACE_EXISTING);
}

/* CommandLineToArgvW's reading of this program's command line, in ACP. */
static char **shell_args(int *argc)
{
	wchar_t **w = CommandLineToArgvW(GetCommandLineW(), argc);
	char **a = w ? calloc(*argc + 1, sizeof(*a)) : NULL;

	for (int i = 0; a && i < *argc; i++) {
		int n = WideCharToMultiByte(CP_ACP, 0, w[i], -1, NULL, 0, NULL,
					    NULL);

		a[i] = malloc(n);
		WideCharToMultiByte(CP_ACP, 0, w[i], -1, a[i], n, NULL, NULL);
	}
	LocalFree(w);
	return a;
}

static int helper(int argc, char **argv)
{
	char sh_file[MAX_PATH], crt_file[MAX_PATH], **sh;
	int n;

	if (!strcmp(argv[1], "sleep")) {
		write_pid(argv[2]);
		Sleep(120000);
		return 0;
	}
	if (!strcmp(argv[1], "spawn")) {
		STARTUPINFOA si = { .cb = sizeof(si) };
		PROCESS_INFORMATION pi;
		char cmd[2 * MAX_PATH];

		snprintf(cmd, sizeof(cmd), "\"%s\" sleep \"%s\"", self,
			 argv[2]);
		if (!CreateProcessA(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL,
				    &si, &pi))
			return 1;
		Sleep(120000);
		return 0;
	}
	if (!strcmp(argv[1], "args")) {
		sh = shell_args(&n);
		snprintf(sh_file, sizeof(sh_file), "%s.sh", argv[2]);
		snprintf(crt_file, sizeof(crt_file), "%s.crt", argv[2]);
		/* The .sh file first: the .crt file says both are there. */
		return !sh || write_list(sh_file, n, sh) ||
		       write_list(crt_file, argc, argv);
	}
	return -1;
}

int main(int argc, char **argv)
{
	int ret;

	GetModuleFileNameA(NULL, self, sizeof(self));
	co_log_init("exectest", CO_LOG_DEBUG);
	if (argc > 2 && (!strcmp(argv[1], "run") || !strcmp(argv[1], "hold"))) {
		snprintf(dir, sizeof(dir), "%s", argv[2]);
		return argv[1][0] == 'r' ?
			       run() :
			       hold(argc > 3 && !strcmp(argv[3], "nokill"));
	}
	if (argc > 2 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc > 2 && !strcmp(argv[1], "alive"))
		return !alive(strtoul(argv[2], NULL, 10));
	if (argc > 2 && !strcmp(argv[1], "kill")) {
		HANDLE h = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE,
				       strtoul(argv[2], NULL, 10));

		return !(h && TerminateProcess(h, 9) &&
			 WaitForSingleObject(h, 10000) == WAIT_OBJECT_0);
	}
	ret = argc > 2 ? helper(argc, argv) : -1;
	if (ret >= 0)
		return ret;
	fprintf(stderr,
		"usage: exectest run|hold DIR | sleep|spawn PIDFILE | args FILE ARGS... | exit N | alive|kill PID\n");
	return 2;
}
