// SPDX-License-Identifier: GPL-2.0
/*
 * p9.c --- the 9P2000.L codec of cofs (p9.h).  Every read goes through
 * get(), which checks it against the message's size; the first failure
 * sticks in r->err and later reads return zeros.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "p9.h"

struct rd {
	const uint8_t *p;
	size_t len, pos;
	int err;
};

static const uint8_t *get(struct rd *r, size_t n)
{
	const uint8_t *q;

	if (r->err || n > r->len - r->pos) {
		if (!r->err)
			r->err = -EBADMSG;
		return NULL;
	}
	q = r->p + r->pos;
	r->pos += n;
	return q;
}

static uint8_t get8(struct rd *r)
{
	const uint8_t *q = get(r, 1);

	return q ? q[0] : 0;
}

static uint16_t get16(struct rd *r)
{
	const uint8_t *q = get(r, 2);
	uint16_t v = 0;

	if (q)
		memcpy(&v, q, 2);
	return le16toh(v);
}

static uint32_t get32(struct rd *r)
{
	const uint8_t *q = get(r, 4);
	uint32_t v = 0;

	if (q)
		memcpy(&v, q, 4);
	return le32toh(v);
}

static uint64_t get64(struct rd *r)
{
	const uint8_t *q = get(r, 8);
	uint64_t v = 0;

	if (q)
		memcpy(&v, q, 8);
	return le64toh(v);
}

/* A string of at most @max bytes without NUL into @dst (@max + 1 bytes). */
static void getstr(struct rd *r, char *dst, size_t max)
{
	uint16_t n = get16(r);
	const uint8_t *q = get(r, n);

	dst[0] = '\0';
	if (!q)
		return;
	if (n > max) {
		r->err = -ENAMETOOLONG;
		return;
	}
	if (memchr(q, '\0', n)) {
		r->err = -EINVAL;
		return;
	}
	memcpy(dst, q, n);
	dst[n] = '\0';
}

static void parse_walk(struct rd *d, struct co_p9_req *r)
{
	r->fid = get32(d);
	r->fid2 = get32(d);
	r->nwname = get16(d);
	if (r->nwname > CO_P9_MAXWELEM) {
		if (!d->err)
			d->err = -E2BIG;
		return;
	}
	for (unsigned int i = 0; i < r->nwname; i++)
		getstr(d, r->wname[i], CO_P9_NAME_MAX);
}

static void parse_setattr(struct rd *d, struct co_p9_req *r)
{
	r->fid = get32(d);
	for (int i = 0; i < 4; i++)
		r->u32[i] = get32(d);
	for (int i = 0; i < 5; i++)
		r->u64[i] = get64(d);
}

static void parse_lock(struct rd *d, struct co_p9_req *r)
{
	r->fid = get32(d);
	r->u8 = get8(d);
	if (r->type == P9_TLOCK)
		r->u32[0] = get32(d);
	r->u64[0] = get64(d);
	r->u64[1] = get64(d);
	r->u32[1] = get32(d);
	getstr(d, r->str, CO_P9_STR_MAX);
}

static void parse_write(struct rd *d, struct co_p9_req *r)
{
	r->fid = get32(d);
	r->u64[0] = get64(d);
	r->u32[0] = get32(d);
	r->data = get(d, r->u32[0]);
}

/* The fields of the types that are a fid and a few numbers or a name. */
static void parse_simple(struct rd *d, struct co_p9_req *r)
{
	switch (r->type) {
	case P9_TVERSION:
		r->u32[0] = get32(d);
		getstr(d, r->str, CO_P9_STR_MAX);
		break;
	case P9_TFLUSH:
		r->u32[0] = get16(d);
		break;
	case P9_TREAD:
	case P9_TREADDIR:
		r->fid = get32(d);
		r->u64[0] = get64(d);
		r->u32[0] = get32(d);
		break;
	case P9_TLOPEN:
	case P9_TFSYNC:
		r->fid = get32(d);
		r->u32[0] = get32(d);
		break;
	case P9_TGETATTR:
		r->fid = get32(d);
		r->u64[0] = get64(d);
		break;
	case P9_TCLUNK:
	case P9_TREMOVE:
	case P9_TSTATFS:
	case P9_TREADLINK:
		r->fid = get32(d);
		break;
	}
}

static void parse_names(struct rd *d, struct co_p9_req *r)
{
	switch (r->type) {
	case P9_TAUTH:
	case P9_TATTACH:
		r->fid = get32(d);
		if (r->type == P9_TATTACH)
			r->fid2 = get32(d);
		getstr(d, r->str, CO_P9_STR_MAX);
		getstr(d, r->str2, CO_P9_STR_MAX);
		r->u32[0] = get32(d);
		break;
	case P9_TLCREATE:
		r->fid = get32(d);
		getstr(d, r->name, CO_P9_NAME_MAX);
		r->u32[0] = get32(d);
		r->u32[1] = get32(d);
		r->u32[2] = get32(d);
		break;
	case P9_TSYMLINK:
		r->fid = get32(d);
		getstr(d, r->name, CO_P9_NAME_MAX);
		getstr(d, r->str, CO_P9_STR_MAX);
		r->u32[2] = get32(d);
		break;
	case P9_TMKNOD:
		r->fid = get32(d);
		getstr(d, r->name, CO_P9_NAME_MAX);
		r->u32[1] = get32(d);
		r->u32[3] = get32(d);
		r->u32[4] = get32(d);
		r->u32[2] = get32(d);
		break;
	case P9_TRENAME:
	case P9_TLINK:
		r->fid = get32(d);
		r->fid2 = get32(d);
		getstr(d, r->name, CO_P9_NAME_MAX);
		break;
	case P9_TXATTRWALK:
		r->fid = get32(d);
		r->fid2 = get32(d);
		getstr(d, r->str, CO_P9_STR_MAX);
		break;
	case P9_TXATTRCREATE:
		r->fid = get32(d);
		getstr(d, r->str, CO_P9_STR_MAX);
		r->u64[0] = get64(d);
		r->u32[0] = get32(d);
		break;
	case P9_TMKDIR:
		r->fid = get32(d);
		getstr(d, r->name, CO_P9_NAME_MAX);
		r->u32[1] = get32(d);
		r->u32[2] = get32(d);
		break;
	case P9_TRENAMEAT:
		r->fid = get32(d);
		getstr(d, r->name, CO_P9_NAME_MAX);
		r->fid2 = get32(d);
		getstr(d, r->name2, CO_P9_NAME_MAX);
		break;
	case P9_TUNLINKAT:
		r->fid = get32(d);
		getstr(d, r->name, CO_P9_NAME_MAX);
		r->u32[0] = get32(d);
		break;
	default:
		parse_simple(d, r);
	}
}

uint32_t co_p9_size(const uint8_t *buf, size_t len)
{
	uint32_t v;

	if (len < 4)
		return 0;
	memcpy(&v, buf, 4);
	return le32toh(v);
}

int co_p9_parse(const uint8_t *buf, size_t len, struct co_p9_req *r)
{
	uint32_t size = co_p9_size(buf, len);
	struct rd d = { buf, len, 0, 0 };

	r->type = 0;
	r->tag = CO_P9_NOTAG;
	r->data = NULL;
	r->nwname = 0;
	r->name[0] = r->name2[0] = r->str[0] = r->str2[0] = '\0';
	if (len < CO_P9_HDR)
		return -EBADMSG;
	get32(&d);
	r->type = get8(&d);
	r->tag = get16(&d);
	if (size < CO_P9_HDR || size > len)
		return -EBADMSG;
	d.len = size;
	if (r->type == P9_TWALK)
		parse_walk(&d, r);
	else if (r->type == P9_TSETATTR)
		parse_setattr(&d, r);
	else if (r->type == P9_TLOCK || r->type == P9_TGETLOCK)
		parse_lock(&d, r);
	else if (r->type == P9_TWRITE)
		parse_write(&d, r);
	else
		parse_names(&d, r);
	return d.err;
}

static uint8_t *room(struct co_p9_out *o, size_t n)
{
	uint8_t *q;

	if (o->overflow || n > o->cap - o->len) {
		o->overflow = true;
		return NULL;
	}
	q = o->buf + o->len;
	o->len += n;
	return q;
}

void co_p9_set32(uint8_t *at, uint32_t v)
{
	v = htole32(v);
	memcpy(at, &v, 4);
}

uint8_t *co_p9_reserve(struct co_p9_out *o, size_t n)
{
	return room(o, n);
}

void co_p9_put8(struct co_p9_out *o, uint8_t v)
{
	uint8_t *q = room(o, 1);

	if (q)
		*q = v;
}

void co_p9_put16(struct co_p9_out *o, uint16_t v)
{
	uint8_t *q = room(o, 2);

	v = htole16(v);
	if (q)
		memcpy(q, &v, 2);
}

void co_p9_put32(struct co_p9_out *o, uint32_t v)
{
	uint8_t *q = room(o, 4);

	v = htole32(v);
	if (q)
		memcpy(q, &v, 4);
}

void co_p9_put64(struct co_p9_out *o, uint64_t v)
{
	uint8_t *q = room(o, 8);

	v = htole64(v);
	if (q)
		memcpy(q, &v, 8);
}

void co_p9_putstr(struct co_p9_out *o, const char *s, size_t n)
{
	uint8_t *q;

	if (n > 0xffff) {
		o->overflow = true;
		return;
	}
	co_p9_put16(o, (uint16_t)n);
	q = room(o, n);
	if (q)
		memcpy(q, s, n);
}

void co_p9_putqid(struct co_p9_out *o, const struct co_p9_qid *q)
{
	co_p9_put8(o, q->type);
	co_p9_put32(o, q->version);
	co_p9_put64(o, q->path);
}

void co_p9_begin(struct co_p9_out *o, uint8_t *buf, size_t cap, uint8_t type,
		 uint16_t tag)
{
	*o = (struct co_p9_out){ .buf = buf, .cap = cap };
	co_p9_put32(o, 0);
	co_p9_put8(o, type);
	co_p9_put16(o, tag);
}

size_t co_p9_end(struct co_p9_out *o)
{
	uint32_t v = htole32((uint32_t)o->len);

	if (o->overflow)
		return 0;
	memcpy(o->buf, &v, 4);
	return o->len;
}

size_t co_p9_error(uint8_t *buf, size_t cap, uint16_t tag, uint32_t ecode)
{
	struct co_p9_out o;

	co_p9_begin(&o, buf, cap, P9_RLERROR, tag);
	co_p9_put32(&o, ecode);
	return co_p9_end(&o);
}
