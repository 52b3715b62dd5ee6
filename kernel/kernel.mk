# SPDX-License-Identifier: GPL-2.0
# kernel/: not written yet.  The target says so instead of pretending.
.PHONY: kernel
kernel:
	@echo "  SKIP     kernel: not implemented yet (see README, 'Status')"
