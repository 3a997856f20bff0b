/*
 * pidin (utils/pidin.c) against threads in known states. This process
 * (pid 1) holds:
 *   tid 2  receiver  RECEIVE-blocked on channel RCHID (2)
 *   tid 3  server    took the client's message on channel 1 without
 *                    replying, then waits for the client to end: JOIN on 4
 *   tid 4  client    REPLY-blocked on the server's process (pid 1)
 *   tid 1  main      JOIN on pidin's pid while pidin runs (ProcWait)
 * KerInfo confirms the states (TAP); then pidin runs from the boot image
 * and must exit 0, and its error paths must exit 1. What pidin printed is
 * the harness's to check: tools/run-tests gives this test --expect-text
 * regexes for the RECEIVE, REPLY and JOIN lines (tids, chid and pid fixed
 * as above, which the TAP points below also assert), the kernel's line,
 * and the "-p 1" listing between the markers printed here.
 *
 * Synchronisation as in msgtest.h: main runs SCHED_FIFO at 10, below every
 * thread it starts, so when it runs they are all blocked.
 */
#include <stdio.h>

#include "../../proc/proc.h"
#include "msgtest.h"

#define MAIN_PRIO    10
#define EXITED(code) ((code) << 8)

static struct ifs fs;
static int srv_chid, rcv_chid, srv_coid;
static int srv_rcvid; /* the client's message, held unanswered */
static int srv_join = -1;

static void *receiver(void *arg)
{
	struct _pulse p;
	(void)arg;
	MsgReceive_r(rcv_chid, &p, sizeof(p), NULL); /* ended by a pulse */
	return NULL;
}

static void *server(void *arg)
{
	struct _msg_info info;
	char buf[16];
	(void)arg;
	srv_rcvid = MsgReceive_r(srv_chid, buf, sizeof(buf), &info);
	if (srv_rcvid <= 0)
		return NULL;
	/* No reply: the client stays REPLY-blocked while we wait for it. */
	srv_join = ThreadJoin_r(info.tid, NULL);
	return NULL;
}

static void *client(void *arg)
{
	(void)arg;
	MsgSend_r(srv_coid, "hi", 3, NULL, 0);
	return NULL;
}

/* Run pidin with args to its end; its wait status, or -1. */
static int pidin(char *const argv[])
{
	int status;
	pid_t pid = proc_spawn(&fs, "pidin", argv, NULL, MAIN_PRIO, SCHED_RR);

	if (pid < 0) {
		printf("# spawn pidin: error %d\n", -pid);
		return -1;
	}
	return ProcWait(pid, &status) == pid ? status : -1;
}

int main(void)
{
	tap_plan(12);
	proc_open_image(&fs);
	set_self_prio(MAIN_PRIO);

	srv_chid = ChannelCreate(0);
	rcv_chid = ChannelCreate(0);
	srv_coid = ConnectAttach(0, 0, srv_chid, _NTO_SIDE_CHANNEL, 0);
	int rcv_coid = ConnectAttach(0, 0, rcv_chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(srv_chid == 1 && rcv_chid == 2 && srv_coid > 0 && rcv_coid > 0);

	/* Each runs at once (above us) and blocks before we go on. */
	int r = tstart(receiver, NULL, 21);
	int s = tstart(server, NULL, 22);
	int c = tstart(client, NULL, 20);
	CHECK(r == 2 && s == 3 && c == 4); /* the tids run-tests' regexes name */

	CHECK_STATE(MYPID, r, ST_RECEIVE, rcv_chid);
	CHECK_STATE(MYPID, c, ST_REPLY, MYPID);
	CHECK_STATE(MYPID, s, ST_JOIN, c);

	/* Everything: the harness reads the lines of tids 2, 3, 4 and pid 0. */
	CHECK_EQ(pidin((char *[]){"pidin", NULL}), EXITED(0));
	/* Only pid 1: its four threads between these markers. */
	printf("# pidin -p 1:\n");
	CHECK_EQ(pidin((char *[]){"pidin", "-p", "1", NULL}), EXITED(0));
	CHECK_EQ(pidin((char *[]){"pidin", "-p", "4000", NULL}), EXITED(1)); /* no such pid */
	CHECK_EQ(pidin((char *[]){"pidin", "-x", NULL}), EXITED(1));

	/* Let them all go: the reply frees the client and so the server. */
	CHECK_EQ(MsgReply_r(srv_rcvid, 0, NULL, 0), 0);
	CHECK_EQ(srv_join, 0);
	MsgSendPulse_r(rcv_coid, -1, 1, 0);
	CHECK(tjoin(r) == 0 && tjoin(s) == 0);
	return tap_done();
}
