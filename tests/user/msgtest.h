/*
 * Helpers shared by the message-passing tests (tests/user/test_msg_*.c):
 * threads on stacks of our own (so page counts can return exactly to
 * their baseline within one process: kernel-mapped stacks leave page
 * tables behind), thread states and priorities as KerInfo reports them,
 * and object counts.
 *
 * How the tests synchronise: the main thread runs at a priority below
 * every thread it starts (SCHED_FIFO everywhere, one CPU), so whenever it
 * runs, every thread it started is blocked (or has ended), in the state
 * the test then checks. Nothing waits on the clock.
 */
#ifndef TESTS_USER_MSGTEST_H
#define TESTS_USER_MSGTEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#include "tap.h"

/* Thread states as KerInfo numbers them (QNX's, as pidin). */
#define ST_RUNNING 1
#define ST_READY   2
#define ST_SEND	   4
#define ST_RECEIVE 5
#define ST_REPLY   6
#define ST_JOIN	   15

#define MYPID 1 /* tests run as pid 1 */

static inline struct ker_info_counts counts(void)
{
	struct ker_info_counts c = {0};
	KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
	return c;
}

/* --- threads on our own stacks ------------------------------------------------ */

#define T_SLOTS 24
#define T_STACK (32 * 1024)

static char t_stacks[T_SLOTS][T_STACK] __attribute__((aligned(4096)));
static int t_slot_tid[T_SLOTS]; /* 0: free */

static void t_exit(void *v)
{
	ThreadDestroy(0, -1, v);
}

/* A server keeps the priority of the last message it received until its
 * next MsgReceive (QNX: "Priority inheritance and messages"); a thread
 * that served and goes on with other work lowers itself back to its own
 * priority, as QNX programs do with pthread_setschedprio(). */
static inline void unboost(void)
{
	struct sched_param p = {0};
	if (SchedGet_r(0, 0, &p) >= 0 && p.sched_curpriority != p.sched_priority)
		SchedSet_r(0, 0, SCHED_NOCHANGE, &p);
}

/* Start fn(arg) at priority prio, SCHED_FIFO, joinable, on a stack of
 * ours; its tid (> 0) or -errno. A higher priority than ours runs at once. */
static inline int tstart(void *(*fn)(void *), void *arg, int prio)
{
	unboost(); /* the caller orchestrates: at its own priority */
	for (int i = 0; i < T_SLOTS; i++) {
		if (t_slot_tid[i])
			continue;
		struct _thread_attr a = {0};
		a.__flags = PTHREAD_EXPLICIT_SCHED;
		a.__policy = SCHED_FIFO;
		a.__param.sched_priority = prio;
		a.__stackaddr = t_stacks[i];
		a.__stacksize = T_STACK;
		a.__exitfunc = t_exit;
		t_slot_tid[i] = -1; /* taken, in case fn runs at once */
		int tid = ThreadCreate_r(0, fn, arg, &a);
		t_slot_tid[i] = tid > 0 ? tid : 0;
		if (tid <= 0)
			printf("# ThreadCreate: error %d\n", -tid);
		return tid;
	}
	printf("# tstart: no free stack slot\n");
	return -EAGAIN;
}

/* Join a thread tstart started and free its stack; ThreadJoin's result. */
static inline int tjoin(int tid)
{
	int r = ThreadJoin_r(tid, NULL);
	for (int i = 0; i < T_SLOTS; i++)
		if (t_slot_tid[i] == tid && tid > 0)
			t_slot_tid[i] = 0;
	return r;
}

/* Run the calling thread at prio, SCHED_FIFO. */
static inline int set_self_prio(int prio)
{
	struct sched_param p = {0};
	p.sched_priority = prio;
	return SchedSet_r(0, 0, SCHED_FIFO, &p);
}

/* The priority the calling thread runs at now (boosts included). */
static inline int cur_prio(void)
{
	struct sched_param p = {0};
	if (SchedGet_r(0, 0, &p) < 0)
		return -1;
	return p.sched_curpriority;
}

/* A TimerTimeout on the monotonic clock for the next kernel call: ns from
 * now, or at once. */
static inline int timeout_in(int flags, uint64_t ns)
{
	return TimerTimeout_r(CLOCK_MONOTONIC, flags, NULL, &ns, NULL);
}

static inline int timeout_now(int flags)
{
	return TimerTimeout_r(CLOCK_MONOTONIC, flags, NULL, NULL, NULL);
}

/* --- what KerInfo says about a thread ---------------------------------------- */

static struct ker_thread_info ki_buf[128];

/* Thread tid of process pid as KerInfo reports it now; a copy with
 * pid -1 when there is no such thread. */
static inline struct ker_thread_info thread_info(int pid, int tid)
{
	struct ker_thread_info none;
	memset(&none, 0, sizeof(none));
	none.pid = -1;
	long n = KerInfo(KER_INFO_THREADS, ki_buf, sizeof(ki_buf));
	if (n > (long)(sizeof(ki_buf) / sizeof(ki_buf[0])))
		n = sizeof(ki_buf) / sizeof(ki_buf[0]);
	for (long i = 0; i < n; i++)
		if (ki_buf[i].pid == pid && ki_buf[i].tid == tid)
			return ki_buf[i];
	return none;
}

static inline int state_of(int pid, int tid)
{
	return thread_info(pid, tid).state;
}

/* Check a thread's state (and, if want_on != NO_ON, what it is blocked
 * on), printing what KerInfo said when it differs. One TAP point. */
#define NO_ON (-12345)
#define CHECK_STATE(pid_, tid_, want, want_on)                                                     \
	({                                                                                         \
		struct ker_thread_info ti_ = thread_info((pid_), (tid_));                          \
		int ok_ = tap_check(ti_.pid != -1 && ti_.state == (want) &&                        \
					((want_on) == NO_ON || ti_.blocked_on == (want_on)),       \
				    "state of " #pid_ "/" #tid_ " is " #want " on " #want_on,      \
				    __FILE__, __LINE__);                                           \
		if (!ok_)                                                                          \
			printf("#   thread %d/%d: %s, state %d, blocked_on %d, priority %d\n",     \
			       (int)(pid_), (int)(tid_), ti_.pid == -1 ? "missing" : "found",      \
			       ti_.state, ti_.blocked_on, ti_.priority);                           \
		ok_;                                                                               \
	})

/* --- receiving without blocking ------------------------------------------------- */

/*
 * poll_item(chid, coid): the next thing queued on chid, without blocking
 * (there is no timeout to lean on): the first poll of a round sends a
 * marker pulse through coid (a connection of ours to chid) at priority 1,
 * below anything else, so the receive always finds something; getting the
 * marker back means the queue held nothing more (rcvid NOTHING) and ends
 * the round. A message (rcvid > 0) is the caller's to answer. As a
 * receiver takes the priority of the pulse it receives, the caller is set
 * back to its own (base) priority after the marker.
 * Assumes kernel pulses are queued at priority 1 or above.
 */
#define MARK_CODE  127
#define MARK_VALUE 0x4d41524b
#define NOTHING	   (-1000)

struct item {
	int rcvid;
	struct _msg_info info;
	union {
		struct _pulse p;
		char msg[256];
	} u;
};

static unsigned char mark_pending[256]; /* by chid */

static inline struct item poll_item(int chid, int coid)
{
	struct item it;
	memset(&it, 0, sizeof(it));
	unsigned char *pending = &mark_pending[(unsigned)chid % 256];
	if (!*pending) {
		int r = MsgSendPulse_r(coid, 1, MARK_CODE, MARK_VALUE);
		if (r < 0) {
			printf("# poll: marker pulse: error %d\n", -r);
			it.rcvid = r;
			return it;
		}
		*pending = 1;
	}
	struct sched_param sp = {0};
	SchedGet_r(0, 0, &sp);
	it.rcvid = MsgReceive_r(chid, &it.u, sizeof(it.u), &it.info);
	if (it.rcvid == 0 && it.u.p.code == MARK_CODE && it.u.p.value.sival_int == MARK_VALUE) {
		*pending = 0;
		it.rcvid = NOTHING;
		/* Receiving the marker took its priority (1): back to ours. */
		sp.sched_priority = sp.sched_priority ? sp.sched_priority : 1;
		SchedSet_r(0, 0, SCHED_NOCHANGE, &sp);
	}
	return it;
}

/* Receive everything queued on chid up to the marker; how many items
 * there were (messages among them are failed with EIO). */
static inline int drain(int chid, int coid)
{
	int n = 0;
	for (;;) {
		struct item it = poll_item(chid, coid);
		if (it.rcvid == NOTHING || it.rcvid < 0)
			return n;
		n++;
		printf("# drained: rcvid %d code %d value %d scoid %d\n", it.rcvid, it.u.p.code,
		       it.u.p.value.sival_int, it.u.p.scoid);
		if (it.rcvid > 0)
			MsgError_r(it.rcvid, EIO);
	}
}

#endif
