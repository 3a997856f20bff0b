/*
 * namesrv, the name server: keeps /dev/name/local/NAME -> (pid, chid)
 * for name_attach, name_detach and name_open, and the pathname space
 * of resource managers' prefixes for resmgr_attach and open
 * (<sys/namemsg.h>; the handlers are in names.c and paths.c). proc
 * starts it before anything else and connects every later process to
 * its channel at NAMESRV_COID; it tells
 * proc that channel with _PROC_NAMESRV, which proc takes only from the
 * process it started as namesrv.
 *
 * One thread, one dispatch loop: requests are short and never wait on a
 * client, so the table needs no lock. The channel is
 * _NTO_CHF_DISCONNECT (the dispatch layer's): a process's last
 * connection to it goes when the process ends, and the
 * _PULSE_CODE_DISCONNECT that follows removes the names and prefixes it
 * held.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/iomsg.h>
#include <sys/namemsg.h>
#include <sys/procmgr.h>
#include <sys/procmsg.h>

/* names.c: local names (0x0200-0x020F); paths.c: the pathname space
 * (0x0210-0x02FF). Each forgets what a process held when it is gone. */
#include "namesrv.h"

int namesrv_chid;

int request_fits(const message_context_t *ctp, size_t want)
{
	if (!want)
		return -ENOSYS;
	if ((size_t)ctp->info.srcmsglen < want)
		return -EINVAL;
	if ((size_t)ctp->info.srcmsglen > want)
		return -EMSGSIZE;
	return 0;
}

void answer(message_context_t *ctp, int r)
{
	if (r < 0)
		MsgError(ctp->rcvid, -r);
	else
		MsgReply(ctp->rcvid, r, NULL, 0);
}

int new_id(void)
{
	static int next = 1;
	int id = next;

	next = next == INT32_MAX ? 1 : next + 1;
	return id;
}

/* A process's last connection to us went (it ended): what it held goes. */
static int on_disconnect(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	int scoid = ctp->msg->pulse.scoid;

	names_forget(scoid);
	paths_forget(scoid);
	dirs_forget(scoid);
	/* The client is gone: its scoid is ours to let go (QNX). */
	ConnectDetach(scoid);
	return 0;
}

/* Nothing of proc's powers: a public channel is all it needs. */
static void drop_abilities(void)
{
	const unsigned dom = PROCMGR_ADN_ROOT | PROCMGR_ADN_NONROOT;
	int err = procmgr_ability(0, dom | PROCMGR_AOP_ALLOW | PROCMGR_AID_PUBLIC_CHANNEL,
				  dom | PROCMGR_AOP_DENY | PROCMGR_AOP_LOCK | PROCMGR_AID_EOL);

	if (err) {
		printf("namesrv: cannot drop abilities: %s\n", strerror(err));
		exit(1);
	}
}

int main(void)
{
	dispatch_t *dpp;
	dispatch_context_t *ctp;

	drop_abilities();
	/* Our own channel, to tell proc its chid. */
	int chid = namesrv_chid = ChannelCreate(_NTO_CHF_UNBLOCK | _NTO_CHF_DISCONNECT);
	if (chid < 0 || !(dpp = dispatch_create_channel(chid, 0)) ||
	    message_attach(dpp, NULL, _NAME_BASE, _NAME_PATH_ATTACH - 1, names_request, NULL) < 0 ||
	    message_attach(dpp, NULL, _NAME_PATH_ATTACH, _NAME_MAX_TYPE, paths_request, NULL) < 0 ||
	    message_attach(dpp, NULL, _IO_CONNECT, _IO_MAX, dirs_request, NULL) < 0 ||
	    pulse_attach(dpp, 0, _PULSE_CODE_DISCONNECT, on_disconnect, NULL) == -1 ||
	    !(ctp = dispatch_context_alloc(dpp))) {
		printf("namesrv: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	struct _proc_namesrv reg = {.type = _PROC_NAMESRV, .chid = chid};
	int err = MsgSend_r(SYSMGR_COID, &reg, sizeof(reg), NULL, 0);
	if (err < 0) {
		printf("namesrv: proc refused our channel: %s\n", strerror(-err));
		return 1;
	}
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}
