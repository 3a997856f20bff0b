/*
 * Process groups and sessions (<sys/procmsg.h> _PROC_SETPGID, _GETPGID,
 * _SETSID, _KILLPG): what setpgid, getpgid, getpgrp, setsid and kill of
 * a negative pid ask. proc keeps each live process's group and session;
 * a child starts in its spawner's (procs.c tells us of each spawn), a
 * process we never heard of (one the boot script or init.run started)
 * leads its own group and session, from the first time it is named.
 * The console server signals its foreground group through _PROC_KILLPG.
 */
#include <errno.h>
#include <signal.h>
#include <sys/neutrino.h>

#include "proc.h"

static struct {
	int pgid, sid; /* 0: not known (or ended) */
} groups[PROC_PIDS];

static bool alive(int pid)
{
	uint64_t set;

	return pid > 0 && pid < PROC_PIDS && ProcAbilities_r(pid, NULL, &set) == 0;
}

/* Whether pid is a live process with an entry (made on first sight). */
static bool known(int pid)
{
	if (pid <= 0 || pid >= PROC_PIDS)
		return false;
	if (!groups[pid].pgid) {
		if (!alive(pid))
			return false;
		groups[pid].pgid = groups[pid].sid = pid;
	}
	return true;
}

void pgrp_spawned(int pid, int parent)
{
	if (known(parent))
		groups[pid] = groups[parent];
}

void pgrp_forget(int pid)
{
	if (pid > 0 && pid < PROC_PIDS)
		groups[pid].pgid = groups[pid].sid = 0;
}

static int setpgid_for(int caller, int pid, int pgid)
{
	if (pgid < 0)
		return -EINVAL;
	pid = pid ? pid : caller;
	pgid = pgid ? pgid : pid;
	if ((pid != caller && !procs_child_of(pid, caller)) || !known(pid) || !known(caller))
		return -ESRCH;
	if (groups[pid].sid == pid || groups[pid].sid != groups[caller].sid)
		return -EPERM;
	if (pgid != pid) {
		/* Joining a group: one of this session must have it. */
		bool found = false;
		for (int p = 1; p < PROC_PIDS && !found; p++)
			found = groups[p].pgid == pgid && groups[p].sid == groups[pid].sid;
		if (!found)
			return -EPERM;
	}
	groups[pid].pgid = pgid;
	return 0;
}

static int killpg_for(int caller, int pgid, int signo)
{
	uint64_t abilities = 0;
	int found = 0, sent = 0;

	if (pgid < 0 || signo < 0 || signo > _SIGMAX)
		return -EINVAL;
	if (!pgid) {
		if (!known(caller))
			return -ESRCH;
		pgid = groups[caller].pgid;
	}
	known(pgid); /* a leader we have not met yet */
	ProcAbilities_r(caller, NULL, &abilities);
	for (int p = 1; p < PROC_PIDS; p++) {
		if (groups[p].pgid != pgid)
			continue;
		found++;
		if (p != caller && !procs_child_of(p, caller) && !(abilities & _NTO_ABILITY_SIGNAL))
			continue;
		if (SignalKill_r(ND_LOCAL_NODE, p, 0, signo, SI_USER, 0) == 0)
			sent++;
	}
	return !found ? -ESRCH : !sent ? -EPERM : 0;
}

int pgrp_request(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	(void)rcvid;
	const struct _proc_pgrp *r = &m->pgrp;
	int caller = info->pid;

	switch (r->type) {
	case _PROC_SETPGID:
		return setpgid_for(caller, r->pid, r->pgid);
	case _PROC_GETPGID:
		if (r->pid < 0)
			return -EINVAL;
		return known(r->pid ? r->pid : caller) ? groups[r->pid ? r->pid : caller].pgid
						       : -ESRCH;
	case _PROC_SETSID:
		if (!known(caller))
			return -ESRCH;
		if (groups[caller].pgid == caller)
			return -EPERM;
		groups[caller].pgid = groups[caller].sid = caller;
		return caller;
	default:
		return killpg_for(caller, r->pgid, r->signo);
	}
}
