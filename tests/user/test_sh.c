/*
 * The shell, utils/sh (booted init=proc init.run=test_sh): each feature
 * run from a script (sh -c TEXT, a script file, a script on stdin) and
 * the exact bytes it wrote checked: quoting, $VAR, ${VAR}, $?,
 * assignments, ; && ||, exit statuses, an unknown command (127), < > >>
 * 2>, cd and pwd, pipelines (the pipe manager), & and wait, and ^C
 * (SIGINT to the foreground job's group) interrupting the job and not
 * the shell.
 *
 * A thread of ours serves /dev/shtest, a directory with the files the
 * scripts use: "out" and "err" (the shell's stdout and stderr: what was
 * written, from offset 0 after O_TRUNC), "file" (the same, for the
 * scripts' own redirections), "in" (fixed lines), "script" (a script)
 * and "hold" (a read never answered until the reader is signalled: it
 * tells main who is reading). Nothing waits on time.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/iofunc.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include <unistd.h>

#include "counts.h"
#include "tap.h"

enum { F_DIR, F_OUT, F_ERR, F_FILE, F_IN, F_SCRIPT, F_HOLD, NFILES };
static const char *const names[NFILES] = {"", "out", "err", "file", "in", "script", "hold"};
static iofunc_attr_t attrs[NFILES];
static char bufs[NFILES][1024];
static const char in_text[] = "line one\nline two\n";
static const char script_text[] = "X=1\n"
				  "echo line $X # a comment\n"
				  "false\n"
				  "echo $?\n"
				  "exit 3\n"
				  "echo never\n";

static sem_t held_sem; /* posted when a read of "hold" is held */
static int held_rcvid;
static pid_t held_pid;

static int file_of(iofunc_ocb_t *ocb)
{
	return (int)(ocb->attr - attrs);
}

static int st_open(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *handle, void *extra)
{
	(void)handle;
	for (int f = 0; f < NFILES; f++)
		if (!strcmp(msg->i.path, names[f])) {
			if (msg->i.ioflag & O_TRUNC)
				bufs[f][0] = 0;
			return iofunc_open_default(ctp, msg, &attrs[f], extra);
		}
	return ENOENT;
}

static int st_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	int r = iofunc_read_verify(ctp, msg, ocb, NULL), f = file_of(ocb);
	if (r != EOK)
		return r;
	if (f == F_HOLD) {
		held_rcvid = ctp->rcvid;
		held_pid = ctp->info.pid;
		sem_post(&held_sem);
		return _RESMGR_NOREPLY;
	}
	off_t left = ocb->attr->nbytes - ocb->offset;
	size_t n = left <= 0 ? 0 : (size_t)left;
	if (n > (size_t)msg->i.nbytes)
		n = (size_t)msg->i.nbytes;
	SETIOV(&ctp->iov[0], bufs[f] + ocb->offset, n);
	ocb->offset += (off_t)n;
	_IO_SET_READ_NBYTES(ctp, (int)n);
	return _RESMGR_NPARTS(n ? 1 : 0);
}

static int st_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	int r = iofunc_write_verify(ctp, msg, ocb, NULL), f = file_of(ocb);
	if (r != EOK)
		return r;
	if (f != F_OUT && f != F_ERR && f != F_FILE)
		return EACCES;
	if (ocb->ioflag & O_APPEND)
		ocb->offset = ocb->attr->nbytes;
	size_t room = sizeof(bufs[f]) - 1 - (size_t)ocb->offset;
	size_t n = (size_t)msg->i.nbytes < room ? (size_t)msg->i.nbytes : room;
	if (resmgr_msgread(ctp, bufs[f] + ocb->offset, n, sizeof(msg->i)) != (ssize_t)n)
		return EFAULT;
	ocb->offset += (off_t)n;
	if (ocb->offset > ocb->attr->nbytes)
		ocb->attr->nbytes = ocb->offset;
	bufs[f][ocb->attr->nbytes] = 0;
	_IO_SET_WRITE_NBYTES(ctp, (int)n);
	return EOK;
}

/* A held reader of "hold" signalled: EINTR (then the signal acts). */
static int on_unblock(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	if (ctp->msg->pulse.value.sival_int == held_rcvid) {
		MsgError(held_rcvid, EINTR);
		held_rcvid = 0;
	}
	return 0;
}

static void *server(void *ready)
{
	static resmgr_connect_funcs_t connect;
	static resmgr_io_funcs_t io;
	dispatch_t *dpp = dispatch_create();
	dispatch_context_t *ctp;

	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &connect, _RESMGR_IO_NFUNCS, &io);
	connect.open = st_open;
	io.read = st_read;
	io.write = st_write;
	for (int f = 0; f < NFILES; f++)
		iofunc_attr_init(&attrs[f], f == F_DIR ? S_IFDIR | 0555 : S_IFREG | 0666, NULL,
				 NULL);
	strcpy(bufs[F_IN], in_text);
	attrs[F_IN].nbytes = (off_t)strlen(in_text);
	strcpy(bufs[F_SCRIPT], script_text);
	attrs[F_SCRIPT].nbytes = (off_t)strlen(script_text);
	if (!dpp ||
	    resmgr_attach(dpp, NULL, "/dev/shtest", _FTYPE_ANY, 0, &connect, &io, NULL) < 0 ||
	    pulse_attach(dpp, 0, _PULSE_CODE_UNBLOCK, on_unblock, NULL) == -1 ||
	    !(ctp = dispatch_context_alloc(dpp))) {
		printf("# server: set-up: %s\n", strerror(errno));
		exit(1);
	}
	sem_post(ready);
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}

/* Starts sh with argv, stdin from in (NULL: ours), stdout and stderr into
 * "out" and "err": its pid. */
static pid_t start(char *const argv[], const char *in)
{
	posix_spawn_file_actions_t fa;
	pid_t pid = -1;

	posix_spawn_file_actions_init(&fa);
	if (in)
		posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/shtest/out", O_WRONLY | O_TRUNC, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/shtest/err", O_WRONLY | O_TRUNC, 0);
	if (posix_spawn(&pid, "sh", &fa, NULL, argv, NULL))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* sh's exit status (-1: it did not exit). */
static int finish(pid_t pid)
{
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int sh_c(const char *script)
{
	return finish(start((char *[]){"sh", "-c", (char *)script, NULL}, NULL));
}

static int same(const char *got, const char *want)
{
	if (!strcmp(got, want))
		return 1;
	printf("#   got \"%s\"\n#   want \"%s\"\n", got, want);
	return 0;
}

/* got matches want with each '#' standing for one or more digits. */
static int like(const char *got, const char *want)
{
	const char *g = got, *w = want;
	while (*w) {
		if (*w == '#') {
			if (*g < '0' || *g > '9')
				break;
			while (*g >= '0' && *g <= '9')
				g++;
			w++;
		} else if (*g++ != *w++)
			return same(got, want);
	}
	return !*g && !*w ? 1 : same(got, want);
}

#define OUT bufs[F_OUT]
#define ERR bufs[F_ERR]

int main(void)
{
	sem_t ready;
	pthread_t tid;

	tap_plan(40);
	sem_init(&ready, 0, 0);
	sem_init(&held_sem, 0, 0);
	CHECK(pthread_create(&tid, NULL, server, &ready) == 0 && sem_wait(&ready) == 0);
	struct ker_info_counts base = counts(); /* with our server running */

	/* Quoting and expansion; assignments before a command are its own. */
	CHECK_EQ(sh_c("X=hi; echo 'a  $X' \"c $X\" \\$X d\\ e \"q\\\"\" ${X}x"), 0);
	CHECK(same(OUT, "a  $X c hi $X d e q\" hix\n") && same(ERR, ""));
	CHECK_EQ(sh_c("V=val; V=child sh -c 'echo $V'; echo $V; export W=w; sh -c 'echo $W'"), 0);
	CHECK(same(OUT, "child\nval\nw\n"));

	/* $?, ; && ||, and exit statuses. */
	CHECK_EQ(sh_c("false; echo $?; true && echo and; false && echo no; false || echo or;"
		      " true || echo no2; false || false && echo no3; echo end"),
		 0);
	CHECK(same(OUT, "1\nand\nor\nend\n"));
	CHECK_EQ(sh_c("exit 7"), 7);
	CHECK_EQ(sh_c("true; false"), 1);
	CHECK_EQ(sh_c("sh -c 'exit 5'; echo $?; exit"), 0);
	CHECK(same(OUT, "5\n"));

	/* An unknown command: 127 and a message. */
	CHECK_EQ(sh_c("nosuchprog a b; echo $?"), 0);
	CHECK(same(OUT, "127\n") && same(ERR, "sh: nosuchprog: not found\n"));

	/* Redirections, from a builtin and a program; cd and pwd. */
	CHECK_EQ(sh_c("echo one > /dev/shtest/file; echo two >> /dev/shtest/file;"
		      " cat < /dev/shtest/file; pwd; cd /dev; pwd; cd shtest; pwd;"
		      " cat < file; cat < in; cd ../nothere; echo $?; cd ..; pwd"),
		 0);
	CHECK(same(OUT, "one\ntwo\n/\n/dev\n/dev/shtest\none\ntwo\nline one\nline two\n1\n/dev\n"));
	CHECK(!strncmp(ERR, "sh: cd: ../nothere: ", 20));
	CHECK_EQ(sh_c("cat /dev/nothere 2> /dev/shtest/file; echo $?; cat /dev/shtest/in >"
		      " /dev/shtest/file"),
		 0);
	CHECK(same(OUT, "1\n") && same(bufs[F_FILE], "line one\nline two\n") && same(ERR, ""));

	/* Pipelines: the last stage's status is the pipeline's; a long one
	 * (many fds granted at once) reaches its end whole. */
	CHECK_EQ(sh_c("echo piped | cat; cat < /dev/shtest/in | cat | cat; echo x | false;"
		      " echo $?; false | cat; echo $?"),
		 0);
	CHECK(same(OUT, "piped\nline one\nline two\n1\n0\n"));
	CHECK_EQ(sh_c("echo big | cat | cat | cat | cat | cat | cat > /dev/shtest/file"), 0);
	CHECK(same(ERR, "") && same(bufs[F_FILE], "big\n"));

	/* Background jobs and wait. */
	CHECK_EQ(sh_c("cat /dev/shtest/in > /dev/shtest/file & wait $!; echo $?;"
		      " sh -c 'exit 1' & wait $!; echo $?; true && echo list &"
		      " wait; echo waited"),
		 0);
	CHECK(same(OUT, "0\n1\nlist\nwaited\n") && like(ERR, "[1] #\n[2] #\n[3] #\n"));
	CHECK(same(bufs[F_FILE], "line one\nline two\n"));

	/* A script file, and a script on stdin (not a terminal). */
	CHECK_EQ(finish(start((char *[]){"sh", "/dev/shtest/script", NULL}, NULL)), 3);
	CHECK(same(OUT, "line 1\n1\n"));
	CHECK_EQ(finish(start((char *[]){"sh", NULL}, "/dev/shtest/script")), 3);
	CHECK(same(OUT, "line 1\n1\n"));
	CHECK_EQ(sh_c("echo 'unterminated"), 2);
	CHECK(same(ERR, "sh: unterminated '\n"));
	CHECK_EQ(sh_c("echo a | ; echo b"), 2);

	/* ^C: SIGINT to the foreground job's group ends the job; the shell,
	 * also signalled, goes on. */
	pid_t sh = start((char *[]){"sh", "-c", "cat /dev/shtest/hold; echo after $?", NULL}, NULL);
	CHECK(sh > 0 && sem_wait(&held_sem) == 0);
	CHECK(getpgid(held_pid) == held_pid && held_pid != sh);
	CHECK(kill(sh, SIGINT) == 0 && kill(-held_pid, SIGINT) == 0);
	CHECK_EQ(finish(sh), 0);
	char want[64];
	snprintf(want, sizeof(want), "sh: %d: killed by signal 2\n", (int)held_pid);
	CHECK(same(OUT, "after 130\n") && same(ERR, want));

	/* Everything the shells made has gone. */
	struct ker_info_counts now = counts();
	CHECK_EQ(now.processes, base.processes);
	CHECK_EQ(now.connections, base.connections);
	CHECK_EQ(now.channels, base.channels);
	return tap_done();
}
