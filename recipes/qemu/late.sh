#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# recipes/qemu/late.sh --- the installer's preseed/late_command: configure the
# installed system (/target) for coLinux with the same customize.sh as the
# mmdebstrap recipe, run inside the target.  Settings in /colinux/settings.
set -e
log=/var/log/colinux-late.log
mkdir -p /target/tmp/colinux
cp -r /colinux/. /target/tmp/colinux/
rc=0
chroot /target /bin/bash -c 'set -a; . /tmp/colinux/settings; set +a
	IMG_RECIPES=/tmp/colinux exec /tmp/colinux/rootfs/customize.sh /' \
	>"$log" 2>&1 || rc=$?
logger -t colinux <"$log"
sed 's/^/colinux-late: /' "$log" >/dev/console 2>&1 || true
rm -rf /target/tmp/colinux
exit "$rc"
