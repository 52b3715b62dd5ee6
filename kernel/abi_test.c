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
	CHECK_INT(offsetof(struct colinux_boot_info, size), 0);
	CHECK_INT(offsetof(struct colinux_boot_info, abi_version), 4);
	CHECK_INT(offsetof(struct colinux_boot_info, passage_entry), 8);
	CHECK_INT(offsetof(struct colinux_boot_info, tsc_khz), 16);
	CHECK_INT(offsetof(struct colinux_boot_info, shared_pa), 24);
	CHECK_INT(offsetof(struct colinux_boot_info, devices_pa), 32);
	CHECK_INT(offsetof(struct colinux_boot_info, nr_devices), 40);
	CHECK_INT(offsetof(struct colinux_boot_info, device_size), 44);
	CHECK_INT(sizeof(struct colinux_boot_info), 48);
	CHECK_INT(COLINUX_GUEST_ABI_VERSION, 2);
}

static void test_device_layout(void)
{
	CHECK_INT(offsetof(struct colinux_vq, num_max), 0);
	CHECK_INT(offsetof(struct colinux_vq, num), 2);
	CHECK_INT(offsetof(struct colinux_vq, ready), 4);
	CHECK_INT(offsetof(struct colinux_vq, desc), 8);
	CHECK_INT(offsetof(struct colinux_vq, avail), 16);
	CHECK_INT(offsetof(struct colinux_vq, used), 24);
	CHECK_INT(sizeof(struct colinux_vq), 32);

	CHECK_INT(offsetof(struct colinux_device, type), 0);
	CHECK_INT(offsetof(struct colinux_device, unit), 4);
	CHECK_INT(offsetof(struct colinux_device, virq), 8);
	CHECK_INT(offsetof(struct colinux_device, nr_queues), 12);
	CHECK_INT(offsetof(struct colinux_device, host_features), 16);
	CHECK_INT(offsetof(struct colinux_device, guest_features), 24);
	CHECK_INT(offsetof(struct colinux_device, status), 32);
	CHECK_INT(offsetof(struct colinux_device, isr), 36);
	CHECK_INT(offsetof(struct colinux_device, config_generation), 40);
	CHECK_INT(offsetof(struct colinux_device, config_len), 44);
	CHECK_INT(offsetof(struct colinux_device, vq), 48);
	CHECK_INT(offsetof(struct colinux_device, vq[1]), 80);
	CHECK_INT(offsetof(struct colinux_device, config), 304);
	CHECK_INT(offsetof(struct colinux_device, __reserved), 560);
	CHECK_INT(sizeof(struct colinux_device), COLINUX_DEVICE_SIZE);
	CHECK_INT(COLINUX_DEVICE_SIZE, 1024);
	CHECK_INT(COLINUX_MAX_QUEUES, 8);
	CHECK_INT(COLINUX_CONFIG_MAX, 256);
	/* The whole table fits the loader area beside the boot data. */
	CHECK(COLINUX_MAX_DEVICES * COLINUX_DEVICE_SIZE <= 128 * 1024);
	/* Device virqs follow the timer's and the console's. */
	CHECK(COLINUX_VIRQ_DEVICE_FIRST > COLINUX_VIRQ_TIMER);
	CHECK(COLINUX_VIRQ_DEVICE_FIRST > COLINUX_VIRQ_CONSOLE);
	CHECK(COLINUX_VIRQ_DEVICE_FIRST < COLINUX_NR_VIRQS);
	CHECK_INT(COLINUX_ISR_USED & COLINUX_ISR_CONFIG, 0);
}

static void test_shared_layout(void)
{
	CHECK_INT(offsetof(struct colinux_shared, size), 0);
	CHECK_INT(offsetof(struct colinux_shared, abi_version), 4);
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
	CHECK(COLINUX_OP_TIMER < 0x100 && COLINUX_OP_IDLE < 0x100 &&
	      COLINUX_OP_WALLCLOCK < 0x100);
	CHECK_INT(COLINUX_OP_TIMER, 3);
	CHECK_INT(COLINUX_OP_IDLE, 4);
	CHECK_INT(COLINUX_OP_WALLCLOCK, 5);
	CHECK_INT(COLINUX_OP_CONSOLE_WRITE, 0x100);
	CHECK_INT(COLINUX_OP_CONSOLE_READ, 0x101);
	CHECK_INT(COLINUX_OP_TERMINATE, 0x102);
	CHECK_INT(COLINUX_OP_DEVICE, 0x103);
	CHECK_INT(COLINUX_OP_NOTIFY, 0x104);
	CHECK_INT(COLINUX_DEV_STATUS, 0);
	CHECK_INT(COLINUX_DEV_RESET, 1);
	CHECK_INT(COLINUX_DEV_QUEUE, 2);
	CHECK_INT(COLINUX_DEV_QUEUE_OFF, 3);
	CHECK_INT(COLINUX_DEV_CONFIG, 4);
}

int main(void)
{
	RUN_TEST(test_boot_info_layout);
	RUN_TEST(test_device_layout);
	RUN_TEST(test_shared_layout);
	RUN_TEST(test_operations_do_not_collide);
	return check_failures != 0;
}
