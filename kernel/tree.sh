#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tree.sh SRC --- prepare the guest kernel source tree in SRC:
#   1. find the source: Debian's linux-source-6.1 .deb at the version pinned
#      in kernel/version, fetched with "apt-get download" into a cache beside
#      SRC (the system's own linux-source package, whatever its revision, is
#      neither needed nor touched).  When the archive no longer has the pinned
#      revision, take the newest 6.1 revision it has to which the patch series
#      applies, say so in one line, and record "PINNED USED" in SRC/../source-version;
#   2. unpack it once and record it as a git commit ("pristine"), so later
#      runs can return to it quickly;
#   3. when the patch series changed since the last run: back to pristine,
#      then apply kernel/series in order (a patch that does not apply stops
#      the build and names the patch);
#   4. copy kernel/overlay over the tree, touching only files whose content
#      changed, so that make rebuilds only what changed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$1
. "$here/version"
pinned=$version
top=$(dirname "$src")
cache=$top/cache
record=$top/source-version

say() { printf '  %-8s %s\n' KERNEL "$*"; }
die() { echo "kernel: $*" >&2; exit 1; }

# The .deb of $package at version $1 in $cache, downloaded if missing.
# Without package lists (a fresh container) they are updated once.
deb_of() {
	local v=$1 deb
	deb=$cache/${package}_${v}_all.deb
	[ -f "$deb" ] && { echo "$deb"; return 0; }
	mkdir -p "$cache"
	(cd "$cache" && { apt-get download -q "$package=$v" ||
		{ apt-get update -qq && apt-get download -q "$package=$v"; }; } \
		>/dev/null 2>&1) || return 1
	# apt-get names the file with the version escaped (":" as "%3a").
	deb=$(ls "$cache"/"${package}"_*"${v##*:}"_all.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] && echo "$deb"
}

# The revisions the archive offers, newest first.
archive_versions() {
	apt-cache madison "$package" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' |
		sort -u -V -r
}

# Does the series apply to the source in .deb $1?  It is unpacked where the
# tree is built, $src.tmp, and kept there when it does (unpacked=VERSION), so
# that the chosen revision is unpacked only once.
series_applies() {
	local p ok=0
	rm -rf "$src.tmp"
	mkdir -p "$src.tmp"
	unpack_deb "$1" "$src.tmp"
	git -C "$src.tmp" init -q # git apply needs a repository to be strict
	while read -r p; do
		git -C "$src.tmp" apply --whitespace=nowarn --check \
			"$here/patches/$p" 2>/dev/null || { ok=1; break; }
	done < <(grep -v '^#' "$here/series" | sed '/^$/d')
	[ $ok = 0 ] || rm -rf "$src.tmp"
	return $ok
}

# Unpack the kernel tarball inside .deb $1 into directory $2.
unpack_deb() {
	dpkg-deb --fsys-tarfile "$1" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		tar -xJ -C "$2" --strip-components=1
}

# Settle the version: the one recorded by an earlier run, else the pinned
# one, else the newest the archive has whose series applies.
resolve() {
	local v deb
	local was_pinned used
	if read -r was_pinned used 2>/dev/null <"$record" &&
		[ "$was_pinned" = "$pinned" ] && [ -f "$src/.pristine-$used" ]; then
		version=$used
		return 0
	fi
	if deb=$(deb_of "$pinned"); then
		version=$pinned
		echo "$pinned $version" >"$record"
		return 0
	fi
	for v in $(archive_versions); do
		case $v in 6.1.*) ;; *) continue ;; esac
		deb=$(deb_of "$v") || continue
		if series_applies "$deb"; then
			unpacked=$v
			say "$package $pinned (pinned in kernel/version) is not in the archive; using $v, to which the patch series applies"
			version=$v
			echo "$pinned $version" >"$record"
			return 0
		fi
		say "$package $v: the patch series does not apply; trying an older one"
	done
	die "$package $pinned (pinned in kernel/version) cannot be downloaded and no other 6.1 revision in the archive takes the patch series (apt-cache madison $package)"
}

unpacked=
resolve
upstream=${version%-*}

if [ ! -f "$src/.pristine-$version" ]; then
	deb=$(deb_of "$version") || die "$package $version: download failed"
	rm -rf "$src"
	if [ "$unpacked" != "$version" ]; then
		say "unpacking $package $version (once)"
		rm -rf "$src.tmp"
		mkdir -p "$src.tmp"
		unpack_deb "$deb" "$src.tmp"
	fi
	grep -q "^SUBLEVEL = ${upstream##*.}$" "$src.tmp/Makefile" ||
		die "$deb is not Linux $upstream"
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
