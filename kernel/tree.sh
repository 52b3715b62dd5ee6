#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tree.sh SRC --- prepare the guest kernel source tree in SRC:
#   1. unpack Debian's pinned linux-source tarball once and record it as a
#      git commit ("pristine"), so later runs can return to it quickly;
#   2. when the patch series changed since the last run: back to pristine,
#      then apply kernel/series in order (a patch that does not apply stops
#      the build and names the patch);
#   3. copy kernel/overlay over the tree, touching only files whose content
#      changed, so that make rebuilds only what changed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$1
. "$here/version"

say() { printf '  %-8s %s\n' KERNEL "$*"; }
die() { echo "kernel: $*" >&2; exit 1; }

have=$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)
[ "$have" = "$version" ] ||
	die "$package $version is pinned (kernel/version) but ${have:-nothing} is installed"
tarball=/usr/src/$package.tar.xz
[ -f "$tarball" ] || die "$tarball: missing (is $package installed?)"

if [ ! -f "$src/.pristine-$version" ]; then
	say "unpacking $package $version (once)"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	grep -q "^SUBLEVEL = ${upstream##*.}$" "$src.tmp/Makefile" ||
		die "$tarball is not Linux $upstream"
	git -C "$src.tmp" init -q
	git -C "$src.tmp" -c user.name=colinux -c user.email=colinux@invalid \
		add -A -f >/dev/null
	git -C "$src.tmp" -c user.name=colinux -c user.email=colinux@invalid \
		commit -q -m "$package $version"
	git -C "$src.tmp" tag pristine
	touch "$src.tmp/.pristine-$version"
	mv "$src.tmp" "$src"
fi

# The series as applied: the patch names and their contents.
want=$(cd "$here" && { cat series; grep -v '^#' series | sed '/^$/d' |
	while read -r p; do cat "patches/$p"; done; } | sha256sum | cut -d' ' -f1)
if [ "$(cat "$src/.series-applied" 2>/dev/null)" != "$want" ]; then
	say "applying the patch series"
	git -C "$src" reset -q --hard pristine
	git -C "$src" clean -qfdx -e /.pristine-"$version"
	grep -v '^#' "$here/series" | sed '/^$/d' | while read -r p; do
		git -C "$src" apply --whitespace=nowarn "$here/patches/$p" ||
			die "patch $p does not apply to $package $version"
	done
	echo "$want" >"$src/.series-applied"
fi

# New files, copied only when their content differs: the overlay, and the
# guest<->host ABI header, whose one source is kernel/include/uapi.
sync_file() {
	if ! cmp -s "$1" "$2"; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
	fi
}
(cd "$here/overlay" && find . -type f) | while read -r f; do
	sync_file "$here/overlay/$f" "$src/$f"
done
sync_file "$here/include/uapi/linux/colinux.h" "$src/include/uapi/linux/colinux.h"
