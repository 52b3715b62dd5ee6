// SPDX-License-Identifier: GPL-2.0
/*
 * abi_test.c --- the guest<->host ABI (include/uapi/linux/colinux.h) has the
 * same layout for every compiler that includes it: fixed sizes and offsets.
 */
#include <stddef.h>

#include <linux/colinux.h>

#include "../tests/lib/check.h"

static void test_boot_info_layout(void)
{
	CHECK_INT(sizeof(struct colinux_map), 24);
	CHECK_INT(offsetof(struct colinux_boot_info, passage_entry), 8);
	CHECK_INT(offsetof(struct colinux_boot_info, nr_maps), 16);
	CHECK_INT(offsetof(struct colinux_boot_info, map), 24);
	CHECK_INT(offsetof(struct colinux_boot_info, tsc_khz),
		  24 + 24 * COLINUX_MAX_MAPS);
	CHECK_INT(offsetof(struct colinux_boot_info, wallclock_sec), 128);
	CHECK_INT(offsetof(struct colinux_boot_info, wallclock_nsec), 136);
	CHECK_INT(offsetof(struct colinux_boot_info, shared_pa), 144);
	CHECK_INT(sizeof(struct colinux_boot_info), 152);
}

static void test_shared_layout(void)
{
	CHECK_INT(offsetof(struct colinux_shared, pending_virqs), 8);
	CHECK_INT(sizeof(struct colinux_shared), 16);
	CHECK(COLINUX_NR_VIRQS <= 64);
}

static void test_operations_do_not_collide(void)
{
	CHECK_INT(COLINUX_OP_NOP, 0);
	CHECK_INT(COLINUX_OP_FORWARD, 1);
	CHECK_INT(COLINUX_OP_FAULT, 2);
	CHECK_INT(COLINUX_OP_DAEMON, 0x100);
	/* Guest-kernel calls the driver handles sit below the daemon's. */
	CHECK(COLINUX_OP_TIMER < 0x100 && COLINUX_OP_IDLE < 0x100);
	CHECK(COLINUX_OP_CONSOLE_WRITE >= 0x100);
	CHECK(COLINUX_OP_CONSOLE_READ != COLINUX_OP_CONSOLE_WRITE);
	CHECK(COLINUX_OP_TERMINATE != COLINUX_OP_CONSOLE_READ);
}

int main(void)
{
	RUN_TEST(test_boot_info_layout);
	RUN_TEST(test_shared_layout);
	RUN_TEST(test_operations_do_not_collide);
	return check_failures != 0;
}
