/*
 * Signal kernel calls with QNX semantics: SignalKill, SignalAction,
 * SignalProcmask, SignalSuspend, SignalWaitinfo, SignalReturn. Argument
 * checking and copying; the work is in signal.c.
 *
 * Who may signal whom (there are no user ids yet): a process itself, a
 * process it created, or any process if it has the signal ability
 * (_NTO_ABILITY_SIGNAL; proc has all abilities); else EPERM. Actions and
 * masks are only ever set for the caller's own process (another pid:
 * EPERM); one with PROCMGR_AID_XPROCESS_QUERY (proc) may read another's
 * action (proc sends SIGCHLD for a stop unless the parent asked for
 * SA_NOCLDSTOP).
 */
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <sys/ucontext.h>

/* The caller's own process by pid (0 or its own), else NULL with *err. */
static struct process *own_process(pid_t pid, long *err)
{
	struct process *self = current_thread()->proc;

	if (pid == 0 || pid == self->pid)
		return self;
	struct process *p = process_find(pid);
	*err = p && !p->zombie ? -EPERM : -ESRCH;
	return NULL;
}

/* A live thread of p (tid > 0). */
static struct thread *live_thread(struct process *p, int tid)
{
	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t->tid == tid && t->state != STATE_DEAD)
			return t;
	}
	return NULL;
}

static bool user_code(uintptr_t a)
{
	return a >= USER_BASE && a < USER_TOP;
}

long sys_SignalKill(const uint64_t a[6])
{
	uint32_t nd = (uint32_t)a[0];
	pid_t pid = (pid_t)a[1];
	int tid = (int)a[2], signo = (int)a[3], code = (int)a[4], value = (int)a[5];
	struct process *self = current_thread()->proc, *p;
	struct thread *t = NULL;

	/* Codes above 0 are the system's: proc's SIGCHLD (CLD_*) may send
	 * them, nobody else. */
	if (nd != ND_LOCAL_NODE || signo < 0 || signo > _SIGMAX || tid < 0 || code < SI_MINAVAIL ||
	    code > (process_may(self, PROCMGR_AID_PROCMGR) ? SI_MAXAVAIL : 0))
		return -EINVAL;
	if (pid < 0) /* a process group: there are none yet */
		return -ESRCH;
	p = pid ? process_find(pid) : self;
	if (!p || p->zombie || p->exiting)
		return -ESRCH;
	if (!signal_allowed(self, p))
		return -EPERM;
	if (tid && !(t = live_thread(p, tid)))
		return -ESRCH;
	if (signo)
		signal_post(p, t, signo, code, value, self->pid);
	return 0;
}

long sys_SignalAction(const uint64_t a[6])
{
	uintptr_t stub = a[1];
	int signo = (int)a[2];
	const struct sigaction *uact = (const void *)(uintptr_t)a[3];
	struct sigaction *uold = (void *)(uintptr_t)a[4];
	long err = 0;
	struct process *p;
	struct sigaction ka;
	struct sig_action act, old;

	if (!uact && a[0] && process_may(current_thread()->proc, PROCMGR_AID_XPROCESS_QUERY)) {
		p = process_find((pid_t)a[0]);
		if (!p || p->zombie)
			return -ESRCH;
	} else if (!(p = own_process((pid_t)a[0], &err))) {
		return err;
	}
	if (uact) {
		if (copy_from_user(&ka, uact, sizeof(ka)))
			return -EFAULT;
		act = (struct sig_action){.handler = (uintptr_t)ka.sa_handler,
					  .mask = (uint64_t)ka.sa_mask.__bits[0],
					  .flags = ka.sa_flags};
		if (act.handler > (uintptr_t)SIG_IGN &&
		    (!user_code(act.handler) || !user_code(stub)))
			return -EINVAL;
	}
	/* The old action goes out first: a bad oact changes nothing. */
	if ((err = signal_action(p, signo, 0, NULL, &old)))
		return err;
	if (uold) {
		memset(&ka, 0, sizeof(ka));
		ka.sa_handler = (void (*)(int))old.handler;
		ka.sa_flags = old.flags;
		ka.sa_mask.__bits[0] = (long)old.mask;
		if (copy_to_user(uold, &ka, sizeof(ka)))
			return -EFAULT;
	}
	return uact ? signal_action(p, signo, stub, &act, NULL) : 0;
}

long sys_SignalProcmask(const uint64_t a[6])
{
	int tid = (int)a[1], how = (int)a[2];
	const sigset_t *uset = (const void *)(uintptr_t)a[3];
	sigset_t *uold = (void *)(uintptr_t)a[4];
	long err = 0;
	struct process *p = own_process((pid_t)a[0], &err);
	struct thread *t;
	sigset_t s;

	if (!p)
		return err;
	if (!(t = tid ? live_thread(p, tid) : current_thread()))
		return -ESRCH;
	if (uset && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (uold) {
		s = (sigset_t){{(long)t->sig_blocked, 0}};
		if (copy_to_user(uold, &s, sizeof(s)))
			return -EFAULT;
	}
	if (!uset)
		return 0;
	if (copy_from_user(&s, uset, sizeof(s)))
		return -EFAULT;
	uint64_t m = (uint64_t)s.__bits[0];
	signal_set_mask(t, how == SIG_BLOCK	? t->sig_blocked | m
			   : how == SIG_UNBLOCK ? t->sig_blocked & ~m
						: m);
	return 0;
}

long sys_SignalSuspend(const uint64_t a[6])
{
	sigset_t s;

	if (copy_from_user(&s, (const void *)(uintptr_t)a[0], sizeof(s)))
		return -EFAULT;
	return signal_suspend((uint64_t)s.__bits[0]);
}

long sys_SignalWaitinfo(const uint64_t a[6])
{
	siginfo_t *uinfo = (void *)(uintptr_t)a[1];
	siginfo_t info;
	sigset_t s;

	if (copy_from_user(&s, (const void *)(uintptr_t)a[0], sizeof(s)))
		return -EFAULT;
	long signo = signal_wait((uint64_t)s.__bits[0], &info);
	if (signo < 0)
		return signo;
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT; /* still pending */
	signal_take((int)signo);
	return signo;
}

long sys_SignalReturn(const uint64_t a[6])
{
	return signal_return(a[0]);
}
