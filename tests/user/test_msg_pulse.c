/*
 * Pulses (QNX semantics), one process:
 *  - MsgSendPulse with every user code 0..127 (queued in arrival order,
 *    received with MsgReceive returning 0 and struct _pulse filled: type,
 *    subtype, code, value, scoid, zero); other codes EINVAL (negative ones
 *    are the kernel's);
 *  - priority -1 is the caller's, seen in the order pulses of different
 *    priorities are received (priority, then arrival);
 *  - MsgSendPulsePtr carries a pointer, MsgSendPulse a negative int;
 *  - a receive buffer smaller than a pulse: EFAULT, and the pulse is lost;
 *  - MsgReceivePulse takes pulses and leaves messages queued (even an
 *    earlier, higher-priority one); MsgReceivePulsev; the scoid a pulse
 *    carries is the one the same connection's messages show;
 *  - a thousand pulses queued and received leave page and thread counts
 *    at their baseline.
 * The main thread runs SCHED_FIFO at 10.
 *
 * Kernel behaviour assumed beyond the text: a pulse sent through
 * the receiver's own process's connection is queued like any other; the
 * marker pulses of msgtest.h's poll_item (priority 1) come after
 * everything else queued.
 */
#include <limits.h>
#include <stdio.h>

#include "onecpu.h"
#include "msgtest.h"

static int chid, coid;

static int is_pulse(const struct item *it, int code, int value)
{
	if (it->rcvid != 0 || it->u.p.code != code || it->u.p.value.sival_int != value) {
		printf("#   got rcvid %d code %d value %d, want a pulse code %d value %d\n",
		       it->rcvid, it->u.p.code, it->u.p.value.sival_int, code, value);
		return 0;
	}
	return 1;
}

static void user_codes(void) /* 8 points */
{
	int sent = 0, good = 0, scoid = -1;

	for (int code = 0; code <= 127; code++)
		sent += MsgSendPulse_r(coid, 10, code, code * 3 - 100) == 0;
	CHECK_EQ(sent, 128);
	for (int code = 0; code <= 127; code++) {
		struct _pulse p;
		memset(&p, 0x5a, sizeof(p));
		int r = MsgReceive_r(chid, &p, sizeof(p), NULL);
		if (code == 0)
			scoid = p.scoid;
		good += r == 0 && p.type == _PULSE_TYPE && p.subtype == _PULSE_SUBTYPE &&
			p.code == code && p.value.sival_int == code * 3 - 100 && p.scoid == scoid &&
			p.zero[0] == 0 && p.zero[1] == 0 && p.zero[2] == 0;
	}
	CHECK_EQ(good, 128);

	CHECK_EQ(MsgSendPulse_r(coid, 10, 128, 0), -EINVAL);
	CHECK_EQ(MsgSendPulse_r(coid, 10, -1, 0), -EINVAL);
	CHECK_EQ(MsgSendPulse_r(coid, 10, _PULSE_CODE_DISCONNECT, 0), -EINVAL);
	CHECK_EQ(MsgSendPulse_r(coid, 10, INT_MIN, 0), -EINVAL);
	errno = 0;
	CHECK(MsgSendPulse(coid, 10, 200, 0) == -1 && errno == EINVAL);
	CHECK_EQ(drain(chid, coid), 0); /* the refused ones queued nothing */
}

static void *pulse_at_own_priority(void *arg)
{
	(void)arg;
	MsgSendPulse_r(coid, -1, 1, 0);
	return NULL;
}

/* Priority -1 is the sender's: ours (10) and a thread's (14), among
 * pulses of explicit priorities. Ours go first, before anything could
 * change our own priority. */
static void own_priority(void) /* 3 points */
{
	char order[8] = {0};
	int n = 0;

	set_self_prio(10);		/* receiving pulses may have changed ours */
	MsgSendPulse_r(coid, -1, 4, 0); /* 10, ours */
	MsgSendPulse_r(coid, 10, 5, 0); /* 10, after it */
	int t = tstart(pulse_at_own_priority, NULL, 14); /* 14 */
	MsgSendPulse_r(coid, 13, 2, 0);
	MsgSendPulse_r(coid, 11, 6, 0);
	MsgSendPulse_r(coid, 15, 3, 0);
	CHECK_EQ(tjoin(t), 0);
	for (int i = 0; i < 6; i++) {
		struct item it = poll_item(chid, coid);
		if (it.rcvid == 0 && it.u.p.code >= 0 && it.u.p.code < 10)
			order[n++] = (char)('0' + it.u.p.code);
	}
	CHECK(!strcmp(order, "312645"));
	if (strcmp(order, "312645"))
		printf("#   order %s, want 312645 (priorities 15 14 13 11 10 10)\n", order);
	CHECK_EQ(drain(chid, coid), 0);
}

static void values(void) /* 3 points */
{
	void *ptr = (void *)0x123456789abcul;

	CHECK_EQ(MsgSendPulsePtr_r(coid, 10, 7, ptr), 0);
	MsgSendPulse_r(coid, 10, 8, -5);
	struct item a = poll_item(chid, coid), b = poll_item(chid, coid);
	CHECK(a.rcvid == 0 && a.u.p.code == 7 && a.u.p.value.sival_ptr == ptr);
	CHECK(is_pulse(&b, 8, -5));
}

/* Too small for a pulse: EFAULT, and that pulse is gone. */
static void small_buffer(void) /* 3 points */
{
	char small[8];

	MsgSendPulse_r(coid, 10, 9, 99);
	CHECK_EQ(MsgReceive_r(chid, small, sizeof(small), NULL), -EFAULT);
	MsgSendPulse_r(coid, 10, 10, 100);
	struct item it = poll_item(chid, coid);
	CHECK(is_pulse(&it, 10, 100));
	CHECK_EQ(drain(chid, coid), 0);
}

static long sent_result;

static void *send_one(void *arg)
{
	(void)arg;
	sent_result = MsgSend_r(coid, "msg", 4, NULL, 0);
	return NULL;
}

/* MsgReceivePulse leaves messages queued, even one that came first at a
 * higher priority; the pulse's scoid is the connection's. */
static void pulses_only(void) /* 9 points */
{
	struct _pulse p;
	struct _msg_info info;
	char buf[16];

	int t = tstart(send_one, NULL, 12); /* queued: we are not receiving */
	CHECK_STATE(MYPID, t, ST_SEND, NO_ON);
	MsgSendPulse_r(coid, 5, 11, 111);
	memset(&p, 0, sizeof(p));
	CHECK(MsgReceivePulse_r(chid, &p, sizeof(p), NULL) == 0 && p.code == 11 &&
	      p.value.sival_int == 111);
	CHECK_STATE(MYPID, t, ST_SEND, NO_ON);
	int rcvid = MsgReceive_r(chid, buf, sizeof(buf), &info);
	CHECK(rcvid > 0 && info.tid == t && !strcmp(buf, "msg"));
	CHECK_EQ(info.scoid, p.scoid);
	CHECK(MsgReply_r(rcvid, 0, NULL, 0) == 0 && tjoin(t) == 0 && sent_result == 0);

	/* MsgReceivePulsev: a pulse into two parts. */
	unsigned char part1[8], part2[24];
	iov_t iov[2];
	SETIOV(&iov[0], part1, sizeof(part1));
	SETIOV(&iov[1], part2, sizeof(part2));
	MsgSendPulse_r(coid, 10, 12, 1212);
	CHECK_EQ(MsgReceivePulsev_r(chid, iov, 2, NULL), 0);
	memcpy(&p, part1, 8);
	memcpy((char *)&p + 8, part2, sizeof(p) - 8);
	CHECK(p.code == 12 && p.value.sival_int == 1212);
	CHECK_EQ(MsgReceivePulse_r(9999, &p, sizeof(p), NULL), -ESRCH);
}

/* Queued pulses are kernel objects: all freed once received. */
static void counts_after_many(void) /* 3 points */
{
	int good = 0, sent = 0, refused = 0;
	for (int round = 0; round < 2; round++) {
		struct ker_info_counts before = counts();
		good = sent = refused = 0;
		/* Past the connection's limit on queued pulses: EAGAIN. */
		for (int i = 0; i < 1000; i++) {
			int r = MsgSendPulse_r(coid, 10 + i % 5, i % 100, i);
			sent += r == 0;
			refused += r == -EAGAIN;
		}
		for (int i = 0; i < sent; i++) {
			struct _pulse p;
			good += MsgReceive_r(chid, &p, sizeof(p), NULL) == 0;
		}
		struct ker_info_counts after = counts();
		if (round == 0)
			continue; /* the first round warms the caches */
		CHECK(sent >= 128 && sent + refused == 1000 && good == sent &&
		      after.pulses == before.pulses);
		CHECK_EQ(after.free_pages, before.free_pages);
		CHECK_EQ(after.threads, before.threads);
	}
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(1 + 8 + 3 + 3 + 3 + 9 + 3);
	set_self_prio(10);
	chid = ChannelCreate(0);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(chid > 0 && coid >= _NTO_SIDE_CHANNEL);

	user_codes();
	unboost(); /* main served the last section */
	own_priority();
	unboost();
	values();
	unboost();
	small_buffer();
	unboost();
	pulses_only();
	unboost();
	counts_after_many();
	return tap_done();
}
