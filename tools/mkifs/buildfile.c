/*
 * mkifs buildfile parser: a subset of QNX mkifs's syntax, into a struct
 * mk_image. The grammar, with what each piece means, is in
 * tools/mkifs/README.md. In short:
 *
 *   # comment                       (a '#' starting a word, outside quotes)
 *   [virtual=x86_64]                attributes alone on a line: from here on
 *   [perms=0755 uid=0 gid=0]
 *   proc=${B}/proc/proc             file NAME=HOSTPATH (relative to this file's dir)
 *   [perms=0444] etc/motd = {       attributes prefixed: this line only;
 *   inline text                     inline file contents, verbatim
 *   }
 *   data/blob                       NAME alone: HOSTPATH = NAME
 *   [+script] .script = {           the boot script, one command a line:
 *       display_msg Hello there       print
 *       PATH=/proc/boot               set an environment variable
 *       waitfor /dev/ser1 2.5         wait for a path (seconds, default 5)
 *       [pri=20f] prog "an arg" &     run, priority 20 FIFO, in the background
 *   }
 *
 * ${NAME} is replaced by a -D NAME=VALUE definition ($$ is a '$'); a line
 * ending in '\' continues on the next (not inside inline files).
 *
 * Every error is reported as "buildfile:line: message" and stops the parse:
 * a buildfile is short, and the first error is the one worth reading.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkifs.h"

#define WAITFOR_DEFAULT_MS 5000u

struct bf {
	const char *path;  /* the buildfile, as named on the command line */
	char *dir;	   /* its directory: host paths are relative to it */
	char *text;	   /* its contents, NUL-terminated */
	size_t pos;	   /* next unread byte of text */
	int lineno;	   /* number of the last physical line read */
	char *const *defs; /* -D NAME=VALUE */
	int ndefs;
	struct mk_image *m;
	int virtual_line; /* where [virtual=] was set (0: not yet) */
	int script_line;  /* where the script block opened (0: none yet) */
};

/* Attributes that apply to files. perms < 0: automatic (0555 for ELF
 * files, 0444 otherwise). */
struct fattr {
	long perms;
	uint32_t uid, gid;
	bool script;
};

/* Attributes that apply to script commands. */
struct sattr {
	uint8_t priority, policy;
	bool restart; /* [+restart]: proc starts it again when it ends */
};

static int err(struct bf *b, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int err(struct bf *b, int line, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		fprintf(stderr, "%s:%d: ", b->path, line);
	else
		fprintf(stderr, "%s: ", b->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* --- text helpers --------------------------------------------------------------- */

static char *skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
}

/* A growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct sbuf *sb, const char *p, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 64;
		while (cap < sb->len + n + 1)
			cap *= 2;
		char *s = realloc(sb->s, cap);
		if (!s) {
			fprintf(stderr, "mkifs: out of memory\n");
			exit(1);
		}
		sb->s = s;
		sb->cap = cap;
	}
	memcpy(sb->s + sb->len, p, n);
	sb->len += n;
	sb->s[sb->len] = 0;
}

static void sb_putc(struct sbuf *sb, char c)
{
	sb_putn(sb, &c, 1);
}

/* One physical line (without its newline and any '\r'), or NULL at the end.
 * Not raw: a line ending in '\' is joined with the next. Returns a malloc'd
 * string; *first is the number of its first physical line. */
static char *read_line(struct bf *b, bool raw, int *first)
{
	struct sbuf sb = {0};

	if (!b->text[b->pos])
		return NULL;
	*first = b->lineno + 1;
	for (;;) {
		const char *s = b->text + b->pos;
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		b->pos += n + (nl ? 1 : 0);
		b->lineno++;
		if (n && s[n - 1] == '\r')
			n--;
		if (!raw && n && s[n - 1] == '\\' && b->text[b->pos]) {
			sb_putn(&sb, s, n - 1);
			continue;
		}
		sb_putn(&sb, s, n);
		break;
	}
	if (!sb.s)
		sb_putn(&sb, "", 0);
	return sb.s;
}

/*
 * Cut a comment: a '#' outside quotes at the start of a word. Quotes and
 * backslashes follow the same rules as tokenize(), so '#' inside "..." or
 * after '\' is text.
 */
static void strip_comment(char *s)
{
	char q = 0;

	for (char *p = s; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
			else if (q == '"' && *p == '\\' && p[1])
				p++;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = 0;
			break;
		}
	}
	trim_end(s);
}

/* Replace ${NAME} by its -D value and $$ by '$'. NULL after an error. */
static char *substitute(struct bf *b, int line, const char *s)
{
	struct sbuf sb = {0};

	sb_putn(&sb, "", 0);
	for (const char *p = s; *p; p++) {
		if (p[0] != '$' || (p[1] != '$' && p[1] != '{')) {
			sb_putc(&sb, *p);
			continue;
		}
		if (p[1] == '$') {
			sb_putc(&sb, '$');
			p++;
			continue;
		}
		const char *name = p + 2, *end = strchr(name, '}');
		if (!end) {
			err(b, line, "unterminated '${'");
			free(sb.s);
			return NULL;
		}
		size_t n = (size_t)(end - name);
		int i;
		for (i = 0; i < b->ndefs; i++)
			if (!strncmp(b->defs[i], name, n) && b->defs[i][n] == '=')
				break;
		if (i == b->ndefs) {
			err(b, line, "undefined variable '%.*s' (define it with -D %.*s=...)",
			    (int)n, name, (int)n, name);
			free(sb.s);
			return NULL;
		}
		sb_putn(&sb, b->defs[i] + n + 1, strlen(b->defs[i] + n + 1));
		p = end;
	}
	return sb.s;
}

/* Words split at blanks; "..." (with \" and \\), '...' and \x quote; an
 * unquoted '&' is a word of its own (the background operator). */
struct words {
	int n;
	char **w;
	bool *amp; /* w[i] is the '&' operator */
};

static void words_free(struct words *ws)
{
	for (int i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
	free(ws->amp);
	memset(ws, 0, sizeof(*ws));
}

static void words_add(struct words *ws, char *w, bool amp)
{
	ws->w = realloc(ws->w, sizeof(*ws->w) * (size_t)(ws->n + 1));
	ws->amp = realloc(ws->amp, sizeof(*ws->amp) * (size_t)(ws->n + 1));
	if (!ws->w || !ws->amp) {
		fprintf(stderr, "mkifs: out of memory\n");
		exit(1);
	}
	ws->w[ws->n] = w;
	ws->amp[ws->n++] = amp;
}

static int tokenize(struct bf *b, int line, const char *s, struct words *ws)
{
	memset(ws, 0, sizeof(*ws));
	for (const char *p = s;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		if (*p == '&') {
			words_add(ws, mk_strdup("&"), true);
			p++;
			continue;
		}
		struct sbuf sb = {0};
		sb_putn(&sb, "", 0);
		while (*p && *p != ' ' && *p != '\t' && *p != '&') {
			if (*p == '"' || *p == '\'') {
				char q = *p++;
				while (*p && *p != q) {
					if (q == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					sb_putc(&sb, *p++);
				}
				if (!*p) {
					free(sb.s);
					words_free(ws);
					return err(b, line, "unterminated %s quote",
						   q == '"' ? "double" : "single");
				}
				p++;
			} else if (*p == '\\' && p[1]) {
				sb_putc(&sb, p[1]);
				p += 2;
			} else {
				sb_putc(&sb, *p++);
			}
		}
		words_add(ws, sb.s, false);
	}
}

/* --- attributes ------------------------------------------------------------------ */

static bool parse_u32(const char *s, int base, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

enum attr_ctx {
	CTX_FILE_STICKY, /* [..] alone on a line outside the script */
	CTX_FILE_LINE,	 /* [..] in front of a file line */
	CTX_SCRIPT,	 /* [..] in the script (alone or in front) */
};

/* One item of an attribute list: name=value, +name or -name. */
static int attr_item(struct bf *b, int line, char *item, enum attr_ctx ctx, struct fattr *fa,
		     struct sattr *sa)
{
	char sign = 0, *val = NULL, *eq;
	bool in_script = ctx == CTX_SCRIPT;

	if (*item == '+' || *item == '-')
		sign = *item++;
	eq = strchr(item, '=');
	if (eq) {
		*eq = 0;
		val = eq + 1;
	}
	bool known_file = !strcmp(item, "virtual") || !strcmp(item, "perms") ||
			  !strcmp(item, "uid") || !strcmp(item, "gid") || !strcmp(item, "script");
	bool known_script = !strcmp(item, "pri") || !strcmp(item, "restart");
	if (!known_file && !known_script)
		return err(b, line, "unknown attribute '%s'", item);
	if (in_script && !known_script)
		return err(b, line, "attribute '%s' does not apply to script commands", item);
	if (!in_script && !known_file)
		return err(b, line, "attribute '%s' applies only to script commands", item);

	if (!strcmp(item, "script")) {
		if (val || !sign)
			return err(b, line, "'script' is a flag: write [+script]");
		if (ctx != CTX_FILE_LINE)
			return err(b, line,
				   "[+script] must be on the line that opens the script block");
		fa->script = sign == '+';
		return 0;
	}
	if (!strcmp(item, "restart")) {
		if (val || !sign)
			return err(b, line, "'restart' is a flag: write [+restart] or [-restart]");
		sa->restart = sign == '+';
		return 0;
	}
	if (sign || !val)
		return err(b, line, "attribute '%s' takes a value: %s=...", item, item);
	if (!strcmp(item, "virtual")) {
		uint32_t arch;
		if (ctx != CTX_FILE_STICKY)
			return err(b, line,
				   "[virtual=...] applies to the whole image: put it on a line of "
				   "its own");
		if (strchr(val, ','))
			return err(b, line,
				   "boot file formats ('%s') are not supported: the kernel is "
				   "loaded separately from the image",
				   strchr(val, ','));
		if (!strcmp(val, "x86_64"))
			arch = IFS_F_X86_64;
		else if (!strcmp(val, "aarch64le") || !strcmp(val, "aarch64"))
			arch = IFS_F_AARCH64;
		else
			return err(b, line, "unknown architecture '%s' (x86_64 or aarch64le)", val);
		if (b->virtual_line && b->m->flags != arch)
			return err(b, line, "conflicting [virtual=%s]: set differently at line %d",
				   val, b->virtual_line);
		b->m->flags = arch;
		if (!b->virtual_line)
			b->virtual_line = line;
	} else if (!strcmp(item, "perms")) {
		uint32_t v;
		if (!strcmp(val, "*")) {
			fa->perms = -1;
			return 0;
		}
		for (const char *c = val; *c; c++)
			if (*c < '0' || *c > '7')
				return err(
				    b, line,
				    "bad perms '%s': expected octal like 0755 (or * for automatic)",
				    val);
		if (!parse_u32(val, 8, &v) || v > IFS_MODE_MASK)
			return err(b, line,
				   "bad perms '%s': expected octal like 0755 (or * for automatic)",
				   val);
		fa->perms = v;
	} else if (!strcmp(item, "uid") || !strcmp(item, "gid")) {
		uint32_t v;
		if (!parse_u32(val, 10, &v))
			return err(b, line, "bad %s '%s': expected a decimal number", item, val);
		*(item[0] == 'u' ? &fa->uid : &fa->gid) = v;
	} else {
		/* pri=N[f|r|o]: N 1..255, f FIFO, r round-robin, o other. Each
		 * part overrides only what it names: [pri=r] keeps the priority
		 * (set by an earlier line, or inherited), [pri=10] the policy. */
		size_t n = strlen(val);
		char pol = n ? val[n - 1] : 0, num[8];
		bool has_pol = pol == 'f' || pol == 'r' || pol == 'o';
		size_t digits = n - (has_pol ? 1 : 0);
		uint32_t v = 0;
		bool ok = n > 0;
		if (digits) {
			ok = digits < sizeof(num);
			if (ok) {
				memcpy(num, val, digits);
				num[digits] = 0;
				ok = parse_u32(num, 10, &v) && v >= 1 && v <= 255;
			}
		}
		if (!ok)
			return err(b, line,
				   "bad priority '%s': expected 1..255 and an optional policy f "
				   "(FIFO), r (round-robin) or o (other), like 10f",
				   val);
		if (digits)
			sa->priority = (uint8_t)v;
		if (has_pol)
			sa->policy = pol == 'f'	  ? IFS_SCHED_FIFO
				     : pol == 'r' ? IFS_SCHED_RR
						  : IFS_SCHED_OTHER;
	}
	return 0;
}

/* Parse the [..] groups at the front of *sp, advancing it past them. */
static int attr_groups(struct bf *b, int line, char **sp, enum attr_ctx ctx, struct fattr *fa,
		       struct sattr *sa)
{
	char *s = *sp;

	while (*s == '[') {
		char *close = strchr(s, ']');
		if (!close)
			return err(b, line, "missing ']'");
		*close = 0;
		char *item = strtok(s + 1, " \t");
		if (!item)
			return err(b, line, "empty attribute list '[]'");
		for (; item; item = strtok(NULL, " \t"))
			if (attr_item(b, line, item, ctx, fa, sa) < 0)
				return -1;
		s = skip_ws(close + 1);
	}
	*sp = s;
	return 0;
}

/* --- files ------------------------------------------------------------------------ */

static int check_new_name(struct bf *b, int line, const char *name)
{
	const char *why = ifs_name_problem(name, strlen(name));
	size_t n = strlen(name);

	if (why)
		return err(b, line, "invalid name '%s': %s", name, why);
	for (size_t i = 0; i < b->m->nfiles; i++) {
		const struct mk_file *f = &b->m->files[i];
		size_t fn = strlen(f->name);
		if (!strcmp(f->name, name))
			return err(b, line, "duplicate name '%s' (first at line %d)", name,
				   f->line);
		if (fn < n && name[fn] == '/' && !strncmp(f->name, name, fn))
			return err(b, line,
				   "'%s' needs '%s' to be a directory, but it is a file (line %d)",
				   name, f->name, f->line);
		if (n < fn && f->name[n] == '/' && !strncmp(f->name, name, n))
			return err(b, line, "'%s' is a directory (of '%s', line %d), not a file",
				   name, f->name, f->line);
	}
	return 0;
}

static uint32_t file_mode(const struct fattr *fa, const uint8_t *data, size_t size)
{
	if (fa->perms >= 0)
		return (uint32_t)fa->perms;
	/* Programs are executable, everything else read-only; decided by the
	 * contents, not host permissions, so the image does not depend on
	 * the checkout's umask. */
	return size >= 4 && !memcmp(data, "\177ELF", 4) ? 0555 : 0444;
}

static uint8_t *read_host_file(struct bf *b, int line, const char *hpath, size_t *size)
{
	char *full;
	struct stat st;
	FILE *f;
	uint8_t *data;

	if (hpath[0] == '/' || !b->dir[0]) {
		full = mk_strdup(hpath);
	} else {
		size_t dl = strlen(b->dir);
		full = mk_alloc(dl + strlen(hpath) + 2);
		sprintf(full, "%s%s%s", b->dir, b->dir[dl - 1] == '/' ? "" : "/", hpath);
	}
	f = fopen(full, "rb");
	if (!f || fstat(fileno(f), &st) < 0) {
		err(b, line, "cannot read '%s': %s", full, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err(b, line, "cannot read '%s': not a regular file", full);
		goto fail;
	}
	*size = (size_t)st.st_size;
	data = mk_alloc(*size);
	if (fread(data, 1, *size, f) != *size || ferror(f)) {
		err(b, line, "cannot read '%s': %s", full,
		    ferror(f) ? strerror(errno) : "short read");
		free(data);
		goto fail;
	}
	fclose(f);
	free(full);
	return data;
fail:
	if (f)
		fclose(f);
	free(full);
	return NULL;
}

/* "}" alone, perhaps with blanks and a comment after it. */
static bool closes_block(char *s)
{
	s = skip_ws(s);
	if (s[0] != '}' || (s[1] && s[1] != ' ' && s[1] != '\t'))
		return false;
	s = skip_ws(s + 1);
	return !*s || *s == '#';
}

/* An inline file: raw lines up to a line that is '}' (and maybe a comment). */
static int inline_file(struct bf *b, int line, const char *name, const struct fattr *fa)
{
	struct sbuf sb = {0};
	int l;

	for (char *s; (s = read_line(b, true, &l));) {
		if (closes_block(s)) {
			free(s);
			uint32_t mode = file_mode(fa, (uint8_t *)sb.s, sb.len);
			mk_add_file(b->m, name, sb.s, sb.len, mode, fa->uid, fa->gid, line);
			free(sb.s);
			return 0;
		}
		sb_putn(&sb, s, strlen(s));
		sb_putc(&sb, '\n');
		free(s);
	}
	free(sb.s);
	return err(b, line, "unterminated inline file '%s' (no closing '}')", name);
}

/* --- the script ------------------------------------------------------------------- */

static bool is_ident(const char *s, size_t n)
{
	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

/* "5", "2.5", "0.125": seconds with up to 3 decimals, to milliseconds. */
static bool parse_seconds(const char *s, uint32_t *ms)
{
	uint64_t v = 0;
	int frac = -1;

	if (!*s || *s == '.')
		return false;
	for (; *s; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || frac == 3)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (frac >= 0)
			frac++;
		if (v > UINT32_MAX)
			return false;
	}
	if (frac == 0)
		return false; /* "5." */
	for (int i = frac < 0 ? 0 : frac; i < 3; i++)
		v *= 10;
	if (v > UINT32_MAX)
		return false;
	*ms = (uint32_t)v;
	return true;
}

static int script_line(struct bf *b, int line, char *s, struct sattr *sticky)
{
	struct sattr sa = *sticky;
	struct fattr unused = {0};
	struct words ws;
	struct mk_cmd *c;
	bool has_attrs = *s == '[';

	if (attr_groups(b, line, &s, CTX_SCRIPT, &unused, &sa) < 0)
		return -1;
	if (!*s) {
		*sticky = sa; /* attributes alone: for the commands that follow */
		return 0;
	}

	/* NAME=value: an environment variable for the commands after it. */
	size_t eq = strcspn(s, "= \t\"'\\&");
	if (s[eq] == '=' && is_ident(s, eq)) {
		if (has_attrs)
			return err(b, line, "[pri=...] and [+restart] apply only to programs");
		if (tokenize(b, line, s, &ws) < 0)
			return -1;
		if (ws.n != 1) {
			err(b, line,
			    "unexpected '%s' after the assignment (quote a value with spaces)",
			    ws.w[1]);
			words_free(&ws);
			return -1;
		}
		char *arg[2] = {ws.w[0], ws.w[0] + eq + 1};
		ws.w[0][eq] = 0;
		mk_add_cmd(b->m, IFS_CMD_SETENV, 2, arg, line);
		words_free(&ws);
		return 0;
	}

	if (tokenize(b, line, s, &ws) < 0)
		return -1;
	if (!ws.amp[0] && !strcmp(ws.w[0], "display_msg")) {
		/* The words joined by single spaces: quote to keep more. */
		struct sbuf sb = {0};
		sb_putn(&sb, "", 0);
		for (int i = 1; i < ws.n; i++) {
			if (i > 1)
				sb_putc(&sb, ' ');
			sb_putn(&sb, ws.w[i], strlen(ws.w[i]));
		}
		words_free(&ws);
		if (has_attrs) {
			free(sb.s);
			return err(b, line, "[pri=...] and [+restart] apply only to programs");
		}
		mk_add_cmd(b->m, IFS_CMD_DISPLAY_MSG, 1, &sb.s, line);
		free(sb.s);
		return 0;
	}
	for (int i = 0; i < ws.n; i++) {
		if (ws.amp[i] && i != ws.n - 1) {
			words_free(&ws);
			return err(b, line, "'&' may only end a command (quote it to pass it)");
		}
	}
	if (ws.amp[0]) {
		words_free(&ws);
		return err(b, line, "'&' without a command");
	}
	if (!strcmp(ws.w[0], "waitfor")) {
		uint32_t ms = WAITFOR_DEFAULT_MS;
		int r = 0;
		if (has_attrs)
			r = err(b, line, "[pri=...] and [+restart] apply only to programs");
		else if (ws.n < 2 || ws.n > 3 || ws.amp[ws.n - 1] || !ws.w[1][0])
			r = err(b, line, "usage: waitfor PATH [SECONDS]");
		else if (ws.n == 3 && !parse_seconds(ws.w[2], &ms))
			r = err(b, line, "bad timeout '%s': expected seconds like 5 or 0.5",
				ws.w[2]);
		if (r == 0) {
			c = mk_add_cmd(b->m, IFS_CMD_WAITFOR, 1, &ws.w[1], line);
			c->value = ms;
		}
		words_free(&ws);
		return r;
	}

	if (!strcmp(ws.w[0], "reopen")) {
		/* QNX's: later programs' stdin, stdout and stderr. */
		char *dev = ws.n == 2 ? ws.w[1] : "/dev/console";
		int r = 0;
		if (has_attrs)
			r = err(b, line, "[pri=...] and [+restart] apply only to programs");
		else if (ws.n > 2 || ws.amp[ws.n - 1] || !dev[0])
			r = err(b, line, "usage: reopen [DEVICE]");
		else
			mk_add_cmd(b->m, IFS_CMD_REOPEN, 1, &dev, line);
		words_free(&ws);
		return r;
	}

	/* A program. */
	bool bg = ws.amp[ws.n - 1];
	int argc = ws.n - (bg ? 1 : 0);
	if (!ws.w[0][0]) {
		words_free(&ws);
		return err(b, line, "empty program name");
	}
	if (argc > IFS_MAX_ARGS) {
		words_free(&ws);
		return err(b, line, "too many arguments (at most %d)", IFS_MAX_ARGS);
	}
	if (sa.restart && !bg) {
		words_free(&ws);
		return err(b, line, "[+restart] applies only to background programs ('&')");
	}
	c = mk_add_cmd(b->m, IFS_CMD_RUN, argc, ws.w, line);
	c->flags = (bg ? IFS_CMDF_BACKGROUND : 0) | (sa.restart ? IFS_CMDF_RESTART : 0);
	c->priority = sa.priority;
	c->policy = sa.policy;
	words_free(&ws);
	return 0;
}

static int script_block(struct bf *b, int line)
{
	struct sattr sticky = {0, IFS_SCHED_INHERIT, false};
	int l;

	if (b->script_line)
		return err(b, line, "second script block (the first is at line %d)",
			   b->script_line);
	b->script_line = line;
	for (char *raw; (raw = read_line(b, false, &l));) {
		strip_comment(raw);
		char *s = skip_ws(raw);
		if (!strcmp(s, "}")) {
			free(raw);
			return 0;
		}
		if (!*s) {
			free(raw);
			continue;
		}
		char *t = substitute(b, l, s);
		free(raw);
		if (!t)
			return -1;
		int r = script_line(b, l, t, &sticky);
		free(t);
		if (r < 0)
			return -1;
	}
	return err(b, line, "unterminated script block (no closing '}')");
}

/* --- top level -------------------------------------------------------------------- */

/* "NAME", "NAME=PATH", "NAME = {": one word each side of an unquoted '='. */
static int file_line(struct bf *b, int line, char *s, struct fattr *fa)
{
	char *eq = NULL, q = 0;
	struct words left = {0}, right = {0};
	int r = -1;

	for (char *p = s; *p && !eq; p++) {
		if (q) {
			if (*p == q)
				q = 0;
			else if (q == '"' && *p == '\\' && p[1])
				p++;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '=') {
			eq = p;
		}
	}
	if (eq)
		*eq = 0;
	if (tokenize(b, line, s, &left) < 0)
		return -1;
	if (eq && tokenize(b, line, eq + 1, &right) < 0)
		goto out;
	if (left.n == 0) {
		err(b, line, eq ? "missing name before '='" : "expected NAME=PATH or NAME");
		goto out;
	}
	if (left.n > 1 || left.amp[0]) {
		err(b, line, "unexpected '%s': expected NAME=PATH, NAME = { ... } or NAME",
		    left.w[left.n > 1 ? 1 : 0]);
		goto out;
	}
	if (eq && right.n == 0) {
		err(b, line, "missing path after '='");
		goto out;
	}
	if (right.n > 1 || (right.n && right.amp[0])) {
		err(b, line, "unexpected '%s' after the path (quote a path with spaces)",
		    right.w[right.n > 1 ? 1 : 0]);
		goto out;
	}
	const char *name = left.w[0];
	/* '{' opens a block only unquoted: find it in the raw text. */
	bool block = eq && !strcmp(skip_ws(eq + 1), "{");
	if (block && fa->script) {
		r = script_block(b, line);
		goto out;
	}
	if (fa->script) {
		err(b, line, "[+script] needs a block: %s = { ... }", name);
		goto out;
	}
	if (block && !strcmp(name, ".bootstrap")) {
		err(b, line,
		    "'.bootstrap' is not supported: the kernel is loaded separately, not from the "
		    "image");
		goto out;
	}
	if (check_new_name(b, line, name) < 0)
		goto out;
	if (block) {
		r = inline_file(b, line, name, fa);
		goto out;
	}
	size_t size;
	uint8_t *data = read_host_file(b, line, eq ? right.w[0] : name, &size);
	if (!data)
		goto out;
	mk_add_file(b->m, name, data, size, file_mode(fa, data, size), fa->uid, fa->gid, line);
	free(data);
	r = 0;
out:
	words_free(&left);
	words_free(&right);
	return r;
}

static char *load_text(struct bf *b)
{
	FILE *f = fopen(b->path, "rb");
	struct sbuf sb = {0};
	char buf[4096];
	size_t n;

	if (!f) {
		err(b, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	sb_putn(&sb, "", 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (memchr(buf, 0, n)) {
			fclose(f);
			free(sb.s);
			err(b, 0, "not a text file (has NUL bytes)");
			return NULL;
		}
		sb_putn(&sb, buf, n);
	}
	if (ferror(f)) {
		err(b, 0, "cannot read: %s", strerror(errno));
		free(sb.s);
		sb.s = NULL;
	}
	fclose(f);
	return sb.s;
}

/* Warn about programs the script runs that are not in the image: with
 * nothing else mounted at boot, that is almost always a typo. */
static void check_programs(struct bf *b)
{
	for (size_t i = 0; i < b->m->ncmds; i++) {
		const struct mk_cmd *c = &b->m->cmds[i];
		const char *p = c->type == IFS_CMD_RUN ? c->argv[0] : NULL;
		bool found = false;

		if (!p)
			continue;
		if (!strncmp(p, "/proc/boot/", 11))
			p += 11;
		if (p[0] == '/')
			continue; /* somewhere else: cannot tell */
		for (size_t j = 0; j < b->m->nfiles && !found; j++)
			found = !strcmp(b->m->files[j].name, p);
		if (!found)
			fprintf(stderr, "%s:%d: warning: '%s' is not in the image\n", b->path,
				c->line, c->argv[0]);
	}
}

int bf_parse(const char *path, struct mk_image *m, char *const defs[], int ndefs)
{
	struct bf b = {.path = path, .defs = defs, .ndefs = ndefs, .m = m};
	struct fattr sticky = {.perms = -1};
	const char *slash = strrchr(path, '/');
	int line, r = 0;

	b.dir = mk_strdup(path);
	if (slash)
		b.dir[slash == path ? 1 : slash - path] = 0;
	else
		b.dir[0] = 0;
	b.text = load_text(&b);
	if (!b.text) {
		free(b.dir);
		return -1;
	}
	for (char *raw; r == 0 && (raw = read_line(&b, false, &line));) {
		strip_comment(raw);
		char *s = skip_ws(raw), *t = NULL;
		if (!*s) {
			free(raw);
			continue;
		}
		if (!strcmp(s, "}")) {
			free(raw);
			r = err(&b, line, "'}' without an open block");
			break;
		}
		t = substitute(&b, line, s);
		free(raw);
		if (!t) {
			r = -1;
			break;
		}
		struct fattr fa = sticky;
		struct sattr unused = {0, 0, false};
		char *body = t;
		bool alone;
		fa.script = false;
		/* Attributes alone on their line are sticky; in front of a
		 * file line, for that line only. Which one is known only after
		 * the brackets, so parse into a copy and decide then. */
		char *after = body;
		while (*after == '[' && strchr(after, ']'))
			after = skip_ws(strchr(after, ']') + 1);
		alone = body[0] == '[' && !*after;
		r = attr_groups(&b, line, &body, alone ? CTX_FILE_STICKY : CTX_FILE_LINE, &fa,
				&unused);
		if (r == 0) {
			if (alone)
				sticky = fa;
			else
				r = file_line(&b, line, body, &fa);
		}
		free(t);
	}
	if (r == 0 && !b.script_line)
		r = err(&b, 0, "no boot script: add a [+script] .script = { ... } block");
	if (r == 0)
		check_programs(&b);
	free(b.text);
	free(b.dir);
	return r;
}
