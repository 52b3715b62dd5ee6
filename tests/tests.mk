# SPDX-License-Identifier: GPL-2.0
# tests/: the runner, the unit-test build and the style check.

# Unit tests live beside the code they test as *_test.c; each becomes one
# binary linked against the part's library.
UNIT_TEST_SRCS := $(wildcard daemons/lib/*_test.c daemons/monitor/*_test.c imagetools/*_test.c)
UNIT_TESTS := $(patsubst %.c,$(O)/tests/unit/%,$(notdir $(UNIT_TEST_SRCS)))
UNIT_LIBS := $(O)/imagetools/libimg.a $(O)/lib/libco.a

$(O)/tests/unit/%: $(O)/imagetools/%.o $(UNIT_LIBS)
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^ $(IMG_LDLIBS)

$(O)/tests/unit/%: $(O)/daemons/lib/%.o $(UNIT_LIBS)
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^ $(IMG_LDLIBS)

TEST_SUITES := tests/lint tests/unit $(TEST_SUITES)
TEST_DEPS += $(UNIT_TESTS) deps-lint

.PHONY: test bench lint unit-tests
unit-tests: $(UNIT_TESTS)

test: $(TEST_DEPS)
	$(Q)O=$(O) TOP=$(TOP) tests/run $(TEST_SUITES)

lint: deps-lint
	$(Q)O=$(O) TOP=$(TOP) tests/run tests/lint

bench: $(BENCH_TARGETS)
