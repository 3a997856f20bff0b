/*
 * Signals (kernel/signal.c): what a thread and a process hold of them,
 * posting (from kernel calls, events, timers: never allocates, so
 * interrupt context may post), and delivery on the way out to user mode.
 *
 * Pending signals are bitmasks (bit signo - 1) with one info slot per
 * signal number, per thread (thread-directed) and per process
 * (process-directed): a signal posted while the same number is pending
 * there is merged into it (the first one's info is kept), not queued.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <kernel/compiler.h>
#include <sys/siginfo.h>

struct process;
struct thread;

#define SIG_BIT(signo) (1ull << ((signo)-1))
/* QNX's special signals (57..64): always blocked, never caught. */
#define SIG_SPECIAL (~0ull << (SIGSELECT - 1))
/* Never blocked, caught or ignored. */
#define SIG_UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))

/* What a pending signal carries (siginfo_t's si_code, si_pid, si_value). */
struct sig_slot {
	long value;
	int pid;
	int code;
};

/* A process's disposition of one signal (SignalAction). */
struct sig_action {
	uintptr_t handler; /* SIG_DFL 0, SIG_IGN 1, or a user address */
	uint64_t mask;	   /* blocked as well while it runs */
	int flags;	   /* SA_* */
};

/* Post signo (1.._SIGMAX) to process p (t NULL) or to its thread t, with
 * si_code code, si_value value, from process from_pid. Ignored signals
 * are dropped; a thread that may take it is interrupted (its kernel call
 * ends with EINTR, by the unblock rules of thread_cancel) or told to
 * look on its way out. Callable from interrupt context. */
void signal_post(struct process *p, struct thread *t, int signo, int code, long value,
		 int from_pid);

/* Thread t faulted with signo (user_fault): post it to t, with code and
 * addr (si_addr), if a handler of its process will take it; false when
 * the fault must end the process (default or ignored action, or t
 * blocks it or has it pending already: the instruction would only fault
 * again). */
bool signal_fault(struct thread *t, int signo, int code, uintptr_t addr);

/* The calling thread is about to return to user mode with t->sig_check
 * set: act on its pending unblocked signals (stop, end the process, or
 * enter one handler). The arch calls it at its one return to user mode
 * from kernel calls, exceptions and interrupts. */
void signal_deliver(void);

/* May process `from` signal process `to`? (itself, a process it created,
 * or with the signal ability.) */
bool signal_allowed(const struct process *from, const struct process *to);

/* A thread of p is gone or blocks more than before: process-directed
 * signals still pending find another thread to take them. */
void signal_retarget(struct process *p);

/* t's mask changed to mask (sanitised here): it takes what it now lets
 * through, and what it now blocks goes to another thread. */
void signal_set_mask(struct thread *t, uint64_t mask);

/* The calls (sys_signal.c checks and copies their arguments). SignalAction
 * on p: *old gets the action (if old), act replaces it (if act; EINVAL
 * for SIGKILL, SIGSTOP and the special signals); stub is where handlers
 * return to. 0 or -EINVAL. */
int signal_action(struct process *p, int signo, uintptr_t stub, const struct sig_action *act,
		  struct sig_action *old);
/* SignalSuspend: block with mask until a signal is delivered; -EINTR
 * (or the TimerTimeout's -ETIMEDOUT). */
long signal_suspend(uint64_t mask);
/* SignalWaitinfo: wait until a signal of set is pending for the calling
 * thread or its process; the lowest one's number and *info, or -EINTR /
 * -ETIMEDOUT. It stays pending until signal_take(signo) (so a caller
 * whose copy-out fails loses nothing). */
long signal_wait(uint64_t set, siginfo_t *info);
void signal_take(int signo);
/* SignalReturn from a handler: the context at uctx back in place. */
long signal_return(uintptr_t uctx);

#endif
