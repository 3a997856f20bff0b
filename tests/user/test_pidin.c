/*
 * pidin (utils/pidin.c) against threads in known states, and proc's
 * _PROC_ARGS that `pidin arg` shows. Runs under proc (init=proc
 * init.run=test_pidin: pid 3, proc pid 1, namesrv pid 2) and holds:
 *   tid 2  receiver  RECEIVE-blocked on channel RCHID (2), named
 *                    "receiver" (pthread_setname_np)
 *   tid 3  server    took the client's message on channel 1 without
 *                    replying, then waits for the client to end: JOIN on 4
 *   tid 4  client    REPLY-blocked on the server's process (pid 3)
 *   tid 5  CONDVAR   in pthread_cond_wait on cv
 *   tid 6  SEM       in sem_wait on sem (0)
 *   tid 7  MUTEX     in pthread_mutex_lock on mtx, which main holds
 *   tid 1  main      REPLY-blocked on proc (pid 1) in waitpid while
 *                    pidin runs
 * and a child, this program again ("sleep" and two arguments), asleep.
 * KerInfo confirms the states and what they are blocked on (TAP); then
 * pidin runs and must exit 0, and its error paths must exit 1. What
 * pidin printed is the harness's to check: tools/run-tests gives this
 * test --expect-text regexes for the lines of these threads (tids, chid
 * and pids fixed as above, which the TAP points below also assert; the
 * sync objects' addresses from the "# sync:" line printed here), proc's
 * and the kernel's lines, and the "-p 2" and "arg" listings between the
 * markers printed here ("-p N": ours).
 *
 * _PROC_ARGS: our own arguments (pid 0 and our pid), the child's, a
 * reply buffer too small (the status says how much there was), proc's
 * own (none: it spawned itself no more than the kernel's pid 1), a copy
 * cut at _PROC_ARGS_MAX, and the errors: ESRCH (no such pid, a child
 * gone), EINVAL (pid below 0), EFAULT (a reply or request buffer that
 * is not mapped).
 *
 * Synchronisation as in msgtest.h: main runs SCHED_FIFO at 10, below every
 * thread it starts, so when it runs they are all blocked (the mutex's
 * waiter starts last: it lends main its priority). The sync objects'
 * waiters are POSIX threads: msgtest.h's share main's libc state.
 */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/procmsg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "onecpu.h"
#include "msgtest.h"

#define MAIN_PRIO    10
#define EXITED(code) ((code) << 8)
#define ST_MUTEX     13
#define ST_CONDVAR   14
#define ST_SEM	     17

static int srv_chid, rcv_chid, srv_coid;
static int srv_rcvid; /* the client's message, held unanswered */
static int srv_join = -1;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER, cvm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static sem_t sem;
static int cv_go;

static void *receiver(void *arg)
{
	struct _pulse p;
	(void)arg;
	MsgReceive_r(rcv_chid, &p, sizeof(p), NULL); /* ended by a pulse */
	return NULL;
}

static void *server(void *arg)
{
	struct _msg_info info;
	char buf[16];
	(void)arg;
	srv_rcvid = MsgReceive_r(srv_chid, buf, sizeof(buf), &info);
	if (srv_rcvid <= 0)
		return NULL;
	/* No reply: the client stays REPLY-blocked while we wait for it. */
	srv_join = ThreadJoin_r(info.tid, NULL);
	return NULL;
}

static void *client(void *arg)
{
	(void)arg;
	MsgSend_r(srv_coid, "hi", 3, NULL, 0);
	return NULL;
}

static void *cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cvm);
	while (!cv_go)
		pthread_cond_wait(&cv, &cvm);
	pthread_mutex_unlock(&cvm);
	return NULL;
}

static void *sem_waiter(void *arg)
{
	(void)arg;
	sem_wait(&sem);
	return NULL;
}

static void *mutex_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mtx);
	pthread_mutex_unlock(&mtx);
	return NULL;
}

/* A POSIX thread (the sync objects want libc's per-thread state, which
 * msgtest.h's threads share with main) running fn at prio, SCHED_FIFO;
 * its tid, or 0. */
static pthread_t pstart(void *(*fn)(void *), int prio)
{
	pthread_attr_t a;
	struct sched_param sp = {.sched_priority = prio};
	pthread_t t = 0;

	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_FIFO);
	pthread_attr_setschedparam(&a, &sp);
	if (pthread_create(&t, &a, fn, NULL))
		printf("# pthread_create: failed\n");
	return t;
}

/* Spawn this program with argv (a child's role); its pid, or -1. */
static pid_t spawn(char *const argv[])
{
	pid_t pid = -1;
	int err = posix_spawn(&pid, "test_pidin", NULL, NULL, argv, NULL);

	if (err)
		printf("# spawn: error %d\n", err);
	return err ? -1 : pid;
}

/* Run pidin with args to its end; its wait status, or -1. */
static int pidin(char *const argv[])
{
	int status;
	pid_t pid;
	int err = posix_spawn(&pid, "pidin", NULL, NULL, argv, NULL);

	if (err) {
		printf("# spawn pidin: error %d\n", err);
		return -1;
	}
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* _PROC_ARGS for pid into buf (len bytes): the reply status or -errno. */
static long args_of(int pid, void *buf, size_t len)
{
	struct _proc_args q = {.type = _PROC_ARGS, .pid = pid};

	return MsgSend_r(SYSMGR_COID, &q, sizeof(q), buf, len);
}

static void proc_args(pid_t child) /* 13 points */
{
	char a[_PROC_ARGS_MAX + 8];
	static const char mine[] = "test_pidin", childs[] = "test_pidin\0sleep\0two words";

	memset(a, 0x55, sizeof(a));
	CHECK(args_of(0, a, sizeof(a)) == sizeof(mine) && !memcmp(a, mine, sizeof(mine)));
	CHECK(args_of(getpid(), a, sizeof(a)) == sizeof(mine) && !memcmp(a, mine, sizeof(mine)));
	CHECK(args_of(child, a, sizeof(a)) == sizeof(childs) && !memcmp(a, childs, sizeof(childs)));
	/* A reply buffer of 4: the status says how much there was. */
	memset(a, 0x55, sizeof(a));
	CHECK(args_of(child, a, 4) == sizeof(childs) && !memcmp(a, "test", 4) && a[4] == 0x55);
	CHECK_EQ(args_of(SYSMGR_PID, a, sizeof(a)), 0); /* proc: spawned by nobody */
	CHECK_EQ(args_of(4000, a, sizeof(a)), -ESRCH);
	CHECK_EQ(args_of(1 << 20, a, sizeof(a)), -ESRCH);
	CHECK_EQ(args_of(-1, a, sizeof(a)), -EINVAL);

	/* Buffers that are not mapped, in our half. */
	char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	munmap(gone, 4096);
	CHECK_EQ(args_of(0, gone, 64), -EFAULT);
	CHECK_EQ(MsgSend_r(SYSMGR_COID, gone, sizeof(struct _proc_args), a, sizeof(a)), -EFAULT);

	/* A longer argument list is cut at _PROC_ARGS_MAX, ending in 0. */
	char big[300];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	pid_t pid = spawn((char *[]){"test_pidin", "sleep", big, NULL});
	memset(a, 0x55, sizeof(a));
	CHECK(args_of(pid, a, sizeof(a)) == _PROC_ARGS_MAX && a[_PROC_ARGS_MAX - 1] == 0 &&
	      !memcmp(a, "test_pidin\0sleep\0xxx", 20) && a[_PROC_ARGS_MAX - 2] == 'x');
	int st;
	CHECK(kill(pid, SIGKILL) == 0 && waitpid(pid, &st, 0) == pid && WTERMSIG(st) == SIGKILL);
	CHECK_EQ(args_of(pid, a, sizeof(a)), -ESRCH); /* gone */
}

int main(int argc, char **argv)
{
	one_cpu(); /* onecpu.h */
	if (argc > 1 && !strcmp(argv[1], "sleep")) { /* the child: asleep until killed */
		uint64_t forever = UINT64_MAX;
		for (;;)
			ClockNanosleep(CLOCK_MONOTONIC, 0, &forever);
	}
	int me = getpid();
	tap_plan(28 + 13);
	set_self_prio(MAIN_PRIO);
	CHECK(me > 2); /* after namesrv (run-tests knows which, by the servers) */
	char pid_arg[16];
	snprintf(pid_arg, sizeof(pid_arg), "%d", me);

	srv_chid = ChannelCreate(0);
	rcv_chid = ChannelCreate(0);
	srv_coid = ConnectAttach(0, 0, srv_chid, _NTO_SIDE_CHANNEL, 0);
	int rcv_coid = ConnectAttach(0, 0, rcv_chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(srv_chid == 1 && rcv_chid == 2 && srv_coid > 0 && rcv_coid > 0);

	/* Each runs at once (above us) and blocks before we go on. */
	int r = tstart(receiver, NULL, 21);
	int s = tstart(server, NULL, 22);
	int c = tstart(client, NULL, 20);
	CHECK(r == 2 && s == 3 && c == 4); /* the tids run-tests' regexes name */
	CHECK_EQ(pthread_setname_np(r, "receiver"), 0); /* pidin shows it instead of ours */

	CHECK_STATE(me, r, ST_RECEIVE, rcv_chid);
	CHECK_STATE(me, c, ST_REPLY, me);
	CHECK_STATE(me, s, ST_JOIN, c);

	/* The sync objects: the mutex's waiter last, as it lends us its
	 * priority (inheritance) while it waits. */
	sem_init(&sem, 0, 0);
	pthread_t cw = pstart(cond_waiter, 19);
	pthread_t sw = pstart(sem_waiter, 18);
	pthread_mutex_lock(&mtx);
	pthread_t mw = pstart(mutex_waiter, 17);
	CHECK(cw == 5 && sw == 6 && mw == 7);
	struct ker_thread_info ti = thread_info(me, cw);
	CHECK(ti.state == ST_CONDVAR && ti.sync_addr == (uintptr_t)&cv);
	ti = thread_info(me, sw);
	CHECK(ti.state == ST_SEM && ti.sync_addr == (uintptr_t)&sem);
	ti = thread_info(me, mw);
	CHECK(ti.state == ST_MUTEX && ti.sync_addr == (uintptr_t)&mtx && ti.owner_pid == me &&
	      ti.blocked_on == 1);
	printf("# sync: mutex 0x%lx condvar 0x%lx sem 0x%lx\n", (unsigned long)(uintptr_t)&mtx,
	       (unsigned long)(uintptr_t)&cv, (unsigned long)(uintptr_t)&sem);

	/* A child with arguments, for pidin arg. */
	pid_t child = spawn((char *[]){"test_pidin", "sleep", "two words", NULL});
	CHECK(child > me);

	/* Everything: the harness reads the lines of pid 3's threads, of
	 * proc (pid 1) and of the kernel (pid 0). */
	CHECK_EQ(pidin((char *[]){"pidin", NULL}), EXITED(0));
	/* Only pid 3: its seven threads between this marker and the TAP line. */
	printf("# pidin -p %d:\n", me);
	CHECK_EQ(pidin((char *[]){"pidin", "-p", pid_arg, NULL}), EXITED(0));
	CHECK_EQ(pidin((char *[]){"pidin", "-p", "4000", NULL}), EXITED(1)); /* no such pid */
	CHECK_EQ(pidin((char *[]){"pidin", "-x", NULL}), EXITED(1));
	CHECK_EQ(pidin((char *[]){"pidin", "nosuchform", NULL}), EXITED(1));
	/* The processes and their arguments (proc's copy; the name of those
	 * proc did not spawn), between this marker and the next TAP line. */
	printf("# pidin arg:\n");
	CHECK_EQ(pidin((char *[]){"pidin", "arg", NULL}), EXITED(0));
	printf("# pidin -p %d arguments:\n", me);
	CHECK_EQ(pidin((char *[]){"pidin", "-p", pid_arg, "arguments", NULL}), EXITED(0));
	/* Each process's memory; then ours alone. */
	printf("# pidin mem:\n");
	CHECK_EQ(pidin((char *[]){"pidin", "mem", NULL}), EXITED(0));
	printf("# pidin -p %d mem:\n", me);
	CHECK_EQ(pidin((char *[]){"pidin", "-p", pid_arg, "mem", NULL}), EXITED(0));
	CHECK_EQ(pidin((char *[]){"pidin", "arg", "mem", NULL}), EXITED(1));

	proc_args(child);
	int st;
	CHECK(kill(child, SIGTERM) == 0 && waitpid(child, &st, 0) == child && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGTERM);

	/* Let them all go: the reply frees the client and so the server. */
	CHECK_EQ(MsgReply_r(srv_rcvid, 0, NULL, 0), 0);
	CHECK_EQ(srv_join, 0);
	MsgSendPulse_r(rcv_coid, -1, 1, 0);
	CHECK(tjoin(r) == 0 && tjoin(s) == 0);
	pthread_mutex_unlock(&mtx);
	pthread_mutex_lock(&cvm);
	cv_go = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&cvm);
	sem_post(&sem);
	CHECK(!pthread_join(cw, NULL) && !pthread_join(sw, NULL) && !pthread_join(mw, NULL));
	CHECK_EQ(cur_prio(), MAIN_PRIO); /* the mutex's loan is over */
	return tap_done();
}
