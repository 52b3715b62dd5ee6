/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conet.h --- ethN=: a virtio-net device on one of three back ends
 * (memo D.1, D.2; conet-backend.h):
 *   ethN=slirp[,MAC][,FORWARDS][,OPTIONS]  libslirp
 *   ethN=tuntap[,IFNAME][,MAC]             a tap from /dev/net/tun
 *   ethN=pcap-bridge,IFNAME[,MAC]          AF_PACKET on a host interface
 */
#ifndef CO_CONET_H
#define CO_CONET_H

#include <co/cfg.h>
#include <co/err.h>

#include "dev.h"

/*
 * Create eth@unit from @net and add it to @s: for slirp the network
 * 10.0.2.0/24 (guest 10.0.2.15 by DHCP, gateway 10.0.2.2, DNS 10.0.2.3) with
 * its forwards listening (on 127.0.0.1 unless bind= says otherwise); for
 * tuntap the tap IFNAME (created if absent, the kernel names it when IFNAME
 * is not given); for pcap-bridge a packet socket on IFNAME, which must
 * exist and be up.
 * Without a MAC in @net the address comes from @seed (co_vnet_mac).  0, or
 * -errno with one line in @err naming "ethN" and the reason.
 */
int co_conet_create(struct co_devs *s, unsigned int unit,
		    const struct co_cfg_net *net, const char *seed,
		    struct co_err *err);
/*
 * Every ethN of @cfg, added to @s (the MACs' seed is cobd0's path, else the
 * kernel's): 0, or the first error as co_conet_create's.
 */
int co_conet_create_all(struct co_devs *s, const struct co_cfg *cfg,
			struct co_err *err);

#endif
