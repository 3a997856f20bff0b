/*
 * Scheduling seen from user mode: a higher-priority thread preempts its
 * creator at once; FIFO runs until it blocks; RR shares the CPU at equal
 * priority; SchedSet takes effect at once; SchedGet reports it; bad
 * arguments get QNX's errors.
 */
#include <errno.h>
#include <sched.h>
#include <sys/neutrino.h>
#include <time.h>

#include "onecpu.h"
#include "tap.h"

static char trace[256];
static volatile int ntrace;

static void mark(char c)
{
	if (ntrace < (int)sizeof(trace) - 1)
		trace[ntrace++] = c;
}

static void exit_thread(void *v)
{
	ThreadDestroy(0, -1, v);
}

static struct _thread_attr at(int prio, int policy)
{
	struct _thread_attr a = {0};
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = policy;
	a.__param.sched_priority = prio;
	a.__exitfunc = exit_thread;
	return a;
}

static void *mark_h(void *arg)
{
	(void)arg;
	mark('H');
	return NULL;
}

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	ClockTime(CLOCK_MONOTONIC, NULL, &t);
	return t;
}

/* Spin, noting our letter each time we get the CPU back, until the trace
 * has `turns` turns or `ms` pass (ending on turns keeps the test honest
 * when the host stalls the emulator and the clock jumps). */
struct spinner {
	char id;
	int ms;
	int turns;
};

static void *spin(void *arg)
{
	struct spinner *s = arg;
	uint64_t end = now_ns() + (uint64_t)s->ms * 1000000;

	while (ntrace < s->turns && now_ns() < end)
		if (ntrace == 0 || trace[ntrace - 1] != s->id)
			mark(s->id);
	return NULL;
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	struct sched_param p = {0};

	tap_plan(17);
	/* Start from a known place: FIFO at 20. */
	p.sched_priority = 20;
	CHECK_EQ(SchedSet(0, 0, SCHED_FIFO, &p), 0);
	CHECK_EQ(SchedGet(0, 0, &p), SCHED_FIFO);
	CHECK_EQ(p.sched_priority, 20);

	/* Preemption: the new thread at 30 runs before ThreadCreate returns. */
	ntrace = 0;
	mark('a');
	struct _thread_attr a = at(30, SCHED_FIFO);
	int t = ThreadCreate(0, mark_h, NULL, &a);
	mark('b');
	CHECK(t > 0 && ntrace == 3 && trace[1] == 'H');
	ThreadJoin(t, NULL);

	/* FIFO at 10 (below us): A runs to its end before B starts, once
	 * we block in ThreadJoin. */
	ntrace = 0;
	struct spinner sa = {'A', 30, 6}, sb = {'B', 30, 6};
	a = at(10, SCHED_FIFO);
	int ta = ThreadCreate(0, spin, &sa, &a), tb = ThreadCreate(0, spin, &sb, &a);
	CHECK_EQ(ntrace, 0); /* below us: not run yet */
	ThreadJoin(ta, NULL);
	ThreadJoin(tb, NULL);
	CHECK(ntrace == 2 && trace[0] == 'A' && trace[1] == 'B');

	/* RR at 10: 4 ms slices make them take turns until the trace has 6
	 * (without slicing, A would spin 2 s alone: 2 turns). */
	ntrace = 0;
	sa.ms = sb.ms = 2000;
	a = at(10, SCHED_RR);
	ta = ThreadCreate(0, spin, &sa, &a);
	tb = ThreadCreate(0, spin, &sb, &a);
	ThreadJoin(ta, NULL);
	ThreadJoin(tb, NULL);
	CHECK(ntrace >= 6);
	if (ntrace < 6)
		printf("# only %d turns\n", ntrace);

	/* SchedSet raises a waiting thread above us: it runs at once. */
	ntrace = 0;
	a = at(5, SCHED_FIFO);
	t = ThreadCreate(0, mark_h, NULL, &a);
	CHECK_EQ(ntrace, 0);
	p.sched_priority = 25;
	CHECK_EQ(SchedSet(0, t, SCHED_NOCHANGE, &p), 0);
	CHECK_EQ(ntrace, 1);
	ThreadJoin(t, NULL);

	/* SchedSet on ourselves, then SchedGet sees it. */
	p.sched_priority = 15;
	CHECK_EQ(SchedSet(0, 0, SCHED_RR, &p), 0);
	CHECK_EQ(SchedGet(0, 0, &p), SCHED_RR);
	CHECK_EQ(p.sched_priority, 15);

	/* Errors: priority 0 is the idle thread's; unknown policy; no such
	 * thread; a pointer into the kernel. */
	p.sched_priority = 0;
	CHECK_EQ(SchedSet_r(0, 0, SCHED_FIFO, &p), -EINVAL);
	p.sched_priority = 10;
	CHECK_EQ(SchedSet_r(0, 0, 42, &p), -EINVAL);
	CHECK_EQ(SchedGet_r(0, 999, &p), -ESRCH);
	CHECK_EQ(SchedGet_r(0, 0, (void *)0xffffffff80200000ul), -EFAULT);
	return tap_done();
}
