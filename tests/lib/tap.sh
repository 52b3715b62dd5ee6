# SPDX-License-Identifier: GPL-2.0
# tap.sh --- TAP helpers for shell test suites (sourced, not run).
#
#   ok NAME / not_ok NAME REASON / skip NAME REASON
#   check NAME CMD...          passes when CMD succeeds
#   check_fails NAME CMD...    passes when CMD fails (its output kept in $OUT)
#   diag TEXT                  a "# TEXT" line
# Command output goes to $TAP_LOG; on failure its tail is shown as diagnostics.

TAP_LOG=${TAP_LOG:-$(mktemp)}
OUT=

ok() { echo "ok - $1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
not_ok() {
	echo "not ok - $1"
	[ $# -gt 1 ] && diag "$2"
	return 0
}
skip() { echo "ok - $1 # SKIP $2"; }

# Run CMD, keep its combined output in $OUT and in the log.
capture() {
	OUT=$("$@" 2>&1)
	local rc=$?
	printf '$ %s\n%s\n' "$*" "$OUT" >>"$TAP_LOG"
	return $rc
}

check() {
	local name=$1
	shift
	if capture "$@"; then
		ok "$name"
	else
		not_ok "$name" "command failed: $*"
		printf '%s\n' "$OUT" | tail -n 8 | sed 's/^/#   /'
	fi
}

check_fails() {
	local name=$1
	shift
	if capture "$@"; then
		not_ok "$name" "command succeeded but should have failed: $*"
	else
		ok "$name"
	fi
}
