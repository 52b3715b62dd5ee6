# SPDX-License-Identifier: GPL-2.0
# installer/: the one-click Windows installer (README, "The Windows installer").
#
#   make installer    $(O)/installer/coLinux-VERSION-x64-setup.exe
#
# It bundles the Windows programs and driver ($(O)/win), the guest kernel and
# the root and swap images of "make image" (made first when missing).  The
# images may be others for a test: INSTALLER_ROOT=FILE INSTALLER_SWAP=FILE,
# and the output directory INSTALLER_DIR.  With DESKTOP=xfce (or
# INSTALLER_DESKTOP=xfce) it bundles "make image DESKTOP=xfce"'s images and
# offers the "Linux desktop" component (README, "Desktop").
PKGS_installer := nsis
PKGS_installertest := wine wine64 xvfb xauth imagemagick xdotool file binutils

INSTALLER_DIR ?= $(O)/installer
INSTALLER_DESKTOP ?= $(filter xfce,$(DESKTOP))
INSTALLER_IMAGE := $(O)/images/debian-bookworm$(INSTALLER_DESKTOP:%=-%)
INSTALLER_ROOT ?= $(INSTALLER_IMAGE).img
INSTALLER_SWAP ?= $(INSTALLER_IMAGE)-swap.img
# NSIS holds no file of 2 GiB or more (and takes one of 4 GiB as empty):
# the images go in as parts of this many bytes, joined when installing.
INSTALLER_PART ?= 1073741824
# The Windows programs and driver (driver/windows, daemons/: "make win").
INSTALLER_WIN ?= $(O)/win
INSTALLER_PROGRAMS := $(INSTALLER_WIN)/colinux-daemon.exe $(INSTALLER_WIN)/colinux-console.exe
INSTALLER_DRIVER := $(INSTALLER_WIN)/colinux.sys $(INSTALLER_WIN)/colinux.inf
# The version, a.b.c as Windows wants it (a.b.c.0 in the file's version
# resource): raised by hand for a release, so that the installer's name, and
# with it the installer, does not change with every commit.
INSTALLER_VERSION := 0.1.0
INSTALLER_EXE := $(INSTALLER_DIR)/coLinux-$(INSTALLER_VERSION)-x64$(INSTALLER_DESKTOP:%=-%)-setup.exe

.PHONY: installer
installer: $(INSTALLER_EXE)

# make image when the default images are missing (a file rule without
# prerequisites: nothing is rebuilt once they exist; one "make image"
# makes both).
$(INSTALLER_IMAGE).img $(INSTALLER_IMAGE)-swap.img &:
	$(Q)$(MAKE) image $(INSTALLER_DESKTOP:%=DESKTOP=%)

# One build at a time per output directory (several makes may run in one
# tree): the parts and the output file are shared scratch.
INSTALLER_LOCK = flock $(INSTALLER_DIR)/.lock

$(INSTALLER_EXE): installer/colinux.nsi installer/images.sh $(O)/kernel/vmlinux \
		$(INSTALLER_PROGRAMS) $(INSTALLER_DRIVER) \
		$(INSTALLER_ROOT) $(INSTALLER_SWAP) | deps-installer
	$(E) NSIS $@
	$(Q)mkdir -p $(INSTALLER_DIR)
	$(Q)$(INSTALLER_LOCK) sh -ec '\
	rm -rf $(INSTALLER_DIR)/parts; mkdir $(INSTALLER_DIR)/parts; \
	installer/images.sh $(INSTALLER_DIR)/parts $(INSTALLER_PART) \
		$(INSTALLER_ROOT) $(INSTALLER_SWAP) >$(INSTALLER_DIR)/parts/images.nsh; \
	makensis -V2 -WX -NOCD \
		-DVERSION=$(INSTALLER_VERSION) -DNUMVERSION=$(INSTALLER_VERSION).0 \
		-DOUTFILE=$(abspath $@).tmp \
		-DKERNEL=$(abspath $(O)/kernel/vmlinux) \
		-DDAEMON=$(abspath $(word 1,$(INSTALLER_PROGRAMS))) \
		-DCONSOLE=$(abspath $(word 2,$(INSTALLER_PROGRAMS))) \
		-DDRIVER_SYS=$(abspath $(word 1,$(INSTALLER_DRIVER))) \
		-DDRIVER_INF=$(abspath $(word 2,$(INSTALLER_DRIVER))) \
		-DIMAGES_NSH=$(abspath $(INSTALLER_DIR)/parts/images.nsh) \
		-DROOT_NAME=$(notdir $(INSTALLER_ROOT)) \
		-DSWAP_NAME=$(notdir $(INSTALLER_SWAP)) \
		$(INSTALLER_DESKTOP:%=-DDESKTOP=%) \
		installer/colinux.nsi; \
	rm -rf $(INSTALLER_DIR)/parts; mv $@.tmp $@'

# tests/installer: build twice, install and uninstall under wine64, the
# wizard's first pages under Xvfb (README, "Tests").
TEST_SUITES += tests/installer
TEST_DEPS += deps-installer deps-installertest $(O)/kernel/vmlinux
# The stand-in for Windows' ssh-keygen.exe and tar.exe under Wine.
INSTALLER_STANDIN := $(O)/tests/installer-bin/standin.exe
$(INSTALLER_STANDIN): tests/installer/standin.c | deps-win
	@mkdir -p $(dir $@)
	$(E) WINCC $@
	$(Q)$(WIN_CC) -O2 -Wall -Wextra -o $@ $< -static
TEST_DEPS += $(INSTALLER_STANDIN)
