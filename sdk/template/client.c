/*
 * greet client, the SDK's template: finds the server by its name, sends
 * it a text (its argument, or a greeting) and prints the reply.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/neutrino.h>
#include <unistd.h>

#include "greet.h"

int main(int argc, char **argv)
{
	struct greet_msg m = {.type = GREET_UPPER};
	char reply[GREET_MAX];

	/* The text to send: at most GREET_MAX - 1 bytes of it. */
	snprintf(m.text, sizeof(m.text), "%s", argc > 1 ? argv[1] : "hello from the client");
	m.len = (uint16_t)strlen(m.text);

	/* 1. Connect to the server by name (namesrv finds its channel). The
	 * boot script starts the server just before us and cannot wait for a
	 * name (waitfor sees resmgr paths), so give it up to 5 s to attach. */
	int coid = name_open(GREET_NAME, 0);
	for (int tries = 0; coid == -1 && errno == ENOENT && tries < 500; tries++) {
		usleep(10000);
		coid = name_open(GREET_NAME, 0);
	}
	if (coid == -1) {
		printf("client: name_open(%s): %s\n", GREET_NAME, strerror(errno));
		return 1;
	}
	/* 2. Send and wait: we are blocked until the server replies. */
	if (MsgSend(coid, &m, sizeof(m), reply, sizeof(reply)) == -1) {
		printf("client: MsgSend: %s\n", strerror(errno));
		return 1;
	}
	/* 3. Done with the server. */
	name_close(coid);
	printf("client: the server says: %s\n", reply);
	return 0;
}
