# SPDX-License-Identifier: GPL-2.0
# tests/: the runner, the unit-test build and the style check.

# Unit tests live beside the code they test as *_test.c; each becomes one
# binary, linked from its own object and what it tests.
# $(call unit_tests,DIR,OBJECTS AND LIBRARIES[,LDLIBS[,PREFIX]]) adds DIR's
# tests to UNIT_TESTS, each named PREFIX and its file's name (LDLIBS escaped
# as $$(VAR), so it is expanded when linking).  Objects compile with the
# part's CFLAGS_<top directory>.
UNIT_TESTS :=
define unit_tests
UNIT_TESTS += $(patsubst $(1)/%.c,$(O)/tests/unit/$(4)%,$(wildcard $(1)/*_test.c))
$(patsubst $(1)/%.c,$(O)/tests/unit/$(4)%,$(wildcard $(1)/*_test.c)): \
		$(O)/tests/unit/$(4)%: $(O)/$(1)/%.o $(2)
	@mkdir -p $$(dir $$@)
	$$(E) LD $$@
	$$(Q)$$(CC) -o $$@ $$^ $(3)
endef
$(eval $(call unit_tests,daemons/lib,$(O)/lib/libco.a))
$(eval $(call unit_tests,daemons/colinux-daemon,$(DAEMON_PURE) $(DAEMON_DEV) \
	$(O)/lib/libco.a,$$(DAEMON_LDLIBS)))
$(eval $(call unit_tests,daemons/colinux-run,$(RUN_PURE) \
	$(O)/daemons/colinux-run/relay.o $(O)/lib/libco.a,$$(RUN_LDLIBS)))
$(eval $(call unit_tests,imagetools,$(O)/imagetools/libimg.a \
	$(O)/lib/libco.a,$$(IMG_LDLIBS)))
$(eval $(call unit_tests,driver/core,,,colinux_))
$(eval $(call unit_tests,kernel,,,colinux_guest_))

TEST_SUITES := tests/lint tests/unit $(TEST_SUITES)
TEST_DEPS += $(UNIT_TESTS) deps-lint

.PHONY: test bench lint unit-tests
unit-tests: $(UNIT_TESTS)

test: $(TEST_DEPS)
	$(Q)O=$(O) TOP=$(TOP) tests/run $(TEST_SUITES)

lint: deps-lint
	$(Q)O=$(O) TOP=$(TOP) tests/run tests/lint

bench: $(BENCH_TARGETS)
