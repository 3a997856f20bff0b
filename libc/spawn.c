/*
 * Processes through proc (<sys/procmsg.h>): posix_spawn and QNX's spawn
 * family (_PROC_SPAWN), wait, waitpid and waitid (_PROC_WAIT), getppid
 * (_PROC_GETPPID), all sent on the SYSMGR_COID connection every process
 * starts with.
 *
 * fds: posix_spawn works out the child's fds here, in the caller (ours
 * that are files, the file actions applied in order, those left with
 * FD_CLOEXEC dropped), and names each one's source coid to proc, which
 * makes the child's connections at their numbers and holds the child;
 * we grant it each OCB (_IO_DUP) and let it start (_PROC_SPAWN_START);
 * its libc takes the OCBs at start-up. Without fds it is one request.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libc.h"

#define ARGS_MAX 64

enum { ACT_OPEN, ACT_CLOSE, ACT_DUP2 };

struct __spawn_action {
	int op; /* ACT_* */
	int fd, newfd, oflag;
	mode_t mode;
	char *path; /* ACT_OPEN's, ours */
};

/* The child's fds as they will be: each shares the open of one of our
 * coids (an addopen's a temporary fd of ours). */
struct child_fds {
	unsigned n, ntemp;
	struct _proc_spawn_fd fd[_PROC_SPAWN_FDS_MAX];
	bool cloexec[_PROC_SPAWN_FDS_MAX];
	int temp[_PROC_SPAWN_FDS_MAX];
};

static int fds_find(const struct child_fds *cf, int fd)
{
	for (unsigned i = 0; i < cf->n; i++)
		if (cf->fd[i].fd == fd)
			return (int)i;
	return -1;
}

static void fds_drop(struct child_fds *cf, int fd)
{
	int i = fds_find(cf, fd);

	if (i >= 0) {
		cf->fd[i] = cf->fd[--cf->n];
		cf->cloexec[i] = cf->cloexec[cf->n];
	}
}

/* The child's fd shares src's open: 0 or E2BIG. */
static int fds_set(struct child_fds *cf, int fd, int src, int flags, bool cloexec)
{
	int i = fds_find(cf, fd);

	if (i < 0) {
		if (cf->n == _PROC_SPAWN_FDS_MAX)
			return E2BIG;
		i = (int)cf->n++;
	}
	cf->fd[i] = (struct _proc_spawn_fd){fd, src, (uint32_t)flags};
	cf->cloexec[i] = cloexec;
	return 0;
}

/* Our files, then the actions: 0 or an errno. */
static int child_fds(struct child_fds *cf, const posix_spawn_file_actions_t *fa)
{
	struct _server_info si;
	int err = 0;

	for (int c = 0; !err && (c = ConnectServerInfo_r(0, c, &si)) >= 0 && c < __LIBC_FDS; c++)
		if (__libc_fd_flags(c) >= 0)
			err = fds_set(cf, c, c, __libc_fd_flags(c), si.flags & _NTO_COF_CLOEXEC);
	for (int a = 0; fa && !err && a < fa->n; a++) {
		const struct __spawn_action *act = &fa->acts[a];
		int i = fds_find(cf, act->fd);
		switch (act->op) {
		case ACT_OPEN: {
			if (cf->ntemp == _PROC_SPAWN_FDS_MAX)
				return E2BIG;
			int t = open(act->path, act->oflag | O_CLOEXEC, act->mode);
			if (t < 0)
				return errno;
			cf->temp[cf->ntemp++] = t;
			err = fds_set(cf, act->fd, t, act->oflag, act->oflag & O_CLOEXEC);
			break;
		}
		case ACT_CLOSE:
			fds_drop(cf, act->fd); /* not open: no error (POSIX 2024) */
			break;
		default:
			if (i < 0)
				return EBADF;
			err = fds_set(cf, act->newfd, cf->fd[i].src, (int)cf->fd[i].flags, false);
		}
	}
	for (unsigned i = 0; i < cf->n;) /* close-on-exec */
		if (cf->cloexec[i])
			fds_drop(cf, cf->fd[i].fd);
		else
			i++;
	return err;
}

/* The held child takes our opens (each grant's failure leaves that fd
 * out of the child) and starts: 0 or an errno. */
static int grant_and_start(const struct child_fds *cf, pid_t pid)
{
	struct _proc_spawn_start m = {.type = _PROC_SPAWN_START, .pid = pid};

	for (unsigned i = 0; i < cf->n; i++)
		__libc_fd_grant(cf->fd[i].src, pid, cf->fd[i].fd);
	long r = MsgSend_r(SYSMGR_COID, &m, sizeof(m), NULL, 0);
	return r < 0 ? (int)-r : 0;
}

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
	struct child_fds cf = {0};
	uint32_t one;
	int err;

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
			ARGS_MAX)) ||
	    (err = child_fds(&cf, actions))) {
		for (unsigned i = 0; i < cf.ntemp; i++)
			close(cf.temp[i]);
		return err;
	}
	h.nfds = cf.n;
	iov_t iov[3];
	SETIOV(&iov[0], &h, sizeof(h));
	SETIOV(&iov[1], buf, h.len);
	SETIOV(&iov[2], cf.fd, cf.n * sizeof(cf.fd[0]));
	long r = MsgSendvs_r(SYSMGR_COID, iov, 3, NULL, 0);
	/* Its group is set while it is held, if it is (it has fds): a
	 * shell's job must be in its group before it can be signalled. */
	if (r >= 0 && attr && (attr->flags & POSIX_SPAWN_SETPGROUP))
		setpgid((pid_t)r, attr->pgroup);
	/* A held child (it has fds) starts once it may take our opens. */
	err = r < 0  ? (r == -EBADF ? ENOSYS : (int)-r) /* EBADF: no proc to ask */
	      : cf.n ? grant_and_start(&cf, (pid_t)r)
		     : 0;
	/* The child has its own connections to addopen's opens now. */
	for (unsigned i = 0; i < cf.ntemp; i++)
		close(cf.temp[i]);
	if (!err && pid)
		*pid = (pid_t)r;
	return err;
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

#define POSIX_FLAGS (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER)

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

int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup)
{
	attr->pgroup = pgroup;
	return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *attr, pid_t *pgroup)
{
	*pgroup = attr->pgroup;
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
	actions->n = 0;
	actions->acts = NULL;
	return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *actions)
{
	for (int i = 0; i < actions->n; i++)
		free(actions->acts[i].path);
	free(actions->acts);
	actions->n = 0;
	actions->acts = NULL;
	return 0;
}

static int add_action(posix_spawn_file_actions_t *fa, struct __spawn_action a)
{
	if (a.fd < 0 || a.fd >= __LIBC_FDS || a.newfd < 0 || a.newfd >= __LIBC_FDS) {
		free(a.path);
		return EBADF;
	}
	struct __spawn_action *acts = realloc(fa->acts, (size_t)(fa->n + 1) * sizeof(*acts));
	if (!acts) {
		free(a.path);
		return ENOMEM;
	}
	acts[fa->n++] = a;
	fa->acts = acts;
	return 0;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *actions, int fd, const char *path,
				     int oflag, mode_t mode)
{
	size_t len = strlen(path) + 1;
	char *p = malloc(len);

	if (!p)
		return ENOMEM;
	memcpy(p, path, len);
	return add_action(actions, (struct __spawn_action){ACT_OPEN, fd, 0, oflag, mode, p});
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *actions, int fd)
{
	return add_action(actions, (struct __spawn_action){ACT_CLOSE, fd, 0, 0, 0, NULL});
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *actions, int fd, int newfd)
{
	return add_action(actions, (struct __spawn_action){ACT_DUP2, fd, newfd, 0, 0, NULL});
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
