/*
 * Thread objects: creation, exit, join, sleep, and the boot thread that
 * becomes idle. Entry points in thread.h. Threads come from a slab cache;
 * kernel stacks are KSTACK_ORDER pmm blocks in the direct map.
 */
#include <arch/context.h>
#include <arch/cpu.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/vm.h>

static SLAB_CACHE(thread_cache, struct thread);
static struct list all_threads = LIST_INIT(all_threads);
static int next_tid = 1;
static struct thread boot_thread; /* becomes idle; never freed */

static void thread_free(struct thread *t)
{
	list_remove(&t->all_link);
	pmm_free(t->kstack_pa, KSTACK_ORDER);
	slab_free(&thread_cache, t);
}

void thread_finish_switch(void)
{
	struct cpu *c = this_cpu();

	if (c->reap) {
		thread_free(c->reap);
		c->reap = NULL;
	}
}

static NORETURN void kthread_start(void)
{
	struct thread *t = current_thread();

	thread_finish_switch();
	arch_irq_enable(); /* kernel threads run preemptible */
	t->entry(t->arg);
	thread_exit(NULL);
}

struct thread *kthread_create(void (*entry)(void *), void *arg, unsigned prio, unsigned policy)
{
	struct thread *t = slab_alloc(&thread_cache);

	if (!t)
		return NULL;
	t->kstack_pa = pmm_alloc(KSTACK_ORDER);
	if (!t->kstack_pa) {
		slab_free(&thread_cache, t);
		return NULL;
	}
	t->entry = entry;
	t->arg = arg;
	t->priority = t->base_priority = (uint8_t)prio;
	t->policy = (uint8_t)policy;
	t->state = STATE_STOPPED;
	list_init(&t->run_link);
	t->ksp = arch_kstack_init((uintptr_t)phys_to_virt(t->kstack_pa) + KSTACK_SIZE,
				  kthread_start);

	unsigned long irq = arch_irq_save();
	t->tid = next_tid++;
	list_add_tail(&all_threads, &t->all_link);
	sched_ready(t);
	arch_irq_restore(irq);
	sched_preempt_point();
	return t;
}

void thread_exit(void *value)
{
	struct thread *t = current_thread();

	arch_irq_disable();
	t->exit_value = value;
	t->state = STATE_DEAD;
	if (t->joiner)
		sched_ready(t->joiner);
	else if (t->detached)
		this_cpu()->reap = t; /* freed by whoever runs next */
	sched_block();
	panic("thread %d ran after its exit", t->tid);
}

int thread_join(struct thread *t, void **value)
{
	struct thread *self = current_thread();
	unsigned long irq = arch_irq_save();

	if (t == self) {
		arch_irq_restore(irq);
		return -EDEADLK;
	}
	if (t->detached || t->joiner) {
		arch_irq_restore(irq);
		return t->detached ? -EINVAL : -EBUSY;
	}
	if (t->state != STATE_DEAD) {
		t->joiner = self;
		self->state = STATE_JOIN;
		sched_block();
	}
	if (value)
		*value = t->exit_value;
	thread_free(t);
	arch_irq_restore(irq);
	return 0;
}

static void wake_sleeper(struct ktimer *k)
{
	sched_ready(container_of(k, struct thread, timer));
}

void thread_sleep_ns(uint64_t ns)
{
	struct thread *t = current_thread();
	unsigned long irq = arch_irq_save();

	t->state = STATE_NANOSLEEP;
	ktimer_arm(&t->timer, timer_now_ns() + ns, wake_sleeper);
	sched_block();
	arch_irq_restore(irq);
}

uint64_t thread_count(void)
{
	return thread_cache.in_use;
}

void thread_init_boot(void)
{
	struct thread *t = &boot_thread;

	t->priority = t->base_priority = PRIO_IDLE;
	t->policy = SCHED_FIFO;
	list_init(&t->run_link);
	list_add_tail(&all_threads, &t->all_link);
	sched_init_cpu(t);
}
