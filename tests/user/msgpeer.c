/*
 * The other process in the message-passing tests (tests/user/test_msg_*):
 * pid 1 starts it with proc_spawn; argv[1] says what to be, argv[2] is
 * always a chid of pid 1's to connect to. The exit status says how it
 * went (0 = as expected); modes that end by being killed never return.
 *
 *   server PCHID        create a channel, send its chid to pid 1 through
 *                       PCHID; take one message on it and hold it (never
 *                       reply); then wait on a second channel forever
 *   client PCHID        send one message to PCHID and wait for a reply
 *                       that never comes (pid 1 kills us)
 *   detach PCHID GCHID  two connections to PCHID: a pulse (code 1) through
 *                       the first, detach it, a pulse (code 2) through the
 *                       second, detach it; then send to GCHID and exit
 *                       once pid 1 replies
 *   exit PCHID          two connections to PCHID, a pulse (code 3), exit
 *                       with both still attached
 *   reconnect PCHID XCHID  connections to PCHID and XCHID (pid 1's): a
 *                       pulse through each (codes 1, 2), both detached;
 *                       connected to PCHID again, a pulse (3), detached;
 *                       to XCHID again, a pulse (4), detached
 *   flood PCHID N       N times: connect to PCHID and detach at once
 *   bigsend PCHID       a 3-part message of 8 + 40000 + 30000 bytes; the
 *                       reply area is 2 parts of 20000 + 50000 bytes, which
 *                       pid 1 fills with MsgWrite; check what it wrote
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>

#include "msgpeer.h"

#define PARENT 1

static int attach(int pid, int chid)
{
	return ConnectAttach(0, pid, chid, _NTO_SIDE_CHANNEL, 0);
}

/* --- server: a channel that takes one message and never replies ---------- */

static int server(int pchid)
{
	int ch = ChannelCreate(0), ch2 = ChannelCreate(0), p = attach(PARENT, pchid);
	char buf[64];

	if (ch < 0 || ch2 < 0 || p < 0)
		return 10;
	if (MsgSend(p, &ch, sizeof(ch), NULL, 0) != 0)
		return 11;
	if (MsgReceive(ch, buf, sizeof(buf), NULL) <= 0) /* held, never replied */
		return 12;
	MsgReceive(ch2, buf, sizeof(buf), NULL); /* nobody sends here */
	return 13;
}

static int client(int pchid)
{
	char reply[16];
	int c = attach(PARENT, pchid);

	if (c < 0)
		return 10;
	MsgSend(c, "hello", 6, reply, sizeof(reply));
	return 11; /* pid 1 was to kill us first */
}

static int detach(int pchid, int gchid)
{
	int c1 = attach(PARENT, pchid), c2 = attach(PARENT, pchid), g = attach(PARENT, gchid);

	if (c1 < 0 || c2 < 0 || g < 0)
		return 10;
	if (MsgSendPulse(c1, -1, 1, 0) || ConnectDetach(c1) || MsgSendPulse(c2, -1, 2, 0) ||
	    ConnectDetach(c2))
		return 11;
	return MsgSend(g, NULL, 0, NULL, 0) == 0 ? 0 : 12;
}

static int exit_attached(int pchid)
{
	int c1 = attach(PARENT, pchid), c2 = attach(PARENT, pchid);

	if (c1 < 0 || c2 < 0)
		return 10;
	return MsgSendPulse(c1, -1, 3, 0) ? 11 : 0;
}

static int reconnect(int pchid, int xchid)
{
	int c = attach(PARENT, pchid), x = attach(PARENT, xchid);

	if (c < 0 || x < 0 || MsgSendPulse(c, -1, 1, 0) || MsgSendPulse(x, -1, 2, 0) ||
	    ConnectDetach(x) || ConnectDetach(c))
		return 10;
	if ((c = attach(PARENT, pchid)) < 0 || MsgSendPulse(c, -1, 3, 0) || ConnectDetach(c))
		return 11;
	if ((x = attach(PARENT, xchid)) < 0 || MsgSendPulse(x, -1, 4, 0) || ConnectDetach(x))
		return 12;
	return 0;
}

static int flood(int pchid, int n)
{
	for (int i = 0; i < n; i++) {
		int c = attach(PARENT, pchid);
		if (c < 0)
			return 10; /* (EAGAIN: pid 1's scoids ran out) */
		if (ConnectDetach(c))
			return 11;
	}
	return 0;
}

/* --- bigsend: large messages between address spaces --------------------- */

static unsigned char part_a[BIG_A], part_b[BIG_B], back1[BIG_R1], back2[BIG_R2];

static int bigsend(int pchid)
{
	struct big_hdr h = {BIG_MAGIC, BIG_A + BIG_B};
	iov_t s[3], r[2];
	int c = attach(PARENT, pchid);

	if (c < 0)
		return 10;
	for (size_t i = 0; i < BIG_A; i++)
		part_a[i] = big_send_byte(i);
	for (size_t i = 0; i < BIG_B; i++)
		part_b[i] = big_send_byte(BIG_A + i);
	memset(back1, 0xee, sizeof(back1));
	memset(back2, 0xee, sizeof(back2));
	SETIOV(&s[0], &h, sizeof(h));
	SETIOV(&s[1], part_a, BIG_A);
	SETIOV(&s[2], part_b, BIG_B);
	SETIOV(&r[0], back1, BIG_R1);
	SETIOV(&r[1], back2, BIG_R2);
	long st = MsgSendv(c, s, 3, r, 2);
	if (st != BIG_STATUS)
		return 11;
	for (size_t i = 0; i < BIG_R1; i++)
		if (back1[i] != big_reply_byte(i))
			return 12;
	for (size_t i = 0; i < BIG_R2; i++)
		if (back2[i] != big_reply_byte(BIG_R1 + i))
			return 13;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int pchid = atoi(argv[2]);
	const char *mode = argv[1];

	if (!strcmp(mode, "server"))
		return server(pchid);
	if (!strcmp(mode, "client"))
		return client(pchid);
	if (!strcmp(mode, "detach") && argc == 4)
		return detach(pchid, atoi(argv[3]));
	if (!strcmp(mode, "exit"))
		return exit_attached(pchid);
	if (!strcmp(mode, "reconnect") && argc == 4)
		return reconnect(pchid, atoi(argv[3]));
	if (!strcmp(mode, "flood") && argc == 4)
		return flood(pchid, atoi(argv[3]));
	if (!strcmp(mode, "bigsend"))
		return bigsend(pchid);
	return 2;
}
