/*
 * Blocking, waking and cancelling a thread: the one mechanism every
 * blocking state uses (see wait.h). A wait is the thread's state, what it
 * waits on (wait_obj), a cancel function that unlinks it, and
 * at most one deadline in t->timer: the wait's own end or the call's
 * TimerTimeout for that state, whichever comes first.
 *
 * Runs with interrupts off: inside kernel calls, and in the timer
 * interrupt, which only arrives where no kernel call is half done (at
 * user mode, in kernel threads and idle, and in the interrupt windows of
 * long copies, where timer work is deferred to the end of the call).
 */
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/wait.h>

uint64_t deadline_after(uint64_t now, uint64_t ns)
{
	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

/* The deadline ran out: the wait ends if its cancel agrees. */
static void wait_expired(struct ktimer *k)
{
	struct thread *t = container_of(k, struct thread, timer);
	int err = t->wait_timeout_err;

	if (t->wait_cancel && t->wait_cancel(t, err ? err : ETIMEDOUT))
		thread_unblock(t, err ? -err : 0);
}

/* Arm t's deadline for state: the earlier of own (0: none) and the
 * call's TimerTimeout if it covers state. false when that deadline has
 * passed already (the wait must end at once). */
static bool arm_deadline(struct thread *t, unsigned state, uint64_t own)
{
	uint64_t d = own;

	t->wait_timeout_err = 0;
	if ((t->timeout_flags & (1u << state)) && (!d || t->timeout_deadline < d)) {
		d = t->timeout_deadline;
		t->wait_timeout_err = ETIMEDOUT;
	}
	if (!d || d == UINT64_MAX) { /* no deadline, or never */
		if (t->timer.armed)
			ktimer_cancel(&t->timer);
		return true;
	}
	if (d <= timer_now_ns())
		return false;
	ktimer_arm(&t->timer, d, wait_expired);
	return true;
}

long thread_block_switch(unsigned state, void *obj, wait_cancel_fn cancel, uint64_t deadline,
			 struct thread *next)
{
	struct thread *t = current_thread();

	wait_enter(t, state, obj, cancel);
	/* No deadline to arm, the common case: nothing to look at (a
	 * running thread's timer is never armed: wait_leave() cancelled it). */
	if ((deadline || (t->timeout_flags & (1u << state))) && !arm_deadline(t, state, deadline)) {
		int err = t->wait_timeout_err;
		KASSERT(!next); /* msg_send copies first when REPLY ends at once */
		if (cancel(t, err ? err : ETIMEDOUT)) {
			wait_leave(t, err ? -err : 0);
			t->state = STATE_RUNNING;
			return t->wait_result;
		}
		/* The wait stays (its server was asked to unblock us). */
	}
	if (next)
		sched_switch_to(next);
	else
		sched_block();
	return t->wait_result;
}

void thread_rewait(struct thread *t, unsigned state, void *obj, wait_cancel_fn cancel)
{
	wait_enter(t, state, obj, cancel);
	if (!arm_deadline(t, state, 0) && cancel(t, ETIMEDOUT))
		thread_unblock(t, -ETIMEDOUT);
}

void thread_unblock(struct thread *t, long result)
{
	KASSERT(t->state != STATE_RUNNING && t->state != STATE_READY);
	wait_leave(t, result);
	sched_ready(t);
}

bool thread_cancel(struct thread *t, int err)
{
	if (!t->wait_cancel || !t->wait_cancel(t, err))
		return false;
	thread_unblock(t, -err);
	return true;
}

void thread_object_gone(struct thread *t, int err)
{
	if (t->wait_cancel)
		t->wait_cancel(t, 0);
	thread_unblock(t, -err);
}

void thread_abort(struct thread *t)
{
	if (t->wait_cancel)
		t->wait_cancel(t, 0);
	wait_leave(t, 0);
}
