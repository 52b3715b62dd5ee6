#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# installer/images.sh DIR PART ROOT SWAP: split the root and swap images
# into DIR in parts of PART bytes (NSIS holds no file of 2 GiB or more) and
# print the NSIS macros EXTRACT_ROOT and EXTRACT_SWAP that join them again
# at install time (installer/colinux.nsi, IMAGE_PART).
set -eu

die() {
	echo "installer: $*" >&2
	exit 1
}

[ $# -eq 4 ] || die "usage: images.sh DIR PART ROOT SWAP"
dir=$(cd "$1" && pwd)
part=$2
printf '%s' "$part" | grep -Eqx '[1-9][0-9]*' && [ "$part" -lt 2147483648 ] ||
	die "INSTALLER_PART=$part: not a number of bytes from 1 to 2 GiB - 1"

# image MACRO FILE NAME: FILE's parts as DIR/NAME.000 ..., and its macro.
image() {
	[ -f "$2" ] || die "$2: no such image (make image makes it)"
	[ -s "$2" ] || die "$2: an empty image"
	split -b "$part" -d -a 3 "$2" "$dir/$3." || die "$2: cannot split it into $dir"
	echo "!macro $1 dest"
	for p in "$dir/$3".[0-9][0-9][0-9]; do
		printf '\t!insertmacro IMAGE_PART "${dest}" "%s"\n' "$p"
	done
	echo "!macroend"
}

image EXTRACT_ROOT "$3" root
image EXTRACT_SWAP "$4" swap
