/*
 * A CPU's switch from one thread to another, inline: the scheduler's
 * (sched.c) and the IPC fast path's (fastpath.c), which builds it into each
 * fast call with no call and with what it knows at compile time (one CPU
 * or several). Only those two include it; everyone else goes through
 * sched.h's entry points.
 */
#ifndef KERNEL_SWITCH_H
#define KERNEL_SWITCH_H

#include <arch/cpu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/timer.h>

/* sched.c's, out of line: a round-robin slice ran out; pick()'s search
 * past threads whose runmask keeps them from c. */
void sched_slice_over(struct ktimer *t);
struct thread *sched_pick_allowed(const struct cpu *c);

/* The most important READY thread CPU c may run, or NULL; the first one
 * looked at unless a runmask keeps it elsewhere. */
static inline struct thread *pick(const struct cpu *c)
{
	int top = rq_top();

	if (top < 0)
		return NULL;
	struct thread *first = list_entry(runq.queue[top].next, struct thread, run_link);
	return !first->runmask ? first : sched_pick_allowed(c);
}

/* The highest priority with a READY thread, from the bitmaps, or -1 (the
 * top one's queue has emptied): two bit scans. */
static inline int rq_scan(const struct runqueue *rq)
{
	if (!rq->words)
		return -1;
	int w = 63 - __builtin_clzll(rq->words);
	return w * 64 + 63 - __builtin_clzll(rq->bitmap[w]);
}

static inline __attribute__((always_inline)) void rq_add(struct runqueue *rq, struct thread *t,
							 bool at_head)
{
	struct list *q = &rq->queue[t->priority];

	if (at_head)
		list_add_head(q, &t->run_link);
	else
		list_add_tail(q, &t->run_link);
	rq->bitmap[t->priority / 64] |= 1ull << (t->priority % 64);
	rq->words |= 1ull << (t->priority / 64);
	if ((int)t->priority > cpus[0].rq_top)
		cpus[0].rq_top = t->priority;
}

static inline __attribute__((always_inline)) void rq_remove(struct runqueue *rq, struct thread *t)
{
	list_remove(&t->run_link);
	if (!list_empty(&rq->queue[t->priority]))
		return;
	rq->bitmap[t->priority / 64] &= ~(1ull << (t->priority % 64));
	if (!rq->bitmap[t->priority / 64])
		rq->words &= ~(1ull << (t->priority / 64));
	if ((int)t->priority == cpus[0].rq_top)
		cpus[0].rq_top = rq_scan(rq);
}

/* t runs on CPU c from now on, on a slice of its own: a round-robin
 * one, or none. expired: c->slice_expired may be set; a fast call's
 * switch on one CPU knows it is not (only the slice timer sets it, and
 * its interrupt's exit, or the end of the kernel call that deferred it,
 * reached a switch point, which cleared it, before the next call). */
static inline __attribute__((always_inline)) void start_slice(struct cpu *c, struct thread *t,
							      bool expired)
{
	unsigned sliced = t->sliced; /* (read before the store below) */

	if (expired)
		c->slice_expired = false;
	if (!(sliced | c->slice.armed))
		return; /* no slice, none under way: a FIFO thread's usual switch */
	if (sliced)
		ktimer_arm(&c->slice, timer_now_ns() + RR_SLICE_NS, sched_slice_over);
	else
		ktimer_cancel(&c->slice);
}

/*
 * FP/SIMD: with more than one CPU, each switch saves prev's registers and
 * loads next's (a thread may run on another CPU next). On one CPU (one),
 * an arch with ARCH_FPU_LAZY keeps in the registers the state of the last
 * user thread that used them (cpu->fpu_holder) until another touches them:
 * a switch only opens the registers (to the thread they hold) or closes
 * them (to any other), and the first use of a closed one traps to
 * sched_fpu_own, which saves the holder's and loads the user's. Threads
 * that do not use them between switches (a message loop) pay nothing.
 * They open at once only for a holder that used them lately: a use
 * (its trap) keeps them so for FPU_RECENT switch-ins; after that a
 * holder traps at its next use, which only opens them (its state is
 * still there). So two threads that no longer use them, one the holder,
 * make no CPACR write at each switch, and one that keeps using them
 * takes one trap in FPU_RECENT switch-ins (Linux's old lazy FPU kept a
 * like count).
 */
#define FPU_RECENT 16
static inline __attribute__((always_inline)) void
fpu_switch(struct cpu *c, struct thread *prev, struct thread *next, bool one, bool users)
{
#ifdef ARCH_FPU_LAZY
	if (one) {
		if (!users && !next->fpu)
			return; /* kernel threads: as it is */
		if (next->fpu_recent) { /* the holder's alone (sched_fpu_own) */
			next->fpu_recent--;
			if (c->fpu_off) {
				c->fpu_off = false;
				arch_fpu_access(true);
			}
		} else if (!c->fpu_off) {
			c->fpu_off = true;
			arch_fpu_access(false);
		}
		return;
	}
#else
	(void)c;
	(void)one;
#endif
	void *prev_fpu = prev->fpu, *next_fpu = next->fpu; /* (read once) */

	if (users || prev_fpu)
		arch_fpu_save(prev_fpu);
	if (users || next_fpu)
		arch_fpu_restore(next_fpu);
}

/* The switch from prev to next is about to happen: kernel stack for
 * traps, FP/SIMD registers, user thread pointer, address space. users:
 * both are known to be user threads (with an FP/SIMD area: the fast
 * path's direct switches), so neither is tested for a kernel thread. */
static inline __attribute__((always_inline)) void
switch_prepare(struct cpu *c, struct thread *prev, struct thread *next, bool one, bool users)
{
	bool user = users || next->fpu; /* (before fpu_switch's asm, which may write memory) */

	fpu_switch(c, prev, next, one, users);
	if (!user)
		return; /* kernel threads run on whatever user space is loaded */
	c->kstack_top = thread_kstack_top(next); /* (arch/user.h: all traps' too) */
#ifdef ARCH_SWITCHES_USER_TP
	arch_write_user_tp(&next->user_tp); /* (no test: libc gives each thread its own) */
#endif
	if (next->proc != prev->proc)
		process_activate(c, next->proc, one);
}

/* This CPU goes from prev (not the idle thread) to next (already
 * RUNNING): all but the stacks. one: there is one CPU (cpu_count == 1),
 * where every thread's cpu is 0 for ever. fast: the switch of a fast
 * call (fastpath.c), which one count makes both a switch and a fast
 * call (stats.ipc_fast_switches): one increment fewer where it matters. */
static inline __attribute__((always_inline)) void switch_begin(struct cpu *c, struct thread *prev,
							       struct thread *next, bool one,
							       bool users, bool fast)
{
	c->current = next;
	if (fast)
		c->stats.ipc_fast_switches++;
	else
		c->stats.switches++;
	if (!one)
		next->cpu = (uint8_t)c->id;
	switch_prepare(c, prev, next, one, users);
}

/* The switch of a thread that keeps no context (the hand-overs below:
 * a thread in a kernel call, never the idle thread): prev's is
 * ARCH_RESUME_KSP from now on, and next is current; the caller, still on
 * prev's stack, leaves it by ending next's call or loading next's
 * context. */
static inline __attribute__((always_inline)) void switch_away(struct cpu *c, struct thread *prev,
							      struct thread *next, bool one,
							      bool users, bool fast)
{
	switch_begin(c, prev, next, one, users, fast);
	prev->ksp = ARCH_RESUME_KSP;
}

/* next, on no run queue (or the idle thread), runs here on a slice of
 * its own (expired: start_slice's). The thread to switch to. */
static inline __attribute__((always_inline)) struct thread *
run_ready(struct cpu *c, struct thread *next, bool expired)
{
	next->state = STATE_RUNNING;
	start_slice(c, next, expired);
	return next;
}

/* next, blocked until now, runs here by a direct switch: a FIFO thread
 * stops a round-robin slice under way, a round-robin one goes on with
 * it or starts one. */
static inline __attribute__((always_inline)) void run_direct(struct cpu *c, struct thread *next,
							     bool expired)
{
	next->state = STATE_RUNNING;
	if (!next->sliced || !c->slice.armed)
		start_slice(c, next, expired);
}

/* The fast path's hand-overs below make the switch that was due, if
 * one was. On one CPU none is at a kernel call's entry (the way back to
 * user mode went through a switch point), and the one thing a fast call
 * does before its switch that can make one due, a receiver's return to
 * its own priority (receive_enter's inherit), clears it there
 * (fastpath.c's fast_receive_wait): no store at every switch. */
static inline __attribute__((always_inline)) void switch_made(struct cpu *c, bool smp)
{
	if (smp)
		c->need_resched = false;
}

/* sched_hand_over_pick with the next thread given (not NULL), as the fast path
 * builds it: the current thread prev, in its wait state, keeps no
 * context, and the CPU c goes straight to next (sched_can_switch_to's).
 * smp: more than one CPU. */
static inline __attribute__((always_inline)) void
sched_hand_over_to(struct cpu *c, struct thread *prev, struct thread *next, bool smp)
{
	switch_made(c, smp);
	run_direct(c, next, smp);
	switch_away(c, prev, next, !smp, true, true); /* (a client or a receiver) */
}

/* sched_hand_over_pick as the fast receive builds it on one CPU, with
 * no call: the thread held out of the run queue (the client the last
 * fast reply readied, sched_ready_held, or the sender a fast pulse
 * preempted, sched_preempt_hand_over) runs when pick() would take it
 * (nothing READY above it, nor at its priority unless it was preempted,
 * which puts it at its queue's head), else it is queued and pick()
 * decides. Several CPUs, and nothing READY (the idle thread), are
 * sched_hand_over_pick's. */
static inline __attribute__((always_inline)) struct thread *
sched_hand_over_next(struct cpu *c, struct thread *prev, bool smp)
{
	struct thread *next = c->held;

	if (smp) {
		c->stats.ipc_fast++; /* (the switch is the scheduler's) */
		return sched_hand_over_pick();
	}
	if (next && rq_below_on(c, c->held_from, false)) { /* (one CPU) */
		c->held = NULL;
		/* (held: a user thread in a fast call, sched_hold's) */
		switch_away(c, prev, run_ready(c, next, false), true, true, true);
		return next;
	}
	if (next)
		sched_queue_held();
	if (!(next = pick(c))) {
		c->stats.ipc_fast++; /* (the switch, to the idle thread, is the scheduler's) */
		return sched_hand_over_pick();
	}
	rq_remove(&runq, next);
	switch_away(c, prev, run_ready(c, next, false), true, false, true);
	return next;
}

/* The same for a running thread prev whose call is done: it goes
 * READY, and the CPU c to next. yield: next is sched_yield_peer()'s and
 * prev goes behind it (reschedule's YIELD); else next, blocked until
 * now, outranks prev (sched_can_switch_to) and prev stays at the head of
 * its queue (PREEMPT), where on one CPU it is held (c->held, at the
 * head: sched.h's sched_ready_held has the rules) for next's block,
 * which usually comes first: the receiver of a pulse waits for the next.
 * prio: prev's priority, as the caller read it (not read again after its
 * stores, which the compiler cannot tell from prev's).
 * Interrupts are off (a kernel call, whose start queued any held
 * thread). */
static inline __attribute__((always_inline)) void
sched_preempt_hand_over(struct cpu *c, struct thread *prev, unsigned prio, struct thread *next,
			bool yield, bool smp)
{
	/* reschedule(YIELD) or reschedule(PREEMPT), with next decided. */
	switch_made(c, smp);
	if (smp)
		c->claim = -1; /* (never set on one CPU) */
	prev->state = STATE_READY;
	if (yield) { /* next leaves our queue's head, we join its tail */
		struct list *q = next->run_link.prev; /* (the head: next is first) */
		list_remove(&next->run_link);
		list_add_tail(q, &prev->run_link);
	} else if (!smp) {
		sched_hold(c, prev, prio + 1u);
	} else {
		rq_add(&runq, prev, true);
	}
	/* (a pulse's receiver is a user thread; a yield's peer need not be) */
	switch_away(c, prev, run_ready(c, next, smp), !smp, !yield, true);
}

#endif
