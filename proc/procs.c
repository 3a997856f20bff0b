/*
 * proc's process requests (<sys/procmsg.h>): spawn, wait, getppid, and
 * the bookkeeping of parents, children and zombies for the processes
 * proc spawns on request.
 *
 * proc creates them (they are its children to the kernel), which tells
 * its channel of each end with a _PULSE_CODE_PROCDEATH pulse; the server
 * thread then collects them with ProcWait (at once: they have ended), so
 * all the bookkeeping happens in that one thread. Who asked for a process is its parent: it gets
 * SIGCHLD when the child ends and collects it with _PROC_WAIT, whose
 * reply waits (the client stays REPLY-blocked; proc itself never
 * blocks) until a child it may take has ended. A process whose parent
 * ends is an orphan: proc (pid 1) becomes its parent and forgets it when
 * it ends.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/wait.h>

#include "proc.h"

#define WAITERS_MAX 64 /* _PROC_WAIT replies held at once: EAGAIN */

static const struct ifs *image;

/* What proc knows of a pid it spawned. */
static struct child {
	int parent; /* 0: not one of ours */
	int status; /* a zombie's wait status */
	bool zombie;
	bool orphan; /* its parent ended: nobody waits for it */
} children[PROC_PIDS];

/* _PROC_WAIT requests waiting for a child to end. */
static struct waiter {
	int rcvid; /* 0: free */
	int parent, pid;
} waiters[WAITERS_MAX];

void procs_init(const struct ifs *fs)
{
	image = fs;
}

bool procs_child_of(int pid, int parent)
{
	return pid > 0 && pid < PROC_PIDS && children[pid].parent == parent;
}

int procs_spawn(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	static char strings[_PROC_SPAWN_MAX + 1];
	char *argv[64 + 1], *env[64 + 1];
	const struct _proc_spawn *s = &m->spawn;

	if (s->len > _PROC_SPAWN_MAX || s->nargv > 64 || s->nenv > 64)
		return -E2BIG;
	if (!s->len || MsgRead(rcvid, strings, s->len, sizeof(*s)) != (long)s->len)
		return -EINVAL;
	strings[s->len] = 0;
	/* Name, arguments, environment: each string inside what was sent. */
	char *p = strings, *end = strings + s->len;
	const char *name = p;
	p += strlen(p) + 1;
	for (uint32_t i = 0; i < s->nargv + s->nenv; i++) {
		if (p >= end)
			return -EINVAL;
		*(i < s->nargv ? &argv[i] : &env[i - s->nargv]) = p;
		p += strlen(p) + 1;
	}
	argv[s->nargv] = NULL;
	env[s->nenv] = NULL;
	const char *base = strrchr(name, '/');
	struct sched_param sp;
	int policy = SchedGet(info->pid, info->tid, &sp);
	if (policy < 0)
		return -ESRCH; /* the caller is gone */
	int prio = s->prio ? s->prio : sp.sched_priority;
	uint64_t mine, give;
	if (ProcAbilities_r(info->pid, NULL, &mine) < 0)
		return -ESRCH;
	if (!(mine & _NTO_ABILITY_SPAWN))
		return -EPERM;
	/* Only abilities the caller has itself, and never the kernel's
	 * process-manager calls. */
	give = s->flags & _PROC_SPAWN_SETABILITIES ? s->abilities : ability_inherited(info->pid, mine);
	if (give & ~(mine & ~_NTO_ABILITY_PROCMGR))
		return -EPERM;
	pid_t pid = proc_spawn_abilities(image, base ? base + 1 : name, argv, env, prio,
					 s->policy ? s->policy : policy, give);
	if (pid < 0)
		return pid;
	children[pid] = (struct child){.parent = info->pid};
	ability_reset(pid);
	return pid;
}

/* Reply to a waiter with child pid's end; the child is gone then. */
/* Reply to waiter w with child pid's end: true when the waiter took it
 * (the child is gone then); false when the waiter was not there any more
 * (a signal ended its wait, or it ended): the child stays a zombie. */
static bool collect(struct waiter *w, int pid)
{
	struct _proc_waited r = {pid, children[pid].status};
	int err = MsgReply_r(w->rcvid, 0, &r, sizeof(r));

	w->rcvid = 0;
	if (err)
		return false;
	children[pid] = (struct child){0};
	return true;
}

int procs_wait(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	int want = m->wait.pid, any = 0;

	if (want == 0 || want < -1 || (m->wait.options & ~WNOHANG))
		return -EINVAL;
	for (int pid = want == -1 ? 1 : want; pid < PROC_PIDS && (want == -1 || pid == want);
	     pid++) {
		if (!procs_child_of(pid, info->pid))
			continue;
		any = 1;
		if (children[pid].zombie) {
			struct waiter w = {rcvid, info->pid, pid};
			collect(&w, pid);
			return PROC_REPLIED;
		}
	}
	if (!any)
		return -ECHILD;
	if (m->wait.options & WNOHANG) {
		struct _proc_waited r = {0, 0};
		MsgReply(rcvid, 0, &r, sizeof(r));
		return PROC_REPLIED;
	}
	for (int i = 0; i < WAITERS_MAX; i++)
		if (!waiters[i].rcvid) {
			waiters[i] = (struct waiter){rcvid, info->pid, want};
			return PROC_REPLIED; /* answered when a child ends */
		}
	return -EAGAIN;
}

int procs_getppid(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	(void)rcvid;
	(void)m;
	/* Who asked for it (proc once that one ended); for a process proc did
	 * not spawn, proc. */
	int parent = info->pid < PROC_PIDS ? children[info->pid].parent : 0;
	return parent ? parent : SYSMGR_PID;
}

/* Child pid ended with status. */
static void ended(int pid, int st)
{
	if (pid >= PROC_PIDS || !children[pid].parent)
		return;
	/* Its own children are orphans now: ours to forget. */
	for (int c = 1; c < PROC_PIDS; c++)
		if (children[c].parent == pid) {
			if (children[c].zombie) {
				children[c] = (struct child){0};
			} else {
				children[c].parent = SYSMGR_PID;
				children[c].orphan = true;
			}
		}
	int parent = children[pid].parent;
	if (children[pid].orphan) { /* nobody will wait */
		children[pid] = (struct child){0};
		return;
	}
	children[pid].status = st;
	children[pid].zombie = true;
	SignalKill(0, parent, 0, SIGCHLD, WIFEXITED(st) ? CLD_EXITED : CLD_KILLED, pid);
	for (int i = 0; i < WAITERS_MAX; i++) {
		struct waiter *w = &waiters[i];
		if (w->rcvid && w->parent == pid)
			w->rcvid = 0; /* it ended waiting: nobody to answer */
		else if (w->rcvid && w->parent == parent && (w->pid == -1 || w->pid == pid) &&
			 collect(w, pid))
			break;
	}
}

void procs_unblock(int rcvid)
{
	for (int i = 0; i < WAITERS_MAX; i++)
		if (waiters[i].rcvid == rcvid)
			waiters[i].rcvid = 0;
	MsgError(rcvid, EINTR); /* (already answered: ESRCH, nothing to do) */
}

void procs_died(void)
{
	int pid, st;

	/* Every child that has ended (one pulse may stand for several: the
	 * kernel drops pulses past a channel's allowance). */
	for (;;) {
		TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_JOIN, NULL, NULL, NULL);
		if ((pid = ProcWait(-1, &st)) <= 0)
			return;
		ended(pid, st);
	}
}
