/*
 * proc's side of the name server (servers/namesrv): proc starts it
 * before the boot script (or the program init.run names), waits until
 * it has told its channel (_PROC_NAMESRV) or ended, and from then on
 * gives every process it spawns a connection to that channel at
 * NAMESRV_COID (ProcConnectAttach, before the child's first thread), as
 * every process has SYSMGR_COID. Only the process proc started as
 * namesrv may name the channel. If namesrv ends, later processes start
 * without the connection (their name_* calls fail with ENOSYS).
 *
 * The state is the server thread's (the loader's hook, the request and
 * the death news all run there); the main thread only waits for
 * "settled".
 */
#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/namemsg.h>
#include <sys/neutrino.h>

#include "proc.h"

/* libc's (libc/name.c): the connection its name and path calls use. */
extern int __libc_namesrv_coid;

static bool starting;	    /* the next process the loader makes is namesrv */
static int ns_pid, ns_chid; /* 0: none */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static bool settled; /* namesrv named its channel or ended */

static void settle(void)
{
	pthread_mutex_lock(&lock);
	settled = true;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

static int connect_child(pid_t pid)
{
	if (starting) { /* namesrv itself: nothing to connect it to yet */
		starting = false;
		ns_pid = pid;
		return 0;
	}
	if (!ns_chid)
		return 0;
	int coid = ProcConnectAttach_r(pid, ns_pid, ns_chid, _NTO_SIDE_CHANNEL, 0);
	if (coid < 0)
		return 0; /* namesrv is ending: the child goes without */
	return coid == NAMESRV_COID ? coid : -EAGAIN;
}

void namesrv_start(const struct ifs *fs)
{
	struct ifs_entry e;
	char *argv[] = {"namesrv", NULL};
	pid_t pid;

	proc_spawn_hook = connect_child;
	if (ifs_lookup(fs, "namesrv", &e))
		return; /* an image without one */
	/* Our own spawn request: the server thread's next load is it. */
	starting = true;
	int err = posix_spawn(&pid, "namesrv", NULL, NULL, argv, NULL);
	if (err) {
		starting = false;
		printf("proc: cannot start namesrv: %s\n", strerror(err));
		return;
	}
	pthread_mutex_lock(&lock);
	while (!settled)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

int namesrv_register(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	(void)rcvid;
	if (!ns_pid || info->pid != ns_pid || ns_chid)
		return -EPERM;
	if (m->namesrv.chid <= 0)
		return -EINVAL;
	/* Our own connection, at NAMESRV_COID as every process has it, so
	 * that proc's libc (open, for the boot script's reopen; waitfor)
	 * reaches namesrv too. */
	if (ConnectAttach_r(0, ns_pid, m->namesrv.chid, _NTO_SIDE_CHANNEL, 0) != NAMESRV_COID)
		return -EAGAIN;
	ns_chid = m->namesrv.chid;
	__libc_namesrv_coid = NAMESRV_COID;
	settle();
	return 0;
}

bool namesrv_resolves(const char *path)
{
	struct _name_path_resolve_req q = {.type = _NAME_PATH_RESOLVE};
	struct _name_resolved where;

	if (strlen(path) > _NAME_PATH_MAX || !ns_chid)
		return false;
	strcpy(q.path, path);
	return MsgSend(NAMESRV_COID, &q, sizeof(q), &where, sizeof(where)) >= 0;
}

void namesrv_ended(int pid)
{
	if (!ns_pid || pid != ns_pid)
		return;
	printf("proc: namesrv (pid %d) ended; later processes have no names\n", pid);
	ns_pid = ns_chid = 0;
	settle();
}
