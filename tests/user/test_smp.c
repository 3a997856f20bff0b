/*
 * Runmasks and threads on several CPUs (QNX's ThreadCtl page:
 * _NTO_TCTL_RUNMASK, _NTO_TCTL_RUNMASK_GET_AND_SET,
 * _NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT). Booted on one CPU and with
 * -smp 4 (tools/run-tests); what needs more CPUs checks the count
 * KerInfo gives.
 *  - the mask read back is every CPU there is; masks naming none of them
 *    are EINVAL, a bad pointer EFAULT;
 *  - pinned to CPU n, the thread runs there (KerInfo's cpu), each n;
 *  - the inherit mask is what the threads it creates run on;
 *  - a ping-pong of messages between threads pinned to two CPUs, every
 *    reply checked;
 *  - object counts back at their baseline.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#include "msgtest.h"
#include "tap.h"

#define ROUNDS 1000

static unsigned ncpus;

/* The CPU KerInfo says the calling thread runs on (its own buffer: the
 * threads here ask at the same time). */
static unsigned my_cpu(void)
{
	struct ker_thread_info ti[64];
	long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));

	for (long i = 0; i < n && i < 64; i++)
		if (ti[i].pid == MYPID && ti[i].tid == (int)pthread_self())
			return ti[i].cpu;
	return ~0u;
}

static void masks(void) /* 6 points */
{
	unsigned all = (unsigned)((1ull << ncpus) - 1), m = 0;

	CHECK(ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET, &m) == 0 && m == all);
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK, (void *)0), -EINVAL);
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)(1u << ncpus)), -EINVAL);
	m = 1u << ncpus;
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK_GET_AND_SET, &m), -EINVAL);
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK_GET_AND_SET, (void *)8), -EFAULT);
	struct _thread_runmask bad = {2, {1}, {1}};
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &bad), -EINVAL);
}

static void pinned(void) /* 1 point */
{
	int bad = 0;

	for (unsigned n = 0; n < ncpus; n++) {
		bad += ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)(1u << n)) != 0;
		/* A kernel call later we still run there. */
		SchedYield();
		if (my_cpu() != n) {
			printf("#   pinned to cpu %u, running on %u\n", n, my_cpu());
			bad++;
		}
	}
	CHECK_EQ(bad, 0);
	ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)((1ull << ncpus) - 1));
}

static void *where(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)my_cpu();
}

static void inherited(void) /* 2 points */
{
	unsigned last = ncpus - 1;
	struct _thread_runmask rm = {1, {0}, {1u << last}}, now = {1, {0}, {0}};
	pthread_t t;
	void *ran = NULL;

	CHECK(ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &rm) == 0 &&
	      ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &now) == 0 &&
	      now.inherit_mask[0] == 1u << last);
	pthread_create(&t, NULL, where, NULL);
	pthread_join(t, &ran);
	CHECK_EQ((uintptr_t)ran, last);
	struct _thread_runmask back = {1, {0}, {(unsigned)((1ull << ncpus) - 1)}};
	ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &back);
}

static int chid;

static void *server(void *arg)
{
	unsigned cpu = (unsigned)(uintptr_t)arg;
	unsigned v;

	ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)(1u << cpu));
	for (int i = 0; i < ROUNDS; i++) {
		int rcvid = MsgReceive(chid, &v, sizeof(v), NULL);
		v = ~v;
		MsgReply(rcvid, (int)my_cpu(), &v, sizeof(v));
	}
	return NULL;
}

static void ping_pong(void) /* 2 points */
{
	struct ker_info_counts before = counts();
	unsigned there = ncpus > 1 ? 1 : 0;
	pthread_t t;
	int bad = 0, coid;

	chid = ChannelCreate(_NTO_CHF_PRIVATE);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	ThreadCtl(_NTO_TCTL_RUNMASK, (void *)1);
	pthread_create(&t, NULL, server, (void *)(uintptr_t)there);
	for (unsigned i = 0; i < ROUNDS; i++) {
		unsigned v = i * 2654435761u, r = 0;
		int cpu = MsgSend(coid, &v, sizeof(v), &r, sizeof(r));
		if (r != ~v || cpu != (int)there || my_cpu() != 0)
			bad++;
	}
	pthread_join(t, NULL);
	CHECK_EQ(bad, 0);
	ConnectDetach(coid);
	ChannelDestroy(chid);
	ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)((1ull << ncpus) - 1));
	struct ker_info_counts after = counts();
	CHECK(after.threads == before.threads && after.channels == before.channels &&
	      after.connections == before.connections);
}

int main(void)
{
	ncpus = (unsigned)counts().cpus;
	printf("# %u CPUs\n", ncpus);
	tap_plan(6 + 1 + 2 + 2);
	masks();
	pinned();
	inherited();
	ping_pong();
	return tap_done();
}
