/* SPDX-License-Identifier: GPL-2.0 */
/* size.h --- sizes as users write them ("4G", "512M", "1.5GiB", "4096"). */
#ifndef CO_IMG_SIZE_H
#define CO_IMG_SIZE_H

#include <stddef.h>
#include <stdint.h>

#define MiB (1024ULL * 1024)

/*
 * Parse @s into bytes.  A plain number is bytes; the suffixes K, M, G, T, P
 * (optionally followed by "iB" or "B") are powers of 1024, as in qemu-img and
 * mke2fs.  Returns 0, -EINVAL for text that is not a size, or -ERANGE for a
 * size that does not fit in 64 bits.
 */
int co_size_parse(const char *s, uint64_t *bytes);

/* Write @bytes in the largest unit that keeps one decimal: "1.5 GiB". */
void co_size_format(uint64_t bytes, char *buf, size_t len);

#endif
