/* SPDX-License-Identifier: GPL-2.0 */
/*
 * p9.h --- the 9P2000.L codec of cofs (pure: no I/O, no logging).
 *
 * co_p9_parse() decodes one T-message from a byte buffer the daemon owns
 * (copied out of guest memory first): every field is read against the
 * message's own size, which must fit the buffer; counts are checked against
 * what follows (Twalk at most CO_P9_MAXWELEM names, Twrite's data inside
 * the message); strings are bounded (a name CO_P9_NAME_MAX bytes, other
 * strings CO_P9_STR_MAX) and may hold no NUL, and are handed out as C
 * strings copied into the request.  Anything else is -EBADMSG (a short or
 * inconsistent message), -ENAMETOOLONG or -EINVAL, and the caller answers
 * Rlerror with that errno.
 *
 * Replies are built into a bounded buffer (struct co_p9_out): a field that
 * does not fit sets "overflow" and co_p9_end() fails, so the caller answers
 * Rlerror instead of a truncated message.
 */
#ifndef CO_P9_H
#define CO_P9_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CO_P9_HDR 7 /* size[4] type[1] tag[2] */
#define CO_P9_IOHDR 11 /* Rread / Rreaddir: header and count[4] */
#define CO_P9_WRITE_HDR 23 /* Twrite: header fid[4] offset[8] count[4] */
#define CO_P9_MAXWELEM 16
#define CO_P9_NAME_MAX 255 /* a directory entry's name */
#define CO_P9_STR_MAX 4095 /* other strings: paths, symlink targets */
#define CO_P9_NOTAG 0xffff
#define CO_P9_NOFID 0xffffffffu

enum {
	P9_TLERROR = 6,
	P9_RLERROR,
	P9_TSTATFS = 8,
	P9_RSTATFS,
	P9_TLOPEN = 12,
	P9_RLOPEN,
	P9_TLCREATE = 14,
	P9_RLCREATE,
	P9_TSYMLINK = 16,
	P9_RSYMLINK,
	P9_TMKNOD = 18,
	P9_RMKNOD,
	P9_TRENAME = 20,
	P9_RRENAME,
	P9_TREADLINK = 22,
	P9_RREADLINK,
	P9_TGETATTR = 24,
	P9_RGETATTR,
	P9_TSETATTR = 26,
	P9_RSETATTR,
	P9_TXATTRWALK = 30,
	P9_RXATTRWALK,
	P9_TXATTRCREATE = 32,
	P9_RXATTRCREATE,
	P9_TREADDIR = 40,
	P9_RREADDIR,
	P9_TFSYNC = 50,
	P9_RFSYNC,
	P9_TLOCK = 52,
	P9_RLOCK,
	P9_TGETLOCK = 54,
	P9_RGETLOCK,
	P9_TLINK = 70,
	P9_RLINK,
	P9_TMKDIR = 72,
	P9_RMKDIR,
	P9_TRENAMEAT = 74,
	P9_RRENAMEAT,
	P9_TUNLINKAT = 76,
	P9_RUNLINKAT,
	P9_TVERSION = 100,
	P9_RVERSION,
	P9_TAUTH = 102,
	P9_RAUTH,
	P9_TATTACH = 104,
	P9_RATTACH,
	P9_TFLUSH = 108,
	P9_RFLUSH,
	P9_TWALK = 110,
	P9_RWALK,
	P9_TOPEN = 112,
	P9_ROPEN,
	P9_TCREATE = 114,
	P9_RCREATE,
	P9_TREAD = 116,
	P9_RREAD,
	P9_TWRITE = 118,
	P9_RWRITE,
	P9_TCLUNK = 120,
	P9_RCLUNK,
	P9_TREMOVE = 122,
	P9_RREMOVE,
	P9_TSTAT = 124,
	P9_RSTAT,
	P9_TWSTAT = 126,
	P9_RWSTAT,
};

/* qid.type */
#define P9_QTDIR 0x80
#define P9_QTSYMLINK 0x02
#define P9_QTFILE 0x00

/* Tsetattr valid */
#define P9_ATTR_MODE (1u << 0)
#define P9_ATTR_UID (1u << 1)
#define P9_ATTR_GID (1u << 2)
#define P9_ATTR_SIZE (1u << 3)
#define P9_ATTR_ATIME (1u << 4)
#define P9_ATTR_MTIME (1u << 5)
#define P9_ATTR_CTIME (1u << 6)
#define P9_ATTR_ATIME_SET (1u << 7)
#define P9_ATTR_MTIME_SET (1u << 8)

/* Rgetattr valid: the basic fields (mode ... blocks) */
#define P9_GETATTR_BASIC 0x7ffull

/* Tunlinkat flags */
#define P9_AT_REMOVEDIR 0x200

/* Tlock type and status */
#define P9_LOCK_TYPE_RDLCK 0
#define P9_LOCK_TYPE_WRLCK 1
#define P9_LOCK_TYPE_UNLCK 2
#define P9_LOCK_SUCCESS 0
#define P9_LOCK_BLOCKED 1

struct co_p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/*
 * A decoded T-message.  Which fields a type fills:
 *   Tversion     msize=u32[0], str = version
 *   Tauth        fid=afid, str = uname, str2 = aname
 *   Tattach      fid, fid2=afid, str = uname, str2 = aname, u32[0]=n_uname
 *   Tflush       u32[0] = oldtag
 *   Twalk        fid, fid2=newfid, nwname, wname[]
 *   Tread, Treaddir  fid, u64[0]=offset, u32[0]=count
 *   Twrite       fid, u64[0]=offset, u32[0]=count, data
 *   Tclunk, Tremove, Tstatfs, Treadlink  fid
 *   Tlopen       fid, u32[0]=flags
 *   Tlcreate     fid, name, u32[0]=flags, u32[1]=mode, u32[2]=gid
 *   Tsymlink     fid, name, str = target, u32[2]=gid
 *   Tmknod       fid, name, u32[1]=mode, u32[3]=major, u32[4]=minor,
 *                u32[2]=gid
 *   Trename      fid, fid2=dfid, name
 *   Tgetattr     fid, u64[0]=request_mask
 *   Tsetattr     fid, u32[0]=valid, u32[1]=mode, u32[2]=uid, u32[3]=gid,
 *                u64[0]=size, u64[1..4]=atime sec, nsec, mtime sec, nsec
 *   Txattrwalk   fid, fid2=newfid, str = name
 *   Txattrcreate fid, str = name, u64[0]=attr_size, u32[0]=flags
 *   Tfsync       fid, u32[0]=datasync
 *   Tlock        fid, u8=type, u32[0]=flags, u64[0]=start, u64[1]=length,
 *                u32[1]=proc_id, str = client_id
 *   Tgetlock     fid, u8=type, u64[0]=start, u64[1]=length, u32[1]=proc_id,
 *                str = client_id
 *   Tlink        fid=dfid, fid2=fid, name
 *   Tmkdir       fid=dfid, name, u32[1]=mode, u32[2]=gid
 *   Trenameat    fid=olddirfid, name=oldname, fid2=newdirfid, name2=newname
 *   Tunlinkat    fid=dirfid, name, u32[0]=flags
 * Other types parse as the header only (the server refuses them).
 */
struct co_p9_req {
	uint8_t type;
	uint16_t tag;
	uint32_t fid, fid2;
	uint8_t u8;
	uint32_t u32[5];
	uint64_t u64[5];
	uint16_t nwname;
	const uint8_t *data; /* Twrite: u32[0] bytes inside the buffer */
	char name[CO_P9_NAME_MAX + 1], name2[CO_P9_NAME_MAX + 1];
	char str[CO_P9_STR_MAX + 1], str2[CO_P9_STR_MAX + 1];
	char wname[CO_P9_MAXWELEM][CO_P9_NAME_MAX + 1];
};

/*
 * Decode the T-message at @buf (@len bytes available; the message's size
 * field must be 7..@len).  0, or -errno; r->type and r->tag are set whenever
 * @len >= 7, so an error can be answered.
 */
int co_p9_parse(const uint8_t *buf, size_t len, struct co_p9_req *r);

/* The message size in the first 4 bytes of @buf (@len >= 4), else 0. */
uint32_t co_p9_size(const uint8_t *buf, size_t len);

struct co_p9_out {
	uint8_t *buf;
	size_t cap, len;
	bool overflow;
};

/* Start R-message @type for @tag in @o (the header; size comes at the end). */
void co_p9_begin(struct co_p9_out *o, uint8_t *buf, size_t cap, uint8_t type,
		 uint16_t tag);
void co_p9_put8(struct co_p9_out *o, uint8_t v);
void co_p9_put16(struct co_p9_out *o, uint16_t v);
void co_p9_put32(struct co_p9_out *o, uint32_t v);
void co_p9_put64(struct co_p9_out *o, uint64_t v);
void co_p9_putstr(struct co_p9_out *o, const char *s, size_t n);
void co_p9_putqid(struct co_p9_out *o, const struct co_p9_qid *q);
/* Room for @n raw bytes at the end: a pointer to fill, or NULL (overflow). */
uint8_t *co_p9_reserve(struct co_p9_out *o, size_t n);
/* Fill a count field reserved earlier at @at. */
void co_p9_set32(uint8_t *at, uint32_t v);
/* Write the size field: the message length, or 0 after an overflow. */
size_t co_p9_end(struct co_p9_out *o);
/* Rlerror(@ecode) for @tag into @buf; its length (11), or 0 if @cap < 11. */
size_t co_p9_error(uint8_t *buf, size_t cap, uint16_t tag, uint32_t ecode);

#endif
