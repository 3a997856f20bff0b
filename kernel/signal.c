/*
 * Signals: posting, the choice of the thread that takes a process's
 * signal, default actions, delivery on the way out to user mode, and the
 * waits of SignalSuspend (SIGSUSPEND) and SignalWaitinfo (SIGWAITINFO).
 * Entry points in signal.h; sys_signal.c checks the calls' arguments.
 * The arch builds the frame a handler runs on and takes it back
 * (arch_signal_enter, arch_signal_return in arch/user.h).
 *
 * A thread holds its mask, its own pending signals with their slots, and
 * sig_check: the one flag the exit path tests, set whenever the thread
 * may have something to act on (a false alarm costs a look, nothing
 * more). A process holds the actions, libc's trampoline, its pending
 * signals with their slots, and whether it is stopped. Nothing that may
 * run in an interrupt allocates, and everything runs with interrupts off,
 * so the timer interrupt and events may post.
 *
 * Stopping is lazy: a stopped process's threads stop on their way out to
 * user mode (STOPPED), so a thread blocked in a kernel call stays
 * blocked and stops when that call ends. SIGCONT readies them. The
 * process manager hears of both (a kernel pulse: proc keeps the wait
 * statuses) from the thread that stops the process and from the first
 * one to run again: a thread on its way out to user mode, where sending
 * a pulse may allocate.
 */
#include <arch/cpu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/kprintf.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/wait.h>

/* Default actions other than ending the process. */
#define DEFAULT_IGNORE                                                                             \
	(SIG_BIT(SIGCHLD) | SIG_BIT(SIGPWR) | SIG_BIT(SIGWINCH) | SIG_BIT(SIGURG) |                \
	 SIG_BIT(SIGPOLL) | SIG_BIT(SIGCONT))
#define DEFAULT_STOP (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP))

static int lowest(uint64_t set)
{
	return __builtin_ctzll(set) + 1;
}

static uint64_t sanitize(uint64_t mask)
{
	return (mask & ~SIG_UNBLOCKABLE) | SIG_SPECIAL;
}

static bool is_default(const struct process *p, int signo)
{
	return p->sig_act[signo - 1].handler == (uintptr_t)SIG_DFL;
}

static bool ignored(const struct process *p, int signo)
{
	return p->sig_act[signo - 1].handler == (uintptr_t)SIG_IGN ||
	       (is_default(p, signo) && (DEFAULT_IGNORE & SIG_BIT(signo)));
}

static bool terminates(const struct process *p, int signo)
{
	return is_default(p, signo) && !((DEFAULT_IGNORE | DEFAULT_STOP) & SIG_BIT(signo));
}

bool signal_allowed(const struct process *from, const struct process *to)
{
	return from == to || to->parent == from->pid || process_may(from, PROCMGR_AID_SIGNAL);
}

/* Drop pending signals in set, the process's and every thread's. */
static void discard(struct process *p, uint64_t set)
{
	p->sig_pending &= ~set;
	list_for_each(it, &p->threads) list_entry(it, struct thread, proc_link)->sig_pending &=
	    ~set;
}

/* Nothing to unlink: these waits are on no queue. */
static bool cancel_unqueued(struct thread *t, int err)
{
	(void)t, (void)err;
	return true;
}

/* t may take signo (it does not block it, or waits for it): make it
 * look. A kernel call it is blocked in ends: at once and whatever its
 * state when the signal ends the process, else by thread_cancel's
 * unblock rules (EINTR); a SignalWaitinfo for it returns it. A stopped
 * thread waits for SIGCONT, except for SIGKILL. */
static void wake(struct thread *t, int signo)
{
	t->sig_check = true;
	if ((t->state == STATE_SIGWAITINFO && (t->sig_wait & SIG_BIT(signo))) ||
	    (t->state == STATE_STOPPED && signo == SIGKILL))
		thread_unblock(t, 0);
	else if (t->state == STATE_STOPPED || !t->wait_cancel) {
		/* running or ready: it looks on its way out (running on
		 * another CPU: now); stopped: SIGCONT first */
		if (t->state == STATE_RUNNING && t != current_thread())
			sched_kick_running(t);
		return;
	}
	else if (terminates(t->proc, signo))
		thread_object_gone(t, EINTR);
	else
		thread_cancel(t, EINTR);
}

/* The thread of p to take signo: the caller if it is p's and lets it
 * through (so raise() is taken by its caller), else one waiting for it in
 * SignalWaitinfo, else one in SignalSuspend that lets it through, else
 * the first that lets it through; NULL when all block it. */
static struct thread *choose(struct process *p, int signo)
{
	struct thread *any = NULL, *suspended = NULL, *self = current_thread();
	uint64_t bit = SIG_BIT(signo);

	if (self->proc == p && !(self->sig_blocked & bit))
		return self;

	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t->state == STATE_DEAD)
			continue;
		if (t->state == STATE_SIGWAITINFO && (t->sig_wait & bit))
			return t;
		if (t->sig_blocked & bit)
			continue;
		if (t->state == STATE_SIGSUSPEND && !suspended)
			suspended = t;
		if (!any)
			any = t;
	}
	return suspended ? suspended : any;
}

static void continue_process(struct process *p)
{
	discard(p, DEFAULT_STOP);
	if (!p->stopped)
		return;
	p->stopped = false;
	p->continued = true;
	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t->state == STATE_STOPPED)
			thread_unblock(t, 0);
	}
}

/* Does t (NULL: some thread of p) block bit? Then a signal ignored by
 * default (SIGCHLD...) stays pending: the thread may wait for it with
 * sigwaitinfo, the usual way to take SIGCHLD (POSIX leaves it open; as
 * Linux). One ignored with SIG_IGN is discarded all the same. */
static bool blocked_for(struct process *p, struct thread *t, uint64_t bit)
{
	if (t)
		return t->sig_blocked & bit;
	list_for_each(it, &p->threads)
	{
		struct thread *u = list_entry(it, struct thread, proc_link);
		if (u->state != STATE_DEAD && (u->sig_blocked & bit))
			return true;
	}
	return false;
}

void signal_post(struct process *p, struct thread *t, int signo, int code, long value, int from_pid)
{
	unsigned long irq = arch_irq_save();
	uint64_t bit = SIG_BIT(signo);

	if (p->exiting || signo < _SIGMIN || signo > _SIGMAX)
		goto out;
	if (signo == SIGCONT)
		continue_process(p);
	else if (DEFAULT_STOP & bit)
		discard(p, SIG_BIT(SIGCONT));
	if (ignored(p, signo) && (!is_default(p, signo) || !blocked_for(p, t, bit)))
		goto out;
	uint64_t *pending = t ? &t->sig_pending : &p->sig_pending;
	if (!(*pending & bit)) { /* a second one is merged into the first */
		*pending |= bit;
		struct sig_slot *s = t ? &t->sig_info[signo - 1] : &p->sig_info[signo - 1];
		*s = (struct sig_slot){.value = value, .pid = from_pid, .code = code};
	}
	if (!t)
		t = choose(p, signo);
	else if ((t->sig_blocked & bit) && !(t->state == STATE_SIGWAITINFO && (t->sig_wait & bit)))
		t = NULL;
	if (t)
		wake(t, signo);
	/* Any thread of the process stops it: all look. */
	if ((DEFAULT_STOP & bit) && is_default(p, signo))
		list_for_each(it, &p->threads) list_entry(it, struct thread, proc_link)->sig_check =
		    true;
out:
	arch_irq_restore(irq);
}

bool signal_fault(struct thread *t, int signo, int code, uintptr_t addr)
{
	struct process *p = t->proc;
	uint64_t bit = SIG_BIT(signo);

	if (is_default(p, signo) || ignored(p, signo) || ((t->sig_blocked | t->sig_pending) & bit))
		return false;
	/* si_addr shares si_value's place in QNX's siginfo_t. */
	signal_post(p, t, signo, code, (long)addr, 0);
	return true;
}

void signal_retarget(struct process *p)
{
	if (p->exiting)
		return;
	for (uint64_t rest = p->sig_pending; rest; rest &= rest - 1) {
		struct thread *t = choose(p, lowest(rest));
		if (t)
			wake(t, lowest(rest));
	}
}

void signal_set_mask(struct thread *t, uint64_t mask)
{
	struct process *p = t->proc;

	t->sig_blocked = sanitize(mask);
	uint64_t ready = (t->sig_pending | p->sig_pending) & ~t->sig_blocked;
	if (ready)
		wake(t, lowest(ready));
	if (p->sig_pending & t->sig_blocked)
		signal_retarget(p);
}

/* Take signo, pending for t or its process: its slot. */
static struct sig_slot take(struct thread *t, int signo)
{
	uint64_t bit = SIG_BIT(signo);

	if (t->sig_pending & bit) {
		t->sig_pending &= ~bit;
		return t->sig_info[signo - 1];
	}
	t->proc->sig_pending &= ~bit;
	return t->proc->sig_info[signo - 1];
}

static void fill_info(siginfo_t *si, int signo, const struct sig_slot *s)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = signo;
	si->si_code = s->code;
	si->si_pid = s->pid;
	si->si_value.sival_ptr = (void *)s->value;
}

static NORETURN void die(struct thread *t, int signo, const char *why)
{
	if (why)
		kprintf("pid %d (%s) tid %d: %s: killed (signal %d)\n", t->proc->pid, t->proc->name,
			t->tid, why, signo);
	process_exit(WAIT_SIGNALED(signo));
}

/* Enter p's handler for signo on t's way out (arch_signal_enter), with
 * the mask the handler runs under; the mask saved in its frame is the
 * one SignalReturn restores. */
static void enter_handler(struct thread *t, int signo, const struct sig_slot *s)
{
	struct process *p = t->proc;
	struct sig_action *a = &p->sig_act[signo - 1];
	uint64_t saved = t->sig_suspended ? t->sig_saved : t->sig_blocked;
	siginfo_t si;

	fill_info(&si, signo, s);
	if (arch_signal_enter(a->handler, p->sig_stub, &si, saved))
		die(t, SIGSEGV, "no room for a signal frame on the user stack");
	t->sig_suspended = false;
	t->sig_blocked =
	    sanitize(t->sig_blocked | a->mask | (a->flags & SA_NODEFER ? 0 : SIG_BIT(signo)));
	if (a->flags & SA_RESETHAND)
		*a = (struct sig_action){0};
	/* What the handler's mask now holds back waits, or goes elsewhere. */
	if ((t->sig_pending | p->sig_pending) & ~t->sig_blocked)
		t->sig_check = true;
	if (p->sig_pending & t->sig_blocked)
		signal_retarget(p);
}

void signal_deliver(void)
{
	struct thread *t = current_thread();

	thread_check_doomed(t);
	struct process *p = t->proc;

	t->sig_check = false;
	for (;;) {
		uint64_t pending = t->sig_pending | p->sig_pending;
		if (pending & SIG_BIT(SIGKILL))
			die(t, SIGKILL, NULL);
		if (p->stopped) {
			thread_block(STATE_STOPPED, p, cancel_unqueued, 0);
			continue;
		}
		if (p->continued) { /* told here: SIGCONT may come from an interrupt */
			p->continued = false;
			process_tell_manager(p, _PULSE_CODE_PROCCONT, p->pid);
		}
		uint64_t ready = pending & ~t->sig_blocked;
		if (!ready) {
			if (!t->sig_suspended)
				return;
			/* SignalSuspend ended without a handler: its mask goes. */
			t->sig_blocked = t->sig_saved;
			t->sig_suspended = false;
			continue;
		}
		int signo = lowest(ready);
		struct sig_slot s = take(t, signo);
		if (ignored(p, signo))
			continue;
		if (!is_default(p, signo)) {
			enter_handler(t, signo, &s);
			return;
		}
		if (DEFAULT_STOP & SIG_BIT(signo)) {
			p->stopped = true;
			process_tell_manager(p, _PULSE_CODE_PROCSTOP, p->pid | signo << 16);
			list_for_each(it, &p->threads)
			{
				struct thread *o = list_entry(it, struct thread, proc_link);
				o->sig_check = true;
				if (o->state == STATE_RUNNING && o != t)
					sched_kick_running(o);
			}
			continue;
		}
		die(t, signo, NULL);
	}
}

int signal_action(struct process *p, int signo, uintptr_t stub, const struct sig_action *act,
		  struct sig_action *old)
{
	if (signo < _SIGMIN || signo > _SIGMAX)
		return -EINVAL;
	if (act && ((SIG_UNBLOCKABLE | SIG_SPECIAL) & SIG_BIT(signo)))
		return -EINVAL;
	struct sig_action *a = &p->sig_act[signo - 1];
	if (old)
		*old = *a;
	if (!act)
		return 0;
	*a = *act;
	a->mask &= ~SIG_UNBLOCKABLE;
	if (a->handler > (uintptr_t)SIG_IGN)
		p->sig_stub = stub;
	/* POSIX: setting a signal to be ignored discards it if pending. */
	if (ignored(p, signo))
		discard(p, SIG_BIT(signo));
	return 0;
}

long signal_suspend(uint64_t mask)
{
	struct thread *t = current_thread();

	t->sig_saved = t->sig_blocked;
	t->sig_suspended = true;
	t->sig_blocked = sanitize(mask);
	t->sig_check = true; /* the exit path delivers, then restores the mask */
	if (!((t->sig_pending | t->proc->sig_pending) & ~t->sig_blocked)) {
		long r = thread_block(STATE_SIGSUSPEND, NULL, cancel_unqueued, 0);
		if (r == -ETIMEDOUT)
			return r;
	}
	return -EINTR;
}

long signal_wait(uint64_t set, siginfo_t *info)
{
	struct thread *t = current_thread();

	set &= ~SIG_UNBLOCKABLE;
	for (;;) {
		uint64_t ready = (t->sig_pending | t->proc->sig_pending) & set;
		if (ready) {
			int signo = lowest(ready);
			bool own = t->sig_pending & SIG_BIT(signo);
			fill_info(info, signo,
				  own ? &t->sig_info[signo - 1] : &t->proc->sig_info[signo - 1]);
			return signo;
		}
		t->sig_wait = set;
		long r = thread_block(STATE_SIGWAITINFO, NULL, cancel_unqueued, 0);
		t->sig_wait = 0;
		if (r < 0)
			return r;
	}
}

void signal_take(int signo)
{
	take(current_thread(), signo);
}

long signal_return(uintptr_t uctx)
{
	struct thread *t = current_thread();
	uint64_t mask;
	long ret;

	if (arch_signal_return(uctx, &mask, &ret))
		die(t, SIGSEGV, "bad context given to SignalReturn");
	signal_set_mask(t, mask);
	return ret;
}
