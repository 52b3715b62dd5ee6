#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# slirp.sh OUT --- libslirp and what it needs, cross-built for Windows
# (x86_64-w64-mingw32), static, from Debian's own source packages
# (daemons/win/slirp-sources), into OUT/prefix; for conet's ethN=slirp in
# colinux-daemon.exe.
#   1. sources: "apt-get source" of each pinned version into OUT/src, once.
#      Without deb-src entries, the system's deb entries are copied as
#      deb-src ones (/etc/apt/sources.list.d/colinux-deb-src.*).  When the
#      archive no longer has a pinned version, the newest it serves is
#      taken, in one line, and recorded in OUT/versions;
#   2. each built in OUT/build/PACKAGE (its log there), installed into
#      OUT/prefix: zlib, libffi, pcre2 (8-bit only) by their own configure,
#      GLib and libslirp by meson with a cross file; GLib without
#      translations (daemons/win/intl stands in for libintl);
#   3. OUT/slirp.cflags and OUT/slirp.libs: the flags to compile and link
#      with it (pkg-config's); OUT/prefix/.made holds the versions and a
#      hash of this script and daemons/win/intl: a second run with the same
#      ones does nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
host=x86_64-w64-mingw32
prefix=$out/prefix
jobs=$(nproc)

say() { printf '  %-8s %s\n' SLIRP "$*"; }
die() { echo "slirp.sh: $*" >&2; exit 1; }

# Debian's deb-src entries, made from the deb ones when there are none.
ensure_deb_src() {
	local f
	apt-cache showsrc zlib 2>/dev/null | grep -q '^Package:' && return 0
	[ "$(id -u)" = 0 ] ||
		die "no deb-src entries for apt-get source (run make as root, or add them)"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && grep -q '^Types: *deb$' "$f" &&
			sed 's/^Types: *deb$/Types: deb-src/' "$f"
	done >/etc/apt/sources.list.d/colinux-deb-src.sources
	[ -s /etc/apt/sources.list.d/colinux-deb-src.sources ] ||
		rm -f /etc/apt/sources.list.d/colinux-deb-src.sources
	sed -n 's/^deb /deb-src /p' /etc/apt/sources.list \
		/etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -v colinux >/etc/apt/sources.list.d/colinux-deb-src.list || true
	[ -s /etc/apt/sources.list.d/colinux-deb-src.list ] ||
		rm -f /etc/apt/sources.list.d/colinux-deb-src.list
	say "deb-src entries added (/etc/apt/sources.list.d/colinux-deb-src.*)"
	apt-get update -qq >>"$out/apt.log" 2>&1 ||
		die "apt-get update failed (log: $out/apt.log)"
}

# Fetch and unpack $1 at version $2 into $out/src/$1; 0 when it worked.
fetch() {
	local pkg=$1 v=$2 tmp=$out/src/.fetch
	rm -rf "$tmp" && mkdir -p "$tmp"
	(cd "$tmp" && apt-get source -q --download-only "$pkg=$v" &&
		dpkg-source -x --no-check ./*.dsc unpacked) \
		>>"$out/apt.log" 2>&1 || return 1
	rm -rf "$out/src/$pkg" && mv "$tmp/unpacked" "$out/src/$pkg"
	rm -rf "$tmp"
}

# The version of $1 used: the pinned $2, else the newest that downloads.
source_of() {
	local pkg=$1 pin=$2 v was
	if read -r was v 2>/dev/null <"$out/src/$pkg/.version" &&
		[ "$was" = "$pin" ]; then
		echo "$v"; return 0
	fi
	for v in "$pin" $(apt-cache showsrc "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | sort -u -V -r); do
		if fetch "$pkg" "$v"; then
			echo "$pin $v" >"$out/src/$pkg/.version"
			[ "$v" = "$pin" ] ||
				say "$pkg $pin is gone from the archive: $v used" >&2
			echo "$v"; return 0
		fi
	done
	die "no source of $pkg could be fetched (log: $out/apt.log)"
}

# Run "$@" in $out/build/$pkg, its output to the log; stop with its tail.
step() {
	(cd "$out/build/$pkg" && "$@") >>"$out/build/$pkg.log" 2>&1 ||
		{ tail -n 15 "$out/build/$pkg.log" >&2
		  die "$pkg: $1 failed (log: $out/build/$pkg.log)"; }
}

configure_build() {
	step ./configure --host=$host --prefix="$prefix" --disable-shared \
		--enable-static "$@"
}

cross_file() {
	cat >"$out/cross.txt" <<EOC
[binaries]
c = '$host-gcc'
ar = '$host-ar'
strip = '$host-strip'
windres = '$host-windres'
pkgconfig = 'pkg-config'

[properties]
pkg_config_libdir = '$prefix/lib/pkgconfig'

[built-in options]
c_args = ['-I$prefix/include']
c_link_args = ['-L$prefix/lib']

[host_machine]
system = 'windows'
cpu_family = 'x86_64'
cpu = 'x86_64'
endian = 'little'
EOC
}

meson_build() {
	local target=$1
	shift
	step meson setup "$out/build/$pkg/obj" . --cross-file "$out/cross.txt" \
		--prefix="$prefix" --libdir=lib --buildtype=release \
		--default-library=static --wrap-mode=nofallback "$@"
	step ninja -C obj -j"$jobs" $target
	step meson install -C obj --no-rebuild
}

build() {
	case $pkg in
	zlib)
		step env CHOST=$host CFLAGS=-O2 ./configure --static --prefix="$prefix"
		step make -j"$jobs" libz.a
		step make install ;;
	libffi)
		configure_build --disable-docs --disable-multi-os-directory
		step make -j"$jobs"
		step make install ;;
	pcre2)
		configure_build --enable-pcre2-8 --disable-pcre2-16 \
			--disable-pcre2-32 --disable-jit
		step make -j"$jobs" libpcre2-8.la
		step make install-libLTLIBRARIES install-includeHEADERS \
			install-nodist_includeHEADERS install-pkgconfigDATA ;;
	glib2.0)
		# intl even without translations: daemons/win/intl
		step $host-gcc -O2 -Wall -c "$here/intl/intl.c" -o intl.o
		step $host-ar rcs "$prefix/lib/libintl.a" intl.o
		step install -m644 "$here/intl/libintl.h" "$prefix/include/"
		meson_build "" -Dtests=false -Dinstalled_tests=false -Dman=false \
			-Dgtk_doc=false -Dnls=disabled -Dselinux=disabled \
			-Dxattr=false -Dlibmount=disabled -Ddtrace=false \
			-Dsystemtap=false -Dsysprof=disabled -Dlibelf=disabled \
			-Dglib_debug=disabled -Dbsymbolic_functions=false ;;
	libslirp)
		# the library alone: its static test program clashes with it
		meson_build libslirp.a ;;
	esac
}

want=$(grep -v '^#' "$here/slirp-sources" | sed '/^$/d')
recipe=$(cat "$0" "$here"/intl/* | sha256sum | cut -c1-16)
if [ -f "$prefix/.made" ] &&
	[ "$(cat "$prefix/.made")" = "$want
recipe $recipe" ]; then
	touch "$prefix/.made" # newer than this script: make is content
	exit 0
fi
command -v $host-gcc meson ninja dpkg-source >/dev/null ||
	die "needs $host-gcc, meson, ninja and dpkg-source (make deps-win)"
ensure_deb_src
rm -rf "$prefix" "$out/build"
mkdir -p "$prefix/lib/pkgconfig" "$prefix/include" "$out/build" "$out/src"
cross_file
: >"$out/versions"
while read -r pkg pin; do
	v=$(source_of "$pkg" "$pin")
	echo "$pkg $v" >>"$out/versions"
	say "$pkg $v"
	rm -rf "$out/build/$pkg"
	cp -a "$out/src/$pkg" "$out/build/$pkg"
	t0=$(date +%s)
	build
	say "$pkg built in $(($(date +%s) - t0)) s"
done <<<"$want"
pc="env PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig pkg-config --static"
$pc --cflags slirp >"$out/slirp.cflags" && $pc --libs slirp >"$out/slirp.libs" ||
	die "pkg-config finds no slirp in $prefix"
printf '%s\nrecipe %s\n' "$want" "$recipe" >"$prefix/.made"
