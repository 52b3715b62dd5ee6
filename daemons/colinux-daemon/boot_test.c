// SPDX-License-Identifier: GPL-2.0
/* boot_test.c --- memory map, boot_params, boot info and placement. */
#include <errno.h>
#include <string.h>

#include <linux/colinux.h>

#include "boot.h"

#include "../../tests/lib/check.h"

#define MB (1ULL << 20)

static struct colinux_setup setup;

/* Two 128 MiB blocks, the higher one first, as the driver may give them. */
static void make_setup(void)
{
	memset(&setup, 0, sizeof(setup));
	setup.nr_blocks = 2;
	setup.blocks[0].phys = 0x48000000;
	setup.blocks[0].size = 128 * MB;
	setup.blocks[1].phys = 0x10000000;
	setup.blocks[1].size = 128 * MB;
	setup.loader_phys = 0x48000000;
	setup.loader_size = 2 * MB;
	setup.passage_entry = 0xffffffffc0801040ULL;
	setup.tsc_khz = 2500000;
	setup.shared_pa = 0x481ff000;
	setup.nr_maps = 2;
	setup.maps[0] = (struct colinux_map){ 0xffffffffc0800000ULL, 0x1234000,
					      0x2000 };
	setup.maps[1] = (struct colinux_map){ 0xffffffffc0810000ULL, 0x2000000,
					      0x3000 };
}

static void test_boot_params(void)
{
	static struct boot_params bp;
	struct co_boot_layout l = {
		.blocks = setup.blocks,
		.nr_blocks = 2,
		.loader_phys = 0x48000000,
		.loader_size = 2 * MB,
		.cmdline_pa = 0x123456789000ULL,
		.initrd_pa = 0x4f000000,
		.initrd_size = 0x100001234ULL,
		.setup_data_pa = 0x48010000,
	};
	struct co_err err;

	make_setup();
	memset(&bp, 0xff, sizeof(bp));
	CHECK_INT(co_boot_params(&bp, &l, &err), 0);
	CHECK_INT(bp.hdr.hardware_subarch, COLINUX_SUBARCH);
	CHECK(bp.hdr.version >= 0x020c);
	CHECK_INT(bp.hdr.header, 0x53726448);
	CHECK_INT(bp.hdr.loadflags & KASLR_FLAG, 0);
	CHECK_INT(bp.sentinel, 0);
	CHECK_INT(bp.hdr.cmd_line_ptr, 0x56789000);
	CHECK_INT(bp.ext_cmd_line_ptr, 0x1234);
	CHECK_INT(bp.hdr.ramdisk_image, 0x4f000000);
	CHECK_INT(bp.ext_ramdisk_image, 0);
	CHECK_INT(bp.hdr.ramdisk_size, 0x1234);
	CHECK_INT(bp.ext_ramdisk_size, 1);
	CHECK_INT(bp.hdr.setup_data, 0x48010000);
	CHECK_INT(bp.acpi_rsdp_addr, 0);
	/* Block 0 less its loader area (reserved), then block 1 whole. */
	CHECK_INT(bp.e820_entries, 3);
	CHECK_INT(bp.e820_table[0].addr, 0x48000000);
	CHECK_INT(bp.e820_table[0].size, 2 * MB);
	CHECK_INT(bp.e820_table[0].type, 2);
	CHECK_INT(bp.e820_table[1].addr, 0x48200000);
	CHECK_INT(bp.e820_table[1].size, 126 * MB);
	CHECK_INT(bp.e820_table[1].type, 1);
	CHECK_INT(bp.e820_table[2].addr, 0x10000000);
	CHECK_INT(bp.e820_table[2].size, 128 * MB);
	CHECK_INT(bp.e820_table[2].type, 1);
	CHECK_INT(bp.screen_info.orig_video_isVGA, 0);

	/* The kept end of the loader area is RAM. */
	l.keep_pa = 0x481fe000;
	l.keep_size = 0x2000;
	CHECK_INT(co_boot_params(&bp, &l, &err), 0);
	CHECK_INT(bp.e820_entries, 4);
	CHECK_INT(bp.e820_table[0].size, 2 * MB - 0x2000);
	CHECK_INT(bp.e820_table[0].type, 2);
	CHECK_INT(bp.e820_table[1].addr, 0x481fe000);
	CHECK_INT(bp.e820_table[1].size, 0x2000);
	CHECK_INT(bp.e820_table[1].type, 1);
	CHECK_INT(bp.e820_table[2].addr, 0x48200000);
	l.keep_pa = 0x48300000;
	CHECK_INT(co_boot_params(&bp, &l, &err), -EINVAL);
}

static void test_boot_record(void)
{
	struct co_boot_record r;
	struct co_err err;

	make_setup();
	/* No devices: boot info page and shared page, nothing between. */
	CHECK_INT(co_boot_record(&setup, 0, &r, &err), 0);
	CHECK_INT(r.size, 0x2000);
	CHECK_INT(r.pa, 0x481fe000);
	CHECK_INT(r.devices_pa, 0);
	/* Five 1 KiB entries take two pages, right after the boot info. */
	CHECK_INT(co_boot_record(&setup, 5, &r, &err), 0);
	CHECK_INT(r.size, 0x4000);
	CHECK_INT(r.pa, 0x481fc000);
	CHECK_INT(r.devices_pa, 0x481fd000);
	CHECK_INT(r.pa + r.size, setup.shared_pa + 4096);
	CHECK_INT(co_boot_record(&setup, COLINUX_MAX_DEVICES, &r, &err), 0);
	CHECK_INT(r.size, (2 + 24) * 4096);
	CHECK_INT(co_boot_record(&setup, COLINUX_MAX_DEVICES + 1, &r, &err),
		  -E2BIG);
	CHECK(strstr(err.msg, "97 devices"));
	/* A loader area too small for the table. */
	setup.shared_pa = setup.loader_phys + 0x3000;
	CHECK_INT(co_boot_record(&setup, 8, &r, &err), -ENOSPC);
	CHECK(strstr(err.msg, "8 devices"));
}

static void test_boot_info(void)
{
	struct colinux_boot_info bi;
	struct co_boot_record r;
	struct co_err err;

	make_setup();
	CHECK_INT(co_boot_record(&setup, 3, &r, &err), 0);
	memset(&bi, 0xff, sizeof(bi));
	co_boot_info(&bi, &setup, &r, 3);
	CHECK_INT(bi.size, sizeof(bi));
	CHECK_INT(bi.abi_version, COLINUX_GUEST_ABI_VERSION);
	CHECK(bi.passage_entry == setup.passage_entry);
	CHECK_INT(bi.tsc_khz, 2500000);
	CHECK_INT(bi.shared_pa, 0x481ff000);
	CHECK_INT(bi.devices_pa, 0x481fe000);
	CHECK_INT(bi.nr_devices, 3);
	CHECK_INT(bi.device_size, 1024);
}

static void test_placement(void)
{
	uint64_t k, r;
	struct co_err err;

	make_setup();
	CHECK_INT(co_boot_place_kernel(&setup, 14 * MB, &k, &err), 0);
	CHECK_INT(k, 0x48200000);
	/* The highest block's top, clear of the kernel. */
	CHECK_INT(co_boot_place_initrd(&setup, k, k + 14 * MB, 5 * MB + 1, &r,
				       &err),
		  0);
	CHECK_INT(r, 0x50000000 - 5 * MB - 4096);
	CHECK_INT(co_boot_place_kernel(&setup, 127 * MB, &k, &err), -ENOSPC);
	CHECK(strstr(err.msg, "give more mem"));

	/* One 32 MiB block: the kernel fills it up to where the initrd goes. */
	setup.nr_blocks = 1;
	setup.blocks[0].size = 32 * MB;
	CHECK_INT(co_boot_place_kernel(&setup, 14 * MB, &k, &err), 0);
	CHECK_INT(co_boot_place_initrd(&setup, k, k + 14 * MB, 16 * MB, &r,
				       &err),
		  0);
	CHECK_INT(r, 0x48000000 + 16 * MB);
	CHECK_INT(co_boot_place_initrd(&setup, k, k + 14 * MB, 17 * MB, &r,
				       &err),
		  -ENOSPC);
}

int main(void)
{
	RUN_TEST(test_boot_params);
	RUN_TEST(test_boot_record);
	RUN_TEST(test_boot_info);
	RUN_TEST(test_placement);
	return CHECK_EXIT();
}
