# SPDX-License-Identifier: GPL-2.0
# tests/vm/debian.sh --- the Debian image of "make image" under colinux-daemon
# in the host VM (run by /init when the command line says
# cotest.script=debian; tests/debian/suite boots it).
#
# The host VM has the image and its swap as virtio disks /dev/vda and
# /dev/vdb, so the daemon serves real block devices: cobd0=/dev/vda
# cobd1=/dev/vdb; /dev/vde is a tar archive with the image's SSH key (id);
# /tmp/share is the guest's cofs0, and QEMU's own virtio-9p device cofs0 of
# the host VM is the cofs checks' control.  Kernel command-line words:
#   cotest.user=NAME cotest.pw=PASSWORD   the image's user
#   cotest.step=boot      log in on hvc0, check the system, log in over SSH
#                         through the forward, mount cofs0 with mount -t cofs
#                         and use it, colinux-run with the instance's key
#                         and pinned host key (the seed disk cobd2), write
#                         and fsync a file, kill -9 the
#                         daemon; boot again, the file is intact; log in
#                         through colinux-console; poweroff over SSH; then
#                         boot the converted image (/dev/vdc)
#   cotest.share_md5=MD5  the md5 of the cofs shares' file "big"
#   cotest.step=powercut  write and fsync a file, then ask the harness to cut
#                         the power (the suite checks the file on the image)
#   cotest.cobd_opts=,unsafe   options of cobd0 (the power cut's negative
#                         control: flushes not passed on)
#   cotest.step=desktop   an image of make image DESKTOP=xfce: SSH by key
#                         only (a password is refused), X11 forwarding,
#                         colinux-run xeyes as a window on the host VM's
#                         Xvfb, --install-menu, a GTK program's frames on
#                         the host VM's headless weston through waypipe,
#                         a tone played into the host VM's PulseAudio
#                         (recorded for the suite), xrdp answering an RDP
#                         connection request through the forward
#                         tcp:3390:3389; poweroff over SSH
set -u
PATH=$PATH:/tests # mount.cofs
. /tests/tap.sh
tap_prefix "COTEST "

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^cotest\.$1=//p"; }
user=$(arg user) pw=$(arg pw) step=$(arg step) opts=$(arg cobd_opts)
log=/tmp/guest.log
daemon=
rootdev=/dev/vda # the converted image is /dev/vdc
forwards= # more forwards of eth0 than SSH's
mem=256 # the guest's memory in MiB
seed= # the instance's seed disk (make image's NAME-seed.img)

# Wait up to SECONDS for a fixed string in the console log after its line
# MARK (0: from the start).
wait_for() {
	local text=$1 secs=$2 mark=${3:-0} t=0
	while [ $t -lt "$secs" ]; do
		tail -n +$((mark + 1)) "$log" 2>/dev/null | grep -q -F -- "$text" &&
			return 0
		[ -n "$daemon" ] && ! kill -0 "$daemon" 2>/dev/null && return 1
		sleep 1
		t=$((t + 1))
	done
	return 1
}
lines() { wc -l <"$log"; }
now() { cut -d. -f1 /proc/uptime; } # busybox sh has no $SECONDS
type() { printf '%s\n' "$*" 1<>/tmp/guest.in; } # never blocks: see cases.sh guest_type
# The console log as text: no CRs, no escape sequences (bash's bracketed
# paste mode starts the output of every command with one).
text() { awk '{ gsub(/\033\[[0-9;?]*[a-zA-Z]|\r/, ""); print }' "$log"; }
# The value the guest printed as KEY=VALUE (the last one).
value() { text | sed -n "s/^$1=//p" | tail -n 1; }
guest_log() { text | tail -n "$1" | diag_indent guest; }

start_daemon() {
	rm -f /tmp/guest.in /tmp/console.sock
	mkfifo /tmp/guest.in
	: >"$log"
	./colinux-daemon --console-socket=/tmp/console.sock \
		kernel=/tests/vmlinux mem=$mem cobd0=$rootdev$opts cobd1=/dev/vdb \
		eth0=slirp,,tcp:2222:22$forwards,restrict cofs0=/tmp/share \
		$seed root=/dev/cobd0 console=hvc0 net.ifnames=0 \
		<>/tmp/guest.in >"$log" 2>&1 &
	daemon=$!
}
# Wait for the daemon to end (at most SECONDS); its exit status in $rc.
daemon_wait() {
	local t=0
	while kill -0 "$daemon" 2>/dev/null && [ $t -lt "$1" ]; do
		sleep 1
		t=$((t + 1))
	done
	kill -0 "$daemon" 2>/dev/null && kill -KILL "$daemon"
	wait "$daemon"
	rc=$?
	daemon=
}

# Boot to the login prompt and log in on hvc0; NAME prefixes the results.
login_hvc0() {
	local name=$1 t0 mark
	t0=$(now)
	start_daemon
	if ! wait_for " login: " 900; then
		not_ok "$name: login prompt on hvc0"
		guest_log 30
		return 1
	fi
	ok "$name: login prompt on hvc0 ($(($(now) - t0)) s)"
	mark=$(lines)
	type "$user"
	wait_for "Password:" 60 "$mark" && type "$pw"
	# login flushes what was typed before the shell runs: wait for its
	# prompt.
	wait_for "$user@" 120 "$mark"
	type 'echo LOGGED$((40+2))=$(id -un)'
	if wait_for "LOGGED42=$user" 120 "$mark"; then
		ok "$name: logged in as $user with the password"
	else
		not_ok "$name: logged in as $user with the password"
		guest_log 20
		return 1
	fi
}

# Run CMD in the guest's shell; its output ends with a line DONE<n>.
n=0
run() {
	local mark
	n=$((n + 1))
	mark=$(lines)
	type "$*; echo DONE\$((0+$n))"
	wait_for "DONE$n" 300 "$mark"
}

check_system() {
	# Wait for the boot to finish: the getty does not wait for swap.
	run 'echo STATE=$(systemctl is-system-running --wait)'
	verdict "debian: systemd finished booting ($(value STATE))" \
		[ "$(value STATE)" = running -o "$(value STATE)" = degraded ]
	run 'echo ROOT=$(findmnt -n -o SOURCE /)'
	verdict "debian: / is /dev/cobd0 (findmnt)" [ "$(value ROOT)" = /dev/cobd0 ]
	run 'echo SWAP=$(awk "NR > 1 { print \$1 }" /proc/swaps)'
	verdict "debian: swap on /dev/cobd1 in use ($(value SWAP))" \
		[ "$(value SWAP)" = /dev/cobd1 ]
	run 'echo SERIAL=$(cat /sys/block/cobd0/serial)'
	verdict "debian: cobd0's serial is cobd0" [ "$(value SERIAL)" = cobd0 ]
	run 'echo BYUUID=$(readlink -f /dev/disk/by-uuid/$(findmnt -n -o UUID /))'
	verdict "debian: /dev/disk/by-uuid link to cobd0 (udev rule)" \
		[ "$(value BYUUID)" = /dev/cobd0 ]
	# With eth0 on slirp, nothing may fail, the network units included.
	run 'systemctl --failed --plain --no-legend | awk "{ print \"FAILED=\" \$1 }"'
	failed=$(text | sed -n 's/^FAILED=//p' | tr '\n' ' ')
	verdict "debian: no failed unit (failed: ${failed:-none})" \
		[ -z "$failed" ] ||
		{ run "for u in $failed; do journalctl -b -u \$u --no-pager | tail -n 8; done"
		  guest_log 30; }
}

write_synced() { # FILE KEY: 4 MiB of random data, fsync'ed; hash as KEY=
	run "head -c 4M /dev/urandom >~/$1 && sync ~/$1 && echo $2=\$(sha256sum <~/$1 | cut -c1-64)"
	[ -n "$(value "$2")" ]
}

# eth0 on slirp (restricted): the address from DHCP, and sshd's banner
# through the forward tcp:2222:22 on the host VM's loopback.
check_network() {
	local banner
	run 'for i in $(seq 60); do ip -4 addr show eth0 | grep -q 10.0.2.15/ && break; sleep 1; done; echo ADDR=$(ip -4 addr show eth0 | grep -o "inet [0-9./]*")'
	verdict "debian: eth0 has 10.0.2.15/24 by DHCP ($(value ADDR))" \
		[ "$(value ADDR)" = "inet 10.0.2.15/24" ]
	banner=$(sleep 5 | timeout 30 busybox nc 127.0.0.1 2222 | head -c 8)
	verdict "debian: sshd answers through tcp:2222:22 on the host VM's 127.0.0.1 ($banner)" \
		[ "$banner" = SSH-2.0- ]
}

# gssh [-n] CMD: run CMD in the guest as the user, through the forward, with
# the image's key.  gsudo CMD: a simple command as root (sudo, the password
# on stdin).
gssh() {
	LD_LIBRARY_PATH=/tests/lib timeout 300 /tests/ssh -F /dev/null -q \
		-o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o ConnectTimeout=60 \
		-i /tmp/data/id -p 2222 "$user@127.0.0.1" "$@"
}
gsudo() { printf '%s\n' "$pw" | gssh "sudo -S -p '' $*" 2>&1; }
# Why the last login failed: ssh's own account of one more attempt.
ssh_why() {
	LD_LIBRARY_PATH=/tests/lib timeout 120 /tests/ssh -F /dev/null -v \
		-o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o ConnectTimeout=60 \
		-i /tmp/data/id -p 2222 "$user@127.0.0.1" true 2>&1 |
		grep -v '^debug1: \(Reading\|Authenticator\|kex_\|SSH2_MSG\|expecting\|rekey\)' |
		tail -n 25 | diag_indent ssh
}
# Wait up to SECONDS for sshd to let the user in.
ssh_wait() {
	local t0
	t0=$(now)
	until gssh -n true; do
		[ $(($(now) - t0)) -lt "$1" ] || return 1
		sleep 2
	done
}

check_ssh() {
	local out
	if ! ssh_wait 300; then
		not_ok "debian: ssh -p 2222 $user@127.0.0.1 with the image's key"
		ssh_why
		return 1
	fi
	out=$(gssh -n 'echo $(id -un)@$(hostname)')
	verdict "debian: ssh -p 2222 $user@127.0.0.1 with the image's key ($out)" \
		[ "${out%@*}" = "$user" ]
	out=$(gssh -n 'timeout 300 systemctl is-system-running --wait')
	verdict "debian: over SSH, systemctl is-system-running --wait says running ($out)" \
		[ "$out" = running ]
	out=$(gssh -n 'systemctl --failed --plain --no-legend' | tr '\n' ' ')
	verdict "debian: over SSH, systemctl --failed lists nothing (${out:-nothing})" \
		[ -z "$out" ]
}

# The host VM's side of the cofs share: a file to read, one to remove, a
# subdirectory, and 1 MiB whose md5 the command line gives (the same files
# as the suite's share of QEMU's virtio-9p device).
make_share() {
	rm -rf "$1"
	mkdir -p "$1/sub"
	echo "hello from the host" >"$1/hello"
	echo "inner" >"$1/sub/inner"
	echo "remove me" >"$1/gone"
	tar -xOf /dev/vde big >"$1/big"
}

# cofs_checks NAME ROOT USER: mount -t cofs 0 /mnt, read, write, through
# ROOT (runs a simple command as root) and USER (shell code, as the user);
# the caller checks the host's side (share_written).
cofs_checks() {
	local name=$1 root=$2 userx=$3 out
	out=$($root mount -t cofs 0 /mnt; $userx 'awk "\$2 == \"/mnt\" { print \$1, \$3 }" /proc/mounts')
	verdict "$name: mount -t cofs 0 /mnt mounts cofs0 as 9p ($out)" \
		[ "$(echo "$out" | tail -n 1)" = "cofs0 9p" ] || return 1
	out=$($userx 'cat /mnt/hello')
	verdict "$name: the share's file reads as the host wrote it ($out)" \
		[ "$out" = "hello from the host" ]
	out=$($userx 'md5sum </mnt/big | cut -c1-32')
	verdict "$name: 1 MiB read, checksum as on the host ($out)" \
		[ "$out" = "$(arg share_md5)" ]
	out=$($userx 'echo written by the guest >/mnt/new && mkdir /mnt/gdir && mv /mnt/new /mnt/gdir/f && cp /mnt/big /mnt/big2 && rm /mnt/gone && sync && echo WROTE')
	verdict "$name: write, mkdir, rename, a 1 MiB copy and a removal ($out)" \
		[ "$out" = WROTE ]
	out=$($root mount -t cofs cofs99 /mnt 2>&1 | grep mount.cofs)
	verdict "$name: mount -t cofs cofs99 is refused by mount.cofs ($out)" \
		[ "$out" = "mount.cofs: bad source 'cofs99': cofs99: the daemon has cofs0 to cofs31" ]
}

# What cofs_checks wrote, as the host sees it in the share DIR.
share_written() {
	[ "$(cat "$1/gdir/f")" = "written by the guest" ] &&
		cmp -s "$1/big" "$1/big2" && [ ! -e "$1/gone" ] && [ ! -e "$1/new" ]
}

unwritten() { ! share_written "$1"; }

# cofs0=/tmp/share in the Debian guest, over SSH; then cofs0:sub.
check_cofs() {
	local out
	guser() { gssh -n "$1"; }
	verdict "debian cofs: negative control: the host VM's check fails on the share as it was" \
		unwritten /tmp/share
	cofs_checks "debian cofs" gsudo guser || return
	verdict "debian cofs: the host VM sees what the guest wrote" \
		share_written /tmp/share
	out=$(gsudo umount /mnt; gsudo mount -t cofs cofs0:sub /mnt; gssh -n 'cat /mnt/inner')
	verdict "debian cofs: mount -t cofs cofs0:sub /mnt mounts the subdirectory ($(echo "$out" | tail -n 1))" \
		[ "$(echo "$out" | tail -n 1)" = inner ]
	gsudo umount /mnt >/dev/null
}

# colinux-run @inst.conf: the instance as make image wrote it, its key and
# pinned host key beside it; the seed disk gave the guest both.
crun() {
	PATH=/tests:$PATH LD_LIBRARY_PATH=/tests/lib timeout 300 \
		/tests/colinux-run @/tmp/inst.conf "$@"
}
check_run() {
	local out rc want
	out=$(crun sh -c 'echo "$(id -un) $(id -u)"; exit 7' </dev/null)
	rc=$?
	verdict "colinux-run: the program runs as $user, not root, and its exit status comes back ($out, exit $rc)" \
		[ "$out" = "$user 1000" -a $rc = 7 ]
	dd if=/dev/urandom of=/tmp/8m bs=1M count=8 2>/dev/null
	want=$(sha256sum </tmp/8m | cut -c1-64)
	out=$(crun wc -c </tmp/8m)
	verdict "colinux-run: 8 MiB of stdin reach the guest (wc -c: $out)" [ "$out" = 8388608 ]
	out=$(crun sha256sum </tmp/8m | cut -c1-64)
	verdict "colinux-run: the 8 MiB arrive intact (sha256 $(echo "$out" | cut -c1-16)..., as on the host)" \
		[ "$out" = "$want" ]
	rm -f /tmp/8m
	crun no-such-program </dev/null 2>/dev/null
	rc=$?
	verdict "colinux-run: a program the guest lacks: exit 127 (exit $rc)" [ $rc = 127 ]
	gsudo mount -t cofs 0 /mnt >/dev/null
	out=$(cd /tmp/share/sub && crun sh -c 'pwd; cat inner; cat "$1"' - /tmp/share/hello </dev/null | tr '\n' ' ')
	verdict "colinux-run: from inside cofs0 the program starts in the guest's mount of it, file arguments mapped ($out)" \
		[ "$out" = "/mnt/sub inner hello from the host " ]
	gsudo umount /mnt >/dev/null
	out=$(crun cat /tmp/share/hello </dev/null 2>&1)
	rc=$?
	verdict "colinux-run: a file in cofs0 while the guest has not mounted it: exit 125, one line ($out)" \
		[ "$rc $out" = "125 colinux-run: the guest has not mounted cofs0 (/tmp/share); mount it: sudo mount -t cofs cofs0 DIR" ]
	# Negative control of the pinning: another host key pinned, refused.
	cp /tmp/inst.known_hosts /tmp/known.good
	echo "colinux-guest $(cut -d' ' -f1,2 /tmp/data/other.pub)" >/tmp/inst.known_hosts
	out=$(crun true </dev/null 2>&1)
	rc=$?
	cp /tmp/known.good /tmp/inst.known_hosts
	refused() { [ $rc = 125 ] && echo "$out" | grep -q "is not this instance's guest"; }
	verdict "colinux-run: the pinned host key is checked: another one is refused (exit $rc, $out)" \
		refused
}

step_boot() {
	ip link set lo up # the forward listens on 127.0.0.1
	login_hvc0 debian || return
	check_system
	check_network
	check_ssh && check_cofs && check_run
	write_synced durable HASH1
	hash1=$(value HASH1) # the next boot starts a new log
	verdict "debian: 4 MiB written and fsync'ed" [ -n "$hash1" ]
	kill -KILL "$daemon"
	daemon_wait 30
	verdict "debian: kill -9 ends the daemon (status $rc)" [ "$rc" = 137 ]

	login_hvc0 "debian after kill -9" || return
	run 'echo HASH2=$(sha256sum <~/durable | cut -c1-64)'
	verdict "debian: the fsync'ed file survived kill -9 of the daemon" \
		[ "$(value HASH2)" = "$hash1" ] ||
		diag "sha256 before: $hash1" "sha256 after: $(value HASH2)"

	# Log out on hvc0; log in again through colinux-console.
	mark=$(lines)
	type exit
	wait_for " login: " 60 "$mark"
	console_login
	ssh_wait 300
	gsudo systemctl poweroff >/dev/null
	daemon_wait 300
	verdict "debian: systemctl poweroff over SSH ends the daemon with status 0 (status $rc)" \
		[ "$rc" = 0 ]
}

# The image colinux-img converted from a partitioned disk.
step_converted() {
	rootdev=/dev/vdc
	login_hvc0 converted || return
	run 'echo ROOT=$(findmnt -n -o SOURCE /)'
	verdict "converted: / is /dev/cobd0 (findmnt)" [ "$(value ROOT)" = /dev/cobd0 ]
	run 'echo STATE=$(systemctl is-system-running --wait)'
	run 'echo SWAP=$(awk "NR > 1 { print \$1 }" /proc/swaps)'
	verdict "converted: swap on /dev/cobd1 in use ($(value SWAP))" \
		[ "$(value SWAP)" = /dev/cobd1 ]
	run "echo '$pw' | sudo -S -p '' systemctl poweroff"
	daemon_wait 300
	verdict "converted: poweroff ends the daemon with status 0 (status $rc)" [ "$rc" = 0 ]
}

# X11 programs on the host VM's side (tests/debian/suite x_tools).
xl() { LD_LIBRARY_PATH=/tmp/data/x/lib "$@"; }

# An Xvfb display :5 on the host VM's side, with a cookie in $XAUTHORITY;
# the programs of the suite's x_tools in /usr (ssh -X runs xauth there).
host_display() {
	local t=0
	cp -a /tmp/data/x/usr/. /usr/
	export XAUTHORITY=/tmp/xauth
	: >"$XAUTHORITY"
	xl xauth add :5 . "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
	# -noreset: as a desktop's X server, it keeps the untrusted cookies
	# ssh -X has xauth make while no client is connected.
	xl Xvfb :5 -screen 0 ${1:-640x480}x24 -nolisten tcp -noreset -auth "$XAUTHORITY" >/tmp/xvfb.log 2>&1 &
	until [ -e /tmp/.X11-unix/X5 ] || [ $t -ge 30 ]; do sleep 1; t=$((t + 1)); done
}

# find_window NAME: the id of the window NAME on :5 (nothing if none).
find_window() {
	DISPLAY=:5 xl xwininfo -root -tree | awk -v n="\"$1\":" '$2 == n { print $1; exit }'
}

# shot ID FILE: the window ID into FILE (xwd); prints its size and its
# number of colours (1: blank).
shot() {
	local info w h n
	info=$(DISPLAY=:5 xl xwininfo -id "$1" 2>/dev/null)
	w=$(echo "$info" | sed -n 's/^ *Width: //p')
	h=$(echo "$info" | sed -n 's/^ *Height: //p')
	DISPLAY=:5 xl xwd -silent -id "$1" -out "$2" 2>/dev/null
	# The pixels are the file's last w*h*4 bytes (24-bit depth, 32 per pixel).
	n=$(tail -c $((${w:-0} * ${h:-0} * 4)) "$2" 2>/dev/null | od -An -v -tx4 |
		tr -s ' ' '\n' | grep . | sort -u | wc -l)
	echo "${w}x$h ${n:-0}"
}

# Debian's 9p modules, for QEMU's virtio-9p device cofs0 (the suite's share).
load_9p() {
	local m
	for m in netfs fscache 9pnet 9pnet_virtio 9p; do
		insmod /mod/$m.ko 2>/dev/null
	done
}

# to_suite FILE: FILE into the suite's folder (QEMU's virtio-9p device
# cofs0, mounted at /mnt/suite): the README's pictures come from there.
to_suite() {
	if ! grep -q ' /mnt/suite ' /proc/mounts; then
		load_9p
		mkdir -p /mnt/suite &&
			mount -t 9p -o trans=virtio,version=9p2000.L cofs0 /mnt/suite || return 1
	fi
	cp "$1" /mnt/suite/
}

# colinux-run xeyes: its window on an Xvfb display of the host VM's, listed
# by xwininfo, and a screenshot of it that is not one colour.
desktop_window() {
	local t=0 id out run
	# ssh runs xauth: its libraries too.  Untrusted (the default): under
	# emulation xeyes connects more than a minute after ssh made its
	# cookie, which lasts (colinux-run's ForwardX11Timeout).
	DISPLAY=:5 PATH=/tests:$PATH LD_LIBRARY_PATH=/tests/lib:/tmp/data/x/lib \
		exec /tests/colinux-run @/tmp/inst.conf xeyes </dev/null >/tmp/xeyes.log 2>&1 &
	run=$!
	while [ $t -lt 180 ]; do
		id=$(find_window xeyes)
		[ -n "$id" ] && break
		sleep 2
		t=$((t + 2))
	done
	verdict "desktop: colinux-run xeyes opens a window on the host VM's display (xwininfo: ${id:-none})" \
		[ -n "$id" ] || {
		diag_indent xeyes </tmp/xeyes.log
		diag_indent Xvfb </tmp/xvfb.log
		# what ssh -X does first: an untrusted cookie from xauth
		{
			hostname
			xl xauth list
			xl xauth -f /tmp/xauth.try generate :5 . untrusted 2>&1
			xl xauth -f /tmp/xauth.try list
		} 2>&1 | diag_indent xauth
	}
	if [ -z "$id" ]; then # xwd without a window waits for a click
		not_ok "desktop: a screenshot of that window is not blank" "no window"
		kill "$run" 2>/dev/null
		return 1
	fi
	sleep 2 # drawn
	out=$(shot "$id" /tmp/xeyes.xwd)
	verdict "desktop: a screenshot of that window (${out% *}) is not blank (${out#* } colours)" \
		[ "${out#* }" -ge 2 ]
	to_suite /tmp/xeyes.xwd
	kill "$run" 2>/dev/null
	wait "$run" 2>/dev/null
}

rdp_keys() {
	gsudo test -s /etc/ssl/private/ssl-cert-snakeoil.key -a -s /etc/xrdp/rsakeys.ini >/dev/null
}

# xfreerdp on the host VM's display logs into the guest's xrdp through the
# forward tcp:3390:3389 with the user's password, over TLS only (/sec:tls:
# xrdp must read its key); xrdp starts an XFCE session for the user (its X
# server is xorgxrdp's), which the client shows.
desktop_rdp() {
	local t=0 up= id out rdp
	verdict "desktop: the first boot made the TLS key xrdp offers and its RDP keys (the image has none)" \
		rdp_keys
	HOME=/tmp DISPLAY=:5 xl xfreerdp /v:127.0.0.1:3390 /u:"$user" /p:"$pw" \
		/sec:tls /cert:ignore /size:800x600 /bpp:24 /t:colinux-rdp -clipboard \
		/audio-mode:2 /log-level:WARN </dev/null >/tmp/rdp.log 2>&1 &
	rdp=$!
	while [ $t -lt 600 ] && kill -0 "$rdp" 2>/dev/null; do
		up=$(gssh -n "pgrep -u $user -x xfdesktop >/dev/null && pgrep -u $user -x xfce4-panel >/dev/null && echo up")
		[ "$up" = up ] && break
		sleep 5
		t=$((t + 5))
	done
	verdict "desktop: xfreerdp logs into xrdp through the forward, and the guest runs an XFCE session for $user (xfdesktop and xfce4-panel, $t s)" \
		[ "$up" = up ] || {
		diag_indent xfreerdp </tmp/rdp.log
		gssh -n 'ps -eo user,args | grep -i "xrdp\|xorg\|xfce" | grep -v grep; id xrdp; journalctl -b --no-pager -u xrdp -u xrdp-sesman | grep -v keyboard | tail -n 40' 2>&1 |
			diag_indent guest
	}
	# The session's desktop drawn: the client's window holds it.
	sleep 30
	id=$(find_window colinux-rdp)
	if [ -n "$id" ]; then # xwd without a window waits for a click
		out=$(shot "$id" /tmp/rdp.xwd)
		verdict "desktop: a screenshot of xfreerdp's window (${out% *}) shows the desktop (${out#* } colours)" \
			[ "${out#* }" -gt 16 ]
		to_suite /tmp/rdp.xwd
	else
		not_ok "desktop: a screenshot of xfreerdp's window shows the desktop" "no window"
	fi
	kill "$rdp" 2>/dev/null
	wait "$rdp" 2>/dev/null
}

# The window of an xfce4-terminal on the host VM's display, if any.
terminal_window() {
	DISPLAY=:5 xl xwininfo -root -tree | awk '$2 ~ /^"Terminal/ { print $1; exit }'
}
# SIGTERM to each process of the host VM whose command line matches the
# pattern (busybox has no pkill).
term_matching() {
	local p c
	for p in /proc/[0-9]*; do
		c=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
		case $c in $1) kill "${p#/proc/}" 2>/dev/null ;; esac
	done
}

# colinux-run --install-menu: the XFCE image's applications as entries,
# valid by desktop-file-validate; the terminal's, launched as a menu
# launches it (GLib's gio), opens its window on the host VM's display.
desktop_menu() {
	local out n icons t=0 id v before
	local e=/tmp/xdg/data/applications
	export XDG_DATA_HOME=/tmp/xdg/data XDG_CONFIG_HOME=/tmp/xdg/config
	out=$(crun --install-menu 2>&1)
	n=$(ls $e 2>/dev/null | wc -l)
	icons=$(ls /tmp/xdg/data/colinux/icons/inst 2>/dev/null | wc -l)
	verdict "desktop: --install-menu puts the guest's applications in a menu ($out; $n entries, $icons icons)" \
		[ "$n" -ge 10 -a -f $e/colinux-inst-xfce4-terminal.desktop ]
	xl desktop-file-validate $e/*.desktop \
		/tmp/xdg/data/desktop-directories/colinux-inst.directory >/tmp/dfv.log 2>&1
	v=$?
	verdict "desktop: desktop-file-validate passes all $n entries and the submenu's directory file" \
		[ $v = 0 ] || diag_indent desktop-file-validate </tmp/dfv.log
	before=$(terminal_window)
	DISPLAY=:5 PATH=/tests:$PATH LD_LIBRARY_PATH=/tests/lib:/tmp/data/x/lib \
		gio launch $e/colinux-inst-xfce4-terminal.desktop >/tmp/gio.log 2>&1
	while [ $t -lt 180 ]; do
		id=$(terminal_window)
		[ -n "$id" ] && break
		sleep 2
		t=$((t + 2))
	done
	verdict "desktop: the terminal's entry, launched by gio, opens its window ($t s; none before)" \
		[ -n "$id" -a -z "$before" ] || diag_indent gio </tmp/gio.log
	term_matching '*colinux-run*xfce4-terminal*'
	n=$(wl_left)
	verdict "desktop: SIGTERM to that colinux-run ends the terminal in the guest ($n left)" \
		[ "$n" = 0 ]
	crun --remove-menu
	n=$(find /tmp/xdg -type f | wc -l)
	verdict "desktop: --remove-menu leaves no file ($n)" [ "$n" = 0 ]
	unset XDG_DATA_HOME XDG_CONFIG_HOME
}

# A headless weston on the host VM's side (after host_display put the
# suite's programs in /usr), logging every request it gets.  Its desktop
# shell, without panel, clock or animation: the kiosk shell shows no
# window on an output without a seat, the fullscreen shell none of GTK's.
# Once its shell client has drawn the background, nothing else draws.
WL=/tmp/wl
weston=
wl_commits() { grep -c 'wl_surface@[0-9]*\.commit()' $WL/weston.log; }
host_weston() {
	local t=0
	mkdir -p -m 0700 $WL
	printf '%s\n' '[shell]' panel-position=none clock-format=none locking=false \
		animation=none startup-animation=none '[input-method]' path= >$WL/weston.ini
	XDG_RUNTIME_DIR=$WL WAYLAND_DEBUG=server LD_LIBRARY_PATH=/tmp/data/x/lib \
		weston --config=$WL/weston.ini \
		--backend=headless-backend.so --shell=desktop-shell.so \
		--socket=wl-0 --idle-time=0 >$WL/weston.out 2>$WL/weston.log &
	weston=$!
	until [ "$(wl_commits)" -ge 1 ] || [ $t -ge 60 ]; do
		kill -0 $weston 2>/dev/null || break
		sleep 1
		t=$((t + 1))
	done
	[ "$(wl_commits)" -ge 1 ]
}
# wl_run ARGS...: colinux-run on the weston display, exec'd (a background
# one's $! is colinux-run itself; in the foreground, run it in a subshell).
wl_run() {
	exec env XDG_RUNTIME_DIR=$WL WAYLAND_DISPLAY=wl-0 PATH=/tests:$PATH \
		LD_LIBRARY_PATH=/tests/lib:/tmp/data/x/lib /tests/colinux-run @/tmp/inst.conf "$@"
}
WL_PROGRAM='env GDK_BACKEND=wayland NO_AT_BRIDGE=1 xfce4-terminal --disable-server -T colinux-wayland'
wl_titled() { grep -q 'set_title("colinux-wayland")' $WL/weston.log; }
# Wait until weston has logged no commit for 3 s (at most 60 s): what a
# client sent before it went is in the log.
wl_settle() {
	local c t=0
	c=$(wl_commits)
	while [ $t -lt 60 ]; do
		sleep 3
		t=$((t + 3))
		[ "$(wl_commits)" = "$c" ] && return 0
		c=$(wl_commits)
	done
	return 1
}
# The guest's xfce4-terminals after colinux-run ended (at most 60 s).
wl_left() {
	local n t=0
	while :; do
		n=$(gssh -n "pgrep -u $user -x xfce4-terminal | wc -l")
		[ "$n" = 0 ] || [ $t -ge 60 ] && break
		sleep 3
		t=$((t + 3))
	done
	echo "$n"
}

# Wayland: the guest's xfce4-terminal (GTK 3 on its Wayland backend) runs
# through colinux-run and the two waypipes, printing the date ten times a
# second for 15 s or more, then ends, and the terminal with it; its
# window's frames are counted for 10 s once it has its title.  Negative
# control: -x (no windows) reaches the compositor with nothing.
desktop_wayland() {
	local t0 t=0 run c n frames
	if ! host_weston; then
		not_ok "desktop: Wayland: a headless weston with its desktop shell in the host VM"
		tail -n 30 $WL/weston.log | diag_indent weston
		return 1
	fi
	t0=$(now)
	wl_run $WL_PROGRAM -x sh -c 'for i in $(seq 150); do date; sleep 0.1; done' \
		</dev/null >/tmp/wl-run.log 2>&1 &
	run=$!
	until wl_titled || [ $t -ge 240 ]; do
		kill -0 $run 2>/dev/null || break
		sleep 2
		t=$(($(now) - t0))
	done
	c=$(wl_commits)
	sleep 10
	frames=$(($(wl_commits) - c))
	wl_titled || t=none
	# ended by itself; killed after 180 s
	until ! kill -0 $run 2>/dev/null || [ $(($(now) - t0)) -ge 180 ]; do sleep 2; done
	kill $run 2>/dev/null
	wait $run
	rc=$?
	verdict "desktop: Wayland: the guest's xfce4-terminal (GTK 3, GDK_BACKEND=wayland) draws on the host VM's weston through colinux-run and waypipe (its window after $t s, $frames frames committed in 10 s, exit $rc after $(($(now) - t0)) s)" \
		[ "$t" != none -a "$frames" -ge 10 -a $rc = 0 ] || {
		diag_indent colinux-run </tmp/wl-run.log
		grep -v '^\[[0-9.]*\] ' $WL/weston.log | tail -n 20 | diag_indent weston
	}
	n=$(wl_left)
	verdict "desktop: Wayland: nothing of it is left in the guest ($n xfce4-terminal)" \
		[ "$n" = 0 ]
	wl_settle
	c=$(wl_commits)
	t0=$(now)
	(wl_run -x $WL_PROGRAM -x true) </dev/null >/tmp/wl-run.log 2>&1
	rc=$?
	frames=$(($(wl_commits) - c))
	verdict "desktop: Wayland: -x, no windows: the same program reaches no compositor (negative control: exit $rc after $(($(now) - t0)) s, $frames frames)" \
		[ $rc != 0 -a $frames = 0 ] || diag_indent colinux-run </tmp/wl-run.log
	kill $weston 2>/dev/null
	wait $weston 2>/dev/null
}

# A PulseAudio server on the host VM's side (as tests/desktop starts one):
# a null sink, cotest, and its native protocol on $PA/native.
PA=/tmp/pa
pulse=
pa_client() { PULSE_SERVER=unix:$PA/native xl "$@"; }
host_pulse() {
	local t=0
	mkdir -p $PA/home $PA/run
	chmod 700 $PA/run
	HOME=$PA/home XDG_RUNTIME_DIR=$PA/run LD_LIBRARY_PATH=/tmp/data/x/lib \
		pulseaudio -n --daemonize=no \
		--exit-idle-time=-1 -L "module-null-sink sink_name=cotest" \
		-L "module-native-protocol-unix socket=$PA/native" >$PA/log 2>&1 &
	pulse=$!
	until pa_client pactl info >/dev/null 2>&1 || [ $t -ge 60 ]; do
		kill -0 $pulse 2>/dev/null || return 1
		sleep 1
		t=$((t + 1))
	done
	pa_client pactl info >/dev/null 2>&1
}
# play NAME [colinux-run options]: the sink's monitor recorded into
# /tmp/sound-NAME.raw (48 kHz mono s16le) while the guest plays the
# suite's tone.wav with paplay through colinux-run; its status in $rc.
play() {
	local name=$1 rec
	shift
	PULSE_SERVER=unix:$PA/native LD_LIBRARY_PATH=/tmp/data/x/lib parec \
		-d cotest.monitor --raw --format=s16le --rate=48000 --channels=1 \
		>/tmp/sound-$name.raw 2>>$PA/log &
	rec=$!
	sleep 1
	PULSE_SERVER=unix:$PA/native crun "$@" sh -c \
		'f=$(mktemp) && cat >"$f" && paplay "$f"; r=$?; rm -f "$f"; exit $r' \
		</tmp/data/x/tone.wav >/tmp/play.log 2>&1
	rc=$?
	sleep 1
	kill $rec 2>/dev/null
	wait $rec 2>/dev/null
}

# Sound: the guest plays the tone through colinux-run's forward of the
# host VM's server; --no-sound is the negative control.  The suite checks
# the recordings' frequency (tests/desktop/tone.py; no Python here).
desktop_sound() {
	local t0
	if ! host_pulse; then
		not_ok "desktop: sound: a PulseAudio server with a null sink in the host VM"
		diag_indent pulseaudio <$PA/log
		return 1
	fi
	t0=$(now)
	play tone
	verdict "desktop: sound: the guest's paplay plays the tone through colinux-run into the host VM's server (exit $rc, $(($(now) - t0)) s, $(wc -c </tmp/sound-tone.raw) bytes recorded)" \
		[ $rc = 0 ] || diag_indent paplay </tmp/play.log
	t0=$(now)
	play none --no-sound
	verdict "desktop: sound: with --no-sound the guest's paplay finds no server (exit $rc, $(($(now) - t0)) s, $(wc -c </tmp/sound-none.raw) bytes recorded)" \
		[ $rc != 0 ]
	kill $pulse 2>/dev/null
	wait $pulse 2>/dev/null
	cp $PA/log /tmp/sound-pa.log
	to_suite /tmp/sound-tone.raw
	to_suite /tmp/sound-none.raw
	to_suite /tmp/sound-pa.log
}

# desktop_boot NAME: the desktop image booted with its RDP forward and the
# memory a session needs, until the user can log in over SSH.
desktop_boot() {
	local t0
	forwards=/tcp:3390:3389 mem=768
	ip link set lo up
	t0=$(now)
	start_daemon
	if ! ssh_wait 900; then
		not_ok "$1: ssh -p 2222 $user@127.0.0.1 with the image's key"
		guest_log 30
		ssh_why
		return 1
	fi
	ok "$1: ssh -p 2222 $user@127.0.0.1 with the image's key ($(($(now) - t0)) s)"
}

# The desktop image: reached by SSH (keys only) and RDP, nothing else.
step_desktop() {
	local out keys
	desktop_boot desktop || return 1
	out=$(gssh -n 'timeout 300 systemctl is-system-running --wait; systemctl is-active xrdp xrdp-sesman' | tr '\n' ' ')
	verdict "desktop: system running, xrdp and xrdp-sesman active ($out)" \
		[ "$out" = "running active active " ] ||
		gssh -n 'systemctl --failed --plain --no-legend; journalctl -b -n 40 --no-pager -u xrdp -u xrdp-sesman' 2>&1 |
		diag_indent guest
	# The server must offer nothing but keys: BatchMode lists what it
	# offers when it refuses ("Permission denied (publickey).").
	out=$(LD_LIBRARY_PATH=/tests/lib timeout 60 /tests/ssh -F /dev/null \
		-o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no \
		-p 2222 "$user@127.0.0.1" true 2>&1 | grep 'Permission denied')
	case $out in
	*'Permission denied (publickey).'*) keys=only ;;
	*) keys= ;;
	esac
	verdict "desktop: without the key, SSH offers no password login ($out)" \
		[ "$keys" = only ]
	out=$(DISPLAY=:0 LD_LIBRARY_PATH=/tests/lib timeout 60 /tests/ssh -F /dev/null \
		-q -Y -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -i /tmp/data/id -p 2222 \
		"$user@127.0.0.1" 'echo "$DISPLAY"; xauth list "$DISPLAY" | wc -l')
	verdict "desktop: X11 forwarding gives the guest a DISPLAY with a cookie ($(echo $out))" \
		[ "$(echo $out)" = "localhost:10.0 1" ]
	host_display 1024x768
	desktop_window
	desktop_menu
	desktop_wayland
	desktop_sound
	# An RDP client's first packet, a TPKT-framed X.224 connection request
	# asking for TLS or CredSSP; xrdp answers with a connection confirm.
	out=$(printf '\003\000\000\023\016\340\000\000\000\000\000\001\000\010\000\003\000\000\000' |
		timeout 30 nc -w 10 127.0.0.1 3390 | head -c 6 | od -An -tx1 | tr -d ' \n')
	verdict "desktop: xrdp confirms an RDP connection request through tcp:3390:3389 ($out)" \
		[ "$out" = 030000130ed0 ]
	desktop_rdp
	gsudo systemctl poweroff >/dev/null
	daemon_wait 300
	verdict "desktop: systemctl poweroff over SSH ends the daemon with status 0 (status $rc)" \
		[ "$rc" = 0 ]
}

# --- make bench-desktop (tests/vm/bench-desktop) ---------------------------

ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
# mapped NAME: the window NAME is on :5 and viewable (one xwininfo a poll).
mapped() {
	DISPLAY=:5 xl xwininfo -name "$1" 2>/dev/null | grep -q 'Map State: IsViewable'
}
# first_window CMD...: milliseconds from starting CMD (which opens xlogo)
# to xlogo's window mapped on :5; -1 when CMD ended first, after 300 s, or
# when an xlogo window was there before it (then the time would be that
# window's, not CMD's).  CMD must exec its program, so that killing $! ends
# the program and its window.
first_window() {
	local t0 t=-1 pid
	if DISPLAY=:5 xl xwininfo -name xlogo >/dev/null 2>&1; then
		echo "first_window: an xlogo window is still there" >>/tmp/bench.log
		echo -1
		return
	fi
	t0=$(ms)
	"$@" </dev/null >>/tmp/bench.log 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && [ $(($(ms) - t0)) -lt 300000 ]; do
		if mapped xlogo; then
			t=$(($(ms) - t0))
			break
		fi
		sleep 0.05
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# The next run starts on a display without it.
	t0=$(ms)
	while DISPLAY=:5 xl xwininfo -name xlogo >/dev/null 2>&1 &&
		[ $(($(ms) - t0)) -lt 60000 ]; do
		sleep 0.2
	done
	echo "$t"
}
# x11perf's rate (per second) of each test, "NAME RATE" lines:
# rect10, putimage100.
perf() {
	"$@" x11perf -repeat 1 -time 3 -rect10 -putimage100 </dev/null 2>>/tmp/bench.log |
		awk '/ reps @ / { r = $0; sub(/.*\( */, "", r); sub(/\/sec.*/, "", r)
			if (/rectangle/) print "rect10", r
			if (/PutImage/) print "putimage100", r }'
}
# host_x PROGRAM ARGS, guest_x PROGRAM ARGS: the program on :5, in the
# host VM or in the guest through colinux-run; each execs it, so that a
# background one's $! is the program itself.
host_x() { exec env DISPLAY=:5 LD_LIBRARY_PATH=/tmp/data/x/lib "$@"; }
guest_x() {
	exec env DISPLAY=:5 PATH=/tests:$PATH LD_LIBRARY_PATH=/tests/lib:/tmp/data/x/lib \
		/tests/colinux-run @/tmp/inst.conf -Y "$@"
}
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
# rate TEST: TEST's rate from perf's output in $x.
rate() { echo "$x" | awk -v t="$1" '$1 == t { print $2 }'; }

# Three alternating rounds of each, on the host VM's display directly and
# from the guest through colinux-run; "COTEST bench desktop NAME HOST GUEST
# RATIO" lines (ratio: host time / guest time, guest rate / host rate: 1.0
# is the guest as fast as the host VM).
step_desktopbench() {
	local i h= g= hr= gr= hp= gp= x
	desktop_boot "desktop bench" || return 1
	gssh -n 'timeout 300 systemctl is-system-running --wait' >/dev/null
	host_display 1024x768
	for i in 1 2 3; do
		h="$h $(first_window host_x xlogo)"
		g="$g $(first_window guest_x xlogo)"
		x=$(perf host_x)
		hr="$hr $(rate rect10)" hp="$hp $(rate putimage100)"
		x=$(perf guest_x)
		gr="$gr $(rate rect10)" gp="$gp $(rate putimage100)"
	done
	verdict "desktop bench: xlogo's first window, three rounds (host VM$h ms, guest$g ms)" \
		bench_ok $h $g
	verdict "desktop bench: x11perf -rect10 and -putimage100, three rounds (host VM$hr and$hp per s, guest$gr and$gp per s)" \
		bench_ok $hr $hp $gr $gp || diag_indent bench </tmp/bench.log
	bench_line first_window_ms "$(median $h)" "$(median $g)" time
	bench_line rect10_per_s "$(median $hr)" "$(median $gr)" rate
	bench_line putimage100_per_s "$(median $hp)" "$(median $gp)" rate
	gsudo systemctl poweroff >/dev/null
	daemon_wait 300
}
# bench_ok VALUES...: every value a positive number (a run that failed
# gives -1 or nothing).
bench_ok() {
	local v
	[ $# -gt 0 ] || return 1
	for v in "$@"; do
		echo "$v" | grep -Eqx '[0-9]+(\.[0-9]+)?' || return 1
		echo "$v" | grep -Eqx '0+(\.0+)?' && return 1
	done
	return 0
}
# bench_line NAME HOST GUEST time|rate: the result and its ratio.
bench_line() {
	bench_ok "$2" "$3" || return
	echo "COTEST bench desktop $1 $2 $3 $(awk -v h="$2" -v g="$3" -v k="$4" \
		'BEGIN { printf "%.3f\n", k == "time" ? h / g : g / h }')"
}

# colinux-console on the daemon's socket: log in, run a command, detach.
console_login() {
	local out=/tmp/console.out
	rm -f /tmp/console.in "$out"
	mkfifo /tmp/console.in
	./colinux-console /tmp/console.sock <>/tmp/console.in >"$out" 2>&1 &
	local cons=$! t=0
	printf '\n' 1<>/tmp/console.in
	until grep -q " login: " "$out" || [ $t -ge 60 ]; do sleep 1; t=$((t + 1)); done
	printf '%s\n' "$user" 1<>/tmp/console.in
	t=0
	until grep -q "Password:" "$out" || [ $t -ge 60 ]; do sleep 1; t=$((t + 1)); done
	printf '%s\n' "$pw" 1<>/tmp/console.in
	t=0
	until grep -q "$user@" "$out" || [ $t -ge 120 ]; do sleep 1; t=$((t + 1)); done
	printf 'echo CONSOLE$((6*7))=$(tty)\n' 1<>/tmp/console.in
	t=0
	until grep -q "CONSOLE42=/dev/hvc0" "$out" || [ $t -ge 120 ]; do sleep 1; t=$((t + 1)); done
	verdict "debian: logged in again through colinux-console" \
		grep -q "CONSOLE42=/dev/hvc0" "$out"
	printf '\035d' >/tmp/console.in # Ctrl-] d: detach
	t=0
	while kill -0 "$cons" 2>/dev/null && [ $t -lt 10 ]; do sleep 1; t=$((t + 1)); done
	kill "$cons" 2>/dev/null
	wait "$cons" 2>/dev/null
}

step_powercut() {
	# Host-VM writeback held back: what the daemon did not flush stays in
	# the host VM's page cache and dies with it.
	sysctl -q -w vm.dirty_writeback_centisecs=0 vm.dirty_expire_centisecs=360000 \
		vm.dirty_background_ratio=90 vm.dirty_ratio=90
	login_hvc0 powercut || return
	write_synced durable2 HASH3
	verdict "powercut: 4 MiB written and fsync'ed" [ -n "$(value HASH3)" ]
	echo "COTEST # durable2 $(value HASH3)"
	echo "COTEST powercut"
	sleep 60
}

for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
	virtio_pci virtio_blk; do
	insmod /mod/$m.ko 2>/dev/null
done
t=0
until [ -b /dev/vdb ] || [ $t -ge 30 ]; do sleep 1; t=$((t + 1)); done
verdict "debian: the image and its swap are host-VM disks" test -b /dev/vda -a -b /dev/vdb
verdict "debian: insmod colinux.ko" insmod /tests/colinux.ko
# The cobd case's disk checks (tests/vm/cases.sh: whole-disk checksum, a
# write and sync seen by the host) run here on QEMU's own virtio-blk disk
# /dev/vdd: a check that fails there is the check's fault, not cobd's.
control_checks() {
	local m
	m=$(md5sum </dev/vdd | cut -d' ' -f1)
	verdict "control, QEMU's virtio-blk: the whole-disk checksum reads as the host has it" \
		[ "$m" = "$(arg control_md5)" ]
	dd if=/dev/vdd of=/dev/vdd bs=1M skip=1 seek=3 count=1 conv=fsync 2>/dev/null
	sync
}
# The cofs checks with mount.cofs on QEMU's own virtio-9p device cofs0, with
# Debian's 9p modules and busybox mount (which runs mount.cofs from PATH);
# the suite checks the share afterwards.  QEMU ignores aname: cofs0:sub is
# the daemon's alone.
control_cofs() {
	load_9p
	mkdir -p /mnt
	root_sh() { "$@"; }
	host_sh() { sh -c "$1"; }
	cofs_checks "control, QEMU's virtio-9p" root_sh host_sh && umount /mnt
}

# The data disk (tests/debian/suite make_data): the image's key, and the
# instance beside the image: its seed disk for the daemon, its key and
# pinned host key beside /tmp/inst.conf for colinux-run.
take_data() {
	mkdir -p /tmp/data /etc && tar -xf /dev/vde -C /tmp/data && chmod 600 /tmp/data/id
	echo root:x:0:0:root:/tmp:/bin/sh >/etc/passwd # for ssh
	seed="cobd2=/tmp/data/seed.img,ro colinux.seed=cobd2"
	printf '%s\n' eth0=slirp,,tcp:2222:22 cofs0=/tmp/share "colinux.user=$user" >/tmp/inst.conf
	cp /tmp/data/inst.key /tmp/inst.key && chmod 600 /tmp/inst.key
	cp /tmp/data/inst.known_hosts /tmp/inst.known_hosts
}

# The daemon's cofs0, the user's as a user's own folder is.
make_share /tmp/share && chown -R 1000:1000 /tmp/share
case $step in
boot)
	take_data
	control_checks
	control_cofs
	step_boot && step_converted ;;
powercut) step_powercut ;;
desktop)
	take_data
	step_desktop ;;
desktopbench)
	take_data
	step_desktopbench ;;
*) not_ok "debian: cotest.step=$step: unknown step" ;;
esac
[ -z "$daemon" ] || { kill -KILL "$daemon"; wait "$daemon"; }
