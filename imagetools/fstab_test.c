// SPDX-License-Identifier: GPL-2.0
/* fstab_test.c --- unit tests for the fstab adaptation. */
#include <stdlib.h>
#include <string.h>

#include "../tests/lib/check.h"
#include "fstab.h"

static char *adapt(const char *in, struct co_fstab_stats *st)
{
	char *out = NULL;

	CHECK_INT(co_fstab_adapt(in, strlen(in), "/dev/cobd0", "ext4", NULL,
				 &out, st),
		  0);
	return out;
}

/* What debian-installer writes for a guided "all files in one partition". */
static const char debian_fstab[] =
	"# /etc/fstab: static file system information.\n"
	"#\n"
	"# <file system> <mount point>   <type>  <options>       <dump>  <pass>\n"
	"# / was on /dev/sda1 during installation\n"
	"UUID=0b5d1c7e-2b4f-4bd2-9c1a-5e1f0b0b0b0b /               ext4    errors=remount-ro 0       1\n"
	"# swap was on /dev/sda5 during installation\n"
	"UUID=11111111-2222-3333-4444-555555555555 none            swap    sw              0       0\n"
	"/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     0       0\n";

static void test_debian_installer_layout(void)
{
	struct co_fstab_stats st;
	char *out = adapt(debian_fstab, &st);

	CHECK(strstr(out, "/dev/cobd0\t/\text4\terrors=remount-ro\t0\t1\n"));
	CHECK(!strstr(out, "\nUUID=0b5d"));
	CHECK(strstr(out,
		     "# colinux-img: no such device under coLinux: UUID=1111"));
	CHECK(strstr(out,
		     "# colinux-img: no such device under coLinux: /dev/sr0"));
	CHECK(strstr(out, "# / was on /dev/sda1 during installation\n"));
	CHECK_INT(st.root_found, 1);
	CHECK_INT(st.root_added, 0);
	CHECK_INT(st.commented, 2);
	free(out);
}

static void test_keeps_virtual_network_bind_and_files(void)
{
	static const char in[] = "proc /proc proc defaults 0 0\n"
				 "tmpfs /tmp tmpfs size=10%\t0 0\n"
				 "server:/export /mnt/nfs nfs defaults 0 0\n"
				 "/srv/a /srv/b none bind 0 0\n"
				 "/swapfile none swap sw 0 0\n"
				 "cofs0 /mnt/host 9p trans=virtio 0 0\n"
				 "/dev/cobd1 none swap sw 0 0\n"
				 "LABEL=home /home ext4 defaults 0 2\n"
				 "/dev/mapper/vg-data /data xfs defaults 0 2\n";
	struct co_fstab_stats st;
	char *out = adapt(in, &st);

	CHECK(strstr(out, "\nproc /proc proc defaults 0 0\n") ||
	      !strncmp(out, "proc /proc proc defaults 0 0\n", 29));
	CHECK(strstr(out, "\ntmpfs /tmp tmpfs size=10%\t0 0\n"));
	CHECK(strstr(out, "\nserver:/export /mnt/nfs nfs defaults 0 0\n"));
	CHECK(strstr(out, "\n/srv/a /srv/b none bind 0 0\n"));
	CHECK(strstr(out, "\n/swapfile none swap sw 0 0\n"));
	CHECK(strstr(out, "\ncofs0 /mnt/host 9p trans=virtio 0 0\n"));
	CHECK(strstr(out, "\n/dev/cobd1 none swap sw 0 0\n"));
	CHECK(strstr(out, "coLinux: LABEL=home /home"));
	CHECK(strstr(out, "coLinux: /dev/mapper/vg-data /data"));
	CHECK_INT(st.commented, 2);
	/* No "/" entry: one is added at the end. */
	CHECK_INT(st.root_added, 1);
	CHECK(strstr(out, "\n/dev/cobd0\t/\text4\terrors=remount-ro\t0\t1\n"));
	free(out);
}

static void test_idempotent_and_no_final_newline(void)
{
	struct co_fstab_stats st;
	char *once =
		adapt("/dev/sda2 / ext4 defaults 0 1\n/dev/sda1 /boot ext2 "
		      "defaults 0 2",
		      &st);
	char *twice = adapt(once, &st);

	CHECK_STR(twice, once);
	CHECK_INT(st.commented, 0);
	CHECK_INT(st.root_found, 1);
	CHECK(strstr(once, "/dev/cobd0\t/\text4\tdefaults\t0\t1\n"));
	CHECK(strstr(once, "coLinux: /dev/sda1 /boot ext2 defaults 0 2\n"));
	free(once);
	free(twice);
}

static void test_empty(void)
{
	struct co_fstab_stats st;
	char *out = adapt("", &st);

	CHECK_STR(out, "/dev/cobd0\t/\text4\terrors=remount-ro\t0\t1\n");
	free(out);
}

static void test_swap_mapped(void)
{
	struct co_fstab_stats st;
	char *out = NULL;

	CHECK_INT(co_fstab_adapt(debian_fstab, strlen(debian_fstab),
				 "/dev/cobd0", "ext4", "/dev/cobd1", &out, &st),
		  0);
	CHECK(strstr(out, "\n/dev/cobd1\tnone\tswap\tsw\t0\t0\n"));
	CHECK(!strstr(out, "UUID=1111"));
	CHECK_INT(st.swap_mapped, 1);
	CHECK_INT(st.commented, 1); /* the CD-ROM */
	free(out);
}

int main(void)
{
	RUN_TEST(test_debian_installer_layout);
	RUN_TEST(test_keeps_virtual_network_bind_and_files);
	RUN_TEST(test_idempotent_and_no_final_newline);
	RUN_TEST(test_empty);
	RUN_TEST(test_swap_mapped);
	return check_failures != 0;
}
