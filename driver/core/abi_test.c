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

#define AT(type, field, off) CHECK_INT(offsetof(struct type, field), off)

static void test_version(void)
{
	CHECK_INT(COLINUX_ABI_VERSION, 6);
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
	AT(colinux_setup, tsc_khz, 1080);
	AT(colinux_setup, shared_pa, 1088);
	AT(colinux_setup, loader_used, 1096);
	AT(colinux_setup, nr_maps, 1104);
	AT(colinux_setup, maps, 1112);
	AT(colinux_setup, message, 1112 + 24 * COLINUX_SETUP_MAX_MAPS);
	CHECK_INT(sizeof(struct colinux_setup),
		  1112 + 24 * COLINUX_SETUP_MAX_MAPS + COLINUX_MESSAGE_SIZE);
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
	AT(colinux_run, immediate_exit, 24);
	AT(colinux_run, call.op, 32);
	AT(colinux_run, call.arg, 40);
	AT(colinux_run, fault.vector, 72);
	AT(colinux_run, fault.cr2, 96);
	AT(colinux_run, stats, 104);
	AT(colinux_run, message, 104 + sizeof(struct colinux_stats));
	CHECK_INT(sizeof(struct colinux_run),
		  104 + sizeof(struct colinux_stats) + COLINUX_MESSAGE_SIZE);
}

static void test_stats_layout(void)
{
	AT(colinux_stats, round_trips, 0);
	AT(colinux_stats, host_state_checks, 48);
	AT(colinux_stats, timer_calls, 56);
	AT(colinux_stats, raised_virqs, 80);
	AT(colinux_stats, notify_signals, 88);
	AT(colinux_stats, notify_exits, 96);
	AT(colinux_stats, forwarded_mces, 104);
	AT(colinux_stats, refused_forwards, 112);
	AT(colinux_stats, kill_nmis, 120);
	CHECK_INT(sizeof(struct colinux_stats), 128);
}

static void test_virq_layout(void)
{
	AT(colinux_virq, size, 0);
	AT(colinux_virq, abi_version, 4);
	AT(colinux_virq, virqs, 8);
	CHECK_INT(sizeof(struct colinux_virq), 16);
}

static void test_ioeventfd_layout(void)
{
	AT(colinux_ioeventfd, size, 0);
	AT(colinux_ioeventfd, abi_version, 4);
	AT(colinux_ioeventfd, device, 8);
	AT(colinux_ioeventfd, queue, 12);
	AT(colinux_ioeventfd, fd, 16);
	CHECK_INT(sizeof(struct colinux_ioeventfd), 24);
}

static void test_win_layout(void)
{
	AT(colinux_win_map, size, 0);
	AT(colinux_win_map, abi_version, 4);
	AT(colinux_win_map, len, 8);
	AT(colinux_win_map, addr, 16);
	CHECK_INT(sizeof(struct colinux_win_map), 24);
	CHECK_INT(sizeof(struct colinux_win_message), COLINUX_MESSAGE_SIZE);
}

static void test_ioctl_numbers(void)
{
	CHECK_INT(COLINUX_GET_ABI_VERSION, 0xc000);
	CHECK_INT(COLINUX_SETUP, 0xc5b8c001);
	CHECK_INT(COLINUX_SET_REGS, 0x4098c002);
	CHECK_INT(COLINUX_RUN, 0xc188c003);
	CHECK_INT(COLINUX_RAISE_VIRQ, 0x4010c004);
	CHECK_INT(COLINUX_SET_IOEVENTFD, 0x4018c005);
	CHECK_INT(COLINUX_WIN_MAP_RAM, 0xc018c006);
	CHECK_INT(COLINUX_WIN_LAST_MESSAGE, 0x80a0c007);
}

int main(void)
{
	RUN_TEST(test_version);
	RUN_TEST(test_setup_layout);
	RUN_TEST(test_regs_layout);
	RUN_TEST(test_run_layout);
	RUN_TEST(test_stats_layout);
	RUN_TEST(test_virq_layout);
	RUN_TEST(test_ioeventfd_layout);
	RUN_TEST(test_win_layout);
	RUN_TEST(test_ioctl_numbers);
	return CHECK_EXIT();
}
