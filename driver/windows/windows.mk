# SPDX-License-Identifier: GPL-2.0
# driver/windows: colinux.sys, the Windows driver (WDM, non-PnP), and its
# .inf, into $(O)/win with the programs ("make win", daemons/win.mk).
# MinGW-w64's DDK headers; a native image entered at DriverEntry that
# imports from ntoskrnl.exe alone; no stack probes or stack protector
# (the kernel has neither helper); ld fills in the checksum Windows checks.
WIN_SYS_CFLAGS := -O2 -std=gnu11 $(filter-out -Wformat=2,$(WARNINGS)) \
	-isystem /usr/share/mingw-w64/include/ddk -Idriver/windows/include \
	-Idriver/include/uapi -Ikernel/include/uapi \
	-ffreestanding -fno-stack-protector -mno-stack-arg-probe \
	-fno-asynchronous-unwind-tables
WIN_SYS_LDFLAGS := -nostdlib -Wl,--subsystem,native -e DriverEntry

win: $(WIN_DIR)/colinux.sys $(WIN_DIR)/colinux.inf

$(WIN_DIR)/colinux.sys: driver/windows/colinux.c \
		driver/windows/include/colinux/winioctl.h \
		driver/include/uapi/colinux/ioctl.h \
		kernel/include/uapi/linux/colinux.h | deps-win
	@mkdir -p $(dir $@)
	$(E) WINSYS $@
	$(Q)$(WIN_CC) $(WIN_SYS_CFLAGS) $(WIN_SYS_LDFLAGS) -o $@ $< -lntoskrnl

$(WIN_DIR)/colinux.inf: driver/windows/colinux.inf
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
