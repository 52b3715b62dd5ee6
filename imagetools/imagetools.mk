# SPDX-License-Identifier: GPL-2.0
# imagetools/: colinux-img (work in progress)
.PHONY: imagetools
imagetools: $(O)/lib/libco.a
IMG_LDLIBS :=
