/*
 * The kernel-info call pidin reads: every thread with its state, priority
 * and what it is blocked on, kernel threads as pid 0.
 */
#include <errno.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <time.h>

#include "tap.h"

static int sleeper_tid;

static void *sleeper(void *arg)
{
	uint64_t ns = 5000000000ull; /* ended by ThreadDestroy long before */
	(void)arg;
	ClockNanosleep(CLOCK_MONOTONIC, 0, &ns);
	return NULL;
}

static void *joiner(void *arg)
{
	(void)arg;
	ThreadJoin(sleeper_tid, NULL);
	ThreadDestroy(0, -1, NULL);
	return NULL;
}

static struct ker_thread_info info[64];

static const struct ker_thread_info *find(int n, int pid, int tid)
{
	for (int i = 0; i < n; i++)
		if (info[i].pid == pid && info[i].tid == tid)
			return &info[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct _thread_attr a = {0};
	uint64_t now = 0;

	(void)argc;
	tap_plan(14);
	/* Both below us (we are 10 RR): they block once we do. */
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_FIFO;
	a.__param.sched_priority = 9;
	sleeper_tid = ThreadCreate(0, sleeper, NULL, &a);
	int jt = ThreadCreate(0, joiner, NULL, &a);
	uint64_t ms = 20000000;
	ClockNanosleep(CLOCK_MONOTONIC, 0, &ms); /* let them reach their waits */
	ClockTime(CLOCK_MONOTONIC, NULL, &now);

	long n = KerInfo(KER_INFO_THREADS, info, sizeof(info));
	CHECK(n >= 4 && n <= 64);
	const struct ker_thread_info *me = find((int)n, 1, 1);
	CHECK(me && me->state == 1 && me->priority == 10 && me->policy == SCHED_RR);
	CHECK(me && !strcmp(me->name, argv[0]));
	const struct ker_thread_info *s = find((int)n, 1, sleeper_tid);
	CHECK(s && s->state == 12 && s->priority == 9 && s->policy == SCHED_FIFO);
	CHECK(s && s->wake_ns > now);
	const struct ker_thread_info *j = find((int)n, 1, jt);
	CHECK(j && j->state == 15);
	CHECK(j && j->blocked_on == sleeper_tid);
	const struct ker_thread_info *idle = find((int)n, 0, 1);
	CHECK(idle && idle->priority == 0 && !strcmp(idle->name, "kernel"));

	/* Asking for the count only; short buffers; bad pointers. */
	CHECK_EQ(KerInfo(KER_INFO_THREADS, NULL, 0), n);
	CHECK_EQ(KerInfo(KER_INFO_THREADS, info, sizeof(info[0])), n);
	CHECK_EQ(KerInfo_r(KER_INFO_THREADS, (void *)0xffff800000000000ul, sizeof(info)), -EFAULT);
	CHECK_EQ(KerInfo_r(99, info, sizeof(info)), -EINVAL);

	/* The null kernel call does nothing and says so. */
	CHECK_EQ(KerNop(), 0);

	/* Ending the sleeper releases the joiner, which collects it. */
	ThreadDestroy(sleeper_tid, -1, NULL);
	CHECK_EQ(ThreadJoin(jt, NULL), 0);
	return tap_done();
}
