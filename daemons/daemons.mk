# SPDX-License-Identifier: GPL-2.0
# daemons/: colinux-daemon (daemons/colinux-daemon), colinux-console
# (daemons/colinux-console) and colinux-run (daemons/colinux-run) on libco
# (daemons/lib), into $(O)/bin.
#
#   make daemons       build them
#   make run ARGS=...  run colinux-daemon on the guest kernel of "make kernel"
#                      (as root, with colinux.ko loaded)
#   make fuzz          fuzz the virtqueue walk, the block requests, the
#                      virtio-net header handling, the 9P codec and the cofs
#                      server, FUZZ_SECONDS (60) each;
#                      new inputs in $(O)/fuzz
.PHONY: daemons run fuzz

CFLAGS_daemons += -Idriver/include/uapi -Ikernel/include/uapi
# conet's slirp networks: libslirp (its pkg-config file wants glib's).
PKGS_build += libslirp-dev libglib2.0-dev
DAEMON_LDLIBS = -lpthread $(shell pkg-config --libs slirp)

# The pure parts, unit-tested on their own (*_test.c beside them).
DAEMON_PURE := $(addprefix $(O)/daemons/colinux-daemon/,gmem.o elf.o boot.o virtq.o blk.o vnet.o p9.o)
# The device layer, tested against a fake guest (threads, eventfds).
DAEMON_DEV := $(addprefix $(O)/daemons/colinux-daemon/,dev.o dev-linux.o cobd.o image-linux.o conet.o conet-linux.o conet-slirp.o conet-tap.o cofs.o cofs_fs.o)
DAEMON_OBJS := $(DAEMON_PURE) $(DAEMON_DEV) \
	$(addprefix $(O)/daemons/colinux-daemon/,load.o vm.o console.o console-queue.o console-sock.o main.o os-linux.o exec-linux.o)
CONSOLE_OBJS := $(addprefix $(O)/daemons/colinux-console/,main.o term-linux.o)
RUN_PURE := $(addprefix $(O)/daemons/colinux-run/,launch.o menu.o)
RUN_OBJS := $(RUN_PURE) $(addprefix $(O)/daemons/colinux-run/,main.o menu-files.o relay.o)
# The menu entries' key files: GLib's GKeyFile (glib is conet's already).
RUN_LDLIBS = $(shell pkg-config --libs glib-2.0)
$(O)/daemons/colinux-run/%.o: CFLAGS += $(shell pkg-config --cflags glib-2.0)

daemons: $(O)/lib/libco.a $(O)/bin/colinux-daemon $(O)/bin/colinux-console \
	$(O)/bin/colinux-run

$(O)/bin/colinux-daemon: $(DAEMON_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^ $(DAEMON_LDLIBS)

$(O)/bin/colinux-console: $(CONSOLE_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^

$(O)/bin/colinux-run: $(RUN_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^ $(RUN_LDLIBS)

# Copies for the host-VM initramfs.  Debian ships libslirp only as a shared
# library, so the daemon is dynamically linked and tests/vm/prepare copies
# the libraries it needs (ldd) into the initramfs's /tests/lib, found through
# an RPATH (not RUNPATH: it holds for the libraries' own needs too).  Not in
# /lib: static busybox would load that libc for NSS and crash.  The console
# is static.
$(O)/tests/vm/colinux-daemon: $(DAEMON_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -Wl,--disable-new-dtags,-rpath,/tests/lib -o $@ $^ $(DAEMON_LDLIBS)

$(O)/tests/vm/colinux-console: $(CONSOLE_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -static -o $@ $^

$(O)/tests/vm/colinux-run: $(RUN_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -Wl,--disable-new-dtags,-rpath,/tests/lib -o $@ $^ $(RUN_LDLIBS)

# The unit tests link DAEMON_PURE, DAEMON_DEV and libco (tests/tests.mk).

# Fuzz targets (libFuzzer, ASan, UBSan): *_fuzz.c beside the code, seed
# corpus in tests/fuzz/<target>/, replayed by the tests/fuzz suite.
PKGS_fuzz := clang libclang-rt-14-dev
FUZZ_CC := clang
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(CFLAGS_daemons) -Idaemons/colinux-daemon
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := virtq blk vnet p9 cofs_fs
FUZZ_BINS := $(FUZZ_TARGETS:%=$(O)/tests/fuzz/%_fuzz)
FUZZ_SRCS_virtq := virtq.c gmem.c
FUZZ_SRCS_blk := blk.c virtq.c gmem.c
FUZZ_SRCS_vnet := vnet.c virtq.c gmem.c
FUZZ_SRCS_p9 := p9.c
FUZZ_SRCS_cofs_fs := cofs_fs.c p9.c ../lib/err.c

.SECONDEXPANSION:
$(FUZZ_BINS): $(O)/tests/fuzz/%_fuzz: daemons/colinux-daemon/%_fuzz.c \
		$$(addprefix daemons/colinux-daemon/,$$(FUZZ_SRCS_$$*)) \
		$$(wildcard daemons/colinux-daemon/*.h) | deps-fuzz
	@mkdir -p $(dir $@)
	$(E) FUZZCC $@
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

TEST_SUITES += tests/fuzz
TEST_DEPS += $(FUZZ_BINS)

# execN= helpers against the daemon without a driver (tests/exec).
TEST_SUITES += tests/exec
TEST_DEPS += $(O)/bin/colinux-daemon

# colinux-run against a real OpenSSH server standing in for the guest
# (tests/desktop).  Debian's openssh-server is unpacked into the build
# directory, not installed: installing it would start a server on this
# machine's port 22.  Its one library this machine lacks is libwrap0.
PKGS_desktoptest := openssh-client libwrap0 xvfb xauth imagemagick \
	desktop-file-utils libglib2.0-bin file pulseaudio pulseaudio-utils python3 \
	x11-utils waypipe weston
TEST_SUITES += tests/desktop
# deps-desktoptest itself too: a list that grew is installed on a machine
# that built sshd before.
TEST_DEPS += $(O)/bin/colinux-run $(O)/tests/desktop/sshd deps-desktoptest

$(O)/tests/desktop/sshd: | deps-desktoptest
	@mkdir -p $(O)/tests/desktop/deb
	$(E) UNPACK openssh-server
	$(Q)cd $(O)/tests/desktop/deb && rm -f *.deb && \
	{ apt-get download -q openssh-server >>../apt.log 2>&1 || \
	  { apt-get update -q >>../apt.log 2>&1 && \
	    apt-get download -q openssh-server >>../apt.log 2>&1; }; } || \
	{ tail -n 5 ../apt.log >&2; echo "error: cannot download openssh-server" >&2; exit 1; }; \
	dpkg-deb -x openssh-server_*.deb root && \
	cp root/usr/sbin/sshd ../sshd.tmp && mv ../sshd.tmp ../sshd

fuzz: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(O)/fuzz/$$t $(O)/fuzz/crashes && \
		echo "  FUZZ     $$t for $(FUZZ_SECONDS) s" && \
		$(O)/tests/fuzz/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=$(O)/fuzz/crashes/$$t- \
			$(O)/fuzz/$$t tests/fuzz/$$t 2>$(O)/fuzz/$$t.log || \
		{ tail -n 30 $(O)/fuzz/$$t.log; exit 1; }; \
		grep -h '^Done\|^#.*DONE' $(O)/fuzz/$$t.log | tail -n 1; \
	done

run: daemons
	$(O)/bin/colinux-daemon kernel=$(O)/kernel/vmlinux $(ARGS)

# The host-VM cobd_root case boots an image colinux-img makes.
vm-prep: $(O)/bin/colinux-img

# cobd against the host VM: the disk benchmark program, static, for the
# guest and the host VM alike, and "make bench-cobd" (part of make bench).
.PHONY: bench-cobd
$(O)/tests/vm/cobdbench: tests/vm/cobdbench.c | deps-driver
	@mkdir -p $(dir $@)
	$(E) CC $@
	$(Q)$(CC) $(VM_CFLAGS) -o $@ $<
vm-prep: $(O)/tests/vm/cobdbench

bench-cobd: vm-prep
	$(Q)O=$(O) TOP=$(TOP) tests/vm/bench-cobd
BENCH_TARGETS += bench-cobd

# The desktop through colinux-run against the host VM's own display, with a
# DESKTOP=xfce image made once in $(O)/bench/xfce: "make bench-desktop".
.PHONY: bench-desktop
bench-desktop: vm-prep imagetools deps-image deps-desktopvm
	$(Q)O=$(O) TOP=$(TOP) tests/vm/bench-desktop
BENCH_TARGETS += bench-desktop
