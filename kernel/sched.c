/*
 * The scheduler (see sched.h). Entry points: sched_init_cpu, sched_ready,
 * sched_block, sched_switch_to, sched_relinquish, sched_preempt_point,
 * sched_set, and the fast path's sched_hand_over_pick. All of them run
 * with interrupts off, and with the kernel lock when there is more than
 * one CPU. The switch's parts (run state, slice, FP/SIMD, kernel stack,
 * address space) are switch.h's, inline, which the IPC fast path builds
 * into its calls too.
 *
 * One run queue for all CPUs, as QNX's strict priorities want: the
 * highest-priority READY threads run, on whichever CPUs. A thread made
 * READY, or a priority changed, "kicks" the CPU running the least
 * important thing below it (an idle one first): that CPU reschedules at
 * its next switch point. A kicked CPU keeps the claim until it
 * reschedules, so two threads readied in a row kick two CPUs. Another
 * CPU hears of it by an IPI, sent when the kicking CPU lets go of the
 * kernel lock (sched_send_kicks) and only if the thread still waits: a
 * kernel call that readies a thread and then blocks (a reply, then the
 * next receive) hands it its own CPU instead, with no IPI.
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/klock.h>
#include <kernel/panic.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/switch.h>

enum how { PREEMPT, YIELD, BLOCK };

struct runqueue runq;

__attribute__((noinline)) struct thread *sched_pick_allowed(const struct cpu *c)
{
	for (uint64_t words = runq.words; words;) {
		int w = 63 - __builtin_clzll(words);
		for (uint64_t bits = runq.bitmap[w]; bits;) {
			int b = 63 - __builtin_clzll(bits);
			list_for_each(it, &runq.queue[w * 64 + b])
			{
				struct thread *t = list_entry(it, struct thread, run_link);
				if (sched_allowed(t, c))
					return t;
			}
			bits &= ~(1ull << b);
		}
		words &= ~(1ull << w);
	}
	return NULL;
}

/* The priority CPU c works at: its running thread's (-1 for idle), or
 * a higher one a kick has promised it. */
static int cpu_level(const struct cpu *c)
{
	int run = c->current == c->idle ? -1 : c->current->priority;

	return c->claim > run ? c->claim : run;
}

/* The CPU a thread t readied at priority prio should go to: of those it
 * may run on and working below prio, the one at the lowest level (the
 * first of equals); NULL for none. */
static struct cpu *kick_target(const struct thread *t, int prio)
{
	struct cpu *best = NULL;
	int level = prio;

	for (unsigned i = 0; i < cpu_count; i++)
		if (sched_allowed(t, &cpus[i]) && cpu_level(&cpus[i]) < level) {
			best = &cpus[i];
			level = cpu_level(best);
		}
	return best;
}

bool sched_kick_here(const struct thread *t, unsigned prio)
{
	return kick_target(t, (int)prio) == this_cpu();
}

/* kick()'s search of the CPUs. */
static __attribute__((noinline)) void kick_search(const struct thread *t)
{
	struct cpu *best = kick_target(t, t->priority);

	if (!best)
		return;
	best->need_resched = true;
	best->claim = t->priority;
	if (best != this_cpu())
		this_cpu()->kicks |= 1u << best->id;
}

/* t is READY: the CPU that should take it reschedules. */
static inline void kick(const struct thread *t)
{
	if (cpu_count == 1) { /* the rule of one CPU, without the search */
		struct cpu *c = this_cpu();
		if (t->priority > c->current->priority || c->current == c->idle)
			c->need_resched = true;
		return;
	}
	kick_search(t);
}

static void send_kick(struct cpu *c)
{
	this_cpu()->stats.kicks++;
	arch_cpu_kick(c);
}

void sched_send_kicks(void)
{
	struct cpu *self = this_cpu();

	for (uint32_t k = self->kicks; k; k &= k - 1) {
		struct cpu *c = &cpus[__builtin_ctz(k)];
		struct thread *t = pick(c);
		if (t && t->priority > (c->current == c->idle ? -1 : c->current->priority))
			send_kick(c);
		else
			c->claim = -1; /* taken meanwhile: nothing for it */
	}
	self->kicks = 0;
}

void sched_kick_running(const struct thread *t)
{
	struct cpu *c = &cpus[t->cpu];

	c->need_resched = true;
	send_kick(c);
}

void sched_slice_over(struct ktimer *t)
{
	struct cpu *c = container_of(t, struct cpu, slice);

	c->need_resched = true;
	c->slice_expired = true;
	if (c != this_cpu()) /* the timer fired on another CPU */
		send_kick(c);
}

/* The idle thread's wait, if it was in one (since idle_since), is over:
 * count it. */
static __attribute__((noinline)) void idle_over(struct cpu *c)
{
	if (c->stats.idle_since) {
		c->stats.idle += arch_timer_ticks() - c->stats.idle_since;
		c->stats.idle_since = 0;
	}
}

void sched_fpu_own(void)
{
#ifdef ARCH_FPU_LAZY
	struct cpu *c = this_cpu();
	struct thread *me = c->current, *holder = c->fpu_holder;

	if (cpu_count > 1 || !c->fpu_off) /* eager, or ours already */
		return;
	c->fpu_off = false;
	arch_fpu_access(1);
	me->fpu_recent = FPU_RECENT;
	if (holder == me)
		return; /* still ours: closed only as no longer in use */
	if (holder) {
		arch_fpu_save(holder->fpu);
		holder->fpu_recent = 0; /* (only the holder's counts: fpu_switch) */
	}
	arch_fpu_restore(me->fpu);
	c->fpu_holder = me;
#endif
}

void sched_fpu_forget(const struct thread *t)
{
	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i].fpu_holder == t)
			cpus[i].fpu_holder = NULL;
}

/* Switch this CPU from prev to next (already RUNNING); returns when
 * something switches back to prev. */
static inline __attribute__((always_inline)) void switch_from(struct cpu *c, struct thread *prev,
							      struct thread *next)
{
	if (__builtin_expect(prev == c->idle, 0)) /* from an interrupt in its wait */
		idle_over(c);
	switch_begin(c, prev, next, cpu_count == 1, false, false);
	arch_context_switch(&prev->ksp, next->ksp);
	/* Back in prev, on its own stack. */
	if (this_cpu()->reap)
		thread_finish_switch();
}

/* next, pick()'s (NULL: none READY), runs here: off the run queue (or
 * the idle thread), a slice started. The thread to switch to. */
static inline struct thread *run_picked(struct cpu *c, struct thread *next)
{
	if (next)
		rq_remove(&runq, next);
	else
		next = c->idle;
	return run_ready(c, next, true);
}

static void reschedule(enum how how)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current, *next = pick(c);
	int top = next ? next->priority : -1;

	c->need_resched = false;
	c->claim = -1;
	if (prev->state == STATE_RUNNING && prev != c->idle) {
		/* Preemption needs a strictly higher priority; a yield or a
		 * used-up slice lets equals in; a runmask that no longer has
		 * this CPU sends it elsewhere. */
		bool stay = how == PREEMPT ? top <= prev->priority : top < prev->priority;
		if (stay && sched_allowed(prev, c)) {
			if (how == YIELD)
				start_slice(c, prev, true);
			return;
		}
		prev->state = STATE_READY;
		rq_add(&runq, prev, how == PREEMPT);
	}
	next = run_picked(c, next);
	/* prev, put back, may outrank what another CPU runs. */
	if (prev->state == STATE_READY && cpu_count > 1)
		kick(prev);
	if (next != prev)
		switch_from(c, prev, next);
}

void sched_ready(struct thread *t)
{
	unsigned long irq = arch_irq_save();

	KASSERT(t->state != STATE_RUNNING && t->state != STATE_READY);
	if (t->state == STATE_DEAD) { /* never again: it may be freed */
		arch_irq_restore(irq);
		return;
	}
	t->state = STATE_READY;
	rq_add(&runq, t, false);
	kick(t);
	arch_irq_restore(irq);
}

void sched_remove(struct thread *t)
{
	unsigned long irq = arch_irq_save();

	if (t->state == STATE_READY)
		rq_remove(&runq, t);
	arch_irq_restore(irq);
}

void sched_block(void)
{
	unsigned long irq = arch_irq_save();

	KASSERT(current_thread()->state != STATE_RUNNING);
	reschedule(BLOCK);
	arch_irq_restore(irq);
}

void sched_switch_to(struct thread *next)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current;
	unsigned long irq = arch_irq_save();

	KASSERT(prev->state != STATE_RUNNING && next->state != STATE_RUNNING &&
		next->state != STATE_READY);
	if (!sched_allowed(next, c)) { /* not here: through the run queue */
		sched_ready(next);
		reschedule(BLOCK);
		arch_irq_restore(irq);
		return;
	}
	run_direct(c, next, true);
	/* Whatever outranks next takes over at its next preemption point. */
	c->need_resched = rq_top() > next->priority;
	switch_from(c, prev, next);
	arch_irq_restore(irq);
}

void sched_queue_held(void)
{
	struct cpu *c = this_cpu();

	rq_add(&runq, c->held, c->held_from > c->held->priority);
	c->held = NULL;
}

struct thread *sched_hand_over_pick(void)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current, *next;

	/* reschedule(BLOCK) */
	c->need_resched = false;
	c->claim = -1;
	if (c->held) /* pick() decides, the held thread queued first */
		sched_queue_held();
	next = run_picked(c, pick(c));
	switch_away(c, prev, next, cpu_count == 1, false, false);
	return next;
}

void sched_kick(const struct thread *t)
{
	kick(t);
}

void sched_relinquish(void)
{
	unsigned long irq = arch_irq_save();

	reschedule(YIELD);
	arch_irq_restore(irq);
}

void sched_idle_loop(void)
{
	struct cpu *c = this_cpu();

	for (;;) { /* switches happen at interrupt exit too */
		sched_preempt_point();
		/* Not held while waiting: each interrupt takes it and
		 * reschedules on its way out. Only a kick that sent no IPI
		 * (its thread was taken meanwhile) needs it taken here. */
		if (klock_on)
			klock_release();
		do {
			c->stats.idle_since = arch_timer_ticks();
			arch_wait_for_interrupt();
			idle_over(c); /* unless a switch away counted it */
		} while (klock_on && !__atomic_load_n(&c->need_resched, __ATOMIC_RELAXED));
		if (klock_on)
			klock_acquire();
	}
}

void sched_preempt_point(void)
{
	struct cpu *c;
	unsigned long irq = arch_irq_save();

	/* Until nothing is due: what runs first after a switch (a reaped
	 * thread's process freed, its waiters readied) may make another
	 * due. */
	while ((c = this_cpu())->need_resched)
		reschedule(c->slice_expired ? YIELD : PREEMPT);
	arch_irq_restore(irq);
}

static void set_priority(struct thread *t, unsigned prio)
{
	if (t->state == STATE_READY) {
		/* Requeue at the new level, at the tail as QNX does. */
		rq_remove(&runq, t);
		t->priority = (uint8_t)prio;
		rq_add(&runq, t, false);
	} else {
		t->priority = (uint8_t)prio;
		if (t->state != STATE_RUNNING)
			return; /* waiting: nothing queued or running changed */
	}
	/* Someone may now outrank a running thread, or t outranks one. */
	int top = rq_top();
	if (top >= 0)
		kick(list_entry(runq.queue[top].next, struct thread, run_link));
}

void sched_set(struct thread *t, unsigned prio, unsigned policy)
{
	unsigned long irq = arch_irq_save();

	if (policy != SCHED_NOCHANGE)
		thread_set_policy(t, policy);
	t->base_priority = (uint8_t)prio;
	set_priority(t, prio);
	arch_irq_restore(irq);
}

void sched_set_runmask(uint32_t mask)
{
	struct cpu *c = this_cpu();
	unsigned long irq = arch_irq_save();

	c->current->runmask = mask;
	if (!sched_allowed(c->current, c))
		c->need_resched = true; /* it moves at the next switch point */
	arch_irq_restore(irq);
}

void sched_inherit(struct thread *t, unsigned prio)
{
	unsigned long irq = arch_irq_save();

	if (t->priority != prio)
		set_priority(t, prio);
	arch_irq_restore(irq);
}

void sched_init_cpu(struct cpu *c, struct thread *idle)
{
	c->self = c;
	c->claim = -1;
	if (c == &cpus[0]) {
		c->rq_top = -1; /* (nothing READY) */
		for (int p = 0; p < NPRIO; p++)
			list_init(&runq.queue[p]);
	}
	c->idle = idle;
	c->current = idle;
	idle->cpu = (uint8_t)c->id;
	idle->state = STATE_RUNNING;
}
