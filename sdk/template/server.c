/*
 * greet server, the SDK's template: takes the name "greet" and answers
 * each GREET_UPPER request with its text in capitals. Built on the
 * dispatch layer (<sys/dispatch.h>): name_attach() makes the channel and
 * answers the clients' name_open(); we add a handler for our message
 * type and loop, receiving and dispatching.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/neutrino.h>

#include "greet.h"

/* A GREET_UPPER request: check it, reply with the text in capitals. */
static int on_upper(message_context_t *ctp, int type, unsigned flags, void *handle)
{
	(void)type;
	(void)flags;
	(void)handle;
	const struct greet_msg *m = (const struct greet_msg *)ctp->msg;
	char reply[GREET_MAX];

	/* A short message or a text that does not fit: refuse it (the
	 * client's MsgSend fails with this errno). */
	if (ctp->size < (int)offsetof(struct greet_msg, text) || m->len >= GREET_MAX ||
	    ctp->size < (int)(offsetof(struct greet_msg, text) + m->len)) {
		MsgError(ctp->rcvid, EINVAL);
		return 0;
	}
	for (unsigned i = 0; i < m->len; i++)
		reply[i] = (char)toupper((unsigned char)m->text[i]);
	reply[m->len] = '\0';
	/* The reply unblocks the client; its MsgSend returns 0 (EOK). */
	MsgReply(ctp->rcvid, EOK, reply, m->len + 1u);
	return 0;
}

/* A client closed its last connection: drop our side of it. */
static int on_disconnect(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	ConnectDetach(ctp->msg->pulse.scoid);
	return 0;
}

int main(void)
{
	/* 1. A dispatch: our channel and the routing of what arrives on it. */
	dispatch_t *dpp = dispatch_create();
	/* 2. The name: clients find us with name_open("greet"). */
	name_attach_t *att = dpp ? name_attach(dpp, GREET_NAME, 0) : NULL;
	dispatch_context_t *ctp;

	/* 3. Our handlers: the message type, and the disconnect pulse. */
	if (!att || message_attach(dpp, NULL, GREET_UPPER, GREET_UPPER, on_upper, NULL) < 0 ||
	    pulse_attach(dpp, 0, _PULSE_CODE_DISCONNECT, on_disconnect, NULL) == -1 ||
	    !(ctp = dispatch_context_alloc(dpp))) {
		printf("server: cannot start: %s\n", strerror(errno));
		return 1;
	}
	printf("server: serving /dev/name/local/%s\n", GREET_NAME);
	/* 4. Serve forever: block for a message, then run its handler. */
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}
