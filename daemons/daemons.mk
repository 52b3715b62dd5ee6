# SPDX-License-Identifier: GPL-2.0
# daemons/: colinux-daemon (daemons/monitor) and colinux-console
# (daemons/console) on libco (daemons/lib), into $(O)/bin.
#
#   make daemons       build them
#   make run ARGS=...  run colinux-daemon on the guest kernel of "make kernel"
#                      (as root, with colinux.ko loaded)
.PHONY: daemons run

CFLAGS_daemons += -Idriver/include/uapi -Ikernel/include/uapi
DAEMON_LDLIBS := -lpthread

# The pure parts, unit-tested on their own (*_test.c beside them).
MONITOR_PURE := $(addprefix $(O)/daemons/monitor/,gmem.o elf.o boot.o)
MONITOR_OBJS := $(MONITOR_PURE) \
	$(addprefix $(O)/daemons/monitor/,guest.o console.o main.o)
CONSOLE_OBJS := $(O)/daemons/console/main.o

daemons: $(O)/lib/libco.a $(O)/bin/colinux-daemon $(O)/bin/colinux-console

$(O)/bin/colinux-daemon: $(MONITOR_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^ $(DAEMON_LDLIBS)

$(O)/bin/colinux-console: $(CONSOLE_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^

# Static copies for the host-VM initramfs, which has no C library.
$(O)/tests/vm/colinux-daemon: $(MONITOR_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -static -o $@ $^ $(DAEMON_LDLIBS)

$(O)/tests/vm/colinux-console: $(CONSOLE_OBJS) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -static -o $@ $^

MONITOR_TESTS := $(patsubst daemons/monitor/%.c,$(O)/tests/unit/%, \
	$(wildcard daemons/monitor/*_test.c))
$(MONITOR_TESTS): $(O)/tests/unit/%: $(O)/daemons/monitor/%.o \
		$(MONITOR_PURE) $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^

run: daemons
	$(O)/bin/colinux-daemon kernel=$(O)/kernel/vmlinux $(ARGS)
