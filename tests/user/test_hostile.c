/*
 * A hostile process: every message-passing call (and the other calls that
 * take ids or pointers) with random ids, lengths and pointers (kernel
 * addresses, unmapped, misaligned, huge) for a bounded count, each made
 * non-blocking with an immediate TimerTimeout. The kernel must answer
 * every one with a value or an errno, never die, and still serve a normal
 * exchange afterwards with its object counts where they were.
 * Then races between threads ending, joining, detaching and being
 * destroyed, at random priorities, and a pulse flood against the limits;
 * the counts are back at their baseline after each. (Flag abuse is
 * test_flags; IOV rewriting, thread and memory floods in unprivileged
 * processes are test_core.)
 */
#include <errno.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#include "onecpu.h"
#include "counts.h"
#include "tap.h"

#define ROUNDS 20000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Big enough for what a valid pointer with any of len()'s lengths may
 * get written: KerInfo's thread list (every thread on every CPU). */
static char buf[65536];
static int chid, coid;

/* Nasty values for a pointer argument. */
static void *ptr(void)
{
	static void *const vals[] = {
		NULL,
		(void *)1,
		(void *)0xfff,
		(void *)0xffff800000000000ul, /* the kernel's direct map */
		(void *)0xffffffff80200000ul, /* the kernel image */
		(void *)0x00007fffffffffffful, /* the last user byte */
		(void *)0x0000800000000000ul, /* just past user space */
		(void *)0x10000000,           /* unmapped */
		buf + 1,                      /* misaligned, valid */
		buf,
	};
	return vals[next() % (sizeof(vals) / sizeof(vals[0]))];
}

static long len(void)
{
	static const long vals[] = {0, 1, 16, 255, 256, 4096, -1, -16, -256, -4096, 1l << 40,
				    -(1l << 40), 0x7fffffffffffffffl, (long)0x8000000000000000ul};
	return vals[next() % (sizeof(vals) / sizeof(vals[0]))];
}

static int id(void)
{
	static const int vals[] = {0, 1, -1, 2, 255, 256, 0x40000000, 0x40000001, 0x40010001,
				   0x7fffffff, (int)0x80000000};
	int r = (int)(next() % 13);
	return r == 11 ? chid : r == 12 ? coid : vals[r];
}

static int race_chid, race_coid;
static char race_stacks[8][16384] __attribute__((aligned(16)));

/* What a racing thread does: end at once, block, or join another. */
static void *racer(void *arg)
{
	long what = (long)arg;
	if (what == 1)
		KerMsgReceive_r(race_chid, NULL, 0, NULL);
	else if (what >= 2)
		ThreadJoin_r((int)(what - 2), NULL);
	return arg;
}

/* Rounds of: start some threads at random priorities (ending, blocked,
 * joining each other), then destroy, detach, join or wake them in random
 * order. Nothing may crash, hang or stay behind. */
static int races(void)
{
	race_chid = ChannelCreate(0);
	race_coid = ConnectAttach(0, 0, race_chid, _NTO_SIDE_CHANNEL, 0);
	for (int round = 0; round < 300; round++) {
		int tid[8] = {0};
		for (int i = 0; i < 8; i++) {
			struct _thread_attr a = {0};
			a.__flags = PTHREAD_EXPLICIT_SCHED;
			a.__policy = SCHED_FIFO;
			a.__param.sched_priority = 5 + (int)(next() % 20);
			a.__stackaddr = race_stacks[i];
			a.__stacksize = sizeof(race_stacks[i]);
			long what = (long)(next() % 3);
			if (what == 2)
				what = i > 0 ? 2 + tid[next() % i] : 0;
			tid[i] = ThreadCreate_r(0, racer, (void *)what, &a);
		}
		for (int i = 0; i < 8; i++) {
			int k = (int)(next() % 8);
			if (tid[k] <= 0)
				continue;
			switch (next() % 3) {
			case 0:
				ThreadDestroy_r(tid[k], -1, NULL);
				break;
			case 1:
				MsgSendPulse_r(race_coid, 30, 1, 0);
				break;
			case 2: /* detached, then destroyed: freed at once */
				ThreadDetach_r(tid[k]);
				ThreadDestroy_r(tid[k], -1, NULL);
				tid[k] = 0;
				break;
			}
		}
		/* End the rest; collect the joinable. Their stacks are reused
		 * next round, so every thread must be gone by then. */
		for (int i = 0; i < 8; i++)
			if (tid[i] > 0)
				ThreadDestroy_r(tid[i], -1, NULL);
		for (int i = 0; i < 8; i++)
			if (tid[i] > 0)
				ThreadJoin_r(tid[i], NULL);
	}
	ConnectDetach(race_coid);
	ChannelDestroy(race_chid);
	return 1;
}

static void *echo_server(void *arg)
{
	char msg[32];
	(void)arg;
	int rcvid = KerMsgReceive(chid, msg, sizeof(msg), NULL);
	KerMsgReply(rcvid, 7, msg, sizeof(msg));
	ThreadDestroy(0, -1, NULL);
	return NULL;
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	int answered = 0;

	tap_plan(7);
	chid = ChannelCreate(0);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(chid > 0 && coid >= _NTO_SIDE_CHANNEL);
	struct ker_info_counts before = counts();

	for (int i = 0; i < ROUNDS; i++) {
		long r = 0;
		/* Never block: every wait times out at once. */
		TimerTimeout(CLOCK_MONOTONIC,
			     _NTO_TIMEOUT_SEND | _NTO_TIMEOUT_RECEIVE | _NTO_TIMEOUT_REPLY, NULL,
			     NULL, NULL);
		int which = (int)(next() % 14);
		switch (which) {
		case 0:
			r = KerMsgSend_r(id(), ptr(), len(), ptr(), len());
			break;
		case 1:
			r = KerMsgReceive_r(id(), ptr(), len(), ptr());
			break;
		case 2:
			r = KerMsgReply_r(id(), (long)next(), ptr(), len());
			break;
		case 3:
			r = MsgError_r(id(), (int)next());
			break;
		case 4:
			r = KerMsgRead_r(id(), ptr(), len(), (size_t)len());
			break;
		case 5:
			r = KerMsgWrite_r(id(), ptr(), len(), (size_t)len());
			break;
		case 6:
			r = MsgInfo_r(id(), ptr());
			break;
		case 7:
			r = KerMsgSendPulse_r(id(), (int)(next() % 300) - 20, (int)(next() % 300) - 150,
					      (long)next());
			break;
		case 8:
			r = ConnectClientInfo_r(id(), ptr(), (int)next());
			break;
		case 9:
			r = KerInfo_r((int)(next() % 4), ptr(), (size_t)len());
			break;
		case 10: /* the part-count forms */
			r = KerMsgSendv_r(id(), ptr(), len(), ptr(), len());
			break;
		case 11:
			r = KerMsgReceivev_r(id(), ptr(), len(), ptr(), (int)(next() % 3));
			break;
		case 12:
			r = KerMsgReplyv_r(id(), (long)next(), ptr(), len());
			break;
		case 13:
			r = KerMsgReplyReceive_r((uint64_t)(unsigned)id() << 32 | (unsigned)id(),
						 ptr(), (long)next(), ptr(), (uint64_t)len(),
						 ptr());
			break;
		}
		if (r >= -300) /* a value or an errno, nothing else */
			answered++;
		else
			printf("# call %d returned %ld\n", which, r);
	}
	CHECK_EQ(answered, ROUNDS);

	/* Pulses it managed to queue on our channel: drain them. */
	struct _pulse p;
	for (int i = 0; i < ROUNDS; i++) {
		TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, NULL, NULL);
		if (MsgReceivePulse_r(chid, &p, sizeof(p), NULL) != 0)
			break;
	}

	/* Still serving: an echo through our own channel. */
	struct _thread_attr a = {0};
	char out[32] = "still alive", in[32] = {0};
	int t = ThreadCreate(0, echo_server, NULL, &a);
	CHECK(KerMsgSend(coid, out, sizeof(out), in, sizeof(in)) == 7 && !strcmp(in, out));
	ThreadJoin(t, NULL);
	struct ker_info_counts after = counts();
	CHECK(after.threads == before.threads && after.processes == before.processes);

	/* main at 30: every racer runs only when main blocks or leaves a call. */
	struct sched_param sp = {.sched_priority = 30};
	SchedSet(0, 0, SCHED_FIFO, &sp);
	races(); /* the first round warms the caches */
	before = counts();
	CHECK(races());
	after = counts();
	CHECK(after.threads == before.threads && after.free_pages == before.free_pages &&
	      after.channels == before.channels && after.pulses == before.pulses);
	if (after.threads != before.threads || after.free_pages != before.free_pages)
		printf("#   threads %llu (were %llu), free pages %llu (were %llu)\n",
		       (unsigned long long)after.threads, (unsigned long long)before.threads,
		       (unsigned long long)after.free_pages, (unsigned long long)before.free_pages);

	/* A pulse flood: EAGAIN at the limits, then every queued one drains. */
	int sent = 0, again = 0;
	for (int i = 0; i < 5000; i++) {
		int r = MsgSendPulse_r(coid, 10, 1, i);
		sent += r == 0;
		again += r == -EAGAIN;
	}
	int got = 0;
	for (int i = 0; i < sent; i++) {
		TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, NULL, NULL);
		got += MsgReceivePulse_r(chid, &p, sizeof(p), NULL) == 0;
	}
	after = counts();
	CHECK(sent == 256 && again == 5000 - 256 && got == sent && after.pulses == before.pulses);
	if (sent != 256 || got != sent)
		printf("#   sent %d, refused %d, received %d\n", sent, again, got);
	return tap_done();
}
