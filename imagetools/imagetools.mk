# SPDX-License-Identifier: GPL-2.0
# imagetools/: colinux-img.  Everything but main() goes into libimg.a, which
# the unit tests link too.
IMG_LIB_SRCS := size.c part.c fstab.c run.c qimg.c disk.c rootfs.c ext.c \
	repro.c select.c cmd-info.c cmd-convert.c cmd-create.c \
	cmd-swap.c cmd-resize.c cmd-check.c
IMG_LIB_OBJS := $(addprefix $(O)/imagetools/,$(IMG_LIB_SRCS:.c=.o))
CFLAGS_imagetools = -Idaemons/lib/include \
	$(shell pkg-config --cflags blkid ext2fs json-c uuid 2>/dev/null)
IMG_LDLIBS = $(shell pkg-config --libs blkid ext2fs com_err json-c uuid)

# The cobdN udev rule and mount.cofs have one source each, which the recipes
# install as it is and colinux-img convert writes from a C string.
# text_header NAME: the file $< as the string constant NAME.
define text_header
	@mkdir -p $(dir $@)
	$(E) GEN $@
	$(Q){ printf '#define $(1) \\\n'; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/\t"&\\n" \\/' $<; \
	  printf '\t""\n'; } >$@.tmp && mv $@.tmp $@
endef
$(O)/imagetools/cobd_rules.h: recipes/rootfs/60-colinux-cobd.rules
	$(call text_header,COBD_RULES)
$(O)/imagetools/mount_cofs.h: recipes/rootfs/mount.cofs
	$(call text_header,MOUNT_COFS)
$(O)/imagetools/rootfs.o: $(O)/imagetools/cobd_rules.h \
	$(O)/imagetools/mount_cofs.h
CFLAGS_imagetools += -I$(O)/imagetools

.PHONY: imagetools
imagetools: $(O)/bin/colinux-img | deps-img

$(O)/imagetools/libimg.a: $(IMG_LIB_OBJS)
	$(E) AR $@
	$(Q)$(AR) rcs $@ $^

$(O)/bin/colinux-img: $(O)/imagetools/colinux-img.o \
		$(O)/imagetools/libimg.a $(O)/lib/libco.a
	@mkdir -p $(dir $@)
	$(E) LD $@
	$(Q)$(CC) -o $@ $^ $(IMG_LDLIBS)

TEST_SUITES += tests/img
TEST_DEPS += imagetools deps-imgtest
PKGS_imgtest := xfsprogs cryptsetup-bin dosfstools

.PHONY: bench-img
bench-img: imagetools deps-bench
	$(Q)O=$(O) TOP=$(TOP) tests/bench/img-convert
BENCH_TARGETS += bench-img
