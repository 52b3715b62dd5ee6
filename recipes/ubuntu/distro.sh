# SPDX-License-Identifier: GPL-2.0
# recipes/ubuntu/distro.sh --- what DISTRO=ubuntu means (sourced by image.sh).

DISTRO_SUITE=noble
DISTRO_MIRROR=http://archive.ubuntu.com/ubuntu
DISTRO_SECURITY_MIRROR=http://security.ubuntu.com/ubuntu
DISTRO_KEYRING=/usr/share/keyrings/ubuntu-archive-keyring.gpg
# Debian 12 does not package Ubuntu's archive key.
DISTRO_KEYRING_HINT="Debian 12 does not package it: pass KEYRING=FILE, the ubuntu-archive-keyring.gpg of Ubuntu's ubuntu-keyring package"
DISTRO_COMPONENTS="main universe"
DISTRO_ROLLING="devel"
