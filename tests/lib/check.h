/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h --- assertions for C unit tests, printing TAP for tests/run.
 *
 * A test file defines test functions and lists them in main() with
 * RUN_TEST(fn); CHECK() records a failure and goes on, so one run reports
 * every broken expectation.
 */
#ifndef CO_TESTS_CHECK_H
#define CO_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

/* Tests are one translation unit each: these counters are per binary. */
static int check_failures;
static int check_current_failed;

#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond)) {                                          \
			printf("# %s:%d: CHECK(%s) failed\n", __FILE__, \
			       __LINE__, #cond);                        \
			check_current_failed = 1;                       \
		}                                                       \
	} while (0)

#define CHECK_INT(a, b)                                                     \
	do {                                                                \
		long long check_a_ = (a), check_b_ = (b);                   \
		if (check_a_ != check_b_) {                                 \
			printf("# %s:%d: %s == %lld, expected %lld\n",      \
			       __FILE__, __LINE__, #a, check_a_, check_b_); \
			check_current_failed = 1;                           \
		}                                                           \
	} while (0)

#define CHECK_STR(a, b)                                                     \
	do {                                                                \
		const char *check_a_ = (a), *check_b_ = (b);                \
		if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_)) { \
			printf("# %s:%d: %s is \"%s\", expected \"%s\"\n",  \
			       __FILE__, __LINE__, #a,                      \
			       check_a_ ? check_a_ : "(null)",              \
			       check_b_ ? check_b_ : "(null)");             \
			check_current_failed = 1;                           \
		}                                                           \
	} while (0)

#define RUN_TEST(fn)                                                        \
	do {                                                                \
		check_current_failed = 0;                                   \
		fn();                                                       \
		printf("%s - %s\n", check_current_failed ? "not ok" : "ok", \
		       #fn);                                                \
		check_failures += check_current_failed;                     \
	} while (0)

#define CHECK_EXIT() (check_failures ? 1 : 0)

#endif
