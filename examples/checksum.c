/*
 * checksum: the first message-passing exercise. The server creates a
 * channel and spawns the client (this program again, told the server's
 * pid and chid on its command line). The client connects and sends three
 * strings; the server replies to each with the sum of its bytes. The
 * client's "quit" message ends the server.
 *
 * Run: checksum
 */
#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include <unistd.h>

/* Our own message types: above _IO_MAX, so never mistaken for I/O. */
#define CK_SUM	0x1000
#define CK_QUIT 0x1001

struct ck_msg {
	uint16_t type;
	char text[62];
};

static int client(pid_t server_pid, int chid)
{
	static const char *const words[] = {"hello", "muon", "message passing"};
	/* A side-channel connection: not one of our file descriptors. */
	int coid = ConnectAttach(ND_LOCAL_NODE, server_pid, chid, _NTO_SIDE_CHANNEL, 0);

	if (coid < 0) {
		perror("client: ConnectAttach");
		return 1;
	}
	for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct ck_msg m = {.type = CK_SUM};
		int32_t sum;

		strncpy(m.text, words[i], sizeof(m.text) - 1);
		/* Blocks until the server replies; the reply lands in sum. */
		if (MsgSend(coid, &m, sizeof(m), &sum, sizeof(sum)) < 0) {
			perror("client: MsgSend");
			return 1;
		}
		printf("client: checksum of \"%s\" is %d\n", words[i], sum);
	}
	struct ck_msg quit = {.type = CK_QUIT};
	MsgSend(coid, &quit, sizeof(quit), NULL, 0);
	ConnectDetach(coid);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "client"))
		return client(atoi(argv[2]), atoi(argv[3]));

	int chid = ChannelCreate(0);
	if (chid < 0) {
		perror("server: ChannelCreate");
		return 1;
	}
	char spid[16], schid[16];
	snprintf(spid, sizeof(spid), "%d", getpid());
	snprintf(schid, sizeof(schid), "%d", chid);
	char *cargv[] = {argv[0], "client", spid, schid, NULL};
	pid_t pid;
	if (posix_spawn(&pid, argv[0], NULL, NULL, cargv, NULL) != 0) {
		perror("server: posix_spawn");
		return 1;
	}

	for (;;) {
		struct ck_msg m;
		int rcvid = MsgReceive(chid, &m, sizeof(m), NULL);

		if (rcvid < 0) {
			perror("server: MsgReceive");
			return 1;
		}
		if (rcvid == 0) /* a pulse (none expected here): nobody to reply to */
			continue;
		if (m.type == CK_QUIT) {
			MsgReply(rcvid, 0, NULL, 0);
			break;
		}
		if (m.type != CK_SUM) {
			MsgError(rcvid, ENOSYS);
			continue;
		}
		m.text[sizeof(m.text) - 1] = '\0'; /* never trust a client's string */
		int32_t sum = 0;
		for (const char *p = m.text; *p; p++)
			sum += (unsigned char)*p;
		printf("server: \"%s\" sums to %d\n", m.text, sum);
		MsgReply(rcvid, 0, &sum, sizeof(sum));
	}
	int status;
	waitpid(pid, &status, 0);
	printf("server: client said quit and exited with %d\n", WEXITSTATUS(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
