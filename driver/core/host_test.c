// SPDX-License-Identifier: GPL-2.0
/*
 * host_test.c --- co_host_check(): which host CPU modes the driver refuses,
 * and that it says why.  Built in user space with host.c included.
 */
#include "check.h"
#include "err.c"
#include "host.c"

#define CR0_OK 0x80050033ULL /* PG WP NE ET MP PE */
#define CR4_OK 0x3506f0ULL /* PAE PGE OSFXSR ... SMEP SMAP, no LA57 */
#define EFER_OK 0xd01ULL /* SCE LME LMA NXE */

static struct co_err err;
static const char *msg = err.msg;

static int check(unsigned long long cr0, unsigned long long cr4,
		 unsigned long long efer)
{
	struct co_host_mode m = { .cr0 = cr0, .cr4 = cr4, .efer = efer };

	err.msg[0] = 0;
	return co_host_check(&m, &err);
}

static void test_accepts_4_and_5_level(void)
{
	CHECK_INT(check(CR0_OK, CR4_OK, EFER_OK), 0);
	CHECK_INT(check(CR0_OK, CR4_OK | (1 << 12), EFER_OK), 0);
}

static void test_refuses_vmxe(void)
{
	CHECK_INT(check(CR0_OK, CR4_OK | (1 << 13), EFER_OK), -EBUSY);
	CHECK(strstr(msg, "CR4.VMXE") != NULL);
	CHECK(strstr(msg, "hypervisor") != NULL);
}

static void test_refuses_other_paging_modes(void)
{
	CHECK_INT(check(CR0_OK & ~(1ULL << 31), CR4_OK, EFER_OK), -EOPNOTSUPP);
	CHECK(strstr(msg, "paging mode") != NULL);
	CHECK_INT(check(CR0_OK, CR4_OK & ~(1ULL << 5), EFER_OK), -EOPNOTSUPP);
	CHECK_INT(check(CR0_OK, CR4_OK, EFER_OK & ~(1ULL << 10)), -EOPNOTSUPP);
}

static void test_refuses_cet(void)
{
	CHECK_INT(check(CR0_OK, CR4_OK | (1 << 23), EFER_OK), -EOPNOTSUPP);
	CHECK(strstr(msg, "CET") != NULL);
}

static void test_refuses_unknown_cr4_bits(void)
{
	/* PKS (24), key locker (19), a reserved bit (15), LAM_SUP (28) */
	CHECK_INT(check(CR0_OK, CR4_OK | (1 << 24), EFER_OK), -EOPNOTSUPP);
	CHECK(strstr(msg, "0x1000000") != NULL);
	CHECK(strstr(msg, "unknown") != NULL);
	CHECK_INT(check(CR0_OK, CR4_OK | (1 << 19), EFER_OK), -EOPNOTSUPP);
	CHECK_INT(check(CR0_OK, CR4_OK | (1 << 15), EFER_OK), -EOPNOTSUPP);
	CHECK_INT(check(CR0_OK, CR4_OK | (1 << 28), EFER_OK), -EOPNOTSUPP);
	/* every known bit at once, VMXE and CET left out, is accepted */
	CHECK_INT(check(CR0_OK, 0x775fffULL & ~(1ULL << 13), EFER_OK), 0);
}

static int tsc(bool constant, bool nonstop, bool unstable, bool hypervisor,
	       bool allow)
{
	struct co_host_tsc t = { constant, nonstop, unstable, hypervisor };

	err.msg[0] = 0;
	return co_host_tsc_check(&t, allow, &err);
}

static void test_tsc_constant_nonstop_accepted(void)
{
	CHECK_INT(tsc(true, true, false, false, false), 0);
	CHECK_STR(msg, "");
	CHECK_INT(tsc(true, true, false, true, false), 0);
}

static void test_tsc_refused_on_bare_metal(void)
{
	CHECK_INT(tsc(false, true, false, false, false), -EOPNOTSUPP);
	CHECK(strstr(msg, "not constant (") != NULL);
	CHECK(strstr(msg, "lacks constant_tsc)") != NULL);
	CHECK_INT(tsc(true, false, false, false, false), -EOPNOTSUPP);
	CHECK(strstr(msg, "not non-stop (") != NULL);
	CHECK(strstr(msg, "lacks nonstop_tsc)") != NULL);
	CHECK_INT(tsc(false, false, false, false, false), -EOPNOTSUPP);
	CHECK(strstr(msg, "not constant and non-stop") != NULL);
	CHECK(strstr(msg, "constant_tsc nonstop_tsc") != NULL);
}

static void test_tsc_unstable_refused_on_bare_metal(void)
{
	CHECK_INT(tsc(true, true, true, false, false), -EOPNOTSUPP);
	CHECK(strstr(msg, "unstable") != NULL);
}

static void test_tsc_warnings(void)
{
	/* a hypervisor's CPU that hides the bits: a warning, said why */
	CHECK_INT(tsc(false, false, false, true, false), 1);
	CHECK(strstr(msg, "nonstop_tsc") != NULL);
	CHECK_INT(tsc(false, false, true, true, false), 1);
	CHECK(strstr(msg, "unstable") != NULL);
	/* allow_unreliable_tsc=1: every refusal becomes a warning */
	CHECK_INT(tsc(true, true, true, false, true), 1);
	CHECK(strstr(msg, "unstable") != NULL);
	CHECK_INT(tsc(true, false, false, false, true), 1);
}

#define XCR0_HOST 0x602e7ULL /* x87 SSE AVX AVX-512 PKRU, AMX tiles */

static void test_guest_xcr0_without_tiles(void)
{
	CHECK(co_guest_xcr0_allowed(XCR0_HOST) == 0x2e7ULL);
	CHECK(co_guest_xcr0_allowed(0x7ULL) == 0x7ULL);
	/* the starting XCR0 passes the exit check */
	CHECK_INT(co_guest_xcr0_check(co_guest_xcr0_allowed(XCR0_HOST),
				      XCR0_HOST, &err),
		  0);
	CHECK_INT(co_guest_xcr0_check(0x3ULL, XCR0_HOST, &err), 0);
}

static void test_refuses_guest_xcr0_with_tiles(void)
{
	err.msg[0] = 0;
	CHECK_INT(co_guest_xcr0_check(0x402e7ULL, XCR0_HOST, &err), -EPERM);
	CHECK(strstr(msg, "AMX") != NULL);
	CHECK(strstr(msg, "0x402e7") != NULL);
	CHECK_INT(co_guest_xcr0_check(0x202e7ULL, XCR0_HOST, &err), -EPERM);
}

static void test_refuses_guest_xcr0_beyond_host(void)
{
	/* AVX-512 (5-7) where the host's XCR0 has only x87 SSE AVX PKRU */
	err.msg[0] = 0;
	CHECK_INT(co_guest_xcr0_check(0x2e7ULL, 0x207ULL, &err), -EPERM);
	CHECK(strstr(msg, "0xe0") != NULL);
	CHECK(strstr(msg, "host's XCR0 0x207") != NULL);
}

static void test_xmsrs_compare_names_the_register(void)
{
	struct co_xmsrs a = { .xss = 0x100, .xfd = 1ULL << 18 }, b = a;

	CHECK(co_xmsrs_compare(&a, &b) == NULL);
	b.xss = 0;
	CHECK_STR(co_xmsrs_compare(&a, &b), "IA32_XSS");
	b = a;
	b.xfd = 0;
	CHECK_STR(co_xmsrs_compare(&a, &b), "IA32_XFD");
	b = a;
	b.xfd_err = 1ULL << 18;
	CHECK_STR(co_xmsrs_compare(&a, &b), "IA32_XFD_ERR");
}

static void test_host_compare_covers_xmsrs(void)
{
	static struct co_host_snap a, b;

	a.xm.xss = 0x8000;
	b = a;
	CHECK(co_host_compare(&a, &b) == NULL);
	b.xm.xss = 0;
	CHECK_STR(co_host_compare(&a, &b), "IA32_XSS");
	b = a;
	b.xm.xfd = 1ULL << 18;
	CHECK_STR(co_host_compare(&a, &b), "IA32_XFD");
	b = a;
	b.xcr0 = 7;
	CHECK_STR(co_host_compare(&a, &b), "XCR0");
}

int main(void)
{
	RUN_TEST(test_accepts_4_and_5_level);
	RUN_TEST(test_refuses_vmxe);
	RUN_TEST(test_refuses_other_paging_modes);
	RUN_TEST(test_refuses_cet);
	RUN_TEST(test_refuses_unknown_cr4_bits);
	RUN_TEST(test_tsc_constant_nonstop_accepted);
	RUN_TEST(test_tsc_refused_on_bare_metal);
	RUN_TEST(test_tsc_unstable_refused_on_bare_metal);
	RUN_TEST(test_tsc_warnings);
	RUN_TEST(test_guest_xcr0_without_tiles);
	RUN_TEST(test_refuses_guest_xcr0_with_tiles);
	RUN_TEST(test_refuses_guest_xcr0_beyond_host);
	RUN_TEST(test_xmsrs_compare_names_the_register);
	RUN_TEST(test_host_compare_covers_xmsrs);
	return CHECK_EXIT();
}
