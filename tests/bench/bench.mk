# SPDX-License-Identifier: GPL-2.0
# tests/bench: User-Mode Linux for make bench-guest's third column, and the
# tables and plot.  UML is built from the guest's own kernel source (read
# only, out of tree in $(O)/uml/obj), only when make bench or make
# bench-guest is asked for; tests/vm/prepare then puts it in the host VM's
# initramfs.
PKGS_benchguest := gnuplot-nox file binutils

$(O)/uml/linux: tests/bench/uml-build tests/bench/uml.config | kernel-tree \
		deps-benchguest
	$(E) UML $@
	$(Q)nice tests/bench/uml-build $(KERNEL_SRC) $(O)/uml/obj $@

ifneq ($(filter bench bench-guest,$(MAKECMDGOALS)),)
vm-prep: $(O)/uml/linux
bench-guest: deps-benchguest
endif
TEST_SUITES += tests/bench
