/*
 * pipe, the pipe manager: POSIX pipes on /dev/pipe, the only way data
 * flows between processes' fds here (libc's pipe() opens a pair through
 * it, libc/pipe.c). The handlers are in pipe.c.
 *
 * One thread and no locks: a read with nothing to give and a write with
 * no room are held (their rcvids kept) and answered as the other end
 * moves. It keeps only the ability to have a public channel, locked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/procmgr.h>

#include "pipe.h"

static void drop_abilities(void)
{
	const unsigned dom = PROCMGR_ADN_ROOT | PROCMGR_ADN_NONROOT;
	int err = procmgr_ability(0, dom | PROCMGR_AOP_ALLOW | PROCMGR_AID_PUBLIC_CHANNEL,
				  dom | PROCMGR_AOP_DENY | PROCMGR_AOP_LOCK | PROCMGR_AID_EOL);

	if (err) {
		printf("pipe: cannot drop abilities: %s\n", strerror(err));
		exit(1);
	}
}

static int on_unblock(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	pipe_unblock(ctp->msg->pulse.value.sival_int);
	return 0;
}

int main(void)
{
	dispatch_t *dpp;
	dispatch_context_t *ctp;

	drop_abilities();
	pipe_init();
	if (!(dpp = dispatch_create()) ||
	    resmgr_attach(dpp, NULL, "/dev/pipe", _FTYPE_ANY, 0, &pipe_connect_funcs,
			  &pipe_io_funcs, NULL) < 0 ||
	    pulse_attach(dpp, 0, _PULSE_CODE_UNBLOCK, on_unblock, NULL) == -1 ||
	    !(ctp = dispatch_context_alloc(dpp))) {
		printf("pipe: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}
