# SPDX-License-Identifier: GPL-2.0
# driver/windows: colinux.sys, the Windows driver (WDM, non-PnP), and its
# .inf, into $(O)/win with the programs ("make win", daemons/win.mk).
# colinux.c (the device), map-windows.c with guard-windows.S (guest RAM in
# the daemon) and os-windows.c with gate-windows.S (driver/core's OS layer)
# over the same driver/core objects as colinux.ko, objects in
# $(WIN_DIR)/obj/driver.  MinGW-w64's DDK headers; a native image entered
# at DriverEntry that imports from ntoskrnl.exe and hal.dll alone; no stack
# probes or stack protector (the kernel has neither helper); no SSE in C,
# as the core keeps the guest's FPU state in the registers across its C
# code; ld fills in the checksum Windows checks.
WIN_SYS_CFLAGS := -O2 -std=gnu11 $(filter-out -Wformat=2,$(WARNINGS)) \
	-DCO_OS_WINDOWS -MMD -MP \
	-isystem /usr/share/mingw-w64/include/ddk -Idriver/windows/include \
	-Idriver/include/uapi -Ikernel/include/uapi \
	-ffreestanding -fno-stack-protector -mno-stack-arg-probe \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables
WIN_SYS_LDFLAGS := -nostdlib -Wl,--subsystem,native -e DriverEntry

WIN_SYS_OBJS := $(addprefix $(WIN_DIR)/obj/driver/,windows/colinux.o \
	windows/os-windows.o windows/gate-windows.o windows/map-windows.o \
	windows/guard-windows.o core/monitor.o \
	core/memory.o core/passage.o core/host.o core/err.o core/switch.o)

win: $(WIN_DIR)/colinux.sys $(WIN_DIR)/colinux.inf

# An exception raised under co_win_guarded() (guard-windows.S) unwinds
# through map-windows.c's frames: they need unwind data.
$(WIN_DIR)/obj/driver/windows/map-windows.o: \
	WIN_SYS_CFLAGS += -fasynchronous-unwind-tables

$(WIN_DIR)/obj/driver/%.o: driver/%.c driver/windows/windows.mk | deps-win
	@mkdir -p $(dir $@)
	$(E) WINCC $@
	$(Q)$(WIN_CC) $(WIN_SYS_CFLAGS) -c -o $@ $<

$(WIN_DIR)/obj/driver/%.o: driver/%.S driver/windows/windows.mk | deps-win
	@mkdir -p $(dir $@)
	$(E) WINAS $@
	$(Q)$(WIN_CC) $(WIN_SYS_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(WIN_DIR)/obj/colinux-unsigned.sys: $(WIN_SYS_OBJS)
	@mkdir -p $(dir $@)
	$(E) WINSYS $@
	$(Q)$(WIN_CC) $(WIN_SYS_CFLAGS) $(WIN_SYS_LDFLAGS) -o $@ $^ \
		-lntoskrnl -lhal

# colinux.sys is test-signed: 64-bit Windows in test mode (README, "What a
# Windows user must set") loads a driver signed with any certificate, and
# none without one.  The key and its self-signed code-signing certificate
# are made once per build tree (never shipped, never in the source); give
# your own as WIN_SIGN_KEY and WIN_SIGN_CERT (PEM).  The signing time is
# the certificate's, so a tree signs the same bytes every time and the
# installer stays reproducible (RSA signatures are deterministic).
WIN_SIGN_DIR := $(O)/win-signing
WIN_SIGN_KEY ?= $(WIN_SIGN_DIR)/colinux-test.key
WIN_SIGN_CERT ?= $(WIN_SIGN_DIR)/colinux-test.crt

$(WIN_SIGN_DIR)/colinux-test.crt: | deps-win
	@mkdir -p $(dir $@)
	$(E) GENCERT $@
	$(Q)umask 077 && openssl req -x509 -newkey rsa:3072 -nodes -days 3650 \
		-subj "/CN=coLinux test signing (one build tree)" \
		-addext keyUsage=critical,digitalSignature \
		-addext extendedKeyUsage=codeSigning \
		-keyout $(WIN_SIGN_DIR)/colinux-test.key -out $@.tmp 2>/dev/null && \
		mv $@.tmp $@

$(WIN_DIR)/colinux.sys: $(WIN_DIR)/obj/colinux-unsigned.sys $(WIN_SIGN_CERT)
	$(E) WINSIGN $@
	$(Q)rm -f $@.tmp && osslsigncode sign -certs $(WIN_SIGN_CERT) \
		-key $(WIN_SIGN_KEY) -h sha256 -n coLinux \
		-time $$(stat -c %Y $(WIN_SIGN_CERT)) -in $< -out $@.tmp \
		>/dev/null && mv $@.tmp $@

$(WIN_DIR)/colinux.inf: driver/windows/colinux.inf
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# colinux.sys's own objects in test programs under Wine (tests/win): the
# exception guard, and MAP_RAM over stand-ins for the kernel's calls.
WIN_SYS_TEST_CFLAGS := -O2 -std=gnu11 $(WARNINGS) -Wno-attributes \
	-D_NTOSKRNL_ -D_NTSYSTEM_ -DCO_OS_WINDOWS \
	-isystem /usr/share/mingw-w64/include/ddk -Idriver/windows/include \
	-Idriver/include/uapi -Ikernel/include/uapi -Idriver/core \
	-Idriver/windows -Itests/lib
$(WIN_DIR)/test/guardtest.exe: tests/win/guardtest.c \
		$(WIN_DIR)/obj/driver/windows/guard-windows.o | deps-win
	@mkdir -p $(dir $@)
	$(E) WINCC $@
	$(Q)$(WIN_CC) $(WIN_CFLAGS) -o $@ $^ -static
$(WIN_DIR)/test/maptest.exe: tests/win/maptest.c \
		$(WIN_DIR)/obj/driver/windows/map-windows.o \
		$(WIN_DIR)/obj/driver/windows/guard-windows.o | deps-win
	@mkdir -p $(dir $@)
	$(E) WINCC $@
	$(Q)$(WIN_CC) $(WIN_SYS_TEST_CFLAGS) -o $@ $^ -static
TEST_DEPS += $(WIN_DIR)/test/guardtest.exe $(WIN_DIR)/test/maptest.exe

# tests/hw/report.cmd, the hardware report for a real Windows host, in a
# folder to copy over with what it runs: the Windows programs and driver,
# and the guest kernel and busybox initramfs as the host VM has them.  The
# script gets Windows's line ends (cmd mislocates labels without them).
HW_WIN_DIR := $(O)/hw-win
.PHONY: hw-report-win
hw-report-win: win vm-prep
	$(E) STAGE $(HW_WIN_DIR)
	$(Q)mkdir -p $(HW_WIN_DIR)
	$(Q)cp $(WIN_DIR)/colinux-daemon.exe $(WIN_DIR)/colinux.sys \
		$(WIN_DIR)/colinux.inf $(O)/kernel/vmlinux \
		$(O)/vm/initramfs.d/tests/guest.cpio $(HW_WIN_DIR)/
	$(Q)sed 's/$$/\r/' tests/hw/report.cmd >$(HW_WIN_DIR)/report.cmd
TEST_DEPS += hw-report-win
