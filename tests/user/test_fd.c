/*
 * File descriptors as QNX has them (booted init=proc init.run=test_fd):
 * dup, dup2 and fcntl (a new connection and _IO_DUP: the OCB and its
 * offset shared, close of one copy leaving the other), FD_CLOEXEC per
 * fd, fds across posix_spawn (same numbers, shared offsets, FD_CLOEXEC
 * ones not inherited) with the file actions, a forged _IO_DUP refused,
 * a held child whose parent ends before starting it, readdir of
 * namesrv's directories, unlink routed to the manager, fseek/ftell/
 * rewind, and the server killed under a child's inherited fd.
 *
 * Roles of this program: "server PID CHID" attaches /dev/fdtest (a 4 KiB
 * file, memfile.h; its unlink takes only "gone") and /dev/fdtest/dir (a directory
 * with iofunc's defaults), tells the parent on (PID, CHID) it is ready,
 * and serves; T_OPENS (value N) it answers once /dev/fdtest has N OCBs.
 * The other roles are children that check what they inherited and exit
 * 0 when all is as expected. Nothing waits on time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/iofunc.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "counts.h"
#include "memfile.h"
#include "tap.h"

#define T_READY 0x1000
#define T_OPENS 0x1001 /* to the server: reply once attr.count == value */
#define T_CHILD 0x1002 /* a child to the parent: I hold the fd */

/* --- the resource manager role (memfile.h's file) ----------------------- */

static iofunc_attr_t dir_attr;

static int fd_unlink(resmgr_context_t *ctp, io_unlink_t *msg, iofunc_attr_t *a, void *reserved)
{
	(void)ctp;
	(void)a;
	(void)reserved;
	return strcmp(msg->i.path, "gone") ? ENOENT : EOK;
}

static int server(int ppid, int pchid)
{
	static resmgr_connect_funcs_t connect, dir_connect;
	static resmgr_io_funcs_t io, dir_io;
	dispatch_t *dpp = dispatch_create();
	dispatch_context_t *ctp;

	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &connect, _RESMGR_IO_NFUNCS, &io);
	connect.unlink = fd_unlink;
	io.read = file_read;
	io.write = file_write;
	io.close_ocb = file_close_ocb;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &dir_connect, _RESMGR_IO_NFUNCS, &dir_io);
	iofunc_attr_init(&attr, S_IFREG | 0666, NULL, NULL);
	iofunc_attr_init(&dir_attr, S_IFDIR | 0555, NULL, NULL);
	if (!dpp ||
	    resmgr_attach(dpp, NULL, "/dev/fdtest", _FTYPE_ANY, 0, &connect, &io, &attr) < 0 ||
	    resmgr_attach(dpp, NULL, "/dev/fdtest/dir", _FTYPE_ANY, 0, &dir_connect, &dir_io,
			  &dir_attr) < 0 ||
	    message_attach(dpp, NULL, T_OPENS, T_OPENS, on_opens, NULL) < 0 ||
	    !(ctp = dispatch_context_alloc(dpp))) {
		printf("# server: set-up: %s\n", strerror(errno));
		return 1;
	}
	struct req r = {T_READY, 0, 0};
	int coid = ConnectAttach(0, ppid, pchid, _NTO_SIDE_CHANNEL, 0);
	if (coid < 0 || MsgSend(coid, &r, sizeof(r), NULL, 0) < 0)
		return 1;
	ConnectDetach(coid);
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}

/* --- the children ----------------------------------------------------------- */

static int is_ebadf(long r)
{
	return r == -1 && errno == EBADF;
}

/* fd is inherited (read-write, no FD_CLOEXEC): it writes "child" where
 * the parent left the shared offset; cfd (FD_CLOEXEC) is not there. */
static int child_cont(int fd, int cfd)
{
	char c;
	return write(fd, "child", 5) == 5 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR &&
		       fcntl(fd, F_GETFD) == 0 && is_ebadf(read(cfd, &c, 1)) &&
		       is_ebadf(fcntl(cfd, F_GETFD))
		   ? 0
		   : 1;
}

/* After adddup2(fd, 40), addclose(fd), addopen(41, read-only): fd is
 * gone, 40 shares the parent's offset, 41 is an open of its own. */
static int child_actions(int fd)
{
	char buf[8] = {0};
	return is_ebadf(write(fd, "x", 1)) && write(40, "!", 1) == 1 && read(41, buf, 6) == 6 &&
		       !memcmp(buf, "parent", 6) && (fcntl(41, F_GETFL) & O_ACCMODE) == O_RDONLY &&
		       is_ebadf(write(41, "x", 1))
		   ? 0
		   : 1;
}

/* The parent's fd is FD_CLOEXEC: nothing was granted, so naming it in an
 * _IO_DUP on a connection of ours to its server is refused. */
static int child_forge(int ppid, int pfd)
{
	int fd = open("/dev/fdtest", O_RDONLY | O_CLOEXEC);
	struct _server_info si;
	if (fd < 0 || ConnectServerInfo(0, fd, &si) != fd)
		return 1;
	int coid = ConnectAttach(0, si.pid, si.chid, 3, _NTO_COF_CLOEXEC);
	struct _io_dup m = {.type = _IO_DUP};
	m.info.pid = ppid;
	m.info.coid = pfd;
	errno = 0;
	int forged = MsgSend(coid, &m, sizeof(m), NULL, 0) == -1 && errno == EPERM;
	/* Nor may we grant what we do not hold, or to ourselves. */
	m.flags = _IO_DUP_FLAG_GRANT;
	m.info.pid = ppid;
	int granted = MsgSend(coid, &m, sizeof(m), NULL, 0) == -1 && errno == EBADF;
	m.info.pid = getpid();
	int self = MsgSend(fd, &m, sizeof(m), NULL, 0) == -1 && errno == EINVAL;
	char c;
	int nothing = is_ebadf(read(coid, &c, 1));
	ConnectDetach(coid);
	return forged && granted && self && nothing && close(fd) == 0 ? 0 : 1;
}

/* Holds inherited fd while the parent kills its server: then an error,
 * not a hang. */
static int child_hold(int fd, int ppid, int pchid)
{
	char c;
	struct req r = {T_CHILD, 0, 0};
	int coid = ConnectAttach(0, ppid, pchid, _NTO_SIDE_CHANNEL, 0);
	if (read(fd, &c, 1) != 1 || coid < 0 || MsgSend(coid, &r, sizeof(r), NULL, 0) < 0)
		return 1;
	return read(fd, &c, 1) == -1 && close(fd) == 0 ? 0 : 1;
}

/* proc's protocol by hand: a child held with fd passed on and granted,
 * then we end without _PROC_SPAWN_START. proc must take it with us, and
 * the server drop the grant (its OCB count falls back). */
static int child_middle(int fd)
{
	struct {
		struct _proc_spawn h;
		char s[32];
	} m = {.h = {.type = _PROC_SPAWN, .nargv = 2, .nfds = 1}};
	static const char strings[] = "test_fd\0test_fd\0never";
	memcpy(m.s, strings, sizeof(strings));
	m.h.len = sizeof(strings);
	struct _proc_spawn_fd f = {fd, fd, O_RDWR};
	iov_t iov[2];
	SETIOV(&iov[0], &m, sizeof(m.h) + sizeof(strings));
	SETIOV(&iov[1], &f, sizeof(f));
	long pid = MsgSendv(SYSMGR_COID, iov, 2, NULL, 0);
	struct _io_dup g = {.type = _IO_DUP, .flags = _IO_DUP_FLAG_GRANT};
	g.info.pid = (pid_t)pid;
	g.info.coid = fd;
	return pid > 0 && MsgSend(fd, &g, sizeof(g), NULL, 0) == 0 ? 0 : 1;
}

/* --- the test ------------------------------------------------------------ */

/* Run this program in a child role with file actions fa: its exit
 * status (0: as expected), or -1. */
static int run(const posix_spawn_file_actions_t *fa, char *const argv[])
{
	pid_t pid;
	int st = -1, err = posix_spawn(&pid, "test_fd", fa, NULL, argv, NULL);
	if (err) {
		printf("#   spawn: %s\n", strerror(err));
		return -1;
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *num(char *buf, int v)
{
	snprintf(buf, 16, "%d", v);
	return buf;
}

static int srv_coid; /* a side connection to the server, for T_OPENS */

/* Waits until the server has n OCBs open. */
static int opens(int n)
{
	struct req r = {T_OPENS, 0, n};
	return MsgSend(srv_coid, &r, sizeof(r), NULL, 0) == n;
}

static void dups(void)
{
	char buf[16] = {0};

	int fd = open("/dev/fdtest", O_RDWR | O_TRUNC);
	CHECK(fd >= 3 && write(fd, "abcdef", 6) == 6);
	int d = dup(fd);
	CHECK(d >= 3 && d != fd);
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 6); /* one offset for both */
	CHECK(write(d, "gh", 2) == 2 && lseek(fd, 0, SEEK_CUR) == 8);
	CHECK(opens(1)); /* one OCB */
	CHECK(fcntl(d, F_GETFD) == 0 && (fcntl(d, F_GETFL) & O_ACCMODE) == O_RDWR);
	CHECK_EQ(close(fd), 0); /* the other copy still works */
	CHECK(lseek(d, 0, SEEK_SET) == 0 && read(d, buf, 8) == 8 && !strcmp(buf, "abcdefgh"));
	CHECK(close(d) == 0 && opens(0));

	/* dup2 and F_DUPFD, and their errors. */
	fd = open("/dev/fdtest", O_RDONLY);
	/* The kernel calls under them. */
	struct _server_info si;
	CHECK(ConnectServerInfo(0, fd, &si) == fd && si.coid == fd &&
	      !(si.flags & _NTO_COF_CLOEXEC));
	CHECK(fails(ConnectServerInfo(0, _NTO_SIDE_CHANNEL + 300, &si), EINVAL));
	CHECK(fails(ConnectFlags(0, 77, _NTO_COF_CLOEXEC, 0), EBADF) &&
	      fails(ConnectFlags(0, fd, 0x2, 0), EINVAL) &&
	      fails(ConnectFlags(1, fd, _NTO_COF_CLOEXEC, 0), EPERM));
	CHECK_EQ(dup2(fd, 20), 20);
	CHECK_EQ(dup2(fd, 20), 20); /* 20 closed and made again */
	CHECK_EQ(dup2(fd, fd), fd);
	CHECK(opens(1) && lseek(20, 3, SEEK_SET) == 3 && lseek(fd, 0, SEEK_CUR) == 3);
	CHECK(fails(dup2(77, 21), EBADF) && fails(dup2(fd, -1), EBADF) &&
	      fails(dup2(fd, 256), EBADF));
	int f30 = fcntl(fd, F_DUPFD, 30);
	CHECK(f30 >= 30 && read(f30, buf, 2) == 2 && lseek(20, 0, SEEK_CUR) == 5);
	CHECK(fails(fcntl(fd, F_DUPFD, -1), EINVAL) && fails(fcntl(fd, F_DUPFD, 256), EINVAL));
	CHECK(fails(fcntl(77, F_GETFD), EBADF) && fails(fcntl(fd, 99), EINVAL) &&
	      fails(dup(77), EBADF) && fails(fcntl(-1, F_GETFL), EBADF));
	CHECK_EQ(fcntl(fd, F_DUPFD, 255), 255);
	CHECK(fails(fcntl(fd, F_DUPFD, 255), EMFILE));
	CHECK(close(255) == 0 && close(f30) == 0 && close(20) == 0);

	/* FD_CLOEXEC is the fd's own; a dup's starts clear. */
	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	d = dup(fd);
	CHECK(d >= 3 && fcntl(d, F_GETFD) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(d, F_SETFL, O_APPEND) == 0 && (fcntl(d, F_GETFL) & O_APPEND) &&
	      (fcntl(d, F_GETFL) & O_ACCMODE) == O_RDONLY);
	CHECK(close(d) == 0 && close(fd) == 0);
	fd = open("/dev/fdtest", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 3 && fcntl(fd, F_GETFD) == FD_CLOEXEC && close(fd) == 0);
	CHECK(opens(0));
}

static void spawns(void)
{
	char a[16], b[16], buf[16] = {0};

	/* Inherited at its number, the offset shared; FD_CLOEXEC not. */
	int fd = open("/dev/fdtest", O_RDWR | O_TRUNC);
	int cfd = open("/dev/fdtest", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 3 && cfd >= 3 && write(fd, "parent:", 7) == 7);
	CHECK_EQ(run(NULL, (char *[]){"test_fd", "cont", num(a, fd), num(b, cfd), NULL}), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 12);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, 12) == 12 &&
	      !strcmp(buf, "parent:child"));
	CHECK(opens(2)); /* the child's copy went with it */

	/* File actions, applied in order. */
	posix_spawn_file_actions_t fa;
	CHECK(posix_spawn_file_actions_init(&fa) == 0 &&
	      posix_spawn_file_actions_adddup2(&fa, fd, 40) == 0 &&
	      posix_spawn_file_actions_addclose(&fa, fd) == 0 &&
	      posix_spawn_file_actions_addopen(&fa, 41, "/dev/fdtest", O_RDONLY, 0) == 0);
	CHECK_EQ(run(&fa, (char *[]){"test_fd", "actions", num(a, fd), NULL}), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 13); /* 40 was ours */
	CHECK(posix_spawn_file_actions_destroy(&fa) == 0 && opens(2));
	pid_t pid;
	posix_spawn_file_actions_init(&fa);
	CHECK(posix_spawn_file_actions_addclose(&fa, -1) == EBADF &&
	      posix_spawn_file_actions_adddup2(&fa, fd, 256) == EBADF);
	CHECK(posix_spawn_file_actions_adddup2(&fa, 77, 42) == 0 &&
	      posix_spawn(&pid, "test_fd", &fa, NULL, (char *[]){"test_fd", "x", NULL}, NULL) ==
		  EBADF);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawn_file_actions_init(&fa);
	CHECK(posix_spawn_file_actions_addopen(&fa, 42, "/nothing", O_RDONLY, 0) == 0 &&
	      posix_spawn(&pid, "test_fd", &fa, NULL, (char *[]){"test_fd", "x", NULL}, NULL) ==
		  ENOENT);
	posix_spawn_file_actions_destroy(&fa);
	CHECK(opens(2)); /* the failed spawns left nothing open */

	/* A forged _IO_DUP: the child names our FD_CLOEXEC fd. */
	CHECK_EQ(run(NULL, (char *[]){"test_fd", "forge", num(a, getpid()), num(b, cfd), NULL}), 0);
	CHECK(close(cfd) == 0 && opens(1));

	/* A held child whose parent ends before starting it: both go, and
	 * the grant with them (fd's open is then ours alone). */
	CHECK_EQ(run(NULL, (char *[]){"test_fd", "middle", num(a, fd), NULL}), 0);
	CHECK(close(fd) == 0 && opens(0));
}

/* The names in directory path, sorted into out (n at most): their count,
 * or -1. */
static int list(const char *path, char out[][48], int n)
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int k = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) && k < n)
		snprintf(out[k++], 48, "%s", e->d_name);
	int err = errno;
	closedir(d);
	for (int i = 1; i < k; i++) /* insertion sort */
		for (int j = i; j > 0 && strcmp(out[j - 1], out[j]) > 0; j--) {
			char t[48];
			memcpy(t, out[j], 48);
			memcpy(out[j], out[j - 1], 48);
			memcpy(out[j - 1], t, 48);
		}
	return err ? -1 : k;
}

static int has(char names[][48], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

static void dirs(void)
{
	char names[16][48];

	name_attach_t *n1 = name_attach(NULL, "fdname1", 0);
	name_attach_t *n2 = name_attach(NULL, "fdname2", 0);
	CHECK(n1 && n2);
	CHECK(list("/dev/name/local", names, 16) == 2 && !strcmp(names[0], "fdname1") &&
	      !strcmp(names[1], "fdname2"));
	/* rewinddir starts again; readdir ends with NULL and errno as was. */
	DIR *d = opendir("/dev/name/local");
	int k = 0;
	while (d && readdir(d))
		k++;
	rewinddir(d);
	errno = 0;
	while (d && readdir(d))
		k++;
	CHECK(d && k == 4 && errno == 0 && closedir(d) == 0);
	CHECK(name_detach(n1, 0) == 0 && name_detach(n2, 0) == 0);
	CHECK_EQ(list("/dev/name/local", names, 16), 0);

	/* Directories the prefixes imply. */
	int n = list("/dev", names, 16);
	CHECK(n >= 2 && has(names, n, "fdtest") && has(names, n, "name"));
	n = list("/", names, 16);
	CHECK(n >= 1 && has(names, n, "dev"));
	CHECK(list("/dev/name", names, 16) == 1 && !strcmp(names[0], "local"));
	/* A manager's: a file is no directory; its directory lists nothing
	 * (iofunc's read default). */
	errno = 0;
	CHECK(opendir("/dev/fdtest") == NULL && errno == ENOTDIR);
	CHECK_EQ(list("/dev/fdtest/dir", names, 16), 0);
	CHECK(opendir("/nothing") == NULL && errno == ENOENT);
	CHECK(fails(open("/dev", O_WRONLY), EISDIR));
}

static void unlinks(void)
{
	CHECK_EQ(unlink("/dev/fdtest/gone"), 0); /* the manager's yes */
	CHECK(fails(unlink("/dev/fdtest/other"), ENOENT));
	CHECK(fails(unlink("/dev/fdtest/dir/x"), ENOSYS)); /* no unlink there */
	CHECK(fails(unlink("/dev"), EROFS));
	CHECK(fails(unlink("/nothing"), ENOENT));
}

static void seeks(void)
{
	FILE *f = fopen("/dev/fdtest", "w+");
	CHECK(f && fputs("0123456789", f) >= 0 && ftell(f) == 10);
	CHECK(fseek(f, 2, SEEK_SET) == 0 && fgetc(f) == '2' && ftell(f) == 3);
	CHECK(fseek(f, 3, SEEK_CUR) == 0 && fgetc(f) == '6');
	CHECK(fseek(f, -1, SEEK_END) == 0 && fgetc(f) == '9' && fgetc(f) == EOF && feof(f));
	rewind(f);
	CHECK(!feof(f) && fgetc(f) == '0' && ftell(f) == 1);
	CHECK(ungetc('x', f) == 'x' && ftell(f) == 0 && fgetc(f) == 'x');
	/* Writing after a seek lands there. */
	CHECK(fseek(f, 4, SEEK_SET) == 0 && fputc('X', f) == 'X' && fseek(f, 3, SEEK_SET) == 0);
	CHECK(fgetc(f) == '3' && fgetc(f) == 'X' && fgetc(f) == '5');
	errno = 0;
	CHECK(fseek(f, 0, 7) == -1 && errno == EINVAL);
	CHECK(fseek(stdout, 0, SEEK_SET) == -1 && errno == ESPIPE && ftell(stdout) == -1);
	CHECK_EQ(fclose(f), 0);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "cont"))
		return child_cont(atoi(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "actions"))
		return child_actions(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "forge"))
		return child_forge(atoi(argv[2]), atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "hold"))
		return child_hold(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "middle"))
		return child_middle(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "gone"))
		return is_ebadf(fcntl(atoi(argv[2]), F_GETFD)) ? 0 : 1;
	if (argc >= 2)
		return 2; /* "never", "x": never meant to run */

	tap_plan(90);
	struct ker_info_counts base = counts();
	int chid = ChannelCreate(0);
	char a[16], b[16], c[16];
	pid_t srv = -1;
	struct req ready;
	struct _msg_info info;
	CHECK(chid > 0 &&
	      posix_spawn(&srv, "test_fd", NULL, NULL,
			  (char *[]){"test_fd", "server", num(a, getpid()), num(b, chid), NULL},
			  NULL) == 0);
	int rcvid = MsgReceive(chid, &ready, sizeof(ready), &info);
	CHECK(rcvid > 0 && info.pid == srv && ready.type == T_READY);
	MsgReply(rcvid, 0, NULL, 0);
	int probe = open("/dev/fdtest", O_RDONLY | O_CLOEXEC);
	struct _server_info si;
	CHECK(probe >= 3 && ConnectServerInfo(0, probe, &si) == probe && si.pid == srv);
	srv_coid = ConnectAttach(0, si.pid, si.chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(srv_coid >= _NTO_SIDE_CHANNEL && close(probe) == 0);

	dups();
	spawns();
	dirs();
	unlinks();
	seeks();

	/* --- the server killed while a child holds an inherited fd -------- */
	int fd = open("/dev/fdtest", O_RDWR);
	pid_t child;
	CHECK(fd >= 3 && posix_spawn(&child, "test_fd", NULL, NULL,
				     (char *[]){"test_fd", "hold", num(a, fd), num(b, getpid()),
						num(c, chid), NULL},
				     NULL) == 0);
	rcvid = MsgReceive(chid, &ready, sizeof(ready), &info);
	CHECK(rcvid > 0 && info.pid == child && ready.type == T_CHILD);
	int st = -1;
	CHECK(kill(srv, SIGKILL) == 0 && waitpid(srv, &st, 0) == srv && WIFSIGNALED(st));
	MsgReply(rcvid, 0, NULL, 0);
	CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Our fd's server has gone: a child does not get it. */
	CHECK_EQ(run(NULL, (char *[]){"test_fd", "gone", num(a, fd), NULL}), 0);
	char ch;
	CHECK(read(fd, &ch, 1) == -1 && close(fd) == 0);
	CHECK(fails(open("/dev/fdtest", O_RDONLY), ENOENT));

	/* --- counts ------------------------------------------------------ */
	CHECK(ConnectDetach(srv_coid) == 0 && ChannelDestroy(chid) == 0);
	struct ker_info_counts now = counts();
	CHECK_EQ(now.channels, base.channels);
	CHECK_EQ(now.connections, base.connections);
	CHECK_EQ(now.threads, base.threads);
	CHECK_EQ(now.processes, base.processes);
	return tap_done();
}
