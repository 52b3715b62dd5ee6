// SPDX-License-Identifier: GPL-2.0
/*
 * exec-windows.c --- execN= helpers on Windows (exec.h).  A helper is found
 * as Windows finds a program (SearchPathW: the daemon's folder, the current
 * one, the system's, then PATH; ".exe" added to a name without an
 * extension) and started suspended with CreateProcessW, in a process group
 * of its own (CREATE_NEW_PROCESS_GROUP), with NUL as stdin and the daemon's
 * stdout and stderr, its command line quoted by the C runtime's rules.
 * Before it runs it joins the daemon's job object, which kills what is in
 * it when its last handle closes (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE): the
 * helpers, and what they started, end with the daemon even when it is
 * killed.  A thread per helper waits for its end, so the log says when it
 * exits.  co_execs_stop() sends CTRL_BREAK to the group of each helper on
 * the daemon's console, waits up to CO_EXEC_GRACE_MS for those, then
 * terminates the job (a helper without the console is not asked) and
 * waits for every helper.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <co/array_size.h>
#include <co/log.h>

#include "exec.h"
#include "win-errno.h"

/* The exit status of a helper still running when the job is terminated. */
#define EXIT_TERMINATED 1

struct co_exec_child {
	int index;
	const char *program;
	HANDLE process;
	DWORD pid;
	pthread_t waiter;
	atomic_bool terminated; /* still running when the job was terminated */
};

/*
 * The daemon's one job, process-wide like what it stands for: the process
 * holds its only handle, and the process's end, however it comes, closes
 * it (and so ends the helpers).  NULL when no helper runs.
 */
static HANDLE job;

/*
 * An exit status as Windows shows it: small ones in decimal, an NTSTATUS
 * (0xc000013a: ended by CTRL_BREAK) in hex.
 */
static void log_end(const struct co_exec_child *c, DWORD status)
{
	const char *how = atomic_load(&c->terminated) ? " (terminated)" : "";

	if (status > 0xffff)
		co_info("exec%d: '%s' (pid %lu) exited with status 0x%lx%s",
			c->index, c->program, c->pid, status, how);
	else
		co_info("exec%d: '%s' (pid %lu) exited with status %lu%s",
			c->index, c->program, c->pid, status, how);
}

static void *wait_child(void *arg)
{
	struct co_exec_child *c = arg;
	DWORD status = 0;

	WaitForSingleObject(c->process, INFINITE);
	GetExitCodeProcess(c->process, &status);
	log_end(c, status);
	return NULL;
}

/*
 * @s in UTF-16, malloc'd; NULL when it cannot be converted.  The daemon's
 * strings are in the ANSI code page, as the C runtime's argv and every
 * *A call of the daemon take them (cobdN= paths with CreateFileA).
 */
static wchar_t *widen(const char *s)
{
	int n = MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, s, -1, NULL,
				    0);
	wchar_t *w = n ? malloc(n * sizeof(*w)) : NULL;

	if (w &&
	    !MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, s, -1, w, n)) {
		free(w);
		return NULL;
	}
	return w;
}

/*
 * Append @arg to @cmd as the C runtime (and CommandLineToArgvW) will read
 * it back: as it is when it has no blank and no quote, else in quotes,
 * where a run of backslashes is doubled before a quote (which becomes \")
 * and before the closing quote, and stays as it is elsewhere.
 */
static wchar_t *quote_arg(wchar_t *cmd, const wchar_t *arg)
{
	size_t slashes = 0;

	if (*arg && !wcspbrk(arg, L" \t\n\v\"")) {
		wcscpy(cmd, arg);
		return cmd + wcslen(arg);
	}
	*cmd++ = L'"';
	for (; *arg; arg++) {
		if (*arg == L'\\') {
			slashes++;
			continue;
		}
		if (*arg == L'"')
			slashes = slashes * 2 + 1;
		wmemset(cmd, L'\\', slashes);
		cmd += slashes;
		slashes = 0;
		*cmd++ = *arg;
	}
	wmemset(cmd, L'\\', slashes * 2);
	cmd += slashes * 2;
	*cmd++ = L'"';
	return cmd;
}

/*
 * The command line of @argv, malloc'd: the program in quotes (the C
 * runtime reads a program name to the next quote, without escapes), then
 * each argument quoted as quote_arg() says.  NULL when out of memory or
 * when an argument is not in the code page.
 */
static wchar_t *command_line(char *const argv[])
{
	wchar_t *w[CO_CFG_EXEC_MAX_ARGS + 1] = { NULL }, *cmd = NULL, *end;
	size_t len = 0;
	int i, n;

	for (n = 0; argv[n]; n++) {
		w[n] = widen(argv[n]);
		if (!w[n])
			goto out;
		len += 2 * wcslen(w[n]) + 3;
	}
	cmd = malloc((len + 1) * sizeof(*cmd));
	if (!cmd)
		goto out;
	end = cmd;
	*end++ = L'"';
	wcscpy(end, w[0]);
	end += wcslen(w[0]);
	*end++ = L'"';
	for (i = 1; i < n; i++) {
		*end++ = L' ';
		end = quote_arg(end, w[i]);
	}
	*end = 0;
out:
	for (i = 0; i < n; i++)
		free(w[i]);
	return cmd;
}

/* @program's full path, malloc'd, as SearchPathW finds it; NULL, errno. */
static wchar_t *find_program(const char *program)
{
	wchar_t *name = widen(program), *path = NULL;
	DWORD n;

	if (!name) {
		errno = EILSEQ;
		return NULL;
	}
	n = SearchPathW(NULL, name, L".exe", 0, NULL, NULL);
	if (n)
		path = malloc(n * sizeof(*path));
	if (path && !SearchPathW(NULL, name, L".exe", n, path, NULL)) {
		free(path);
		path = NULL;
		n = 0;
	}
	if (!path)
		errno = n ? ENOMEM : co_win_errno();
	free(name);
	return path;
}

/* A copy of @h that the helper inherits (NULL when there is none). */
static HANDLE inheritable(HANDLE h)
{
	HANDLE dup = NULL;

	if (h && h != INVALID_HANDLE_VALUE)
		DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(),
				&dup, 0, TRUE, DUPLICATE_SAME_ACCESS);
	return dup;
}

/*
 * Start @argv suspended: NUL as stdin, the daemon's stdout and stderr,
 * nothing else of the daemon's inherited that is not inheritable anyway.
 * 0, or -errno.
 */
static int spawn(PROCESS_INFORMATION *pi, char *const argv[])
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	STARTUPINFOW si = { .cb = sizeof(si), .dwFlags = STARTF_USESTDHANDLES };
	wchar_t *path = find_program(argv[0]), *cmd;
	int ret = 0;

	if (!path)
		return -errno;
	cmd = command_line(argv);
	if (!cmd) {
		free(path);
		return -EILSEQ;
	}
	si.hStdInput = CreateFileW(L"NUL", GENERIC_READ,
				   FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
				   OPEN_EXISTING, 0, NULL);
	si.hStdOutput = inheritable(GetStdHandle(STD_OUTPUT_HANDLE));
	si.hStdError = inheritable(GetStdHandle(STD_ERROR_HANDLE));
	if (!CreateProcessW(path, cmd, NULL, NULL, TRUE,
			    CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP, NULL,
			    NULL, &si, pi))
		ret = -co_win_errno();
	if (si.hStdInput != INVALID_HANDLE_VALUE)
		CloseHandle(si.hStdInput);
	if (si.hStdOutput)
		CloseHandle(si.hStdOutput);
	if (si.hStdError)
		CloseHandle(si.hStdError);
	free(cmd);
	free(path);
	return ret;
}

/* The job that kills its processes when its last handle closes. */
static int make_job(int i, struct co_err *err)
{
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION li = { 0 };
	int ret;

	li.BasicLimitInformation.LimitFlags =
		JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
	job = CreateJobObjectW(NULL, NULL);
	if (job &&
	    SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li,
				    sizeof(li)))
		return 0;
	ret = co_win_errno();
	if (job)
		CloseHandle(job);
	job = NULL;
	return co_fail(err, -ret, "exec%d: no job object: %s", i,
		       strerror(ret));
}

/* Put the suspended @pi into the job and let it run. */
static int join_job(PROCESS_INFORMATION *pi)
{
	int ret = 0;

	if (AssignProcessToJobObject(job, pi->hProcess))
		ResumeThread(pi->hThread);
	else
		ret = -co_win_errno();
	CloseHandle(pi->hThread);
	return ret;
}

/* The end of a helper that never ran, or whose waiter is missing. */
static void kill_now(HANDLE process)
{
	TerminateProcess(process, EXIT_TERMINATED);
	WaitForSingleObject(process, INFINITE);
	CloseHandle(process);
}

static int start_one(struct co_execs *s, int i, char *const argv[],
		     struct co_err *err)
{
	struct co_exec_child *c = calloc(1, sizeof(*c));
	PROCESS_INFORMATION pi;
	int ret;

	if (!c)
		return co_fail(err, -ENOMEM, "exec%d: out of memory", i);
	c->index = i;
	c->program = argv[0];
	ret = spawn(&pi, argv);
	if (!ret) {
		ret = join_job(&pi);
		if (ret)
			kill_now(pi.hProcess);
	}
	if (ret) {
		free(c);
		return co_fail(err, ret, "exec%d: cannot start '%s': %s", i,
			       argv[0], strerror(-ret));
	}
	c->process = pi.hProcess;
	c->pid = pi.dwProcessId;
	co_info("exec%d: started '%s' (pid %lu)", i, argv[0], c->pid);
	ret = pthread_create(&c->waiter, NULL, wait_child, c);
	if (ret) {
		kill_now(c->process);
		free(c);
		return co_fail(err, -ret,
			       "exec%d: no thread to wait for it: %s", i,
			       strerror(ret));
	}
	s->child[i] = c;
	return 0;
}

int co_execs_start(struct co_execs *s, const struct co_cfg *cfg,
		   struct co_err *err)
{
	int i, ret;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < CO_CFG_MAX_EXEC; i++) {
		if (!cfg->exec[i].argv)
			continue;
		ret = job ? 0 : make_job(i, err);
		if (!ret)
			ret = start_one(s, i, cfg->exec[i].argv, err);
		if (ret) {
			co_execs_stop(s);
			return ret;
		}
	}
	return 0;
}

/*
 * Whether @pid is attached to the daemon's console, where CTRL_BREAK
 * reaches it (a GUI program, or one with a console of its own, is not).
 */
static bool on_console(DWORD pid)
{
	DWORD pids[64], i, n = GetConsoleProcessList(pids, ARRAY_SIZE(pids));

	if (n > ARRAY_SIZE(pids))
		return true; /* too many to tell: asked all the same */
	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Ask @c to end: CTRL_BREAK to its group; false when it cannot be asked. */
static bool ask_to_end(struct co_exec_child *c)
{
	if (WaitForSingleObject(c->process, 0) != WAIT_TIMEOUT ||
	    !on_console(c->pid))
		return false;
	if (GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, c->pid))
		return true;
	co_dbg("exec%d: no CTRL_BREAK for pid %lu: %s", c->index, c->pid,
	       strerror(co_win_errno()));
	return false;
}

/* Terminate what is left in the job; each helper's waiter logs its end. */
static void terminate_all(struct co_execs *s)
{
	struct co_exec_child *c;
	int i;

	for (i = 0; i < CO_CFG_MAX_EXEC; i++) {
		c = s->child[i];
		if (c && WaitForSingleObject(c->process, 0) == WAIT_TIMEOUT)
			atomic_store(&c->terminated, true);
	}
	if (job && TerminateJobObject(job, EXIT_TERMINATED))
		return;
	for (i = 0; i < CO_CFG_MAX_EXEC; i++)
		if (s->child[i])
			TerminateProcess(s->child[i]->process, EXIT_TERMINATED);
}

/* CTRL_BREAK to those on the console, one grace period, then the job. */
void co_execs_stop(struct co_execs *s)
{
	HANDLE asked[CO_CFG_MAX_EXEC];
	struct co_exec_child *c;
	DWORD n = 0;
	int i;

	for (i = 0; i < CO_CFG_MAX_EXEC; i++)
		if (s->child[i] && ask_to_end(s->child[i]))
			asked[n++] = s->child[i]->process;
	if (n)
		WaitForMultipleObjects(n, asked, TRUE, CO_EXEC_GRACE_MS);
	terminate_all(s);
	for (i = 0; i < CO_CFG_MAX_EXEC; i++) {
		c = s->child[i];
		if (!c)
			continue;
		pthread_join(c->waiter, NULL);
		CloseHandle(c->process);
		s->child[i] = NULL;
		free(c);
	}
	if (job)
		CloseHandle(job);
	job = NULL;
}
