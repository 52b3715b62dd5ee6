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

int main(void)
{
	RUN_TEST(test_accepts_4_and_5_level);
	RUN_TEST(test_refuses_vmxe);
	RUN_TEST(test_refuses_other_paging_modes);
	RUN_TEST(test_refuses_cet);
	RUN_TEST(test_refuses_unknown_cr4_bits);
	return CHECK_EXIT();
}
