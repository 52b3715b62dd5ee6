# SPDX-License-Identifier: GPL-2.0
# /etc/profile.d/colinux-display.sh (DESKTOP images): the Windows
# installer's X server route.  The installer starts VcXsrv or Xming with the
# daemon (exec0=, with a cookie of its own: -auth) and puts where the guest
# reaches it and the cookie on the kernel command line: colinux.display=
# ADDR:N, colinux.xauth=32 hex digits.  A login without a display of its
# own (the console; not ssh -X or an RDP session, which set DISPLAY) gets
# DISPLAY=ADDR:N and the cookie in its Xauthority, so a program started
# there opens its windows on the Windows desktop.
colinux_display() {
	local w d= c=
	[ -z "${DISPLAY:-}" ] || return 0
	for w in $(cat /proc/cmdline); do
		case $w in
		colinux.display=*) d=${w#*=} ;;
		colinux.xauth=*) c=${w#*=} ;;
		esac
	done
	[ -n "$d" ] || return 0
	if ! printf '%s\n' "$d" | grep -Eqx '[0-9]{1,3}(\.[0-9]{1,3}){3}:[0-9]{1,4}'; then
		echo "colinux-display: colinux.display=$d: not ADDR:N (such as 10.0.2.2:10)" >&2
		return 0
	fi
	if ! printf '%s\n' "$c" | grep -Eqx '[0-9a-f]{32}'; then
		echo "colinux-display: colinux.xauth: not a cookie of 32 hex digits" >&2
		return 0
	fi
	command -v xauth >/dev/null || return 0
	if ! xauth -q add "$d" MIT-MAGIC-COOKIE-1 "$c" 2>/dev/null; then
		echo "colinux-display: xauth cannot store the cookie for $d (${XAUTHORITY:-$HOME/.Xauthority})" >&2
		return 0
	fi
	export DISPLAY="$d"
}
colinux_display
unset -f colinux_display
