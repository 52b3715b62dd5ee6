# SPDX-License-Identifier: GPL-2.0
# tap.sh --- TAP helpers for shell test suites (sourced, not run; bash and
# busybox sh alike).
#
#   tap_prefix TEXT            start every line with TEXT (the host-VM cases
#                              print "COTEST ok - ..." for tests/vm/boot)
#   ok NAME / not_ok NAME [REASON] / skip NAME REASON
#   verdict NAME TEST...       passes when TEST succeeds; returns its status
#   check NAME CMD...          passes when CMD succeeds (its output kept in
#                              $OUT, its tail shown on failure)
#   check_fails NAME CMD...    passes when CMD fails (its output kept in $OUT)
#   diag TEXT...               one "# TEXT" line per argument
#   diag_indent [LABEL]        stdin as indented diagnostics, each line
#                              after "LABEL: " if given
# Command output goes to $TAP_LOG.

TAP_LOG=${TAP_LOG:-$(mktemp)}
TAP_PREFIX=${TAP_PREFIX:-}
OUT=

tap_prefix() { TAP_PREFIX=$1; }

ok() { printf '%sok - %s\n' "$TAP_PREFIX" "$1"; }
skip() { printf '%sok - %s # SKIP %s\n' "$TAP_PREFIX" "$1" "$2"; }
diag() { printf '%s\n' "$@" | awk -v p="$TAP_PREFIX" '{ print p "# " $0 }'; }
diag_indent() { awk -v p="$TAP_PREFIX" -v l="${1:+$1: }" '{ print p "#   " l $0 }'; }
not_ok() {
	printf '%snot ok - %s\n' "$TAP_PREFIX" "$1"
	[ $# -gt 1 ] && diag "$2"
	return 0
}

verdict() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
		return 1
	fi
}

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
		printf '%s\n' "$OUT" | tail -n 8 | diag_indent
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
