# SPDX-License-Identifier: GPL-2.0
# tests/vm/lib.sh --- paths shared by the host-VM harness scripts (sourced).
#
# The "host" in these tests is a QEMU VM booting Debian's own kernel, the
# same version as the linux-headers package the module is built against.
# Everything downloaded or built lives under $O/vm; the .deb is cached there
# so that reruns need no network.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
O=${O:-build}
case $O in /*) ;; *) O=$TOP/$O ;; esac
VM_DIR=$O/vm

# The kernel release of the installed Debian headers (e.g. 6.1.0-56-amd64):
# the module is built for it and the VM boots the image of the same release.
vm_kver() {
	local k
	k=$(ls /usr/src 2>/dev/null |
		sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | sort -V | tail -n 1)
	[ -n "$k" ] || {
		echo "error: no linux-headers-*-amd64 installed" \
			"(make deps-driver installs it)" >&2
		return 1
	}
	echo "$k"
}
