/*
 * Message passing between processes, and what death and destruction do
 * (QNX semantics). pid 1 (this program, privileged) starts tests/user/
 * msgpeer.c in various roles with proc_spawn and ends them with
 * ProcDestroy:
 *  - data copied between address spaces: a 70,000-byte 3-part message
 *    read with MsgRead, 70,000 bytes written back with MsgWrite into a
 *    2-part reply area, checked on both sides;
 *  - server death: the client REPLY-blocked on it (KerInfo: REPLY, on the
 *    server's pid) and the one SEND-blocked both fail with ESRCH; their
 *    coids then give EBADF until detached;
 *  - client death (_NTO_CHF_DISCONNECT): killed while REPLY-blocked or
 *    SEND-blocked, it leaves only the DISCONNECT pulse (its message is
 *    gone from the queue, its rcvid gives ESRCH); the scoid stays for
 *    ConnectClientInfo until the server ConnectDetach()es it; the same by
 *    detaching every connection (one pulse, none more at exit) and by
 *    exiting with connections attached; a client death cycle leaves the
 *    page, thread and process counts as they were;
 *  - scoids: one per client process and server; a client that connects
 *    again before the server let go of the DISCONNECT pulse's scoid gets
 *    a new one, and the old one's ConnectDetach leaves it be; without
 *    _NTO_CHF_DISCONNECT the scoid goes with the last connection; a
 *    flood of connections keeps only the scoids of the DISCONNECT pulses
 *    the channel could hold;
 *  - ChannelDestroy readies the SEND- and REPLY-blocked threads with
 *    ESRCH (and the RECEIVE-blocked one: see below);
 *  - _NTO_CHF_COID_DISCONNECT: COIDDEATH (value = coid) when a server our
 *    connection goes to dies, or its channel is destroyed; a second such
 *    channel is EBUSY;
 *  - _NTO_CHF_THREAD_DEATH: THREADDEATH (value = tid) when one of our
 *    threads ends; a second such channel is EBUSY.
 * The main thread runs SCHED_FIFO at 5, children and threads above it.
 *
 * Kernel behaviour assumed beyond the text: a thread RECEIVE-
 * blocked on a channel being destroyed gets ESRCH (ChannelDestroy(): "any
 * threads that are blocked on the channel ... will be unblocked and return
 * with an error"); ConnectClientInfo on a scoid the server has detached
 * fails (ESRCH or EINVAL accepted); COIDDEATH also comes for our own
 * connection to a channel of ours we destroy (QNX: "a pulse whenever any
 * connection owned by this process is terminated due to the channel on the
 * other end going away"; the kernel now skips the destroying process's
 * own connections); kernel pulses are queued at priority 1 or above
 * (msgtest.h's poll_item); the DISCONNECT pulse comes when the last
 * connection goes even if the client never sent anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "onecpu.h"
#include "../../proc/proc.h"
#include "msgpeer.h"
#include "msgtest.h"

#define MAIN_PRIO    5
#define CHILD_PRIO   8
#define EXITED(code) ((code) << 8)

static struct ifs fs;
static int p_chid, p_coid; /* where children report */

/* Start msgpeer MODE with our chid and an optional extra argument. */
static pid_t peer(const char *mode, int chid, const char *extra)
{
	char c[16];
	snprintf(c, sizeof(c), "%d", chid);
	char *argv[] = {"msgpeer", (char *)mode, c, (char *)extra, NULL};
	pid_t pid = proc_spawn_abilities(&fs, "msgpeer", argv, NULL, CHILD_PRIO, SCHED_FIFO,
					 _NTO_ABILITY_PUBLIC_CHANNEL);
	if (pid < 0)
		printf("# spawn msgpeer %s: error %d\n", mode, -pid);
	return pid;
}

/* Kill a child and collect it; 1 if that went as it should. */
static int kill_child(pid_t pid)
{
	int st;
	return ProcDestroy_r(pid, 9) == 0 && ProcWait_r(pid, &st) == pid;
}

static int wait_child(pid_t pid)
{
	int st = -1;
	if (ProcWait_r(pid, &st) != pid)
		return -1;
	return st;
}

/* --- data between address spaces ------------------------------------------------ */

static unsigned char big[BIG_A + BIG_B], back[BIG_R1 + BIG_R2];

static void big_copy(void) /* 7 points */
{
	struct big_hdr h;
	struct _msg_info info;

	pid_t pid = peer("bigsend", p_chid, NULL);
	int rcvid = MsgReceive_r(p_chid, &h, sizeof(h), &info);
	CHECK(rcvid > 0 && info.pid == pid && h.magic == BIG_MAGIC && h.len == BIG_A + BIG_B);
	CHECK(info.msglen == sizeof(h) && info.srcmsglen == sizeof(h) + BIG_A + BIG_B &&
	      info.dstmsglen == BIG_R1 + BIG_R2);
	CHECK_EQ(MsgRead_r(rcvid, big, sizeof(big), sizeof(h)), BIG_A + BIG_B);
	int same = 1;
	for (size_t i = 0; i < sizeof(big); i++)
		same &= big[i] == big_send_byte(i);
	CHECK(same);
	for (size_t i = 0; i < sizeof(back); i++)
		back[i] = big_reply_byte(i);
	CHECK_EQ(MsgWrite_r(rcvid, back, sizeof(back), 0), BIG_R1 + BIG_R2);
	CHECK_EQ(MsgReply_r(rcvid, BIG_STATUS, NULL, 0), 0);
	CHECK_EQ(wait_child(pid), EXITED(0)); /* it checked what we wrote */
}

/* --- server death ------------------------------------------------------------------- */

/* A msgpeer server: its pid and the chid it reported. */
static pid_t start_server(int *chid)
{
	struct _msg_info info;
	pid_t pid = peer("server", p_chid, NULL);
	*chid = -1;
	int rcvid = MsgReceive_r(p_chid, chid, sizeof(*chid), &info);
	if (rcvid <= 0 || info.pid != pid) {
		printf("# server %d did not report (rcvid %d)\n", pid, rcvid);
		return -1;
	}
	MsgReply_r(rcvid, 0, NULL, 0);
	unboost();
	return pid;
}

struct remote_call {
	pid_t pid;
	int chid;
	int coid;
	long result;
};

static void *call_remote(void *arg)
{
	struct remote_call *c = arg;
	c->coid = ConnectAttach_r(0, c->pid, c->chid, _NTO_SIDE_CHANNEL, 0);
	c->result = MsgSend_r(c->coid, "ping", 5, NULL, 0);
	return NULL;
}

static void server_death(void) /* 10 points */
{
	int chid;
	pid_t pid = start_server(&chid);
	CHECK(pid > 0 && chid > 0);
	struct remote_call c1 = {pid, chid, -1, 1}, c2 = {pid, chid, -1, 1};
	int t1 = tstart(call_remote, &c1, 12); /* taken and held */
	int t2 = tstart(call_remote, &c2, 12); /* queued */
	CHECK_STATE(MYPID, t1, ST_REPLY, pid);
	CHECK_STATE(MYPID, t2, ST_SEND, NO_ON);
	CHECK_STATE(pid, 1, ST_RECEIVE, NO_ON); /* waiting on its second channel */

	CHECK(kill_child(pid));
	CHECK(tjoin(t1) == 0 && tjoin(t2) == 0);
	CHECK(c1.result == -ESRCH && c2.result == -ESRCH);
	if (c1.result != -ESRCH || c2.result != -ESRCH)
		printf("#   REPLY-blocked got %ld, SEND-blocked got %ld\n", c1.result, c2.result);
	CHECK(MsgSend_r(c1.coid, "x", 1, NULL, 0) == -EBADF &&
	      MsgSendPulse_r(c2.coid, 10, 1, 1) == -EBADF);
	CHECK(ConnectDetach_r(c1.coid) == 0 && ConnectDetach_r(c2.coid) == 0);
	CHECK_EQ(ConnectAttach_r(0, pid, chid, _NTO_SIDE_CHANNEL, 0), -ESRCH);
}

/* --- client death and DISCONNECT -------------------------------------------------- */

static int d_chid, d_coid; /* _NTO_CHF_DISCONNECT; d_coid for polling */

static int is_disconnect(const struct item *it)
{
	return it->rcvid == 0 && it->u.p.code == _PULSE_CODE_DISCONNECT;
}

/* Killed while REPLY-blocked: the DISCONNECT pulse and nothing else. */
static void client_death_reply_blocked(void) /* 9 points */
{
	struct _msg_info info;
	struct _client_info ci;
	char buf[16];

	pid_t pid = peer("client", d_chid, NULL);
	int rcvid = MsgReceive_r(d_chid, buf, sizeof(buf), &info);
	CHECK(rcvid > 0 && info.pid == pid && !strcmp(buf, "hello"));
	CHECK_STATE(pid, 1, ST_REPLY, MYPID);
	CHECK(kill_child(pid));

	struct item it = poll_item(d_chid, d_coid);
	CHECK(is_disconnect(&it) && it.u.p.scoid == info.scoid);
	CHECK_EQ(poll_item(d_chid, d_coid).rcvid, NOTHING);
	CHECK(MsgReply_r(rcvid, 0, NULL, 0) == -ESRCH && MsgRead_r(rcvid, buf, 4, 0) == -ESRCH);

	memset(&ci, 0, sizeof(ci));
	CHECK(ConnectClientInfo_r(info.scoid, &ci, 0) == 0 && ci.pid == pid && ci.nd == 0);
	CHECK(ConnectDetach_r(info.scoid) == 0);
	int r = ConnectClientInfo_r(info.scoid, &ci, 0);
	CHECK(r == -ESRCH || r == -EINVAL);
}

/* Killed while SEND-blocked: its message leaves the queue. */
static void client_death_send_blocked(void) /* 5 points */
{
	struct _client_info ci;

	pid_t pid = peer("client", d_chid, NULL);
	CHECK_STATE(pid, 1, ST_SEND, NO_ON);
	CHECK(kill_child(pid));
	struct item it = poll_item(d_chid, d_coid);
	CHECK(is_disconnect(&it));
	if (!is_disconnect(&it))
		printf("#   got rcvid %d code %d\n", it.rcvid, it.u.p.code);
	CHECK_EQ(poll_item(d_chid, d_coid).rcvid, NOTHING);
	memset(&ci, 0, sizeof(ci));
	CHECK(ConnectClientInfo_r(it.u.p.scoid, &ci, 0) == 0 && ci.pid == pid &&
	      ConnectDetach_r(it.u.p.scoid) == 0);
}

/* Everything queued on the DISCONNECT channel, as a string of codes:
 * 'D' for DISCONNECT, '0' + code for user pulses, 'M' for a message
 * (failed with EIO); *scoid gets the first scoid and *same whether all
 * items had it. */
static void collect(char *out, size_t size, int *scoid, int *same)
{
	size_t n = 0;
	*same = 1;
	*scoid = -1;
	for (;;) {
		struct item it = poll_item(d_chid, d_coid);
		if (it.rcvid == NOTHING || it.rcvid < 0)
			break;
		if (it.rcvid > 0)
			MsgError_r(it.rcvid, EIO);
		int sc = it.rcvid > 0 ? it.info.scoid : it.u.p.scoid;
		if (*scoid == -1)
			*scoid = sc;
		*same &= sc == *scoid;
		if (n + 1 < size)
			out[n++] = it.rcvid > 0		? 'M'
				   : is_disconnect(&it) ? 'D'
							: (char)('0' + it.u.p.code);
	}
	out[n] = 0;
}

/* Sorted, so that the order kernel and user pulses of possibly different
 * priorities came in does not matter. */
static void sort(char *s)
{
	for (size_t i = 0; s[i]; i++)
		for (size_t j = i + 1; s[j]; j++)
			if (s[j] < s[i]) {
				char t = s[i];
				s[i] = s[j];
				s[j] = t;
			}
}

/* Both connections detached: one DISCONNECT; none more at exit. */
static void disconnect_by_detach(void) /* 5 points */
{
	char got[16], g[16];
	int scoid, same, gate = ChannelCreate(_NTO_CHF_FIXED_PRIORITY);

	snprintf(g, sizeof(g), "%d", gate);
	pid_t pid = peer("detach", d_chid, g); /* ends waiting at the gate */
	CHECK_STATE(pid, 1, ST_SEND, NO_ON);
	collect(got, sizeof(got), &scoid, &same);
	sort(got);
	CHECK(!strcmp(got, "12D") && same);
	if (strcmp(got, "12D"))
		printf("#   got %s, want 1 2 D\n", got);
	int rcvid = MsgReceive_r(gate, NULL, 0, NULL);
	CHECK(rcvid > 0 && MsgReply_r(rcvid, 0, NULL, 0) == 0 && wait_child(pid) == EXITED(0));
	int scoid2;
	collect(got, sizeof(got), &scoid2, &same);
	CHECK_EQ(got[0], 0); /* nothing from its exit */
	CHECK_EQ(ConnectDetach_r(scoid), 0);
	ChannelDestroy(gate);
}

/* Exiting with connections still attached: one DISCONNECT. */
static void disconnect_by_exit(void) /* 3 points */
{
	char got[16];
	int scoid, same;
	struct _client_info ci;

	pid_t pid = peer("exit", d_chid, NULL);
	CHECK_EQ(wait_child(pid), EXITED(0));
	collect(got, sizeof(got), &scoid, &same);
	sort(got);
	CHECK(!strcmp(got, "3D") && same);
	if (strcmp(got, "3D"))
		printf("#   got %s, want 3 D\n", got);
	CHECK(ConnectClientInfo_r(scoid, &ci, 0) == 0 && ci.pid == pid &&
	      ConnectDetach_r(scoid) == 0);
}

/* One client killed while REPLY-blocked and cleaned up after; 1 if
 * everything went as it should. */
static int client_death_cycle(void)
{
	char buf[16];
	struct _msg_info info;
	pid_t pid = peer("client", d_chid, NULL);
	int rcvid = MsgReceive_r(d_chid, buf, sizeof(buf), &info);
	int ok = rcvid > 0 && kill_child(pid);
	struct item it = poll_item(d_chid, d_coid);
	ok &= is_disconnect(&it) && poll_item(d_chid, d_coid).rcvid == NOTHING;
	ok &= ConnectDetach_r(info.scoid) == 0;
	return ok;
}

static void death_leaves_nothing(void) /* 4 points */
{
	client_death_cycle(); /* warm the caches */
	struct ker_info_counts before = counts();
	CHECK(client_death_cycle());
	struct ker_info_counts after = counts();
	CHECK_EQ(after.free_pages, before.free_pages);
	CHECK_EQ(after.threads, before.threads);
	CHECK_EQ(after.processes, before.processes);
}

/* --- scoids ------------------------------------------------------------------------- */

/* The pid ConnectClientInfo gives for scoid, or its error. */
static int client_pid(int scoid)
{
	struct _client_info ci;

	memset(&ci, 0, sizeof(ci));
	int r = ConnectClientInfo_r(scoid, &ci, 0);
	return r < 0 ? r : ci.pid;
}

/* QNX's ChannelCreate: with _NTO_CHF_DISCONNECT the server must
 * ConnectDetach() the scoid of the DISCONNECT pulse ("Failure to do so
 * leaves an invalid server connection ID that can't be reused"), so a
 * client that connects again before then gets a new scoid; without the
 * flag "the kernel removes the server connection ID automatically". All
 * of a client's connections to one server carry one scoid, which a
 * server's early ConnectDetach leaves to them. 13 points. */
static void scoids(void)
{
	int x = ChannelCreate(0), kx = ConnectAttach(0, 0, x, _NTO_SIDE_CHANNEL, 0);
	int s[5] = {-1, -1, -1, -1, -1}, disc[2] = {-1, -1}, nd = 0;
	struct item it;
	char c[16];

	/* msgpeer "reconnect": pulses 1 (d_chid) and 2 (x), both detached;
	 * 3 through a new connection to d_chid, 4 through one to x. It runs
	 * above us, so all is queued when it has ended. */
	snprintf(c, sizeof(c), "%d", x);
	pid_t pid = peer("reconnect", d_chid, c);
	CHECK_EQ(wait_child(pid), EXITED(0));
	for (int on_x = 0; on_x < 2; on_x++) /* all queued on d_chid, then on x */
		while ((it = poll_item(on_x ? x : d_chid, on_x ? kx : d_coid)).rcvid == 0)
			if (it.u.p.code == _PULSE_CODE_DISCONNECT && nd < 2)
				disc[nd++] = it.u.p.scoid;
			else if (it.u.p.code >= 1 && it.u.p.code <= 4)
				s[it.u.p.code] = it.u.p.scoid;
	CHECK(s[1] > 0 && s[2] == s[1] && disc[0] == s[1]); /* one server, one scoid */
	CHECK(s[3] > 0 && s[3] != s[1] && disc[1] == s[3]);
	if (s[3] == s[1])
		printf("#   connected again before we let go, it had the old scoid %#x\n", s[1]);
	CHECK(client_pid(s[1]) == pid && client_pid(s[3]) == pid);
	/* Letting the old one go leaves the new one as it was. */
	CHECK(ConnectDetach_r(s[1]) == 0 && client_pid(s[1]) == -ESRCH);
	CHECK(client_pid(s[3]) == pid && ConnectDetach_r(s[3]) == 0 && client_pid(s[3]) == -ESRCH);
	/* x has no DISCONNECT flag: the kernel let that one go itself. */
	CHECK(s[4] > 0 && s[4] != s[1] && s[4] != s[3]);
	CHECK(client_pid(s[4]) == -ESRCH && ConnectDetach_r(s[4]) == -EINVAL);
	CHECK_EQ(poll_item(x, kx).rcvid, NOTHING);

	/* Our own connection to our own channel: we let its scoid go while it
	 * is connected, and it stays, ours. */
	CHECK_EQ(MsgSendPulse_r(kx, MAIN_PRIO, 5, 0), 0);
	it = poll_item(x, kx);
	CHECK(it.rcvid == 0 && it.u.p.code == 5 && client_pid(it.u.p.scoid) == getpid());
	int self = it.u.p.scoid;
	CHECK(ConnectDetach_r(self) == 0 && client_pid(self) == getpid());
	CHECK(MsgSendPulse_r(kx, MAIN_PRIO, 6, 0) == 0 && (it = poll_item(x, kx)).rcvid == 0 &&
	      it.u.p.code == 6 && it.u.p.scoid == self);
	drain(x, kx); /* poll_item's marker */
	ConnectDetach(kx);
	ChannelDestroy(x);
}

/* A client connecting and detaching FLOOD times while we do not
 * receive: our DISCONNECT channel holds as many DISCONNECT pulses as its
 * kernel-pulse allowance (KERNEL_PULSES), each naming a scoid kept for
 * us; the later ones were dropped, and their scoids went at once (nobody
 * was told of them), so the flood never ran out our 2,048 scoids. 5
 * points. */
#define FLOOD	      2100
#define KERNEL_PULSES 1024
static void scoid_flood(void)
{
	struct ker_info_counts before = counts();
	int n = 0, named = 0, detached = 0, last = -1, distinct = 1;
	struct item it;
	char c[16];

	snprintf(c, sizeof(c), "%d", FLOOD);
	pid_t pid = peer("flood", d_chid, c);
	CHECK_EQ(wait_child(pid), EXITED(0)); /* every ConnectAttach went through */
	while ((it = poll_item(d_chid, d_coid)).rcvid == 0) {
		if (it.u.p.code != _PULSE_CODE_DISCONNECT)
			continue;
		n++;
		named += client_pid(it.u.p.scoid) == pid;
		distinct &= it.u.p.scoid != last;
		last = it.u.p.scoid;
		detached += ConnectDetach_r(it.u.p.scoid) == 0;
	}
	CHECK_EQ(n, KERNEL_PULSES);
	CHECK(named == n && detached == n && distinct);
	struct ker_info_counts after = counts();
	CHECK(after.pulses == before.pulses && after.connections == before.connections);
	CHECK_EQ(after.pulses_dropped - before.pulses_dropped, FLOOD - KERNEL_PULSES);
}

/* --- ChannelDestroy ---------------------------------------------------------------- */

struct local_call {
	int coid;
	long result;
};

static void *call_local(void *arg)
{
	struct local_call *c = arg;
	c->result = MsgSend_r(c->coid, "x", 2, NULL, 0);
	return NULL;
}

static int recv_result;

static void *receive_on(void *arg)
{
	char buf[8];
	recv_result = MsgReceive_r((int)(long)arg, buf, sizeof(buf), NULL);
	return NULL;
}

static void channel_destroy(void) /* 8 points */
{
	char buf[8];
	int x = ChannelCreate(0), kx = ConnectAttach(0, 0, x, _NTO_SIDE_CHANNEL, 0);
	int y = ChannelCreate(0);
	struct local_call c1 = {kx, 1}, c2 = {kx, 1};

	/* All started before we receive (which puts us at their priority). */
	int t1 = tstart(call_local, &c1, 12);
	int t2 = tstart(call_local, &c2, 12);
	int t3 = tstart(receive_on, (void *)(long)y, 12);
	int rcvid = MsgReceive_r(x, buf, sizeof(buf), NULL); /* t1's, the first */
	CHECK(rcvid > 0);
	int s1 = state_of(MYPID, t1), s2 = state_of(MYPID, t2), s3 = state_of(MYPID, t3);
	CHECK(s1 == ST_REPLY && s2 == ST_SEND && s3 == ST_RECEIVE);
	if (s1 != ST_REPLY || s2 != ST_SEND || s3 != ST_RECEIVE)
		printf("#   states %d %d %d, want 6 4 5\n", s1, s2, s3);

	CHECK_EQ(ChannelDestroy_r(x), 0);
	CHECK(tjoin(t1) == 0 && tjoin(t2) == 0 && c1.result == -ESRCH && c2.result == -ESRCH);
	if (c1.result != -ESRCH || c2.result != -ESRCH)
		printf("#   REPLY-blocked got %ld, SEND-blocked got %ld\n", c1.result, c2.result);
	CHECK_EQ(MsgReply_r(rcvid, 0, NULL, 0), -ESRCH);
	CHECK(MsgSend_r(kx, "x", 2, NULL, 0) == -EBADF && ConnectDetach_r(kx) == 0);

	CHECK_EQ(ChannelDestroy_r(y), 0);
	CHECK(tjoin(t3) == 0 && recv_result == -ESRCH);
}

/* --- COIDDEATH and THREADDEATH ------------------------------------------------------ */

static void coid_death(void) /* 9 points */
{
	int n = ChannelCreate(_NTO_CHF_COID_DISCONNECT);
	int kn = ConnectAttach(0, 0, n, _NTO_SIDE_CHANNEL, 0);
	CHECK(n > 0 && kn > 0);
	CHECK_EQ(ChannelCreate_r(_NTO_CHF_COID_DISCONNECT), -EBUSY);

	/* The server at the other end of our coid dies. */
	int chid;
	pid_t pid = start_server(&chid);
	int k = ConnectAttach(0, pid, chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(pid > 0 && k > 0);
	CHECK(kill_child(pid));
	struct item it = poll_item(n, kn);
	CHECK(it.rcvid == 0 && it.u.p.code == _PULSE_CODE_COIDDEATH && it.u.p.value.sival_int == k);
	CHECK_EQ(poll_item(n, kn).rcvid, NOTHING);
	CHECK(MsgSend_r(k, "x", 1, NULL, 0) == -EBADF && ConnectDetach_r(k) == 0);

	/* A channel of our own, destroyed under our own connection. */
	int x = ChannelCreate(0), kx = ConnectAttach(0, 0, x, _NTO_SIDE_CHANNEL, 0);
	ChannelDestroy(x);
	it = poll_item(n, kn);
	CHECK(it.rcvid == 0 && it.u.p.code == _PULSE_CODE_COIDDEATH &&
	      it.u.p.value.sival_int == kx);
	if (it.rcvid != 0 || it.u.p.code != _PULSE_CODE_COIDDEATH)
		printf("#   got rcvid %d code %d value %d\n", it.rcvid, it.u.p.code,
		       it.u.p.value.sival_int);
	CHECK(poll_item(n, kn).rcvid == NOTHING && ConnectDetach_r(kx) == 0);
	ConnectDetach(kn);
	ChannelDestroy(n);
}

static void *nothing(void *arg)
{
	return arg;
}

static void thread_death(void) /* 5 points */
{
	int td = ChannelCreate(_NTO_CHF_THREAD_DEATH);
	int ktd = ConnectAttach(0, 0, td, _NTO_SIDE_CHANNEL, 0);
	CHECK(td > 0 && ktd > 0);
	CHECK_EQ(ChannelCreate_r(_NTO_CHF_THREAD_DEATH), -EBUSY);
	int t = tstart(nothing, NULL, 12); /* ends at once */
	struct item it = poll_item(td, ktd);
	CHECK(it.rcvid == 0 && it.u.p.code == _PULSE_CODE_THREADDEATH &&
	      it.u.p.value.sival_int == t);
	CHECK_EQ(poll_item(td, ktd).rcvid, NOTHING);
	CHECK_EQ(tjoin(t), 0);
	ConnectDetach(ktd);
	ChannelDestroy(td);
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(1 + 7 + 10 + 9 + 5 + 5 + 3 + 4 + 13 + 5 + 8 + 9 + 5);
	set_self_prio(MAIN_PRIO);
	proc_open_image(&fs);
	p_chid = ChannelCreate(0);
	p_coid = ConnectAttach(0, 0, p_chid, _NTO_SIDE_CHANNEL, 0);
	d_chid = ChannelCreate(_NTO_CHF_DISCONNECT);
	d_coid = ConnectAttach(0, 0, d_chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(p_chid > 0 && p_coid > 0 && d_chid > 0 && d_coid > 0);

	big_copy();
	unboost(); /* main served the last section */
	server_death();
	unboost();
	client_death_reply_blocked();
	unboost();
	client_death_send_blocked();
	unboost();
	disconnect_by_detach();
	unboost();
	disconnect_by_exit();
	unboost();
	death_leaves_nothing();
	unboost();
	scoids();
	unboost();
	scoid_flood();
	unboost();
	channel_destroy();
	unboost();
	coid_death();
	unboost();
	thread_death();
	return tap_done();
}
