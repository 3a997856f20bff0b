/*
 * Message passing with IOVs and offsets (QNX semantics), one process:
 *  - a 3-part message (header + two bodies) received into a header-sized
 *    buffer first (msglen = the header), the rest read with MsgRead at
 *    offsets (across part boundaries; at and beyond the end: 0 bytes);
 *  - MsgReadv into parts; MsgWrite and MsgWritev at offsets into a 2-part
 *    reply area (across its parts; truncated at its end; beyond it: 0),
 *    then MsgReply with a short part that lands at offset 0 only;
 *  - MsgReceivev, MsgReplyv, MsgSendvs, MsgSendsv, MsgSendnc, MsgSendvnc,
 *    empty parts;
 *  - EFAULT for the server's own bad buffers (the message stays
 *    readable and repliable), EOVERFLOW for IOV lengths that overflow,
 *    EINVAL for a part count that is none (INT64_MIN); an array of no
 *    parts is an empty message.
 *
 * The main thread is the server at SCHED_FIFO 10; each client is a thread
 * at 11 that runs as soon as it is started and blocks in its send.
 *
 * Kernel behaviour assumed beyond the text: MsgRead/MsgWrite whose
 * local buffer faults fail with EFAULT and leave the client REPLY-blocked;
 * a send whose IOV lengths add up beyond what a ssize_t holds fails with
 * EOVERFLOW before anything is copied.
 */
#include <stdio.h>

#include "onecpu.h"
#include "msgtest.h"

static int chid, coid;

struct hdr {
	uint16_t type;
	uint16_t subtype;
	uint32_t len;
};

/* A client thread's send, in any of the forms. */
enum form { SENDV, SENDVS, SENDSV, SEND, SENDNC, SENDVNC };
struct call {
	enum form form;
	const iov_t *siov;
	size_t sparts;
	const iov_t *riov;
	size_t rparts;
	const void *smsg;
	size_t sbytes;
	void *rmsg;
	size_t rbytes;
	long result;
};

static void *client(void *arg)
{
	struct call *c = arg;
	switch (c->form) {
	case SENDV:
		c->result = MsgSendv_r(coid, c->siov, c->sparts, c->riov, c->rparts);
		break;
	case SENDVS:
		c->result = MsgSendvs_r(coid, c->siov, c->sparts, c->rmsg, c->rbytes);
		break;
	case SENDSV:
		c->result = MsgSendsv_r(coid, c->smsg, c->sbytes, c->riov, c->rparts);
		break;
	case SEND:
		c->result = MsgSend_r(coid, c->smsg, c->sbytes, c->rmsg, c->rbytes);
		break;
	case SENDNC:
		c->result = MsgSendnc_r(coid, c->smsg, c->sbytes, c->rmsg, c->rbytes);
		break;
	case SENDVNC:
		c->result = MsgSendvnc_r(coid, c->siov, c->sparts, c->riov, c->rparts);
		break;
	}
	return NULL;
}

static unsigned char body1[100], body2[50], stream[158]; /* stream: hdr+body1+body2 */
static unsigned char rb1[16 + 8], rb2[32 + 8];		 /* reply parts + guards */

static int all(const unsigned char *p, int c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* The 3-part message: header first, then MsgRead, MsgWrite, MsgReply. */
static void header_then_read(void) /* 23 points */
{
	struct hdr h = {0x2ff, 7, 150}, got;
	iov_t siov[3], riov[2], piov[2];
	unsigned char buf[200], big[100];
	struct _msg_info info;

	for (int i = 0; i < 100; i++)
		body1[i] = (unsigned char)(i * 3 + 1);
	for (int i = 0; i < 50; i++)
		body2[i] = (unsigned char)(0xc0 ^ i);
	memcpy(stream, &h, 8);
	memcpy(stream + 8, body1, 100);
	memcpy(stream + 108, body2, 50);
	for (int i = 0; i < 100; i++)
		big[i] = (unsigned char)(0x80 + i);
	memset(rb1, '.', sizeof(rb1));
	memset(rb2, '.', sizeof(rb2));

	SETIOV(&siov[0], &h, sizeof(h));
	SETIOV(&siov[1], body1, sizeof(body1));
	SETIOV(&siov[2], body2, sizeof(body2));
	SETIOV(&riov[0], rb1, 16);
	SETIOV(&riov[1], rb2, 32);
	struct call c = {SENDV, siov, 3, riov, 2, NULL, 0, NULL, 0, 0};
	int t = tstart(client, &c, 11);

	int rcvid = MsgReceive_r(chid, &got, sizeof(got), &info);
	CHECK(rcvid > 0);
	CHECK(info.msglen == 8 && info.srcmsglen == 158 && info.dstmsglen == 48);
	CHECK(got.type == 0x2ff && got.subtype == 7 && got.len == 150);

	/* The rest, as one stream across the parts. */
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(MsgRead_r(rcvid, buf, got.len, sizeof(got)), 150);
	CHECK(!memcmp(buf, stream + 8, 150));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(MsgRead_r(rcvid, buf, 10, 105), 10); /* body1's end, body2's start */
	CHECK(!memcmp(buf, stream + 105, 10));
	CHECK_EQ(MsgRead_r(rcvid, buf, 100, 120), 38); /* only 38 left */
	CHECK(!memcmp(buf, stream + 120, 38));
	CHECK_EQ(MsgRead_r(rcvid, buf, 10, 158), 0);
	CHECK_EQ(MsgRead_r(rcvid, buf, 10, 1000), 0);
	memset(buf, 0, sizeof(buf));
	SETIOV(&piov[0], buf, 5);
	SETIOV(&piov[1], buf + 100, 20);
	CHECK_EQ(MsgReadv_r(rcvid, piov, 2, 3), 25);
	CHECK(!memcmp(buf, stream + 3, 5) && !memcmp(buf + 100, stream + 8, 20) && buf[5] == 0);

	/* Writes into the 16 + 32 bytes of reply room, at offsets. */
	CHECK_EQ(MsgWrite_r(rcvid, "WXYZ", 4, 14), 4); /* across rb1 into rb2 */
	CHECK_EQ(MsgWrite_r(rcvid, big, 100, 40), 8);  /* truncated at 48 */
	CHECK_EQ(MsgWrite_r(rcvid, big, 10, 48), 0);
	CHECK_EQ(MsgWrite_r(rcvid, big, 10, 500), 0);
	SETIOV(&piov[0], "12", 2);
	SETIOV(&piov[1], "345", 3);
	CHECK_EQ(MsgWritev_r(rcvid, piov, 2, 20), 5);

	/* The reply: its 2 bytes at offset 0, status 99. */
	CHECK_EQ(MsgReply_r(rcvid, 99, "ab", 2), 0);
	CHECK_EQ(tjoin(t), 0);
	CHECK_EQ(c.result, 99);
	CHECK(rb1[0] == 'a' && rb1[1] == 'b' && all(rb1 + 2, '.', 12) && rb1[14] == 'W' &&
	      rb1[15] == 'X' && all(rb1 + 16, '.', 8));
	/* rb2 is stream offsets 16..47: YZ at 16, 12345 at 20, big at 40. */
	CHECK(rb2[0] == 'Y' && rb2[1] == 'Z' && all(rb2 + 2, '.', 2) &&
	      !memcmp(rb2 + 4, "12345", 5) && all(rb2 + 9, '.', 15) && !memcmp(rb2 + 24, big, 8) &&
	      all(rb2 + 32, '.', 8));
}

/* MsgReceivev into parts, MsgReplyv from parts, MsgSendvs, MsgSendsv,
 * and empty parts anywhere. */
static void vector_forms(void) /* 21 points */
{
	unsigned char p1[4], p2[4], p3[100], reply[16];
	iov_t riov[4], siov[4], cr[3];
	struct _msg_info info;
	struct call c;
	int t, rcvid;

	/* MsgSend of 30 bytes, MsgReceivev into 4 + 0 + 4 + 100. */
	memset(reply, '.', sizeof(reply));
	c = (struct call){SEND, NULL, 0, NULL, 0, stream, 30, reply, 6, 0};
	t = tstart(client, &c, 11);
	memset(p3, 0, sizeof(p3));
	SETIOV(&riov[0], p1, 4);
	SETIOV(&riov[1], NULL, 0);
	SETIOV(&riov[2], p2, 4);
	SETIOV(&riov[3], p3, 100);
	rcvid = MsgReceivev_r(chid, riov, 4, &info);
	CHECK(rcvid > 0 && info.msglen == 30 && info.srcmsglen == 30 && info.dstmsglen == 6);
	CHECK(!memcmp(p1, stream, 4) && !memcmp(p2, stream + 4, 4) && !memcmp(p3, stream + 8, 22) &&
	      p3[22] == 0);
	/* MsgReplyv of 2 + 0 + 3 + 4 into 6 bytes of room. */
	SETIOV(&siov[0], "ab", 2);
	SETIOV(&siov[1], "", 0);
	SETIOV(&siov[2], "cde", 3);
	SETIOV(&siov[3], "fghi", 4);
	CHECK_EQ(MsgReplyv_r(rcvid, 5, siov, 4), 0);
	CHECK(tjoin(t) == 0 && c.result == 5);
	CHECK(!memcmp(reply, "abcdef", 6) && reply[6] == '.');

	/* MsgSendvs: parts out, one buffer back. */
	memset(reply, '.', sizeof(reply));
	SETIOV(&cr[0], "hel", 3);
	SETIOV(&cr[1], NULL, 0);
	SETIOV(&cr[2], "lo", 3); /* "lo" and its NUL */
	c = (struct call){SENDVS, cr, 3, NULL, 0, NULL, 0, reply, 8, 0};
	t = tstart(client, &c, 11);
	char text[16];
	memset(text, 0x7f, sizeof(text));
	rcvid = MsgReceive_r(chid, text, sizeof(text), &info);
	CHECK(rcvid > 0 && info.msglen == 6 && info.dstmsglen == 8 && !strcmp(text, "hello"));
	CHECK_EQ(MsgReply_r(rcvid, 6, "world!!!!", 9), 0);
	CHECK(tjoin(t) == 0 && c.result == 6);
	CHECK(!memcmp(reply, "world!!!", 8) && reply[8] == '.');

	/* MsgSendsv: one buffer out, parts back (2 + 3). */
	unsigned char r1[2 + 4], r2[3 + 4];
	memset(r1, '.', sizeof(r1));
	memset(r2, '.', sizeof(r2));
	SETIOV(&cr[0], r1, 2);
	SETIOV(&cr[1], r2, 3);
	c = (struct call){SENDSV, NULL, 0, cr, 2, "q", 2, NULL, 0, 0};
	t = tstart(client, &c, 11);
	rcvid = MsgReceive_r(chid, text, sizeof(text), &info);
	CHECK(rcvid > 0 && info.msglen == 2 && info.dstmsglen == 5 && !strcmp(text, "q"));
	CHECK_EQ(MsgReply_r(rcvid, 0, "ABCDEFG", 7), 0);
	CHECK(tjoin(t) == 0 && c.result == 0);
	CHECK(!memcmp(r1, "AB", 2) && r1[2] == '.' && !memcmp(r2, "CDE", 3) && r2[3] == '.');

	/* MsgSendnc and MsgSendvnc: as MsgSend and MsgSendv (QNX's forms that
	 * are no cancellation point). */
	memset(reply, '.', sizeof(reply));
	c = (struct call){SENDNC, NULL, 0, NULL, 0, "nc", 3, reply, 4, 0};
	t = tstart(client, &c, 11);
	rcvid = MsgReceive_r(chid, text, sizeof(text), &info);
	CHECK(rcvid > 0 && info.msglen == 3 && info.dstmsglen == 4 && !strcmp(text, "nc"));
	CHECK(MsgReply_r(rcvid, 7, "WXYZ!", 5) == 0 && tjoin(t) == 0 && c.result == 7);
	CHECK(!memcmp(reply, "WXYZ", 4) && reply[4] == '.');
	memset(r1, '.', sizeof(r1));
	memset(r2, '.', sizeof(r2));
	SETIOV(&siov[0], "v", 1);
	SETIOV(&siov[1], "nc", 3);
	c = (struct call){SENDVNC, siov, 2, cr, 2, NULL, 0, NULL, 0, 0};
	t = tstart(client, &c, 11);
	rcvid = MsgReceive_r(chid, text, sizeof(text), &info);
	CHECK(rcvid > 0 && info.msglen == 4 && info.dstmsglen == 5 && !strcmp(text, "vnc"));
	CHECK(MsgReply_r(rcvid, 8, "1234567", 7) == 0 && tjoin(t) == 0 && c.result == 8);
	CHECK(!memcmp(r1, "12", 2) && r1[2] == '.' && !memcmp(r2, "345", 3) && r2[3] == '.');

	/* No parts at all either way. */
	c = (struct call){SENDV, siov, 0, riov, 0, NULL, 0, NULL, 0, 0};
	t = tstart(client, &c, 11);
	rcvid = MsgReceive_r(chid, text, sizeof(text), &info);
	CHECK(rcvid > 0 && info.msglen == 0 && info.srcmsglen == 0 && info.dstmsglen == 0);
	CHECK(MsgReply_r(rcvid, 1, "x", 1) == 0 && tjoin(t) == 0 && c.result == 1);
}

#define KPTR ((void *)0xffff800000001000ul)

/* EFAULT on the server's own buffers leaves the message as it was;
 * EOVERFLOW for lengths that overflow; EINVAL for a part count that is
 * none; no parts, an empty message. */
static void faults(void) /* 11 points */
{
	unsigned char buf[64], reply[8];
	struct _msg_info info;
	iov_t bad[2];

	memset(reply, '.', sizeof(reply));
	struct call c = {SEND, NULL, 0, NULL, 0, stream, 40, reply, sizeof(reply), 0};
	int t = tstart(client, &c, 11);
	int rcvid = MsgReceive_r(chid, buf, 8, &info);
	CHECK(rcvid > 0);
	CHECK_EQ(MsgRead_r(rcvid, KPTR, 16, 0), -EFAULT);
	CHECK_EQ(MsgWrite_r(rcvid, KPTR, 4, 0), -EFAULT);
	CHECK_EQ(MsgReadv_r(rcvid, KPTR, 2, 0), -EFAULT); /* the IOV array itself */
	CHECK_STATE(MYPID, t, ST_REPLY, MYPID);
	CHECK(MsgRead_r(rcvid, buf, 32, 8) == 32 && !memcmp(buf, stream + 8, 32));
	CHECK(MsgReply_r(rcvid, 4, "four", 4) == 0 && tjoin(t) == 0 && c.result == 4 &&
	      !memcmp(reply, "four", 4));

	/* Two parts whose lengths add up past any size: EOVERFLOW, at
	 * once (sent from a thread: should the kernel take the message
	 * after all, we receive and fail it rather than hang). */
	SETIOV(&bad[0], stream, ~(size_t)0 / 2 + 1);
	SETIOV(&bad[1], stream, ~(size_t)0 / 2 + 1);
	c = (struct call){SENDV, bad, 2, NULL, 0, NULL, 0, NULL, 0, 0};
	t = tstart(client, &c, 11);
	if (state_of(MYPID, t) == ST_SEND) {
		printf("# the overflowing send was queued\n");
		rcvid = MsgReceive_r(chid, buf, 8, &info);
		MsgError_r(rcvid, EIO);
	}
	CHECK(tjoin(t) == 0 && c.result == -EOVERFLOW);
	if (c.result != -EOVERFLOW)
		printf("#   got %ld\n", c.result);

	/* A part count that is none (-n one buffer of n bytes, but
	 * INT64_MIN has no n): EINVAL, nothing sent. An array of no parts,
	 * each way, is an empty message and room for no reply. */
	CHECK_EQ(KerMsgSendv_r(coid, stream, INT64_MIN, NULL, 0), -EINVAL);
	c = (struct call){SENDV, bad, 0, bad, 0, NULL, 0, NULL, 0, 0};
	t = tstart(client, &c, 11);
	rcvid = MsgReceive_r(chid, buf, sizeof(buf), &info);
	CHECK(rcvid > 0 && info.msglen == 0 && info.srcmsglen == 0 && info.dstmsglen == 0);
	CHECK(MsgReply_r(rcvid, 6, "reply", 5) == 0 && tjoin(t) == 0 && c.result == 6);
}

/* A server thread receiving first; should that fail (a bad buffer), once
 * more into a good one; it replies to what it got. */
struct waiting {
	void *first; /* the buffer of the first receive */
	size_t first_len;
	long r1, r2; /* the two receives' results */
	unsigned char got[512];
	struct _msg_info info;
};

static void *receive_twice(void *arg)
{
	struct waiting *w = arg;
	w->r1 = MsgReceive_r(chid, w->first, w->first_len, &w->info);
	if (w->r1 <= 0)
		w->r2 = MsgReceive_r(chid, w->got, sizeof(w->got), &w->info);
	MsgReply_r(w->r1 > 0 ? w->r1 : w->r2, 9, "ok", 3);
	return NULL;
}

/* The direct hand-over to a waiting receiver when a buffer is bad: the
 * side at fault gets EFAULT, the other goes on as if nothing happened. */
static void handover_faults(void) /* 9 points */
{
	unsigned char big[300], reply[4];
	struct waiting w = {.first = KPTR, .first_len = 64};

	/* The receiver's buffer: its MsgReceive fails, our message waits for
	 * its next receive (we stay SEND-blocked in between). */
	int t = tstart(receive_twice, &w, 11);
	CHECK_STATE(MYPID, t, ST_RECEIVE, chid);
	memset(reply, '.', sizeof(reply));
	long r = MsgSend_r(coid, "hand-over", 10, reply, sizeof(reply));
	CHECK(r == 9 && !memcmp(reply, "ok", 3));
	CHECK(w.r1 == -EFAULT && w.r2 > 0 && w.info.msglen == 10 &&
	      !strcmp((char *)w.got, "hand-over"));
	CHECK_EQ(tjoin(t), 0);

	/* Our own buffer, short (staged before the hand-over) and long
	 * (copied by the receiver from our address space): EFAULT for us,
	 * the receiver never wakes. */
	w = (struct waiting){.first = w.got, .first_len = sizeof(w.got)};
	t = tstart(receive_twice, &w, 11);
	CHECK_EQ(MsgSend_r(coid, KPTR, 16, reply, sizeof(reply)), -EFAULT);
	CHECK_EQ(MsgSend_r(coid, KPTR, sizeof(big), reply, sizeof(reply)), -EFAULT);
	CHECK_STATE(MYPID, t, ST_RECEIVE, chid);
	memset(big, 0x3c, sizeof(big));
	CHECK(MsgSend_r(coid, big, sizeof(big), NULL, 0) == 9 && w.r1 > 0 && all(w.got, 0x3c, 300));
	CHECK_EQ(tjoin(t), 0);
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(1 + 23 + 21 + 11 + 9);
	set_self_prio(10);
	chid = ChannelCreate(0);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(chid > 0 && coid >= _NTO_SIDE_CHANNEL);

	header_then_read();
	unboost(); /* main served the last section */
	vector_forms();
	unboost();
	faults();
	unboost();
	handover_faults();
	return tap_done();
}
