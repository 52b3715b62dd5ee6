# SPDX-License-Identifier: GPL-2.0
# installer/: not written yet.  The target says so instead of pretending.
.PHONY: installer
installer:
	@echo "  SKIP     installer: not implemented yet (see README, 'Status')"
