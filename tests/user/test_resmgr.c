/*
 * The pathname space and resource managers (resmgr_attach, the iofunc
 * defaults, open/read/write/lseek/fstat/close, stdio on an fd), from
 * proc's child (booted init=proc init.run=test_resmgr; proc has started
 * namesrv). The resource manager is this program again in the role
 * "server PID CHID": it attaches /dev/test (its own open, and
 * memfile.h's read, write and close_ocb over a 4 KiB file, the other
 * handlers iofunc's defaults) and /dev/test/deep (only the defaults), tells the parent on
 * (PID, CHID) that it is ready, and serves until it is killed; a read
 * of HOLD_BYTES it holds (and tells the parent), T_OPENS it answers
 * once /dev/test has that many opens. The role "client" opens
 * /dev/test twice and ends without closing.
 * Shown: write, lseek, read back (also past the receive buffer), fstat,
 * close; fopen/fprintf/fgets/fclose, fflush(NULL); ENOENT for a path nobody serves;
 * the longer prefix wins and the server sees the rest of the path; bad
 * input to namesrv's path requests and to the resource manager (a QNX
 * errno, both keep serving); EBADF; a client's death closes its opens;
 * killing the server during a read and under an open fd gives its
 * client errors, not a hang, and removes its prefixes; a resource manager
 * on a thread pool (the role "pool"), whose replies go with the next
 * receive or are flushed as a thread ends; resmgr_detach; object counts
 * back at baseline. Nothing waits on time.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/iofunc.h>
#include <sys/kinfo.h>
#include <sys/namemsg.h>
#include <sys/neutrino.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "counts.h"
#include "memfile.h"
#include "pool.h"
#include "tap.h"

#define T_READY 0x1000
#define T_HELD	0x1001 /* server to parent: a read is held */
#define T_OPENS 0x1002 /* to the server: reply once attr.count == value */

/* A read of this many bytes is held by the server, never answered. */
#define HOLD_BYTES 999

/* --- the resource manager role (memfile.h's file) ------------------------ */

static iofunc_attr_t deep_attr;
static int parent_pid, parent_chid;

/* Tells the parent (ready, or a read held): it answers at once, or
 * (a read held) never, killing us instead. */
static int tell_parent(uint16_t type)
{
	struct req r = {type, 0, 0};
	int coid = ConnectAttach(0, parent_pid, parent_chid, _NTO_SIDE_CHANNEL, 0);
	int ok = coid >= 0 && MsgSend(coid, &r, sizeof(r), NULL, 0) == 0;
	if (coid >= 0)
		ConnectDetach(coid);
	return ok;
}

/* /dev/test itself only: the rest of the path must be empty. */
static int test_open(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *a, void *extra)
{
	if (msg->i.path[0])
		return ENOENT;
	return iofunc_open_default(ctp, msg, a, extra);
}

/* A read of HOLD_BYTES is held (the parent told); others as memfile.h's. */
static int test_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	if (msg->i.nbytes != HOLD_BYTES)
		return file_read(ctp, msg, ocb);
	int r = iofunc_read_verify(ctp, msg, ocb, NULL);
	if (r != EOK)
		return r;
	return tell_parent(T_HELD) ? _RESMGR_NOREPLY : EIO;
}

static int server(int ppid, int pchid)
{
	static resmgr_connect_funcs_t connect, deep_connect;
	static resmgr_io_funcs_t io, deep_io;
	dispatch_t *dpp = dispatch_create();
	dispatch_context_t *ctp;

	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &connect, _RESMGR_IO_NFUNCS, &io);
	connect.open = test_open;
	io.read = test_read;
	io.write = file_write;
	io.close_ocb = file_close_ocb;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &deep_connect, _RESMGR_IO_NFUNCS, &deep_io);
	iofunc_attr_init(&attr, S_IFREG | 0666, NULL, NULL);
	iofunc_attr_init(&deep_attr, S_IFCHR | 0666, NULL, NULL);
	if (!dpp ||
	    resmgr_attach(dpp, NULL, "/dev/test", _FTYPE_ANY, 0, &connect, &io, &attr) < 0 ||
	    resmgr_attach(dpp, NULL, "/dev/test/deep", _FTYPE_ANY, 0, &deep_connect, &deep_io,
			  &deep_attr) < 0 ||
	    message_attach(dpp, NULL, T_OPENS, T_OPENS, on_opens, NULL) < 0 ||
	    !(ctp = dispatch_context_alloc(dpp))) {
		printf("# server: set-up: %s\n", strerror(errno));
		return 1;
	}
	parent_pid = ppid;
	parent_chid = pchid;
	if (!tell_parent(T_READY))
		return 1;
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}

/* The role "pool PID CHID PATH LO HI": PATH (the io handlers above) served
 * by a thread pool on the dispatch layer's own loop, whose replies go
 * with the handling thread's next receive (MsgReplyReceive); with hi_water
 * 1 every handling thread ends after its handler, its reply flushed. */
static int pool_server(int ppid, int pchid, const char *path, int lo, int hi)
{
	static resmgr_connect_funcs_t connect;
	static resmgr_io_funcs_t io;
	dispatch_t *dpp = dispatch_create();
	thread_pool_attr_t pa = pool_attr(dpp, (unsigned)lo, (unsigned)hi, 4);
	thread_pool_t *pool;

	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &connect, _RESMGR_IO_NFUNCS, &io);
	connect.open = test_open;
	io.read = test_read;
	io.write = file_write;
	iofunc_attr_init(&attr, S_IFREG | 0666, NULL, NULL);
	if (!dpp || resmgr_attach(dpp, NULL, path, _FTYPE_ANY, 0, &connect, &io, &attr) < 0 ||
	    !(pool = thread_pool_create(&pa, POOL_FLAG_EXIT_SELF))) {
		printf("# pool server: set-up: %s\n", strerror(errno));
		return 1;
	}
	parent_pid = ppid;
	parent_chid = pchid;
	if (!tell_parent(T_READY))
		return 1;
	thread_pool_start(pool);
	return 1; /* not reached: POOL_FLAG_EXIT_SELF */
}

/* --- the client role: two opens it never closes ------------------------- */

static int client(void)
{
	return open("/dev/test", O_RDONLY) >= 0 && open("/dev/test", O_WRONLY) >= 0 ? 0 : 1;
}

/* --- the test ------------------------------------------------------------ */

/* The server child (argv: its role, then what the role takes after
 * PID CHID), once its prefixes are attached. */
static pid_t start_role(int chid, char *role, char *a, char *b, char *c)
{
	char ppid[16], pchid[16];
	snprintf(ppid, sizeof(ppid), "%d", getpid());
	snprintf(pchid, sizeof(pchid), "%d", chid);
	pid_t pid = -1;
	char *argv[] = {"test_resmgr", role, ppid, pchid, a, b, c, NULL};
	int err = posix_spawn(&pid, "test_resmgr", NULL, NULL, argv, NULL);
	struct req ready = {0};
	struct _msg_info info;
	int rcvid = err ? -1 : MsgReceive(chid, &ready, sizeof(ready), &info);

	if (rcvid <= 0 || info.pid != pid || ready.type != T_READY) {
		printf("# server not ready (spawn %d, rcvid %d)\n", err, rcvid);
		return -1;
	}
	MsgReply(rcvid, 0, NULL, 0);
	return pid;
}

static pid_t start_server(int chid)
{
	return start_role(chid, "server", NULL, NULL, NULL);
}

/* A pool-served PATH (lo_water lo, hi_water hi): every reply of open,
 * write, lseek, read, fstat and close right, whether it went with the
 * handling thread's next receive or was flushed as the thread ended;
 * the server killed after, its prefix gone. Each round opens the path
 * again just after closing it: on several CPUs the layer handles the old
 * connection's DISCONNECT and the new open in two pool threads, told
 * apart by their scoids (a client that connects again before the server
 * let go of its old scoid gets a new one). 9 points. */
static void pooled(int chid, char *path, char *lo, char *hi)
{
	char buf[32];
	struct stat st;
	int good = 0, st2 = -1;
	pid_t pid = start_role(chid, "pool", path, lo, hi);

	CHECK(pid > 0);
	int fd = open(path, O_RDWR);
	CHECK(fd >= 3);
	for (int i = 0; i < 10; i++) {
		memset(buf, 0, sizeof(buf));
		good += lseek(fd, 0, SEEK_SET) == 0 && write(fd, "pooled reply", 12) == 12 &&
			lseek(fd, 7, SEEK_SET) == 7 && read(fd, buf, sizeof(buf)) == 5 &&
			!strcmp(buf, "reply") && fstat(fd, &st) == 0 && st.st_size == 12 &&
			close(fd) == 0 && (fd = open(path, O_RDWR)) >= 3;
	}
	CHECK_EQ(good, 10);
	CHECK_EQ(close(fd), 0);
	fd = open(path, O_RDONLY);
	CHECK(fails(write(fd, "x", 1), EBADF)); /* an error reply, held the same */
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK(waitpid(pid, &st2, 0) == pid && WIFSIGNALED(st2));
	CHECK(fails(open(path, O_RDONLY), ENOENT));
}

static long raw(int coid, const void *msg, size_t len)
{
	errno = 0;
	return MsgSend(coid, msg, len, NULL, 0);
}

static void io_basics(void)
{
	char buf[64];
	struct stat st;

	int fd = open("/dev/test", O_RDWR | O_TRUNC);
	CHECK(fd >= 3 && fd < _NTO_SIDE_CHANNEL);
	CHECK_EQ(write(fd, "hello, resmgr", 13), 13);
	CHECK_EQ(lseek(fd, 7, SEEK_SET), 7);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 6);
	CHECK(!strcmp(buf, "resmgr"));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0); /* end of file */
	CHECK_EQ(lseek(fd, -6, SEEK_END), 7);
	CHECK_EQ(lseek(fd, 2, SEEK_CUR), 9);
	CHECK(fails(lseek(fd, -100, SEEK_CUR), EINVAL));
	CHECK(fails(lseek(fd, 0, 9), EINVAL));
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(st.st_size == 13 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0666);

	/* A second open has its own offset. */
	int fd2 = open("/dev/test", O_RDONLY);
	CHECK(fd2 >= 3 && fd2 != fd);
	CHECK_EQ(read(fd2, buf, 5), 5);
	CHECK(!memcmp(buf, "hello", 5));
	CHECK(fails(write(fd2, "x", 1), EBADF)); /* opened for reading */
	CHECK_EQ(close(fd2), 0);
	CHECK(fails(close(fd2), EBADF));

	/* More than the server's receive buffer, both ways. */
	static char big[3000], back[3000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 1);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, big, sizeof(big)), (long)sizeof(big));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read(fd, back, sizeof(back)), (long)sizeof(back));
	CHECK(!memcmp(big, back, sizeof(big)));
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 3000);
	CHECK_EQ(close(fd), 0);
}

static void prefixes(void)
{
	char buf[8];
	struct stat st;

	CHECK(fails(open("/nothing/here", O_RDONLY), ENOENT));
	CHECK(fails(open("/dev/testx", O_RDONLY), ENOENT));	 /* not under /dev/test */
	CHECK(fails(open("/dev/test/other", O_RDONLY), ENOENT)); /* the server's answer */
	/* The longer prefix wins: /dev/test/deep serves the defaults. */
	int fd = open("/dev/test/deep/x", O_RDWR);
	CHECK(fd >= 3);
	CHECK_EQ(write(fd, "abc", 3), 3);	 /* iofunc_write_default: taken */
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0); /* iofunc_read_default: nothing */
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(st.st_size == 0 && S_ISCHR(st.st_mode));
	CHECK_EQ(close(fd), 0);
	fd = open("/dev/test/deep", O_WRONLY);
	CHECK(fd >= 3 && close(fd) == 0);
}

static void streams(void)
{
	char line[64];

	/* fflush(NULL) reaches fopen's streams (exit does the same). */
	FILE *f = fopen("/dev/test", "w");
	CHECK(f && fprintf(f, "unflushed") == 9);
	int fd = open("/dev/test", O_RDONLY);
	CHECK(fd >= 3 && read(fd, line, sizeof(line)) == 0);
	CHECK(fflush(NULL) == 0 && read(fd, line, sizeof(line)) == 9 &&
	      !memcmp(line, "unflushed", 9));
	CHECK(close(fd) == 0 && fclose(f) == 0);

	f = fopen("/dev/test", "w");
	CHECK(f != NULL);
	CHECK_EQ(fprintf(f, "hello %d\n", 42), 9);
	CHECK(fputs("second line\n", f) >= 0);
	CHECK_EQ(fclose(f), 0);
	f = fopen("/dev/test", "a");
	CHECK(f && fprintf(f, "third\n") == 6 && fclose(f) == 0);
	f = fopen("/dev/test", "r");
	CHECK(f != NULL);
	CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "hello 42\n"));
	CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "second line\n"));
	CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "third\n"));
	CHECK(!fgets(line, sizeof(line), f) && feof(f) && !ferror(f));
	CHECK_EQ(fclose(f), 0);
	errno = 0;
	CHECK(fopen("/nothing", "r") == NULL && errno == ENOENT);
	CHECK(fopen("/dev/test", "q") == NULL && errno == EINVAL);
}

static void bad_input(pid_t srv)
{
	struct _name_path_attach_req a = {.type = _NAME_PATH_ATTACH, .chid = 1, .handle = 1};
	struct _name_path_resolve_req q = {.type = _NAME_PATH_RESOLVE};
	struct _name_path_detach_req d = {.type = _NAME_PATH_DETACH};
	char big[sizeof(q) + 8] = {0};

	/* namesrv: sizes, types, paths, ids. */
	CHECK(fails(raw(NAMESRV_COID, &a, 6), EINVAL));
	memcpy(big, &q, sizeof(q));
	CHECK(fails(raw(NAMESRV_COID, big, sizeof(big)), EMSGSIZE));
	q.type = 0x0213;
	CHECK(fails(raw(NAMESRV_COID, &q, sizeof(q)), ENOSYS));
	q.type = _NAME_PATH_RESOLVE;
	const char *bad[] = {"",	   "dev/test",	       "/dev//test",
			     "/dev/test/", "/dev/../dev/test", "/dev/./test"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(q.path, bad[i]);
		strcpy(a.path, bad[i]);
		CHECK(fails(raw(NAMESRV_COID, &q, sizeof(q)), EINVAL) &&
		      fails(raw(NAMESRV_COID, &a, sizeof(a)), EINVAL));
	}
	memset(q.path, 'a', sizeof(q.path));
	CHECK(fails(raw(NAMESRV_COID, &q, sizeof(q)), ENAMETOOLONG));
	strcpy(a.path, "/dev/test");
	CHECK(fails(raw(NAMESRV_COID, &a, sizeof(a)), EEXIST));
	a.chid = 0;
	strcpy(a.path, "/dev/free");
	CHECK(fails(raw(NAMESRV_COID, &a, sizeof(a)), EINVAL));
	d.id = 0;
	CHECK(fails(raw(NAMESRV_COID, &d, sizeof(d)), ENOENT));
	CHECK(fails(open("relative", O_RDONLY), EINVAL));
	CHECK(fails(open("/dev/test", O_ACCMODE), EINVAL));

	/* The resource manager: an I/O message on a connection with no
	 * open, a short connect message, one that is not an open. */
	struct _name_resolved where;
	strcpy(q.path, "/dev/test");
	CHECK(MsgSend(NAMESRV_COID, &q, sizeof(q), &where, sizeof(where)) == 0 && where.pid == srv);
	int coid = ConnectAttach(0, where.pid, where.chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(coid >= 0);
	struct _io_read rd = {.type = _IO_READ, .nbytes = 4};
	CHECK(fails(raw(coid, &rd, sizeof(rd)), EBADF));
	struct _io_connect c = {.type = _IO_CONNECT, .subtype = _IO_CONNECT_OPEN};
	CHECK(fails(raw(coid, &c, 8), EINVAL));
	c.path_len = 5; /* more path than was sent */
	CHECK(fails(raw(coid, &c, sizeof(c)), EINVAL));
	c.path_len = 1;
	c.subtype = 7;
	CHECK(fails(raw(coid, &c, sizeof(c)), ENOSYS));
	c.subtype = _IO_CONNECT_OPEN;
	c.handle = 99;
	CHECK(fails(raw(coid, &c, sizeof(c)), ENOENT));
	CHECK_EQ(ConnectDetach(coid), 0);

	/* Both still serve. */
	int fd = open("/dev/test", O_RDONLY);
	char buf[5];
	CHECK(fd >= 3 && read(fd, buf, 5) == 5 && !memcmp(buf, "hello", 5) && close(fd) == 0);

	/* Not fds. */
	CHECK(fails(read(-1, buf, 1), EBADF));
	CHECK(fails(write(_NTO_SIDE_CHANNEL, buf, 1), EBADF));
	CHECK(fails(read(77, buf, 1), EBADF));
	CHECK(fails(close(77), EBADF));
}

/* A client that ends with fds open: the server's disconnect handler
 * closes its OCBs (T_OPENS is answered once none is left). */
static void client_death(pid_t srv)
{
	struct _name_path_resolve_req q = {.type = _NAME_PATH_RESOLVE};
	struct _name_resolved where;
	strcpy(q.path, "/dev/test");
	CHECK(MsgSend(NAMESRV_COID, &q, sizeof(q), &where, sizeof(where)) == 0 && where.pid == srv);
	int coid = ConnectAttach(0, where.pid, where.chid, _NTO_SIDE_CHANNEL, 0);
	struct req r = {T_OPENS, 0, 0};
	CHECK_EQ(MsgSend(coid, &r, sizeof(r), NULL, 0), 0);
	pid_t pid = -1;
	char *argv[] = {"test_resmgr", "client", NULL};
	int st = -1;
	CHECK(posix_spawn(&pid, "test_resmgr", NULL, NULL, argv, NULL) == 0 &&
	      waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(MsgSend(coid, &r, sizeof(r), NULL, 0), 0);
	ConnectDetach(coid);
}

/* The read the server holds: it fails when the server is killed. */
static void *held_read(void *arg)
{
	char buf[HOLD_BYTES];
	errno = 0;
	ssize_t r = read((int)(intptr_t)arg, buf, sizeof(buf));
	return (void *)(intptr_t)(r == -1 ? errno : 0);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]), atoi(argv[3]));
	if (argc == 7 && !strcmp(argv[1], "pool"))
		return pool_server(atoi(argv[2]), atoi(argv[3]), argv[4], atoi(argv[5]),
				   atoi(argv[6]));
	if (argc == 2 && !strcmp(argv[1], "client"))
		return client();

	tap_plan(112 + 2 * 9);
	struct ker_info_counts base = counts();
	int chid = ChannelCreate(0);
	CHECK(chid > 0);
	CHECK(fails(open("/dev/test", O_RDONLY), ENOENT));

	pid_t srv = start_server(chid);
	CHECK(srv > 0);
	io_basics();
	prefixes();
	streams();
	bad_input(srv);
	client_death(srv);
	pooled(chid, "/dev/tpool2", "1", "2"); /* replies with the next receive */
	pooled(chid, "/dev/tpool1", "1", "1"); /* each thread ends: flushed */

	/* --- the server killed during a read, and under an open fd -------- */
	int fd = open("/dev/test", O_RDONLY);
	CHECK(fd >= 3);
	int hfd = open("/dev/test", O_RDONLY);
	pthread_t reader;
	CHECK(pthread_create(&reader, NULL, held_read, (void *)(intptr_t)hfd) == 0);
	struct req held;
	struct _msg_info info;
	int rcvid = MsgReceive(chid, &held, sizeof(held), &info);
	CHECK(rcvid > 0 && info.pid == srv && held.type == T_HELD);
	/* Killed while it waits for our answer, in the middle of the read:
	 * its state is known (a server running on another CPU when killed
	 * can outlive SIGKILL on aarch64 -smp 4, a kernel matter). */
	CHECK_EQ(kill(srv, SIGKILL), 0);
	int st = -1;
	CHECK(waitpid(srv, &st, 0) == srv && WIFSIGNALED(st));
	void *err = NULL;
	CHECK(pthread_join(reader, &err) == 0 && err != NULL); /* an error, not a hang */
	CHECK_EQ(close(hfd), 0);
	char buf[4];
	errno = 0;
	CHECK(read(fd, buf, sizeof(buf)) == -1 && errno != 0);
	struct stat sb;
	CHECK(fstat(fd, &sb) == -1);
	CHECK_EQ(close(fd), 0); /* the fd goes all the same */
	CHECK(fails(open("/dev/test", O_RDONLY), ENOENT));
	CHECK(fails(open("/dev/test/deep", O_RDONLY), ENOENT));

	/* --- the prefix is free again: ours, then detached --------------- */
	static resmgr_connect_funcs_t connect;
	static resmgr_io_funcs_t io;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &connect, _RESMGR_IO_NFUNCS, &io);
	iofunc_attr_init(&attr, 0644, NULL, NULL);
	dispatch_t *dpp = dispatch_create();
	int id = resmgr_attach(dpp, NULL, "/dev/test", _FTYPE_ANY, 0, &connect, &io, &attr);
	CHECK(id >= 0);
	CHECK(resmgr_attach(dpp, NULL, "/dev/test", _FTYPE_ANY, 0, &connect, &io, &attr) == -1 &&
	      errno == EEXIST);
	CHECK(fails(resmgr_attach(dpp, NULL, "/x", _FTYPE_FILE, 0, &connect, &io, &attr), EINVAL));
	CHECK_EQ(resmgr_detach(dpp, id, 0), 0);
	CHECK(fails(resmgr_detach(dpp, id, 0), EINVAL));
	CHECK(fails(open("/dev/test", O_RDONLY), ENOENT));
	CHECK_EQ(dispatch_destroy(dpp), 0);

	/* --- counts ------------------------------------------------------ */
	CHECK_EQ(ChannelDestroy(chid), 0);
	struct ker_info_counts now = counts();
	CHECK_EQ(now.channels, base.channels);
	CHECK_EQ(now.connections, base.connections);
	CHECK_EQ(now.threads, base.threads);
	CHECK_EQ(now.processes, base.processes);
	return tap_done();
}
