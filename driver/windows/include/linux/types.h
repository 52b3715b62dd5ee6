/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux/types.h for the Windows builds (MinGW-w64): the fixed-size types of
 * the ABI headers (colinux/ioctl.h, linux/colinux.h), which use Linux's
 * names, and the little- and big-endian names of the virtio headers
 * (linux/virtio_*.h, which the daemon's devices use).  Same sizes and
 * alignment as on Linux: x86_64 on both sides.
 */
#ifndef CO_WIN_LINUX_TYPES_H
#define CO_WIN_LINUX_TYPES_H

#include <stdint.h>

typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int8_t __s8;
typedef int16_t __s16;
typedef int32_t __s32;
typedef int64_t __s64;

#define __bitwise
typedef __u16 __le16;
typedef __u32 __le32;
typedef __u64 __le64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;

#endif
