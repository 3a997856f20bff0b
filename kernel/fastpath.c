/*
 * The IPC fast path: the common cases of MsgSend, MsgReceive, MsgReply
 * and MsgReplyReceive (and of MsgSendPulse and SchedYield, which switch
 * too), which the arch's kernel-call entry tries before the generic
 * path, msg.c's (seL4's fastpath.c is the model): each is a list of
 * cheap checks, any of which sends the call to the generic path with
 * nothing changed (it returns), then a point of no return after which it
 * leaves every object as the generic path would have, through the same
 * queue, wait and scheduler functions, so whatever comes next (a signal,
 * a timeout, a kill, pidin) finds nothing different. What it skips: the
 * generic dispatch and its argument unpacking, streams of parts, lengths
 * past IPC_SHORT, and the rare states, each of which the checks send to
 * the generic path:
 *   - TimerTimeout for the call, or a signal to look at (the call's end
 *     is the generic path's);
 *   - a byte count past LONG_MAX (EOVERFLOW is the generic path's); the
 *     part-count forms (KerMsgSendv & co.: an iov_t array takes reading)
 *     are not in the table at all;
 *   - a reply longer than IPC_SHORT (copied once, between address
 *     spaces, not staged; a message that long is the fast path's, and
 *     the receiver copies it as the generic path's would, on its own
 *     stack, since a long copy opens interrupt windows);
 *   - MsgSend: no receiver waiting, or one in MsgReceivePulse, or one
 *     that may not run here or that something READY outranks (the
 *     switch would not be direct);
 *   - MsgReceive: anything queued (a pulse, a client);
 *   - MsgReplyReceive: the same, and a client that cannot take the CPU
 *     directly.
 * A fault on the caller's own buffer is not a check: it goes to the
 * generic path, which finds the same fault and reports it. A call the
 * fast path takes never returns to the entry: its result goes straight
 * to user mode (finish). One that blocks (or leaves its thread READY)
 * keeps no kernel context: it ends when the thread runs again, in the
 * fast path that switches to it (run_next) or in ipc_resume() (msg.c)
 * when the scheduler does (arch/context.h).
 *
 * Built on its own, with every general register the caller's to lose
 * (Makefile: FASTPATH_CFLAGS): only the arch's kernel-call entry calls
 * these functions, and it needs none kept (the frame holds the user's),
 * so a fast call saves none on its way in. Its steps are msgpath.h's,
 * which the generic path (msg.c) takes too.
 */
#include <arch/context.h>
#include <kernel/cpu.h>
#include <kernel/ipc.h>
#include <kernel/klock.h>
#include <kernel/msgpath.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/switch.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/wait.h>

uint8_t ipc_fast_mode = IPC_FAST_ONE; /* (smp.c, main.c) */

/* Is there work at the end of t's fast call on c (syscall_exit_due)?
 * On one CPU only signals can be, unless the call readied a thread
 * (the fast reply's client, which may outrank us): none was left at the
 * call's entry (every way back to user mode runs what is deferred and
 * then a switch point, after which only signal delivery to the thread
 * itself comes, which readies no other), no interrupt window opens in a
 * fast call to defer more, and no switch becomes due (switch_made's
 * rule). */
static inline bool exit_due(const struct cpu *c, const struct thread *t, bool readied, bool smp)
{
	return smp || readied ? syscall_exit_due(c, t) : t->sig_check;
}

/* The fast path ends current thread t's call with res, on whatever stack
 * it runs (after a switch, the one of the thread it left): back to user
 * mode from t's frame, unless there is work at the end of the call (a
 * switch due, signals, deferred work: exit_due, readied saying whether
 * the call readied a thread), which takes t's own stack:
 * arch_resume_entry (ARCH_RESUME_KSP), where ipc_resume finds the result
 * (RESUME_DONE) and syscall_fast_exit does the work. (No dead thread
 * waits to be reaped: the caller's own start reaped any, and a fast
 * path's switch is from a live thread.) smp: the kernel lock is let go
 * there, or on t's stack on the way out: not before the stack in use is
 * left, which another CPU may give to the thread that blocked. */
static inline __attribute__((always_inline)) NORETURN void
finish_call(const struct cpu *c, struct thread *t, long res, bool readied, bool smp)
{
	if (__builtin_expect(exit_due(c, t, readied, smp), 0)) {
		t->wait_result = res;
		t->resume = RESUME_DONE;
		arch_context_load(ARCH_RESUME_KSP);
	}
	if (smp)
		arch_syscall_return_unlock(res);
	arch_syscall_return(res, c->kstack_top);
}
/* finish_call for a call that readied no thread. */
static inline __attribute__((always_inline)) NORETURN void
finish(const struct cpu *c, struct thread *t, long res, bool smp)
{
	finish_call(c, t, res, false, smp);
}

/* May t's call take the fast path at all: no TimerTimeout for it, no
 * signal to look at (the call's end is the generic path's)? */
static inline bool fast_ok(const struct thread *t)
{
	return !t->call_checks;
}

/* The calling thread, as a fast call other than the receive starts on
 * CPU c (the one it ends on: a fast call's switch stays on its CPU): on
 * one CPU, a thread held out of the run queue (a fast reply's client, a
 * fast pulse's preempted sender: sched_hold) goes on it first, since the
 * call may read it. */
static inline __attribute__((always_inline)) struct thread *fast_begin(const struct cpu *c,
								       bool smp)
{
	if (!smp && __builtin_expect(c->held != NULL, 0))
		sched_queue_held();
	return c->current;
}

/* Is a thread RECEIVE-blocked on ch, a connection's channel? (None is
 * on a dead one, whose receivers msg_channel_gone woke and which no
 * lookup finds: no test of its own.) */
static inline bool receiver_waits(const struct channel *ch)
{
	return !list_empty(&ch->receivers);
}

/* u is one buffer: a fast call's (RESUME_SEND's and RESUME_RECEIVE's
 * buffers, which fast_send and fast_receive_wait made with uio_one), so
 * the steps below need not test it (no code: a fact for the compiler). */
static inline __attribute__((always_inline)) void known_one(const struct uio *u)
{
	if (u->parts != UIO_ONE)
		__builtin_unreachable();
}

/* The fast path has made t current: t's call ends here when the fast
 * path blocked it (call_end; a send, the likeliest, first: its buffer
 * known, then a pulse's sender), else (a thread the generic path
 * blocked, or a receive that starts over) on t's own stack, from its
 * context. */
static inline __attribute__((always_inline)) NORETURN void run_next(const struct cpu *c,
								    struct thread *t, bool smp)
{
	unsigned how = t->resume;
	long res;

	if (how == RESUME_SEND) {
		t->resume = 0;
		known_one(&t->ipc.rmsg);
		finish(c, t, reply_received(t, t->wait_result), smp);
	}
	if (how == RESUME_DONE) {
		t->resume = 0;
		finish(c, t, t->wait_result, smp);
	}
	if (how) {
		if (call_end(t, &res))
			finish(c, t, res, smp);
		t->resume = RESUME_AGAIN;
	}
	arch_context_load(t->ksp);
}

/* The fast path's block of the current thread t: no deadline (no
 * TimerTimeout for the call), no kernel context kept: the call ends,
 * when the wait does, in ipc_resume() or the fast path that switches
 * back to it, with the result in wait_result. The CPU goes to next
 * (sched_hand_over_to), or with next NULL to the scheduler's pick
 * (sched_hand_over_next); the new current thread is returned, and the
 * caller, still on t's stack, leaves it by ending that thread's call or
 * loading its context. */
static inline __attribute__((always_inline)) struct thread *
block_hand_over(struct cpu *c, struct thread *t, unsigned state, void *obj, wait_cancel_fn cancel,
		struct thread *next, bool smp)
{
	wait_enter(t, state, obj, cancel);
	if (!next)
		return sched_hand_over_next(c, t, smp);
	sched_hand_over_to(c, t, next, smp);
	return next;
}

/* The fast calls' arguments: the kernel call's six, raw (a call uses
 * those it has). */
#define FAST_ARGS                                                                                  \
	UNUSED uint64_t a0, UNUSED uint64_t a1, UNUSED uint64_t a2, UNUSED uint64_t a3,            \
	    UNUSED uint64_t a4, UNUSED uint64_t a5
/* Each kernel call's count of arguments, nargs_Name (syscalls.def's). */
#define KCALL0(nr, ret, name)	   nargs_##name = 0,
#define KCALL1(nr, ret, name, ...) nargs_##name = 1,
#define KCALL2(nr, ret, name, ...) nargs_##name = 2,
#define KCALL3(nr, ret, name, ...) nargs_##name = 3,
#define KCALL4(nr, ret, name, ...) nargs_##name = 4,
#define KCALL5(nr, ret, name, ...) nargs_##name = 5,
#define KCALL6(nr, ret, name, ...) nargs_##name = 6,
enum {
#include <sys/syscalls.def>
};

/* The call goes on to the generic path, which reads its number nr and
 * its n arguments from the frame, where the entry did not store them
 * (arch_kcall_args_save): they go there now. */
static inline __attribute__((always_inline)) void fall_back(unsigned nr, unsigned n, FAST_ARGS)
{
	arch_kcall_args_save(this_cpu()->kstack_top, nr, n, a0, a1, a2, a3, a4, a5);
}
/* Each fast call is built twice from one body (an always_inline
 * name(FAST_ARGS, bool smp), which returns only to leave the call to the
 * generic path): name_one for one CPU, and name_smp for several, which
 * holds the kernel lock while it looks and lets go of it when it goes to
 * the generic path (whose entry takes it again) or on its way out
 * (finish). call: the kernel call's name (its count of arguments). */
#define FAST_CALL(name, call)                                                                      \
	static void name##_one(FAST_ARGS)                                                          \
	{                                                                                          \
		name(a0, a1, a2, a3, a4, a5, false);                                               \
		fall_back(__KER_##call, nargs_##call, a0, a1, a2, a3, a4, a5);                     \
	}                                                                                          \
	static void name##_smp(FAST_ARGS)                                                          \
	{                                                                                          \
		klock_acquire();                                                                   \
		name(a0, a1, a2, a3, a4, a5, true);                                                \
		klock_release();                                                                   \
		fall_back(__KER_##call, nargs_##call, a0, a1, a2, a3, a4, a5);                     \
	}

/* The common end of a receive the fast path blocked r in, switched to by
 * a fast send from c (receive_woken's first case and copy_message's
 * staged one, known: no pulse, the message staged, r's buffer in the
 * address space in use): the message and its info go out, and r's call
 * ends with its rcvid. Returns only when a copy faults, for
 * receive_woken to sort out. */
static inline __attribute__((always_inline)) void
receive_staged(const struct cpu *cpu, struct thread *r, struct thread *c, bool smp)
{
	known_one(&r->ipc.rmsg);
	long n = stage_out(&r->ipc.rmsg, c->ipc.buf, c->ipc.smsg.len);

	if (message_done(c, r, r->ipc.uinfo, n) < 0)
		return;
	r->resume = 0;
	finish(cpu, r, r->wait_result, smp);
}

static inline __attribute__((always_inline)) void fast_send(FAST_ARGS, bool smp)
{
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct connection *c = connect_lookup(t->proc, (int)a0);
	uintptr_t smsg = a1, rmsg = a3;
	size_t sbytes = a2, rbytes = a4;

	if (!fast_ok(t) || !c || !receiver_waits(c->chan) || uio_too_big(sbytes | rbytes))
		return;
	struct channel *ch = c->chan;
	struct thread *r = container_of(ch->receivers.next, struct thread, ipc_q.link);
	if (!t->priority)
		__builtin_unreachable(); /* (a user thread's: valid_priority's >= 1) */
	unsigned prio = serving_priority(r, ch, t->priority);
	bool staged = sbytes <= IPC_SHORT; /* else the receiver copies it */
	if (r->ipc.pulse_only || !sched_can_switch_to(cpu, r, prio, smp) ||
	    (staged && copy_from_user(t->ipc.buf, (const void *)smsg, sbytes)))
		return; /* (one buffer: stage_in's common case) */

	/* No return: msg_send's direct branch (counted at its switch:
	 * stats.ipc_fast_switches, switch.h). */
	t->ipc.smsg = uio_one(t->proc, smsg, sbytes);
	t->ipc.rmsg = uio_one(t->proc, rmsg, rbytes);
	t->ipc.chan = ch;
	t->ipc.conn = c;
	t->ipc_q.priority = t->priority;
	t->ipc.unblock_err = 0;
	list_unlink(&r->ipc_q.link);
	thread_wake_direct(r, queue_reply(t, r, prio));
	t->resume = RESUME_SEND;
	block_hand_over(cpu, t, STATE_REPLY, ch, (wait_cancel_fn)ARCH_TEXT_ADDR(msg_cancel_reply),
			r, smp);
	if (r->resume == RESUME_RECEIVE && staged)
		receive_staged(cpu, r, t, smp);
	r->ipc.sender = t; /* receive_woken's, wherever r's receive ends */
	if (!staged)	   /* the long copy opens interrupt windows: on r's own stack */
		arch_context_load(r->ksp);
	run_next(cpu, r, smp);
}
FAST_CALL(fast_send, KerMsgSend)

/* t waits in RECEIVE on ch (nothing is queued), handing the CPU to next
 * (NULL: whatever the scheduler picks), which is returned: the caller
 * ends its call (block_hand_over). */
static inline __attribute__((always_inline)) struct thread *
fast_receive_wait(struct cpu *c, struct thread *t, struct channel *ch, uintptr_t rmsg,
		  size_t rbytes, uintptr_t uinfo, struct thread *next, bool smp)
{
	struct uio buf = uio_one(t->proc, rmsg, rbytes);

	if (receive_enter(t, ch, &buf, uinfo) && !smp)
		c->need_resched = false; /* (made below: switch_made's rule) */
	t->resume = RESUME_RECEIVE;
	return block_hand_over(c, t, STATE_RECEIVE, ch,
			       (wait_cancel_fn)ARCH_TEXT_ADDR(msg_cancel_queued), next, smp);
}

static inline __attribute__((always_inline)) void fast_receive(FAST_ARGS, bool smp)
{ /* chid, rmsg, rbytes, uinfo */
	struct cpu *cpu = this_cpu();
	struct thread *t = cpu->current;
	struct channel *ch = channel_lookup(t->proc, (int)a0);

	if (!fast_ok(t) || !ch || !list_empty(&ch->send_queue) || uio_too_big(a2))
		return;
	run_next(cpu, fast_receive_wait(cpu, t, ch, a1, a2, a3, NULL, smp), smp);
}
FAST_CALL(fast_receive, KerMsgReceive)

/* Stage a short reply to c (REPLY-blocked on one of t's channels) from
 * one buffer of sbytes (at most LONG_MAX: the caller checked) and drop
 * c's unblock pulse, as msg_reply does (its caller ends c's wait); false
 * (nothing done) when the reply does not stage, or our buffer faults. */
static inline __attribute__((always_inline)) bool fast_reply_to(struct thread *c, uintptr_t smsg,
								size_t sbytes)
{
	size_t moved = MIN(sbytes, c->ipc.rmsg.len);
	if (moved > IPC_SHORT || copy_from_user(c->ipc.buf, (const void *)smsg, moved))
		return false;		  /* (one buffer: stage_in's common case) */
	c->ipc.reply_len = moved;	  /* (0: nothing to copy out) */
	unqueue_unblock(c);
	return true;
}

static inline __attribute__((always_inline)) void fast_reply(FAST_ARGS, bool smp)
{ /* rcvid, status, smsg, sbytes */
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct thread *c = client_of(t, (int)a0);

	if (!fast_ok(t) || !c || uio_too_big(a3) || !fast_reply_to(c, a2, a3))
		return;
	cpu->stats.ipc_fast++;	 /* (no switch: switch.h counts the others) */
	wait_leave(c, (long)a1); /* thread_unblock's, and its sched_ready: */
	if (smp)
		sched_ready(c);
	else
		sched_ready_held(cpu, c, t);
	finish_call(cpu, t, 0, true, smp);
}
FAST_CALL(fast_reply, KerMsgReply)

/* MsgReplyReceive: the reply's client takes the CPU straight away, and
 * we wait for the next message; the generic path (two calls' work in
 * one) when the client cannot, or something is queued already. */
static inline __attribute__((always_inline)) void fast_reply_receive(uint64_t ids, uint64_t uinfo,
								     uint64_t status, uint64_t smsg,
								     uint64_t sizes, uint64_t rmsg,
								     bool smp)
{
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct channel *ch = channel_lookup(t->proc, (int)(ids >> 32));
	struct thread *c = client_of(t, (int)(uint32_t)ids);

	if (!fast_ok(t) || !ch || !c || !list_empty(&ch->send_queue) ||
	    !sched_can_switch_to(cpu, c, c->priority, smp) ||
	    !fast_reply_to(c, smsg, (uint32_t)sizes))
		return;
	thread_wake_direct(c, (long)status);
	fast_receive_wait(cpu, t, ch, rmsg, sizes >> 32, uinfo, c, smp);
	run_next(cpu, c, smp); /* (its send's end first) */
}
FAST_CALL(fast_reply_receive, KerMsgReplyReceive)

/* A fast MsgSendPulse or SchedYield commits: t's call is done (0) and t
 * waits READY while next runs (sched_preempt_hand_over); its end returns
 * the 0. The caller ends next's call (block_hand_over's way). */
static inline __attribute__((always_inline)) void
done_for(struct cpu *c, struct thread *t, unsigned prio, struct thread *next, bool yield, bool smp)
{
	t->wait_result = 0;
	t->resume = RESUME_DONE;
	sched_preempt_hand_over(c, t, prio, next, yield, smp);
	if (smp) /* reschedule's: we may outrank what another CPU runs */
		sched_kick(t);
}

/* MsgSendPulse to a channel whose first receiver, given the pulse's
 * priority, outranks us: it takes the pulse and the CPU, and we wait
 * READY at the head of our queue (a preemption), our call done. When it
 * would not run at once, hand_pulse's thread_unblock and the generic
 * exit do the same work the same way: no gain to take it here. On
 * several CPUs only when the scheduler's kick would send the receiver to
 * this CPU: else it runs on another (an idle one first) while we go on,
 * the generic path's way. */
static inline __attribute__((always_inline)) void fast_pulse(FAST_ARGS, bool smp)
{ /* coid, prio, code, value */
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct connection *c = connect_lookup(t->proc, (int)a0);
	int prio = (int)a1, code = (int)a2;
	long value = (long)a3;

	if (!pulse_code_ok(code) || !fast_ok(t) || !c || !receiver_waits(c->chan))
		return; /* (and the errors: msg_send_pulse's) */
	struct channel *ch = c->chan;
	if (prio == -1)
		prio = t->priority;
	/* 1 to PRIO_UNPRIVILEGED: what any receiver inherits as it is
	 * (inherited()); the others, and the bad ones, msg_send_pulse's. */
	if ((unsigned)prio - 1 >= PRIO_UNPRIVILEGED)
		return;
	struct thread *r = container_of(ch->receivers.next, struct thread, ipc_q.link);
	unsigned rprio = ch->flags & _NTO_CHF_FIXED_PRIORITY ? r->priority : (unsigned)prio;
	unsigned tprio = t->priority;
	if (rprio <= tprio || !sched_can_switch_to(cpu, r, rprio, smp) ||
	    (smp && !sched_kick_here(r, rprio)))
		return;
	pulse_to(r, rprio, code, value, c->scoid);
	done_for(cpu, t, tprio, r, false, smp);
	/* r's wait ends (thread_wake_direct; the switch did not look at it):
	 * one the fast receive began has no deadline to cancel (fast_ok: no
	 * TimerTimeout), and its call ends here (call_end's, known: the
	 * pulse). */
	if (r->resume == RESUME_RECEIVE) {
		r->wait_cancel = NULL;
		r->resume = 0;
		known_one(&r->ipc.rmsg);
		finish(cpu, r, put_pulse(&r->ipc.rmsg, &r->ipc.pulse), smp);
	}
	thread_wake_direct(r, 0);
	run_next(cpu, r, smp);
}
FAST_CALL(fast_pulse, KerMsgSendPulse)

/* SchedYield with a READY thread of our priority to go to. */
static inline __attribute__((always_inline)) void fast_yield(FAST_ARGS, bool smp)
{
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct thread *next = fast_ok(t) ? sched_yield_peer(cpu, t) : NULL;

	if (!next)
		return; /* (reschedule restarts our slice) */
	done_for(cpu, t, t->priority, next, true, smp);
	run_next(cpu, next, smp); /* (a peer that yielded too: RESUME_DONE's end) */
}
FAST_CALL(fast_yield, SchedYield)

/* The entries' tables, for one CPU (one) or several (smp): every call
 * arch_fast_none's (the generic path) but those named after it (hence
 * the overridden initializers). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#define FAST_TABLE(kind)                                                                           \
	{                                                                                          \
		[0 ... IPC_FAST_TABLE - 1] = arch_fast_none,                                       \
					[__KER_SchedYield] = fast_yield_##kind,                    \
					[__KER_KerMsgReplyReceive] = fast_reply_receive_##kind,    \
					[__KER_KerMsgSend] = fast_send_##kind,                     \
					[__KER_KerMsgReceive] = fast_receive_##kind,               \
					[__KER_KerMsgReply] = fast_reply_##kind,                   \
					[__KER_KerMsgSendPulse] = fast_pulse_##kind,               \
	}
const ipc_fast_fn ipc_fast_calls[IPC_FAST_TABLE] = FAST_TABLE(one);
const ipc_fast_fn ipc_fast_calls_smp[IPC_FAST_TABLE] = FAST_TABLE(smp);
#pragma GCC diagnostic pop
