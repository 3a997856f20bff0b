/*
 * Events: MsgDeliverEvent, MsgRegisterEvent, MsgUnregisterEvent,
 * MsgVerifyEvent (QNX Neutrino C Library Reference pages of those names;
 * System Architecture, "Events": a client gives the server a sigevent,
 * the server delivers it later).
 *  - The event exercise: a client process (child.c "evclient") fills a
 *    pulse event for a channel of its own, registers it for this server
 *    and sends it with a request; we verify it (MsgVerifyEvent), reply at
 *    once, and deliver it every 10 ms of a timer of ours, with a new
 *    value each time (the event is updateable). The client checks it
 *    receives each (values 1..5, in order). It then dies ("ok") or
 *    disconnects while alive ("disc"): either way our channel
 *    (_NTO_CHF_DISCONNECT) gets the DISCONNECT pulse, we drop the event
 *    and the scoid, the rcvid names nobody any more (ESRCH), and the
 *    kernel's counts (registered events, pulses, connections, timers)
 *    are back at their baseline.
 *  - A signal event (SIGEV_SIGNAL_CODE, unregistered): the client takes
 *    it with sigtimedwait: its signal, code, value, and our pid.
 *  - A registered event that is not updateable: our value and code are
 *    ignored ("fixed": the client gets its own value 77 and code 5).
 *  - Refusals: an event registered for another server (EACCES), an
 *    unregistered event to a client that connected with
 *    _NTO_COF_REG_EVENTS (EACCES), malformed events (EINVAL), a pulse
 *    event naming no connection (ESRCH), a rcvid naming nobody (ESRCH),
 *    SIGEV_INTR (EINVAL: interrupts only), unknown handles, and the 64
 *    registrations of a process (EAGAIN).
 *  - Within one process: MsgDeliverEvent(0, ...) (the caller), a pulse
 *    to a RECEIVE-blocked thread; SIGEV_UNBLOCK ends its wait (ETIMEDOUT).
 */
#include <stdio.h>
#include <stdlib.h>

#include "onecpu.h"
#include "../../proc/proc.h"
#include "msgtest.h"

#define MS	     1000000ull
#define EXITED(code) ((code) << 8)
#define TICK	     1

struct ev_request {
	uint16_t type; /* 0x4556 */
	struct sigevent ev;
};

static struct ifs fs;
static int chid, coid;

static pid_t client(const char *mode)
{
	char c[16];
	snprintf(c, sizeof(c), "%d", chid);
	char *argv[] = {"child", "evclient", (char *)mode, c, NULL};
	pid_t pid = proc_spawn(&fs, "child", argv, NULL, 10, SCHED_FIFO);
	if (pid < 0)
		printf("# spawn: %d\n", pid);
	return pid;
}

static int wait_child(pid_t pid)
{
	int st = -1;
	timeout_in(_NTO_TIMEOUT_JOIN, 5000 * MS);
	return ProcWait_r(pid, &st) == pid ? st : -1;
}

/* The next message or pulse within 2 s: its rcvid or -errno. */
static int receive(struct ev_request *rq, struct _pulse *p, struct _msg_info *info)
{
	union {
		struct ev_request rq;
		struct _pulse p;
	} u;
	timeout_in(_NTO_TIMEOUT_RECEIVE, 2000 * MS);
	int r = MsgReceive_r(chid, &u, sizeof(u), info);
	if (r > 0)
		*rq = u.rq;
	else if (r == 0)
		*p = u.p;
	return r;
}

/* Serve one periodic client (mode "ok", "disc" or "fixed"): 10 points. */
static void periodic(const char *mode)
{
	struct ker_info_counts before = counts();
	struct ev_request rq;
	struct _pulse p;
	struct _msg_info info;
	pid_t pid = client(mode);
	int rcvid = receive(&rq, &p, &info), scoid = info.scoid;

	CHECK(rcvid > 0 && rq.type == 0x4556 && (rq.ev.sigev_notify & SIGEV_FLAG_HANDLE));
	CHECK_EQ(MsgVerifyEvent_r(rcvid, &rq.ev), 0);
	CHECK_EQ(MsgReply_r(rcvid, 0, NULL, 0), 0);
	struct sigevent tick;
	SIGEV_PULSE_INIT(&tick, coid, 10, TICK, 0);
	int tid = TimerCreate_r(CLOCK_MONOTONIC, &tick);
	struct _itimer t = {10 * MS, 10 * MS};
	TimerSettime_r(tid, 0, &t, NULL);
	int delivered = 0, disconnected = 0, r;
	while (!disconnected && (r = receive(&rq, &p, &info)) == 0) {
		if (p.code == TICK) {
			struct sigevent ev = rq.ev;
			ev.sigev_value.sival_int = delivered + 1;
			ev.sigev_code = 99; /* not ours to change */
			delivered += MsgDeliverEvent_r(rcvid, &ev) == 0;
		} else if (p.code == _PULSE_CODE_DISCONNECT && p.scoid == scoid) {
			disconnected = 1;
		}
	}
	TimerDestroy_r(tid);
	CHECK(disconnected);
	CHECK(delivered >= (strcmp(mode, "fixed") ? 5 : 3));
	/* We let the client go: its rcvid names nobody we serve. */
	CHECK_EQ(ConnectDetach_r(scoid), 0);
	CHECK_EQ(MsgDeliverEvent_r(rcvid, &rq.ev), -ESRCH);
	CHECK_EQ(MsgVerifyEvent_r(rcvid, &rq.ev), -ESRCH);
	CHECK_EQ(wait_child(pid), EXITED(0));
	do /* a tick that came after the last receive */
		timeout_now(_NTO_TIMEOUT_RECEIVE);
	while (MsgReceive_r(chid, &p, sizeof(p), NULL) == 0 && p.code == TICK);
	struct ker_info_counts after = counts();
	if (!CHECK(after.events == before.events && after.pulses == before.pulses &&
		   after.connections == before.connections && after.timers == before.timers &&
		   after.processes == before.processes))
		printf("#   events %llu/%llu pulses %llu/%llu connections %llu/%llu\n",
		       (unsigned long long)after.events, (unsigned long long)before.events,
		       (unsigned long long)after.pulses, (unsigned long long)before.pulses,
		       (unsigned long long)after.connections,
		       (unsigned long long)before.connections);
}

/* A client whose event is a signal ("signal"): it takes it with
 * sigtimedwait and checks its code, value and sender. 3 points. */
static void signal_event(void)
{
	struct ev_request rq;
	struct _pulse p;
	struct _msg_info info;
	pid_t pid = client("signal");
	int rcvid = receive(&rq, &p, &info);

	CHECK(rcvid > 0 && SIGEV_GET_TYPE(&rq.ev) == SIGEV_SIGNAL_CODE);
	MsgReply(rcvid, 0, NULL, 0);
	CHECK_EQ(MsgDeliverEvent_r(rcvid, &rq.ev), 0);
	CHECK_EQ(wait_child(pid), EXITED(0));
	if (receive(&rq, &p, &info) == 0 && p.code == _PULSE_CODE_DISCONNECT)
		ConnectDetach(p.scoid);
}

/* A client whose event we may not deliver ("wrong", "unreg"): 4 points. */
static void refused(const char *mode)
{
	struct ev_request rq;
	struct _pulse p;
	struct _msg_info info;
	pid_t pid = client(mode);
	int rcvid = receive(&rq, &p, &info);

	CHECK(rcvid > 0);
	CHECK_EQ(MsgVerifyEvent_r(rcvid, &rq.ev), -EACCES);
	CHECK_EQ(MsgDeliverEvent_r(rcvid, &rq.ev), -EACCES);
	MsgError(rcvid, EACCES); /* the client exits 0 if it gets it */
	CHECK_EQ(wait_child(pid), EXITED(0));
	/* Its DISCONNECT: let go of the scoid. */
	if (receive(&rq, &p, &info) == 0 && p.code == _PULSE_CODE_DISCONNECT)
		ConnectDetach(p.scoid);
}

/* Checks within this process: 17 points. */
static int rx_chid;
static long rx_result;
static void *receiver(void *arg)
{
	struct _pulse p;
	(void)arg;
	rx_result = MsgReceive_r(rx_chid, &p, sizeof(p), NULL);
	if (rx_result == 0)
		rx_result = p.code * 1000 + p.value.sival_int;
	return NULL;
}

static void *sender(void *arg)
{
	rx_result = MsgSend_r((int)(long)arg, NULL, 0, NULL, 0);
	return NULL;
}

static void local(void)
{
	struct sigevent ev;
	struct ker_info_counts before = counts();

	/* Malformed events. */
	ev.sigev_notify = 99;
	CHECK_EQ(MsgVerifyEvent_r(0, &ev), -EINVAL);
	SIGEV_PULSE_INIT(&ev, coid, 10, 200, 0);
	CHECK_EQ(MsgVerifyEvent_r(0, &ev), -EINVAL);
	SIGEV_INTR_INIT(&ev);
	CHECK_EQ(MsgDeliverEvent_r(0, &ev), -EINVAL);
	SIGEV_PULSE_INIT(&ev, 0x40000000 + 200, 10, 1, 0); /* no such coid */
	CHECK_EQ(MsgVerifyEvent_r(0, &ev), -ESRCH);
	SIGEV_PULSE_INIT(&ev, coid, 10, 1, 0);
	CHECK_EQ(MsgDeliverEvent_r(0x7fff0123, &ev), -ESRCH);
	CHECK_EQ(MsgDeliverEvent_r(0, (void *)8), -EFAULT);

	/* A pulse delivered to ourselves (rcvid 0) reaches a thread
	 * RECEIVE-blocked on our channel. */
	rx_chid = ChannelCreate(0);
	int rx_coid = ConnectAttach(0, 0, rx_chid, _NTO_SIDE_CHANNEL, 0);
	int tid = tstart(receiver, NULL, 12);
	CHECK_STATE(MYPID, tid, ST_RECEIVE, rx_chid);
	SIGEV_PULSE_INIT(&ev, rx_coid, 10, 3, 44);
	CHECK_EQ(MsgDeliverEvent_r(0, &ev), 0);
	tjoin(tid);
	CHECK_EQ(rx_result, 3044);
	/* SIGEV_UNBLOCK ends a client's wait as a timeout would: a
	 * REPLY-blocked client of a plain channel leaves at once. */
	tid = tstart(sender, (void *)(long)rx_coid, 12);
	int rcvid = MsgReceive_r(rx_chid, NULL, 0, NULL);
	SIGEV_UNBLOCK_INIT(&ev);
	CHECK_EQ(MsgDeliverEvent_r(rcvid, &ev), 0);
	tjoin(tid);
	CHECK_EQ(rx_result, -ETIMEDOUT);
	CHECK_EQ(MsgReply_r(rcvid, 0, NULL, 0), -ESRCH);
	ChannelDestroy(rx_chid);
	ConnectDetach(rx_coid);

	/* Registration: a handle, unregistered once; 64 at most. */
	SIGEV_PULSE_INIT(&ev, coid, 10, 1, 0);
	struct sigevent h = ev;
	CHECK(MsgRegisterEvent_r(&h, -1) == 0 && (h.sigev_notify & SIGEV_FLAG_HANDLE));
	CHECK(MsgUnregisterEvent_r(&h) == 0 && MsgUnregisterEvent_r(&h) == -ESRCH);
	struct sigevent hs[64];
	int n = 0;
	for (; n < 64; n++) {
		hs[n] = ev;
		if (MsgRegisterEvent_r(&hs[n], coid) != 0)
			break;
	}
	struct sigevent one_more = ev;
	CHECK(n == 64 && MsgRegisterEvent_r(&one_more, coid) == -EAGAIN);
	CHECK_EQ(counts().events, before.events + 64);
	for (int i = 0; i < n; i++)
		MsgUnregisterEvent_r(&hs[i]);
	/* None through a connection whose channel is gone: no server is left
	 * to name (EBADF, as MsgSend's). */
	int gone_chid = ChannelCreate(0);
	int gone = ConnectAttach(0, 0, gone_chid, _NTO_SIDE_CHANNEL, 0);
	ChannelDestroy(gone_chid);
	one_more = ev;
	CHECK_EQ(MsgRegisterEvent_r(&one_more, gone), -EBADF);
	ConnectDetach(gone);
	CHECK_EQ(counts().events, before.events);
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(3 * 10 + 3 + 2 * 4 + 18);
	set_self_prio(10);
	proc_open_image(&fs);
	chid = ChannelCreate(_NTO_CHF_DISCONNECT);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	local();
	periodic("ok");
	periodic("disc");
	periodic("fixed");
	signal_event();
	refused("wrong");
	refused("unreg");
	return tap_done();
}
