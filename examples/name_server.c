/*
 * name_server: a server found by name instead of by pid and chid. The
 * server name_attach()es "example_greeter" (/dev/name/local/...) and
 * spawns three clients (this program again); each name_open()s the name,
 * sends its number and prints the greeting it gets back. The server
 * counts the disconnect pulses the clients' endings send, and leaves once
 * all three are gone.
 *
 * Run: name_server
 */
#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/iomsg.h>
#include <sys/neutrino.h>
#include <sys/wait.h>

#define NAME	 "example_greeter"
#define NCLIENTS 3
#define GREET	 0x1000 /* our message type, above _IO_MAX */

struct greet_msg {
	uint16_t type;
	uint16_t zero;
	int32_t client;
};

static int client(int n)
{
	/* namesrv looks the name up; we get a connection to the server. */
	int coid = name_open(NAME, 0);
	struct greet_msg m = {GREET, 0, n};
	char reply[64];

	if (coid < 0) {
		perror("client: name_open");
		return 1;
	}
	long r = MsgSend(coid, &m, sizeof(m), reply, sizeof(reply));
	if (r < 0) {
		perror("client: MsgSend");
		return 1;
	}
	printf("client %d: server says \"%s\"\n", n, reply);
	name_close(coid);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "client"))
		return client(atoi(argv[2]));

	/* No dispatch of our own (NULL): we receive on its channel directly.
	 * The channel asks for disconnect and unblock pulses. */
	name_attach_t *att = name_attach(NULL, NAME, 0);
	if (!att) {
		perror("server: name_attach");
		return 1;
	}
	printf("server: attached /dev/name/local/%s\n", NAME);

	pid_t pids[NCLIENTS];
	for (int i = 0; i < NCLIENTS; i++) {
		char n[8];
		snprintf(n, sizeof(n), "%d", i + 1);
		char *cargv[] = {argv[0], "client", n, NULL};
		if (posix_spawn(&pids[i], argv[0], NULL, NULL, cargv, NULL) != 0) {
			perror("server: posix_spawn");
			return 1;
		}
	}

	int greeted = 0, gone = 0;
	while (gone < NCLIENTS) {
		union {
			struct _pulse pulse;
			uint16_t type;
			struct greet_msg greet;
		} msg;
		int rcvid = MsgReceive(att->chid, &msg, sizeof(msg), NULL);

		if (rcvid < 0) {
			perror("server: MsgReceive");
			return 1;
		}
		if (rcvid == 0) {
			/* A client's last connection went: free our end of it. */
			if (msg.pulse.code == _PULSE_CODE_DISCONNECT) {
				ConnectDetach(msg.pulse.scoid);
				gone++;
			}
			continue;
		}
		switch (msg.type) {
		case _IO_CONNECT: /* name_open's hello: accept it */
			MsgReply(rcvid, EOK, NULL, 0);
			break;
		case GREET: {
			char text[64];
			snprintf(text, sizeof(text), "hello, client %d", msg.greet.client);
			MsgReply(rcvid, 0, text, strlen(text) + 1);
			greeted++;
			break;
		}
		default:
			MsgError(rcvid, ENOSYS);
			break;
		}
	}
	name_detach(att, 0);
	int failed = 0;
	for (int i = 0; i < NCLIENTS; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	printf("server: greeted %d clients, %d disconnected, %d failed\n", greeted, gone, failed);
	return failed != 0;
}
