/*
 * sh: Muon's small shell. It reads commands from a script file
 * (sh FILE), from a string (sh -c 'TEXT'), or from stdin (a "$ "
 * prompt when stdin is a terminal), and runs them:
 *
 *   words       '...' (literal), "..." ($ expanded, \ before " \ $),
 *               \c, $NAME, ${NAME}, $? (last status), $! (last
 *               background pid), $$; an expansion is never split into
 *               words; # starts a comment at the start of a word
 *   NAME=value  before a command: its environment only; alone: set
 *               (every variable is exported: the environment is the
 *               shell's only store)
 *   a | b       a pipeline, over the pipe manager (servers/pipe)
 *   < > >> 2>   redirections (relative paths from the current directory)
 *   ; && || &   lists; & runs the pipeline (or the whole && || list, as
 *               "sh -c") in the background and reports "[n] pid"
 *   builtins    cd, pwd, echo, exit [n], wait [pid], export NAME[=v],
 *               true, false
 *
 * There is no file system: the current directory is a string the shell
 * keeps (cd checks it is a directory with opendir), prepended to the
 * relative paths of redirections and cd; programs are found by name in
 * the boot image (proc ignores a leading directory).
 *
 * Jobs: each foreground pipeline is a process group of its own, made
 * the terminal's foreground group while it runs (so ^C interrupts it
 * and not the shell, which also ignores SIGINT meanwhile); background
 * ones get a group of their own too and are reaped by wait or at the
 * next prompt.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_STAGES 8
#define MAX_ARGS   32
#define MAX_REDIRS 8
#define MAX_JOBS   16
#define PATH_LEN   256

enum tok { T_WORD, T_SEMI, T_AMP, T_AND, T_OR, T_PIPE, T_LT, T_GT, T_GTGT, T_2GT, T_END };

struct token {
	enum tok type;
	size_t off, len; /* where in the text (a word's raw characters) */
};

struct cmd {
	int words[MAX_ARGS]; /* token indices */
	int nwords;
	struct {
		enum tok type;
		int word;
	} redir[MAX_REDIRS];
	int nredir;
};

struct pipeline {
	struct cmd cmd[MAX_STAGES];
	int n;
};

/* A background process: its job number, reported when it ends. */
struct job {
	int n;
	pid_t pid;
};

static const char *text; /* what is being run */
static struct token *toks;
static int ntoks;
static int last_status;
static pid_t last_bg;
static char cwd[PATH_LEN] = "/";
static bool interactive;
static struct job jobs[MAX_JOBS];
static int next_job = 1;

/* --- strings ---------------------------------------------------------- */

struct str {
	char *p;
	size_t n, cap;
};

static void put(struct str *s, const char *p, size_t n)
{
	if (s->n + n + 1 > s->cap) {
		s->cap = (s->n + n + 1) * 2;
		if (!(s->p = realloc(s->p, s->cap))) {
			fprintf(stderr, "sh: out of memory\n");
			exit(2);
		}
	}
	memcpy(s->p + s->n, p, n);
	s->n += n;
	s->p[s->n] = 0;
}

static void putc_(struct str *s, char c)
{
	put(s, &c, 1);
}

/* A copy of n bytes of p (libc has no strndup). */
static char *copy_of(const char *p, size_t n)
{
	struct str s = {0};
	put(&s, p, n);
	return s.p;
}

/* --- the lexer -------------------------------------------------------- */

static bool is_op(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '<' || c == '>';
}

static void add_tok(enum tok type, size_t off, size_t len)
{
	toks = realloc(toks, (size_t)(ntoks + 1) * sizeof(*toks));
	if (!toks) {
		fprintf(stderr, "sh: out of memory\n");
		exit(2);
	}
	toks[ntoks++] = (struct token){type, off, len};
}

/* Splits text into tokens (newlines are ';'): false after a message. */
static bool lex(void)
{
	size_t i = 0;

	ntoks = 0;
	for (;;) {
		char c = text[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c == '#') {
			while (text[i] && text[i] != '\n')
				i++;
			continue;
		}
		if (!c) {
			add_tok(T_END, i, 0);
			return true;
		}
		if (c == '\n' || c == ';') {
			add_tok(T_SEMI, i++, 1);
			continue;
		}
		if (c == '2' && text[i + 1] == '>' && text[i + 2] != '>') {
			add_tok(T_2GT, i, 2);
			i += 2;
			continue;
		}
		if (is_op(c)) {
			bool twice = text[i + 1] == c && c != ';' && c != '<';
			static const enum tok one[128] = {
			    ['&'] = T_AMP, ['|'] = T_PIPE, ['<'] = T_LT, ['>'] = T_GT};
			enum tok t = !twice	? one[(int)c]
				     : c == '&' ? T_AND
				     : c == '|' ? T_OR
						: T_GTGT;
			add_tok(t, i, twice ? 2 : 1);
			i += twice ? 2 : 1;
			continue;
		}
		size_t start = i;
		while (text[i] && !strchr(" \t\r\n", text[i]) && !is_op(text[i])) {
			char q = text[i];
			if (q == '\\' && text[i + 1]) {
				i += 2;
				continue;
			}
			if (q == '\'' || q == '"') {
				for (i++; text[i] && text[i] != q; i++)
					if (q == '"' && text[i] == '\\' && text[i + 1])
						i++;
				if (!text[i]) {
					fprintf(stderr, "sh: unterminated %c\n", q);
					return false;
				}
			}
			i++;
		}
		add_tok(T_WORD, start, i - start);
	}
}

/* --- expansion -------------------------------------------------------- */

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

/* Expands the $ at p[*i] into out; *i moves past it. */
static void dollar(const char *p, size_t len, size_t *i, struct str *out)
{
	char num[24], name[64];
	size_t j = *i + 1, n = 0;

	if (j < len && (p[j] == '?' || p[j] == '!' || p[j] == '$')) {
		long v = p[j] == '?' ? last_status : p[j] == '!' ? last_bg : getpid();
		snprintf(num, sizeof(num), "%ld", v);
		put(out, num, strlen(num));
		*i = j + 1;
		return;
	}
	bool brace = j < len && p[j] == '{';
	j += brace;
	while (j < len && name_char(p[j], n == 0) && n < sizeof(name) - 1)
		name[n++] = p[j++];
	name[n] = 0;
	if (!n || (brace && (j >= len || p[j] != '}'))) {
		putc_(out, '$'); /* not an expansion: as written */
		*i += 1;
		return;
	}
	*i = j + brace;
	const char *v = getenv(name);
	if (v)
		put(out, v, strlen(v));
}

/* The word of token t with its quotes removed and $ expanded; *quoted
 * says whether any of it was quoted (an empty unquoted word is none). */
static char *expand(int t, bool *quoted)
{
	const char *p = text + toks[t].off;
	size_t len = toks[t].len;
	struct str out = {0};

	put(&out, "", 0);
	*quoted = false;
	for (size_t i = 0; i < len;) {
		char c = p[i];
		if (c == '\\' && i + 1 < len) {
			putc_(&out, p[i + 1]);
			i += 2;
		} else if (c == '\'') {
			size_t e = i + 1;
			while (p[e] != '\'')
				e++;
			put(&out, p + i + 1, e - i - 1);
			i = e + 1;
			*quoted = true;
		} else if (c == '"') {
			*quoted = true;
			for (i++; p[i] != '"';) {
				if (p[i] == '\\' && strchr("\"\\$", p[i + 1])) {
					putc_(&out, p[i + 1]);
					i += 2;
				} else if (p[i] == '$')
					dollar(p, len, &i, &out);
				else
					putc_(&out, p[i++]);
			}
			i++;
		} else if (c == '$')
			dollar(p, len, &i, &out);
		else
			putc_(&out, p[i++]);
	}
	return out.p;
}

/* path made absolute from the current directory, with "." and ".."
 * components resolved, into out (PATH_LEN bytes). */
static void resolve(const char *path, char *out)
{
	char buf[2 * PATH_LEN];
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s/%s", path[0] == '/' ? "" : cwd, path);
	out[0] = 0;
	for (char *c = buf, *next; *c; c = next) {
		size_t len = 0;
		while (c[len] && c[len] != '/')
			len++;
		next = c + len + (c[len] != 0);
		c[len] = 0;
		if (!*c || !strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			while (n && out[n - 1] != '/')
				n--;
			n -= n > 0;
			out[n] = 0;
			continue;
		}
		n += (size_t)snprintf(out + n, PATH_LEN - n, "/%s", c);
		if (n >= PATH_LEN)
			n = PATH_LEN - 1;
	}
	if (!n)
		strcpy(out, "/");
}

/* --- builtins --------------------------------------------------------- */

static void reap(bool block, pid_t only);

static bool assignment(const char *w)
{
	const char *eq = strchr(w, '=');
	if (!eq || eq == w)
		return false;
	for (const char *c = w; c < eq; c++)
		if (!name_char(*c, c == w))
			return false;
	return true;
}

static void set_var(const char *w)
{
	const char *eq = strchr(w, '=');
	char name[64];
	size_t n = (size_t)(eq - w) < sizeof(name) - 1 ? (size_t)(eq - w) : sizeof(name) - 1;

	memcpy(name, w, n);
	name[n] = 0;
	if (setenv(name, eq + 1, 1))
		fprintf(stderr, "sh: %s: %s\n", name, strerror(errno));
}

static int b_cd(int argc, char **argv)
{
	char path[PATH_LEN];
	const char *to = argc > 1 ? argv[1] : getenv("HOME") ? getenv("HOME") : "/";

	resolve(to, path);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "sh: cd: %s: %s\n", to, strerror(errno));
		return 1;
	}
	closedir(d);
	strcpy(cwd, path);
	setenv("PWD", cwd, 1);
	return 0;
}

static int b_pwd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("%s\n", cwd);
	return 0;
}

static int b_echo(int argc, char **argv)
{
	int i = 1;
	bool newline = !(argc > 1 && !strcmp(argv[1], "-n"));

	i += !newline;
	for (; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	if (newline)
		printf("\n");
	return 0;
}

static int b_exit(int argc, char **argv)
{
	fflush(stdout);
	exit(argc > 1 ? atoi(argv[1]) : last_status);
}

static int b_wait(int argc, char **argv)
{
	if (argc > 1) {
		reap(true, (pid_t)atoi(argv[1]));
		return last_status;
	}
	reap(true, 0);
	return 0;
}

static int b_export(int argc, char **argv)
{
	/* Every variable is in the environment already: export only sets. */
	for (int i = 1; i < argc; i++)
		if (assignment(argv[i]))
			set_var(argv[i]);
	return 0;
}

static int b_true(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int b_false(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} builtins[] = {
    {"cd", b_cd},     {"pwd", b_pwd},	    {"echo", b_echo}, {"exit", b_exit},
    {"wait", b_wait}, {"export", b_export}, {"true", b_true}, {"false", b_false},
};

static int builtin(const char *name)
{
	for (unsigned i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(name, builtins[i].name))
			return (int)i;
	return -1;
}

/* --- jobs ------------------------------------------------------------- */

/* $? of a wait status: the exit code, or 128 + the signal. */
static int status_of(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void job_add(pid_t pid, int n)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (!jobs[i].pid) {
			jobs[i] = (struct job){n, pid};
			return;
		}
	/* A full table: the process is still reaped by "wait" (any child). */
}

/* Reaps background processes: all of them (block), or only pid when it
 * is given, or those that have ended (!block). Each ended job's last
 * process is reported at a prompt. */
static void reap(bool block, pid_t only)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(only ? only : -1, &st, block ? 0 : WNOHANG)) > 0) {
		for (int i = 0; i < MAX_JOBS; i++)
			if (jobs[i].pid == pid) {
				if (interactive)
					fprintf(stderr, "[%d] done %d\n", jobs[i].n, status_of(st));
				jobs[i].pid = 0;
			}
		if (only) {
			last_status = status_of(st);
			return;
		}
	}
	if (only && pid < 0) {
		fprintf(stderr, "sh: wait: %d: %s\n", (int)only, strerror(errno));
		last_status = 127;
	}
}

/* --- running ---------------------------------------------------------- */

static int redir_flags(enum tok t)
{
	return t == T_LT ? O_RDONLY : O_WRONLY | O_CREAT | (t == T_GTGT ? O_APPEND : O_TRUNC);
}

static int redir_fd(enum tok t)
{
	return t == T_LT ? 0 : t == T_2GT ? 2 : 1;
}

/* A stage's words expanded: argv (NULL-terminated) after its leading
 * assignments, whose index is returned in *first. */
static int words_of(const struct cmd *c, char **argv, int *first)
{
	int n = 0;
	bool quoted;

	for (int i = 0; i < c->nwords; i++) {
		char *w = expand(c->words[i], &quoted);
		if (!*w && !quoted) {
			free(w);
			continue;
		}
		argv[n++] = w;
	}
	argv[n] = NULL;
	for (*first = 0; *first < n && assignment(argv[*first]); (*first)++)
		;
	return n;
}

static void free_words(char **argv)
{
	for (int i = 0; argv[i]; i++)
		free(argv[i]);
}

/* Runs builtin b in this process with c's redirections and stdin/stdout
 * from in/out (-1: ours): its status. */
static int run_builtin(int b, const struct cmd *c, char **argv, int in, int out)
{
	int saved[3] = {-1, -1, -1}, status = 0;
	char path[PATH_LEN];

	fflush(stdout);
	for (int i = 0; i < c->nredir + 2; i++) {
		int fd, src;
		if (i == 0 || i == 1) {
			fd = i;
			if ((src = i == 0 ? in : out) < 0)
				continue;
		} else {
			bool quoted;
			char *w = expand(c->redir[i - 2].word, &quoted);
			resolve(w, path);
			free(w);
			fd = redir_fd(c->redir[i - 2].type);
			if ((src = open(path, redir_flags(c->redir[i - 2].type) | O_CLOEXEC,
					0666)) < 0) {
				fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
				status = 1;
				goto restore;
			}
		}
		if (saved[fd] < 0 && (saved[fd] = dup(fd)) >= 0)
			fcntl(saved[fd], F_SETFD, FD_CLOEXEC);
		dup2(src, fd);
		if (i >= 2)
			close(src);
	}
	int argc = 0;
	while (argv[argc])
		argc++;
	status = builtins[b].fn(argc, argv);
restore:
	fflush(stdout);
	for (int fd = 0; fd < 3; fd++)
		if (saved[fd] >= 0) {
			dup2(saved[fd], fd);
			close(saved[fd]);
		}
	return status;
}

/* Spawns stage c with stdin/stdout from in/out (-1: ours) into group
 * pgroup (0: a new one): the pid, or -1 after a message (*status set). */
static pid_t spawn_stage(const struct cmd *c, char **argv, int in, int out, pid_t pgroup,
			 int *status)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char path[PATH_LEN];
	pid_t pid = -1;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, pgroup);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	if (out >= 0)
		posix_spawn_file_actions_adddup2(&fa, out, 1);
	for (int i = 0; i < c->nredir; i++) {
		bool quoted;
		char *w = expand(c->redir[i].word, &quoted);
		resolve(w, path);
		free(w);
		posix_spawn_file_actions_addopen(&fa, redir_fd(c->redir[i].type), path,
						 redir_flags(c->redir[i].type), 0666);
	}
	/* What we printed comes before what the child prints. */
	fflush(stdout);
	int err = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err) {
		if (err == ENOENT)
			fprintf(stderr, "sh: %s: not found\n", argv[0]);
		else
			fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(err));
		*status = err == ENOENT ? 127 : 126;
		return -1;
	}
	return pid;
}

/* Runs a pipeline: in the foreground its status, in the background 0
 * after "[n] pid". */
static int run_pipeline(const struct pipeline *pl, bool bg)
{
	char *argv[MAX_STAGES][MAX_ARGS + 1];
	int first[MAX_STAGES], p[MAX_STAGES][2], status[MAX_STAGES] = {0};
	pid_t pids[MAX_STAGES] = {0}, pgroup = 0;

	for (int i = 0; i < pl->n; i++)
		words_of(&pl->cmd[i], argv[i], &first[i]);
	/* Assignments alone set the shell's variables. */
	if (pl->n == 1 && !argv[0][first[0]]) {
		for (int j = 0; argv[0][j]; j++)
			set_var(argv[0][j]);
		free_words(argv[0]);
		return 0;
	}
	for (int i = 0; i < pl->n - 1; i++)
		if (pipe(p[i]) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			for (int j = 0; j < i; j++)
				close(p[j][0]), close(p[j][1]);
			for (int j = 0; j < pl->n; j++)
				free_words(argv[j]);
			return 1;
		} else {
			fcntl(p[i][0], F_SETFD, FD_CLOEXEC);
			fcntl(p[i][1], F_SETFD, FD_CLOEXEC);
		}
	/* The programs first, then the builtins here (a builtin writing
	 * into a pipe needs its reader running). */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < pl->n; i++) {
			char **av = argv[i] + first[i];
			int b = av[0] ? builtin(av[0]) : -1;
			int in = i ? p[i - 1][0] : -1, out = i < pl->n - 1 ? p[i][1] : -1;
			if (!av[0] || (b >= 0) != (pass == 1))
				continue;
			/* A stage's assignments are its own environment's. */
			char *old[MAX_ARGS];
			for (int j = 0; j < first[i]; j++) {
				char *eq = strchr(argv[i][j], '=');
				*eq = 0;
				old[j] = getenv(argv[i][j]) ? copy_of(getenv(argv[i][j]),
								      strlen(getenv(argv[i][j])))
							    : NULL;
				setenv(argv[i][j], eq + 1, 1);
			}
			if (b >= 0)
				status[i] = run_builtin(b, &pl->cmd[i], av, in, out);
			else if ((pids[i] = spawn_stage(&pl->cmd[i], av, in, out, pgroup,
							&status[i])) < 0) {
				pids[i] = 0;
			} else if (!pgroup)
				pgroup = pids[i];
			for (int j = 0; j < first[i]; j++) {
				if (old[j])
					setenv(argv[i][j], old[j], 1);
				else
					unsetenv(argv[i][j]);
				free(old[j]);
			}
		}
	for (int i = 0; i < pl->n - 1; i++)
		close(p[i][0]), close(p[i][1]);
	for (int i = 0; i < pl->n; i++)
		free_words(argv[i]);
	int last = pl->n - 1;
	if (!pgroup)
		return status[last];
	if (bg) {
		int n = next_job++;
		for (int i = 0; i < pl->n; i++)
			if (pids[i]) {
				job_add(pids[i], n);
				last_bg = pids[i];
			}
		fprintf(stderr, "[%d] %d\n", n, (int)last_bg);
		return 0;
	}
	/* The terminal's ^C goes to the job's group, not ours. */
	bool tty = isatty(0);
	pid_t fg = tty ? tcgetpgrp(0) : -1;
	if (tty)
		tcsetpgrp(0, pgroup);
	for (int i = 0; i < pl->n; i++) {
		int st;
		if (!pids[i] || waitpid(pids[i], &st, 0) != pids[i])
			continue;
		status[i] = status_of(st);
		if (WIFSIGNALED(st) && i == last)
			fprintf(stderr, "sh: %d: killed by signal %d\n", (int)pids[i],
				WTERMSIG(st));
	}
	if (tty && fg > 0)
		tcsetpgrp(0, fg);
	/* The last stage's status is the pipeline's. */
	return status[last];
}

/* --- parsing ---------------------------------------------------------- */

static bool syntax(int t)
{
	fprintf(stderr, "sh: syntax error near '%.*s'\n",
		toks[t].type == T_END ? 5 : (int)toks[t].len,
		toks[t].type == T_END ? "(end)" : text + toks[t].off);
	return false;
}

/* The pipeline at *t into pl: false after a message. */
static bool parse_pipeline(int *t, struct pipeline *pl)
{
	pl->n = 0;
	for (;;) {
		if (pl->n == MAX_STAGES) {
			fprintf(stderr, "sh: too many stages\n");
			return false;
		}
		struct cmd *c = &pl->cmd[pl->n++];
		c->nwords = c->nredir = 0;
		for (;; (*t)++) {
			enum tok type = toks[*t].type;
			if (type == T_WORD) {
				if (c->nwords == MAX_ARGS) {
					fprintf(stderr, "sh: too many words\n");
					return false;
				}
				c->words[c->nwords++] = *t;
			} else if (type == T_LT || type == T_GT || type == T_GTGT ||
				   type == T_2GT) {
				if (toks[*t + 1].type != T_WORD)
					return syntax(*t + 1);
				if (c->nredir == MAX_REDIRS) {
					fprintf(stderr, "sh: too many redirections\n");
					return false;
				}
				c->redir[c->nredir].type = type;
				c->redir[c->nredir++].word = ++(*t);
			} else
				break;
		}
		if (!c->nwords)
			return syntax(*t);
		if (toks[*t].type != T_PIPE)
			return true;
		(*t)++;
	}
}

/* Runs the && || list at *t and its terminator: false after a syntax
 * error (*t then unknown). */
static bool run_list(int *t)
{
	int start = *t, end = *t;
	struct pipeline pl;

	/* Find the terminator: a & there backgrounds the whole list. */
	for (int s = start; toks[s].type != T_END && toks[s].type != T_SEMI; s++)
		if (toks[s].type == T_AMP) {
			end = s;
			break;
		}
	bool bg = end > start || (toks[start].type == T_AMP);
	if (bg) {
		/* One pipeline goes as it is; a longer list as "sh -c". */
		int s = start;
		if (!parse_pipeline(&s, &pl))
			return false;
		if (s == end)
			run_pipeline(&pl, true);
		else {
			char *src =
			    copy_of(text + toks[start].off, toks[end].off - toks[start].off);
			posix_spawnattr_t attr;
			pid_t pid;
			char *argv[] = {"sh", "-c", src, NULL};
			posix_spawnattr_init(&attr);
			posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
			fflush(stdout);
			int err = posix_spawn(&pid, "sh", NULL, &attr, argv, environ);
			free(src);
			if (err)
				fprintf(stderr, "sh: sh: %s\n", strerror(err));
			else {
				job_add(pid, next_job);
				last_bg = pid;
				fprintf(stderr, "[%d] %d\n", next_job++, (int)pid);
			}
		}
		last_status = 0;
		*t = end + 1;
		return true;
	}
	enum tok conn = T_SEMI;
	for (;;) {
		if (!parse_pipeline(t, &pl))
			return false;
		if (conn == T_SEMI || (conn == T_AND) == (last_status == 0)) {
			/* A ^C is the job's, not ours: ignored before the job
			 * starts (its processes start with SIGINT's default). */
			void (*old_int)(int) = signal(SIGINT, SIG_IGN);
			last_status = run_pipeline(&pl, false);
			signal(SIGINT, old_int);
		}
		conn = toks[*t].type;
		if (conn != T_AND && conn != T_OR)
			break;
		(*t)++;
		while (toks[*t].type == T_SEMI && text[toks[*t].off] == '\n')
			(*t)++; /* a list may go on on the next line */
	}
	if (toks[*t].type == T_SEMI)
		(*t)++;
	return true;
}

/* Runs the commands of s (ours to keep until the next call). */
static void run_text(const char *s)
{
	int t = 0;

	text = s;
	if (!lex()) {
		last_status = 2;
		return;
	}
	while (toks[t].type != T_END) {
		if (toks[t].type == T_SEMI) {
			t++;
			continue;
		}
		if (!run_list(&t)) {
			last_status = 2;
			return;
		}
	}
}

/* The whole of fd as a string: NULL after a message. */
static char *slurp(int fd, const char *name)
{
	struct str s = {0};
	char buf[512];
	ssize_t n;

	put(&s, "", 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		put(&s, buf, (size_t)n);
	if (n < 0) {
		fprintf(stderr, "sh: %s: %s\n", name, strerror(errno));
		free(s.p);
		return NULL;
	}
	return s.p;
}

int main(int argc, char **argv)
{
	if (getenv("PWD") && getenv("PWD")[0] == '/')
		resolve(getenv("PWD"), cwd);
	if (argc > 2 && !strcmp(argv[1], "-c")) {
		run_text(argv[2]);
		return last_status;
	}
	if (argc > 1) {
		int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		char *script = fd < 0 ? NULL : slurp(fd, argv[1]);
		if (fd < 0)
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
		else
			close(fd);
		if (!script)
			return 127;
		run_text(script);
		return last_status;
	}
	/* stdin, a line at a time (a terminal's read gives one line). */
	interactive = isatty(0);
	if (interactive) {
		signal(SIGINT, SIG_IGN); /* ^C at the prompt only drops the line */
		tcsetpgrp(0, getpgrp()); /* ours until a job takes it */
	}
	char line[1024];
	for (;;) {
		if (interactive) {
			reap(false, 0);
			printf("$ ");
			fflush(stdout);
		}
		if (!fgets(line, sizeof(line), stdin))
			break;
		char *copy = copy_of(line, strlen(line));
		run_text(copy);
		free(copy);
	}
	return last_status;
}
