// SPDX-License-Identifier: GPL-2.0
/*
 * tests/installer/standin.c --- a stand-in for a tool of Windows' own under
 * Wine.  The installer runs ssh-keygen.exe and tar.exe, which Wine does not
 * have.  This program, copied under the tool's name (ssh-keygen.exe), runs
 * the Unix script beside it with ".sh" added (ssh-keygen.exe.sh: Debian's
 * tool, with the Windows paths among its arguments made Unix ones) and
 * waits for it.  Wine starts a Unix program without a process to wait for,
 * so the script writes its exit status into the file STANDIN_DONE names,
 * which this program waits for and exits with.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/* The command line after the program's name, by CommandLineToArgvW's rule
 * for it: up to the closing quote, or to the first blank. */
static const wchar_t *args_of(const wchar_t *cl)
{
	const wchar_t *end;

	if (*cl == L'"') {
		end = wcschr(cl + 1, L'"');
		return end ? end + 1 : L"";
	}
	return cl + wcscspn(cl, L" \t");
}

/* The script's exit status, once it has written it; -1 until then. */
static int status_of(const wchar_t *done)
{
	FILE *f = _wfopen(done, L"r");
	int status = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &status) != 1)
		status = -1;
	fclose(f);
	return status;
}

int main(void)
{
	wchar_t self[MAX_PATH], script[MAX_PATH + 4], tmp[MAX_PATH],
		done[MAX_PATH];
	STARTUPINFOW si = { .cb = sizeof(si) };
	PROCESS_INFORMATION pi;
	const wchar_t *args = args_of(GetCommandLineW());
	size_t n;
	wchar_t *cl;
	int i, status;

	if (!GetModuleFileNameW(NULL, self, MAX_PATH) ||
	    !GetTempPathW(MAX_PATH, tmp) ||
	    !GetTempFileNameW(tmp, L"sti", 0, done)) {
		fprintf(stderr,
			"standin: no path for the script or its status\n");
		return 127;
	}
	DeleteFileW(done);
	swprintf(script, MAX_PATH + 4, L"%ls.sh", self);
	SetEnvironmentVariableW(L"STANDIN_DONE", done);
	n = wcslen(script) + wcslen(args) + 3;
	cl = malloc(n * sizeof(*cl));
	if (!cl)
		return 127;
	swprintf(cl, n, L"\"%ls\"%ls", script, args);
	if (!CreateProcessW(script, cl, NULL, NULL, FALSE, 0, NULL, NULL, &si,
			    &pi)) {
		fprintf(stderr, "standin: cannot start %ls: error %lu\n",
			script, GetLastError());
		return 127;
	}
	for (i = 0; i < 1200; i++) {
		status = status_of(done);
		if (status >= 0) {
			DeleteFileW(done);
			return status;
		}
		Sleep(100);
	}
	fprintf(stderr, "standin: %ls did not end within 120 s\n", script);
	return 124;
}
