/*
 * Local names (name_attach, name_open, namesrv), from proc's child
 * (booted init=proc init.run=test_name; proc has started namesrv).
 * Children are this program again in a role (argv[1]):
 *  - "server PID CHID": name_attach()es tn_srv on a dispatch, tells the
 *    parent on (PID, CHID) that it is ready, and serves: ECHO (value
 *    + 1), WAIT_DISC (held until it has had N disconnect pulses), MNTID
 *    (its name's id), QUIT (name_detach, then it ends);
 *  - "client": name_open()s tn_srv, sends ECHO, and ends without
 *    name_close (its connection goes with it).
 * Shown: seed 000's exercise (every reply checked); the disconnect pulse
 * when the client closes and when it dies; bad input to every namesrv
 * request (a QNX errno, and namesrv goes on serving); a detached name
 * and a killed server's name gone (ENOENT, no hang); 16 names a process
 * sharing one dispatch (the 17th EAGAIN); object counts back at
 * baseline. Nothing waits on time: each step waits on a reply or a
 * child's end.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/dispatch.h>
#include <sys/kinfo.h>
#include <sys/namemsg.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include <unistd.h>

#include "counts.h"
#include "tap.h"

#define NAME "tn_srv"

#define T_ECHO	    0x1000
#define T_WAIT_DISC 0x1001
#define T_MNTID	    0x1002
#define T_QUIT	    0x1003
#define T_READY	    0x1004

struct req {
	uint16_t type;
	uint16_t zero;
	int32_t value;
};

/* --- the server role --------------------------------------------------- */

static name_attach_t *att;
static int ndisc, held_rcvid, held_want;

static int on_disconnect(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	ndisc++;
	ConnectDetach(ctp->msg->pulse.scoid);
	if (held_rcvid && ndisc >= held_want) {
		MsgReply(held_rcvid, ndisc, NULL, 0);
		held_rcvid = 0;
	}
	return 0;
}

static int on_request(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)flags;
	(void)handle;
	const struct req *r = (const struct req *)ctp->msg;

	if (ctp->size < (int)sizeof(*r)) {
		MsgError(ctp->rcvid, EINVAL);
		return 0;
	}
	switch (code) {
	case T_ECHO:
		MsgReply(ctp->rcvid, r->value + 1, NULL, 0);
		break;
	case T_WAIT_DISC:
		if (ndisc >= r->value) {
			MsgReply(ctp->rcvid, ndisc, NULL, 0);
		} else {
			held_rcvid = ctp->rcvid;
			held_want = r->value;
		}
		break;
	case T_MNTID:
		MsgReply(ctp->rcvid, att->mntid, NULL, 0);
		break;
	default: /* T_QUIT: its reply says whether the name went */
		MsgReply(ctp->rcvid, name_detach(att, NAME_FLAG_DETACH_SAVEDPP), NULL, 0);
		exit(0);
	}
	return 0;
}

static int server(int ppid, int pchid)
{
	dispatch_t *dpp = dispatch_create();
	dispatch_context_t *ctp;

	if (!dpp || !(att = name_attach(dpp, NAME, 0)) ||
	    pulse_attach(dpp, 0, _PULSE_CODE_DISCONNECT, on_disconnect, NULL) == -1 ||
	    message_attach(dpp, NULL, T_ECHO, T_QUIT, on_request, NULL) < 0 ||
	    !(ctp = dispatch_context_alloc(dpp))) {
		printf("# server: set-up: %s\n", strerror(errno));
		return 1;
	}
	/* Ready: the parent may name_open. */
	struct req ready = {T_READY, 0, att->chid};
	int coid = ConnectAttach(0, ppid, pchid, _NTO_SIDE_CHANNEL, 0);
	if (coid < 0 || MsgSend(coid, &ready, sizeof(ready), NULL, 0) != 0)
		return 1;
	ConnectDetach(coid);
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}

/* --- the client role ---------------------------------------------------- */

static int client(void)
{
	struct req r = {T_ECHO, 0, 99};
	int coid = name_open(NAME, 0);

	return coid >= 0 && MsgSend(coid, &r, sizeof(r), NULL, 0) == 100 ? 0 : 1;
}

/* --- the test ------------------------------------------------------------ */

static pid_t spawn(char **argv)
{
	pid_t pid = -1;
	int err = posix_spawn(&pid, "test_name", NULL, NULL, argv, NULL);

	if (err)
		printf("# posix_spawn %s: %s\n", argv[1], strerror(err));
	return err ? -1 : pid;
}

/* A server child, once it has attached its name (its ready message on
 * our channel chid). */
static pid_t start_server(int chid)
{
	char ppid[16], pchid[16];
	snprintf(ppid, sizeof(ppid), "%d", getpid());
	snprintf(pchid, sizeof(pchid), "%d", chid);
	pid_t pid = spawn((char *[]){"test_name", "server", ppid, pchid, NULL});
	struct req ready;
	struct _msg_info info;
	int rcvid = pid < 0 ? -1 : MsgReceive(chid, &ready, sizeof(ready), &info);

	if (rcvid <= 0 || info.pid != pid || ready.type != T_READY) {
		printf("# server %d not ready (rcvid %d)\n", pid, rcvid);
		return -1;
	}
	MsgReply(rcvid, 0, NULL, 0);
	return pid;
}

static long ask(int coid, int type, int value)
{
	struct req r = {(uint16_t)type, 0, value};
	return MsgSend(coid, &r, sizeof(r), NULL, 0);
}

/* errno after a call that must fail with -1. */
/* A raw request of len bytes to namesrv: what it answered. */
static long raw(const void *msg, size_t len)
{
	errno = 0;
	return MsgSend(NAMESRV_COID, msg, len, NULL, 0);
}

static int exit_status(pid_t pid)
{
	int st = -1;
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void bad_input(int coid)
{
	struct _name_attach_req a = {.type = _NAME_ATTACH, .chid = 1};
	struct _name_query_req q = {.type = _NAME_QUERY};
	struct _name_detach_req d = {.type = _NAME_DETACH};
	char big[sizeof(q) + 16] = {0};

	/* Sizes and types. */
	CHECK(fails(raw(&a, 4), EINVAL));
	CHECK(fails(raw(&d, 2), EINVAL));
	memcpy(big, &q, sizeof(q));
	strcpy(big + offsetof(struct _name_query_req, name), NAME);
	CHECK(fails(raw(big, sizeof(big)), EMSGSIZE));
	q.type = 0x02ff;
	CHECK(fails(raw(&q, sizeof(q)), ENOSYS));
	q.type = 0x0203;
	CHECK(fails(raw(&q, sizeof(q)), ENOSYS));
	q.type = _NAME_QUERY;
	CHECK(fails(raw(&q, 1), ENOSYS)); /* no type at all: the dispatch layer's answer */

	/* Names: not ending in their field, with '/', empty, "..". */
	memset(q.name, 'a', sizeof(q.name));
	CHECK(fails(raw(&q, sizeof(q)), ENAMETOOLONG));
	memset(a.name, 'a', sizeof(a.name));
	CHECK(fails(raw(&a, sizeof(a)), ENAMETOOLONG));
	strcpy(a.name, "a/b");
	CHECK(fails(raw(&a, sizeof(a)), EINVAL));
	strcpy(a.name, "");
	CHECK(fails(raw(&a, sizeof(a)), EINVAL));
	strcpy(a.name, "..");
	CHECK(fails(raw(&a, sizeof(a)), EINVAL));
	strcpy(a.name, "fine");
	a.chid = 0;
	CHECK(fails(raw(&a, sizeof(a)), EINVAL));
	strcpy(q.name, "nosuch");
	CHECK(fails(raw(&q, sizeof(q)), ENOENT));

	/* Duplicates, another's name, one that is not there. */
	strcpy(a.name, NAME);
	a.chid = 1;
	CHECK(fails(raw(&a, sizeof(a)), EEXIST));
	errno = 0;
	CHECK(name_attach(NULL, NAME, 0) == NULL && errno == EEXIST);
	d.id = (int32_t)ask(coid, T_MNTID, 0);
	CHECK(d.id > 0);
	CHECK(fails(raw(&d, sizeof(d)), EPERM));
	d.id = 0;
	CHECK(fails(raw(&d, sizeof(d)), ENOENT));
	d.id = -5;
	CHECK(fails(raw(&d, sizeof(d)), ENOENT));

	/* libc's own checks, as namesrv's. */
	char longname[100];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	errno = 0;
	CHECK(name_attach(NULL, longname, 0) == NULL && errno == ENAMETOOLONG);
	errno = 0;
	CHECK(name_attach(NULL, "a/b", 0) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(name_attach(NULL, NAME "2", NAME_FLAG_ATTACH_GLOBAL) == NULL && errno == ENOTSUP);
	CHECK(fails(name_open(NAME, NAME_FLAG_ATTACH_GLOBAL), ENOTSUP));
	CHECK(fails(name_open(longname, 0), ENAMETOOLONG));
	CHECK(fails(name_open("", 0), EINVAL));
	CHECK(fails(name_open(NULL, 0), EINVAL));
	CHECK(fails(name_detach(NULL, 0), EINVAL));

	/* namesrv still serves, and the server still answers. */
	int c2 = name_open(NAME, 0);
	CHECK(c2 >= 0 && ask(c2, T_ECHO, 7) == 8);
	CHECK_EQ(name_close(c2), 0);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]), atoi(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "client"))
		return client();

	tap_plan(67);
	struct ker_info_counts base = counts();
	/* proc connected us to namesrv before we started, and said so. */
	CHECK_EQ(getauxval(AT_MUON_NAMESRV_COID), NAMESRV_COID);
	int chid = ChannelCreate(0);
	CHECK(chid > 0);
	CHECK(fails(name_open(NAME, 0), ENOENT));

	/* --- seed 000: attach, open, send ----------------------------- */
	pid_t srv = start_server(chid);
	CHECK(srv > 0);
	int coid = name_open(NAME, 0);
	CHECK(coid >= 0 && coid < _NTO_SIDE_CHANNEL);
	CHECK_EQ(ask(coid, T_ECHO, 41), 42);
	int coid2 = name_open("/dev/name/local/" NAME, 0);
	CHECK(coid2 >= 0 && coid2 != coid);
	CHECK_EQ(ask(coid2, T_ECHO, -1), 0);

	/* --- the disconnect pulse: a close, a client's death ------------ */
	CHECK_EQ(name_close(coid2), 0);
	CHECK_EQ(name_close(coid), 0); /* our last connection: one pulse */
	CHECK(fails(name_close(coid), EINVAL));
	coid = name_open(NAME, 0);
	CHECK_EQ(ask(coid, T_WAIT_DISC, 1), 1);
	pid_t cl = spawn((char *[]){"test_name", "client", NULL});
	CHECK(cl > 0 && exit_status(cl) == 0);
	CHECK_EQ(ask(coid, T_WAIT_DISC, 2), 2);

	/* --- bad input to namesrv ---------------------------------------- */
	bad_input(coid);

	/* --- name_detach: the name goes ---------------------------------- */
	CHECK_EQ(ask(coid, T_QUIT, 0), 0);
	CHECK(fails(name_open(NAME, 0), ENOENT));
	CHECK(exit_status(srv) == 0);
	CHECK_EQ(name_close(coid), 0);

	/* --- a killed server's name goes --------------------------------- */
	srv = start_server(chid);
	CHECK(srv > 0);
	coid = name_open(NAME, 0);
	CHECK_EQ(ask(coid, T_ECHO, 1), 2);
	CHECK_EQ(kill(srv, SIGKILL), 0);
	int st = exit_status(srv);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	errno = 0;
	CHECK(ask(coid, T_ECHO, 1) == -1 && errno != 0); /* an error, not a hang */
	CHECK_EQ(name_close(coid), 0);
	CHECK(fails(name_open(NAME, 0), ENOENT));

	/* The name is free again: ours now, then detached. */
	name_attach_t *mine = name_attach(NULL, NAME, 0);
	CHECK(mine != NULL && mine->chid > 0 && mine->mntid > 0);
	CHECK_EQ(counts().channels, base.channels + 2);
	CHECK_EQ(name_detach(mine, 0), 0);
	CHECK(fails(name_open(NAME, 0), ENOENT));

	/* 16 names a process, on one dispatch; the 17th is EAGAIN. */
	dispatch_t *dpp = dispatch_create();
	name_attach_t *many[16];
	int made = 0;
	char nm[16];
	for (int i = 0; i < 16; i++) {
		snprintf(nm, sizeof(nm), "many%d", i);
		made += (many[i] = name_attach(dpp, nm, 0)) != NULL;
	}
	CHECK_EQ(made, 16);
	CHECK(name_attach(dpp, "one_more", 0) == NULL && errno == EAGAIN);
	int detached = 0;
	for (int i = 15; i >= 0; i--)
		detached += many[i] && name_detach(many[i], 0) == 0;
	CHECK_EQ(detached, 16);
	CHECK_EQ(dispatch_destroy(dpp), 0);

	/* --- counts ---------------------------------------------------- */
	CHECK_EQ(ChannelDestroy(chid), 0);
	struct ker_info_counts now = counts();
	CHECK_EQ(now.channels, base.channels);
	CHECK_EQ(now.connections, base.connections);
	CHECK_EQ(now.threads, base.threads);
	CHECK_EQ(now.processes, base.processes);
	return tap_done();
}
