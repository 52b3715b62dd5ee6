#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# recipes/image.sh KEY=VALUE... --- build a coLinux root image ("make image").
#
# Settings come only as KEY=VALUE arguments (see usage below and the README
# section "Root images"); the password comes only from the environment
# (GUEST_PASSWORD, hashed here, or GUEST_PASSWORD_HASH) so that it never
# shows in a process list, and only its hash reaches the image.
#
# Stages, each announced; a failure names its stage, and only the final
# step renames the outputs into place, so a failed build leaves no image
# that looks complete:
#   METHOD=mmdebstrap: check, bootstrap, configure, filesystem, swap, verify, finish
#   METHOD=qemu:       check, preseed, install, convert, swap, verify, finish
set -eu -o pipefail

RECIPES=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$RECIPES/lib.sh"

usage() {
	cat <<-EOF
		usage: recipes/image.sh [KEY=VALUE]...  (normally: make image KEY=VALUE...)
		  DISTRO=debian|ubuntu  METHOD=mmdebstrap|qemu  SUITE  VARIANT=minimal|standard
		  DESKTOP=none|xfce  RDP_PORT
		  SIZE  SWAP  PACKAGES  MIRROR  SECURITY_MIRROR  KEYRING  HOSTNAME  GUEST_USER
		  SSH_KEY  LOCALE  TIMEZONE  OUT  NAME  KERNEL  MEM  SSH_PORT  CACHE  WORK
		  COLINUX_IMG  DISK (METHOD=qemu: convert this disk, no install)
		  INSTALL_TIMEOUT  QEMU_MEM  QEMU_SMP  CHECK_UDEBS=0  PLAN=1 (check, print the plan, stop)
		environment: GUEST_PASSWORD or GUEST_PASSWORD_HASH, SOURCE_DATE_EPOCH
	EOF
}

KEYS="DISTRO METHOD SUITE VARIANT DESKTOP RDP_PORT SIZE SWAP PACKAGES MIRROR SECURITY_MIRROR
KEYRING HOSTNAME GUEST_USER SSH_KEY LOCALE TIMEZONE OUT NAME KERNEL MEM
SSH_PORT CACHE WORK COLINUX_IMG DISK INSTALL_TIMEOUT QEMU_MEM QEMU_SMP CHECK_UDEBS
PLAN GUEST_KERNEL"

parse_args() {
	local arg key
	for key in $KEYS; do unset "V_$key"; done
	for arg in "$@"; do
		case $arg in
		-h | --help) usage; exit 0 ;;
		*=*) ;;
		*) die "unexpected argument '$arg' (expected KEY=VALUE)" ;;
		esac
		key=${arg%%=*}
		case " $(echo $KEYS) " in
		*" $key "*) printf -v "V_$key" '%s' "${arg#*=}" ;;
		*) die "$key: unknown setting (known: $(echo $KEYS))" ;;
		esac
	done
}

# opt KEY DEFAULT: the value given for KEY, or DEFAULT when not given.
opt() {
	local v="V_$1"
	if [ -n "${!v+set}" ]; then printf '%s' "${!v}"; else printf '%s' "$2"; fi
}

# ---------------------------------------------------------------------------
# check: every setting, before anything is downloaded or written.

check_settings() {
	DISTRO=$(opt DISTRO debian)
	case $DISTRO in
	debian | ubuntu) . "$RECIPES/$DISTRO/distro.sh" ;;
	*) die "DISTRO=$DISTRO: unknown distribution (known: debian, ubuntu)" ;;
	esac
	METHOD=$(opt METHOD mmdebstrap)
	case $METHOD in
	mmdebstrap) ;;
	qemu) [ "$DISTRO" = debian ] ||
		die "METHOD=qemu: only DISTRO=debian has an installer recipe" ;;
	*) die "METHOD=$METHOD: unknown method (known: mmdebstrap, qemu)" ;;
	esac

	SUITE=$(opt SUITE "$DISTRO_SUITE")
	printf '%s' "$SUITE" | grep -Eqx '[a-z][a-z0-9.-]*' ||
		die "SUITE=$SUITE: not a suite name"
	VARIANT=$(opt VARIANT standard)
	case $VARIANT in
	minimal) min_size=160M ;;
	standard) min_size=512M ;;
	*) die "VARIANT=$VARIANT: unknown variant (known: minimal, standard)" ;;
	esac
	check_desktop

	SIZE=$(opt SIZE 4G)
	size=$(size_bytes "$SIZE") || die "SIZE=$SIZE: not a size (use e.g. 4G, 1536M)"
	# (A disk given to METHOD=qemu brings its own content.)
	[ "$size" -ge "$(size_bytes $min_size)" ] || [ -n "$(opt DISK '')" ] ||
		die "SIZE=$SIZE: too small, the $VARIANT variant$([ "$DESKTOP" = none ] || echo " with DESKTOP=$DESKTOP") needs at least $min_size"
	SWAP=$(opt SWAP 512M)
	swap=$(size_bytes "$SWAP") || die "SWAP=$SWAP: not a size (use e.g. 512M, or 0 for none)"
	[ "$swap" -eq 0 ] || [ "$swap" -ge 1048576 ] ||
		die "SWAP=$SWAP: too small for a swap area (at least 1M, or 0 for none)"

	PACKAGES=$(opt PACKAGES '' | tr ', ' '\n\n' | sed '/^$/d' | tr '\n' ' ')
	PACKAGES=${PACKAGES% }
	for p in $PACKAGES; do
		printf '%s' "$p" | grep -Eqx '[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+:~-]+)?' ||
			die "PACKAGES: '$p' is not a Debian package name"
	done

	MIRROR=$(opt MIRROR "$DISTRO_MIRROR")
	MIRROR=${MIRROR%/}
	printf '%s' "$MIRROR" | grep -Eqx '(https?|file)://[^[:space:]]+' ||
		die "MIRROR=$MIRROR: not an http://, https:// or file:// URL"
	SECURITY_MIRROR=$(opt SECURITY_MIRROR "$DISTRO_SECURITY_MIRROR")
	SECURITY_MIRROR=${SECURITY_MIRROR%/}
	[ "$SECURITY_MIRROR" = none ] ||
		printf '%s' "$SECURITY_MIRROR" | grep -Eqx '(https?|file)://[^[:space:]]+' ||
		die "SECURITY_MIRROR=$SECURITY_MIRROR: not a URL (or 'none')"
	KEYRING=$(opt KEYRING "$DISTRO_KEYRING")

	HOSTNAME=$(opt HOSTNAME colinux)
	valid_hostname "$HOSTNAME" ||
		die "HOSTNAME=$HOSTNAME: not a host name (letters, digits, '-', at most 63)"
	GUEST_USER=$(opt GUEST_USER colinux)
	valid_username "$GUEST_USER" ||
		die "GUEST_USER=$GUEST_USER: not a user name (lower case, digits, '_', '-'; not root)"
	LOCALE=$(opt LOCALE C.UTF-8)
	valid_locale "$LOCALE" || die "LOCALE=$LOCALE: not a locale name (e.g. en_US.UTF-8)"
	TIMEZONE=$(opt TIMEZONE Etc/UTC)
	valid_timezone "$TIMEZONE" || die "TIMEZONE=$TIMEZONE: unknown time zone (e.g. Europe/Berlin)"
	check_ssh_key "$(opt SSH_KEY '')"
	check_password

	OUT=$(opt OUT build/images)
	# A desktop image has a name of its own: it never replaces the
	# default image (and the user's files in it) by surprise.
	NAME=$(opt NAME "$DISTRO-$SUITE$([ "$DESKTOP" = none ] || echo "-$DESKTOP")")
	valid_name "$NAME" || die "NAME=$NAME: not a file name (letters, digits, '.', '_', '-')"
	# The guest kernel "make kernel" built (GUEST_KERNEL, from the
	# Makefile), when there is one: the config then boots as it is.
	local built
	built=$(opt GUEST_KERNEL '')
	[ -n "$built" ] && [ -f "$built" ] || built=vmlinux
	KERNEL=$(opt KERNEL "$built")
	MEM=$(opt MEM "$([ "$DESKTOP" = none ] && echo 512 || echo 1024)")
	printf '%s' "$MEM" | grep -Eqx '[0-9]+' || die "MEM=$MEM: not a number of MiB"
	SSH_PORT=$(opt SSH_PORT 2222)
	printf '%s' "$SSH_PORT" | grep -Eqx '[0-9]+' && [ "$SSH_PORT" -le 65535 ] ||
		die "SSH_PORT=$SSH_PORT: not a port number (0 for no forward)"
	CACHE=$(opt CACHE build/cache)
	WORK=$(opt WORK build/tmp)
	case $CACHE in /*) ;; *) CACHE=$PWD/$CACHE ;; esac
	case $WORK in /*) ;; *) WORK=$PWD/$WORK ;; esac
	COLINUX_IMG=$(opt COLINUX_IMG build/bin/colinux-img)
	PLAN=$(opt PLAN '')
	if [ -z "$PLAN" ]; then
		[ -x "$COLINUX_IMG" ] ||
			die "COLINUX_IMG=$COLINUX_IMG: not found (build it with 'make imagetools')"
	fi
	[ "$METHOD" != qemu ] || . "$RECIPES/qemu/method.sh"
	[ "$METHOD" != qemu ] || qemu_check_settings
	check_tools
}

# DESKTOP=xfce: a small XFCE desktop for the guest's programs on the host's
# (README, "Desktop"); the standard variant, and room for it.
check_desktop() {
	DESKTOP=$(opt DESKTOP none)
	case $DESKTOP in
	none) ;;
	xfce)
		[ "$METHOD" = mmdebstrap ] ||
			die "DESKTOP=xfce: only with METHOD=mmdebstrap (in an installed guest: apt install xfce4 xrdp)"
		[ "$VARIANT" = standard ] ||
			die "DESKTOP=xfce: needs VARIANT=standard, not $VARIANT"
		min_size=2G ;;
	*) die "DESKTOP=$DESKTOP: unknown desktop (known: none, xfce)" ;;
	esac
	# 3390, not RDP's 3389: on a Windows host that is Windows' own.
	RDP_PORT=$(opt RDP_PORT 3390)
	printf '%s' "$RDP_PORT" | grep -Eqx '[0-9]+' && [ "$RDP_PORT" -le 65535 ] ||
		die "RDP_PORT=$RDP_PORT: not a port number (0 for no forward)"
	[ "$DESKTOP" != none ] || [ -z "$(opt RDP_PORT '')" ] ||
		die "RDP_PORT=$RDP_PORT: only with DESKTOP=xfce (the image has no RDP server)"
}

check_ssh_key() {
	SSH_KEY_TEXT=
	[ -n "$1" ] || return 0
	# The key itself (it starts with its type), or a file holding keys.
	if valid_ssh_pubkey "$1"; then
		SSH_KEY_TEXT=$1
	elif [ -f "$1" ]; then
		SSH_KEY_TEXT=$(grep -v '^[[:space:]]*\(#\|$\)' "$1") ||
			die "SSH_KEY=$1: the file holds no key"
	else
		case $1 in
		*/* | *.pub) die "SSH_KEY=$1: no such file" ;;
		esac
		SSH_KEY_TEXT=$1
	fi
	while IFS= read -r line; do
		valid_ssh_pubkey "$line" ||
			die "SSH_KEY: '${line:0:40}...' is not an OpenSSH public key"
	done <<<"$SSH_KEY_TEXT"
}

# The plain password is hashed here, fed through a pipe (never argv), and
# dropped from the environment before anything else runs.  With
# SOURCE_DATE_EPOCH the salt is derived from it, the host name and the
# user, so that rebuilds stay byte-identical.
check_password() {
	PWHASH=
	if [ -n "${GUEST_PASSWORD_HASH:-}" ]; then
		valid_crypt_hash "$GUEST_PASSWORD_HASH" ||
			die "GUEST_PASSWORD_HASH: not a crypt(3) hash (make one with: openssl passwd -6)"
		PWHASH=$GUEST_PASSWORD_HASH
	elif [ -n "${GUEST_PASSWORD:-}" ]; then
		case $GUEST_PASSWORD in
		*$'\n'* | *:*) die "GUEST_PASSWORD: must not hold a newline or ':'" ;;
		esac
		local salt=
		if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
			salt=$(printf 'colinux:%s:%s:%s' "$SOURCE_DATE_EPOCH" "$HOSTNAME" \
				"$GUEST_USER" | sha256sum | cut -c1-16)
		fi
		PWHASH=$(printf '%s\n' "$GUEST_PASSWORD" |
			openssl passwd -6 ${salt:+-salt "$salt"} -stdin) ||
			die "GUEST_PASSWORD: openssl could not hash it"
	fi
	unset GUEST_PASSWORD GUEST_PASSWORD_HASH MAKEFLAGS MFLAGS
}

check_tools() {
	local t missing=
	case $METHOD in
	mmdebstrap) set -- mmdebstrap tar e2fsck ;;
	qemu) set -- qemu-system-x86_64 qemu-img cpio gzip debconf-set-selections e2fsck ;;
	esac
	for t in "$@"; do
		command -v "$t" >/dev/null || missing="$missing $t"
	done
	[ -z "$missing" ] || die "missing tools:$missing (run 'make deps-image deps-qemu' as root)"
}

check_keyring() {
	[ -f "$KEYRING" ] || [ -d "$KEYRING" ] ||
		die "KEYRING=$KEYRING: not found; $DISTRO_KEYRING_HINT"
}

# The mirror answers for the suite, or the build stops here.
check_mirrors() {
	local why rc=0 s
	why=$(mirror_check "$MIRROR" "$SUITE") || rc=$?
	case $rc in
	0) ;;
	2) die "SUITE=$SUITE: not found on MIRROR=$MIRROR ($why)" ;;
	*) die "MIRROR=$MIRROR: unreachable ($why)" ;;
	esac
	[ "$SECURITY_MIRROR" != none ] || return 0
	for s in $(suites); do
		case $s in *-security) ;; *) continue ;; esac
		why=$(mirror_check "$SECURITY_MIRROR" "$s") ||
			die "SECURITY_MIRROR=$SECURITY_MIRROR: no $s there ($why; SECURITY_MIRROR=none to go without)"
	done
}

suites() {
	case " $DISTRO_ROLLING " in
	*" $SUITE "*) echo "$SUITE" ;;
	*) echo "$SUITE $SUITE-updates $SUITE-security" ;;
	esac
}

# sources_list: the image's /etc/apt/sources.list (also what is built from).
sources_list() {
	local s
	for s in $(suites); do
		case $s in
		*-security)
			[ "$SECURITY_MIRROR" = none ] ||
				echo "deb $SECURITY_MIRROR $s $DISTRO_COMPONENTS" ;;
		*) echo "deb $MIRROR $s $DISTRO_COMPONENTS" ;;
		esac
	done
}

# ---------------------------------------------------------------------------
# Outputs: written under temporary names, renamed by the finish stage.

IMAGE_DIED=
WORKDIR=
PARTS=()

on_exit() {
	local rc=$?
	[ -z "${QEMU_PID:-}" ] || { kill "$QEMU_PID" 2>/dev/null && wait "$QEMU_PID"; } || true
	[ -z "${SYSLOG_PID:-}" ] || kill "$SYSLOG_PID" 2>/dev/null || true
	if [ "$rc" -ne 0 ]; then
		[ ${#PARTS[@]} -eq 0 ] || rm -f "${PARTS[@]}"
		if [ -z "$IMAGE_DIED" ] && [ "$IMAGE_STAGE" != check ]; then
			printf 'error: stage %s failed (exit status %d); log: %s\n' \
				"$IMAGE_STAGE" "$rc" "$LOG" >&2
			show_log_tail
		fi
	fi
	[ -z "$WORKDIR" ] || rm -rf "$WORKDIR"
	exit "$rc"
}

part() { # part VAR FINAL: VAR = the temporary name of an output (removed on failure)
	local p
	p="$(dirname "$2")/.$(basename "$2").part"
	PARTS+=("$p")
	printf -v "$1" '%s' "$p"
}

final_of() { # final_of PART: the name PART gets once the build is done
	local b=${1##*/}
	b=${b#.}
	printf '%s/%s' "$(dirname "$1")" "${b%.part}"
}

# The work directories of NAME that a killed build left (a kill skips
# on_exit): with the lock held, no other build of NAME is using one.
remove_stale_work() {
	local d
	for d in "$WORK/$NAME".??????; do
		[ -d "$d" ] || continue
		say "removing $d, left by a build that was killed"
		rm -rf "$d"
	done
}

start_build() {
	mkdir -p "$OUT" "$WORK" "$CACHE" || die "OUT=$OUT: cannot create it"
	OUT=$(cd "$OUT" && pwd)
	IMG="$OUT/$NAME.img"
	SWAPIMG="$OUT/$NAME-swap.img"
	CONF="$OUT/$NAME.conf"
	# The instance (write_instance): colinux-run's key, the pinned host key,
	# the seed disk the guest reads them from.
	KEY="$OUT/$NAME.key"
	KNOWN="$OUT/$NAME.known_hosts"
	SEEDIMG="$OUT/$NAME-seed.img"
	MANIFEST="$OUT/$NAME.packages"
	LOG="$OUT/$NAME.log"
	exec 8>"$WORK/.$NAME.lock"
	flock -n 8 || die "NAME=$NAME: another build of it is running (lock $WORK/.$NAME.lock)"
	remove_stale_work
	WORKDIR=$(mktemp -d "$WORK/$NAME.XXXXXX")
	: >"$LOG"
	{
		echo "# make image: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
		echo "# DISTRO=$DISTRO METHOD=$METHOD SUITE=$SUITE VARIANT=$VARIANT DESKTOP=$DESKTOP SIZE=$SIZE SWAP=$SWAP"
		echo "# MIRROR=$MIRROR SECURITY_MIRROR=$SECURITY_MIRROR PACKAGES=$PACKAGES"
		echo "# HOSTNAME=$HOSTNAME GUEST_USER=$GUEST_USER LOCALE=$LOCALE TIMEZONE=$TIMEZONE"
		echo "# password: $([ -n "$PWHASH" ] && echo 'hash given' || echo none)," \
			"SSH key: $([ -n "$SSH_KEY_TEXT" ] && echo yes || echo no)," \
			"SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-unset}"
	} >>"$LOG"
}

# ---------------------------------------------------------------------------
# METHOD=mmdebstrap

packages() {
	local p="systemd-sysv systemd-resolved udev openssh-server sudo iproute2 netbase tzdata"
	[ "$VARIANT" = minimal ] || p="$p locales bash-completion less vim-tiny dbus libpam-systemd"
	[ "$DESKTOP" = none ] || p="$p $(desktop_packages)"
	case $LOCALE in C | POSIX | C.UTF-8 | C.utf8) ;; *) p="$p locales" ;; esac
	echo $p $PACKAGES | tr ' ' '\n' | awk '!seen[$0]++' | paste -sd, -
}

# The desktop, X11 client tools, waypipe, PulseAudio's client side, an RDP
# server: what colinux-run and Windows' Remote Desktop client need.
desktop_packages() {
	echo xfce4 xfce4-terminal dbus-x11 x11-apps x11-utils xauth waypipe \
		libpulse0 pulseaudio-utils xrdp xorgxrdp
}

mmdebstrap_args() {
	local cache="$CACHE/$DISTRO-$SUITE-apt"
	MM_ARGS=(--mode=auto --format=tar --keyring="$KEYRING"
		--aptopt='Acquire::Retries "3"'
		--include="$(packages)" --skip=essential/unlink
		--setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives"
		--setup-hook="sync-in '$cache' /var/cache/apt/archives/"
		--customize-hook='chroot "$1" apt-get -qq autoclean'
		--customize-hook="sync-out /var/cache/apt/archives '$cache'"
		--customize-hook="'$RECIPES/rootfs/customize.sh' \"\$1\"")
	case $VARIANT in
	minimal)
		MM_ARGS+=(--variant=minbase
			--dpkgopt='path-exclude=/usr/share/man/*'
			--dpkgopt='path-exclude=/usr/share/doc/*'
			--dpkgopt='path-include=/usr/share/doc/*/copyright'
			--dpkgopt='path-exclude=/usr/share/locale/*'
			--dpkgopt='path-include=/usr/share/locale/locale.alias'
			--dpkgopt='path-exclude=/usr/share/info/*') ;;
	standard) MM_ARGS+=(--variant=standard) ;;
	esac
	MM_CACHE=$cache
}

plan_mmdebstrap() {
	mmdebstrap_args
	echo "plan: $DISTRO $SUITE ($VARIANT$([ "$DESKTOP" = none ] || echo ", $DESKTOP desktop")) by mmdebstrap"
	echo "packages: $(packages)"
	echo "sources:"
	sources_list | sed 's/^/  /'
	echo "outputs: $OUT/$NAME.img ($SIZE ext4), $OUT/$NAME-swap.img ($SWAP), $OUT/$NAME.conf"
	echo "network: eth0=slirp$(forwards) (forwards on the host's 127.0.0.1)"
}

# Show mmdebstrap's progress and our configure steps; keep all in the log.
bootstrap_filter() {
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line" >>"$LOG"
		case $line in
		'@@stage configure')
			echo configure >"$WORKDIR/stage"
			stage 3 configure "hostname, fstab, apt, console, network, user, first boot" ;;
		configure:\ done) ;;
		configure:*) say "      ${line#configure: }" ;;
		'I: running apt-get update'* | 'I: downloading packages'* | \
		'I: extracting archives'* | 'I: installing '* | \
		'I: creating tarball'* | 'I: success in'*)
			say "      ${line#I: }" ;;
		'E: '* | error:*) printf '    | %s\n' "$line" >&2 ;;
		esac
	done
}

stage_bootstrap() {
	stage 2 bootstrap "mmdebstrap $SUITE ($VARIANT$([ "$DESKTOP" = none ] || echo ", $DESKTOP desktop")) from $MIRROR"
	mmdebstrap_args
	mkdir -p "$MM_CACHE"
	exec 9>"$MM_CACHE.lock"
	flock -n 9 || { say "      waiting for the package cache lock"; flock 9; }
	local after new
	ls "$MM_CACHE" | grep '\.deb$' | sort >"$WORKDIR/cache.before" || true
	echo bootstrap >"$WORKDIR/stage"
	printf '$ mmdebstrap %s\n' "${MM_ARGS[*]}" >>"$LOG"
	if ! IMG_HOSTNAME=$HOSTNAME IMG_USER=$GUEST_USER IMG_PWHASH=$PWHASH \
		IMG_SSH_KEY=$SSH_KEY_TEXT IMG_LOCALE=$LOCALE IMG_TIMEZONE=$TIMEZONE \
		IMG_DESKTOP=$DESKTOP \
		IMG_SWAP=$([ "$swap" -gt 0 ] && echo yes || echo no) \
		IMG_SOURCES="$(sources_list)" IMG_RECIPES=$RECIPES TMPDIR=$WORKDIR \
		mmdebstrap "${MM_ARGS[@]}" "$SUITE" "$WORKDIR/rootfs.tar" \
		"$(sources_list)" 2>&1 | bootstrap_filter; then
		IMAGE_STAGE=$(cat "$WORKDIR/stage")
		show_log_tail
		die "mmdebstrap failed (log: $LOG)"
	fi
	flock -u 9
	after=$(ls "$MM_CACHE" | grep -c '\.deb$' || true)
	new=$(ls "$MM_CACHE" | grep '\.deb$' | sort | comm -13 "$WORKDIR/cache.before" - | wc -l)
	say "      $new packages downloaded, $((after - new)) in the cache ($MM_CACHE)"
	TARBALL=$WORKDIR/rootfs.tar
}

# The size the content needs in an ext4 filesystem of $size bytes, roughly
# as mke2fs lays it out (4 KiB blocks, or 1 KiB with 1/4096 inodes below
# 512 MiB); prints "BYTES INODES".
content_needs() {
	local bs=4096 ratio=16384
	if [ "$size" -lt $((512 * 1048576)) ]; then bs=1024 ratio=4096; fi
	tar -tvf "$1" | awk -v bs=$bs -v size="$size" -v ratio=$ratio '
		{ n++ }
		/^-/ { b += int(($3 + bs - 1) / bs) }
		/^d/ { b += 1 }
		/^l/ { if (length($0) > 200) b += 1 }
		END {
			blocks = size / bs
			j = blocks < 32768 ? 1024 : blocks < 262144 ? 4096 : \
			    blocks < 524288 ? 8192 : blocks < 4194304 ? 16384 : 32768
			need = b * bs + j * bs + size / ratio * 256 + size * 0.02 + 8 * 1048576
			printf "%d %d\n", need, n + 16
		}'
}

stage_filesystem() {
	stage 4 filesystem "ext4 $SIZE from the root tree"
	local need inodes
	read -r need inodes < <(content_needs "$TARBALL")
	if [ "$need" -gt "$size" ]; then
		die "SIZE=$SIZE is too small for the content, which needs about $(human_size "$need") (try SIZE=$(human_size $((need + need / 4))))"
	fi
	if [ "$inodes" -gt $((size / (size < 512 * 1048576 ? 4096 : 16384))) ]; then
		die "SIZE=$SIZE is too small: the content has $inodes files, more than its inodes"
	fi
	local tmp manifest
	part tmp "$IMG"
	run "$COLINUX_IMG" create "$tmp" "$SIZE" --fs ext4 --label rootfs \
		--from "$TARBALL" --force || {
		grep -qi 'no space\|could not allocate\|too small' "$LOG" &&
			die "SIZE=$SIZE is too small for the content (colinux-img create: out of space)"
		die "colinux-img create failed (log: $LOG)"
	}
	part manifest "$MANIFEST"
	tar -xOf "$TARBALL" ./var/lib/dpkg/status | awk '
		/^Package: / { p = $2 } /^Version: / { v = $2 }
		/^Status: .* installed$/ { ok = 1 }
		/^$/ { if (ok) print p "\t" v; ok = 0 }
		END { if (ok) print p "\t" v }' | sort >"$manifest"
}

# ---------------------------------------------------------------------------
# Stages common to both methods.

stage_swap() {
	if [ "$swap" -eq 0 ]; then
		stage "$1" swap "none (SWAP=0)"
		return 0
	fi
	stage "$1" swap "$SWAP swap image"
	local tmp
	part tmp "$SWAPIMG"
	run "$COLINUX_IMG" swap "$tmp" "$SWAP" --force ||
		die "colinux-img swap failed (log: $LOG)"
}

stage_verify() {
	stage "$1" verify "colinux-img check, e2fsck -fn"
	local img=${PARTS[0]}
	run "$COLINUX_IMG" check "$img" || die "colinux-img check found problems (log: $LOG)"
	run e2fsck -fn "$img" || die "e2fsck -fn found errors in the new filesystem (log: $LOG)"
}

# The forwards of eth0= (on the host's 127.0.0.1): SSH, and RDP for a
# desktop image; ",,tcp:H:G/..." or nothing.
forwards() {
	local f=
	[ "$SSH_PORT" -eq 0 ] || f="tcp:$SSH_PORT:22"
	[ "$DESKTOP" = none ] || [ "$RDP_PORT" -eq 0 ] || f="${f:+$f/}tcp:$RDP_PORT:3389"
	[ -z "$f" ] || printf ',,%s' "$f"
}

write_config() {
	local q='"' tmp
	part tmp "$CONF"
	{
		echo "# coLinux configuration for $NAME, written by 'make image'."
		echo "# Start it with: colinux-daemon @$CONF"
		[ -f "$KERNEL" ] || echo "# kernel=: the coLinux guest kernel (make kernel builds build/kernel/vmlinux)"
		echo "kernel=$KERNEL"
		echo "mem=$MEM"
		echo "cobd0=$q$IMG$q"
		[ "$swap" -eq 0 ] || echo "cobd1=$q$SWAPIMG$q"
		echo "eth0=slirp$(forwards)"
		echo "root=/dev/cobd0"
		if [ "$SSH_PORT" -ne 0 ]; then
			echo "# The instance's seed, read at boot: the SSH host key pinned in"
			echo "# $NAME.known_hosts and the key colinux-run logs in with ($NAME.key)."
			echo "cobd2=$q$SEEDIMG$q,ro"
			echo "colinux.seed=cobd2"
		fi
		echo "# The guest user (colinux-run runs programs as this user)."
		echo "colinux.user=$GUEST_USER"
		echo "console=hvc0"
		echo "# The network device keeps the name eth0 (DHCP in /etc/systemd/network)."
		echo "net.ifnames=0"
	} >"$tmp"
}

# The instance's identity, kept out of the image, which stays the same for
# every build: colinux-run's key pair (NAME.key, 0600, the invoking user's
# under sudo), the guest's SSH host key pinned in NAME.known_hosts (under
# the name colinux-run asks for), and the seed disk NAME-seed.img (0600, read
# by the daemon as root; in the guest only root can read it): a tar archive
# of the host key and colinux-run's public key (recipes/rootfs/seed).
write_instance() {
	[ "$SSH_PORT" -ne 0 ] || return 0
	local key pub known seed dir="$WORKDIR/seed"
	part key "$KEY"
	part pub "$KEY.pub"
	part known "$KNOWN"
	part seed "$SEEDIMG"
	mkdir -p "$dir"
	ssh-keygen -q -t ed25519 -N '' -C "colinux-run@$NAME" -f "$WORKDIR/key" </dev/null &&
		ssh-keygen -q -t ed25519 -N '' -C "root@$HOSTNAME" \
			-f "$dir/ssh_host_ed25519_key" </dev/null ||
		die "ssh-keygen could not make the instance's keys"
	printf '%s colinux-instance\n' "$(cut -d' ' -f1,2 "$WORKDIR/key.pub")" >"$dir/authorized_key"
	(umask 077 && tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 \
		-C "$dir" -cf "$seed" ./ssh_host_ed25519_key ./ssh_host_ed25519_key.pub \
		./authorized_key) || die "tar could not write the seed disk $seed"
	printf 'colinux-guest %s\n' "$(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" >"$known"
	mv "$WORKDIR/key" "$key" && mv "$WORKDIR/key.pub" "$pub" || die "cannot move the key into $OUT"
	chmod 0600 "$key" "$seed" && chmod 0644 "$pub" "$known"
	if [ "$(id -u)" = 0 ] && [ -n "${SUDO_UID:-}" ]; then
		chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$key" "$pub" "$known"
	fi
}

stage_finish() {
	stage "$1" finish "config file, instance keys, outputs into place"
	write_config
	write_instance
	local p
	# The image goes last: it only appears once everything else is there.
	[ "$swap" -gt 0 ] || rm -f "$SWAPIMG"
	for p in "${PARTS[@]:1}" "${PARTS[0]}"; do
		[ ! -e "$p" ] || install_file "$p" "$(final_of "$p")"
	done
	PARTS=()
	say "done: $IMG ($SIZE ext4)"
	[ "$swap" -eq 0 ] || say "      $SWAPIMG ($SWAP swap)"
	say "      $CONF (colinux-daemon @$CONF)"
	[ "$SSH_PORT" -eq 0 ] ||
		say "      $KEY, $KNOWN, $SEEDIMG (colinux-run @$CONF PROGRAM)"
	say "      $LOG, $MANIFEST"
}

main() {
	parse_args "$@"
	check_settings
	if [ -n "$PLAN" ]; then
		"plan_$METHOD"
		exit 0
	fi
	if [ "$METHOD" != qemu ]; then
		check_mirrors
		check_keyring
	elif [ -z "$DISK" ]; then
		check_mirrors
		check_udebs
	fi
	trap on_exit EXIT
	trap 'exit 130' INT TERM
	start_build
	say "[1/7] check: settings and mirror ok; log in $LOG"
	case $METHOD in
	mmdebstrap)
		stage_bootstrap
		stage_filesystem
		stage_swap 5
		stage_verify 6
		stage_finish 7
		;;
	qemu) qemu_build ;;
	esac
}

IMAGE_NSTAGES=7
main "$@"
