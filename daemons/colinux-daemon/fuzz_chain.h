/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_chain.h --- for the *_fuzz.c targets: a descriptor chain as the
 * guest could give it, from the fuzzer's bytes.
 */
#ifndef CO_FUZZ_CHAIN_H
#define CO_FUZZ_CHAIN_H

#include <stdint.h>
#include <string.h>

#include "virtq.h"

/*
 * Lay @c's nout + nin buffers back to back in @bytes, their lengths the
 * little-endian u16s at @lens modulo @len_mod, and fill them with the @n
 * bytes at @data (zeros after those).
 */
static inline void co_fuzz_chain(struct co_vq_chain *c, const uint8_t *lens,
				 size_t len_mod, uint8_t *bytes,
				 const uint8_t *data, size_t n)
{
	size_t fill = 0;

	c->out_len = c->in_len = 0;
	for (unsigned int i = 0; i < c->nout + c->nin; i++) {
		size_t len = (lens[2 * i] | lens[2 * i + 1] << 8) % len_mod;

		c->iov[i].iov_base = bytes + fill;
		c->iov[i].iov_len = len;
		fill += len;
		if (i < c->nout)
			c->out_len += len;
		else
			c->in_len += len;
	}
	memset(bytes, 0, fill);
	memcpy(bytes, data, n < fill ? n : fill);
}

#endif
