# SPDX-License-Identifier: GPL-2.0
# recipes/qemu/method.sh --- METHOD=qemu (sourced by image.sh): install Debian
# with its own installer (debian-installer-12-netboot-amd64: kernel + initrd)
# in QEMU under software emulation, preseeded, on a serial console, onto a
# qcow2 disk with a normal partition table; then colinux-img convert.
#
# With DISK=FILE the install is skipped and that disk is converted.

DI_DIR=${DI_DIR:-/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64}

qemu_check_settings() {
	DISK=$(opt DISK '')
	INSTALL_TIMEOUT=$(opt INSTALL_TIMEOUT 7200)
	QEMU_MEM=$(opt QEMU_MEM 1024)
	QEMU_SMP=$(opt QEMU_SMP 2)
	for v in INSTALL_TIMEOUT QEMU_MEM QEMU_SMP; do
		printf '%s' "${!v}" | grep -Eqx '[1-9][0-9]*' || die "$v=${!v}: not a positive number"
	done
	if [ -n "$DISK" ]; then
		[ -r "$DISK" ] || die "DISK=$DISK: no such file"
		return 0
	fi
	CHECK_UDEBS=$(opt CHECK_UDEBS 1)
	[ "$SUITE" = bookworm ] ||
		die "SUITE=$SUITE: METHOD=qemu uses debian-installer-12-netboot-amd64, which installs bookworm only"
	case $MIRROR in
	http://* | https://*) ;;
	*) die "MIRROR=$MIRROR: the installer needs an http:// or https:// mirror" ;;
	esac
	if [ -z "$PLAN" ] && { [ ! -r "$DI_DIR/linux" ] || [ ! -r "$DI_DIR/initrd.gz" ]; }; then
		die "no installer in $DI_DIR (run 'make deps-qemu' as root: debian-installer-12-netboot-amd64)"
	fi
}

# check_udebs: the installer downloads most of itself (udebs) from MIRROR;
# a mirror without them stops it at a question minutes later, so probe one
# that every install fetches, now.
check_udebs() {
	[ "$CHECK_UDEBS" != 0 ] || return 0
	local idx="$MIRROR/dists/$SUITE/main/debian-installer/binary-amd64/Packages.xz"
	local tmp file why
	tmp=$(mktemp -d)
	if ! /usr/lib/apt/apt-helper -o Acquire::Retries=0 download-file "$idx" \
		"$tmp/Packages.xz" >"$tmp/out" 2>&1; then
		rm -rf "$tmp"
		die "MIRROR=$MIRROR: has no installer components for $SUITE (no main/debian-installer/binary-amd64/Packages.xz); METHOD=qemu needs a full mirror"
	fi
	file=$(xz -dc "$tmp/Packages.xz" | awk '/^Package: apt-mirror-setup$/ { p = 1 }
		p && /^Filename: / { print $2; p = 0 }')
	if [ -z "$file" ] || ! /usr/lib/apt/apt-helper -o Acquire::Retries=0 \
		download-file "$MIRROR/$file" "$tmp/udeb" >"$tmp/out" 2>&1; then
		why=$(sed -n 's/^  *\([^ ].*\)$/\1/p' "$tmp/out" | sed -n 1p | sed 's/ *\[IP: [^]]*\]//' | tr -s ' ')
		rm -rf "$tmp"
		die "MIRROR=$MIRROR: lists installer components but does not serve them (${file:-apt-mirror-setup}: ${why:-missing}); METHOD=qemu needs a full mirror (CHECK_UDEBS=0 skips this probe)"
	fi
	rm -rf "$tmp"
}

plan_qemu() {
	echo "plan: $DISTRO $SUITE ($VARIANT) by debian-installer in QEMU (TCG), then colinux-img convert"
	echo "outputs: $OUT/$NAME.img ($SIZE ext4), $OUT/$NAME-swap.img ($SWAP), $OUT/$NAME.conf"
	if [ -n "$DISK" ]; then
		echo "disk: $DISK (given: no install)"
		return 0
	fi
	local tmp
	tmp=$(mktemp -d)
	write_preseed "$tmp/preseed.cfg"
	if ! debconf-set-selections --checkonly "$tmp/preseed.cfg" >"$tmp/err" 2>&1; then
		cat "$tmp/err" >&2
		rm -rf "$tmp"
		die "preseed: debconf-set-selections --checkonly rejects it"
	fi
	echo "preseed (checked by debconf-set-selections):"
	sed 's/^/  /' "$tmp/preseed.cfg"
	rm -rf "$tmp"
}

# url_part URL host|dir|proto
url_part() {
	local rest=${1#*://}
	case $2 in
	proto) echo "${1%%://*}" ;;
	host) echo "${rest%%/*}" ;;
	dir) case $rest in */*) echo "/${rest#*/}" ;; *) echo / ;; esac ;;
	esac
}

# write_preseed FILE: the template with this build's answers.
write_preseed() {
	local di_locale=$LOCALE tasks= services="security, updates"
	local sec_host sec_dir pkgs="openssh-server sudo systemd-resolved"
	case $LOCALE in C | POSIX | C.*) di_locale=en_US.UTF-8 ;; esac
	[ "$VARIANT" = minimal ] || tasks=standard
	if [ "$SECURITY_MIRROR" = none ]; then
		services=updates sec_host=$(url_part "$MIRROR" host) sec_dir=/
	else
		sec_host=$(url_part "$SECURITY_MIRROR" host)
		sec_dir=$(url_part "$SECURITY_MIRROR" dir)
	fi
	sed -e "s|@DI_LOCALE@|$di_locale|g" \
		-e "s|@HOSTNAME@|$HOSTNAME|g" \
		-e "s|@MIRROR_PROTOCOL@|$(url_part "$MIRROR" proto)|g" \
		-e "s|@MIRROR_HOST@|$(url_part "$MIRROR" host)|g" \
		-e "s|@MIRROR_DIR@|$(url_part "$MIRROR" dir)|g" \
		-e "s|@SUITE@|$SUITE|g" \
		-e "s|@APT_SERVICES@|$services|g" \
		-e "s|@SECURITY_HOST@|$sec_host|g" \
		-e "s|@SECURITY_DIR@|$sec_dir|g" \
		-e "s|@GUEST_USER@|$GUEST_USER|g" \
		-e "s|@PWHASH@|${PWHASH:-!}|g" \
		-e "s|@TIMEZONE@|$TIMEZONE|g" \
		-e "s|@TASKS@|$tasks|g" \
		-e "s|@PACKAGES@|$(echo $pkgs $PACKAGES)|g" \
		"$RECIPES/qemu/preseed.cfg.in" >"$1"
	! grep -n '@[A-Z_]*@' "$1" >&2 || die "preseed: unfilled fields in $1"
}

# check_preseed FILE: debconf's own syntax check of every line.
check_preseed() {
	run debconf-set-selections --checkonly "$1" ||
		die "preseed: debconf-set-selections --checkonly rejects $1"
}

# The settings late.sh hands to customize.sh inside the installed system.
write_late_settings() {
	{
		printf 'IMG_HOSTNAME=%q\n' "$HOSTNAME"
		printf 'IMG_USER=%q\n' "$GUEST_USER"
		printf 'IMG_PWHASH=%q\n' "$PWHASH"
		printf 'IMG_SSH_KEY=%q\n' "$SSH_KEY_TEXT"
		printf 'IMG_LOCALE=%q\n' "$LOCALE"
		printf 'IMG_TIMEZONE=%q\n' "$TIMEZONE"
		printf 'IMG_SWAP=%q\n' "$([ "$swap" -gt 0 ] && echo yes || echo no)"
		printf 'IMG_SOURCES=%q\n' "$(sources_list)"
	} >"$1"
}

# make_initrd OUT: the installer's initrd plus a gzip'd newc cpio holding
# /preseed.cfg (read by initrd-preseed at startup) and /colinux (late.sh,
# customize.sh and its files, the settings).
make_initrd() {
	local tree="$WORKDIR/initrd-extra"
	mkdir -p "$tree/colinux/rootfs"
	cp "$WORKDIR/preseed.cfg" "$tree/preseed.cfg"
	cp "$RECIPES/qemu/late.sh" "$tree/colinux/late.sh"
	cp "$RECIPES/rootfs/customize.sh" "$RECIPES/rootfs/firstboot" \
		"$RECIPES/rootfs/colinux-firstboot.service" "$RECIPES/rootfs/seed" \
		"$RECIPES/rootfs/colinux-seed.service" "$tree/colinux/rootfs/"
	write_late_settings "$tree/colinux/settings"
	cp "$DI_DIR/initrd.gz" "$1"
	(cd "$tree" && find . | LC_ALL=C sort | cpio --quiet -o -H newc --owner=0:0 |
		gzip -9n) >>"$1"
}

stage_preseed() {
	stage 2 preseed "answers for debian-installer, checked by debconf-set-selections"
	write_preseed "$WORKDIR/preseed.cfg"
	check_preseed "$WORKDIR/preseed.cfg"
	make_initrd "$WORKDIR/initrd.gz"
	say "      initrd with preseed: $(human_size "$(stat -c %s "$WORKDIR/initrd.gz")")"
}

# The last line of the serial console worth showing: no escapes, no status
# bar of the installer's screen session, no blanks.
last_console_line() {
	tail -c 8192 "$1" 2>/dev/null | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r/\n/g' |
		tr -cd '\n[:print:]' |
		sed -E -e 's/\[[^][]*\]\[ [A-Z][a-z]{2} [0-9 ]+[0-9:]+ \]//g' \
			-e 's/^[[:space:]]*//' -e 's/[[:space:]]+/ /g' -e '/^.{0,3}$/d' |
		tail -n 1 | cut -c1-72
}

# start_syslog_receiver FILE: receive the installer's syslog (its syslogd
# sends to the host through QEMU's user network: log_host=10.0.2.2) into
# FILE; sets SYSLOG_PORT and SYSLOG_PID.  Perl is always there (perl-base).
start_syslog_receiver() {
	local portfile="$WORKDIR/syslog.port"
	perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
			Proto => "udp") or die "udp socket: $!\n";
		open(my $p, ">", $ARGV[0]) or die; print $p $s->sockport, "\n"; close $p;
		$| = 1;
		while (defined $s->recv(my $m, 65535)) { $m =~ s/\n?$/\n/; print $m }
	' "$portfile" >"$1" 2>>"$LOG" &
	SYSLOG_PID=$!
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -s "$portfile" ] && break
		sleep 0.2
	done
	SYSLOG_PORT=$(cat "$portfile" 2>/dev/null) || die "could not start the syslog receiver"
}

# The question the installer is stuck on (text frontend): its title, a line
# of dashes, its text, then the choices and the prompt.
pending_question() {
	sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$1" | tr -cd '\n[:print:]' |
		sed -E 's/\[[^][]*\]\[ [A-Z][a-z]{2} [0-9 ]+[0-9:]+ \]//g' |
		awk '{ l[NR] = $0 } /^-+$/ { d = NR }
		END {
			if (!d) exit
			t = l[d - 1] ":"
			for (i = d + 1; i <= NR; i++)
				if (l[i] !~ /^Prompt: / && l[i] !~ /^ *[0-9]+: /) t = t " " l[i]
			gsub(/  +/, " ", t); print substr(t, 1, 240)
		}'
}

stage_install() {
	stage 3 install "debian-installer in QEMU (TCG, ${QEMU_MEM}M, $QEMU_SMP CPUs): slow, up to ${INSTALL_TIMEOUT}s"
	QCOW="$WORKDIR/disk.qcow2"
	SERIAL="$OUT/$NAME-install.log"
	run qemu-img create -f qcow2 "$QCOW" "$SIZE" || die "qemu-img create failed"
	: >"$SERIAL"
	SYSLOG="$OUT/$NAME-installer-syslog.log"
	start_syslog_receiver "$SYSLOG"
	say "      serial console log: $SERIAL; installer syslog: $SYSLOG"
	qemu-system-x86_64 -accel tcg -machine q35 -cpu max -m "$QEMU_MEM" \
		-smp "$QEMU_SMP" -display none -no-reboot -monitor none \
		-serial "file:$SERIAL" \
		-kernel "$DI_DIR/linux" -initrd "$WORKDIR/initrd.gz" \
		-append "auto=true priority=critical console=ttyS0,115200n8 DEBIAN_FRONTEND=text hostname=$HOSTNAME domain= log_host=10.0.2.2 log_port=$SYSLOG_PORT ---" \
		-drive "file=$QCOW,if=virtio,format=qcow2,cache=unsafe" \
		-netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
		>>"$LOG" 2>&1 &
	QEMU_PID=$!
	local start=$SECONDS elapsed last=
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		sleep 5
		elapsed=$((SECONDS - start))
		# At priority critical any question means an answer is missing
		# or a step failed: nobody will answer it.
		if grep -aq "^Prompt: '?' for help" "$SERIAL"; then
			die "the installer stopped at a question: $(pending_question "$SERIAL") (logs: $SERIAL, $SYSLOG)"
		fi
		if [ "$elapsed" -ge "$INSTALL_TIMEOUT" ]; then
			die "the installer did not finish within INSTALL_TIMEOUT=${INSTALL_TIMEOUT}s (serial log: $SERIAL)"
		fi
		if [ $((elapsed % 60)) -lt 5 ]; then
			last=$(last_console_line "$SERIAL")
			say "      $((elapsed / 60))m: ${last:-...}"
		fi
	done
	wait "$QEMU_PID" || die "qemu-system-x86_64 failed (log: $LOG)"
	QEMU_PID=
	kill "$SYSLOG_PID" 2>/dev/null || true
	SYSLOG_PID=
	say "      installed in $(((SECONDS - start) / 60))m$(((SECONDS - start) % 60))s"
	DISK=$QCOW
}

stage_convert() {
	stage 4 convert "colinux-img convert $(basename "$DISK") (root partition → cobd image)"
	local tmp
	part tmp "$IMG"
	run "$COLINUX_IMG" convert "$DISK" "$tmp" --force ||
		die "colinux-img convert failed (log: $LOG)"
	run "$COLINUX_IMG" resize "$tmp" "$SIZE" ||
		die "colinux-img resize to SIZE=$SIZE failed (log: $LOG)"
	local status="$WORKDIR/status" manifest
	part manifest "$MANIFEST"
	debugfs -R "cat /var/lib/dpkg/status" "$tmp" 2>/dev/null >"$status" || true
	awk '/^Package: / { p = $2 } /^Version: / { v = $2 }
		/^Status: .* installed$/ { ok = 1 }
		/^$/ { if (ok) print p "\t" v; ok = 0 }
		END { if (ok) print p "\t" v }' "$status" | sort >"$manifest"

}

qemu_build() {
	QEMU_PID=
	if [ -z "$DISK" ]; then
		stage_preseed
		stage_install
	else
		stage 2 preseed "skipped: DISK=$DISK given"
		stage 3 install "skipped: DISK=$DISK given"
	fi
	stage_convert
	stage_swap 5
	stage_verify 6
	stage_finish 7
}
