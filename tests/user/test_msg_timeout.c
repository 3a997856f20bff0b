/*
 * Kernel timeouts on message passing and the unblock flow (QNX
 * semantics), one process: TimerTimeout(CLOCK_MONOTONIC, flags, NULL
 * (= SIGEV_UNBLOCK), ntime, NULL):
 *  - RECEIVE: the immediate form (ntime NULL: the non-blocking receive,
 *    QNX 4's Creceive) and a 20 ms one give ETIMEDOUT; the receiver is
 *    then off the channel (a later sender is SEND-blocked, not taken);
 *  - SEND: a client nobody receives from times out (immediate and 20 ms)
 *    and its message is gone from the queue;
 *  - MsgReceivePulse with only a message queued: the immediate timeout,
 *    and the message stays queued for MsgReceive; one that ends (a
 *    timeout, a pulse) leaves its thread's next MsgReceive taking
 *    messages;
 *  - REPLY, a server that never replies: the client stays REPLY-blocked
 *    until its timeout, ETIMEDOUT; the server's late reply is ESRCH;
 *  - _NTO_CHF_UNBLOCK: the timed-out REPLY-blocked client stays blocked,
 *    the server gets _PULSE_CODE_UNBLOCK with value = rcvid and MsgInfo
 *    shows _NTO_MI_UNBLOCK_REQ; the client ends with what the server
 *    says (MsgError ETIMEDOUT, or a normal reply); the pulse is the
 *    client's own, handed to a waiting server or queued for a busy one,
 *    and never freed; a SEND-blocked client
 *    of such a channel still times out at once, without a pulse;
 *  - bad arguments: EINVAL for an unknown clock, EFAULT for a kernel
 *    pointer.
 * The main thread runs SCHED_FIFO at 10; server threads at 12.
 * Time is only ever measured here, never waited on: each timeout is
 * checked to have taken at least its 20 ms (and less than 10 s).
 * A TimerTimeout covers the next kernel call only, so the clock is read
 * before it and nothing (no printf either) comes between it and the call.
 *
 * Kernel behaviour assumed beyond the text: TimerTimeout returns
 * a value >= 0 (the previous flags); EINVAL for a clock other than
 * CLOCK_REALTIME/CLOCK_MONOTONIC.
 */
#include <stdio.h>

#include "onecpu.h"
#include "msgtest.h"

#define MS (1000000ull)

static int chid, coid;		 /* plain channel */
static int u_chid, u_coid;	 /* _NTO_CHF_UNBLOCK */
static int gate_chid, gate_coid; /* holds a server that must not reply yet */

static uint64_t now(void)
{
	uint64_t t = 0;
	ClockTime(CLOCK_MONOTONIC, NULL, &t);
	return t;
}

/* Took at least ms milliseconds (and not absurdly long). */
static int took(uint64_t since, unsigned ms)
{
	uint64_t d = now() - since;
	if (d < ms * MS || d > 10000 * MS) {
		printf("#   took %llu us, want %u ms\n", (unsigned long long)(d / 1000), ms);
		return 0;
	}
	return 1;
}

static long sent;

static void *send_once(void *arg)
{
	sent = MsgSend_r((int)(long)arg, "late", 5, NULL, 0);
	return NULL;
}

static void receive_timeouts(void) /* 8 points */
{
	char buf[16];

	/* A timeout covers the very next kernel call only: nothing (not
	 * even a printf) between TimerTimeout and the call it is for. */
	uint64_t t0 = now();
	int tr = timeout_now(_NTO_TIMEOUT_RECEIVE);
	int r = MsgReceive_r(chid, buf, sizeof(buf), NULL);
	uint64_t t1 = now();
	CHECK(tr >= 0);
	CHECK_EQ(r, -ETIMEDOUT);
	CHECK(t1 - t0 < 1000 * MS);

	t0 = now();
	tr = timeout_in(_NTO_TIMEOUT_RECEIVE, 20 * MS);
	r = MsgReceive_r(chid, buf, sizeof(buf), NULL);
	CHECK(tr >= 0);
	CHECK_EQ(r, -ETIMEDOUT);
	CHECK(took(t0, 20));

	/* We are off the channel: a sender now waits, SEND-blocked. */
	int t = tstart(send_once, (void *)(long)coid, 12);
	CHECK_STATE(MYPID, t, ST_SEND, NO_ON);
	int rcvid = MsgReceive_r(chid, buf, sizeof(buf), NULL);
	MsgReply_r(rcvid, 0, NULL, 0);
	CHECK(tjoin(t) == 0 && sent == 0 && rcvid > 0);
}

static void send_timeouts(void) /* 5 points */
{
	int tr = timeout_now(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY);
	long r = MsgSend_r(coid, "x", 2, NULL, 0);
	CHECK(tr >= 0);
	CHECK_EQ(r, -ETIMEDOUT);

	uint64_t t0 = now();
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 20 * MS);
	r = MsgSend_r(coid, "y", 2, NULL, 0);
	CHECK_EQ(r, -ETIMEDOUT);
	CHECK(took(t0, 20));
	CHECK_EQ(poll_item(chid, coid).rcvid, NOTHING); /* neither message stayed */
}

/* MsgReceivePulse does not take the message that is there: with the
 * immediate timeout it returns ETIMEDOUT and the sender stays queued. */
static void pulse_receive_skips_messages(void) /* 3 points */
{
	char buf[16];
	struct _pulse p;

	int t = tstart(send_once, (void *)(long)coid, 12); /* SEND-blocked */
	timeout_now(_NTO_TIMEOUT_RECEIVE);
	int r = MsgReceivePulse_r(chid, &p, sizeof(p), NULL);
	CHECK_EQ(r, -ETIMEDOUT);
	CHECK_STATE(MYPID, t, ST_SEND, NO_ON);
	int rcvid = MsgReceive_r(chid, buf, sizeof(buf), NULL);
	CHECK(rcvid > 0 && MsgReply_r(rcvid, 0, NULL, 0) == 0 && tjoin(t) == 0 && sent == 0);
}

/* A thread whose MsgReceivePulse ended (a 20 ms timeout, then a pulse)
 * takes messages again in its next MsgReceive: the pulse-only wait is
 * over with the call. Each time it tells main (a pulse on the gate)
 * before it waits in MsgReceive, and main, below it, sends once it
 * waits there: a sender that still saw a pulse-only wait would pass it
 * by and wait, SEND-blocked, for the 5 s timeout instead. */
static int pte_ok;

static void *pulse_then_message(void *arg)
{
	(void)arg;
	struct _pulse p;
	char buf[16];
	long r[5];

	timeout_in(_NTO_TIMEOUT_RECEIVE, 20 * MS);
	r[0] = MsgReceivePulse_r(chid, &p, sizeof(p), NULL);
	MsgSendPulse_r(gate_coid, 10, 22, 0);
	r[1] = MsgReceive_r(chid, buf, sizeof(buf), NULL); /* main's message */
	r[1] = r[1] > 0 ? MsgReply_r((int)r[1], 7, NULL, 0) : r[1];
	timeout_in(_NTO_TIMEOUT_RECEIVE, 5000 * MS);	     /* (each wait ends, whatever fails) */
	r[2] = MsgReceivePulse_r(chid, &p, sizeof(p), NULL); /* main's pulse */
	r[3] = p.code;
	MsgSendPulse_r(gate_coid, 10, 22, 0);
	timeout_in(_NTO_TIMEOUT_RECEIVE, 5000 * MS);
	r[4] = MsgReceive_r(chid, buf, sizeof(buf), NULL);
	r[4] = r[4] > 0 ? MsgReply_r((int)r[4], 8, NULL, 0) : r[4];
	pte_ok = r[0] == -ETIMEDOUT && !r[1] && !r[2] && r[3] == 21 && !r[4];
	if (!pte_ok)
		printf("#   pulse_then_message: %ld %ld %ld %ld %ld\n", r[0], r[1], r[2], r[3],
		       r[4]);
	return NULL;
}

static void pulse_receive_ends(void) /* 3 points */
{
	struct _pulse g;
	int t = tstart(pulse_then_message, NULL, 12);

	/* t waits in MsgReceivePulse, times out, tells us, waits in MsgReceive */
	timeout_in(_NTO_TIMEOUT_RECEIVE, 5000 * MS);
	CHECK(MsgReceive_r(gate_chid, &g, sizeof(g), NULL) == 0 && g.code == 22);
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 5000 * MS);
	long r1 = MsgSend_r(coid, "m", 2, NULL, 0);
	/* t waits in MsgReceivePulse; our pulse ends it (t runs at once) */
	MsgSendPulse_r(coid, 12, 21, 0);
	timeout_in(_NTO_TIMEOUT_RECEIVE, 5000 * MS);
	int g2 = MsgReceive_r(gate_chid, &g, sizeof(g), NULL);
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 5000 * MS);
	long r2 = MsgSend_r(coid, "n", 2, NULL, 0);
	if (r1 != 7 || g2 != 0 || r2 != 8)
		printf("#   pulse_receive_ends: send %ld, gate %d, send %ld\n", r1, g2, r2);
	CHECK(r1 == 7 && g2 == 0 && r2 == 8);
	CHECK(tjoin(t) == 0 && pte_ok);
}

/* A server that takes one message and holds it until main lets it go
 * from the gate; then it replies (late). */
struct holder {
	int chid;
	int rcvid;
	int reply; /* its late MsgReply_r */
};

static void *hold_then_reply(void *arg)
{
	struct holder *h = arg;
	char buf[16];
	h->rcvid = MsgReceive_r(h->chid, buf, sizeof(buf), NULL);
	MsgSend_r(gate_coid, NULL, 0, NULL, 0);
	h->reply = MsgReply_r(h->rcvid, 5, NULL, 0);
	return NULL;
}

static void open_gate(void)
{
	int r = MsgReceive_r(gate_chid, NULL, 0, NULL);
	MsgReply_r(r, 0, NULL, 0);
}

/* No UNBLOCK flag: the client leaves at its timeout; the reply is late. */
static void never_replies(void) /* 4 points */
{
	struct holder h = {chid, 0, 1};
	int t = tstart(hold_then_reply, &h, 12); /* RECEIVE-blocked */

	uint64_t t0 = now();
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 20 * MS);
	long r = MsgSend_r(coid, "q", 2, NULL, 0);
	CHECK_EQ(r, -ETIMEDOUT);
	CHECK(took(t0, 20));
	CHECK(h.rcvid > 0);
	open_gate();
	CHECK(tjoin(t) == 0 && h.reply == -ESRCH);
}

/* With _NTO_CHF_UNBLOCK: the server hears of the timeout and decides. */
struct unblocker {
	int how;   /* 0: MsgError(ETIMEDOUT), 1: MsgReply(77), 2: busy for
		      60 ms first (the pulse waits queued), then MsgError */
	int rcvid; /* the message */
	struct _pulse p;
	int prcv;		/* MsgReceive_r for the pulse */
	int info_r, info_flags; /* MsgInfo after the pulse */
	int client_state;	/* the client's state when the pulse came */
	int answer;		/* MsgError_r / MsgReply_r */
};

static void *unblock_server(void *arg)
{
	struct unblocker *u = arg;
	char buf[16];
	struct _msg_info info;

	u->rcvid = MsgReceive_r(u_chid, buf, sizeof(buf), NULL);
	if (u->how == 2) { /* busy (blocked elsewhere) past the client's timeout */
		timeout_in(_NTO_TIMEOUT_RECEIVE, 60 * MS);
		MsgReceive_r(gate_chid, buf, sizeof(buf), NULL);
	}
	u->prcv = MsgReceive_r(u_chid, &u->p, sizeof(u->p), NULL);
	u->client_state = state_of(MYPID, 1);
	memset(&info, 0, sizeof(info));
	u->info_r = MsgInfo_r(u->rcvid, &info);
	u->info_flags = info.flags;
	u->answer = u->how == 1 ? MsgReply_r(u->rcvid, 77, NULL, 0)
				: MsgError_r(u->rcvid, ETIMEDOUT);
	return NULL;
}

static void unblock_flow(int how) /* 7 points */
{
	struct unblocker u = {how, 0, {0}, 1, 1, 0, 0, 1};
	struct ker_info_counts before = counts();
	int t = tstart(unblock_server, &u, 12);

	uint64_t t0 = now();
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 20 * MS);
	long r = MsgSend_r(u_coid, "u", 2, NULL, 0);
	CHECK(took(t0, 20));
	CHECK(tjoin(t) == 0 && u.rcvid > 0);
	CHECK(u.prcv == 0 && u.p.code == _PULSE_CODE_UNBLOCK && u.p.value.sival_int == u.rcvid);
	CHECK_EQ(u.client_state, ST_REPLY); /* still blocked when the pulse came */
	CHECK(u.info_r == 0 && (u.info_flags & _NTO_MI_UNBLOCK_REQ));
	CHECK(u.answer == 0 && r == (how == 1 ? 77 : -ETIMEDOUT));
	if (r != (how == 1 ? 77 : -ETIMEDOUT))
		printf("#   the send returned %ld\n", r);
	/* The client's own pulse, handed over or queued, was never freed. */
	CHECK(counts().pulses == before.pulses && counts().threads == before.threads);
}

/* SEND-blocked on an UNBLOCK channel: out at once at the timeout, and
 * the server hears nothing. */
static void unblock_send_blocked(void) /* 3 points */
{
	uint64_t t0 = now();
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 20 * MS);
	long r = MsgSend_r(u_coid, "s", 2, NULL, 0);
	CHECK_EQ(r, -ETIMEDOUT);
	CHECK(took(t0, 20));
	CHECK_EQ(poll_item(u_chid, u_coid).rcvid, NOTHING);
}

static void bad_arguments(void) /* 2 points */
{
	uint64_t ns = 20 * MS;
	CHECK_EQ(TimerTimeout_r(99, _NTO_TIMEOUT_RECEIVE, NULL, &ns, NULL), -EINVAL);
	CHECK_EQ(TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL,
				(const uint64_t *)0xffff800000000000ul, NULL),
		 -EFAULT);
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(1 + 8 + 5 + 3 + 3 + 4 + 7 + 7 + 7 + 3 + 2);
	set_self_prio(10);
	chid = ChannelCreate(0);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	u_chid = ChannelCreate(_NTO_CHF_UNBLOCK);
	u_coid = ConnectAttach(0, 0, u_chid, _NTO_SIDE_CHANNEL, 0);
	gate_chid = ChannelCreate(_NTO_CHF_FIXED_PRIORITY);
	gate_coid = ConnectAttach(0, 0, gate_chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(chid > 0 && coid > 0 && u_chid > 0 && u_coid > 0 && gate_chid > 0 && gate_coid > 0);

	receive_timeouts();
	unboost(); /* main served the last section */
	send_timeouts();
	unboost();
	pulse_receive_skips_messages();
	unboost();
	pulse_receive_ends();
	unboost();
	never_replies();
	unboost();
	unblock_flow(0);
	unboost();
	unblock_flow(1);
	unboost();
	unblock_flow(2);
	unboost();
	unblock_send_blocked();
	unboost();
	bad_arguments();
	return tap_done();
}
