# SPDX-License-Identifier: GPL-2.0
# recipes/: root images for coLinux (README, "Root images (make image)").
#
#   make image [DISTRO=debian] [METHOD=mmdebstrap|qemu] [SUITE=...] [SIZE=4G] ...
#   make test-slow      the full debian-installer run in QEMU and a standard image
#                       with the XFCE desktop
#
# Settings are read from the make command line only (not from the
# environment, where HOSTNAME or NAME often hold something else); the
# password only from the environment (GUEST_PASSWORD or GUEST_PASSWORD_HASH),
# so that it is never part of a command line.

PKGS_image := mmdebstrap e2fsprogs fakeroot debian-archive-keyring openssl \
	ca-certificates tar apt util-linux openssh-client
PKGS_qemu := qemu-system-x86 debian-installer-12-netboot-amd64 qemu-utils \
	cpio gzip xz-utils debconf fdisk e2fsprogs

IMAGE_VARS := DISTRO METHOD SUITE VARIANT DESKTOP RDP_PORT SIZE SWAP PACKAGES MIRROR \
	SECURITY_MIRROR KEYRING HOSTNAME GUEST_USER SSH_KEY LOCALE TIMEZONE OUT \
	NAME KERNEL MEM SSH_PORT DISK INSTALL_TIMEOUT QEMU_MEM QEMU_SMP CHECK_UDEBS PLAN

image_shq = '$(subst ','\'',$(1))'
image_arg = $(if $(filter command line,$(origin $(1))),$(1)=$(call image_shq,$($(1))))
IMAGE_ARGS = OUT=$(call image_shq,$(O)/images) CACHE=$(call image_shq,$(O)/cache) \
	WORK=$(call image_shq,$(O)/tmp) \
	COLINUX_IMG=$(call image_shq,$(O)/bin/colinux-img) \
	GUEST_KERNEL=$(call image_shq,$(abspath $(O)/kernel/vmlinux)) \
	$(foreach v,$(IMAGE_VARS),$(call image_arg,$(v)))

.PHONY: image image-args test-slow test-slow-recipes
image: image-args imagetools deps-image $(if $(filter qemu,$(METHOD)),deps-qemu)
	$(Q)recipes/image.sh $(strip $(IMAGE_ARGS))

# The password on make's command line would show in the process list, and
# make rewrites its '$' signs: only the environment may carry it.
image_pw_error = echo "error: $(1): set it in the environment, not on the make command line (the process list shows that, and make rewrites '$$' in it)" >&2; exit 1
image-args:
	$(Q)$(foreach v,GUEST_PASSWORD GUEST_PASSWORD_HASH,$(if $(filter command line,$(origin $(v))),$(call image_pw_error,$(v));))true

# tests/recipes builds a minimal image twice (network: deb.debian.org) and
# boots one under QEMU (Debian's kernel, from tests/vm/prepare), and runs
# the METHOD=qemu fast path; about 6 minutes on 2 cores.
PKGS_recipetest := procps fdisk qemu-utils e2fsprogs util-linux openssl \
	openssh-client busybox-static cpio gzip
TEST_SUITES += tests/recipes
TEST_DEPS += imagetools deps-image deps-qemu deps-recipetest

# tests/debian: the image tests/recipes built boots under colinux-daemon in
# the host VM (one CPU model here; both in make test-slow).
TEST_SUITES += tests/debian
TEST_DEPS += vm-prep

test-slow: test-slow-recipes test-slow-debian
test-slow-recipes: imagetools deps-image deps-qemu deps-recipetest
	$(Q)O=$(O) TOP=$(TOP) RECIPES_SLOW=1 tests/run tests/recipes
# The desktop step's programs on the host VM's side (tests/debian): X11,
# weston and waypipe, PulseAudio; python3 for the tone (tests/desktop/tone.py);
# desktop-file-validate and gio for the menu's entries.
PKGS_desktopvm := xvfb xauth x11-utils x11-apps x11-xkb-utils xkb-data \
	freerdp2-x11 imagemagick weston waypipe pulseaudio pulseaudio-utils python3 \
	desktop-file-utils libglib2.0-bin
test-slow-debian: imagetools deps-image vm-prep deps-desktopvm
	$(Q)O=$(O) TOP=$(TOP) DEBIAN_CPUS="max max,la57=off" DEBIAN_NEGATIVE=1 \
		DEBIAN_DESKTOP=$(O)/tests/recipes/standard/debian-bookworm-xfce.img \
		tests/run tests/debian
