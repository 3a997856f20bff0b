/*
 * Message passing, the basics (QNX semantics), within one process:
 *  - ChannelCreate/ChannelDestroy, ConnectAttach (side-channel coids from
 *    _NTO_SIDE_CHANNEL, fd-range coids from 0, both lowest free; index as
 *    the lowest acceptable coid), ConnectDetach, and the errors for bad
 *    ids: EINVAL, ESRCH, EBADF;
 *  - the checksum server, send-before-receive and receive-before-send,
 *    with the client's and server's states (SEND, REPLY, RECEIVE and what
 *    they are blocked on) as KerInfo shows them, every _msg_info field,
 *    and MsgSend returning the MsgReply status;
 *  - bytes copied = the smaller side; the receiver sees the sender's full
 *    length (srcmsglen) and reply room (dstmsglen);
 *  - MsgError (an errno, and EOK = success), replying twice, bad rcvids;
 *  - delayed reply (two messages held, replied in the opposite order);
 *  - a multithreaded server: four threads on one channel each holding a
 *    message at once, then 2000 messages through them;
 *  - object and page counts back at their baseline after a busy exchange.
 *
 * The main thread runs SCHED_FIFO at 10, below every thread it starts
 * (msgtest.h: it runs only when they are all blocked).
 *
 * QNX's documented rules these rely on beyond the text:
 * ConnectAttach's index is the lowest acceptable fd-range coid, and with
 * _NTO_SIDE_CHANNEL its other bits are ignored (QNX 7.1 ConnectAttach());
 * ConnectDetach of a coid that does not exist is EINVAL (ConnectDetach());
 * a coid whose channel was destroyed gives EBADF until it is detached
 * (ChannelDestroy(), MsgSend()). Assumed of Muon: a fresh pid 1 has no
 * fd-range connections, so the first one is coid 0.
 */
#include <limits.h>
#include <stdio.h>

#include "onecpu.h"
#include "msgtest.h"

#define MAIN_PRIO 10

static int chid, coid;

static uint32_t checksum(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = s * 31 + b[i];
	return s;
}

/* One MsgSend by a client thread, and what came of it. */
struct call {
	int coid;
	const void *smsg;
	size_t sbytes;
	void *rmsg;
	size_t rbytes;
	long result; /* MsgSend_r's */
	int done;    /* order in which calls returned (1, 2, ...) */
};
static volatile int ndone;

static void *client(void *arg)
{
	struct call *c = arg;
	c->result = MsgSend_r(c->coid, c->smsg, c->sbytes, c->rmsg, c->rbytes);
	c->done = ++ndone;
	return NULL;
}

static int same_info(const struct _msg_info *a, const struct _msg_info *b)
{
	return a->nd == b->nd && a->srcnd == b->srcnd && a->pid == b->pid && a->tid == b->tid &&
	       a->chid == b->chid && a->scoid == b->scoid && a->coid == b->coid &&
	       a->priority == b->priority && a->msglen == b->msglen &&
	       a->srcmsglen == b->srcmsglen && a->dstmsglen == b->dstmsglen;
}

static void base_prio_note(const char *where)
{
	unboost(); /* main served the last section's messages */
	int p = cur_prio();
	if (p != MAIN_PRIO)
		printf("# %s: main runs at %d, not its own %d\n", where, p, MAIN_PRIO);
}

/* --- channels and connections ------------------------------------------------ */

static void channels_and_connections(void) /* 32 points */
{
	int a = ChannelCreate(0);
	CHECK(a > 0);
	int b = ChannelCreate(0);
	CHECK(b > 0 && b != a);

	/* Side-channel coids: from _NTO_SIDE_CHANNEL up, lowest free. */
	int s1 = ConnectAttach(0, 0, a, _NTO_SIDE_CHANNEL, 0);
	CHECK(s1 >= _NTO_SIDE_CHANNEL);
	int s2 = ConnectAttach(0, MYPID, a, _NTO_SIDE_CHANNEL, 0); /* pid named: ourselves */
	CHECK_EQ(s2, s1 + 1);
	CHECK_EQ(ConnectDetach(s1), 0);
	int s3 = ConnectAttach(0, 0, b, _NTO_SIDE_CHANNEL, 0);
	CHECK_EQ(s3, s1);
	/* With _NTO_SIDE_CHANNEL, index's other bits are ignored. */
	int s4 = ConnectAttach(0, 0, b, _NTO_SIDE_CHANNEL | 3, 0);
	CHECK_EQ(s4, s1 + 2);

	/* fd-range coids: from 0, lowest free; index = lowest acceptable. */
	int f0 = ConnectAttach(0, 0, a, 0, 0);
	CHECK_EQ(f0, 0);
	int f1 = ConnectAttach(0, 0, a, 0, 0);
	CHECK_EQ(f1, 1);
	CHECK_EQ(ConnectDetach(f0), 0);
	CHECK_EQ(ConnectAttach(0, 0, a, 0, 0), 0);
	int i5 = ConnectAttach(0, 0, a, 5, 0);
	CHECK_EQ(i5, 5);
	int i6 = ConnectAttach(0, 0, a, 5, 0);
	CHECK_EQ(i6, 6);

	/* Bad ids. */
	CHECK_EQ(ChannelDestroy_r(9999), -EINVAL);
	CHECK_EQ(ChannelDestroy_r(-1), -EINVAL);
	CHECK_EQ(ConnectAttach_r(0, 0, 9999, _NTO_SIDE_CHANNEL, 0), -ESRCH);
	CHECK_EQ(ConnectAttach_r(0, 4000, a, _NTO_SIDE_CHANNEL, 0), -ESRCH);
	CHECK_EQ(MsgSend_r(_NTO_SIDE_CHANNEL + 999, "x", 1, NULL, 0), -EBADF);
	CHECK_EQ(MsgSend_r(77, "x", 1, NULL, 0), -EBADF);
	CHECK_EQ(MsgReceive_r(9999, NULL, 0, NULL), -ESRCH);

	/* A detached coid is gone. */
	CHECK_EQ(ConnectDetach(s2), 0);
	CHECK_EQ(MsgSend_r(s2, "x", 1, NULL, 0), -EBADF);
	CHECK_EQ(MsgSendPulse_r(s2, 10, 1, 1), -EBADF);
	CHECK_EQ(ConnectDetach_r(s2), -EINVAL);
	errno = 0;
	CHECK(MsgSend(s2, "x", 1, NULL, 0) == -1 && errno == EBADF); /* the plain form */

	/* A size the kernel's signed lengths cannot carry: EOVERFLOW. */
	CHECK_EQ(MsgSend_r(s3, "x", (size_t)LONG_MAX + 1, NULL, 0), -EOVERFLOW);

	/* A destroyed channel: its id is bad, its connections dangle (EBADF)
	 * until detached. */
	CHECK_EQ(ChannelDestroy(b), 0);
	CHECK_EQ(ChannelDestroy_r(b), -EINVAL);
	CHECK_EQ(ConnectAttach_r(0, 0, b, _NTO_SIDE_CHANNEL, 0), -ESRCH);
	CHECK_EQ(MsgSend_r(s3, "x", 1, NULL, 0), -EBADF);
	CHECK_EQ(ConnectDetach(s3), 0);

	/* Whatever was attached goes again. */
	int left = ConnectDetach_r(0) | ConnectDetach_r(1) | ChannelDestroy_r(a);
	if (i5 >= 0)
		left |= ConnectDetach_r(i5);
	if (i6 >= 0)
		left |= ConnectDetach_r(i6);
	if (s4 >= 0)
		left |= ConnectDetach_r(s4);
	CHECK_EQ(left, 0);
}

/* --- the checksum server ------------------------------------------------------ */

static const char text[] = "Hello, Muon";

/* Send before receive: the client blocks in SEND, then in REPLY. */
static void checksum_send_first(void) /* 13 points */
{
	uint32_t sum = 0;
	struct call c = {coid, text, sizeof(text), &sum, sizeof(sum), 0, 0};
	char buf[64];
	struct _msg_info info, again;

	base_prio_note("send first");
	int t = tstart(client, &c, 11); /* runs at once: no receiver yet */
	CHECK_STATE(MYPID, t, ST_SEND, NO_ON);

	memset(&info, 0x5a, sizeof(info));
	int rcvid = MsgReceive_r(chid, buf, sizeof(buf), &info);
	CHECK(rcvid > 0);
	CHECK_STATE(MYPID, t, ST_REPLY, MYPID); /* REPLY-blocked on our pid */
	CHECK(info.nd == 0 && info.srcnd == 0 && info.pid == MYPID && info.tid == t);
	CHECK(info.chid == chid && info.coid == coid);
	CHECK_EQ(info.priority, 11);
	CHECK_EQ(info.flags, 0);
	CHECK(info.msglen == sizeof(text) && info.srcmsglen == sizeof(text) &&
	      info.dstmsglen == sizeof(sum));
	CHECK(!memcmp(buf, text, sizeof(text)));
	CHECK(MsgInfo_r(rcvid, &again) == 0 && same_info(&again, &info));

	uint32_t s = checksum(buf, (size_t)info.msglen);
	CHECK_EQ(MsgReply_r(rcvid, 42, &s, sizeof(s)), 0);
	CHECK_EQ(tjoin(t), 0);
	CHECK(c.result == 42 && sum == checksum(text, sizeof(text)));
}

struct server_one {
	int chid;
	int rcvid;
	struct _msg_info info;
	int prio_in, prio_after; /* while handling the message, after replying */
	int reply;		 /* MsgReply_r's */
	char buf[64];
};

/* Receive one message, reply with its checksum and status = its length. */
static void *checksum_server(void *arg)
{
	struct server_one *s = arg;
	s->rcvid = MsgReceive_r(s->chid, s->buf, sizeof(s->buf), &s->info);
	s->prio_in = cur_prio();
	uint32_t sum = checksum(s->buf, s->rcvid > 0 ? (size_t)s->info.msglen : 0);
	s->reply = MsgReply_r(s->rcvid, s->info.msglen, &sum, sizeof(sum));
	s->prio_after = cur_prio();
	return NULL;
}

/* Receive before send: the server waits in RECEIVE on the chid; it runs
 * at our priority while it handles our message (below its own). */
static void checksum_receive_first(void) /* 7 points */
{
	struct server_one s = {.chid = chid};
	uint32_t sum = 0;

	base_prio_note("receive first");
	int t = tstart(checksum_server, &s, 11);
	CHECK_STATE(MYPID, t, ST_RECEIVE, chid);
	long r = MsgSend_r(coid, "abc", 4, &sum, sizeof(sum));
	CHECK_EQ(r, 4);
	CHECK_EQ(sum, checksum("abc", 4));
	CHECK(s.rcvid > 0 && s.reply == 0 && s.info.tid == 1 && s.info.priority == MAIN_PRIO);
	CHECK_EQ(s.prio_in, MAIN_PRIO);
	CHECK_EQ(tjoin(t), 0);
	CHECK_EQ(s.prio_after, MAIN_PRIO); /* kept until its next MsgReceive (QNX) */
}

/* --- lengths --------------------------------------------------------------------- */

static unsigned char pattern[128], reply60[60];

static void lengths(void) /* 15 points */
{
	unsigned char rbuf[32], buf[80];
	struct _msg_info info;
	struct call c;
	int t, rcvid;

	base_prio_note("lengths");
	for (int i = 0; i < 128; i++)
		pattern[i] = (unsigned char)(i * 7 + 1);
	for (int i = 0; i < 60; i++)
		reply60[i] = (unsigned char)(200 - i);

	/* 100 bytes sent into 40 of room; 60 replied into 20 of room. */
	memset(rbuf, 0xee, sizeof(rbuf));
	c = (struct call){coid, pattern, 100, rbuf, 20, 0, 0};
	t = tstart(client, &c, 11);
	memset(buf, 0xee, sizeof(buf));
	rcvid = MsgReceive_r(chid, buf, 40, &info);
	CHECK(rcvid > 0);
	CHECK(info.msglen == 40 && info.srcmsglen == 100 && info.dstmsglen == 20);
	CHECK(!memcmp(buf, pattern, 40) && buf[40] == 0xee);
	CHECK_EQ(MsgReply_r(rcvid, 7, reply60, 60), 0);
	CHECK_EQ(tjoin(t), 0);
	CHECK_EQ(c.result, 7);
	CHECK(!memcmp(rbuf, reply60, 20) && rbuf[20] == 0xee);

	/* 10 bytes into 64 of room, no reply room: the rest is untouched. */
	c = (struct call){coid, pattern, 10, NULL, 0, 0, 0};
	t = tstart(client, &c, 11);
	memset(buf, 0xee, sizeof(buf));
	rcvid = MsgReceive_r(chid, buf, 64, &info);
	CHECK(rcvid > 0 && info.msglen == 10 && info.srcmsglen == 10 && info.dstmsglen == 0);
	CHECK(!memcmp(buf, pattern, 10) && buf[10] == 0xee);
	CHECK_EQ(MsgReply_r(rcvid, 3, reply60, 30), 0);
	CHECK(tjoin(t) == 0 && c.result == 3);

	/* Nothing at all, and a status that needs 64 bits. */
	c = (struct call){coid, NULL, 0, NULL, 0, 0, 0};
	t = tstart(client, &c, 11);
	memset(buf, 0xee, sizeof(buf));
	rcvid = MsgReceive_r(chid, buf, sizeof(buf), &info);
	CHECK(rcvid > 0 && info.msglen == 0 && info.srcmsglen == 0 && info.dstmsglen == 0);
	CHECK_EQ(buf[0], 0xee);
	CHECK_EQ(MsgReply_r(rcvid, 0x123456789l, NULL, 0), 0);
	CHECK(tjoin(t) == 0 && c.result == 0x123456789l);
}

/* --- MsgError, double replies, bad rcvids ------------------------------------- */

struct script {
	int coid;
	long results[4];
	int err3; /* errno after the plain MsgSend of the last message */
};

static void *four_sends(void *arg)
{
	struct script *s = arg;
	char reply[8];
	for (int i = 0; i < 3; i++)
		s->results[i] = MsgSend_r(s->coid, &i, sizeof(i), reply, sizeof(reply));
	s->results[3] = MsgSend(s->coid, "x", 1, reply, sizeof(reply));
	s->err3 = errno;
	return NULL;
}

static void errors(void) /* 21 points */
{
	struct script s = {.coid = coid};
	char buf[16];
	struct _msg_info info;
	iov_t iov;

	base_prio_note("errors");
	SETIOV(&iov, buf, sizeof(buf));
	int t = tstart(four_sends, &s, 11);

	/* MsgError(rcvid, err): the send fails with err. */
	int rcvid = MsgReceive_r(chid, buf, sizeof(buf), &info);
	CHECK(rcvid > 0);
	CHECK_EQ(MsgError_r(rcvid, EINVAL), 0);

	/* MsgError(rcvid, EOK): the send succeeds with 0. */
	rcvid = MsgReceive_r(chid, buf, sizeof(buf), &info);
	CHECK_EQ(MsgError_r(rcvid, EOK), 0);

	/* One reply only: the rcvid is gone after it (the client is
	 * SEND-blocked again by now, not REPLY-blocked on us). */
	rcvid = MsgReceive_r(chid, buf, sizeof(buf), &info);
	CHECK_EQ(MsgReply_r(rcvid, 3, "ok", 2), 0);
	unboost(); /* back below the client, which runs and sends again */
	CHECK_STATE(MYPID, t, ST_SEND, NO_ON);
	CHECK_EQ(MsgReply_r(rcvid, 4, NULL, 0), -ESRCH);
	CHECK_EQ(MsgError_r(rcvid, EIO), -ESRCH);
	CHECK_EQ(MsgRead_r(rcvid, buf, sizeof(buf), 0), -ESRCH);
	CHECK_EQ(MsgWrite_r(rcvid, buf, sizeof(buf), 0), -ESRCH);
	CHECK_EQ(MsgInfo_r(rcvid, &info), -ESRCH);

	/* The last one fails through the plain form: -1 and errno. */
	rcvid = MsgReceive_r(chid, buf, sizeof(buf), &info);
	CHECK_EQ(MsgError_r(rcvid, ENOSPC), 0);
	CHECK_EQ(tjoin(t), 0);
	CHECK(s.results[0] == -EINVAL && s.results[1] == 0 && s.results[2] == 3);
	CHECK(s.results[3] == -1 && s.err3 == ENOSPC);

	/* rcvids that never named anyone. */
	CHECK_EQ(MsgReply_r(0, 0, NULL, 0), -ESRCH);
	CHECK_EQ(MsgReply_r(-1, 0, NULL, 0), -ESRCH);
	CHECK_EQ(MsgReplyv_r(0x7fffffff, 0, &iov, 1), -ESRCH);
	CHECK_EQ(MsgReadv_r(12345, &iov, 1, 0), -ESRCH);
	CHECK_EQ(MsgWritev_r(12345, &iov, 1, 0), -ESRCH);
	CHECK(MsgInfo_r(12345, &info) == -ESRCH && MsgError_r(12345, EIO) == -ESRCH);
	errno = 0;
	CHECK(MsgReply(12345, 0, NULL, 0) == -1 && errno == ESRCH);
}

/* --- delayed reply ------------------------------------------------------------------ */

static void delayed_reply(void) /* 8 points */
{
	char ra[8] = {0}, rb[8] = {0}, buf[8];
	struct call a = {coid, "A", 2, ra, sizeof(ra), 0, 0};
	struct call b = {coid, "B", 2, rb, sizeof(rb), 0, 0};
	struct _msg_info ia, ib;

	base_prio_note("delayed reply");
	ndone = 0;
	int ta = tstart(client, &a, 11), tb = tstart(client, &b, 11);
	int rcva = MsgReceive_r(chid, buf, sizeof(buf), &ia);
	CHECK(rcva > 0 && ia.tid == ta && buf[0] == 'A');
	int rcvb = MsgReceive_r(chid, buf, sizeof(buf), &ib);
	CHECK(rcvb > 0 && rcvb != rcva && ib.tid == tb && buf[0] == 'B');
	CHECK_STATE(MYPID, ta, ST_REPLY, MYPID);
	CHECK_STATE(MYPID, tb, ST_REPLY, MYPID);
	CHECK_EQ(MsgReply_r(rcvb, 'b', "for B", 6), 0);
	CHECK_EQ(MsgReply_r(rcva, 'a', "for A", 6), 0);
	CHECK(tjoin(ta) == 0 && tjoin(tb) == 0);
	CHECK(a.result == 'a' && b.result == 'b' && !strcmp(ra, "for A") && !strcmp(rb, "for B") &&
	      b.done == 1 && a.done == 2);
}

/* --- a multithreaded server ---------------------------------------------------------- */

#define NSERVERS 4
#define NCLIENTS 4
#define ROUNDS	 500

enum { HOLD = 1, WORK = 2, STOP = 3 };
struct req {
	int kind;
	int client;
	int seq;
	int value;
};

static int m_chid, m_coid;	  /* the channel the server threads share */
static int gate_chid, gate_coid;  /* where a holding server reports */
static int handled[NSERVERS + 1]; /* messages per server thread (by index) */

static void *server_thread(void *arg)
{
	int me = (int)(long)arg;
	struct req r;
	struct _msg_info info;

	for (;;) {
		int rcvid = MsgReceive_r(m_chid, &r, sizeof(r), &info);
		if (rcvid <= 0)
			return NULL;
		handled[me]++;
		if (r.kind == HOLD) {
			/* Tell main which client's message we hold; it
			 * releases us once every server holds one. */
			int held = r.client;
			MsgSend_r(gate_coid, &held, sizeof(held), NULL, 0);
			MsgReply_r(rcvid, 1000 + r.client, NULL, 0);
		} else if (r.kind == WORK) {
			int v = r.value * 2 + 1;
			MsgReply_r(rcvid, r.seq, &v, sizeof(v));
		} else {
			MsgReply_r(rcvid, 0, NULL, 0);
			return NULL;
		}
	}
}

struct mt_client {
	int id;
	long hold_result;
	int bad; /* wrong replies in the WORK rounds */
};

static void *hold_client(void *arg)
{
	struct mt_client *c = arg;
	struct req r = {HOLD, c->id, 0, 0};
	c->hold_result = MsgSend_r(m_coid, &r, sizeof(r), NULL, 0);
	return NULL;
}

static void *work_client(void *arg)
{
	struct mt_client *c = arg;
	for (int i = 0; i < ROUNDS; i++) {
		struct req r = {WORK, c->id, i, c->id * 100000 + i};
		int v = -1;
		long st = MsgSend_r(m_coid, &r, sizeof(r), &v, sizeof(v));
		if (st != i || v != r.value * 2 + 1)
			c->bad++;
	}
	return NULL;
}

static void multithreaded_server(void) /* 10 points */
{
	int stids[NSERVERS], ctids[NCLIENTS];
	struct mt_client cl[NCLIENTS];

	base_prio_note("multithreaded server");
	m_chid = ChannelCreate(0);
	m_coid = ConnectAttach(0, 0, m_chid, _NTO_SIDE_CHANNEL, 0);
	gate_chid = ChannelCreate(_NTO_CHF_FIXED_PRIORITY);
	gate_coid = ConnectAttach(0, 0, gate_chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(m_chid > 0 && m_coid > 0 && gate_chid > 0 && gate_coid > 0);
	memset(handled, 0, sizeof(handled));

	int nrecv = 0;
	for (int i = 0; i < NSERVERS; i++) {
		stids[i] = tstart(server_thread, (void *)(long)i, 12);
		nrecv += state_of(MYPID, stids[i]) == ST_RECEIVE;
	}
	CHECK_EQ(nrecv, NSERVERS);

	/* Each client's message is taken by a different server thread,
	 * which holds it: all four servers hold one at once. */
	for (int i = 0; i < NCLIENTS; i++) {
		cl[i] = (struct mt_client){i, 0, 0};
		ctids[i] = tstart(hold_client, &cl[i], 11);
	}
	int gate_rcvid[NSERVERS], server_tid[NSERVERS], clients_seen = 0, distinct = 1;
	for (int i = 0; i < NSERVERS; i++) {
		int held = -1;
		struct _msg_info info;
		gate_rcvid[i] = MsgReceive_r(gate_chid, &held, sizeof(held), &info);
		server_tid[i] = info.tid;
		if (gate_rcvid[i] > 0 && held >= 0 && held < NCLIENTS)
			clients_seen |= 1 << held;
		for (int j = 0; j < i; j++)
			distinct &= server_tid[j] != server_tid[i];
	}
	CHECK_EQ(clients_seen, (1 << NCLIENTS) - 1);
	CHECK(distinct);
	int nreply = 0;
	for (int i = 0; i < NCLIENTS; i++)
		nreply += state_of(MYPID, ctids[i]) == ST_REPLY;
	CHECK_EQ(nreply, NCLIENTS);
	for (int i = 0; i < NSERVERS; i++)
		MsgReply_r(gate_rcvid[i], 0, NULL, 0);
	int good = 0;
	for (int i = 0; i < NCLIENTS; i++)
		good += tjoin(ctids[i]) == 0 && cl[i].hold_result == 1000 + i;
	CHECK_EQ(good, NCLIENTS);

	/* Then many messages through them, every reply checked. */
	memset(handled, 0, sizeof(handled));
	for (int i = 0; i < NCLIENTS; i++) {
		cl[i] = (struct mt_client){i, 0, 0};
		ctids[i] = tstart(work_client, &cl[i], 11);
	}
	int bad = 0;
	for (int i = 0; i < NCLIENTS; i++)
		bad += tjoin(ctids[i]) != 0 || cl[i].bad;
	CHECK_EQ(bad, 0);
	int total = 0;
	for (int i = 0; i < NSERVERS; i++)
		total += handled[i];
	CHECK_EQ(total, NCLIENTS * ROUNDS);

	/* One STOP per server thread ends them all. */
	int stopped = 0;
	for (int i = 0; i < NSERVERS; i++) {
		struct req r = {STOP, 0, 0, 0};
		stopped += MsgSend_r(m_coid, &r, sizeof(r), NULL, 0) == 0;
	}
	for (int i = 0; i < NSERVERS; i++)
		stopped += tjoin(stids[i]) == 0;
	CHECK_EQ(stopped, 2 * NSERVERS);
	CHECK((ConnectDetach_r(m_coid) | ChannelDestroy_r(m_chid) | ConnectDetach_r(gate_coid) |
	       ChannelDestroy_r(gate_chid)) == 0);
}

/* --- counts after a busy exchange -------------------------------------------------- */

struct echo {
	int chid;
	int n;
};

static void *echo_server(void *arg)
{
	struct echo *e = arg;
	static char buf[512];
	struct _msg_info info;
	for (int i = 0; i < e->n; i++) {
		int rcvid = MsgReceive_r(e->chid, buf, sizeof(buf), &info);
		if (rcvid <= 0)
			return NULL;
		for (ssize_t j = 0; j < info.msglen; j++)
			buf[j] ^= 0x55;
		MsgReply_r(rcvid, info.msglen, buf, (size_t)info.msglen);
	}
	return NULL;
}

/* A channel, a connection, a server thread and n exchanges of varied
 * sizes, all torn down again; how many replies were right. */
static int busy_exchange(int n)
{
	static char msg[512], rep[512];
	struct echo e = {ChannelCreate(0), n};
	int c = ConnectAttach(0, 0, e.chid, _NTO_SIDE_CHANNEL, 0);
	int t = tstart(echo_server, &e, 11);
	int good = 0;
	for (int i = 0; i < n; i++) {
		size_t len = (size_t)(i * 37) % sizeof(msg);
		for (size_t j = 0; j < len; j++)
			msg[j] = (char)(i + j);
		long r = MsgSend_r(c, msg, len, rep, sizeof(rep));
		int ok = r == (long)len;
		for (size_t j = 0; ok && j < len; j++)
			ok = rep[j] == (char)((i + j) ^ 0x55);
		good += ok;
	}
	tjoin(t);
	ConnectDetach(c);
	ChannelDestroy(e.chid);
	return good;
}

static void counts_after_busy_exchange(void) /* 4 points */
{
	base_prio_note("counts");
	busy_exchange(200); /* warm the kernel's object caches */
	struct ker_info_counts before = counts();
	CHECK_EQ(busy_exchange(2000), 2000);
	struct ker_info_counts after = counts();
	CHECK_EQ(after.free_pages, before.free_pages);
	CHECK_EQ(after.threads, before.threads);
	CHECK_EQ(after.processes, before.processes);
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(32 + 13 + 7 + 15 + 21 + 8 + 10 + 4 + 1);
	set_self_prio(MAIN_PRIO);

	channels_and_connections();

	chid = ChannelCreate(0);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(chid > 0 && coid >= _NTO_SIDE_CHANNEL);
	checksum_send_first();
	checksum_receive_first();
	lengths();
	errors();
	delayed_reply();
	multithreaded_server();
	ConnectDetach(coid);
	ChannelDestroy(chid);

	counts_after_busy_exchange();
	return tap_done();
}
