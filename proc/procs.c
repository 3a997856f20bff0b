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
 *
 * Stops and continuations come the same way (_PULSE_CODE_PROCSTOP,
 * _PULSE_CODE_PROCCONT): the latest of them is a child's news until a
 * wait with WSTOPPED or WCONTINUED takes it (POSIX: a continuation
 * replaces a stop not yet waited for, and the other way round), and the
 * parent gets SIGCHLD (CLD_STOPPED, CLD_CONTINUED) unless its SIGCHLD
 * action has SA_NOCLDSTOP.
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
	int news;   /* a stop or continuation not waited for yet: its wait
		       status (0: none) */
	bool zombie;
	bool orphan; /* its parent ended: nobody waits for it */
	bool held;   /* its first thread waits for _PROC_SPAWN_START */
} children[PROC_PIDS];

/* _PROC_WAIT requests waiting for a child's end, stop or continuation. */
static struct waiter {
	int rcvid;	 /* 0: free */
	int parent, pid; /* pid -1: any child */
	int options;	 /* WEXITED, WSTOPPED, WCONTINUED, WNOWAIT */
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
	/* The fds to pass on, each a connection of the caller's (read from
	 * the kernel, not taken from the message). */
	static struct _proc_spawn_fd fd[_PROC_SPAWN_FDS_MAX];
	static struct _server_info srv[_PROC_SPAWN_FDS_MAX];
	struct spawn_fds fds = {info->pid, fd, srv, s->nfds};
	size_t fdlen = s->nfds * sizeof(fd[0]);
	if (s->nfds > _PROC_SPAWN_FDS_MAX)
		return -E2BIG;
	if (fdlen && MsgRead(rcvid, fd, fdlen, sizeof(*s) + s->len) != (long)fdlen)
		return -EINVAL;
	for (uint32_t i = 0; i < s->nfds; i++) {
		if (fd[i].fd < 0 || fd[i].fd >= _NTO_SIDE_CHANNEL || fd[i].src < 0 ||
		    fd[i].src >= _NTO_SIDE_CHANNEL)
			return -EBADF;
		for (uint32_t j = 0; j < i; j++)
			if (fd[j].fd == fd[i].fd)
				return -EINVAL;
		if (ConnectServerInfo_r(info->pid, fd[i].src, &srv[i]) != fd[i].src)
			return -EBADF;
	}
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
	pid_t pid = proc_spawn_fds(image, base ? base + 1 : name, argv, env, prio,
				   s->policy ? s->policy : policy, give, s->runmask,
				   s->nfds ? &fds : NULL);
	if (pid < 0)
		return pid;
	children[pid] = (struct child){.parent = info->pid, .held = s->nfds != 0};
	pgrp_spawned(pid, info->pid);
	ability_reset(pid);
	info_keep_args(pid, argv);
	return pid;
}

/* A held child destroyed before its first thread: the kernel tells
 * nobody of its end, so proc forgets it here. */
static void forget_unstarted(int pid)
{
	info_forget(pid);
	pgrp_forget(pid);
	children[pid] = (struct child){0};
}

int procs_spawn_start(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	(void)rcvid;
	int pid = m->start.pid;

	if (!procs_child_of(pid, info->pid) || !children[pid].held)
		return -ESRCH;
	children[pid].held = false;
	int r = proc_start_held(pid, true);
	if (r < 0) /* destroyed before it ran: nothing more will come of it */
		forget_unstarted(pid);
	return r;
}

/* What child c has for a wait with options: its wait status, or -1. */
static int news_for(const struct child *c, int options)
{
	if (c->zombie)
		return options & WEXITED ? c->status : -1;
	if (c->news && (options & (WIFCONTINUED(c->news) ? WCONTINUED : WSTOPPED)))
		return c->news;
	return -1;
}

/* Child pid's end was taken: waiters of its parent that have no child to
 * wait for now (another thread took the one they wanted) get ECHILD. */
static void reaped(int parent)
{
	for (int i = 0; i < WAITERS_MAX; i++) {
		struct waiter *w = &waiters[i];
		if (!w->rcvid || w->parent != parent)
			continue;
		int any = 0;
		for (int c = 1; c < PROC_PIDS && !any; c++)
			any = procs_child_of(c, parent) && (w->pid == -1 || w->pid == c);
		if (!any) {
			MsgError(w->rcvid, ECHILD);
			w->rcvid = 0;
		}
	}
}

/* Answer waiter w with child pid's news (status). True when w took it for
 * good: unless WNOWAIT, the news is gone then (an ended child with it).
 * False when the waiter was not there any more (a signal ended its
 * wait, or it ended): the news stays for the next wait. */
static bool answer(struct waiter *w, int pid, int status)
{
	struct _proc_waited r = {pid, status};
	int err = MsgReply_r(w->rcvid, 0, &r, sizeof(r));
	int parent = children[pid].parent;

	w->rcvid = 0;
	if (err || (w->options & WNOWAIT))
		return false;
	if (!children[pid].zombie) {
		children[pid].news = 0;
		return true;
	}
	children[pid] = (struct child){0};
	reaped(parent);
	return true;
}

int procs_wait(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	const struct _proc_wait *q = &m->wait;
	int want = q->idtype == P_PID ? q->id : -1, any = 0;
	struct waiter w = {rcvid, info->pid, want, q->options};

	if ((q->options & ~(WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT)) ||
	    !(q->options & (WEXITED | WSTOPPED | WCONTINUED)) ||
	    !(q->idtype == P_ALL || (q->idtype == P_PID && q->id > 0)))
		return -EINVAL; /* P_PGID among them: there are no process groups */
	for (int pid = want == -1 ? 1 : want; pid < PROC_PIDS && (want == -1 || pid == want);
	     pid++) {
		if (!procs_child_of(pid, info->pid))
			continue;
		any = 1;
		int st = news_for(&children[pid], q->options);
		if (st != -1) {
			answer(&w, pid, st);
			return PROC_REPLIED;
		}
	}
	if (!any)
		return -ECHILD;
	if (q->options & WNOHANG) {
		struct _proc_waited r = {0, 0};
		MsgReply(rcvid, 0, &r, sizeof(r));
		return PROC_REPLIED;
	}
	for (int i = 0; i < WAITERS_MAX; i++)
		if (!waiters[i].rcvid) {
			waiters[i] = w;
			return PROC_REPLIED; /* answered when a child has news */
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
			if (children[c].held) {
				/* Never started: it goes with its parent, at once
				 * (the kernel tells nobody of it). */
				proc_start_held(c, false);
				forget_unstarted(c);
			} else if (children[c].zombie) {
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
			 (w->options & WEXITED) && answer(w, pid, st))
			break;
	}
}

/* Child pid stopped or continued: status is its news (code the
 * SIGCHLD's, option the waits that take it). */
static void changed(int pid, int status, int code, int option)
{
	struct sigaction sa;

	if (pid <= 0 || pid >= PROC_PIDS || !children[pid].parent || children[pid].zombie ||
	    children[pid].orphan)
		return; /* not ours to tell anyone of */
	int parent = children[pid].parent;
	children[pid].news = status;
	if (SignalAction_r(parent, NULL, SIGCHLD, NULL, &sa) == 0 && !(sa.sa_flags & SA_NOCLDSTOP))
		SignalKill(0, parent, 0, SIGCHLD, code, pid);
	for (int i = 0; i < WAITERS_MAX; i++) {
		struct waiter *w = &waiters[i];
		if (w->rcvid && w->parent == parent && (w->pid == -1 || w->pid == pid) &&
		    (w->options & option) && answer(w, pid, status))
			break;
	}
}

void procs_stopped(int pid, int signo)
{
	changed(pid, signo << 8 | 0x7f, CLD_STOPPED, WSTOPPED);
}

void procs_continued(int pid)
{
	changed(pid, 0xffff, CLD_CONTINUED, WCONTINUED);
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
		info_forget(pid);
		pgrp_forget(pid);
		namesrv_ended(pid);
		ended(pid, st);
	}
}
