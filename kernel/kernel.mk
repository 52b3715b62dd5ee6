# SPDX-License-Identifier: GPL-2.0
# kernel/: the cooperative guest kernel.  Debian's linux-source-6.1 (pinned in
# kernel/version; downloaded as a .deb, not installed) is unpacked into
# $(O)/kernel/src, patched (kernel/series)
# and overlaid (kernel/overlay) by kernel/tree.sh, configured from
# allnoconfig plus kernel/configs/colinux.config, and built out of tree in
# $(O)/kernel/obj.  Everything is incremental: a second "make kernel" with no
# change rebuilds nothing.
PKGS_kernel := bc bison flex libelf-dev libssl-dev \
	dwarves git xz-utils
KERNEL_SRC := $(O)/kernel/src
KERNEL_OBJ := $(O)/kernel/obj
KERNEL_FRAGMENT := kernel/configs/colinux.config
KERNEL_MAKE = $(MAKE) -s -C $(KERNEL_SRC) O=$(abspath $(KERNEL_OBJ)) \
	ARCH=x86_64 $(if $(filter 1,$(V)),V=1)

.PHONY: kernel kernel-tree
kernel: $(O)/kernel/vmlinux

# One kernel build at a time: two makes in one object tree corrupt it.
KERNEL_LOCK = flock $(O)/kernel/.lock

kernel-tree: deps-kernel
	@mkdir -p $(O)/kernel
	$(Q)$(KERNEL_LOCK) kernel/tree.sh $(KERNEL_SRC)

# The config follows the fragment; every option asked for must have taken
# effect (Kconfig silently drops what an unmet dependency forbids).
$(KERNEL_OBJ)/.config: $(KERNEL_FRAGMENT) kernel/version | kernel-tree
	$(E) CONFIG $@
	@mkdir -p $(KERNEL_OBJ)
	$(Q)$(KERNEL_LOCK) $(KERNEL_MAKE) \
		KCONFIG_ALLCONFIG=$(abspath $(KERNEL_FRAGMENT)) allnoconfig >/dev/null
	$(Q)grep '^CONFIG_' $(KERNEL_FRAGMENT) | while IFS= read -r line; do \
		opt=$${line%%=*}; val=$${line#*=}; \
		if [ "$$val" = n ]; then \
			grep -q "^$$opt=" $@ || continue; \
		else grep -qxF "$$line" $@ && continue; fi; \
		echo "kernel: $(KERNEL_FRAGMENT): $$line did not take effect" \
			"(now: $$(grep "^$$opt=\|^# $$opt is" $@ || echo unset))" >&2; \
		rm -f $@; exit 1; done

$(O)/kernel/vmlinux: $(KERNEL_OBJ)/.config kernel-tree
	$(E) KBUILD vmlinux
	$(Q)$(KERNEL_LOCK) nice $(KERNEL_MAKE) -j$$(nproc) vmlinux
	$(Q)cp $(KERNEL_OBJ)/vmlinux $@.tmp && mv $@.tmp $@

# The guest<->host ABI layout, run by the unit suite: colinux_guest_abi_test,
# from kernel/abi_test.c (tests/tests.mk).
CFLAGS_kernel := -Ikernel/include/uapi
