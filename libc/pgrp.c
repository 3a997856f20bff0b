/*
 * Process groups and sessions: setpgid, getpgid, getpgrp, setsid, and
 * killpg (kill of pid 0 or below -1), each a request to proc
 * (<sys/procmsg.h> _PROC_SETPGID .. _PROC_KILLPG) on SYSMGR_COID.
 * Pid 1 (proc, or a test the kernel booted in its place) has no proc
 * above it to ask, and neither has a process without the connection:
 * each is alone in its group, so killpg of its own group signals itself.
 * (Pid 1 does not even send: its SYSMGR_COID may be a connection of its
 * own to something else.)
 */
#include <errno.h>
#include <signal.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <unistd.h>

static long ask(uint16_t type, pid_t pid, pid_t pgid, int signo)
{
	struct _proc_pgrp m = {.type = type, .pid = pid, .pgid = pgid, .signo = signo};

	if (getpid() == SYSMGR_PID)
		return -EBADF; /* no proc to ask */
	return MsgSend_r(SYSMGR_COID, &m, sizeof(m), NULL, 0);
}

static long set_errno(long r)
{
	if (r < 0) {
		errno = r == -EBADF ? ENOSYS : (int)-r; /* EBADF: no proc to ask */
		return -1;
	}
	return r;
}

int setpgid(pid_t pid, pid_t pgid)
{
	return (int)set_errno(ask(_PROC_SETPGID, pid, pgid, 0));
}

pid_t getpgid(pid_t pid)
{
	return (pid_t)set_errno(ask(_PROC_GETPGID, pid, 0, 0));
}

pid_t getpgrp(void)
{
	long r = ask(_PROC_GETPGID, 0, 0, 0);

	return r < 0 ? getpid() : (pid_t)r; /* no proc: our own group */
}

pid_t setsid(void)
{
	return (pid_t)set_errno(ask(_PROC_SETSID, 0, 0, 0));
}

int killpg(pid_t pgrp, int signo)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	long r = ask(_PROC_KILLPG, 0, pgrp, signo);
	if (r == -EBADF && (!pgrp || pgrp == getpid()))
		return SignalKill(ND_LOCAL_NODE, 0, 0, signo, SI_USER, 0);
	return (int)set_errno(r);
}
