/*
 * The kernel core (issue: one way to block, wake and cancel a thread): the
 * defects programs written outside the project found, each as a check
 * that failed before the mechanism and passes with it.
 *  - destroy a JOIN-blocked thread, then end what it joined (it must stay
 *    dead; detached or already joined too);
 *  - the last live thread's ThreadDestroy ends the process even with a
 *    dead, unjoined thread left (its parent's ProcWait returns);
 *  - a thread made by a kernel call runs only once the call is over
 *    (ThreadCreate returns its own tid, never another's);
 *  - a waiter woken by the idle thread's reaping runs at once;
 *  - time: UINT64_MAX never expires, an absolute deadline already past
 *    expires at once, TimerTimeout covers JOIN and NANOSLEEP;
 *  - a REPLY timeout set before queueing in SEND holds once received;
 *  - MsgError(rcvid, -1) gives the client the error of its unblock request;
 *  - an IOV array rewritten while SEND-blocked is read within its count;
 *  - a hole in the middle of a client's buffer is the client's fault;
 *  - a server whose client is destroyed goes back to its own priority; an
 *    unprivileged server's boost stops at 63;
 *  - THREADDEATH for a thread destroyed by another;
 *  - priorities above 63 and setting CLOCK_REALTIME need privilege;
 *  - ProcConnectAttach (proc's way to connect a process it made to a
 *    server) works only on a child whose code has not started: not on
 *    ourselves, not to a channel that is not there; the child's
 *    connection goes with it.
 * QNX pages: ThreadDestroy, ThreadJoin, TimerTimeout, MsgError (7.0.1 and
 * later: error -1), "Priority inheritance and messages" (System
 * Architecture), ChannelCreate (_NTO_CHF_THREAD_DEATH), SchedSet (EPERM).
 *
 * Main runs SCHED_FIFO at 5, below every thread it starts (msgtest.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/kinfo.h>

#include "onecpu.h"
#include "../../proc/proc.h"
#include "msgtest.h"

#define MAIN_PRIO    5
#define EXITED(code) ((code) << 8)
#define MS	     1000000ull
#define PAGE	     4096ul

static struct ifs fs;
static int chid, coid;

static pid_t child(const char *role, int prio)
{
	char *argv[] = {"child", (char *)role, NULL};
	pid_t pid = proc_spawn(&fs, "child", argv, NULL, prio, SCHED_FIFO);
	if (pid < 0)
		printf("# spawn child %s: error %d\n", role, -pid);
	return pid;
}

/* ProcWait for pid, at most ms milliseconds (TimerTimeout covers the
 * wait: JOIN); the status, or -1. */
static int wait_child_ms(pid_t pid, uint64_t ms)
{
	int st = -1;
	timeout_in(_NTO_TIMEOUT_JOIN, ms * MS);
	int r = ProcWait_r(pid, &st);
	if (r != pid)
		printf("# ProcWait(%d): %d\n", pid, r);
	return r == pid ? st : -1;
}

/* --- 2: destroying a JOIN-blocked thread -------------------------------------- */

static int x_chid;
static volatile int b_ran_after_join;

static void *block_on_x(void *arg)
{
	MsgReceive_r(x_chid, NULL, 0, NULL); /* until main sends it a pulse */
	return arg;
}

static void *join_x(void *arg)
{
	ThreadJoin_r((int)(long)arg, NULL);
	b_ran_after_join = 1; /* must never happen: we were destroyed */
	return NULL;
}

/* B joins X; B is destroyed (joinable, detached, or with main joining it
 * first); then X ends. B never runs again and the kernel lives on. */
static void destroyed_joiner(int how) /* 3 points */
{
	int x_coid;
	x_chid = ChannelCreate(0);
	x_coid = ConnectAttach(0, 0, x_chid, _NTO_SIDE_CHANNEL, 0);
	b_ran_after_join = 0;
	int x = tstart(block_on_x, NULL, 20);
	int b = tstart(join_x, (void *)(long)x, 20);
	CHECK_STATE(MYPID, b, ST_JOIN, x);
	if (how == 1)
		ThreadDetach_r(b);
	CHECK_EQ(ThreadDestroy_r(b, -1, (void *)77), 0);
	void *v = NULL;
	if (how != 1)
		ThreadJoin_r(b, &v);
	MsgSendPulse_r(x_coid, 20, 1, 0); /* X ends now */
	CHECK(tjoin(x) == 0 && !b_ran_after_join && (how == 1 || v == (void *)77));
	if (how == 1) /* a detached thread's stack slot: ours to free */
		tjoin(b);
	ConnectDetach(x_coid);
	ChannelDestroy(x_chid);
}

/* --- 4: no switch in the middle of ThreadCreate --------------------------------- */

static int j_chid, u_tid;

static void *t_ready_j(void *arg)
{
	MsgSendPulse_r((int)(long)arg, 30, 1, 0); /* J (20) is ready: we outrank it */
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

static void *j_thread(void *arg)
{
	MsgReceive_r(j_chid, NULL, 0, NULL);
	u_tid = tstart(nothing, NULL, 25); /* U: made while main's call was not over */
	return arg;
}

/* Main (5) creates T (30), which readies J (20) and returns; J creates U.
 * All of it runs after main's ThreadCreate is over: it returns T's tid. */
static void create_returns_own_tid(void) /* 4 points */
{
	j_chid = ChannelCreate(0);
	int jc = ConnectAttach(0, 0, j_chid, _NTO_SIDE_CHANNEL, 0);
	int j = tstart(j_thread, NULL, 20);
	CHECK_STATE(MYPID, j, ST_RECEIVE, j_chid);
	int t = tstart(t_ready_j, (void *)(long)jc, 30);
	CHECK(t > 0 && u_tid > 0 && t != u_tid);
	CHECK(tjoin(t) == 0 && tjoin(j) == 0 && tjoin(u_tid) == 0);

	/* A detached thread above us ends and is freed: counts at baseline. */
	struct _thread_attr a = {0};
	a.__flags = PTHREAD_EXPLICIT_SCHED | PTHREAD_CREATE_DETACHED;
	a.__policy = SCHED_FIFO;
	a.__param.sched_priority = 30;
	a.__exitfunc = t_exit;
	static char dstack[16384] __attribute__((aligned(16)));
	memset(dstack, 0, sizeof(dstack)); /* its pages made before we count */
	struct ker_info_counts before = counts();
	a.__stackaddr = dstack;
	a.__stacksize = sizeof(dstack);
	ThreadCreate_r(0, nothing, NULL, &a);
	struct ker_info_counts after = counts();
	CHECK(after.threads == before.threads && after.free_pages == before.free_pages);
	ConnectDetach(jc);
	ChannelDestroy(j_chid);
}

/* --- 3 and 5: a process's last thread, the reaper's wake-up ------------------------ */

static void last_thread_and_reaping(void) /* 3 points */
{
	/* "lastthread": a joinable thread returns unjoined, then main calls
	 * ThreadDestroy(0): the process must end (status 0, as exit(0)
	 * after the last pthread_exit), so ProcWait returns. */
	pid_t pid = child("lastthread", 12);
	CHECK_EQ(wait_child_ms(pid, 3000), EXITED(0));

	/* A child that exits while we wait: woken by the reaper at once. */
	pid = child("exit0", 3); /* below us: it runs once we wait */
	uint64_t ns0, ns1;
	ClockTime_r(CLOCK_MONOTONIC, NULL, &ns0);
	int st = wait_child_ms(pid, 3000);
	ClockTime_r(CLOCK_MONOTONIC, NULL, &ns1);
	CHECK_EQ(st, EXITED(0));
	/* The lost wake-up slept to the next timer interrupt (0.5 s or more). */
	CHECK(ns1 - ns0 < 250 * MS);
	if (ns1 - ns0 >= 250 * MS)
		printf("#   woken %llu ms after the child's end\n",
		       (unsigned long long)((ns1 - ns0) / MS));
}

/* --- 6: time --------------------------------------------------------------------- */

static long sleep_result = 1, recv_result = 1;

static void *sleep_forever(void *arg)
{
	uint64_t ns = UINT64_MAX;
	sleep_result = ClockNanosleep_r(CLOCK_MONOTONIC, 0, &ns);
	return arg;
}

static void *receive_with(void *arg)
{
	const uint64_t *spec = arg; /* flags, ns */
	struct _pulse p;
	TimerTimeout_r(spec[2] ? CLOCK_REALTIME : CLOCK_MONOTONIC, (int)spec[0], NULL, &spec[1],
		       NULL);
	recv_result = MsgReceive_r(chid, &p, sizeof(p), NULL);
	return NULL;
}

static void *sleep_with_timeout(void *arg)
{
	uint64_t forever = UINT64_MAX;
	timeout_in(_NTO_TIMEOUT_NANOSLEEP, 20 * MS);
	sleep_result = ClockNanosleep_r(CLOCK_MONOTONIC, 0, &forever);
	return arg;
}

static void times(void) /* 8 points */
{
	/* UINT64_MAX nanoseconds: still asleep when we look. */
	int t = tstart(sleep_forever, NULL, 20);
	CHECK_STATE(MYPID, t, 12 /* NANOSLEEP */, NO_ON);
	CHECK(ThreadDestroy_r(t, -1, NULL) == 0 && tjoin(t) == 0 && sleep_result == 1);

	/* A receive timeout of UINT64_MAX: still RECEIVE-blocked. */
	uint64_t rel_max[3] = {_NTO_TIMEOUT_RECEIVE, UINT64_MAX, 0};
	t = tstart(receive_with, rel_max, 20);
	CHECK_STATE(MYPID, t, ST_RECEIVE, chid);
	MsgSendPulse_r(coid, 20, 1, 0);
	CHECK(tjoin(t) == 0 && recv_result == 0);

	/* Absolute deadlines already past (monotonic 1 ns; realtime 1 ns,
	 * before the clock's epoch offset): at once. */
	uint64_t abs_past[3] = {_NTO_TIMEOUT_RECEIVE | TIMER_ABSTIME, 1, 0};
	recv_result = 1;
	t = tstart(receive_with, abs_past, 20);
	int st = state_of(MYPID, t);
	if (st == ST_RECEIVE)
		MsgSendPulse_r(coid, 20, 1, 0); /* it waited: let it go */
	CHECK(tjoin(t) == 0 && recv_result == -ETIMEDOUT);
	uint64_t now = 1000000000ull * 1700000000ull;
	ClockTime_r(CLOCK_REALTIME, &now, NULL); /* privileged: we are pid 1 */
	uint64_t rt_past[3] = {_NTO_TIMEOUT_RECEIVE | TIMER_ABSTIME, 1, 1};
	recv_result = 1;
	t = tstart(receive_with, rt_past, 20);
	if (state_of(MYPID, t) == ST_RECEIVE)
		MsgSendPulse_r(coid, 20, 1, 0);
	CHECK(tjoin(t) == 0 && recv_result == -ETIMEDOUT);

	/* TimerTimeout covers NANOSLEEP and JOIN. */
	t = tstart(sleep_with_timeout, NULL, 20);
	CHECK(tjoin(t) == 0 && sleep_result == -ETIMEDOUT);
	x_chid = ChannelCreate(0);
	int b = tstart(block_on_x, NULL, 20);
	timeout_in(_NTO_TIMEOUT_JOIN, 10 * MS);
	CHECK_EQ(ThreadJoin_r(b, NULL), -ETIMEDOUT);
	CHECK(ThreadDestroy_r(b, -1, NULL) == 0 && tjoin(b) == 0);
	ChannelDestroy(x_chid);
}

/* --- 7, 8: REPLY timeouts ----------------------------------------------------------- */

struct timed_send {
	int coid;
	unsigned flags;
	uint64_t ns;
	long result;
};

static void *send_timed(void *arg)
{
	struct timed_send *s = arg;
	timeout_in((int)s->flags, s->ns);
	s->result = MsgSend_r(s->coid, "t", 2, NULL, 0);
	return NULL;
}

static void reply_timeouts(void) /* 6 points */
{
	/* REPLY-only timeout, queued first (no receiver yet): it holds once
	 * we receive and never reply. */
	struct timed_send s = {coid, _NTO_TIMEOUT_REPLY, 20 * MS, 1};
	int t = tstart(send_timed, &s, 20);
	CHECK_STATE(MYPID, t, ST_SEND, NO_ON);
	int rcvid = MsgReceive_r(chid, NULL, 0, NULL);
	CHECK(rcvid > 0);
	timeout_in(_NTO_TIMEOUT_JOIN, 3000 * MS);
	CHECK(tjoin(t) == 0 && s.result == -ETIMEDOUT);
	CHECK_EQ(MsgReply_r(rcvid, 0, NULL, 0), -ESRCH);

	/* An _NTO_CHF_UNBLOCK channel: the timeout asks us; MsgError(rcvid,
	 * -1) gives the client the request's error. */
	int uch = ChannelCreate(_NTO_CHF_UNBLOCK);
	int uco = ConnectAttach(0, 0, uch, _NTO_SIDE_CHANNEL, 0);
	s = (struct timed_send){uco, _NTO_TIMEOUT_REPLY, 10 * MS, 1};
	t = tstart(send_timed, &s, 20);
	rcvid = MsgReceive_r(uch, NULL, 0, NULL);
	CHECK_EQ(MsgError_r(rcvid, -1), -EINVAL); /* no unblock request yet */
	struct _pulse p;
	int r = MsgReceive_r(uch, &p, sizeof(p), NULL); /* the UNBLOCK pulse */
	CHECK(r == 0 && p.code == _PULSE_CODE_UNBLOCK && p.value.sival_int == rcvid &&
	      MsgError_r(rcvid, -1) == 0 && tjoin(t) == 0 && s.result == -ETIMEDOUT);
	ConnectDetach(uco);
	ChannelDestroy(uch);
}

/* --- 10: IOV rewritten while SEND-blocked -------------------------------------------- */

static iov_t rw_iov[3];
static char rw_a[8] = "AAAAAAA", rw_b[8] = "BBBBBBB", rw_secret[8] = "SECRET!";
static long rw_result;

static void *send_iov(void *arg)
{
	rw_result = MsgSendv_r(coid, rw_iov, 2, NULL, 0);
	return arg;
}

static void iov_rewrite(void) /* 3 points */
{
	/* Two parts of 8, and a third one past the count the kernel must
	 * never read. The message is short: the kernel staged it at the
	 * send. A long one is read at the receive. */
	static char big[8192];
	SETIOV(&rw_iov[0], rw_a, 8);
	SETIOV(&rw_iov[1], rw_b, 8);
	SETIOV(&rw_iov[2], rw_secret, 8);
	int t = tstart(send_iov, NULL, 20);
	char buf[64] = {0};
	int rcvid = MsgReceive_r(chid, buf, sizeof(buf), NULL);
	CHECK(rcvid > 0 && !memcmp(buf, "AAAAAAA\0BBBBBBB", 16));
	MsgReply_r(rcvid, 0, NULL, 0);
	tjoin(t);

	/* Long parts, rewritten to nothing while it waits: the receive reads
	 * the 2 parts it was given, finds them empty, and stops. */
	SETIOV(&rw_iov[0], big, 4096);
	SETIOV(&rw_iov[1], big + 4096, 4096);
	t = tstart(send_iov, NULL, 20);
	SETIOV(&rw_iov[0], big, 0);
	SETIOV(&rw_iov[1], big, 0);
	struct _msg_info info;
	static char rbuf[16384];
	memset(rbuf, 0, sizeof(rbuf));
	rcvid = MsgReceive_r(chid, rbuf, sizeof(rbuf), &info);
	CHECK(rcvid > 0 && info.msglen == 0 && !strstr(rbuf, "SECRET"));
	CHECK(MsgReply_r(rcvid, 3, NULL, 0) == 0 && tjoin(t) == 0 && rw_result == 3);
}

/* --- 11: a hole in the client's buffer ------------------------------------------------ */

static uintptr_t hole_base; /* the lowest byte of thread A's stack */
static long hole_result = 1;
static int hole_len;

static void *a_stack_base(void *arg)
{
	char here;
	/* Our stack's top is the page boundary just above this local. */
	hole_base = ((uintptr_t)&here + PAGE - 1) / PAGE * PAGE - 128 * 1024;
	return arg;
}

static void *send_across_hole(void *arg)
{
	/* From the top of thread B's stack (just below A's guard page)
	 * across the guard into A's stack: mapped, hole, mapped. */
	const char *from = (const char *)(hole_base - PAGE - 64);
	hole_result = MsgSend_r(coid, from, (size_t)hole_len, NULL, 0);
	return arg;
}

static void client_hole(void) /* 3 points */
{
	/* Two kernel-mapped stacks of 128 KiB, the first such in this
	 * process: A's, then B's just below A's guard page. A must stay
	 * mapped: it waits (joinable, dead) until we join it. */
	struct _thread_attr a = {0};
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_FIFO;
	a.__param.sched_priority = 20;
	a.__stacksize = 128 * 1024;
	a.__exitfunc = t_exit;
	int ta = ThreadCreate_r(0, a_stack_base, NULL, &a);
	CHECK(ta > 0 && hole_base);
	hole_len = (int)PAGE + 128;
	int tb = ThreadCreate_r(0, send_across_hole, NULL, &a);
	/* The message waits for us: receiving it finds the hole (the
	 * client's), so the client fails; we get nothing and time out. */
	char buf[PAGE + 256];
	timeout_in(_NTO_TIMEOUT_RECEIVE, 50 * MS);
	int r = MsgReceive_r(chid, buf, sizeof(buf), NULL);
	CHECK(r == -ETIMEDOUT && ThreadJoin_r(tb, NULL) == 0 && hole_result == -EFAULT);
	if (r != -ETIMEDOUT || hole_result != -EFAULT)
		printf("#   receive %d, send %ld\n", r, hole_result);
	ThreadJoin_r(ta, NULL);
}

/* --- 12: priorities of a server whose client goes ------------------------------------- */

static int srv_rcvid, srv_prio_held;

static void *hold_one(void *arg)
{
	srv_rcvid = MsgReceive_r(chid, NULL, 0, NULL);
	srv_prio_held = cur_prio();
	/* Hold it, blocked outside MsgReceive (which would set our priority
	 * back): main destroys the client, then us. */
	uint64_t forever = UINT64_MAX;
	ClockNanosleep_r(CLOCK_MONOTONIC, 0, &forever);
	return arg;
}

static void *send_plain(void *arg)
{
	MsgSend_r((int)(long)arg, NULL, 0, NULL, 0);
	return NULL;
}

static void server_priorities(void) /* 4 points */
{
	int s = tstart(hold_one, NULL, 10);
	int c = tstart(send_plain, (void *)(long)coid, 30);
	CHECK(srv_prio_held == 30 && thread_info(MYPID, s).priority == 30);
	CHECK(ThreadDestroy_r(c, -1, NULL) == 0 && tjoin(c) == 0);
	CHECK_EQ(thread_info(MYPID, s).priority, 10);
	ThreadDestroy_r(s, -1, NULL);
	tjoin(s);

	/* An unprivileged server boosted by a client at 80: capped at 63. */
	char *hold[] = {"child", "hold", NULL};
	pid_t pid = proc_spawn_abilities(&fs, "child", hold, NULL, 10, SCHED_FIFO,
					 _NTO_ABILITY_PUBLIC_CHANNEL);
	int hc = ConnectAttach(0, pid, 1, _NTO_SIDE_CHANNEL, 0);
	struct _thread_attr a = {0};
	static char hstack[16384] __attribute__((aligned(16)));
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_FIFO;
	a.__param.sched_priority = 80;
	a.__stackaddr = hstack;
	a.__stacksize = sizeof(hstack);
	a.__exitfunc = t_exit;
	int h = ThreadCreate_r(0, send_plain, (void *)(long)hc, &a);
	CHECK(h > 0 && thread_info(pid, 1).priority == 63);
	int st;
	ProcDestroy_r(pid, 9);
	ProcWait_r(pid, &st);
	ThreadJoin_r(h, NULL);
	ConnectDetach(hc);
}

/* --- 16: THREADDEATH for every death -------------------------------------------------- */

static void thread_death_pulses(void) /* 2 points */
{
	int td = ChannelCreate(_NTO_CHF_THREAD_DEATH);
	x_chid = ChannelCreate(0);
	int t = tstart(block_on_x, NULL, 20);
	CHECK(ThreadDestroy_r(t, -1, NULL) == 0 && tjoin(t) == 0);
	struct _pulse p;
	timeout_in(_NTO_TIMEOUT_RECEIVE, 100 * MS);
	int r = MsgReceive_r(td, &p, sizeof(p), NULL);
	CHECK(r == 0 && p.code == _PULSE_CODE_THREADDEATH && p.value.sival_int == t);
	ChannelDestroy(x_chid);
	ChannelDestroy(td);
}

/* --- privilege and limits, in unprivileged children ------------------------------------ */

static void unprivileged(void) /* 7 points */
{
	struct ker_info_counts before = counts();
	/* Priorities above 63, CLOCK_REALTIME, and every proc-only call:
	 * EPERM (child.c "eperm"). */
	CHECK_EQ(wait_child_ms(child("eperm", 10), 3000), EXITED(0));
	/* An ability given at spawn works until the child drops it. */
	char *argv[] = {"child", "abilities", NULL};
	pid_t pid =
	    proc_spawn_abilities(&fs, "child", argv, NULL, 10, SCHED_FIFO, _NTO_ABILITY_CLOCKSET);
	CHECK_EQ(wait_child_ms(pid, 3000), EXITED(0));
	/* Ours are all of them, the kernel's process-manager calls too,
	 * which no other process may be given. */
	uint64_t mine = 0;
	CHECK(ProcAbilities_r(0, NULL, &mine) == 0 && mine == _NTO_ABILITY_ALL);
	pid = proc_spawn_abilities(&fs, "child", argv, NULL, 10, SCHED_FIFO, _NTO_ABILITY_PROCMGR);
	CHECK_EQ(pid, -EPERM);
	/* Threads in a loop: EAGAIN at the process's limit (256). */
	CHECK_EQ(wait_child_ms(child("threadflood", 10), 20000), EXITED(0));
	/* Memory in a loop (64 MiB stacks): EAGAIN well before the machine
	 * runs out; we still spawn and kill after it. */
	CHECK_EQ(wait_child_ms(child("memflood", 10), 20000), EXITED(0));
	struct ker_info_counts after = counts();
	CHECK(after.threads == before.threads && after.processes == before.processes &&
	      after.free_pages == before.free_pages);
	if (after.free_pages != before.free_pages)
		printf("#   free pages %llu, were %llu\n", (unsigned long long)after.free_pages,
		       (unsigned long long)before.free_pages);
}

static void proc_connect(void) /* 3 points */
{
	struct ker_info_counts before = counts();
	pid_t pid = ProcCreate_r("x");
	int sc = ProcConnectAttach_r(pid, 1, chid, _NTO_SIDE_CHANNEL, 0);

	CHECK(pid > 1 && sc >= _NTO_SIDE_CHANNEL && counts().connections == before.connections + 1);
	/* An fd-range index is exact (an inherited fd keeps its number). */
	CHECK(ProcConnectAttach_r(1, 1, chid, _NTO_SIDE_CHANNEL, 0) == -ESRCH &&
	      ProcConnectAttach_r(pid, 1, 999, _NTO_SIDE_CHANNEL, 0) < 0 &&
	      ProcConnectAttach_r(pid, 0, chid, _NTO_SIDE_CHANNEL, 0) == -ESRCH &&
	      ProcConnectAttach_r(pid, 1, chid, 7, 0) == 7 &&
	      ProcConnectAttach_r(pid, 1, chid, 7, 0) == -EBUSY &&
	      ProcConnectAttach_r(pid, 1, chid, 256, 0) == -EINVAL);
	ProcDestroy_r(pid, 0);
	int status = 0;
	ProcWait_r(pid, &status);
	struct ker_info_counts after = counts();
	CHECK(after.connections == before.connections && after.processes == before.processes);
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(1 + 3 * 3 + 4 + 3 + 8 + 6 + 3 + 3 + 4 + 2 + 7 + 3);
	set_self_prio(MAIN_PRIO);
	proc_open_image(&fs);
	chid = ChannelCreate(0);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(chid > 0 && coid > 0);

	client_hole(); /* first: its stacks must be the first the kernel maps */
	for (int how = 0; how < 3; how++)
		destroyed_joiner(how);
	create_returns_own_tid();
	last_thread_and_reaping();
	proc_connect();
	times();
	reply_timeouts();
	iov_rewrite();
	server_priorities();
	thread_death_pulses();
	unprivileged();
	return tap_done();
}
