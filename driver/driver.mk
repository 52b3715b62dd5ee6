# SPDX-License-Identifier: GPL-2.0
# driver/: colinux.ko, the host driver, and the host-VM tests that prove it.
#
#   make driver        build colinux.ko against the installed Debian headers
#   make vm-prep       module + test programs + host kernel + initramfs
#   tests/run tests/vm the host-VM suite (builds through vm-prep itself)
#   make bench-passage passage round trip vs getppid() in the host VM
#   make hw-report     tests/hw/report on this machine (a real host)
#
# Kbuild builds in the directory of its sources, so the module is built in
# $(O)/driver from a tree of symlinks to driver/: the source tree stays clean.
# "O=" keeps our build directory from reaching Kbuild, where O= means the
# kernel's own output directory.

PKGS_driver := linux-headers-amd64 gcc make libc6-dev binutils

# The newest installed Debian headers; recursive, so it is read after
# deps-driver has installed them.
DRIVER_KVER = $(shell ls /usr/src 2>/dev/null | \
	sed -n 's/^linux-headers-\(.*-amd64\)$$/\1/p' | sort -V | tail -n 1)
KDIR ?= /usr/src/linux-headers-$(DRIVER_KVER)
DRIVER_SRCS := $(shell find driver -name '*.[chS]' -o -name Kbuild) \
	kernel/include/uapi/linux/colinux.h
GUEST_ABI_INC := -Ikernel/include/uapi

.PHONY: driver vm-prep bench-passage bench-guest
driver: $(O)/driver/colinux.ko

$(O)/driver/colinux.ko: $(DRIVER_SRCS) driver/driver.mk | deps-driver
	$(E) KBUILD $@
	$(Q)mkdir -p $(O)/driver && cp -rsf $(TOP)/driver/. $(O)/driver/
	$(Q)$(MAKE) -C $(KDIR) M=$(abspath $(O)/driver) O= COLINUX_TOP=$(TOP) \
		$(if $(filter 1,$(V)),V=1,-s) modules

# User-space programs that run inside the host VM: static, no libraries.
VM_CFLAGS := -O2 -g -static -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Idriver/include/uapi $(GUEST_ABI_INC) -Idaemons/lib/include

$(O)/tests/vm/cotest: tests/vm/cotest.c driver/include/uapi/colinux/ioctl.h \
		kernel/include/uapi/linux/colinux.h | deps-driver
	@mkdir -p $(dir $@)
	$(E) CC $@
	$(Q)$(CC) $(VM_CFLAGS) -o $@ $<

# The guest-vs-host benchmark program, for the guest and the host VM alike.
$(O)/tests/vm/cobench: tests/vm/cobench.c | deps-driver
	@mkdir -p $(dir $@)
	$(E) CC $@
	$(Q)$(CC) $(VM_CFLAGS) -o $@ $<

# The test payload: position-independent code, loaded as a flat binary.
$(O)/tests/payload/payload.bin: tests/payload/payload.S \
		kernel/include/uapi/linux/colinux.h | deps-driver
	@mkdir -p $(dir $@)
	$(E) AS $@
	$(Q)$(CC) -c -nostdlib -D__ASSEMBLY__ $(GUEST_ABI_INC) -o $(@:.bin=.o) $<
	$(Q)if nm -u $(@:.bin=.o) | grep .; then \
		echo "$<: undefined symbols (above) in a flat binary" >&2; exit 1; fi
	$(Q)objcopy -O binary -j .text $(@:.bin=.o) $@

# The guest boot cases need the daemon and the guest kernel as well.
vm-prep: driver $(O)/tests/vm/cotest $(O)/tests/payload/payload.bin \
		$(O)/tests/vm/colinux-daemon $(O)/tests/vm/colinux-console \
		$(O)/tests/vm/colinux-run $(O)/tests/vm/cobench $(O)/kernel/vmlinux | deps-vm
	$(Q)O=$(O) TOP=$(TOP) tests/vm/prepare all

# tests/hw/report on this machine, a real host: the module built for the
# running kernel, the test programs and the guest as the host VM has them.
HW_KDIR ?= /lib/modules/$(shell uname -r)/build
.PHONY: hw-report
hw-report: vm-prep
	$(Q)[ -d $(HW_KDIR) ] || { echo "hw-report: $(HW_KDIR): no headers" \
		"for the running kernel (apt-get install linux-headers-$$(uname -r))" >&2; \
		exit 2; }
	$(E) KBUILD $(O)/hw/driver/colinux.ko
	$(Q)mkdir -p $(O)/hw/driver && cp -rsf $(TOP)/driver/. $(O)/hw/driver/
	$(Q)$(MAKE) -C $(HW_KDIR) M=$(abspath $(O)/hw/driver) O= \
		COLINUX_TOP=$(TOP) -s modules
	$(Q)tests/hw/report --from $(O)/vm/initramfs.d/tests \
		--module $(O)/hw/driver/colinux.ko \
		--daemon $(O)/bin/colinux-daemon $(HW_ARGS)

# ABI layout and pure core logic, run by the unit suite: colinux_abi_test and
# colinux_host_test, from driver/core/*_test.c (tests/tests.mk).
CFLAGS_driver := -Idriver/include/uapi $(GUEST_ABI_INC) -Itests/lib

bench-passage: vm-prep
	$(Q)O=$(O) TOP=$(TOP) tests/vm/bench

# The guest against the host VM: CPU loop, getppid(), pipe, fork+exec.
bench-guest: vm-prep
	$(Q)O=$(O) TOP=$(TOP) tests/vm/bench-guest

# The host-VM suite builds what it needs itself (make vm-prep).
TEST_SUITES += tests/vm
TEST_DEPS += vm-prep
BENCH_TARGETS += bench-passage bench-guest
