/*
 * The scheduler: 256 priorities, O(1) pick (bitmap + per-priority FIFO
 * queues), FIFO and round-robin, strict preemption. QNX's rules: a
 * preempted thread goes back to the head of its queue, a yielding thread or
 * one whose RR slice ran out to the tail.
 *
 * Switch points: code that runs with interrupts enabled (user mode,
 * kernel threads, idle) may be preempted at interrupt exit; a kernel call
 * runs with interrupts off and switches only where the caller blocks
 * (sched_block, sched_switch_to) or on its way out (sched_preempt_point at
 * the end of syscall_dispatch): readying a thread or changing a priority
 * only marks a switch due, so no call is left with objects half written.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <kernel/cpu.h>
#include <kernel/thread.h>

#define RR_SLICE_NS 4000000ull /* 4 ms, QNX's default (4 x 1 ms tick) */

/* The READY threads (sched.c's; here for the fast path's inline check).
 * Its top, the highest priority with a READY thread or -1 (kept by
 * rq_add and rq_remove: switch.h), is the boot CPU's rq_top (cpu.h), so
 * that on one CPU the fast path reads it through the CPU pointer it
 * holds (rq_below_on). */
struct runqueue {
	uint64_t words;		     /* bit w set: bitmap[w] not 0 */
	uint64_t bitmap[NPRIO / 64]; /* bit p set: queue[p] not empty */
	struct list queue[NPRIO];    /* READY threads, by priority */
};
extern struct runqueue runq;

/* Highest priority with a READY thread, or -1. */
static inline int rq_top(void)
{
	return cpus[0].rq_top;
}

/* rq_top() < p and rq_top() == p (the fast path's tests); rq_below_on
 * on CPU c, one of several (smp) or the only one (c, then, is cpus[0]). */
static inline bool rq_below_on(const struct cpu *c, unsigned p, bool smp)
{
	return (smp ? cpus[0].rq_top : c->rq_top) < (int)p;
}
static inline bool rq_top_is(unsigned p)
{
	return rq_top() == (int)p;
}

/* May t run on CPU c (its runmask)? */
static inline bool sched_allowed(const struct thread *t, const struct cpu *c)
{
	return !t->runmask || (t->runmask >> c->id & 1);
}

/* Make t READY (it must not be RUNNING or on a queue). If it outranks the
 * running thread, a switch is due: at once if interrupts are enabled here,
 * else at the next safe point. */
void sched_ready(struct thread *t);
/* One CPU: the fast reply's sched_ready for its client t (current: the
 * running thread, which the caller holds). A client that does not
 * outrank the running thread (no switch due) is READY but held out of
 * the run queue, for the next block here (the fast receive's, switch.h's
 * sched_hand_over_next, or sched_hand_over_pick), which runs it if
 * pick() would, with no trip
 * through the queue: a server usually waits for its next message
 * straight after a reply. Anything else that may look at the run queue
 * first queues it (sched_settle, sched_queue_held): every other kernel
 * entry, every fast call but the receive, and the work at a fast call's
 * end (syscall_exit_work). */
/* READY t is held on CPU c: it runs at the next block here unless a
 * READY thread of priority from or above is there (t->priority: it goes
 * behind its equals; one more: before them, preempted). */
static inline void sched_hold(struct cpu *c, struct thread *t, unsigned from)
{
	c->held = t;
	c->held_from = (uint16_t)from;
}
static inline void sched_ready_held(struct cpu *c, struct thread *t, const struct thread *current)
{
	if (t->priority > current->priority) { /* (any may run here: sched_can_switch_to) */
		sched_ready(t);
		return;
	}
	t->state = STATE_READY;
	sched_hold(c, t, t->priority);
}
/* Put the held thread on the run queue, behind its equals as
 * sched_ready would have, or at their head if it was preempted
 * (switch.h's sched_preempt_hand_over). */
void sched_queue_held(void);
static inline void sched_settle(void)
{
	if (__builtin_expect(this_cpu()->held != NULL, 0))
		sched_queue_held();
}
/* Take a READY thread off its queue (it is being destroyed). */
void sched_remove(struct thread *t);
/* The current thread has set its state to a blocked one: run another. */
void sched_block(void);
/* The same, handing the CPU straight to next, blocked until now, without a
 * trip through the run queue (the receiver of a message runs at once, on
 * its sender's slice); next is preempted at its next preemption point if
 * a READY thread outranks it. */
void sched_switch_to(struct thread *next);
/* May the fast path switch to t, at priority prio, directly: t may run on
 * this CPU and nothing is READY at prio or above? With an equal READY
 * the generic path decides (a thread readied goes behind its equals).
 * smp: several CPUs; on one, every thread may run on it (ThreadCtl
 * takes only runmasks with a CPU that exists, and makes one with all of
 * them 0). */
static inline bool sched_can_switch_to(const struct cpu *c, const struct thread *t, unsigned prio,
				       bool smp)
{
	return (!smp || sched_allowed(t, c)) && rq_below_on(c, prio, smp);
}
/* The fast path's block: the current thread, in its wait state, keeps no
 * kernel context (ARCH_RESUME_KSP: its call is ended by ipc_resume() when
 * it runs again, or by the fast path that switches to it), and the CPU
 * goes to the scheduler's pick (sched_block's). All is switched but the
 * stack: the new current thread is returned, and the caller, still on
 * the blocked thread's stack, must leave it by ending that thread's call
 * (arch_syscall_return) or loading its context (arch_context_load).
 * Interrupts are off (a kernel call). The same with the CPU handed
 * straight to a thread, and for a thread preempted or yielding, are
 * switch.h's (inline in the fast path). */
struct thread *sched_hand_over_pick(void);
/* t is READY: the CPU that should take it (on several, any) reschedules
 * (after switch.h's sched_preempt_hand_over on several CPUs, as
 * reschedule does). */
void sched_kick(const struct thread *t);
/* Several CPUs: would t, readied at priority prio, be sent to this CPU
 * (kick's choice: the one working at the lowest level below prio)? */
bool sched_kick_here(const struct thread *t, unsigned prio);
/* The current user thread's FP/SIMD state is in the registers and they
 * are open to it: lazily switched (ARCH_FPU_LAZY, one CPU), it is
 * loaded here at its first use since a switch (the arch's trap), and
 * before the kernel saves or replaces it (signal frames). */
void sched_fpu_own(void);
/* Thread t's save area is freed: no CPU holds its state any more. */
void sched_fpu_forget(const struct thread *t);
/* The READY thread a yield by t (the current thread) would switch to:
 * one of our priority, first in line and allowed here (pick()'s: nothing
 * above us); NULL when the yield would keep the CPU. */
static inline struct thread *sched_yield_peer(const struct cpu *c, const struct thread *t)
{
	if (!rq_top_is(t->priority))
		return NULL;
	struct thread *next = list_entry(runq.queue[t->priority].next, struct thread, run_link);
	if (__builtin_expect(next->runmask != 0, 0))
		return sched_allowed(next, c) ? next : NULL;
	return next;
}
/* Give the CPU to another READY thread of the same priority, if any. */
void sched_relinquish(void);
/* Switch now if a switch is due (interrupt exit, end of a kernel call). */
void sched_preempt_point(void);
/* Change t's priority and policy (SCHED_NOCHANGE keeps the policy); a
 * switch it makes due happens at the next switch point. */
void sched_set(struct thread *t, unsigned prio, unsigned policy);
/* t runs on another CPU: make that CPU enter the kernel and look at it
 * again (its signals, its end, its runmask). */
void sched_kick_running(const struct thread *t);
/* Let the calling thread run only on the CPUs in mask (bit n: cpus[n];
 * 0: any); if this CPU is not among them, it moves at the next switch
 * point. (Threads get their creator's inherit mask when they start.) */
void sched_set_runmask(uint32_t mask);
/* Run t at prio (priority inheritance) without changing its own (base)
 * priority; a switch it makes due waits, as for sched_set. */
void sched_inherit(struct thread *t, unsigned prio);
/* Give CPU c idle as its running thread (the boot CPU's call also sets
 * up the run queue). */
void sched_init_cpu(struct cpu *c, struct thread *idle);
/* The CPUs this one kicked (sched.c) are told by IPI, if there is still
 * something for them; klock_release calls it when this CPU kicked any. */
void sched_send_kicks(void);
/* What a CPU's idle thread does for ever once the kernel is up. */
NORETURN void sched_idle_loop(void);

#endif
