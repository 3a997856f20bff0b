/*
 * The scheduler (see sched.h). Entry points: sched_init_cpu, sched_ready,
 * sched_block, sched_switch_to, sched_relinquish, sched_preempt_point,
 * sched_set. All of them run with interrupts off while they touch the run
 * queue (the SMP kernel lock will cover the same spans).
 */
#include <arch/cpu.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/sched.h>

enum how { PREEMPT, YIELD, BLOCK };

static void rq_add(struct runqueue *rq, struct thread *t, bool at_head)
{
	struct list *q = &rq->queue[t->priority];

	if (at_head)
		list_add_head(q, &t->run_link);
	else
		list_add_tail(q, &t->run_link);
	rq->bitmap[t->priority / 64] |= 1ull << (t->priority % 64);
	rq->words |= 1ull << (t->priority / 64);
}

static void rq_remove(struct runqueue *rq, struct thread *t)
{
	list_remove(&t->run_link);
	if (!list_empty(&rq->queue[t->priority]))
		return;
	rq->bitmap[t->priority / 64] &= ~(1ull << (t->priority % 64));
	if (!rq->bitmap[t->priority / 64])
		rq->words &= ~(1ull << (t->priority / 64));
}

/* Highest priority with a READY thread, or -1: two bit scans. */
static int rq_top(const struct runqueue *rq)
{
	if (!rq->words)
		return -1;
	int w = 63 - __builtin_clzll(rq->words);
	return w * 64 + 63 - __builtin_clzll(rq->bitmap[w]);
}

static void slice_over(struct ktimer *t)
{
	(void)t;
	this_cpu()->need_resched = true;
	this_cpu()->slice_expired = true;
}

static void start_slice(struct cpu *c, struct thread *t)
{
	c->slice_expired = false;
	if (t->policy == SCHED_FIFO || t == c->idle) {
		if (c->slice.armed)
			ktimer_cancel(&c->slice);
	} else
		ktimer_arm(&c->slice, timer_now_ns() + RR_SLICE_NS, slice_over);
}

/* Switch this CPU from prev to next (already RUNNING); returns when
 * something switches back to prev. */
static void switch_from(struct cpu *c, struct thread *prev, struct thread *next)
{
	c->current = next;
	thread_switch_prepare(prev, next);
	arch_context_switch(&prev->ksp, next->ksp);
	/* Back in prev, on its own stack. */
	thread_finish_switch();
}

static void reschedule(enum how how)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current, *next;
	int top = rq_top(&c->rq);

	c->need_resched = false;
	if (prev->state == STATE_RUNNING && prev != c->idle) {
		/* Preemption needs a strictly higher priority; a yield or a
		 * used-up slice lets equals in. */
		bool stay = how == PREEMPT ? top <= prev->priority : top < prev->priority;
		if (stay) {
			if (how == YIELD)
				start_slice(c, prev);
			return;
		}
		prev->state = STATE_READY;
		rq_add(&c->rq, prev, how == PREEMPT);
	}
	if (top >= 0) {
		next = list_entry(c->rq.queue[top].next, struct thread, run_link);
		rq_remove(&c->rq, next);
	} else {
		next = c->idle;
	}
	next->state = STATE_RUNNING;
	start_slice(c, next);
	if (next != prev)
		switch_from(c, prev, next);
}

void sched_ready(struct thread *t)
{
	struct cpu *c = this_cpu();
	unsigned long irq = arch_irq_save();

	KASSERT(t->state != STATE_RUNNING && t->state != STATE_READY);
	if (t->state == STATE_DEAD) { /* never again: it may be freed */
		arch_irq_restore(irq);
		return;
	}
	t->state = STATE_READY;
	rq_add(&c->rq, t, false);
	if (t->priority > c->current->priority || c->current == c->idle)
		c->need_resched = true;
	arch_irq_restore(irq);
}

void sched_remove(struct thread *t)
{
	unsigned long irq = arch_irq_save();

	if (t->state == STATE_READY)
		rq_remove(&this_cpu()->rq, t);
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
	next->state = STATE_RUNNING;
	/* Whatever outranks next takes over at its next preemption point. */
	c->need_resched = rq_top(&c->rq) > next->priority;
	/* A round-robin slice under way goes on for next. */
	if (next->policy == SCHED_FIFO || !c->slice.armed)
		start_slice(c, next);
	switch_from(c, prev, next);
	arch_irq_restore(irq);
}

void sched_relinquish(void)
{
	unsigned long irq = arch_irq_save();

	reschedule(YIELD);
	arch_irq_restore(irq);
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
	struct cpu *c = this_cpu();

	if (t->state == STATE_READY) {
		/* Requeue at the new level, at the tail as QNX does. */
		rq_remove(&c->rq, t);
		t->priority = (uint8_t)prio;
		rq_add(&c->rq, t, false);
	} else {
		t->priority = (uint8_t)prio;
	}
	/* Someone may now outrank the running thread, or t outranks it. */
	int top = rq_top(&c->rq);
	if (top > c->current->priority)
		c->need_resched = true;
}

void sched_set(struct thread *t, unsigned prio, unsigned policy)
{
	unsigned long irq = arch_irq_save();

	if (policy != SCHED_NOCHANGE)
		t->policy = (uint8_t)policy;
	t->base_priority = (uint8_t)prio;
	set_priority(t, prio);
	arch_irq_restore(irq);
}

void sched_inherit(struct thread *t, unsigned prio)
{
	unsigned long irq = arch_irq_save();

	if (t->priority != prio)
		set_priority(t, prio);
	arch_irq_restore(irq);
}

void sched_init_cpu(struct thread *idle)
{
	struct cpu *c = &cpus[0];

	c->self = c;
	arch_set_this_cpu(c);

	for (int p = 0; p < NPRIO; p++)
		list_init(&c->rq.queue[p]);
	c->online = true;
	c->idle = idle;
	c->current = idle;
	idle->state = STATE_RUNNING;
}
