/*
 * The IPC fast path (kernel/msg.c, "the fast path") and MsgReplyReceive,
 * Muon's fused reply-and-receive. run-tests boots this twice: as is, and
 * with "ipc.slow" on the kernel's command line, where every call takes
 * the generic path; every point below must hold on both, which is how the
 * fast path is shown to leave things as the generic path does. KerInfo's
 * ipc_fast count says which path ran (it counts the calls the fast path
 * took since boot: none with ipc.slow). On several CPUs the fast path
 * takes the kernel lock, and takes MsgSendPulse only when the scheduler
 * would run the receiver on this CPU (here, all on CPU 0, it would).
 *
 * Runs under proc (init.run), so it can spawn itself as a peer process:
 *   - round trips with a client in another process, through MsgReceive
 *     and MsgReply, then through MsgReplyReceive: every byte of every
 *     message and reply checked, and _msg_info's pid and msglen; every
 *     other one made raw with ids whose registers' upper halves are not
 *     zero (the kernel reads ints as ints: libc does not widen them);
 *   - MsgReplyReceive's rules: a bad chid (ESRCH, nothing replied), a
 *     bad reply buffer (EFAULT, nothing replied, nothing received), a
 *     client gone since (no error: the receive goes on), a client queued
 *     already (taken at once), a pulse while it waits, priorities;
 *   - what the fast path must hand to the generic path and get the same
 *     answers from: a client's reply buffer that faults (EFAULT to the
 *     client), a server's receive buffer that faults (EFAULT to the
 *     server, the client back to SEND), long messages in parts, iov_t
 *     arrays, a TimerTimeout;
 *   - buffers that run off a mapped page after their first words, on
 *     each copy a message and its reply take (the faulting side's
 *     EFAULT, the other side as if nothing happened), and the last page
 *     of the user half;
 *   - long messages from one buffer, which the fast path hands to the
 *     receiver to copy: across 2 MiB boundaries, past the copy's
 *     interrupt windows, a hole in the sender's buffer, a read-only
 *     page in the receiver's;
 *   - pulses and yields: a pulse whose receiver then outranks us runs it
 *     before MsgSendPulse returns; one that does not (below or equal to
 *     us) leaves it READY; a fixed-priority channel's receiver keeps its
 *     own; bad arguments give their errors with a receiver waiting;
 *     SchedYield alternates equals in order and is a no-op alone;
 *   - a client MsgReply made READY runs when the scheduler would pick
 *     it: behind equals READY before it, after higher ones, at once when
 *     raised above us; destroyed before it ran, it is gone;
 *   - object counts back at their baseline.
 * Threads synchronise as msgtest.h says: main runs below every thread it
 * starts, on one CPU.
 */
#include <limits.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgtest.h"
#include "onecpu.h"
#include "rawcall.h"

#define MAIN_PRIO 10
#define ROUNDS	  50
#define QUIT	  0xffffffffu
#define BAD_PTR	  ((void *)0xffff800000001000ul) /* kernel half: faults */
#define USER_TOP  0x800000000000ul		 /* the end of the user half */

/* A kernel call of up to five arguments made here, not by libc, so that
 * an int argument's register can carry a nonzero upper half (HIGH): the
 * kernel reads an id, a priority or a code as an int, the register's low
 * half, and libc passes them so (not widened). */
static long raw5(long nr, long a0, long a1, long a2, long a3, long a4)
{
#if defined(__x86_64__)
	register long rax __asm__("rax") = nr;
	register long rdi __asm__("rdi") = a0;
	register long rsi __asm__("rsi") = a1;
	register long rdx __asm__("rdx") = a2;
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;

	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
			 :
			 : "rcx", "r11", "r9", "memory", "cc");
	return rax;
#else
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = a4;

	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
			 : "r"(x8)
			 : "x5", A64_KCALL_CLOBBERS, "memory", "cc");
	return x0;
#endif
}
#define HIGH(v) ((long)(uint32_t)(v) | 0x5a5a5a5al << 32)

/* Message i: 16 bytes; its reply: each byte + 1, and status i. */
struct msg16 {
	uint32_t n;
	uint8_t body[12];
};

static void fill(struct msg16 *m, uint32_t n)
{
	m->n = n;
	for (int i = 0; i < 12; i++)
		m->body[i] = (uint8_t)(n * 31 + i);
}

static void answer(struct msg16 *m)
{
	m->n += 1;
	for (int i = 0; i < 12; i++)
		m->body[i] += 1;
}

/* The peer: ROUNDS messages to the parent's channel, each reply checked,
 * then QUIT. Exit status: 0, or the first round that went wrong + 1. */
static int peer(int chid)
{
	int coid = ConnectAttach(0, getppid(), chid, _NTO_SIDE_CHANNEL, 0);
	struct msg16 m, r, want;

	if (coid < 0)
		return 200;
	for (uint32_t i = 0; i < ROUNDS; i++) {
		fill(&m, i);
		want = m;
		answer(&want);
		long st = i & 1 ? raw5(__KER_KerMsgSend, HIGH(coid), (long)&m, sizeof(m), (long)&r,
				       sizeof(r))
				: MsgSend(coid, &m, sizeof(m), &r, sizeof(r));
		if (st != (long)i || memcmp(&r, &want, sizeof(r)))
			return (int)i + 1;
	}
	m.n = QUIT;
	return MsgSend(coid, &m, sizeof(m), NULL, 0) == 0 ? 0 : 199;
}

static pid_t spawn_peer(int chid)
{
	char c[16];
	pid_t pid;

	snprintf(c, sizeof(c), "%d", chid);
	char *argv[] = {"test_msg_fast", "peer", c, NULL};
	int err = posix_spawn(&pid, "test_msg_fast", NULL, NULL, argv, NULL);
	if (err) {
		printf("# spawn: error %d\n", err);
		return -1;
	}
	return pid;
}

/* Serve one peer's ROUNDS messages, fused or not: every message and its
 * info right, every reply right (the peer checks). 6 points. */
static void serve_peer(int fused)
{
	int chid = ChannelCreate(0);
	pid_t pid = spawn_peer(chid);
	struct msg16 m, want;
	struct _msg_info info;
	int good = 0, rcvid, st = -1;

	CHECK(chid > 0 && pid > 0);
	rcvid = MsgReceive(chid, &m, sizeof(m), &info);
	for (uint32_t i = 0; rcvid > 0 && m.n != QUIT; i++) {
		fill(&want, i);
		good += !memcmp(&m, &want, sizeof(m)) && info.pid == pid && info.msglen == 16 &&
			info.srcmsglen == 16 && info.dstmsglen == 16;
		answer(&m);
		if (fused) {
			rcvid = MsgReplyReceive(chid, rcvid, (long)i, &m, sizeof(m), &m, sizeof(m),
						&info);
		} else if (i & 1) { /* ids with an upper half: only the low one counts; */
			/* KerMsgReceive has no fifth argument (no flags: pulse-only
			 * receives are KerMsgReceivev's): one there is ignored */
			raw5(__KER_KerMsgReply, HIGH(rcvid), (long)i, (long)&m, sizeof(m), 0);
			rcvid = (int)raw5(__KER_KerMsgReceive, HIGH(chid), (long)&m, sizeof(m),
					  (long)&info, KER_MSG_PULSE_ONLY);
		} else {
			MsgReply(rcvid, (long)i, &m, sizeof(m));
			rcvid = MsgReceive(chid, &m, sizeof(m), &info);
		}
	}
	CHECK_EQ(good, ROUNDS);
	CHECK(rcvid > 0 && m.n == QUIT);
	CHECK_EQ(MsgReply(rcvid, 0, NULL, 0), 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	ChannelDestroy(chid);
}

/* --- threads of ours ------------------------------------------------------------ */

static int chid, coid;
static pid_t me;
static long sent_result[4];
static struct msg16 got_reply[4];

/* Client k: one 16-byte message n = k, its result and reply kept. */
static void *client(void *arg)
{
	int k = (int)(long)arg;
	struct msg16 m;

	fill(&m, (uint32_t)k);
	sent_result[k] = MsgSend_r(coid, &m, sizeof(m), &got_reply[k], sizeof(got_reply[k]));
	return NULL;
}

/* A client whose reply buffer is not mapped. */
static void *bad_reply_client(void *arg)
{
	struct msg16 m;
	(void)arg;
	fill(&m, 3);
	sent_result[3] = MsgSend_r(coid, &m, sizeof(m), BAD_PTR, sizeof(m));
	return NULL;
}

/* Who ran first, for the order among equals. */
static char order[4];
static int norder;

static void *order_client(void *arg)
{
	struct msg16 m;
	(void)arg;
	fill(&m, 4);
	MsgSend(coid, &m, sizeof(m), NULL, 0);
	order[norder++] = 'C';
	MsgSendPulse(coid, -1, 6, 0); /* the server's next receive */
	return NULL;
}

static void *marker(void *arg)
{
	(void)arg;
	order[norder++] = 'X';
	return NULL;
}

/* Start fn(arg) at prio, SCHED_FIFO, for ThreadJoin: READY behind us
 * when we run at prio or above (ThreadCreate: tstart would unboost us).
 * Its tid, or -1. */
static int tready(void *(*fn)(void *), void *arg, int prio)
{
	struct _thread_attr a = {0};

	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_FIFO;
	a.__param.sched_priority = prio;
	return ThreadCreate(0, fn, arg, &a);
}

/* A client replied to by MsgReplyReceive goes behind a thread of its own
 * priority that was READY already, as MsgReply then MsgReceive would put
 * it (QNX: a thread made READY goes to the end of its priority's queue):
 * the direct switch is only for a client nothing READY equals. 3 points. */
static void order_among_equals(void)
{
	struct msg16 m;
	int c = tstart(order_client, NULL, 15);
	int rcvid = MsgReceive(chid, &m, sizeof(m), NULL); /* we run at 15 now */
	int x = tready(marker, NULL, 15);		   /* READY behind us */
	int prio = cur_prio(), before = norder;
	/* We wait (no TimerTimeout: that is the generic path's; no printing
	 * before: a write to the console would let X run); C and X are both
	 * 15, X was READY first; C's pulse ends our wait. */
	struct _pulse p;
	long r = MsgReplyReceive_r(chid, rcvid, 0, NULL, 0, &p, sizeof(p), NULL);
	CHECK(rcvid > 0 && x > 0 && prio == 15 && before == 0);
	CHECK(r == 0 && p.code == 6);
	CHECK(norder == 2 && order[0] == 'X' && order[1] == 'C' && tjoin(c) == 0 &&
	      ThreadJoin(x, NULL) == 0);
	unboost();
}

/* libc's out-of-line forms (a call of MsgReplyReceive through a pointer
 * does not take <sys/neutrino.h>'s inline one). */
static int (*volatile rr_out)(int, int, long, const void *, size_t, void *, size_t,
			      struct _msg_info *) = MsgReplyReceive;
static int (*volatile rr_r_out)(int, int, long, const void *, size_t, void *, size_t,
				struct _msg_info *) = MsgReplyReceive_r;

/* MsgReplyReceive's rules, its inline and out-of-line forms. 19 points. */
static void reply_receive_rules(void)
{
	struct msg16 m, r;
	struct _msg_info info;

	/* A client at 20 waits in REPLY on rcvid. */
	int c0 = tstart(client, (void *)0, 20);
	int rcvid = MsgReceive(chid, &m, sizeof(m), &info);
	CHECK(rcvid > 0 && m.n == 0 && info.tid == c0 && info.msglen == 16);
	CHECK_EQ(cur_prio(), 20); /* the client's, inherited */

	/* A bad chid: ESRCH before anything is replied. */
	r = m;
	answer(&r);
	CHECK_EQ(rr_r_out(99, rcvid, 7, &r, sizeof(r), &m, sizeof(m), NULL), -ESRCH);
	CHECK_EQ(state_of(me, c0), ST_REPLY);
	/* A reply buffer that faults: EFAULT, nothing replied or received. */
	CHECK_EQ(MsgReplyReceive_r(chid, rcvid, 7, BAD_PTR, sizeof(r), &m, sizeof(m), NULL),
		 -EFAULT);
	CHECK_EQ(state_of(me, c0), ST_REPLY);

	/* A second client queued (SEND) while we hold the first: the fused
	 * call (out of line) replies and takes it at once. The reply's
	 * length fills its 32 bits of the call's sizes: one call, which
	 * moves what the client has room for. */
	int c1 = tstart(client, (void *)1, 15);
	CHECK_EQ(state_of(me, c1), ST_SEND);
	int rcvid1 = rr_out(chid, rcvid, 7, &r, UINT32_MAX, &m, sizeof(m), &info);
	CHECK(rcvid1 > 0 && m.n == 1 && info.tid == c1);
	CHECK_EQ(cur_prio(), 15); /* the queued client's */
	CHECK(tjoin(c0) == 0 && sent_result[0] == 7 && got_reply[0].n == 1 &&
	      got_reply[0].body[0] == (uint8_t)(0 * 31 + 1));

	/* The client goes (killed by ThreadDestroy while REPLY-blocked): its
	 * rcvid replies to no one, and the fused call receives on. A pulse
	 * queued meanwhile is what it gets. */
	CHECK_EQ(ThreadDestroy_r(c1, -1, NULL), 0);
	tjoin(c1);
	CHECK_EQ(MsgSendPulse(coid, 12, 5, 0x55), 0);
	struct _pulse p;
	CHECK(MsgReplyReceive(chid, rcvid1, 0, &r, sizeof(r), &p, sizeof(p), NULL) == 0 &&
	      p.code == 5 && p.value.sival_int == 0x55);

	/* A client's reply buffer that faults: the reply reaches it as
	 * EFAULT (our MsgReply succeeds: the copy is the client's). */
	int c2 = tstart(client, (void *)2, 12);
	CHECK_EQ(state_of(me, c2), ST_SEND);
	rcvid = MsgReceive(chid, &m, sizeof(m), NULL);
	CHECK(rcvid > 0 && m.n == 2);
	answer(&m);
	/* ...and the bad reply client, after: it gets the reply's EFAULT.
	 * A reply length past the 32 bits of the fused call's sizes takes
	 * two calls (a reply moves what the client has room for). */
	int c3 = tstart(bad_reply_client, NULL, 11);
	int rcvid3 =
	    MsgReplyReceive(chid, rcvid, 2, &m, (size_t)UINT32_MAX + 1, &m, sizeof(m), NULL);
	CHECK(rcvid3 > 0 && m.n == 3);
	CHECK_EQ(MsgReply(rcvid3, 3, &m, sizeof(m)), 0);
	CHECK(tjoin(c2) == 0 && sent_result[2] == 2 && got_reply[2].n == 3);
	CHECK(tjoin(c3) == 0 && sent_result[3] == -EFAULT);
	unboost();
}

/* A server thread whose receive buffer faults: it gets EFAULT, and the
 * client stays, SEND-blocked again, for the next receive. */
static long bad_rcv_result;

static void *bad_receiver(void *arg)
{
	(void)arg;
	bad_rcv_result = MsgReceive_r(chid, BAD_PTR, 16, NULL);
	return NULL;
}

/* A sender of a long message in two parts, its reply into two parts. */
static char big[1000], back[1000];
static long long_result;

static void *long_sender(void *arg)
{
	iov_t siov[2] = {{big, 400}, {big + 400, 600}}, riov[2] = {{back, 300}, {back + 300, 700}};
	(void)arg;
	long_result = MsgSendv_r(coid, siov, 2, riov, 2);
	return NULL;
}

/* A server thread waiting above us, for the TimerTimeout case. */
static int tw_rcvid;
static struct msg16 tw_msg;

static void *waiting_server(void *arg)
{
	(void)arg;
	tw_rcvid = MsgReceive(chid, &tw_msg, sizeof(tw_msg), NULL);
	return NULL;
}

/* What the fast path hands on: the generic path's answers. 17 points. */
static void handed_on(void)
{
	static char in[1000];
	struct msg16 m;

	/* A receiver waiting with a bad buffer; a client arrives: the
	 * receiver gets EFAULT, the client is SEND-blocked again. */
	int s = tstart(bad_receiver, NULL, 20);
	CHECK_EQ(state_of(me, s), ST_RECEIVE);
	int c = tstart(client, (void *)0, 19);
	CHECK(tjoin(s) == 0 && bad_rcv_result == -EFAULT);
	CHECK_EQ(state_of(me, c), ST_SEND);
	int rcvid = MsgReceive(chid, &m, sizeof(m), NULL);
	CHECK(rcvid > 0 && m.n == 0);
	MsgReply(rcvid, 0, NULL, 0);
	CHECK(tjoin(c) == 0 && sent_result[0] == 0);
	unboost();

	/* A long message from iov_t arrays, a long reply. */
	for (int i = 0; i < 1000; i++)
		big[i] = (char)(i * 7 + 1);
	int ls = tstart(long_sender, NULL, 20);
	rcvid = MsgReceive(chid, in, sizeof(in), NULL);
	CHECK(rcvid > 0 && !memcmp(in, big, sizeof(big)));
	for (int i = 0; i < 1000; i++)
		in[i] = (char)(in[i] + 1);
	CHECK_EQ(MsgReply(rcvid, 1000, in, sizeof(in)), 0);
	CHECK(tjoin(ls) == 0 && long_result == 1000 && back[0] == (char)2 &&
	      back[999] == (char)(999 * 7 + 2));
	unboost();

	/* Byte counts past LONG_MAX: EOVERFLOW, the kernel's before anything
	 * else (its signed lengths cannot carry them; QNX's error for
	 * lengths that overflow), with a receiver waiting, which waits on;
	 * a receive that would block, and a reply to a REPLY-blocked client
	 * (which waits on, then takes the right one), the same. */
	int ws = tstart(waiting_server, NULL, 20);
	fill(&m, 8);
	CHECK(MsgSend_r(coid, &m, (size_t)LONG_MAX + 1, &m, sizeof(m)) == -EOVERFLOW &&
	      MsgSend_r(coid, &m, sizeof(m), &m, SIZE_MAX) == -EOVERFLOW);
	CHECK_EQ(state_of(me, ws), ST_RECEIVE);
	CHECK_EQ(MsgReceive_r(chid, &m, (size_t)LONG_MAX + 1, NULL), -EOVERFLOW);
	c = tstart(client, (void *)1, 19); /* to ws, which ends: c REPLY-blocked */
	CHECK(tjoin(ws) == 0 && tw_rcvid > 0 && tw_msg.n == 1);
	CHECK(MsgReply_r(tw_rcvid, 5, &m, SIZE_MAX) == -EOVERFLOW && state_of(me, c) == ST_REPLY);
	fill(&m, 77);
	CHECK(MsgReply(tw_rcvid, 5, &m, sizeof(m)) == 0 && tjoin(c) == 0 && sent_result[1] == 5 &&
	      got_reply[1].n == 77);
	unboost();

	/* A TimerTimeout on the reply, at once: the message goes, the send
	 * ends with ETIMEDOUT, the late reply finds no one. */
	ws = tstart(waiting_server, NULL, 20);
	fill(&m, 9);
	int tt = timeout_now(_NTO_TIMEOUT_REPLY); /* for the next kernel call: no printing */
	long sr = MsgSend_r(coid, &m, sizeof(m), &m, sizeof(m));
	CHECK(tt == 0 && sr == -ETIMEDOUT);
	CHECK(tjoin(ws) == 0 && tw_rcvid > 0 && tw_msg.n == 9);
	CHECK_EQ(MsgReply_r(tw_rcvid, 0, NULL, 0), -ESRCH);
	unboost();
}

/* --- copies that fault partway ------------------------------------------------ */

/* A page of ours with no page after it: buffers that start mapped and run
 * off its end fault after their first words (the kernel's short copies
 * go a word, or two, at a time: each step's fault is caught, and the
 * call ends as the fault's side decides). */
static char *edge_page;
#define EDGE(back) (edge_page + 4096 - (back))

static long edge_rcv_result;
static int edge_rcv_len;

/* A receiver whose buffer runs off the page: edge_rcv_len bytes at
 * EDGE(8) (16: its second word faults; 8 at EDGE(0): its first). */
static void *edge_receiver(void *arg)
{
	(void)arg;
	edge_rcv_result =
	    MsgReceive_r(chid, edge_rcv_len == 16 ? EDGE(8) : EDGE(0), edge_rcv_len, NULL);
	return NULL;
}

/* A receiver of a pulse whose 24-byte buffer runs off the page after
 * (long)arg bytes (8: its second word faults; 16: its third). */
static void *edge_pulse_receiver(void *arg)
{
	edge_rcv_result = MsgReceive_r(chid, EDGE((long)arg), 24, NULL);
	return NULL;
}

/* A client whose reply buffer runs off the page (16 bytes at EDGE(8)). */
static void *edge_reply_client(void *arg)
{
	struct msg16 m;
	(void)arg;
	fill(&m, 3);
	sent_result[3] = MsgSend_r(coid, &m, sizeof(m), EDGE(8), sizeof(m));
	return NULL;
}

/* Each side's buffer running off a page, on each copy a message and its
 * reply take: the faulting side gets EFAULT, the other goes on as if the
 * call had not been made (QNX: EFAULT, "a fault occurred when the kernel
 * tried to access the buffers provided", MsgSend, MsgReceive and MsgReply
 * in the QNX Neutrino C Library Reference). 30 points. */
static void faults_partway(void)
{
	struct msg16 m, r;

	edge_page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(edge_page != MAP_FAILED && munmap(edge_page + 4096, 4096) == 0);
	memset(edge_page, 0x5a, 4096);

	/* Our own message: 16 bytes (the second word faults), 24 (the
	 * third), 8 (the first). Nothing reaches the waiting receiver. */
	int s = tstart(waiting_server, NULL, 20);
	CHECK_EQ(state_of(me, s), ST_RECEIVE);
	CHECK_EQ(MsgSend_r(coid, EDGE(8), 16, &r, sizeof(r)), -EFAULT);
	CHECK_EQ(MsgSend_r(coid, EDGE(16), 24, &r, sizeof(r)), -EFAULT);
	CHECK_EQ(MsgSend_r(coid, EDGE(0), 8, &r, sizeof(r)), -EFAULT);
	/* The last page of the user half, ours: 16 bytes that cross its end
	 * (2^47) are refused whole. */
	char *top = mmap((void *)(USER_TOP - 4096), 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);
	CHECK(top == (char *)(USER_TOP - 4096));
	CHECK_EQ(MsgSend_r(coid, (void *)(USER_TOP - 8), 16, &r, sizeof(r)), -EFAULT);
	CHECK_EQ(state_of(me, s), ST_RECEIVE);
	/* ...then a good one, the 16 bytes that end there: received whole;
	 * the server thread ends without replying, so a TimerTimeout lets
	 * us go. */
	fill(&m, 9);
	memcpy(top + 4096 - 16, &m, sizeof(m));
	int tt = timeout_now(_NTO_TIMEOUT_REPLY);
	long sr = MsgSend_r(coid, top + 4096 - 16, 16, &r, sizeof(r));
	CHECK(tt == 0 && sr == -ETIMEDOUT);
	CHECK(tjoin(s) == 0 && tw_rcvid > 0 && tw_msg.n == 9 && !memcmp(&tw_msg, &m, sizeof(m)));
	munmap(top, 4096);
	CHECK_EQ(MsgReply_r(tw_rcvid, 0, NULL, 0), -ESRCH);
	unboost();

	/* A receiver's buffer: the second word (16 bytes at EDGE(8)), then
	 * the first (8 at EDGE(0)). It gets EFAULT; the client, SEND-blocked
	 * again, is received whole next. */
	for (int i = 0; i < 2; i++) {
		edge_rcv_len = i ? 8 : 16;
		s = tstart(edge_receiver, NULL, 20);
		int c = tstart(client, (void *)0, 19);
		CHECK(tjoin(s) == 0 && edge_rcv_result == -EFAULT);
		CHECK_EQ(state_of(me, c), ST_SEND);
		int rcvid = MsgReceive(chid, &m, sizeof(m), NULL);
		CHECK(rcvid > 0 && m.n == 0 && MsgReply(rcvid, 4, NULL, 0) == 0);
		CHECK(tjoin(c) == 0 && sent_result[0] == 4);
		unboost();
	}

	/* Our reply buffer, by MsgReply and by MsgReplyReceive: EFAULT,
	 * and the client is still REPLY-blocked for the good reply. */
	int c = tstart(client, (void *)1, 19);
	int rcvid = MsgReceive(chid, &m, sizeof(m), NULL);
	CHECK(rcvid > 0 && m.n == 1);
	CHECK_EQ(MsgReply_r(rcvid, 1, EDGE(8), 16), -EFAULT);
	CHECK_EQ(MsgReplyReceive_r(chid, rcvid, 1, EDGE(8), 16, &m, sizeof(m), NULL), -EFAULT);
	CHECK_EQ(state_of(me, c), ST_REPLY);
	answer(&m);
	CHECK_EQ(MsgReply(rcvid, 1, &m, sizeof(m)), 0);
	CHECK(tjoin(c) == 0 && sent_result[1] == 1 && got_reply[1].n == 2);
	unboost();

	/* A pulse into a receiver's buffer that runs off the page after
	 * its first word, then its second (the pulse's three, copied out
	 * in three moves on x86-64): the receiver gets EFAULT (the pulse is
	 * lost), the sender its 0. */
	for (long n = 8; n <= 16; n += 8) {
		s = tstart(edge_pulse_receiver, (void *)n, 20);
		CHECK(MsgSendPulse_r(coid, 20, 3, 7) == 0 && tjoin(s) == 0 &&
		      edge_rcv_result == -EFAULT);
		unboost();
	}

	/* A client's reply buffer: our reply succeeds, the client's
	 * MsgSend ends with EFAULT. */
	c = tstart(edge_reply_client, NULL, 19);
	rcvid = MsgReceive(chid, &m, sizeof(m), NULL);
	CHECK(rcvid > 0 && m.n == 3);
	CHECK_EQ(MsgReply(rcvid, 3, &m, sizeof(m)), 0);
	CHECK(tjoin(c) == 0 && sent_result[3] == -EFAULT);
	unboost();
	munmap(edge_page, 4096);
}

/* --- long messages --------------------------------------------------------------- */

#define LONG_MAX_BYTES (256 * 1024)
static char *long_in;	/* the receiving thread's buffer */
static size_t long_len; /* what it receives at most */
static long long_rcv;	/* its MsgReceive's result */
static struct _msg_info long_info;

/* Receive one message into long_in, then reply 0 (nothing back). */
static void *long_receiver(void *arg)
{
	(void)arg;
	long_rcv = MsgReceive_r(chid, long_in, long_len, &long_info);
	if (long_rcv > 0)
		MsgReply(long_rcv, 0, NULL, 0);
	return NULL;
}

/* A client of one long message from long_out, n bytes. */
static char *long_out;
static size_t long_n;
static long long_sent;

static void *long_client(void *arg)
{
	(void)arg;
	long_sent = MsgSend_r(coid, long_out, long_n, NULL, 0);
	return NULL;
}

static void pattern(char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)(i * 131 + seed + (i >> 12));
}

static int pattern_ok(const char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (char)(i * 131 + seed + (i >> 12)))
			return 0;
	return 1;
}

static int zeros(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Messages past IPC_SHORT from one buffer: the fast path hands them to
 * the receiver, which copies them from the sender's address space page
 * by page (a page table's run at a time). Every byte arrives, across a
 * 2 MiB boundary on both sides and past the copy's interrupt windows
 * (64 KiB), from page-aligned buffers, from buffers at one offset in
 * their pages (the copy ends partway into a page it follows on to) and
 * at two (no page is followed on to); a hole in the sender's buffer is
 * the sender's EFAULT (the receiver waits on), a read-only page in the
 * receiver's is the receiver's (the client waits on, SEND-blocked).
 * 19 points. */
static void long_messages(void)
{
	const size_t mib2 = 2 * 1024 * 1024;
	/* 4 MiB each, to find a 2 MiB boundary inside. */
	char *a = mmap(NULL, 2 * mib2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	char *b = mmap(NULL, 2 * mib2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(a != MAP_FAILED && b != MAP_FAILED);
	char *ab = (char *)(((uintptr_t)a + mib2 - 1) & ~(mib2 - 1));
	char *bb = (char *)(((uintptr_t)b + mib2 - 1) & ~(mib2 - 1));

	/* 64 KiB out across the boundary of a, into 64 KiB across b's at
	 * another offset; then 256 KiB (four interrupt windows); then 64 KiB
	 * less 5 bytes at 0x123 into their pages on both sides, and at 0x123
	 * and 0x456. */
	static const struct {
		size_t n, out_at, in_at;
	} longs[] = {{64 * 1024, 0, 0},
		     {LONG_MAX_BYTES, 0, 0},
		     {64 * 1024 - 5, 0x123, 0x123},
		     {64 * 1024 - 5, 0x123, 0x456}};
	for (int i = 0; i < 4; i++) {
		long_out = ab - 24 * 1024 + longs[i].out_at;
		long_in = bb - 40 * 1024 + longs[i].in_at;
		long_n = long_len = longs[i].n;
		pattern(long_out, long_n, 7 + i);
		memset(long_in, 0, long_len + 64); /* and 64 bytes past its end, */
		int r = tstart(long_receiver, NULL, 20);
		long sr = MsgSend_r(coid, long_out, long_n, NULL, 0);
		CHECK(sr == 0 && tjoin(r) == 0 && long_rcv > 0);
		CHECK(long_info.msglen == (long)long_n && pattern_ok(long_in, long_n, 7 + i) &&
		      zeros(long_in + long_n, 64)); /* which stay untouched */
		unboost();
	}

	/* A hole in our message's middle page: our EFAULT; the receiver,
	 * given nothing, waits on and takes the next message whole. */
	long_n = long_len = 3 * 4096;
	long_out = ab - 4096;
	pattern(long_out, long_n, 3);
	CHECK_EQ(munmap(long_out + 4096, 4096), 0);
	int r = tstart(long_receiver, NULL, 20);
	CHECK_EQ(MsgSend_r(coid, long_out, long_n, NULL, 0), -EFAULT);
	CHECK_EQ(state_of(me, r), ST_RECEIVE);
	long_out = bb + 8192;
	pattern(long_out, long_n, 4);
	CHECK(MsgSend_r(coid, long_out, long_n, NULL, 0) == 0 && tjoin(r) == 0);
	CHECK(long_rcv > 0 && pattern_ok(long_in, long_n, 4));
	unboost();

	/* A read-only middle page in the receiver's buffer: its EFAULT;
	 * the client is SEND-blocked again, and received whole next. */
	long_in = ab + 3 * 4096;
	CHECK_EQ(mprotect(long_in + 4096, 4096, PROT_READ), 0);
	r = tstart(long_receiver, NULL, 20);
	long_out = bb + 8192;
	pattern(long_out, long_n, 5);
	int c = tstart(long_client, NULL, 19);
	CHECK(tjoin(r) == 0 && long_rcv == -EFAULT);
	CHECK_EQ(state_of(me, c), ST_SEND);
	static char whole[3 * 4096];
	int rcvid = MsgReceive(chid, whole, sizeof(whole), NULL);
	CHECK(rcvid > 0 && pattern_ok(whole, long_n, 5) && MsgReply(rcvid, 0, NULL, 0) == 0);
	CHECK(tjoin(c) == 0 && long_sent == 0);
	unboost();
	munmap(a, 2 * mib2);
	munmap(b, 2 * mib2);
}

/* --- replies held for the next receive ------------------------------------- */

/* Who ran, in order; the thread that makes it hwant long sends the
 * pulse that ends our wait. */
static char horder[8];
static volatile int nhorder, hwant;

static void hmark(char who)
{
	horder[nhorder++] = who;
	if (nhorder == hwant)
		MsgSendPulse(coid, -1, 8, 0);
}

static void *held_client(void *arg)
{
	struct msg16 m;

	fill(&m, 5);
	MsgSend(coid, &m, sizeof(m), NULL, 0);
	hmark((char)(uintptr_t)arg);
	return NULL;
}

static void *held_marker(void *arg)
{
	hmark((char)(uintptr_t)arg);
	return NULL;
}

/* Wait for the pulse of the hwant'th mark; the order it saw. */
static const char *hwait(int want)
{
	struct _pulse p;

	hwant = want;
	if (MsgReceive(chid, &p, sizeof(p), NULL) != 0 || p.code != 8)
		return "no pulse";
	horder[nhorder] = 0;
	nhorder = 0;
	return horder;
}

/* MsgReply to a client that does not outrank us makes it READY, and
 * when we block next (our receive), the scheduler's pick runs: the
 * highest READY thread, the first readied among equals (QNX: a thread
 * made READY goes to the end of its priority's queue; "Scheduling
 * policies", System Architecture). On one CPU the fast path holds such a
 * client out of the run queue for our next receive (sched_ready_held);
 * these are the cases where that receive must not simply run it, and
 * the calls between that must find it queued. ipc.slow runs the same
 * points on the generic path. 7 points. */
static void held_replies(void)
{
	struct ker_info_counts before = counts();
	struct msg16 m;

	/* Equals: X was READY before A and B were replied to. */
	int a = tstart(held_client, (void *)'A', 15), b = tstart(held_client, (void *)'B', 15);
	int ra = MsgReceive(chid, &m, sizeof(m), NULL), rb = MsgReceive(chid, &m, sizeof(m), NULL);
	int x = tready(held_marker, (void *)'X', 15);
	MsgReply(ra, 0, NULL, 0);
	MsgReply(rb, 0, NULL, 0);
	const char *o = hwait(3);
	if (!CHECK(ra > 0 && rb > 0 && x > 0 && !strcmp(o, "XAB")))
		printf("#   order %s\n", o);
	CHECK(tjoin(a) == 0 && tjoin(b) == 0 && ThreadJoin(x, NULL) == 0);
	unboost();

	/* Below the client: it runs first. */
	int c = tstart(held_client, (void *)'C', 15);
	int rc = MsgReceive(chid, &m, sizeof(m), NULL);
	int y = tready(held_marker, (void *)'Y', 12);
	MsgReply(rc, 0, NULL, 0);
	o = hwait(2);
	if (!CHECK(rc > 0 && !strcmp(o, "CY") && tjoin(c) == 0 && ThreadJoin(y, NULL) == 0))
		printf("#   order %s\n", o);
	unboost();

	/* Above the client (we run above both): Z first. */
	set_self_prio(20);
	c = tstart(held_client, (void *)'C', 12); /* READY: sends when we wait */
	rc = MsgReceive(chid, &m, sizeof(m), NULL);
	int z = tready(held_marker, (void *)'Z', 14);
	MsgReply(rc, 0, NULL, 0);
	o = hwait(2);
	if (!CHECK(rc > 0 && !strcmp(o, "ZC") && tjoin(c) == 0 && ThreadJoin(z, NULL) == 0))
		printf("#   order %s\n", o);
	set_self_prio(MAIN_PRIO);

	/* Raised above us after the reply: it runs before SchedSet returns. */
	c = tstart(held_client, (void *)'C', 15);
	rc = MsgReceive(chid, &m, sizeof(m), NULL);
	MsgReply(rc, 0, NULL, 0);
	struct sched_param sp = {.sched_priority = 16};
	hwant = 0;
	int set = SchedSet_r(0, c, SCHED_NOCHANGE, &sp);
	horder[nhorder++] = 'M';
	horder[nhorder] = 0;
	nhorder = 0;
	if (!CHECK(rc > 0 && set == 0 && !strcmp(horder, "CM") && tjoin(c) == 0))
		printf("#   order %s\n", horder);
	unboost();

	/* Destroyed after the reply, before it ran. */
	c = tstart(held_client, (void *)'C', 15);
	rc = MsgReceive(chid, &m, sizeof(m), NULL);
	MsgReply(rc, 0, NULL, 0);
	int d = ThreadDestroy_r(c, -1, NULL);
	CHECK(rc > 0 && d == 0 && tjoin(c) == 0 && nhorder == 0);
	unboost();
	struct ker_info_counts after = counts();
	CHECK(after.threads == before.threads && after.pulses == before.pulses);
}

/* --- pulses and yields ------------------------------------------------------- */

#define P_QUIT 100
static volatile int pgot, pcode, pvalue, pprio;

/* Takes pulses on channel chid until P_QUIT, each to took(). */
static void *take_pulses(int chid, void (*took)(const struct _pulse *))
{
	struct _pulse p;

	for (;;) {
		if (MsgReceive(chid, &p, sizeof(p), NULL) != 0)
			return (void *)1;
		if (p.code == P_QUIT)
			return NULL;
		took(&p);
	}
}

static void record_pulse(const struct _pulse *p)
{
	pcode = p->code;
	pvalue = p->value.sival_int;
	pprio = cur_prio();
	pgot++;
}

/* Takes pulses on the channel arg until P_QUIT, recording the last. */
static void *pulse_taker(void *arg)
{
	return take_pulses((int)(long)arg, record_pulse);
}

static char yorder[8];
static volatile int nyorder, ybad; /* ybad: a yield that did not return 0 */

static void *yield_peer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		yorder[nyorder++] = 'Y';
		ybad |= SchedYield();
	}
	return NULL;
}

/* http://www.qnx.com/developers/docs/7.1/#com.qnx.doc.neutrino.lib_ref/topic/m/msgsendpulse.html
 * (the receiver runs at the pulse's priority) and .../s/schedyield.html
 * (the caller goes to the end of its priority's ready queue). 20 points. */
static void pulses_and_yields(int fast)
{
	int ch = ChannelCreate(0), fch = ChannelCreate(_NTO_CHF_FIXED_PRIORITY);
	int co = ConnectAttach(0, 0, ch, _NTO_SIDE_CHANNEL, 0);
	int fco = ConnectAttach(0, 0, fch, _NTO_SIDE_CHANNEL, 0);
	int r = tstart(pulse_taker, (void *)(long)ch, 20); /* waits in RECEIVE */
	uint64_t f0 = counts().ipc_fast;

	/* Above us (15 > MAIN_PRIO): it has the pulse before we go on. */
	CHECK(MsgSendPulse(co, 15, 3, 33) == 0 && pgot == 1 && pcode == 3 && pvalue == 33 &&
	      pprio == 15);
	CHECK_EQ(state_of(me, r), ST_RECEIVE);
	/* Our MsgSendPulse and its MsgReceive: the fast path's, when on. */
	CHECK(fast ? counts().ipc_fast - f0 >= 2 : counts().ipc_fast == 0);

	/* Below us, and equal: READY with it until we let it run. */
	CHECK(MsgSendPulse(co, 5, 4, 44) == 0 && pgot == 1 && state_of(me, r) == ST_READY);
	set_self_prio(4);
	CHECK(pgot == 2 && pcode == 4 && pprio == 5);
	set_self_prio(MAIN_PRIO);
	CHECK(MsgSendPulse(co, MAIN_PRIO, 5, 55) == 0 && pgot == 2 && state_of(me, r) == ST_READY);
	set_self_prio(MAIN_PRIO - 1);
	CHECK(pgot == 3 && pcode == 5 && pprio == MAIN_PRIO);
	set_self_prio(MAIN_PRIO);

	/* The connection, priority and code read as ints (raw5's HIGH): the
	 * same pulse. */
	CHECK(raw5(__KER_KerMsgSendPulse, HIGH(co), HIGH(15), HIGH(7), 77, 0) == 0 && pgot == 4 &&
	      pcode == 7 && pvalue == 77 && pprio == 15);

	/* Bad arguments with a receiver waiting: the errors, nothing sent. */
	CHECK_EQ(MsgSendPulse_r(co, 15, _PULSE_CODE_MAXAVAIL + 1, 0), -EINVAL);
	CHECK_EQ(MsgSendPulse_r(co, 256, 3, 0), -EINVAL);
	CHECK(MsgSendPulse_r(4321, 15, 3, 0) == -EBADF && pgot == 4 &&
	      state_of(me, r) == ST_RECEIVE);

	/* Priorities the fast path leaves to the generic one (it takes 1 to
	 * 63, which any receiver inherits as they are): 0, the receiver's
	 * own (20), and 64, which is 63 for a receiver without the priority
	 * ability (test_core has that cap); both run it before we go on. */
	uint64_t mine = 0;
	int capped = ProcAbilities_r(0, NULL, &mine) == 0 && !(mine & _NTO_ABILITY_PRIORITY);
	CHECK(MsgSendPulse(co, 0, 8, 88) == 0 && pgot == 5 && pcode == 8 && pprio == 20);
	CHECK(MsgSendPulse(co, 64, 9, 99) == 0 && pgot == 6 && pcode == 9 &&
	      pprio == (capped ? 63 : 64));
	CHECK(MsgSendPulse(co, 15, P_QUIT, 0) == 0 && tjoin(r) == 0);

	/* A fixed-priority channel's receiver keeps its 20: a pulse at 1
	 * still runs it before we go on. */
	r = tstart(pulse_taker, (void *)(long)fch, 20);
	CHECK(MsgSendPulse(fco, 1, 6, 66) == 0 && pgot == 7 && pcode == 6 && pprio == 20);
	CHECK(MsgSendPulse(fco, 1, P_QUIT, 0) == 0 && tjoin(r) == 0);

	/* Yields between equals: each goes behind the other, in turn. */
	f0 = counts().ipc_fast;
	int y = tstart(yield_peer, NULL, MAIN_PRIO); /* READY behind us */
	for (int i = 0; i < 3; i++) {
		yorder[nyorder++] = 'M';
		ybad |= SchedYield();
	}
	CHECK(nyorder == 6 && !memcmp(yorder, "MYMYMY", 6) && ybad == 0);
	CHECK(fast ? counts().ipc_fast - f0 >= 6 : counts().ipc_fast == 0);
	CHECK(tjoin(y) == 0 && nyorder == 6);
	/* Alone at our priority: back at once, nothing else ran. */
	CHECK(SchedYield() == 0 && nyorder == 6);

	ConnectDetach(co);
	ConnectDetach(fco);
	ChannelDestroy(ch);
	ChannelDestroy(fch);
}

/* --- senders a pulse preempted ------------------------------------------- */

#define HP_MARK	   1 /* mark 'R' */
#define HP_READY_H 2 /* mark 'R', and a pulse at 12 to the thread on hp_h_chid */
#define HP_GENERIC 3 /* mark 'R', then a call the generic path takes */
static int hp_h_co;

static void mark_pulse(const struct _pulse *p)
{
	struct sched_param sp;

	hmark('R');
	if (p->code == HP_READY_H)
		MsgSendPulse(hp_h_co, 12, 1, 0);
	else if (p->code == HP_GENERIC)
		SchedGet(0, 0, &sp);
}

/* Takes pulses on the channel arg, marking each (hmark), until P_QUIT. */
static void *hp_receiver(void *arg)
{
	return take_pulses((int)(long)arg, mark_pulse);
}

/* Waits for one pulse on the channel arg, then marks 'H'. */
static void *hp_h(void *arg)
{
	struct _pulse p;

	if (MsgReceive((int)(long)arg, &p, sizeof(p), NULL) != 0)
		return (void *)1;
	hmark('H');
	return NULL;
}

/* Our pulse to a receiver above us preempts us: we wait READY at the
 * head of our priority's queue, before the threads of our priority that
 * were READY already, behind any above us (QNX: a preempted thread stays
 * at the head of its queue; "Scheduling policies", System Architecture).
 * On one CPU the fast path holds us out of the run queue for the
 * receiver's next block (switch.h's sched_preempt_hand_over); these
 * check that block and a call between. After each pulse we mark 'M',
 * then drop below everyone for the others to run. 5 points. */
static void held_pulses(void)
{
	struct ker_info_counts before = counts();
	int ch = ChannelCreate(0), hch = ChannelCreate(0);
	int co = ConnectAttach(0, 0, ch, _NTO_SIDE_CHANNEL, 0);
	hp_h_co = ConnectAttach(0, 0, hch, _NTO_SIDE_CHANNEL, 0);
	int r = tstart(hp_receiver, (void *)(long)ch, 20); /* waits in RECEIVE */
	static const struct {
		int code;
		const char *want;
	} cases[] = {
	    {HP_MARK, "RME"},	 /* its next receive: us, then our equal */
	    {HP_READY_H, "RHM"}, /* H (12) readied meanwhile: H, then us */
	    {HP_GENERIC, "RME"}, /* a call between queues us at the head */
	};
	hwant = 0; /* (no mark sends a pulse) */
	for (int i = 0; i < 3; i++) {
		int h = cases[i].code == HP_READY_H ? tstart(hp_h, (void *)(long)hch, 11) : 0;
		int e =
		    cases[i].code == HP_READY_H ? 0 : tready(held_marker, (void *)'E', MAIN_PRIO);
		nhorder = 0;
		int sent = MsgSendPulse_r(co, 15, cases[i].code, 0);
		horder[nhorder++] = 'M';
		set_self_prio(1);
		set_self_prio(MAIN_PRIO);
		horder[nhorder] = 0;
		int joined = h ? tjoin(h) == 0 : ThreadJoin(e, NULL) == 0;
		if (!CHECK(sent == 0 && joined && !strcmp(horder, cases[i].want)))
			printf("#   case %d: order %s, not %s\n", i, horder, cases[i].want);
	}
	CHECK(MsgSendPulse(co, 15, P_QUIT, 0) == 0 && tjoin(r) == 0);
	ConnectDetach(co);
	ConnectDetach(hp_h_co);
	ChannelDestroy(ch);
	ChannelDestroy(hch);
	struct ker_info_counts after = counts();
	CHECK(after.threads == before.threads && after.pulses == before.pulses);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "peer"))
		return peer(atoi(argv[2]));
	one_cpu();
	me = getpid();
	tap_plan(6 + 6 + 2 + 19 + 3 + 7 + 17 + 30 + 19 + 20 + 5 + 1);
	set_self_prio(MAIN_PRIO);
	struct ker_info_counts base = counts();
	int fast = base.ipc_fast > 0; /* the boot's IPC went through it, or none did */
	int smp = base.cpus > 1;
	printf("# fast path %s, %s\n", fast ? "on" : "off", smp ? "several CPUs" : "one CPU");

	serve_peer(0);
	serve_peer(1);
	struct ker_info_counts now = counts();
	/* Each round: the peer's send, our reply and receive (or the fused
	 * call), all common cases. */
	CHECK(fast ? now.ipc_fast - base.ipc_fast >= 4 * ROUNDS : now.ipc_fast == 0);
	CHECK(now.processes == base.processes);

	chid = ChannelCreate(0);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	reply_receive_rules();
	order_among_equals();
	held_replies();
	handed_on();
	faults_partway();
	long_messages();
	pulses_and_yields(fast);
	held_pulses();
	ConnectDetach(coid);
	ChannelDestroy(chid);
	now = counts();
	CHECK(now.channels == base.channels && now.connections == base.connections &&
	      now.pulses == base.pulses && now.threads == base.threads);
	return tap_done();
}
