/*
 * The system's servers killed in the middle of their clients' requests
 * (issue 13), from proc's child (booted init=proc init.run=test_servers:
 * proc has started namesrv and the boot script's servers). For each
 * restartable server (a boot-script line with [+restart]) a client of
 * this program's own (the role "hold PATH" or "read PATH") is in a
 * request to it when it is killed with SIGKILL: the client gets an
 * error, never a hang, proc starts the server again under a new pid, and
 * a new open of its path is served. namesrv is killed last, under a
 * client looping name_open ("names"): that client gets ENOSYS (QNX's
 * error for a call nobody serves), and namesrv is not restarted (every
 * process's NAMESRV_COID and every server's attachments were its state).
 * Waits are bounded: a child that hangs is a failure after 10 s, not a
 * hung test.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/dispatch.h>
#include <sys/kinfo.h>
#include <sys/namemsg.h>
#include <sys/neutrino.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define STATE_REPLY 6
#define TEN_S	    10000000000ull

/* The restartable servers of boot/user-tests.build and the request each
 * one's client is in when the server is killed: "read" blocks in a
 * read (the console has no input), "hold" keeps asking fstat on an
 * open fd. */
static const struct {
	const char *path, *role;
} servers[] = {
    {"/dev/shmem/test_servers", "hold"},
    {"/dev/ser1", "read"},
};

static int parent_pid, parent_chid;

/* --- the client roles ----------------------------------------------------- */

/* Tell the parent we are about to make our requests. */
static void ready(void)
{
	int coid = ConnectAttach(0, parent_pid, parent_chid, _NTO_SIDE_CHANNEL, 0);
	if (coid < 0 || MsgSend(coid, NULL, 0, NULL, 0) != 0)
		exit(100);
	ConnectDetach(coid);
}

/* Each role exits with the errno its request failed with (0: none did). */
static int client(const char *role, const char *path)
{
	if (!strcmp(role, "names")) {
		ready();
		for (;;)
			if (name_open("test_servers-nobody", 0) != -1 || errno != ENOENT)
				return errno;
	}
	int fd = open(path, O_RDWR | O_CREAT, 0666);
	if (fd < 0)
		return 101;
	ready();
	if (!strcmp(role, "read")) {
		char c;
		return read(fd, &c, 1) < 0 ? errno : 0;
	}
	for (struct stat st;;)
		if (fstat(fd, &st) != 0)
			return errno;
}

/* --- the parent ----------------------------------------------------------- */

/* Who serves path (namesrv's answer), or 0. */
static pid_t server_of(const char *path)
{
	struct _name_path_resolve_req q = {.type = _NAME_PATH_RESOLVE};
	struct _name_resolved where;
	int coid = (int)getauxval(AT_MUON_NAMESRV_COID);

	strncpy(q.path, path, sizeof(q.path) - 1);
	return coid && MsgSend(coid, &q, sizeof(q), &where, sizeof(where)) >= 0 ? where.pid : 0;
}

/* The pid of the process named name (its first thread's), or 0. */
static pid_t pid_named(const char *name)
{
	static struct ker_thread_info t[128];
	long n = KerInfo(KER_INFO_THREADS, t, sizeof(t));

	for (long i = 0; i < n && i < (long)(sizeof(t) / sizeof(t[0])); i++)
		if (!strcmp(t[i].name, name))
			return t[i].pid;
	return 0;
}

/* Whether pid's only thread is REPLY-blocked on server (polled, 10 s at
 * most: it is on its way there). */
static int in_request(pid_t pid, pid_t server)
{
	static struct ker_thread_info t[128];
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		long n = KerInfo(KER_INFO_THREADS, t, sizeof(t));
		for (long i = 0; i < n && i < (long)(sizeof(t) / sizeof(t[0])); i++)
			if (t[i].pid == pid && t[i].state == STATE_REPLY &&
			    t[i].blocked_on == server)
				return 1;
		SchedYield();
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - t0.tv_sec < 10);
	return 0;
}

/* The server of path once it is not old (restarted), polled for 10 s
 * at most; 0 if it never came. */
static pid_t new_server_of(const char *path, pid_t old)
{
	uint64_t step = 10000000;

	for (int i = 0; i < 1000; i++) {
		pid_t p = server_of(path);
		if (p > 0 && p != old)
			return p;
		ClockNanosleep(CLOCK_MONOTONIC, 0, &step);
	}
	return 0;
}

/* Spawn this program as a client in role on path, and wait until it
 * says it is ready; its pid. */
static pid_t spawn_client(int chid, const char *role, const char *path)
{
	char ppid[16], pchid[16];
	pid_t pid;

	snprintf(ppid, sizeof(ppid), "%d", getpid());
	snprintf(pchid, sizeof(pchid), "%d", chid);
	char *argv[] = {"test_servers", (char *)role, (char *)path, ppid, pchid, NULL};
	if (posix_spawn(&pid, "test_servers", NULL, NULL, argv, NULL))
		return -1;
	int rcvid = MsgReceive(chid, NULL, 0, NULL);
	if (rcvid <= 0)
		return -1;
	MsgReply(rcvid, 0, NULL, 0);
	return pid;
}

/* waitpid, bounded at 10 s: the child's status, or -1. */
static int reap(pid_t pid)
{
	uint64_t t = TEN_S;
	int st;

	TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, NULL, &t, NULL);
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void kill_restartable(int chid, const char *path, const char *role)
{
	printf("# %s: a client in %s\n", path, role);
	pid_t srv = server_of(path);
	CHECK(srv > 0);
	pid_t c = spawn_client(chid, role, path);
	CHECK(c > 0);
	/* A read is held by the server: the client must be in it when
	 * the server dies. The fstat loop is in a request or between two. */
	if (!strcmp(role, "read"))
		CHECK(in_request(c, srv));
	CHECK_EQ(kill(srv, SIGKILL), 0);
	int st = reap(c);
	CHECK(st != -1 && WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), EBADF); /* a connection to nothing */
	pid_t again = new_server_of(path, srv);
	CHECK(again > 0);
	int fd = open(path, O_RDWR | O_CREAT, 0666);
	struct stat sb;
	CHECK(fd >= 0 && fstat(fd, &sb) == 0);
	CHECK_EQ(close(fd), 0);
}

int main(int argc, char **argv)
{
	if (argc == 5) {
		parent_pid = atoi(argv[3]);
		parent_chid = atoi(argv[4]);
		return client(argv[1], argv[2]);
	}
	/* Our output goes to the kernel's console while we kill the console
	 * server (fds 0-2 are its; libc falls back when they are closed). */
	close(0);
	close(1);
	close(2);
	int nservers = (int)(sizeof(servers) / sizeof(servers[0])), points = 5;
	for (int i = 0; i < nservers; i++)
		points += 8 + !strcmp(servers[i].role, "read");
	tap_plan(points);
	int chid = ChannelCreate(0);

	for (int i = 0; i < nservers; i++)
		kill_restartable(chid, servers[i].path, servers[i].role);

	/* namesrv, last: the system has no names after it. */
	pid_t ns = pid_named("namesrv");
	CHECK(ns > 0);
	pid_t c = spawn_client(chid, "names", "-");
	CHECK(c > 0);
	CHECK_EQ(kill(ns, SIGKILL), 0);
	int st = reap(c);
	CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == ENOSYS);
	CHECK(name_open("test_servers-nobody", 0) == -1 && errno == ENOSYS);
	return tap_done();
}
