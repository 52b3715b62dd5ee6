#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# recipes/rootfs/customize.sh ROOT --- configure a bootstrapped root tree
# for coLinux.  Run by mmdebstrap as a customize hook (ROOT is its chroot),
# settings come from the environment (set by recipes/image.sh):
#
#   IMG_HOSTNAME IMG_USER IMG_PWHASH (crypt hash or empty) IMG_SSH_KEY
#   IMG_LOCALE IMG_TIMEZONE IMG_SWAP (yes/no) IMG_SOURCES (sources.list text)
#   IMG_DESKTOP (none, xfce)
#   IMG_RECIPES (the recipes/ folder) SOURCE_DATE_EPOCH (optional)
#
# Prints "@@stage configure" first so the caller can name this stage.
set -eu -o pipefail

root=${1:?usage: customize.sh ROOT}
echo "@@stage configure"

die() { echo "error: $*" >&2; exit 1; }
in_root() { chroot "$root" "$@"; }
write() { # write PATH MODE: stdin to ROOT/PATH
	mkdir -p "$(dirname "$root$1")"
	cat >"$root$1"
	chmod "$2" "$root$1"
}
enable_unit() { # enable_unit TARGET UNIT [INSTANCE-NAME]
	local dir="$root/etc/systemd/system/$1.wants" unit=$2 name=${3:-$2} src
	for src in /usr/lib/systemd/system /lib/systemd/system /etc/systemd/system; do
		[ -e "$root$src/$unit" ] && break
	done
	[ -e "$root$src/$unit" ] || die "configure: no unit $unit in the image"
	mkdir -p "$dir"
	ln -sfn "$src/$unit" "$dir/$name"
}

config_hostname() {
	echo "configure: hostname $IMG_HOSTNAME"
	printf '%s\n' "$IMG_HOSTNAME" | write /etc/hostname 0644
	write /etc/hosts 0644 <<-EOF
		127.0.0.1	localhost
		127.0.1.1	$IMG_HOSTNAME
		::1		localhost ip6-localhost ip6-loopback
		ff02::1		ip6-allnodes
		ff02::2		ip6-allrouters
	EOF
}

config_fstab() {
	echo "configure: fstab (root /dev/cobd0${IMG_SWAP/yes/, swap /dev/cobd1})"
	{
		echo "# /etc/fstab: coLinux block devices (cobd0 = root image, cobd1 = swap image)"
		printf '%s\t%s\t%s\t%s\t%s %s\n' /dev/cobd0 / ext4 errors=remount-ro 0 1
		[ "$IMG_SWAP" = no ] ||
			printf '%s\t%s\t%s\t%s\t%s %s\n' /dev/cobd1 none swap sw 0 0
	} | write /etc/fstab 0644
}

config_apt() {
	echo "configure: apt sources"
	printf '%s\n' "$IMG_SOURCES" | write /etc/apt/sources.list 0644
	rm -f "$root"/etc/apt/sources.list.d/*.list "$root"/etc/apt/sources.list.d/*.sources
}

# The console is hvc0 (virtio console); the network is eth0 by DHCP
# (slirp by default) through systemd-networkd, DNS through systemd-resolved.
config_console_network() {
	echo "configure: getty on hvc0, DHCP on eth0"
	if [ -f "$root/etc/network/interfaces" ]; then
		write /etc/network/interfaces 0644 <<-EOF
			# eth0 is configured by systemd-networkd
			# (/etc/systemd/network/80-colinux-eth0.network).
			auto lo
			iface lo inet loopback
		EOF
	fi
	enable_unit getty.target serial-getty@.service serial-getty@hvc0.service
	# /dev/disk/by-uuid and by-label for the cobdN disks (udev skips the name).
	write /etc/udev/rules.d/60-colinux-cobd.rules 0644 \
		<"$(dirname "$0")/60-colinux-cobd.rules"
	# coLinux's "mount -t cofs N /mnt" on virtio-9p.
	write /sbin/mount.cofs 0755 <"$(dirname "$0")/mount.cofs"
	write /etc/systemd/network/80-colinux-eth0.network 0644 <<-EOF
		# coLinux: the first network device (eth0=slirp by default) by DHCP.
		[Match]
		Name=eth0

		[Network]
		DHCP=yes
	EOF
	enable_unit multi-user.target systemd-networkd.service
	if [ -e "$root/lib/systemd/system/systemd-resolved.service" ]; then
		enable_unit sysinit.target systemd-resolved.service
		ln -sfn ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
	fi
}

config_locale_time() {
	echo "configure: locale $IMG_LOCALE, timezone $IMG_TIMEZONE"
	[ -f "$root/usr/share/zoneinfo/$IMG_TIMEZONE" ] ||
		die "TIMEZONE=$IMG_TIMEZONE: not in the image's tzdata"
	ln -sfn "/usr/share/zoneinfo/$IMG_TIMEZONE" "$root/etc/localtime"
	printf '%s\n' "$IMG_TIMEZONE" | write /etc/timezone 0644
	case $IMG_LOCALE in
	C | POSIX | C.UTF-8 | C.utf8) ;;
	*)
		local line
		line=$(grep -m 1 -E "^$IMG_LOCALE( |\$)" "$root/usr/share/i18n/SUPPORTED") ||
			die "LOCALE=$IMG_LOCALE: not a supported locale"
		printf '%s\n' "$line" | write /etc/locale.gen 0644
		in_root locale-gen >/dev/null
		;;
	esac
	printf 'LANG=%s\n' "$IMG_LOCALE" | write /etc/default/locale 0644
}

# The password arrives as a crypt hash only, through stdin (never argv).
config_user() {
	local home="/home/$IMG_USER" groups=
	echo "configure: user $IMG_USER"
	for g in sudo adm; do
		grep -q "^$g:" "$root/etc/group" && groups="$groups${groups:+,}$g"
	done
	if grep -q "^$IMG_USER:" "$root/etc/passwd"; then
		# Already made (by debian-installer): just the groups.
		[ -z "$groups" ] || in_root usermod --append --groups "$groups" "$IMG_USER"
	else
		in_root useradd --create-home --shell /bin/bash \
			${groups:+--groups "$groups"} --comment "coLinux user" "$IMG_USER"
	fi
	if [ -n "$IMG_PWHASH" ]; then
		printf '%s:%s\n' "$IMG_USER" "$IMG_PWHASH" | in_root chpasswd --encrypted
	else
		# No password given: sudo without one; and without an SSH key
		# either, an empty password that must be changed at first login.
		printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$IMG_USER" |
			write "/etc/sudoers.d/90-colinux-$IMG_USER" 0440
		if [ -z "$IMG_SSH_KEY" ]; then
			in_root passwd --quiet --delete "$IMG_USER"
			in_root chage --lastday 0 "$IMG_USER"
		fi
	fi
	if [ -n "$IMG_SSH_KEY" ]; then
		echo "configure: SSH key for $IMG_USER"
		mkdir -p "$root$home/.ssh"
		printf '%s\n' "$IMG_SSH_KEY" >"$root$home/.ssh/authorized_keys"
		chmod 0700 "$root$home/.ssh"
		chmod 0600 "$root$home/.ssh/authorized_keys"
		in_root chown -R "$IMG_USER:$IMG_USER" "$home/.ssh"
	fi
}

# A desktop image is reached over SSH (colinux-run: the user's programs,
# X11 forwarded) and RDP: SSH takes keys only, and only members of
# colinux-ssh (the user, whatever firstboot renames it to); xrdp starts the
# desktop session (Xsession picks xfce4-session) for a password login.
config_desktop() {
	[ "${IMG_DESKTOP:-none}" != none ] || return 0
	echo "configure: $IMG_DESKTOP desktop: SSH by key for $IMG_USER only, xrdp, colinux.display="
	grep -q '^colinux-ssh:' "$root/etc/group" || in_root groupadd --system colinux-ssh
	in_root usermod --append --groups colinux-ssh "$IMG_USER"
	write /etc/ssh/sshd_config.d/50-colinux.conf 0644 <<-EOF
		# make image DESKTOP=$IMG_DESKTOP: keys only, for the image's user only.
		AllowGroups colinux-ssh
		PermitRootLogin no
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		X11Forwarding yes
	EOF
	enable_unit multi-user.target xrdp.service # dies when xrdp is missing
	# xrdp runs as the user xrdp: without ssl-cert it cannot read its TLS
	# key (ssl-cert's, made at first boot) and falls back to classic RDP
	# security, which offers no server authentication.
	in_root usermod --append --groups ssl-cert xrdp
	# xrdp runs as its own user and cannot create its log in /var/log,
	# which scrub empties: the package's log file, made at boot.
	echo "f /var/log/xrdp.log 0640 xrdp adm -" |
		write /usr/lib/tmpfiles.d/colinux-xrdp.conf 0644
	# The Windows installer's X server route (colinux.display=).
	write /etc/profile.d/colinux-display.sh 0644 \
		<"$IMG_RECIPES/rootfs/colinux-display.sh"
}

# boot_script NAME: recipes/rootfs/NAME as /usr/lib/colinux/NAME, run at
# boot by its unit colinux-NAME.service, enabled.
boot_script() {
	write "/usr/lib/colinux/$1" 0755 <"$IMG_RECIPES/rootfs/$1"
	write "/etc/systemd/system/colinux-$1.service" 0644 \
		<"$IMG_RECIPES/rootfs/colinux-$1.service"
	enable_unit multi-user.target "colinux-$1.service"
}

# Two images made from one build must not share SSH host keys, TLS or RDP
# keys or a machine-id: drop them here, make them on the first boot.
config_firstboot() {
	echo "configure: first-boot regeneration of SSH host keys, TLS and RDP keys, machine-id"
	boot_script firstboot
	mkdir -p "$root/var/lib/colinux"
	: >"$root/var/lib/colinux/firstboot"
	rm -f "$root"/etc/ssh/ssh_host_*
	rm -f "$root/etc/ssl/private/ssl-cert-snakeoil.key" \
		"$root/etc/ssl/certs/ssl-cert-snakeoil.pem" "$root/etc/xrdp/rsakeys.ini"
	: >"$root/etc/machine-id"
	rm -f "$root/var/lib/dbus/machine-id"
}

# The instance's identity comes from its seed disk at every boot
# (colinux.seed=cobdN, written by make image beside the image): the SSH host
# key the host pinned and colinux-run's key.  Without the parameter the unit
# does nothing.
config_seed() {
	echo "configure: instance seed (SSH host key and colinux-run's key at boot)"
	boot_script seed
}

# Nothing from the build host or the build time stays in the image.
scrub() {
	echo "configure: remove host files, logs and caches"
	rm -f "$root"/etc/.resolv.conf.systemd-resolved.bak
	[ -L "$root/etc/resolv.conf" ] || rm -f "$root/etc/resolv.conf"
	find "$root/var/log" -type f -delete
	rm -rf "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
		"$root"/var/cache/man/* "$root"/root/.bash_history \
		"$root"/etc/passwd- "$root"/etc/group- "$root"/etc/shadow- \
		"$root"/etc/gshadow- "$root"/etc/subuid- "$root"/etc/subgid-
	find "$root/var/cache/apt" -name '*.bin' -delete
	# mmdebstrap's tarball clamps mtimes to SOURCE_DATE_EPOCH; do it here
	# too so the tree itself is clean whatever the output format.
	if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
		find "$root" -xdev \( -path "$root/dev" -o -path "$root/proc" -o \
			-path "$root/sys" -o -path "$root/run" \) -prune -o \
			-newermt "@$SOURCE_DATE_EPOCH" -exec touch --no-dereference \
			--date="@$SOURCE_DATE_EPOCH" {} +
	fi
}

config_hostname
config_fstab
config_apt
config_console_network
config_locale_time
config_user
config_desktop
config_firstboot
config_seed
scrub
echo "configure: done"
