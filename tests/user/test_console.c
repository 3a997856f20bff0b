/*
 * The console server, devc-ser (servers/devc-ser), from proc's child
 * (booted init=proc init.run=test_console: proc has started devc-ser
 * from the boot script, and our stdin, stdout and stderr are its
 * /dev/console).
 *
 * Input comes from the harness: each "MUON-TYPE" line this test prints
 * makes tools/qemu-test type its next --type text into QEMU's serial
 * line (tools/run-tests lists them, in the order of the prompts below),
 * and the harness checks the echo on the console with --expect-text.
 * Before each prompt the test drains the output (tcdrain), so the
 * prompt never lands inside an echo.
 *
 * Shown: canonical reads of typed lines with erase (DEL, ^H), kill (^U),
 * VEOF and partial reads; raw mode (single bytes, no echo, ^C only a
 * byte; VMIN 0 polls; VTIME times a read out, alone or after a byte); tcgetattr/tcsetattr round
 * trip; ^C signalling the foreground process group (a child in a group of its own) and nobody else;
 * setpgid/getpgid errors; a 4 KiB write arriving whole and in order;
 * the open's flags through devctl (O_NONBLOCK: a read with no input is
 * EAGAIN);
 * bad devctls and bad messages get QNX errors and the server keeps
 * serving; a reader interrupted by a signal gets EINTR, a reader killed
 * in its read leaves the next read its input; killing the server during
 * a read gives the reader EBADF, not a hang, and proc starts it again
 * (our stdout moves to the new one); counts back at baseline.
 *
 * Roles (this program again): "sigint PID CHID" (its own group, waits
 * for SIGINT, exits 42), "reader PID CHID" (reads the console; EINTR
 * told to the parent, then reads again until killed).
 */
#include <devctl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dcmd_all.h>
#include <sys/dcmd_chr.h>
#include <sys/iomsg.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "counts.h"
#include "tap.h"

#define T_READY 0x1000 /* child to parent: set up */
#define T_EINTR 0x1001 /* reader to parent: its read ended with EINTR */

#define STATE_REPLY 6

/* --- child roles ---------------------------------------------------------- */

static int parent_pid, parent_chid;

static int tell_parent(uint16_t type)
{
	int coid = ConnectAttach(0, parent_pid, parent_chid, _NTO_SIDE_CHANNEL, 0);
	int ok = coid >= 0 && MsgSend(coid, &type, sizeof(type), NULL, 0) == 0;
	if (coid >= 0)
		ConnectDetach(coid);
	return ok;
}

static volatile sig_atomic_t got_signal;

static void on_signal(int signo)
{
	got_signal = signo;
}

/* In a group of its own (the parent makes it the foreground one). */
static int sigint_role(void)
{
	sigset_t block, none;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
	signal(SIGINT, on_signal);
	if (setpgid(0, 0) != 0 || !tell_parent(T_READY))
		return 1;
	sigemptyset(&none);
	while (!got_signal)
		sigsuspend(&none);
	return got_signal == SIGINT ? 42 : 2;
}

static int reader_role(void)
{
	struct sigaction sa = {0};
	char buf[16];

	sa.sa_handler = on_signal; /* no SA_RESTART: a read ends with EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	int fd = open("/dev/ser1", O_RDONLY);
	if (fd < 0 || !tell_parent(T_READY))
		return 1;
	if (read(fd, buf, sizeof(buf)) != -1 || errno != EINTR || !tell_parent(T_EINTR))
		return 2;
	read(fd, buf, sizeof(buf)); /* killed in here */
	return 3;
}

/* --- helpers ---------------------------------------------------------------- */

static int chid;

static pid_t spawn_role(const char *role)
{
	char ppid[16], pchid[16];
	snprintf(ppid, sizeof(ppid), "%d", getpid());
	snprintf(pchid, sizeof(pchid), "%d", chid);
	char *argv[] = {"test_console", (char *)role, ppid, pchid, NULL};
	pid_t pid = -1;
	return posix_spawn(&pid, "test_console", NULL, NULL, argv, NULL) ? -1 : pid;
}

/* The next message of a child (type want): answered, true if it came. */
static int heard(pid_t from, uint16_t want)
{
	uint16_t type = 0;
	struct _msg_info info;
	int rcvid = MsgReceive(chid, &type, sizeof(type), &info);
	if (rcvid <= 0)
		return 0;
	MsgReply(rcvid, 0, NULL, 0);
	return info.pid == from && type == want;
}

/* The pid of the process named name (its first thread's), or -1. */
static pid_t pid_named(const char *name)
{
	static struct ker_thread_info t[256];
	long n = KerInfo(KER_INFO_THREADS, t, sizeof(t));
	for (long i = 0; i < n && i < 256; i++)
		if (!strcmp(t[i].name, name))
			return t[i].pid;
	return -1;
}

/* Waits (bounded) until thread pid/tid (tid 0: any of pid) is
 * REPLY-blocked on process on: whether it came to that. */
static int blocked_on(pid_t pid, int tid, pid_t on)
{
	static struct ker_thread_info t[256];
	for (int tries = 0; tries < 100000; tries++) {
		long n = KerInfo(KER_INFO_THREADS, t, sizeof(t));
		for (long i = 0; i < n && i < 256; i++)
			if (t[i].pid == pid && (!tid || t[i].tid == tid) &&
			    t[i].state == STATE_REPLY && t[i].blocked_on == on)
				return 1;
		SchedYield();
	}
	return 0;
}

/* The harness types the next --type text. What was written before has
 * left the line by then. */
static void prompt(int fd)
{
	tcdrain(fd);
	printf("MUON-TYPE\n");
}

static int read_is(int fd, size_t n, const char *want)
{
	char buf[128] = {0};
	ssize_t got = read(fd, buf, n);
	if (got == (ssize_t)strlen(want) && !memcmp(buf, want, (size_t)got))
		return 1;
	printf("#   read %zd bytes \"%.*s\", want \"%s\"\n", got, got > 0 ? (int)got : 0, buf,
	       want);
	return 0;
}

static int is_error(int err, int want)
{
	if (err == want)
		return 1;
	printf("#   got error %d, want %d\n", err, want);
	return 0;
}

/* devc-ser serves /dev/ser1 (proc starts it from the boot script). */
static int have_server(void)
{
	int fd = open("/dev/ser1", O_RDWR);
	return fd >= 0 && close(fd) == 0;
}

/* --- the tests ------------------------------------------------------------- */

static void settings(int fd)
{
	struct termios t, back;

	CHECK(isatty(fd));
	CHECK(tcgetattr(fd, &t) == 0);
	CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	CHECK(t.c_cc[VERASE] == 0x7f && t.c_cc[VKILL] == 0x15 && t.c_cc[VINTR] == 0x03);
	CHECK(cfgetispeed(&t) == B115200 && cfgetospeed(&t) == B115200);
	/* Round trip of every field. */
	struct termios mine = t;
	mine.c_cc[VEOL] = '@';
	mine.c_lflag &= ~(tcflag_t)ECHOK;
	mine.c_iflag |= IGNPAR;
	cfsetospeed(&mine, B9600);
	CHECK(tcsetattr(fd, TCSANOW, &mine) == 0 && tcgetattr(fd, &back) == 0 &&
	      !memcmp(&back, &mine, sizeof(back)));
	CHECK(tcsetattr(fd, TCSADRAIN, &t) == 0 && tcgetattr(fd, &back) == 0 &&
	      !memcmp(&back, &t, sizeof(back)));
	CHECK(tcsetattr(fd, 99, &t) == -1 && errno == EINVAL);
}

static void canonical(int fd)
{
	prompt(fd);
	CHECK(read_is(fd, 100, "hello console\n"));
	prompt(fd); /* DEL erases */
	CHECK(read_is(fd, 100, "hello\n"));
	prompt(fd); /* so does ^H */
	CHECK(read_is(fd, 100, "ac\n"));
	prompt(fd); /* ^U kills the line */
	CHECK(read_is(fd, 100, "kept\n"));
	prompt(fd); /* a line read in parts */
	CHECK(read_is(fd, 3, "abc"));
	CHECK(read_is(fd, 100, "def\n"));
	prompt(fd); /* ^D on an empty line: end of file */
	CHECK(read_is(fd, 100, ""));
	prompt(fd); /* ^D ends a line without a newline */
	int xy = read_is(fd, 100, "xy");
	tcdrain(fd);
	printf("# eof line done\n"); /* ends the echoed "xy" line */
	CHECK(xy);
}

static void raw(int fd)
{
	struct termios t, r;

	tcgetattr(fd, &t);
	r = t;
	cfmakeraw(&r);
	CHECK(tcsetattr(fd, TCSAFLUSH, &r) == 0);
	prompt(fd);
	CHECK(read_is(fd, 1, "z"));
	CHECK(read_is(fd, 1, "\x03")); /* ISIG off: only a byte */
	printf("# raw read done\n");
	char buf[8];
	r.c_cc[VMIN] = 0; /* a poll */
	CHECK(tcsetattr(fd, TCSANOW, &r) == 0 && read(fd, buf, sizeof(buf)) == 0);
	r.c_cc[VTIME] = 1; /* nothing within a tenth of a second */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ssize_t got = tcsetattr(fd, TCSANOW, &r) == 0 ? read(fd, buf, sizeof(buf)) : -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	CHECK(got == 0 && ns >= 100000000);
	r.c_cc[VMIN] = 5; /* one byte, then two tenths of silence */
	r.c_cc[VTIME] = 2;
	CHECK(tcsetattr(fd, TCSANOW, &r) == 0);
	prompt(fd);
	CHECK(read_is(fd, 10, "q"));
	CHECK(tcsetattr(fd, TCSANOW, &t) == 0);
}

static void foreground(int fd)
{
	pid_t child = spawn_role("sigint");
	CHECK(child > 0 && heard(child, T_READY));
	CHECK_EQ(getpgid(child), child);
	CHECK(getpgid(0) == getpgrp() && getpgrp() != child);
	CHECK(setpgid(1, 1) == -1 && errno == ESRCH);	     /* not our child */
	CHECK(setpgid(child, 9999) == -1 && errno == EPERM); /* no such group */
	CHECK(kill(-child, 0) == 0);
	CHECK(tcsetpgrp(fd, child) == 0);
	CHECK_EQ(tcgetpgrp(fd), child);
	prompt(fd); /* ^C */
	int st = 0;
	CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 42);
	CHECK(kill(-child, 0) == -1 && errno == ESRCH);
	CHECK(tcsetpgrp(fd, getpgrp()) == 0);
}

static void write_4k(int fd)
{
	static char buf[4096];
	for (int l = 0; l < 64; l++) {
		char *p = buf + l * 64;
		snprintf(p, 8, "4K-%02d ", l);
		for (int i = 7; i < 63; i++)
			p[i] = (char)('a' + (l + i) % 26);
		p[63] = '\n';
		p[6] = ' ';
	}
	printf("# 4k begin\n");
	ssize_t wrote = write(fd, buf, sizeof(buf));
	int drained = tcdrain(fd); /* before we print again */
	CHECK_EQ(wrote, sizeof(buf));
	CHECK(drained == 0);
	printf("# 4k end\n");
}

/* iofunc_devctl_default: the open's flags; O_NONBLOCK makes a read
 * with no input EAGAIN instead of waiting. */
static void open_flags(int fd)
{
	int flags = 0;
	CHECK(devctl(fd, DCMD_ALL_GETFLAGS, &flags, sizeof(flags), NULL) == EOK &&
	      (flags & O_ACCMODE) == O_RDWR);
	flags = O_NONBLOCK;
	char c;
	CHECK(devctl(fd, DCMD_ALL_SETFLAGS, &flags, sizeof(flags), NULL) == EOK &&
	      read(fd, &c, 1) == -1 && errno == EAGAIN);
	flags = 0;
	CHECK(devctl(fd, DCMD_ALL_SETFLAGS, &flags, sizeof(flags), NULL) == EOK);
}

static void bad_input(int fd)
{
	struct termios t;
	pid_t pg;

	CHECK(is_error(devctl(fd, __DIOF(_DCMD_CHR, 200, int), &pg, sizeof(pg), NULL), ENOTTY));
	CHECK(is_error(devctl(fd, DCMD_CHR_TCGETATTR, &t, sizeof(t) - 1, NULL), EINVAL));
	CHECK(is_error(devctl(fd, DCMD_CHR_TCSETATTR, &t, 4, NULL), EINVAL));
	CHECK(tcflush(fd, 99) == -1 && errno == EINVAL);
	CHECK(tcsetpgrp(fd, 0) == -1 && errno == EINVAL);
	CHECK(tcsetpgrp(fd, 3999) == -1 && errno == EPERM);
	CHECK(is_error(devctl(-1, DCMD_CHR_TCDRAIN, NULL, 0, NULL), EBADF));
	/* Straight to the channel: too short, a type nobody serves, a
	 * negative read, a devctl claiming data it did not send. */
	uint16_t type = _IO_DEVCTL;
	CHECK(MsgSend(fd, &type, sizeof(type), NULL, 0) == -1 && errno == EINVAL);
	type = 0x1f0;
	CHECK(MsgSend(fd, &type, sizeof(type), NULL, 0) == -1 && errno == ENOSYS);
	struct _io_read rd = {.type = _IO_READ, .nbytes = -1};
	CHECK(MsgSend(fd, &rd, sizeof(rd), NULL, 0) == -1 && errno == EINVAL);
	struct _io_devctl dc = {
	    .type = _IO_DEVCTL, .dcmd = DCMD_CHR_TCSETATTR, .nbytes = sizeof(t)};
	CHECK(MsgSend(fd, &dc, sizeof(dc), NULL, 0) == -1 && errno == EINVAL);
	CHECK(tcgetattr(fd, &t) == 0 && (t.c_lflag & ICANON)); /* still serving */
	CHECK(tcflush(fd, TCIOFLUSH) == 0);
}

static void dead_reader(int fd, pid_t srv)
{
	pid_t child = spawn_role("reader");
	CHECK(child > 0 && heard(child, T_READY) && blocked_on(child, 0, srv));
	CHECK(kill(child, SIGUSR1) == 0 && heard(child, T_EINTR));
	CHECK(blocked_on(child, 0, srv) && kill(child, SIGKILL) == 0);
	int st = 0;
	CHECK(waitpid(child, &st, 0) == child && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	prompt(fd); /* the dead reader's read took nothing */
	CHECK(read_is(fd, 100, "after\n"));
}

static int fd_read_err;

static void *reading(void *arg)
{
	char buf[8];
	fd_read_err = read((int)(long)arg, buf, sizeof(buf)) == -1 ? errno : 0;
	return NULL;
}

/* The console server killed while our thread reads from it: the read
 * fails with EBADF, not a hang; proc starts devc-ser again ([+restart])
 * and we take our stdout and stderr from the new one before saying so
 * (ours went with the old). */
static void kill_server(int fd, pid_t srv)
{
	pthread_t th;

	pthread_create(&th, NULL, reading, (void *)(long)fd);
	int blocked = blocked_on(getpid(), (int)th, srv);
	int killed = kill(srv, SIGKILL) == 0 && pthread_join(th, NULL) == 0;
	pid_t again = -1;
	int con = -1;
	for (int tries = 0; tries < 100000 && con < 0; tries++) {
		SchedYield();
		again = pid_named("devc-ser");
		if (again > 0 && again != srv)
			con = open("/dev/console", O_RDWR); /* once it has attached */
	}
	int restored = con >= 3 && dup2(con, 1) == 1 && dup2(con, 2) == 2 && close(con) == 0;
	CHECK(blocked && killed && fd_read_err == EBADF);
	CHECK(again > 0 && again != srv && restored);
}

int main(int argc, char **argv)
{
	if (argc == 4) {
		parent_pid = atoi(argv[2]);
		parent_chid = atoi(argv[3]);
		if (!strcmp(argv[1], "sigint"))
			return sigint_role();
		if (!strcmp(argv[1], "reader"))
			return reader_role();
		return 1;
	}
	tap_plan(73);
	struct ker_info_counts none = counts();
	CHECK(have_server());
	pid_t srv = pid_named("devc-ser");
	chid = ChannelCreate(0);
	struct ker_info_counts base = counts();

	int fd = open("/dev/ser1", O_RDWR);
	int con = open("/dev/console", O_WRONLY);
	CHECK(fd >= 3 && con >= 3 && isatty(con));
	CHECK(close(con) == 0);
	settings(fd);
	canonical(fd);
	raw(fd);
	foreground(fd);
	write_4k(fd);
	open_flags(fd);
	bad_input(fd);
	dead_reader(fd, srv);
	CHECK(close(fd) == 0);

	ChannelDestroy(chid);
	struct ker_info_counts now = counts();
	base.channels--; /* ours, destroyed */
	CHECK_EQ(now.processes, base.processes);
	CHECK_EQ(now.threads, base.threads);
	CHECK_EQ(now.channels, base.channels);
	CHECK_EQ(now.connections, base.connections);
	CHECK_EQ(now.interrupts, base.interrupts);

	fd = open("/dev/ser1", O_RDONLY);
	kill_server(fd, srv);
	CHECK(close(fd) == 0);
	/* The new server serves, with one interrupt attachment as the old. */
	fd = open("/dev/ser1", O_RDONLY);
	CHECK(fd >= 3 && isatty(fd) && close(fd) == 0);
	now = counts();
	CHECK_EQ(now.interrupts, none.interrupts);
	CHECK_EQ(now.processes, none.processes);
	return tap_done();
}
