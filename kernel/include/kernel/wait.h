/*
 * The one way a thread blocks, wakes and is cancelled (kernel/wait.c).
 *
 * Every blocking state (SEND, RECEIVE, REPLY, JOIN, NANOSLEEP, SIGSUSPEND,
 * SIGWAITINFO, STOPPED, and those to come: INTR, MUTEX, CONDVAR, SEM) is
 * entered through
 * thread_block(), which records what the thread waits on, how to take it
 * off whatever queue its state put it on (a wait_cancel_fn, thread.h) and
 * its deadline: its own (a sleep's end) and the TimerTimeout of the call,
 * if that covers the state. It is left through one of:
 *   thread_unblock(t, result)  done: the waker took t off its queue
 *   thread_cancel(t, err)      timed out (ETIMEDOUT) or interrupted
 *                              (EINTR): the cancel function unlinks it
 *   thread_abort(t)            t is being destroyed (ThreadDestroy,
 *                              process death): unlinked, never readied
 * and an object that goes away wakes its waiters with thread_unblock and
 * its error (ESRCH, EBADF). Everything here runs with interrupts off.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <kernel/cpu.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

/* t enters a wait: its state, what it waits on, how to unlink it. */
static inline void wait_enter(struct thread *t, unsigned state, void *obj, wait_cancel_fn cancel)
{
	t->state = (uint8_t)state;
	t->wait_obj = obj;
	t->wait_cancel = cancel;
}

/* t's wait is over with result: no deadline, nothing to cancel. (What
 * it waited on, wait_obj, is read only in a blocked state, and the next
 * wait_enter sets it.) */
static inline void wait_leave(struct thread *t, long result)
{
	if (t->timer.armed)
		ktimer_cancel(&t->timer);
	t->wait_cancel = NULL;
	t->wait_result = result;
}

/* thread_block, handing the CPU straight to next (blocked until now,
 * woken with thread_wake_direct: the receiver of our message). */
long thread_block_switch(unsigned state, void *obj, wait_cancel_fn cancel, uint64_t deadline,
			 struct thread *next);
/* Block the calling thread in state on obj (KerInfo shows what it
 * waits for from obj, or for JOIN from thread->blocked_on, which the
 * caller sets), with cancel to unlink it; deadline is its own end on the
 * monotonic clock (0: none). The caller has queued it where its waker
 * will find it. Returns what ends the wait gives it: thread_unblock's
 * result, -ETIMEDOUT (the call's TimerTimeout; at once when that is in
 * the past), 0 at its own deadline. */
static inline long thread_block(unsigned state, void *obj, wait_cancel_fn cancel, uint64_t deadline)
{
	return thread_block_switch(state, obj, cancel, deadline, NULL);
}
/* t, blocked, moves on to another blocked state without waking (a
 * client whose message was received goes from SEND to REPLY): the
 * call's TimerTimeout is applied for the new state. */
void thread_rewait(struct thread *t, unsigned state, void *obj, wait_cancel_fn cancel);
/* t's wait is over with result; its waker already took it off its
 * queue. Its deadline is cancelled and it is made READY. */
void thread_unblock(struct thread *t, long result);
/* The same, for a thread the caller switches to directly. */
static inline void thread_wake_direct(struct thread *t, long result)
{
	wait_leave(t, result);
}
/* End t's wait with -err (ETIMEDOUT, EINTR) if its cancel agrees; true
 * when t was woken. */
bool thread_cancel(struct thread *t, int err);
/* What t waits through is gone: its wait ends (unlinked whatever its
 * state) with -err (EBADF, ESRCH). */
void thread_object_gone(struct thread *t, int err);
/* End t's wait for good: t is being destroyed and is not readied. */
void thread_abort(struct thread *t);
/* Does t's TimerTimeout end state at once? Inline: MsgSend asks it on
 * every send, and the clock is read only when a timeout is set. */
static inline bool timeout_at_once(const struct thread *t, unsigned state)
{
	return (t->timeout_flags & (1u << state)) && t->timeout_deadline <= timer_now_ns();
}
/* now + ns, saturating at UINT64_MAX ("never"). */
uint64_t deadline_after(uint64_t now, uint64_t ns);

#endif
