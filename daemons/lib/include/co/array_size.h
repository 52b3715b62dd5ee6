/* SPDX-License-Identifier: GPL-2.0 */
/* array_size.h --- the number of elements of an array (as the kernel's). */
#ifndef CO_ARRAY_SIZE_H
#define CO_ARRAY_SIZE_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
