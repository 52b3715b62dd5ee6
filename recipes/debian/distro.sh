# SPDX-License-Identifier: GPL-2.0
# recipes/debian/distro.sh --- what DISTRO=debian means (sourced by image.sh).

DISTRO_SUITE=bookworm
DISTRO_MIRROR=http://deb.debian.org/debian
DISTRO_SECURITY_MIRROR=http://deb.debian.org/debian-security
DISTRO_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
DISTRO_KEYRING_HINT="install Debian's debian-archive-keyring package"
DISTRO_COMPONENTS=main
# Suites without -updates and -security companions.
DISTRO_ROLLING="sid unstable experimental"
