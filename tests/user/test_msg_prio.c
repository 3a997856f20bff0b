/*
 * Priorities in message passing (QNX semantics), one process:
 *  - a channel's queue holds blocked senders and pulses together, by
 *    priority then arrival: senders at 12, 15, 12, 20 and pulses at 14,
 *    15 and 20 arriving while the server is busy are received as 20
 *    (the message, which came before the pulse at 20), 20 (pulse), 15
 *    (the pulse, which came before the message at 15), 15, 14, 12, 12;
 *  - the receiving thread runs at the sender's priority (SchedGet's
 *    sched_curpriority in the server, between receive and reply), up and
 *    down, and keeps it after the reply until its next MsgReceive, which
 *    with nothing queued puts it back at its own (QNX, "Getting Started
 *    with QNX Neutrino", priority inheritance: the server's priority
 *    changes when it next receives);
 *  - a busy server (holding a message, blocked elsewhere) is boosted when
 *    a higher-priority client sends (KerInfo's priority and SchedGet in
 *    the server); with _NTO_CHF_FIXED_PRIORITY neither happens.
 *
 * The main thread runs SCHED_FIFO at 5, below every thread it starts: it
 * runs only when all of them are blocked. A server is held "busy" by
 * sending to a gate channel of main's made with _NTO_CHF_FIXED_PRIORITY
 * (so main itself is never boosted).
 *
 * The boost follows QNX's "server boost" (System Architecture guide, IPC
 * chapter): with no thread RECEIVE-blocked on the channel, a sender boosts
 * every thread that last received on that channel, whatever it is doing
 * now (here: SEND-blocked on the gate); a thread is associated with the
 * channel it last received on (sending elsewhere does not change that);
 * the boost stays until the thread next receives.
 */
#include <stdio.h>

#include "onecpu.h"
#include "msgtest.h"

#define MAIN_PRIO   5
#define SERVER_PRIO 8

static int gate_chid, gate_coid;

/* Block on the gate until main lets us go. */
static void wait_at_gate(void)
{
	MsgSend_r(gate_coid, NULL, 0, NULL, 0);
}

/* Let one thread waiting at the gate go; its tid. */
static int open_gate(void)
{
	struct _msg_info info;
	int rcvid = MsgReceive_r(gate_chid, NULL, 0, &info);
	if (rcvid <= 0) {
		printf("# gate: MsgReceive: %d\n", rcvid);
		return -1;
	}
	MsgReply_r(rcvid, 0, NULL, 0);
	return info.tid;
}

struct sender {
	int coid;
	char id;
	long result;
};

static void *send_id(void *arg)
{
	struct sender *s = arg;
	s->result = MsgSend_r(s->coid, &s->id, 1, NULL, 0);
	return NULL;
}

/* --- the queue order ----------------------------------------------------------- */

static int q_chid, q_coid;
static char order[16];
static int prio_in[128], info_prio[128]; /* by sender id */
static int prio_end, prio_next;

static void *queue_server(void *arg)
{
	int n = 0;
	(void)arg;
	wait_at_gate();
	for (int i = 0; i < 7; i++) {
		union {
			struct _pulse p;
			char id;
		} u;
		struct _msg_info info;
		int rcvid = MsgReceive_r(q_chid, &u, sizeof(u), &info);
		if (rcvid == 0) {
			order[n++] = (char)('0' + u.p.code);
		} else if (rcvid > 0) {
			order[n++] = u.id;
			prio_in[(int)u.id] = cur_prio();
			info_prio[(int)u.id] = info.priority;
			MsgReply_r(rcvid, 0, NULL, 0);
		} else {
			order[n++] = '!';
		}
	}
	prio_end = cur_prio();
	TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, NULL, NULL);
	MsgReceive_r(q_chid, NULL, 0, NULL); /* nothing queued: times out at once */
	prio_next = cur_prio();
	return NULL;
}

static void queue_order(void) /* 8 points */
{
	struct sender a = {q_coid, 'a', -1}, b = {q_coid, 'b', -1}, c = {q_coid, 'c', -1},
		      d = {q_coid, 'd', -1};

	int s = tstart(queue_server, NULL, SERVER_PRIO); /* waits at the gate */
	int ta = tstart(send_id, &a, 12);
	MsgSendPulse_r(q_coid, 14, 1, 0);
	MsgSendPulse_r(q_coid, 15, 2, 0);
	int tb = tstart(send_id, &b, 15);
	int tc = tstart(send_id, &c, 12);
	int td = tstart(send_id, &d, 20);
	MsgSendPulse_r(q_coid, 20, 3, 0);
	int nsend = (state_of(MYPID, ta) == ST_SEND) + (state_of(MYPID, tb) == ST_SEND) +
		    (state_of(MYPID, tc) == ST_SEND) + (state_of(MYPID, td) == ST_SEND);
	CHECK_EQ(nsend, 4);

	CHECK_EQ(open_gate(), s); /* the server now takes all seven */
	CHECK(tjoin(s) == 0 && tjoin(ta) == 0 && tjoin(tb) == 0 && tjoin(tc) == 0 &&
	      tjoin(td) == 0);
	CHECK(!strcmp(order, "d32b1ac"));
	if (strcmp(order, "d32b1ac"))
		printf("#   order %s, want d32b1ac (messages a..d, pulses 1..3)\n", order);
	CHECK(a.result == 0 && b.result == 0 && c.result == 0 && d.result == 0);
	/* The server ran at each sender's priority, which _msg_info shows. */
	CHECK(prio_in['a'] == 12 && prio_in['b'] == 15 && prio_in['c'] == 12 &&
	      prio_in['d'] == 20 && info_prio['a'] == 12 && info_prio['b'] == 15 &&
	      info_prio['c'] == 12 && info_prio['d'] == 20);
	if (prio_in['d'] != 20)
		printf("#   server at %d %d %d %d for a b c d\n", prio_in['a'], prio_in['b'],
		       prio_in['c'], prio_in['d']);
	CHECK_EQ(prio_end, 12);	       /* the last message's, kept after the reply */
	CHECK_EQ(prio_next, SERVER_PRIO); /* the next MsgReceive: its own again */
}

/* --- boosting a busy server ------------------------------------------------------- */

struct busy {
	int chid;
	int p_first;   /* handling the first (low) client's message */
	int p_boosted; /* let go from the gate, the high client waiting */
	int p_second;  /* handling the high client's message */
	int p_end;     /* after both replies: the second's, kept */
};

static void *busy_server(void *arg)
{
	struct busy *b = arg;
	char id;
	int r1 = MsgReceive_r(b->chid, &id, 1, NULL);
	b->p_first = cur_prio();
	wait_at_gate();
	b->p_boosted = cur_prio();
	MsgReply_r(r1, 0, NULL, 0);
	int r2 = MsgReceive_r(b->chid, &id, 1, NULL);
	b->p_second = cur_prio();
	MsgReply_r(r2, 0, NULL, 0);
	b->p_end = cur_prio();
	return NULL;
}

/* A server at 8 holds a message from a client at 9, then a client at 25
 * sends: boosted to 25 unless the channel has fixed priority. */
static void busy_boost(unsigned flags) /* 6 points */
{
	int fixed = flags & _NTO_CHF_FIXED_PRIORITY;
	struct busy b = {ChannelCreate(flags), 0, 0, 0, 0};
	int c = ConnectAttach(0, 0, b.chid, _NTO_SIDE_CHANNEL, 0);
	struct sender low = {c, 'l', -1}, high = {c, 'h', -1};

	int s = tstart(busy_server, &b, SERVER_PRIO);
	int tl = tstart(send_id, &low, 9); /* taken at once; server to the gate */
	struct ker_thread_info si = thread_info(MYPID, s);
	CHECK(si.state == ST_SEND && si.base_priority == SERVER_PRIO &&
	      si.priority == (fixed ? SERVER_PRIO : 9));
	int th = tstart(send_id, &high, 25);
	CHECK_STATE(MYPID, th, ST_SEND, NO_ON);
	si = thread_info(MYPID, s);
	CHECK_EQ(si.priority, fixed ? SERVER_PRIO : 25);
	CHECK_EQ(open_gate(), s);
	CHECK(tjoin(s) == 0 && tjoin(tl) == 0 && tjoin(th) == 0 && low.result == 0 &&
	      high.result == 0);
	if (fixed)
		CHECK(b.p_first == SERVER_PRIO && b.p_boosted == SERVER_PRIO &&
		      b.p_second == SERVER_PRIO && b.p_end == SERVER_PRIO);
	else
		CHECK(b.p_first == 9 && b.p_boosted == 25 && b.p_second == 25 &&
		      b.p_end == 25);
	printf("# %s: server at %d, %d, %d, %d\n", fixed ? "fixed priority" : "inheriting",
	       b.p_first, b.p_boosted, b.p_second, b.p_end);
	ConnectDetach(c);
	ChannelDestroy(b.chid);
}

/* --- down as well as up ----------------------------------------------------------- */

static int high_in, high_end;

static void *high_server(void *arg)
{
	int chid = (int)(long)arg;
	int r = MsgReceive_r(chid, NULL, 0, NULL);
	high_in = cur_prio();
	MsgReply_r(r, 0, NULL, 0);
	high_end = cur_prio();
	return NULL;
}

/* A server at 30 handles our message at our 5, and stays at 5 after the
 * reply (until its next MsgReceive). */
static void inherit_down(void) /* 2 points */
{
	int chid = ChannelCreate(0), c = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	int t = tstart(high_server, (void *)(long)chid, 30);
	CHECK_EQ(MsgSend_r(c, NULL, 0, NULL, 0), 0);
	CHECK(tjoin(t) == 0 && high_in == MAIN_PRIO && high_end == MAIN_PRIO);
	ConnectDetach(c);
	ChannelDestroy(chid);
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(1 + 8 + 6 + 6 + 2);
	set_self_prio(MAIN_PRIO);
	gate_chid = ChannelCreate(_NTO_CHF_FIXED_PRIORITY);
	gate_coid = ConnectAttach(0, 0, gate_chid, _NTO_SIDE_CHANNEL, 0);
	q_chid = ChannelCreate(0);
	q_coid = ConnectAttach(0, 0, q_chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(gate_chid > 0 && gate_coid > 0 && q_chid > 0 && q_coid > 0);

	queue_order();
	busy_boost(0);
	busy_boost(_NTO_CHF_FIXED_PRIORITY);
	inherit_down();
	return tap_done();
}
