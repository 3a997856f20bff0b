/*
 * The kernel-info call pidin reads: every thread with its state, priority
 * and what it is blocked on, kernel threads as pid 0; every process with
 * its memory.
 */
#include <errno.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/mman.h>
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

static struct ker_process_info procs[32];

/* KerInfo's entry for pid (all zero if it is not listed). */
static struct ker_process_info process(int pid)
{
	long n = KerInfo(KER_INFO_PROCESSES, procs, sizeof(procs));
	struct ker_process_info none = {0};

	for (long i = 0; i < n && i < 32; i++)
		if (procs[i].pid == pid)
			return procs[i];
	return none;
}

/* KER_INFO_PROCESSES (pidin mem): the kernel first, then us, with our
 * threads and pages; mapping reserves (charged), touching makes them
 * resident (data or code by the mapping's protection), unmapping gives
 * both back. 12 points. */
static void test_processes(const char *name)
{
	long n = KerInfo(KER_INFO_PROCESSES, NULL, 0);
	CHECK(n >= 2 && n <= 32 && KerInfo(KER_INFO_PROCESSES, procs, sizeof(procs)) == n);
	CHECK(procs[0].pid == 0 && !strcmp(procs[0].name, "kernel") && procs[0].code_pages == 0 &&
	      procs[0].data_pages == 0);
	struct ker_process_info me = process(1), now;
	CHECK(!strcmp(me.name, name) && me.parent == 0 && me.threads == 3);
	printf("# pid 1: code %llu data %llu shared %llu charged %llu pages\n",
	       (unsigned long long)me.code_pages, (unsigned long long)me.data_pages,
	       (unsigned long long)me.shared_pages, (unsigned long long)me.charged_pages);
	/* Our text is the boot image's, lent (not charged), and so is the
	 * image itself, shared (the kernel lends pid 1 the whole image). */
	CHECK(me.code_pages > 0 && me.data_pages > 0 && me.shared_pages > 0 &&
	      me.charged_pages >= me.data_pages);

	long va = KerMemMap(0, 0, 8 * 4096, PROT_READ | PROT_WRITE, 0);
	now = process(1);
	CHECK(va > 0 && now.data_pages == me.data_pages &&
	      now.charged_pages == me.charged_pages + 8);
	for (int i = 0; i < 3; i++)
		((volatile char *)va)[i * 4096] = 1;
	now = process(1);
	CHECK_EQ(now.data_pages, me.data_pages + 3);
	long code = KerMemMap(0, 0, 4096, PROT_READ | PROT_EXEC, 0);
	CHECK(code > 0 && *(volatile char *)code == 0);
	now = process(1);
	CHECK(now.code_pages == me.code_pages + 1 && now.data_pages == me.data_pages + 3);
	CHECK(KerMemUnmap(0, (uintptr_t)va, 8 * 4096) == 0 &&
	      KerMemUnmap(0, (uintptr_t)code, 4096) == 0);
	now = process(1);
	CHECK(now.code_pages == me.code_pages && now.data_pages == me.data_pages &&
	      now.charged_pages == me.charged_pages);

	CHECK_EQ(KerInfo(KER_INFO_PROCESSES, procs, sizeof(procs[0])), n);
	CHECK_EQ(KerInfo_r(KER_INFO_PROCESSES, (void *)0xffff800000000000ul, sizeof(procs)),
		 -EFAULT);
}

int main(int argc, char **argv)
{
	struct _thread_attr a = {0};
	uint64_t now = 0;

	(void)argc;
	tap_plan(14 + 12);
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

	test_processes(argv[0]);

	/* The null kernel call does nothing and says so. */
	CHECK_EQ(KerNop(), 0);

	/* Ending the sleeper releases the joiner, which collects it. */
	ThreadDestroy(sleeper_tid, -1, NULL);
	CHECK_EQ(ThreadJoin(jt, NULL), 0);
	return tap_done();
}
