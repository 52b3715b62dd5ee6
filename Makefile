# SPDX-License-Identifier: GPL-2.0
#
# coLinux for x86_64: the one entry point.
#
#   make              build everything that exists (installs missing packages)
#   make test         run every test suite through tests/run
#   make bench        benchmarks (ratios measured side by side)
#   make lint         coding-style check (clang-format, Linux kernel style)
#   V=1               show the commands     O=DIR   build directory (build/)

O	?= build
V	?= 0
ifeq ($(V),1)
Q	:=
E	:= @true
else
Q	:= @
E	:= @printf '  %-8s %s\n'
endif
export O V

CC	?= gcc
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wundef -Wno-unused-parameter
CFLAGS	?= -O2 -g
CFLAGS	+= -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -MMD -MP $(WARNINGS)
TOP	:= $(CURDIR)

# ---------------------------------------------------------------------------
# Debian packages each part needs.  "deps-X" installs what is missing, once,
# and only when missing: dpkg-query first, apt-get only for the rest.  Under
# "make -j" several parts may install at once: apt-get waits for dpkg's lock.
# A part's own list is in its fragment (PKGS_image in recipes/recipes.mk, ...).
PKGS_build	:= gcc make pkg-config libblkid-dev libext2fs-dev comerr-dev \
	libjson-c-dev uuid-dev
PKGS_img	:= qemu-utils e2fsprogs fdisk util-linux fakeroot
PKGS_lint	:= clang-format
PKGS_vm		:= qemu-system-x86 busybox-static cpio openssh-client
PKGS_bench	:= bc

deps-%:
	$(Q)missing=; for p in $(PKGS_$*); do \
		dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | \
		grep -qx installed || missing="$$missing $$p"; done; \
	[ -z "$$missing" ] && exit 0; \
	echo "  DEPS     installing:$$missing"; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "error: missing Debian packages:$$missing" \
			"(run make as root, or apt-get install them)" >&2; \
		exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; mkdir -p $(O); log=$(O)/apt.log; \
	apt="apt-get -o DPkg::Lock::Timeout=600"; \
	$$apt install -y -q --no-install-recommends $$missing >>$$log 2>&1 || \
	{ $$apt update -q >>$$log 2>&1 && \
	  $$apt install -y -q --no-install-recommends $$missing >>$$log 2>&1; } || \
	{ tail -n 20 $$log >&2; \
	  echo "error: could not install:$$missing (log: $$log)" >&2; exit 1; }

.PHONY: all clean

all: imagetools daemons driver kernel win installer

# Keep intermediate objects (unit-test .o files) so nothing relinks needlessly.
.SECONDARY:

# Each part brings its own fragment: its targets, and what it adds to
# TEST_SUITES (suite directories, run in this order), TEST_DEPS (targets the
# tests need built) and BENCH_TARGETS.
TEST_SUITES :=
TEST_DEPS :=
BENCH_TARGETS :=
include daemons/lib/lib.mk
include daemons/daemons.mk
include imagetools/imagetools.mk
include kernel/kernel.mk
include driver/driver.mk
include daemons/win.mk
include driver/windows/windows.mk
include recipes/recipes.mk
include installer/installer.mk
include tests/bench/bench.mk
include tests/tests.mk

clean:
	$(E) CLEAN $(O)
	$(Q)rm -rf $(O)

$(O)/%.o: %.c | deps-build
	@mkdir -p $(dir $@)
	$(E) CC $<
	$(Q)$(CC) $(CFLAGS) $(CFLAGS_$(firstword $(subst /, ,$<))) -c -o $@ $<

# Dependencies of the objects built by the rule above (only there: other
# parts' trees, such as a root filesystem under construction, have .d names).
-include $(shell find $(O)/imagetools $(O)/daemons -name '*.d' -type f 2>/dev/null)
-include $(wildcard $(O)/driver/core/*.d $(O)/kernel/*.d)
