# SPDX-License-Identifier: GPL-2.0
# recipes/lib.sh --- shell helpers shared by the image recipes (sourced).
#
# Messages:  say TEXT (a progress line), stage N NAME TEXT (announce a stage),
#            die TEXT (one-line error, exit 1).  Command output goes to $LOG.
# Values:    size_bytes 4G, human_size BYTES, valid_* checks.

IMAGE_STAGE=check
IMAGE_NSTAGES=${IMAGE_NSTAGES:-6}
LOG=${LOG:-/dev/null}

say() { printf '  %-8s %s\n' IMAGE "$*"; [ "$LOG" = /dev/null ] || printf '%s\n' "== $*" >>"$LOG"; }

# stage N NAME TEXT: announce stage N of IMAGE_NSTAGES; errors name it.
stage() {
	IMAGE_STAGE=$2
	say "[$1/$IMAGE_NSTAGES] $2: $3"
}

# die TEXT: the one-line error, naming the stage once the build has begun.
die() {
	IMAGE_DIED=1
	if [ "$IMAGE_STAGE" = check ]; then
		printf 'error: %s\n' "$*" >&2
	else
		printf 'error: stage %s failed: %s\n' "$IMAGE_STAGE" "$*" >&2
	fi
	[ "$LOG" = /dev/null ] || printf 'error: %s\n' "$*" >>"$LOG"
	exit 1
}

# run CMD...: run with output appended to $LOG; on failure show its tail.
run() {
	printf '$ %s\n' "$*" >>"$LOG"
	if ! "$@" >>"$LOG" 2>&1; then
		show_log_tail
		return 1
	fi
}

show_log_tail() {
	[ "$LOG" = /dev/null ] && return 0
	tail -n "${1:-12}" "$LOG" | sed 's/^/    | /' >&2
}

# size_bytes SIZE: 4G, 512M, 1024K, 300000000 -> bytes (binary units).
size_bytes() {
	local v=$1 n unit
	case $v in
	*[!0-9KMGTkmgt]* | '' | [!0-9]*) return 1 ;;
	esac
	n=${v%%[KMGTkmgt]}
	unit=${v#"$n"}
	[ ${#unit} -le 1 ] || return 1
	case $unit in
	'') echo "$n" ;;
	[Kk]) echo $((n * 1024)) ;;
	[Mm]) echo $((n * 1024 * 1024)) ;;
	[Gg]) echo $((n * 1024 * 1024 * 1024)) ;;
	[Tt]) echo $((n * 1024 * 1024 * 1024 * 1024)) ;;
	esac
}

# human_size BYTES -> "512M" style (rounded up to MiB).
human_size() {
	local mib=$((($1 + 1048575) / 1048576))
	if [ $((mib % 1024)) -eq 0 ] && [ "$mib" -ge 1024 ]; then
		echo "$((mib / 1024))G"
	else
		echo "${mib}M"
	fi
}

valid_hostname() {
	printf '%s' "$1" | grep -Eqx '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
}

valid_username() {
	printf '%s' "$1" | grep -Eqx '[a-z_][a-z0-9_-]{0,31}' && [ "$1" != root ]
}

valid_name() {
	printf '%s' "$1" | grep -Eqx '[A-Za-z0-9][A-Za-z0-9._-]*'
}

# A crypt(3) hash: $id$[params$]salt$hash (yescrypt, sha512, sha256...).
valid_crypt_hash() {
	printf '%s' "$1" | grep -Eqx '\$[0-9a-z]+\$[^:[:space:]]+'
}

valid_locale() {
	printf '%s' "$1" | grep -Eqx '(C|POSIX|C\.UTF-8|C\.utf8|[a-z]{2,3}(_[A-Z]{2})?(\.[A-Za-z0-9-]+)?(@[a-z]+)?)'
}

valid_timezone() {
	printf '%s' "$1" | grep -Eqx '[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*' || return 1
	# The host's tzdata, when present, knows every valid name.
	[ ! -d /usr/share/zoneinfo ] || [ -f "/usr/share/zoneinfo/$1" ]
}

valid_ssh_pubkey() {
	printf '%s\n' "$1" | grep -Eq '^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp[0-9]+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$'
}

# mirror_check URL SUITE: fetch dists/SUITE/Release with a short timeout.
# Prints the reason on failure; status 2 when the mirror answers but has no
# such suite, 1 when it cannot be reached.
mirror_check() {
	local url=${1%/} suite=$2 tmp rc=0 out why
	tmp=$(mktemp)
	out=$(/usr/lib/apt/apt-helper -o Acquire::Retries=0 \
		-o Acquire::http::Timeout="${MIRROR_TIMEOUT:-15}" \
		-o Acquire::https::Timeout="${MIRROR_TIMEOUT:-15}" \
		download-file "$url/dists/$suite/Release" "$tmp" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ] && grep -q '^Suite:' "$tmp" 2>/dev/null; then
		rm -f "$tmp"
		return 0
	fi
	rm -f "$tmp"
	why=$(printf '%s\n' "$out" | sed -n 's/^  *\([^ ].*\)$/\1/p' | sed -n 1p |
		sed 's/ *\[IP: [^]]*\]//' | tr -s ' ')
	[ -n "$why" ] || why="no Release file (${out##*$'\n'})"
	printf '%s\n' "$why"
	case $why in 404*) return 2 ;; esac
	return 1
}

# install_file TMP FINAL: the last step of every output (atomic rename).
install_file() { mv -f "$1" "$2"; }
