# SPDX-License-Identifier: GPL-2.0
# The Windows programs and driver, cross-built with MinGW-w64 into $(O)/win
# (README, "Windows"):
#
#   make win      $(O)/win/colinux-daemon.exe, colinux-console.exe,
#                 colinux.sys, colinux.inf
#
# colinux-daemon.exe is colinux-daemon's own code with the Windows OS layer
# (os-windows.c, console-windows.c, dev-windows.c, image-windows.c instead
# of os-linux.c, console.c, dev-linux.c, image-linux.c; conet-windows.c and
# cofs-windows.c refuse those devices), colinux-console.exe
# colinux-console's with term-windows.c for term-linux.c; both with libco's
# usock-windows.c and usock-afunix.c (Winsock's AF_UNIX) for usock-linux.c;
# static, so they need no DLL beyond Windows's own.  colinux.sys is
# driver/windows.
PKGS_win := gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64 \
	mingw-w64-x86-64-dev linux-libc-dev osslsigncode openssl \
	meson ninja-build pkg-config dpkg-dev
PKGS_wintest := wine wine64 python3-pefile

WIN_CC := x86_64-w64-mingw32-gcc
WIN_DIR := $(O)/win
# The ABI headers use Linux's type names and ioctl encoding
# (driver/windows/include); boot.h and elf.c want the Linux uapi and ELF
# headers, which are plain C, found after MinGW's own ($(WIN_DIR)/uapi).
# Every open() of the daemons says O_CLOEXEC: on Windows that is a handle
# not inherited, in binary mode (the C runtime's default is text mode).
# _FILE_OFFSET_BITS=64 as on Linux: MinGW's off_t is otherwise 32 bits, and
# blk.c's offsets past 2 GiB would wrap.
WIN_UAPI := $(WIN_DIR)/uapi/.made
WIN_CFLAGS := -O2 -g -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
	-D__USE_MINGW_ANSI_STDIO=1 \
	'-DO_CLOEXEC=(_O_NOINHERIT | _O_BINARY)' -MMD -MP \
	$(filter-out -Wformat=2,$(WARNINGS)) -Wno-format \
	-Idaemons/win/include -Idriver/windows/include -Idaemons/lib/include \
	-Idriver/include/uapi -Ikernel/include/uapi -idirafter $(WIN_DIR)/uapi
WIN_LDFLAGS := -static -pthread

WIN_LIBCO_OBJS := $(addprefix $(WIN_DIR)/obj/daemons/lib/,log.o err.o cfg.o io.o buf.o \
	usock-windows.o)
WIN_AFUNIX_OBJ := $(WIN_DIR)/obj/daemons/lib/usock-afunix.o
# The daemon's objects but main's: tests/win links them with its own main.
WIN_DAEMON_LIB_OBJS := $(WIN_LIBCO_OBJS) \
	$(addprefix $(WIN_DIR)/obj/daemons/colinux-daemon/,vm.o load.o \
	elf.o boot.o gmem.o os-windows.o win-errno.o console-windows.o \
	console-queue.o console-sock.o dev.o dev-windows.o virtq.o cobd.o blk.o \
	image-windows.o conet.o conet-slirp.o conet-windows.o vnet.o \
	cofs-windows.o exec-windows.o)
WIN_DAEMON_OBJS := $(WIN_DIR)/obj/daemons/colinux-daemon/main.o \
	$(WIN_DAEMON_LIB_OBJS) $(WIN_AFUNIX_OBJ)
WIN_CONSOLE_OBJS := $(addprefix $(WIN_DIR)/obj/daemons/colinux-console/,main.o \
	term-windows.o) $(WIN_LIBCO_OBJS)
WIN_LIBS := -lws2_32 -lntdll

# conet's libslirp (and GLib under it), cross-built from Debian's sources
# by daemons/win/slirp.sh into $(WIN_DIR)/deps, once; its compile and link
# flags are read from the files it writes when a recipe runs.
WIN_DEPS := $(WIN_DIR)/deps
WIN_SLIRP := $(WIN_DEPS)/prefix/.made
WIN_SLIRP_CFLAGS := $$(cat $(WIN_DEPS)/slirp.cflags)
WIN_SLIRP_LIBS := $$(cat $(WIN_DEPS)/slirp.libs)
# What every program of the daemon's objects links: libslirp, and
# win-errno.c's strerror (MinGW's POSIX errno values in Linux's words).
WIN_DAEMON_LIBS := -Wl,--wrap=strerror $(WIN_SLIRP_LIBS) $(WIN_LIBS)
# A test program of the daemon's objects: $^ (a .c first) linked.
WIN_LINK_DAEMON = $(Q)$(WIN_CC) $(WIN_CFLAGS) -Idaemons/colinux-daemon -o $@ \
	$^ $(WIN_LDFLAGS) $(WIN_DAEMON_LIBS)
$(WIN_SLIRP): daemons/win/slirp.sh daemons/win/slirp-sources \
		daemons/win/intl/intl.c daemons/win/intl/libintl.h | deps-win
	$(E) SLIRP "$(WIN_DEPS): libslirp for Windows from Debian's sources (minutes, once)"
	$(Q)daemons/win/slirp.sh $(WIN_DEPS)
$(WIN_DIR)/obj/daemons/colinux-daemon/conet-slirp.o: \
		daemons/colinux-daemon/conet-slirp.c $(WIN_SLIRP) $(WIN_UAPI) \
		daemons/win.mk | deps-win
	@mkdir -p $(dir $@)
	$(E) WINCC $<
	$(Q)$(WIN_CC) $(WIN_CFLAGS) $(WIN_SLIRP_CFLAGS) -c -o $@ $<

.PHONY: win
win: $(WIN_DIR)/colinux-daemon.exe $(WIN_DIR)/colinux-console.exe

$(WIN_UAPI): | deps-win
	@mkdir -p $(WIN_DIR)/uapi/bits
	$(Q)for d in linux asm-generic video; do \
		ln -sfn /usr/include/$$d $(WIN_DIR)/uapi/$$d; done
	$(Q)ln -sfn /usr/include/x86_64-linux-gnu/asm $(WIN_DIR)/uapi/asm
	$(Q)ln -sf /usr/include/elf.h $(WIN_DIR)/uapi/elf.h
	$(Q)ln -sf /usr/include/x86_64-linux-gnu/bits/auxv.h $(WIN_DIR)/uapi/bits/auxv.h
	$(Q)touch $@

# win.mk itself: its flags (such as _FILE_OFFSET_BITS) make the objects.
$(WIN_DIR)/obj/%.o: %.c $(WIN_UAPI) daemons/win.mk | deps-win
	@mkdir -p $(dir $@)
	$(E) WINCC $<
	$(Q)$(WIN_CC) $(WIN_CFLAGS) -c -o $@ $<

$(WIN_DIR)/colinux-daemon.exe: $(WIN_DAEMON_OBJS)
	$(E) WINLD $@
	$(Q)$(WIN_CC) -o $@ $^ $(WIN_LDFLAGS) $(WIN_DAEMON_LIBS)

$(WIN_DIR)/colinux-console.exe: $(WIN_CONSOLE_OBJS) $(WIN_AFUNIX_OBJ)
	$(E) WINLD $@
	$(Q)$(WIN_CC) -o $@ $^ $(WIN_LDFLAGS) $(WIN_LIBS)

-include $(shell find $(WIN_DIR)/obj -name '*.d' -type f 2>/dev/null)

TEST_SUITES += tests/win
TEST_DEPS += win deps-wintest

# The tests/win client of colinux.sys.
$(WIN_DIR)/test/coprobe.exe: tests/win/probe.c $(WIN_UAPI) | deps-win
	@mkdir -p $(dir $@)
	$(E) WINCC $@
	$(Q)$(WIN_CC) $(WIN_CFLAGS) -o $@ $< -static
TEST_DEPS += $(WIN_DIR)/test/coprobe.exe
# The suite compares configuration errors with the Linux build's and
# starts the guest kernel (which is read before the driver is opened).
TEST_DEPS += $(O)/bin/colinux-daemon $(O)/kernel/vmlinux

# The console's socket, served and attached with real processes (tests/win):
# conserve runs the daemon's console code with a stand-in for the guest, on
# Linux (console.c) and on Windows (console-windows.c); the Windows builds of
# it and of colinux-console take their socket addresses from
# tests/win/usock-tcp.c (loopback TCP), as Wine 8 has no AF_UNIX.
$(WIN_DIR)/test/usock-tcp.o: tests/win/usock-tcp.c $(WIN_UAPI) | deps-win
	@mkdir -p $(dir $@)
	$(E) WINCC $<
	$(Q)$(WIN_CC) $(WIN_CFLAGS) -Idaemons/lib -c -o $@ $<
$(WIN_DIR)/test/conserve.exe: tests/win/conserve.c $(WIN_DAEMON_LIB_OBJS) \
		$(WIN_DIR)/test/usock-tcp.o
	$(E) WINLD $@
	$(WIN_LINK_DAEMON)
# cobd's Windows half (image-windows.c) under Wine: tests/win/cobdtest.c.
$(WIN_DIR)/test/cobdtest.exe: tests/win/cobdtest.c $(WIN_DAEMON_LIB_OBJS) $(WIN_AFUNIX_OBJ)
	@mkdir -p $(dir $@)
	$(E) WINLD $@
	$(WIN_LINK_DAEMON)
TEST_DEPS += $(WIN_DIR)/test/cobdtest.exe
# The daemon's own unit tests, unchanged, with their fake guests: the
# device layer's on dev-windows.c (event objects, winpthreads), conet's on
# conet-windows.c and Winsock; tests/win runs them.
$(WIN_DIR)/test/%_test.exe: daemons/colinux-daemon/%_test.c \
		$(WIN_DAEMON_LIB_OBJS) $(WIN_AFUNIX_OBJ)
	@mkdir -p $(dir $@)
	$(E) WINLD $@
	$(WIN_LINK_DAEMON)
TEST_DEPS += $(WIN_DIR)/test/dev_test.exe $(WIN_DIR)/test/conet_test.exe
# execN= helpers (exec-windows.c) under Wine: tests/win/exectest.c, which is
# also the helper program it starts.
$(WIN_DIR)/test/exectest.exe: tests/win/exectest.c $(WIN_DAEMON_LIB_OBJS) $(WIN_AFUNIX_OBJ)
	@mkdir -p $(dir $@)
	$(E) WINLD $@
	$(WIN_LINK_DAEMON) -lshell32
TEST_DEPS += $(WIN_DIR)/test/exectest.exe
$(WIN_DIR)/test/colinux-console-tcp.exe: $(WIN_CONSOLE_OBJS) $(WIN_DIR)/test/usock-tcp.o
	$(E) WINLD $@
	$(Q)$(WIN_CC) -o $@ $^ $(WIN_LDFLAGS) $(WIN_LIBS)
$(O)/tests/conserve/conserve: tests/win/conserve.c $(O)/lib/libco.a \
		$(addprefix $(O)/daemons/colinux-daemon/,console.o console-queue.o \
		console-sock.o os-linux.o)
	@mkdir -p $(dir $@)
	$(E) CC $@
	$(Q)$(CC) $(CFLAGS) $(CFLAGS_daemons) -Idaemons/colinux-daemon -o $@ \
		$(filter %.c %.o,$^) $(O)/lib/libco.a -lpthread
TEST_DEPS += $(WIN_DIR)/test/conserve.exe $(WIN_DIR)/test/colinux-console-tcp.exe \
	$(O)/tests/conserve/conserve $(O)/bin/colinux-console
