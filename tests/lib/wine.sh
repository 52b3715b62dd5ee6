# SPDX-License-Identifier: GPL-2.0
# tests/lib/wine.sh --- Wine for the suites that run the Windows programs
# (sourced after tap.sh; $WINEPREFIX set, DISPLAY unset).

# wine_prefix: a fresh prefix at $WINEPREFIX, ready when wineboot's server
# has ended too (its setup starts a second service manager, which would
# answer some calls and not others).  Output goes to $TAP_LOG, never through
# a pipe: the server and services wineboot starts inherit it and would hold
# a command substitution open.  Standard input is /dev/null: timeout runs
# wineboot in a process group of its own, which must not touch a terminal.
# Status 0, or 1 with the reason in $WINE_ERR: wineboot's status, the time
# it took, whether the prefix was made, the Wine processes still running
# and the last lines wineboot printed.
wine_prefix() {
	local t0 rc mark
	t0=$(date +%s)
	mark=$(wc -l <"$TAP_LOG")
	echo "\$ wineboot -i ($WINEPREFIX)" >>"$TAP_LOG"
	timeout 300 wineboot -i </dev/null >>"$TAP_LOG" 2>&1
	rc=$?
	if [ $rc = 0 ] &&
		timeout 120 wineserver -w </dev/null >>"$TAP_LOG" 2>&1 &&
		[ -f "$WINEPREFIX/system.reg" ]; then
		return 0
	fi
	WINE_ERR="wineboot -i: status $rc after $(($(date +%s) - t0)) s"
	[ -f "$WINEPREFIX/system.reg" ] || WINE_ERR="$WINE_ERR, no prefix made"
	WINE_ERR="$WINE_ERR; running: $(pgrep -a -f 'wine|\.exe' | tr '\n' ';')"
	WINE_ERR="$WINE_ERR; said: $(tail -n +$((mark + 2)) "$TAP_LOG" |
		tail -n 5 | tr '\n' ';')"
	wineserver -k 2>/dev/null
	return 1
}
