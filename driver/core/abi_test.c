// SPDX-License-Identifier: GPL-2.0
/*
 * abi_test.c --- layout of the driver<->daemon ABI (colinux/ioctl.h).
 *
 * Every offset and size is pinned: a change here is an ABI change and must
 * come with a new COLINUX_ABI_VERSION.  Built by driver/driver.mk into the
 * unit-test directory, so tests/unit runs it.
 */
#include <stddef.h>

#include "check.h"
#include <colinux/ioctl.h>
#include <colinux/passage.h>

#define AT(type, field, off) CHECK_INT(offsetof(struct type, field), off)

static void test_version(void)
{
	CHECK_INT(COLINUX_ABI_VERSION, 1);
	CHECK_INT(COLINUX_OP_NOP, 0);
	CHECK_INT(COLINUX_OP_FORWARD, 1);
	CHECK_INT(COLINUX_OP_FAULT, 2);
	CHECK_INT(COLINUX_OP_DAEMON, 0x100);
	CHECK_INT(COLINUX_EXIT_CALL, 1);
	CHECK_INT(COLINUX_EXIT_PASSAGE_FAULT, 3);
}

static void test_setup_layout(void)
{
	CHECK_INT(sizeof(struct colinux_block), 16);
	AT(colinux_setup, size, 0);
	AT(colinux_setup, abi_version, 4);
	AT(colinux_setup, mem_size, 8);
	AT(colinux_setup, flags, 16);
	AT(colinux_setup, passage_entry, 24);
	AT(colinux_setup, loader_phys, 32);
	AT(colinux_setup, loader_size, 40);
	AT(colinux_setup, nr_blocks, 48);
	AT(colinux_setup, paging_levels, 52);
	AT(colinux_setup, blocks, 56);
	AT(colinux_setup, message, 56 + 16 * COLINUX_MAX_BLOCKS);
	CHECK_INT(sizeof(struct colinux_setup),
		  56 + 16 * COLINUX_MAX_BLOCKS + COLINUX_MESSAGE_SIZE);
}

static void test_regs_layout(void)
{
	AT(colinux_regs, size, 0);
	AT(colinux_regs, abi_version, 4);
	AT(colinux_regs, rip, 8);
	AT(colinux_regs, rsp, 16);
	AT(colinux_regs, rflags, 24);
	AT(colinux_regs, rax, 32);
	AT(colinux_regs, rbp, 80);
	AT(colinux_regs, r8, 88);
	AT(colinux_regs, r15, 144);
	CHECK_INT(sizeof(struct colinux_regs), 152);
}

static void test_run_layout(void)
{
	AT(colinux_run, size, 0);
	AT(colinux_run, abi_version, 4);
	AT(colinux_run, flags, 8);
	AT(colinux_run, exit_reason, 12);
	AT(colinux_run, call_ret, 16);
	AT(colinux_run, call.op, 24);
	AT(colinux_run, call.arg, 32);
	AT(colinux_run, fault.vector, 64);
	AT(colinux_run, fault.cr2, 88);
	AT(colinux_run, round_trips, 96);
	AT(colinux_run, host_state_checks, 144);
	AT(colinux_run, message, 152);
	CHECK_INT(sizeof(struct colinux_run), 152 + COLINUX_MESSAGE_SIZE);
}

static void test_ioctl_numbers(void)
{
	CHECK_INT(COLINUX_GET_ABI_VERSION, 0xc000);
	CHECK_INT(COLINUX_SETUP, 0xc4d8c001);
	CHECK_INT(COLINUX_SET_REGS, 0x4098c002);
	CHECK_INT(COLINUX_RUN, 0xc138c003);
}

int main(void)
{
	RUN_TEST(test_version);
	RUN_TEST(test_setup_layout);
	RUN_TEST(test_regs_layout);
	RUN_TEST(test_run_layout);
	RUN_TEST(test_ioctl_numbers);
	return CHECK_EXIT();
}
