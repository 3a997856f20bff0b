/*
 * Processes through proc (<sys/procmsg.h>): posix_spawn and QNX's spawn
 * family (_PROC_SPAWN), wait, waitpid and waitid (_PROC_WAIT), getppid
 * (_PROC_GETPPID), all sent on the SYSMGR_COID connection every process
 * starts with.
 */
#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/wait.h>
#include <unistd.h>

#define ARGS_MAX 64

/* Pack name, argv and envp after the header; 0 or an errno. */
static int pack(char *buf, uint32_t *len, uint32_t *n, const char *const *v, int max)
{
	for (*n = 0; v && v[*n]; (*n)++) {
		size_t l = strlen(v[*n]) + 1;
		if ((int)*n == max || *len + l > _PROC_SPAWN_MAX)
			return E2BIG;
		memcpy(buf + *len, v[*n], l);
		*len += (uint32_t)l;
	}
	return 0;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
		const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	char buf[_PROC_SPAWN_MAX];
	struct _proc_spawn h = {.type = _PROC_SPAWN};
	const char *name[] = {path, NULL};
	uint32_t one;
	int err;

	if (actions && actions->actions)
		return ENOTSUP;
	/* The child runs where our inherit mask says, as a thread we made
	 * would (QNX), unless the attributes name its CPUs. */
	if (attr && (attr->flags & POSIX_SPAWN_EXPLICIT_CPU)) {
		if (!attr->runmask)
			return EINVAL; /* no CPU at all */
		h.runmask = attr->runmask;
	} else {
		struct _thread_runmask rm = {1, {0}, {0}}; /* 0: unchanged */
		ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &rm);
		h.runmask = rm.inherit_mask[0];
	}
	if (attr) {
		if (attr->flags & POSIX_SPAWN_SETSCHEDPARAM)
			h.prio = attr->param.sched_priority;
		if (attr->flags & POSIX_SPAWN_SETSCHEDULER)
			h.policy = attr->policy;
		if (attr->set_abilities) {
			h.flags |= _PROC_SPAWN_SETABILITIES;
			h.abilities = attr->abilities;
		}
	}
	if ((err = pack(buf, &h.len, &one, name, 1)) ||
	    (err = pack(buf, &h.len, &h.nargv, (const char *const *)argv, ARGS_MAX)) ||
	    (err = pack(buf, &h.len, &h.nenv, (const char *const *)(envp ? envp : environ),
			ARGS_MAX)))
		return err;
	iov_t iov[2];
	SETIOV(&iov[0], &h, sizeof(h));
	SETIOV(&iov[1], buf, h.len);
	long r = MsgSendvs_r(SYSMGR_COID, iov, 2, NULL, 0);
	if (r < 0)
		return r == -EBADF ? ENOSYS : (int)-r; /* EBADF: no proc to ask */
	if (pid)
		*pid = (pid_t)r;
	return 0;
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	/* Every program is in the boot image: no PATH to search yet. */
	return posix_spawn(pid, file, actions, attr, argv, envp);
}

int posix_spawnattr_init(posix_spawnattr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->runmask = 0xffffffffu; /* any CPU */
	return 0;
}

int posix_spawnattr_destroy(posix_spawnattr_t *attr)
{
	(void)attr;
	return 0;
}

#define POSIX_FLAGS (POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER)

/* setflags leaves the extended flags as they are; setxflags sets all. */
int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags)
{
	if ((uint16_t)flags & ~POSIX_FLAGS)
		return EINVAL;
	attr->flags = (attr->flags & ~0xffffu) | (uint16_t)flags;
	return 0;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *attr, short *flags)
{
	*flags = (short)(attr->flags & 0xffff);
	return 0;
}

int posix_spawnattr_setxflags(posix_spawnattr_t *attr, uint32_t flags)
{
	if (flags & ~(uint32_t)(POSIX_FLAGS | POSIX_SPAWN_EXPLICIT_CPU))
		return EINVAL;
	attr->flags = flags;
	return 0;
}

int posix_spawnattr_getxflags(const posix_spawnattr_t *attr, uint32_t *flags)
{
	*flags = attr->flags;
	return 0;
}

int posix_spawnattr_setrunmask(posix_spawnattr_t *attr, uint32_t runmask)
{
	attr->runmask = runmask;
	return 0;
}

int posix_spawnattr_getrunmask(const posix_spawnattr_t *attr, uint32_t *runmask)
{
	*runmask = attr->runmask;
	return 0;
}

int posix_spawnattr_setschedparam(posix_spawnattr_t *attr, const struct sched_param *param)
{
	attr->param = *param;
	return 0;
}

int posix_spawnattr_setschedpolicy(posix_spawnattr_t *attr, int policy)
{
	if (policy != SCHED_FIFO && policy != SCHED_RR && policy != SCHED_OTHER)
		return EINVAL;
	attr->policy = policy;
	return 0;
}

int posix_spawnattr_setabilities(posix_spawnattr_t *attr, uint64_t abilities)
{
	attr->set_abilities = 1;
	attr->abilities = abilities;
	return 0;
}

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *actions)
{
	actions->actions = 0;
	return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *actions)
{
	(void)actions;
	return 0;
}

/* One _PROC_WAIT: the child's pid (0: WNOHANG and no news) and its wait
 * status in *status, or -1 with errno. */
static pid_t proc_wait(idtype_t idtype, id_t id, int options, int *status)
{
	struct _proc_wait m = {.type = _PROC_WAIT, .idtype = idtype, .id = id, .options = options};
	struct _proc_waited r;
	long e = MsgSend_r(SYSMGR_COID, &m, sizeof(m), &r, sizeof(r));

	if (e < 0) {
		errno = e == -EBADF ? ECHILD : (int)-e;
		return -1;
	}
	*status = r.status;
	return r.pid;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	int st = 0;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED)) {
		errno = EINVAL;
		return -1;
	}
	/* pid 0 and below -1 name process groups: proc has none (EINVAL). */
	idtype_t idtype = pid == -1 ? P_ALL : pid > 0 ? P_PID : P_PGID;
	pid_t r = proc_wait(idtype, pid < -1 ? -pid : pid, options | WEXITED, &st);
	if (status && r > 0)
		*status = st;
	return r;
}

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	int st = 0;
	pid_t pid = proc_wait(idtype, id, options, &st);

	if (pid < 0)
		return -1;
	/* Nothing yet (WNOHANG): si_signo and si_pid 0, as POSIX says. */
	memset(info, 0, sizeof(*info));
	if (!pid)
		return 0;
	info->si_signo = SIGCHLD;
	info->si_pid = pid;
	if (WIFEXITED(st)) {
		info->si_code = CLD_EXITED;
		info->si_status = WEXITSTATUS(st);
	} else if (WIFSTOPPED(st)) {
		info->si_code = CLD_STOPPED;
		info->si_status = WSTOPSIG(st);
	} else if (WIFCONTINUED(st)) {
		info->si_code = CLD_CONTINUED;
		info->si_status = SIGCONT;
	} else {
		info->si_code = CLD_KILLED;
		info->si_status = WTERMSIG(st);
	}
	return 0;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

pid_t getppid(void)
{
	uint16_t type = _PROC_GETPPID;
	long r = MsgSend_r(SYSMGR_COID, &type, sizeof(type), NULL, 0);

	return r < 0 ? SYSMGR_PID : (pid_t)r; /* no proc to ask: it is ours */
}

int spawnve(int mode, const char *path, char *const argv[], char *const envp[])
{
	pid_t pid;
	int st, err = mode == P_WAIT || mode == P_NOWAIT
			  ? posix_spawn(&pid, path, NULL, NULL, argv, envp)
			  : EINVAL;

	if (err) {
		errno = err;
		return -1;
	}
	if (mode == P_NOWAIT)
		return pid;
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

int spawnv(int mode, const char *path, char *const argv[])
{
	return spawnve(mode, path, argv, NULL);
}

int spawnl(int mode, const char *path, const char *arg0, ...)
{
	char *argv[ARGS_MAX + 1];
	va_list ap;
	int n = 0;

	va_start(ap, arg0);
	for (const char *a = arg0; a && n < ARGS_MAX; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	return spawnv(mode, path, argv);
}
