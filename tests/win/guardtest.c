// SPDX-License-Identifier: GPL-2.0
/*
 * guardtest.c --- guardtest.exe, colinux.sys's exception guard
 * (driver/windows/guard-windows.S) in a program under Wine, with the same
 * unwind data and scope table as in the driver; msvcrt's
 * __C_specific_handler stands in for ntoskrnl's.  One line per case:
 *   "return: VALUE"  a function that returns normally, its value;
 *   "fault: CODE"    one that writes to address 0, caught;
 *   "raise: CODE"    one that raises its own code, caught;
 *   "after: ok"      the stack and callee-saved registers are whole after.
 * "guardtest unguarded" makes the same write without the guard: the
 * process dies of it (the negative control, exit status 0xc0000005).
 */
#include <stdio.h>
#include <string.h>
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

long co_win_guarded(long (*fn)(void *), void *arg);

static long returns(void *arg)
{
	return *(long *)arg + 1;
}

static long faults(void *arg)
{
	*(volatile int *)arg = 1;
	return 0;
}

static long raises(void *arg)
{
	RaiseException(0xE0C01234, 0, 0, NULL);
	return 0;
}

/* Values in callee-saved registers across a caught fault. */
static int survives(void)
{
	volatile long keep[4] = { 1, 2, 3, 4 };
	long sum = 0;
	int i;

	for (i = 0; i < 4; i++)
		sum += co_win_guarded(faults, NULL) == (long)0xC0000005 ?
			       keep[i] :
			       100;
	return sum == 10;
}

int main(int argc, char **argv)
{
	long seven = 7;

	if (argc > 1 && !strcmp(argv[1], "unguarded")) {
		faults(NULL);
		printf("unguarded: survived\n");
		return 0;
	}
	printf("return: %ld\n", co_win_guarded(returns, &seven));
	printf("fault: %#lx\n", (unsigned long)co_win_guarded(faults, NULL));
	printf("raise: %#lx\n", (unsigned long)co_win_guarded(raises, NULL));
	printf("after: %s\n", survives() ? "ok" : "damaged");
	return 0;
}
