/*
 * unblock: what a server sees when a client gives up, and when it goes.
 * The server's channel asks for unblock and disconnect pulses. The client
 * (this program again) sends a request with a 200 ms timeout; the server
 * holds it without replying. At the timeout the kernel does not just
 * release the client: it tells the server with an unblock pulse, and the
 * server, which might be half-way through the work, answers with an error
 * (ETIMEDOUT). When the client ends, a disconnect pulse says so, and the
 * server frees what it kept for that client (here: the connection).
 *
 * Run: unblock
 */
#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLOW_REQUEST 0x1000

static int client(pid_t server_pid, int chid)
{
	int coid = ConnectAttach(ND_LOCAL_NODE, server_pid, chid, _NTO_SIDE_CHANNEL, 0);
	uint16_t type = SLOW_REQUEST;
	uint64_t timeout = 200000000ull;

	/* The next MsgSend gives up after 200 ms, sending or waiting for the
	 * reply. */
	TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, NULL, &timeout, NULL);
	if (coid < 0 || MsgSend(coid, &type, sizeof(type), NULL, 0) != -1 || errno != ETIMEDOUT) {
		printf("client: expected ETIMEDOUT\n");
		return 1;
	}
	printf("client: request timed out (%s); exiting\n", strerror(errno));
	return 0; /* our connection goes with us */
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "client"))
		return client(atoi(argv[2]), atoi(argv[3]));

	int chid = ChannelCreate(_NTO_CHF_UNBLOCK | _NTO_CHF_DISCONNECT);
	char spid[16], schid[16];
	snprintf(spid, sizeof(spid), "%d", getpid());
	snprintf(schid, sizeof(schid), "%d", chid);
	char *cargv[] = {argv[0], "client", spid, schid, NULL};
	pid_t pid;
	if (chid < 0 || posix_spawn(&pid, argv[0], NULL, NULL, cargv, NULL) != 0) {
		perror("server: set-up");
		return 1;
	}

	int held = 0; /* the rcvid of the request we sit on */
	for (int done = 0; !done;) {
		union {
			struct _pulse pulse;
			uint16_t type;
		} msg;
		int rcvid = MsgReceive(chid, &msg, sizeof(msg), NULL);

		if (rcvid > 0 && msg.type == SLOW_REQUEST) {
			printf("server: got a slow request; not replying yet\n");
			held = rcvid;
		} else if (rcvid > 0) {
			MsgError(rcvid, ENOSYS);
		} else if (rcvid == 0 && msg.pulse.code == _PULSE_CODE_UNBLOCK) {
			/* The value is the rcvid of the client that wants out. */
			printf("server: unblock pulse for %s request; answering ETIMEDOUT\n",
			       msg.pulse.value.sival_int == held ? "the held" : "another");
			MsgError(msg.pulse.value.sival_int, ETIMEDOUT);
			held = 0;
		} else if (rcvid == 0 && msg.pulse.code == _PULSE_CODE_DISCONNECT) {
			/* The scoid stays ours until we detach it. */
			printf("server: disconnect pulse; detaching the client's connection\n");
			ConnectDetach(msg.pulse.scoid);
			done = 1;
		}
	}
	int status;
	waitpid(pid, &status, 0);
	printf("server: client exited with %d\n", WEXITSTATUS(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
