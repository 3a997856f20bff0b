/*
 * proc's server loop: requests on its channel (SYSMGR_CHID, which every
 * process is connected to at SYSMGR_COID) are dispatched by their 16-bit
 * type through one table, one handler per message (handlers in one file
 * per service group: procs.c, pgrp.c, ability.c, mem.c, info.c). A handler never
 * blocks on a client; what it returns is the reply (EOK or the error).
 * Pulses: the kernel's news of a child's end, stop or continuation, and a
 * client that wants out of a reply proc holds (its wait, interrupted by a
 * signal: EINTR); a client's connection going needs nothing yet.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/neutrino.h>

#include "proc.h"

static const proc_handler handlers[_PROC_MAX + 1] = {
    [_PROC_SPAWN] = procs_spawn,
    [_PROC_WAIT] = procs_wait,
    [_PROC_GETPPID] = procs_getppid,
    [_PROC_SPAWN_START] = procs_spawn_start,
    [_PROC_SETPGID] = pgrp_request,
    [_PROC_GETPGID] = pgrp_request,
    [_PROC_SETSID] = pgrp_request,
    [_PROC_KILLPG] = pgrp_request,
    [_PROC_ABILITY] = ability_change,
    [_MEM_MAP] = mem_map,
    [_MEM_UNMAP] = mem_unmap,
    [_MEM_PROTECT] = mem_protect,
    /* Process information (info.c). */
    [_PROC_ARGS] = info_args,
    /* The name server's channel (namesrv.c). */
    [_PROC_NAMESRV] = namesrv_register,
};

void *proc_serve(void *arg)
{
	int chid = (int)(long)arg;
	union proc_msg m;
	struct _msg_info info;

	for (;;) {
		int rcvid = MsgReceive(chid, &m, sizeof(m), &info);
		if (rcvid == 0 && m.pulse.code == _PULSE_CODE_PROCDEATH)
			procs_died();
		if (rcvid == 0 && m.pulse.code == _PULSE_CODE_UNBLOCK)
			procs_unblock(m.pulse.value.sival_int);
		if (rcvid == 0 && m.pulse.code == _PULSE_CODE_PROCSTOP) /* pid | signo << 16 */
			procs_stopped(m.pulse.value.sival_int & 0xffff, m.pulse.value.sival_int >> 16);
		if (rcvid == 0 && m.pulse.code == _PULSE_CODE_PROCCONT)
			procs_continued(m.pulse.value.sival_int);
		if (rcvid <= 0)
			continue; /* a pulse, or a receive that failed */
		proc_handler h = m.type <= _PROC_MAX && info.msglen >= (long)sizeof(m.type)
				     ? handlers[m.type]
				     : NULL;
		if (!h) {
			MsgError(rcvid, ENOSYS);
			continue;
		}
		/* Short requests: what was not sent reads as zero. */
		if (info.msglen < (long)sizeof(m))
			memset((char *)&m + info.msglen, 0, sizeof(m) - (size_t)info.msglen);
		int r = h(rcvid, &m, &info);
		if (r == PROC_REPLIED)
			continue;
		if (r < 0)
			MsgError(rcvid, -r);
		else
			MsgReply(rcvid, r, NULL, 0);
	}
}
