# SPDX-License-Identifier: GPL-2.0
# daemons/: colinux-daemon and colinux-console are not written yet; only the
# common library (daemons/lib, libco) exists and is used by imagetools.
.PHONY: daemons run
daemons: $(O)/lib/libco.a
run:
	@echo "make run: colinux-daemon is not implemented yet (see README, 'Status')" >&2; exit 2
