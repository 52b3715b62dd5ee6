# SPDX-License-Identifier: GPL-2.0
.PHONY: image
image:
	@echo "make image: recipes are not implemented yet (see README, 'Status')" >&2; exit 2
