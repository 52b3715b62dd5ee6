// SPDX-License-Identifier: GPL-2.0
/*
 * main.c --- colinux-run: run a program in a running guest, as the user
 * "make image" created, over OpenSSH through the instance's forward.
 *
 *   colinux-run [@NAME.conf] [OPTIONS] [--] PROGRAM [ARGS...]
 *
 * The instance is @NAME.conf, or $COLINUX_CONFIG; its key and pinned host
 * key lie beside it (launch.h).  stdin, stdout and stderr pass through, and
 * the exit status is the program's (127: not found, as a shell).  With
 * DISPLAY set the program's windows open on this display (X11 forwarding,
 * untrusted unless -Y); on a Wayland session (WAYLAND_DISPLAY) through
 * waypipe when both sides have it.  Exit status CO_RUN_EXIT_SELF (125) with
 * one line when colinux-run itself fails: no instance, the guest not running
 * or not answering, the key refused, another host key.  The SSH client is
 * OpenSSH's ssh, from PATH; colinux-run only chooses its options.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <co/array_size.h>
#include <co/buf.h>
#include <co/cfg.h>
#include <co/io.h>
#include <co/log.h>
#include <co/usock.h>

#include "launch.h"
#include "menu-files.h"
#include "menu.h"
#include "relay.h"

#define SELF CO_RUN_EXIT_SELF
/* The name the pinned host key is filed under in NAME.known_hosts. */
#define HOST_KEY_ALIAS "colinux-guest"

enum x11 { X11_UNTRUSTED, X11_TRUSTED, X11_OFF };
enum menu { MENU_NONE, MENU_INSTALL, MENU_REMOVE };

struct options {
	const char *conf;
	int tty; /* -1: when stdin and stdout are terminals */
	enum x11 x11;
	int wait_s;
	bool no_sound, no_wayland;
	enum menu menu;
	enum co_log_level level;
};

/* What colinux-run passes to ssh for this instance. */
struct instance {
	struct co_cfg cfg;
	struct co_launch launch;
	char *key, *known_hosts;
	char port[8]; /* launch.port for ssh -p */
	struct co_buf known_opt; /* UserKnownHostsFile=known_hosts */
	char *share[CO_CFG_MAX_COFS]; /* the shares, resolved */
};

static void usage(FILE *to)
{
	fprintf(to,
		"usage: colinux-run [@NAME.conf] [-t|-T] [-X|-Y|-x] [--no-wayland] [--wait=SECONDS] [--no-sound] [-v|-q] [--] PROGRAM [ARGS...]\n"
		"  @NAME.conf      the instance (default: $COLINUX_CONFIG)\n"
		"  -t / -T         a terminal for the program / none (default: when stdin and stdout are one)\n"
		"  -X / -Y / -x    X11 windows untrusted (default), trusted; -x: no windows at all\n"
		"  --no-wayland    on a Wayland session, windows through X11 (XWayland), not waypipe\n"
		"  --wait=SECONDS  wait that long for the guest's SSH server (a guest still booting)\n"
		"  --no-sound      do not carry your PulseAudio/PipeWire server to the program\n"
		"       colinux-run [@NAME.conf] --install-menu | --remove-menu\n"
		"  the guest's applications in your desktop's menu (a \"coLinux\" submenu), or out of it\n"
		"Exit status: the program's; 125 when colinux-run fails (one line says why).\n");
}

enum {
	OPT_WAIT = 256,
	OPT_NO_SOUND,
	OPT_NO_WAYLAND,
	OPT_INSTALL_MENU,
	OPT_REMOVE_MENU
};

static const struct option long_options[] = {
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "no-sound", no_argument, NULL, OPT_NO_SOUND },
	{ "no-wayland", no_argument, NULL, OPT_NO_WAYLAND },
	{ "install-menu", no_argument, NULL, OPT_INSTALL_MENU },
	{ "remove-menu", no_argument, NULL, OPT_REMOVE_MENU },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_wait(const char *a, struct options *o)
{
	char *end;
	long s = strtol(a, &end, 10);

	if (end == a || *end || s < 0 || s > 86400) {
		co_err("--wait=%s: not a number of seconds (0 to 86400)", a);
		return -1;
	}
	o->wait_s = (int)s;
	return 0;
}

/*
 * The options, up to the program (getopt_long, "+": the program's own
 * options are its own); @NAME.conf may stand among them.  The index of the
 * program in @argv, or -1.
 */
static int parse_options(int argc, char **argv, struct options *o)
{
	int c;

	for (;;) {
		c = getopt_long(argc, argv, "+tTXYxvqh", long_options, NULL);
		if (c == -1 && optind < argc && argv[optind][0] == '@' &&
		    argv[optind][1] && !o->conf) {
			o->conf = argv[optind++] + 1;
			continue;
		}
		switch (c) {
		case -1:
			return optind;
		case 't':
		case 'T':
			o->tty = c == 't';
			break;
		case 'X':
			o->x11 = X11_UNTRUSTED;
			break;
		case 'Y':
			o->x11 = X11_TRUSTED;
			break;
		case 'x':
			o->x11 = X11_OFF;
			break;
		case 'v':
			o->level = CO_LOG_DEBUG;
			break;
		case 'q':
			o->level = CO_LOG_ERR;
			break;
		case OPT_WAIT:
			if (parse_wait(optarg, o))
				return -1;
			break;
		case OPT_NO_SOUND:
			o->no_sound = true;
			break;
		case OPT_NO_WAYLAND:
			o->no_wayland = true;
			break;
		case OPT_INSTALL_MENU:
			o->menu = MENU_INSTALL;
			break;
		case OPT_REMOVE_MENU:
			o->menu = MENU_REMOVE;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default: /* getopt said why */
			usage(stderr);
			return -1;
		}
	}
}

static int read_config(void *ctx, const char *path, char **text, size_t *len)
{
	return co_read_file(path, text, len);
}

/* NAME.conf -> NAME@suffix. */
static char *beside(const char *conf, const char *suffix)
{
	size_t n = strlen(conf);
	char *s;

	if (n > 5 && !strcmp(conf + n - 5, ".conf"))
		n -= 5;
	s = malloc(n + strlen(suffix) + 1);
	if (s) {
		memcpy(s, conf, n);
		strcpy(s + n, suffix);
	}
	return s;
}

/* The private key must be this user's alone (ssh ignores it otherwise). */
static int check_key(const char *key)
{
	struct stat st;

	if (stat(key, &st)) {
		co_err("%s: %s (make image writes the instance's key there)",
		       key, strerror(errno));
		return -1;
	}
	if (st.st_uid != geteuid()) {
		co_err("%s: owned by uid %u, not by you (uid %u): the instance's key is its owner's",
		       key, (unsigned)st.st_uid, (unsigned)geteuid());
		return -1;
	}
	if (st.st_mode & 077) {
		co_err("%s: readable by others (mode %04o); chmod 600 %s", key,
		       (unsigned)(st.st_mode & 07777), key);
		return -1;
	}
	if (access(key, R_OK)) {
		co_err("%s: %s", key, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_instance(struct instance *in, const char *conf)
{
	struct co_err err = { "" };
	struct co_buf tok = { 0 };
	int ret;

	co_cfg_init(&in->cfg);
	co_buf_printf(&tok, "@%s", conf);
	ret = tok.error ? co_fail(&err, tok.error, "out of memory") :
			  co_cfg_parse_args(&in->cfg, 1, &tok.data, read_config,
					    NULL, &err);
	free(tok.data);
	if (ret || co_launch_from_cfg(&in->launch, &in->cfg, conf, &err)) {
		co_err("%s", err.msg);
		return -1;
	}
	snprintf(in->port, sizeof(in->port), "%u", in->launch.port);
	in->key = beside(conf, ".key");
	in->known_hosts = beside(conf, ".known_hosts");
	if (!in->key || !in->known_hosts || check_key(in->key))
		return -1;
	co_buf_printf(&in->known_opt, "UserKnownHostsFile=%s", in->known_hosts);
	if (in->known_opt.error)
		return -1;
	if (access(in->known_hosts, R_OK)) {
		co_err("%s: %s (the guest's pinned host key; make image writes it)",
		       in->known_hosts, strerror(errno));
		return -1;
	}
	/* Shares by their real paths, as getcwd() gives the working one. */
	for (int i = 0; i < CO_CFG_MAX_COFS; i++) {
		if (!in->launch.share[i])
			continue;
		in->share[i] = realpath(in->launch.share[i], NULL);
		if (in->share[i])
			in->launch.share[i] = in->share[i];
	}
	return 0;
}

/*
 * An absolute argument by its real path (of its directory, for a file that
 * does not exist yet); NULL when it is not absolute or cannot be resolved.
 */
static char *real_arg(const char *arg)
{
	char *dir, *base, *r, *out;

	if (arg[0] != '/')
		return NULL;
	r = realpath(arg, NULL);
	if (r)
		return r;
	base = strrchr(arg, '/');
	dir = base == arg ? strdup("/") : strndup(arg, base - arg);
	r = dir ? realpath(dir, NULL) : NULL;
	free(dir);
	if (!r)
		return NULL;
	out = malloc(strlen(r) + strlen(base) + 1);
	if (out)
		sprintf(out, "%s%s", strcmp(r, "/") ? r : "", base);
	free(r);
	return out;
}

/* ---- ssh ---------------------------------------------------------------- */

struct argv {
	const char *v[64];
	int n;
};

static void arg(struct argv *a, const char *s)
{
	if (a->n < (int)ARRAY_SIZE(a->v) - 1)
		a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

/* "-o OPTION". */
static void opt(struct argv *a, const char *option)
{
	arg(a, "-o");
	arg(a, option);
}

/* The options every connection to the instance takes. */
static void ssh_base(struct argv *a, const struct instance *in, bool quiet)
{
	arg(a, "ssh");
	/* Nothing from ~/.ssh/config or the agent: this key, this host key. */
	arg(a, "-F");
	arg(a, "/dev/null");
	arg(a, "-i");
	arg(a, in->key);
	opt(a, "IdentitiesOnly=yes");
	opt(a, "IdentityAgent=none");
	opt(a, in->known_opt.data);
	opt(a, "GlobalKnownHostsFile=/dev/null");
	opt(a, "HostKeyAlias=" HOST_KEY_ALIAS);
	opt(a, "StrictHostKeyChecking=yes");
	opt(a, "CheckHostIP=no");
	/* No password or passphrase prompt, ever. */
	opt(a, "BatchMode=yes");
	opt(a, "ConnectTimeout=30");
	opt(a, "SendEnv=LANG LC_*");
	if (quiet)
		arg(a, "-q");
	arg(a, "-p");
	arg(a, in->port);
	arg(a, "-l");
	arg(a, in->launch.user);
}

/* The host and the guest's command line, last. */
static void ssh_command(struct argv *a, const char *command)
{
	arg(a, "--");
	arg(a, "127.0.0.1");
	arg(a, command);
}

/* Start @a with stdin/stdout/stderr as given (-1: inherited). */
static pid_t spawn(const struct argv *a, int in_fd, int out_fd, int err_fd)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if ((in_fd >= 0 && dup2(in_fd, 0) < 0) ||
	    (out_fd >= 0 && dup2(out_fd, 1) < 0) ||
	    (err_fd >= 0 && dup2(err_fd, 2) < 0))
		_exit(SELF);
	execvp(a->v[0], (char *const *)a->v);
	fprintf(stderr, "colinux-run: %s: %s%s\n", a->v[0], strerror(errno),
		strcmp(a->v[0], "ssh") ? "" : " (install OpenSSH's client)");
	_exit(SELF);
}

/* The running ssh, for pass_on(), and the signal passed on. */
static volatile pid_t ssh_pid;
static volatile sig_atomic_t passed;

static void pass_on(int sig)
{
	passed = sig;
	if (ssh_pid > 0)
		kill(ssh_pid, sig);
}

/* The exit status a shell would give for @pid's end. */
static int reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return SELF;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Something listens on the forward's host end (the daemon runs). */
static bool listening(uint16_t port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool up;

	if (fd < 0)
		return true; /* let ssh say it */
	up = !connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
	return up;
}

enum reach {
	REACH_OK,
	REACH_DOWN,
	REACH_BUSY,
	REACH_HOSTKEY,
	REACH_KEY,
	REACH_OTHER
};

/*
 * Log in and run "true", ssh's first messages kept in @why (a NUL after
 * them): can the instance be reached, and if not, why.
 */
static enum reach reach(const struct instance *in, struct co_buf *why)
{
	static const struct {
		enum reach r;
		const char *text;
	} reasons[] = {
		{ REACH_HOSTKEY, "Host key verification failed" },
		{ REACH_HOSTKEY, "IDENTIFICATION HAS CHANGED" },
		{ REACH_HOSTKEY, "host key is known" },
		{ REACH_KEY, "Permission denied" },
		{ REACH_DOWN, "Connection refused" },
		{ REACH_BUSY, "Connection closed" },
		{ REACH_BUSY, "Connection reset" },
		{ REACH_BUSY, "kex_exchange_identification" },
		{ REACH_BUSY, "timed out" },
	};
	struct argv a = { .n = 0 };
	int p[2], null, status;
	pid_t pid;

	why->len = 0;
	co_buf_add(why, "", 0);
	if (!listening(in->launch.port))
		return REACH_DOWN;
	ssh_base(&a, in, false);
	arg(&a, "-T");
	arg(&a, "-x");
	opt(&a, "LogLevel=ERROR");
	ssh_command(&a, "true");
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || pipe2(p, O_CLOEXEC)) {
		co_buf_str(why, strerror(errno));
		return REACH_OTHER;
	}
	pid = spawn(&a, null, null, p[1]);
	close(p[1]);
	close(null);
	co_read_fd(p[0], why, 4096);
	close(p[0]);
	status = pid < 0 ? SELF : reap(pid);
	if (status == 0)
		return REACH_OK;
	for (size_t i = 0; why->data && i < ARRAY_SIZE(reasons); i++)
		if (strstr(why->data, reasons[i].text))
			return reasons[i].r;
	return REACH_OTHER;
}

/* One line on why the instance cannot be reached. */
static void explain(enum reach r, const struct instance *in, const char *conf,
		    const struct co_buf *buf)
{
	const char *why = buf && buf->data ? buf->data : "";
	const char *nl = strchr(why, '\n');
	int len = nl ? (int)(nl - why) : (int)strlen(why);

	switch (r) {
	case REACH_OK:
		break;
	case REACH_DOWN:
		co_err("the guest is not running: nothing listens on 127.0.0.1:%u, eth%d's SSH forward in %s (start it: colinux-daemon @%s)",
		       in->launch.port, in->launch.eth, conf, conf);
		break;
	case REACH_BUSY:
		co_err("the guest does not answer SSH on 127.0.0.1:%u (still booting? try --wait=120): %.*s",
		       in->launch.port, len, why);
		break;
	case REACH_HOSTKEY:
		co_err("127.0.0.1:%u is not this instance's guest: its host key is not the one pinned in %s",
		       in->launch.port, in->known_hosts);
		break;
	case REACH_KEY:
		co_err("the guest refused the key %s for %s (is %s.pub in ~%s/.ssh/authorized_keys? the seed disk gives it at boot)",
		       in->key, in->launch.user, in->key, in->launch.user);
		break;
	case REACH_OTHER:
		co_err("ssh to 127.0.0.1:%u failed: %.*s", in->launch.port, len,
		       len ? why : "no message");
		break;
	}
}

/* Wait up to @seconds for the guest's SSH server; the last reason. */
static enum reach wait_for(const struct instance *in, int seconds,
			   struct co_buf *why)
{
	time_t end = time(NULL) + seconds;
	enum reach r;

	for (;;) {
		r = reach(in, why);
		if ((r != REACH_DOWN && r != REACH_BUSY) || time(NULL) >= end)
			return r;
		sleep(1);
	}
}

/*
 * ssh ended with @status.  255 is ssh's own failure, or the program's own
 * status: a login of its own tells which.  SELF (and one line) for the
 * first, else @status.
 */
static int ssh_status(const struct instance *in, const char *conf, int status)
{
	struct co_buf why = { 0 };
	enum reach r;

	if (status != 255)
		return status;
	r = reach(in, &why);
	if (r != REACH_OK) {
		explain(r, in, conf, &why);
		status = SELF;
	}
	free(why.data);
	return status;
}

static void add_x11(struct argv *a, enum x11 x11)
{
	const char *display = getenv("DISPLAY");

	if (x11 == X11_OFF || !display || !*display) {
		arg(a, "-x");
		return;
	}
	if (access("/usr/bin/xauth", X_OK))
		co_warn("DISPLAY is set but /usr/bin/xauth is missing: the program's windows cannot open here (install xauth)");
	if (x11 == X11_TRUSTED) {
		arg(a, "-Y");
		return;
	}
	/*
	 * Untrusted: the X SECURITY extension fences the guest's clients in.
	 * ssh has xauth make the untrusted cookie with its timeout plus a
	 * minute, and the X server forgets a cookie no client used for that
	 * long; 0 ("none") gives xauth no timeout, so its default of 60 s,
	 * and a program that opened its display later was refused.  A
	 * program may open its display for 20 days after it started: the X
	 * server keeps the timeout in milliseconds and takes more than 2^31
	 * (24.8 days) for the past (Xvfb 21 then aborts in security.c).
	 */
	arg(a, "-X");
	opt(a, "ForwardX11Timeout=20d");
	opt(a, "ForwardX11Trusted=no");
}

/*
 * The host's PulseAudio (or PipeWire's pulse) socket: $PULSE_SERVER if it
 * is a unix: one, else $XDG_RUNTIME_DIR/pulse/native when it is a socket.
 */
static char *host_pulse(void)
{
	const char *server = getenv("PULSE_SERVER");
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	struct co_buf b = { 0 };
	struct stat st;

	if (server && *server) {
		if (!strncmp(server, "unix:/", 6))
			return strdup(server + 5);
		co_info("PULSE_SERVER=%s: only a unix: server is carried to the guest",
			server);
		return NULL;
	}
	if (!runtime || runtime[0] != '/')
		return NULL;
	co_buf_str(&b, runtime);
	co_buf_str(&b, "/pulse/native");
	if (!b.error && !stat(b.data, &st) && S_ISSOCK(st.st_mode))
		return b.data;
	free(b.data);
	return NULL;
}

/*
 * The guest ends of this run's forwards: /tmp/colinux-RANDOM-WHAT, the
 * same RANDOM for all of them; "" when no random number could be had.
 */
static void guest_stem(char stem[static 40])
{
	uint64_t r;

	stem[0] = '\0';
	if (getrandom(&r, sizeof(r), 0) == sizeof(r))
		snprintf(stem, 40, "/tmp/colinux-%016llx",
			 (unsigned long long)r);
}

/* PROGRAM in one of $PATH's directories. */
static bool in_path(const char *program)
{
	const char *p = getenv("PATH");
	struct co_buf b = { 0 };
	bool found = false;

	while (!found && p && *p) {
		size_t n = strcspn(p, ":");

		b.len = 0;
		co_buf_printf(&b, "%.*s/%s", (int)n, p, program);
		found = n && !b.error && !access(b.data, X_OK);
		p += n + (p[n] == ':');
	}
	free(b.data);
	return found;
}

/*
 * The host ends of this run's forwards: sockets in a new directory of this
 * user's (in $XDG_RUNTIME_DIR, else /tmp), each served by a process of
 * colinux-run's: a waypipe client for the Wayland display, the relay to the
 * sound server (relay.h).  All of it goes when the run ends.
 */
struct end {
	char *sock;
	pid_t pid;
};

struct ends {
	char *dir;
	struct end waypipe, pulse;
};

/* The socket @name in @e's directory, made first; NULL and a warning. */
static char *end_path(struct ends *e, const char *name)
{
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	struct co_buf b = { 0 };

	if (!e->dir) {
		co_buf_printf(&b, "%s/colinux-run-XXXXXX",
			      runtime && runtime[0] == '/' ? runtime : "/tmp");
		if (b.error || !mkdtemp(b.data)) {
			co_warn("%s: %s", b.data ? b.data : "",
				strerror(errno));
			free(b.data);
			return NULL;
		}
		e->dir = b.data;
		b = (struct co_buf){ 0 };
	}
	co_buf_printf(&b, "%s/%s", e->dir, name);
	return b.data;
}

static void stop_end(struct end *x)
{
	if (x->pid > 0) {
		kill(x->pid, SIGTERM);
		reap(x->pid);
	}
	if (x->sock)
		unlink(x->sock);
	free(x->sock);
	*x = (struct end){ 0 };
}

static void stop_ends(struct ends *e)
{
	stop_end(&e->waypipe);
	stop_end(&e->pulse);
	if (e->dir)
		rmdir(e->dir);
	free(e->dir);
	e->dir = NULL;
}

/* Wait for @x's process to listen; false when it ended (reaped) first. */
static bool end_ready(struct end *x)
{
	struct stat st;
	int status;

	for (int t = 0; t < 100; t++) {
		if (!stat(x->sock, &st) && S_ISSOCK(st.st_mode))
			return true;
		if (waitpid(x->pid, &status, WNOHANG) == x->pid) {
			x->pid = 0;
			return false;
		}
		usleep(50 * 1000);
	}
	return false;
}

/* 0: a waypipe client listens on e->waypipe.sock; else windows go X11. */
static int start_waypipe(struct ends *e)
{
	struct end *x = &e->waypipe;
	struct argv a = { .n = 0 };
	int null;

	if (!in_path("waypipe")) {
		co_info("WAYLAND_DISPLAY is set but waypipe is not installed here: windows open through X11 (XWayland)");
		return -1;
	}
	x->sock = end_path(e, "waypipe");
	if (!x->sock)
		return -1;
	arg(&a, "waypipe");
	arg(&a, "--oneshot");
	arg(&a, "--no-gpu");
	arg(&a, "--socket");
	arg(&a, x->sock);
	arg(&a, "client");
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	x->pid = null < 0 ? -1 : spawn(&a, null, null, -1);
	if (null >= 0)
		close(null);
	if (x->pid < 0 || !end_ready(x)) {
		co_warn("waypipe did not start here: windows open through X11 (XWayland)");
		stop_end(x);
		return -1;
	}
	return 0;
}

/* 0: the relay to the sound server @server listens on e->pulse.sock. */
static int start_relay(struct ends *e, const char *server)
{
	struct end *x = &e->pulse;
	int fd, ret;

	x->sock = end_path(e, "pulse");
	if (!x->sock)
		return -1;
	fd = co_usock_socket();
	ret = fd < 0 ? fd : co_usock_listen(fd, x->sock);
	if (!ret) {
		x->pid = fork();
		if (x->pid == 0) {
			/* colinux-run killed: the relay with it */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			co_relay_serve(fd, server);
			_exit(0);
		}
		ret = x->pid < 0 ? -errno : 0;
	}
	if (fd >= 0)
		close(fd);
	if (ret) {
		co_warn("no sound for the program: %s: %s", x->sock,
			strerror(-ret));
		stop_end(x);
	}
	return ret;
}

/* "-R GUEST:HOST" into @fwd (kept for @a) and @a. */
static void forward(struct argv *a, struct co_buf *fwd, const char *guest,
		    const char *host)
{
	co_buf_printf(fwd, "%s:%s", guest, host);
	if (fwd->error)
		return;
	arg(a, "-R");
	arg(a, fwd->data);
}

static int run(const struct instance *in, const struct options *o,
	       const char *conf, int argc, char **argv)
{
	struct co_mapped map[argc > 0 ? argc : 1], cwd = { .share = -1 };
	char *real[argc > 0 ? argc : 1], *here, *host_snd = NULL, stem[40];
	const char *wayland = getenv("WAYLAND_DISPLAY");
	struct co_buf cmd = { 0 }, why = { 0 }, fwd[2] = { { 0 } };
	struct co_buf guest[3] = { { 0 } }; /* pulse, waypipe, wayland */
	struct co_launch_socks socks = { 0 };
	struct ends ends = { 0 };
	struct argv a = { .n = 0 };
	enum reach r = REACH_OK;
	int status = SELF;
	pid_t pid;

	here = getcwd(NULL, 0);
	if (here)
		cwd = co_launch_map(&in->launch, here);
	for (int i = 0; i < argc; i++) {
		real[i] = real_arg(argv[i]);
		map[i] = real[i] ? co_launch_map(&in->launch, real[i]) :
				   (struct co_mapped){ .share = -1 };
	}

	if (o->wait_s > 0)
		r = wait_for(in, o->wait_s, &why);
	else if (!listening(in->launch.port))
		r = REACH_DOWN;
	if (r != REACH_OK) {
		explain(r, in, conf, &why);
		goto out;
	}
	ssh_base(&a, in, true);
	arg(&a, o->tty == 1 || (o->tty < 0 && isatty(0) && isatty(1)) ? "-t" :
									"-T");
	add_x11(&a, o->x11);
	/* The sound server and the Wayland display through SSH: no port. */
	guest_stem(stem);
	if (*stem && !o->no_sound && (host_snd = host_pulse()) &&
	    !start_relay(&ends, host_snd)) {
		co_buf_printf(&guest[0], "%s-pulse", stem);
		forward(&a, &fwd[0], guest[0].data, ends.pulse.sock);
		socks.pulse = guest[0].data;
	}
	if (*stem && o->x11 != X11_OFF && !o->no_wayland && wayland &&
	    *wayland && !start_waypipe(&ends)) {
		co_buf_printf(&guest[1], "%s-waypipe", stem);
		co_buf_printf(&guest[2], "%s-wayland", stem);
		forward(&a, &fwd[1], guest[1].data, ends.waypipe.sock);
		socks.waypipe = guest[1].data;
		socks.wayland = guest[2].data;
	}
	co_launch_command(&cmd, &in->launch, cwd, argc, argv, map, &socks);
	if (cmd.error || fwd[0].error || fwd[1].error || guest[0].error ||
	    guest[1].error || guest[2].error) {
		co_err("out of memory");
		goto out;
	}
	co_dbg("guest command: %s", cmd.data);
	ssh_command(&a, cmd.data);
	/*
	 * As system(3): the terminal's ^C and ^\ are the program's.  A
	 * SIGTERM or SIGHUP for colinux-run is passed on to ssh, which ends
	 * the session and with it the program.
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pid = spawn(&a, -1, -1, -1);
	ssh_pid = pid;
	signal(SIGTERM, pass_on);
	signal(SIGHUP, pass_on);
	status = pid < 0 ? SELF : reap(pid);
	if (passed)
		status = 128 + passed; /* ended as asked, not a failure */
	else
		status = ssh_status(in, conf, status);
out:
	stop_ends(&ends);
	for (int i = 0; i < argc; i++)
		free(real[i]);
	for (int i = 0; i < 3; i++)
		free(guest[i].data);
	free(here);
	free(cmd.data);
	free(why.data);
	free(fwd[0].data);
	free(fwd[1].data);
	free(host_snd);
	return status;
}

/* ---- the menu ------------------------------------------------------------ */

/* The guest's listing of its applications (menu.h) into @out. */
static int listing(const struct instance *in, const char *conf,
		   struct co_buf *out)
{
	struct argv a = { .n = 0 };
	int p[2], status, ret;
	pid_t pid;

	if (!listening(in->launch.port)) {
		explain(REACH_DOWN, in, conf, NULL);
		return -1;
	}
	ssh_base(&a, in, true);
	arg(&a, "-T");
	arg(&a, "-x");
	ssh_command(&a, CO_MENU_LISTING);
	if (pipe2(p, O_CLOEXEC)) {
		co_err("%s", strerror(errno));
		return -1;
	}
	pid = spawn(&a, -1, p[1], -1);
	close(p[1]);
	ret = co_read_fd(p[0], out, CO_MENU_LISTING_MAX);
	close(p[0]);
	status = pid < 0 ? SELF : reap(pid);
	if (ret == 0 && status == 0)
		return 0;
	if (ret)
		co_err("the guest's application listing: %s",
		       ret == -EFBIG ? "over 256 MiB" : strerror(-ret));
	else if (ssh_status(in, conf, status) != SELF)
		co_err("listing the guest's applications failed (exit status %d)",
		       status);
	return -1;
}

/* NAME of NAME.conf, in the characters a file name and a category take. */
static char *instance_name(const char *conf)
{
	const char *base = strrchr(conf, '/');
	char *name = beside(base ? base + 1 : conf, "");

	for (char *c = name; c && *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-",
			    *c))
			*c = '_';
	return name;
}

/* What an install writes: each app's entry (and icon), by menu-files.c. */
struct menu_out {
	struct co_menu_file *files; /* 2 per app at most */
	struct co_buf *paths; /* 2 per app: entry, icon */
	char **texts; /* the entries' texts, 1 per app */
	int nfiles, entries;
};

static int menu_out_alloc(struct menu_out *m, int n)
{
	m->files = calloc(2 * n + 1, sizeof(*m->files));
	m->paths = calloc(2 * n + 1, sizeof(*m->paths));
	m->texts = calloc(n + 1, sizeof(*m->texts));
	return m->files && m->paths && m->texts ? 0 : -ENOMEM;
}

static void menu_out_free(struct menu_out *m, int n)
{
	for (int i = 0; m->paths && i < 2 * n; i++)
		free(m->paths[i].data);
	for (int i = 0; m->texts && i < n; i++)
		free(m->texts[i]);
	free(m->paths);
	free(m->texts);
	free(m->files);
}

/* Entries (and icons) for the apps that get one. */
static void menu_files(const struct co_menu_place *place, const char *conf,
		       struct co_menu_app *apps, int n, struct menu_out *m)
{
	char *run = realpath("/proc/self/exe", NULL);

	for (int i = 0; i < n; i++) {
		struct co_buf *entry = &m->paths[2 * i];
		struct co_buf *icon = &m->paths[2 * i + 1];

		if (!apps[i].skip)
			co_menu_paths(place, apps[i].id, entry, icon);
		if (!apps[i].skip && (entry->error || icon->error))
			apps[i].skip = "out of memory";
		if (apps[i].skip ||
		    co_menu_entry(&apps[i], run ? run : "colinux-run", conf,
				  apps[i].icon ? icon->data : NULL,
				  &m->texts[i])) {
			co_info("%s: not in the menu: %s", apps[i].id,
				apps[i].skip);
			continue;
		}
		m->files[m->nfiles++] =
			(struct co_menu_file){ entry->data, m->texts[i],
					       strlen(m->texts[i]) };
		m->entries++;
		if (apps[i].icon)
			m->files[m->nfiles++] =
				(struct co_menu_file){ icon->data, apps[i].icon,
						       apps[i].icon_len };
	}
	free(run);
}

static int install_menu(const struct instance *in, const char *conf,
			const struct co_menu_place *place, bool quiet)
{
	struct co_err err = { "" };
	struct co_menu_app *apps = NULL;
	struct menu_out m = { 0 };
	struct co_buf data = { 0 };
	int n = 0, status = SELF;

	if (listing(in, conf, &data))
		goto out;
	if (co_menu_parse(data.data, data.len, &apps, &n, &err)) {
		co_err("%s", err.msg);
		goto out;
	}
	if (menu_out_alloc(&m, n)) {
		co_err("out of memory");
		goto out;
	}
	menu_files(place, conf, apps, n, &m);
	if (co_menu_install(place, m.files, m.nfiles, &err)) {
		co_err("%s", err.msg);
		goto out;
	}
	if (!quiet)
		printf("%s: %d applications in the menu (\"coLinux\"), %d skipped%s\n",
		       place->inst, m.entries, n - m.entries,
		       n - m.entries ? " (-v says why)" : "");
	status = 0;
out:
	menu_out_free(&m, n);
	free(apps);
	free(data.data);
	return status;
}

static int menu(const struct instance *in, const struct options *o)
{
	struct co_err err = { "" };
	struct co_menu_place place;
	char *inst = instance_name(o->conf), *conf = realpath(o->conf, NULL);
	int status = SELF, n;

	if (!inst || !conf) {
		co_err("%s: %s", o->conf, strerror(errno));
	} else if (co_menu_place(&place, inst, &err)) {
		co_err("%s", err.msg);
	} else {
		if (o->menu == MENU_INSTALL)
			status = install_menu(in, conf, &place,
					      o->level <= CO_LOG_ERR);
		else if (co_menu_remove(&place, &n, &err))
			co_err("%s", err.msg);
		else
			status = 0;
		co_menu_place_free(&place);
	}
	free(conf);
	free(inst);
	return status;
}

int main(int argc, char **argv)
{
	struct options o = { .tty = -1, .level = CO_LOG_WARN };
	struct instance in = { 0 };
	int first, status;

	co_log_init("colinux-run", CO_LOG_WARN);
	first = parse_options(argc, argv, &o);
	if (first < 0)
		return SELF;
	co_log_init("colinux-run", o.level);
	if (!o.conf)
		o.conf = getenv("COLINUX_CONFIG");
	if (!o.conf || !*o.conf) {
		co_err("which instance? give @NAME.conf (make image writes build/images/NAME.conf) or set COLINUX_CONFIG");
		return SELF;
	}
	if (o.menu != MENU_NONE && first < argc) {
		co_err("%s: --install-menu and --remove-menu take no program",
		       argv[first]);
		return SELF;
	}
	if (o.menu == MENU_NONE && first >= argc) {
		co_err("no program to run");
		usage(stderr);
		return SELF;
	}
	if (o.menu == MENU_REMOVE)
		status = menu(&in, &o);
	else if (open_instance(&in, o.conf))
		status = SELF;
	else if (o.menu == MENU_INSTALL)
		status = menu(&in, &o);
	else
		status = run(&in, &o, o.conf, argc - first, argv + first);
	for (int i = 0; i < CO_CFG_MAX_COFS; i++)
		free(in.share[i]);
	free(in.key);
	free(in.known_hosts);
	free(in.known_opt.data);
	co_cfg_free(&in.cfg);
	return status;
}
