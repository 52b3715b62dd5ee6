// SPDX-License-Identifier: GPL-2.0
/*
 * cfg.c --- parse coLinux configuration tokens (pure: no I/O but through the
 * caller's reader, no logging, no globals).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <co/array_size.h>
#include <co/cfg.h>

/* An @file may include others, but not forever. */
#define MAX_DEPTH 8

struct parse {
	struct co_cfg *cfg;
	co_cfg_reader reader;
	void *ctx;
	struct co_err *err;
	int depth;
};

void co_cfg_init(struct co_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

static void free_net(struct co_cfg_net *net)
{
	free(net->ifname);
	free(net->bind);
	memset(net, 0, sizeof(*net));
}

static void free_exec(struct co_cfg_exec *ex)
{
	if (ex->argv)
		for (char **a = ex->argv; *a; a++)
			free(*a);
	free(ex->argv);
	ex->argv = NULL;
}

void co_cfg_free(struct co_cfg *cfg)
{
	int i;

	free(cfg->kernel);
	free(cfg->initrd);
	for (i = 0; i < CO_CFG_MAX_COBD; i++)
		free(cfg->cobd[i]);
	for (i = 0; i < CO_CFG_MAX_COFS; i++)
		free(cfg->cofs[i]);
	for (i = 0; i < CO_CFG_MAX_ETH; i++)
		free_net(&cfg->eth[i]);
	for (i = 0; i < CO_CFG_MAX_EXEC; i++)
		free_exec(&cfg->exec[i]);
	co_cfg_init(cfg);
}

/* A copy of @s without its double quotes ("a b" -> a b). */
static char *unquote(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '"')
			*o++ = s[i];
	*o = '\0';
	return out;
}

/* Replace *@slot with an unquoted copy of @value: later values win. */
static int set_string(struct parse *p, const char *where, const char *key,
		      char **slot, const char *value)
{
	char *copy;

	if (!*value)
		return co_fail(p->err, -EINVAL, "%s: %s: empty value", where,
			       key);
	copy = unquote(value, strlen(value));
	if (!copy)
		return co_fail(p->err, -ENOMEM, "%s: %s: out of memory", where,
			       key);
	free(*slot);
	*slot = copy;
	return 0;
}

static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6 ||
	    strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	/* A multicast address cannot be a network card's. */
	return mac[0] & 1 ? -EINVAL : 0;
}

/* "tcp:2222:22[:count]" joined by '/'. */
static int parse_redirs(struct parse *p, const char *where, const char *key,
			struct co_cfg_net *net, char *list)
{
	char *save = NULL, *item;

	for (item = strtok_r(list, "/", &save); item;
	     item = strtok_r(NULL, "/", &save)) {
		uint32_t host, guest, count = 1;
		char proto[4], rest[64];
		int n;

		n = sscanf(item, "%3[a-z]:%u:%u%63s", proto, &host, &guest,
			   rest);
		if (n == 4 && (sscanf(rest, ":%u", &count) != 1 || !count))
			n = 0;
		if (n < 3 || (strcmp(proto, "tcp") && strcmp(proto, "udp")) ||
		    !host || !guest || host + count - 1 > 65535 ||
		    guest + count - 1 > 65535)
			return co_fail(
				p->err, -EINVAL,
				"%s: %s: bad port forward '%s' (expected tcp|udp:HOSTPORT:GUESTPORT[:COUNT])",
				where, key, item);
		for (uint32_t i = 0; i < count; i++) {
			if (net->nredirs == CO_CFG_MAX_REDIRS)
				return co_fail(
					p->err, -EINVAL,
					"%s: %s: more than %d port forwards",
					where, key, CO_CFG_MAX_REDIRS);
			net->redir[net->nredirs++] = (struct co_cfg_redir){
				.udp = !strcmp(proto, "udp"),
				.host_port = (uint16_t)(host + i),
				.guest_port = (uint16_t)(guest + i),
			};
		}
	}
	return 0;
}

/* slirp options: "restrict" and "bind=ADDR" joined by '/'. */
static int parse_slirp_opts(struct parse *p, const char *where, const char *key,
			    struct co_cfg_net *net, char *list)
{
	char *save = NULL, *item;

	for (item = strtok_r(list, "/", &save); item;
	     item = strtok_r(NULL, "/", &save)) {
		if (!strcmp(item, "restrict")) {
			net->restricted = true;
		} else if (!strncmp(item, "bind=", 5) && item[5]) {
			free(net->bind);
			net->bind = strdup(item + 5);
			if (!net->bind)
				return co_fail(p->err, -ENOMEM,
					       "%s: %s: out of memory", where,
					       key);
		} else {
			return co_fail(
				p->err, -EINVAL,
				"%s: %s: unknown slirp option '%s' (restrict, bind=ADDR)",
				where, key, item);
		}
	}
	return 0;
}

/* Split @value at commas outside double quotes, unquoting each field. */
static int split_fields(char *value, char *field[], int max)
{
	int n = 0;
	bool quoted = false;
	char *start = value, *c;

	for (c = value;; c++) {
		if (*c == '"')
			quoted = !quoted;
		if ((*c == ',' && !quoted) || !*c) {
			bool end = !*c;
			char *w = start;

			if (n == max)
				return -E2BIG;
			*c = '\0';
			for (char *r = start; *r; r++)
				if (*r != '"')
					*w++ = *r;
			*w = '\0';
			field[n++] = start;
			if (end)
				return n;
			start = c + 1;
		}
	}
}

static int parse_net(struct parse *p, const char *where, const char *key,
		     struct co_cfg_net *net, const char *value)
{
	static const struct {
		const char *name;
		enum co_net_type type;
	} types[] = {
		{ "slirp", CO_NET_SLIRP },
		{ "tuntap", CO_NET_TAP },
		{ "pcap-bridge", CO_NET_PCAP },
	};
	char copy[1024], *field[4];
	int n, ret;
	size_t t;

	if (strlen(value) >= sizeof(copy))
		return co_fail(p->err, -EINVAL, "%s: %s: value too long", where,
			       key);
	strcpy(copy, value);
	n = split_fields(copy, field, 4);
	if (n < 0)
		return co_fail(p->err, -EINVAL,
			       "%s: %s: too many fields in '%s'", where, key,
			       value);
	free_net(net);
	for (t = 0; t < ARRAY_SIZE(types); t++)
		if (!strcmp(field[0], types[t].name))
			net->type = types[t].type;
	if (net->type == CO_NET_NONE)
		return co_fail(
			p->err, -EINVAL,
			"%s: %s: unknown network type '%s' (slirp, tuntap or pcap-bridge)",
			where, key, field[0]);
	/* slirp[,MAC][,redirs]; tuntap|pcap-bridge[,ifname][,MAC][,extra] */
	if (net->type != CO_NET_SLIRP && n > 1 && *field[1]) {
		net->ifname = strdup(field[1]);
		if (!net->ifname)
			return co_fail(p->err, -ENOMEM, "%s: %s: out of memory",
				       where, key);
	}
	{
		int mac_field = net->type == CO_NET_SLIRP ? 1 : 2;

		if (n > mac_field && *field[mac_field]) {
			if (parse_mac(field[mac_field], net->mac))
				return co_fail(
					p->err, -EINVAL,
					"%s: %s: '%s' is not a unicast MAC address (like 02:00:00:00:00:01)",
					where, key, field[mac_field]);
			net->mac_set = true;
		}
	}
	if (net->type == CO_NET_SLIRP && n > 2 && *field[2]) {
		ret = parse_redirs(p, where, key, net, field[2]);
		if (ret)
			return ret;
	}
	if (net->type == CO_NET_SLIRP && n > 3 && *field[3])
		return parse_slirp_opts(p, where, key, net, field[3]);
	return 0;
}

/* cobdN=PATH[,ro][,unsafe]; a path with a comma is quoted. */
static int parse_cobd(struct parse *p, const char *where, const char *key,
		      int idx, const char *value)
{
	char copy[4096], *field[3];
	unsigned int flags = 0;
	int n, i;

	if (strlen(value) >= sizeof(copy))
		return co_fail(p->err, -EINVAL, "%s: %s: value too long", where,
			       key);
	strcpy(copy, value);
	n = split_fields(copy, field, 3);
	for (i = 1; i < n; i++) {
		if (!strcmp(field[i], "ro"))
			flags |= CO_COBD_RO;
		else if (!strcmp(field[i], "unsafe"))
			flags |= CO_COBD_UNSAFE;
		else
			break;
	}
	if (n < 1 || i < n)
		return co_fail(
			p->err, -EINVAL,
			"%s: %s: '%s' is not PATH[,ro][,unsafe] (quote a path with a comma)",
			where, key, value);
	p->cfg->cobd_flags[idx] = flags;
	return set_string(p, where, key, &p->cfg->cobd[idx], field[0]);
}

/* cofsN=DIR[,ro]; a directory with a comma is quoted. */
static int parse_cofs(struct parse *p, const char *where, const char *key,
		      int idx, const char *value)
{
	char copy[4096], *field[2];
	int n;

	if (strlen(value) >= sizeof(copy))
		return co_fail(p->err, -EINVAL, "%s: %s: value too long", where,
			       key);
	strcpy(copy, value);
	n = split_fields(copy, field, 2);
	if (n < 1 || (n == 2 && strcmp(field[1], "ro")))
		return co_fail(
			p->err, -EINVAL,
			"%s: %s: '%s' is not DIR[,ro] (quote a directory with a comma)",
			where, key, value);
	p->cfg->cofs_flags[idx] = n == 2 ? CO_COFS_RO : 0;
	return set_string(p, where, key, &p->cfg->cofs[idx], field[0]);
}

/* Append a copy of @word to @ex's argv (room for the NULL is kept). */
static int add_arg(struct co_cfg_exec *ex, int *n, const char *word, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, word, len);
	copy[len] = '\0';
	ex->argv[(*n)++] = copy;
	return 0;
}

/* execN=PROGRAM[,ARGS]: ARGS split at blanks; quoted when it has a comma. */
static int parse_exec(struct parse *p, const char *where, const char *key,
		      int idx, const char *value)
{
	struct co_cfg_exec *ex = &p->cfg->exec[idx];
	char copy[4096], *field[2], *w;
	int n, argc = 0;

	if (strlen(value) >= sizeof(copy))
		return co_fail(p->err, -EINVAL, "%s: %s: value too long", where,
			       key);
	strcpy(copy, value);
	n = split_fields(copy, field, 2);
	if (n < 0 || !*field[0])
		return co_fail(
			p->err, -EINVAL,
			"%s: %s: '%s' is not PROGRAM[,ARGS] (quote ARGS with a comma)",
			where, key, value);
	free_exec(ex);
	ex->argv = calloc(CO_CFG_EXEC_MAX_ARGS + 1, sizeof(*ex->argv));
	if (!ex->argv || add_arg(ex, &argc, field[0], strlen(field[0])))
		goto nomem;
	for (w = n == 2 ? field[1] : ""; *w;) {
		size_t len = strcspn(w, " \t");

		if (!len) {
			w++;
			continue;
		}
		if (argc == CO_CFG_EXEC_MAX_ARGS) {
			free_exec(ex);
			return co_fail(p->err, -EINVAL,
				       "%s: %s: more than %d arguments", where,
				       key, CO_CFG_EXEC_MAX_ARGS - 1);
		}
		if (add_arg(ex, &argc, w, len))
			goto nomem;
		w += len;
	}
	return 0;
nomem:
	free_exec(ex);
	return co_fail(p->err, -ENOMEM, "%s: %s: out of memory", where, key);
}

/* "cobd12" with prefix "cobd" -> 12; -1 when @key is not prefix+number. */
static int key_index(const char *key, const char *prefix, int max,
		     struct parse *p, const char *where, int *index)
{
	size_t n = strlen(prefix);
	uint32_t v;

	if (strncmp(key, prefix, n))
		return 0;
	if (parse_u32(key + n, 0xffff, &v))
		return 0; /* "cobdx": not ours, a kernel parameter */
	if (v >= (uint32_t)max)
		return co_fail(p->err, -EINVAL,
			       "%s: %s: index out of range (%s0 to %s%d)",
			       where, key, prefix, prefix, max - 1);
	*index = (int)v;
	return 1;
}

static int append_cmdline(struct parse *p, const char *where, const char *token)
{
	struct co_cfg *cfg = p->cfg;
	size_t have = strlen(cfg->cmdline), add = strlen(token);
	char *unq;

	if (have + add + 2 > sizeof(cfg->cmdline))
		return co_fail(
			p->err, -EINVAL,
			"%s: %s: the kernel command line is longer than %d bytes",
			where, token, CO_CFG_CMDLINE_MAX - 1);
	unq = unquote(token, add);
	if (!unq)
		return co_fail(p->err, -ENOMEM, "%s: out of memory", where);
	if (have)
		cfg->cmdline[have++] = ' ';
	strcpy(cfg->cmdline + have, unq);
	free(unq);
	return 0;
}

static int parse_text(struct parse *p, const char *text, size_t len,
		      const char *origin);

static int include_file(struct parse *p, const char *where, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (!*path)
		return co_fail(p->err, -EINVAL, "%s: @: no file name", where);
	if (p->depth >= MAX_DEPTH)
		return co_fail(p->err, -EINVAL,
			       "%s: @%s: included more than %d deep (a loop?)",
			       where, path, MAX_DEPTH);
	ret = p->reader(p->ctx, path, &text, &len);
	if (ret) {
		free(text);
		return co_fail(p->err, -EINVAL, "%s: @%s: %s", where, path,
			       strerror(-ret));
	}
	p->depth++;
	ret = parse_text(p, text, len, path);
	p->depth--;
	free(text);
	return ret;
}

static int parse_token(struct parse *p, const char *where, const char *token)
{
	struct co_cfg *cfg = p->cfg;
	char key[64];
	const char *eq = strchr(token, '='), *value;
	size_t klen;
	int idx, ret;

	if (token[0] == '@')
		return include_file(p, where, token + 1);
	klen = eq ? (size_t)(eq - token) : 0;
	if (!eq || klen >= sizeof(key))
		return append_cmdline(p, where, token);
	memcpy(key, token, klen);
	key[klen] = '\0';
	value = eq + 1;
	if (!strcmp(key, "kernel"))
		return set_string(p, where, key, &cfg->kernel, value);
	if (!strcmp(key, "initrd"))
		return set_string(p, where, key, &cfg->initrd, value);
	if (!strcmp(key, "mem")) {
		if (parse_u32(value, CO_CFG_MEM_MAX_MB, &cfg->mem_mb) ||
		    cfg->mem_mb < CO_CFG_MEM_MIN_MB)
			return co_fail(
				p->err, -EINVAL,
				"%s: mem: '%s' is not a number of MiB from %d (the smallest guest that boots) to %d",
				where, value, CO_CFG_MEM_MIN_MB,
				CO_CFG_MEM_MAX_MB);
		return 0;
	}
	ret = key_index(key, "cobd", CO_CFG_MAX_COBD, p, where, &idx);
	if (ret)
		return ret < 0 ? ret : parse_cobd(p, where, key, idx, value);
	ret = key_index(key, "cofs", CO_CFG_MAX_COFS, p, where, &idx);
	if (ret)
		return ret < 0 ? ret : parse_cofs(p, where, key, idx, value);
	ret = key_index(key, "exec", CO_CFG_MAX_EXEC, p, where, &idx);
	if (ret)
		return ret < 0 ? ret : parse_exec(p, where, key, idx, value);
	ret = key_index(key, "eth", CO_CFG_MAX_ETH, p, where, &idx);
	if (ret)
		return ret < 0 ?
			       ret :
			       parse_net(p, where, key, &cfg->eth[idx], value);
	return append_cmdline(p, where, token);
}

int co_cfg_parse_args(struct co_cfg *cfg, int argc, char *const argv[],
		      co_cfg_reader reader, void *ctx, struct co_err *err)
{
	struct parse p = { cfg, reader, ctx, err, 0 };
	char where[64];
	int ret;

	for (int i = 0; i < argc; i++) {
		snprintf(where, sizeof(where), "argument %d", i + 1);
		ret = parse_token(&p, where, argv[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * File syntax: tokens separated by white space; "#" at the start of a token
 * comments out the rest of the line; double quotes keep white space inside a
 * token.
 */
static int parse_text(struct parse *p, const char *text, size_t len,
		      const char *origin)
{
	char token[4096], where[512];
	size_t i = 0, n;
	int line = 1, ret;
	bool quoted;

	while (i < len) {
		if (text[i] == '\n')
			line++;
		if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
		    text[i] == '\r') {
			i++;
			continue;
		}
		if (text[i] == '#') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		snprintf(where, sizeof(where), "%s:%d", origin, line);
		for (n = 0, quoted = false; i < len; i++) {
			if (text[i] == '"')
				quoted = !quoted;
			else if (!quoted && strchr(" \t\r\n", text[i]))
				break;
			if (text[i] == '\n')
				line++;
			if (n + 1 >= sizeof(token))
				return co_fail(
					p->err, -EINVAL,
					"%s: token longer than %zu bytes",
					where, sizeof(token) - 1);
			token[n++] = text[i];
		}
		token[n] = '\0';
		if (quoted)
			return co_fail(p->err, -EINVAL,
				       "%s: %.*s: unterminated quote", where,
				       (int)strcspn(token, "\n"), token);
		ret = parse_token(p, where, token);
		if (ret)
			return ret;
	}
	return 0;
}

int co_cfg_parse_text(struct co_cfg *cfg, const char *text, size_t len,
		      const char *origin, co_cfg_reader reader, void *ctx,
		      struct co_err *err)
{
	struct parse p = { cfg, reader, ctx, err, 0 };

	return parse_text(&p, text, len, origin);
}
