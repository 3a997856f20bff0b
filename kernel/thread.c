/*
 * Thread objects: creation (kernel and user), exit, join, kill, sleep, the
 * per-switch hand-over of user state, and the boot thread that becomes
 * idle. Entry points in thread.h. Threads come from a slab cache; kernel
 * stacks are KSTACK_ORDER pmm blocks in the direct map; a user thread's
 * FP/SIMD area comes from a slab cache of the arch's save-area size.
 */
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/klock.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/slab.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <kernel/wait.h>

/* Half a thread is its signals' slots, which need no zeroing (thread.h). */
static SLAB_CACHE_OF(thread_cache, "struct thread", sizeof(struct thread),
		     offsetof(struct thread, sig_info));
/* arch_fpu_init writes all of an area: none needs zeroing first. The
 * size is the arch's (thread_init_boot); objects are 16-aligned, which
 * FXSAVE and q-register stores want. */
static SLAB_CACHE_OF(fpu_cache, "fpu", 0, 0);
static struct thread boot_thread; /* becomes idle; never freed */
struct thread *thread_slots[THREAD_SLOTS];
static unsigned slot_gens[THREAD_SLOTS];
static unsigned next_slot = 1;
static unsigned slots_used;

/* Pages a user thread costs its process: kernel stack, and one for its
 * thread object and FP/SIMD area (slab objects, less than a page). */
#define UTHREAD_PAGES ((1u << KSTACK_ORDER) + 1)

/* A global slot for t (0 when all are taken, or all but the reserve for
 * a process without _NTO_ABILITY_PROCMGR). */
static unsigned slot_alloc(struct thread *t)
{
	if (!process_may(t->proc, PROCMGR_AID_PROCMGR) && t->proc != &kernel_process &&
	    slots_used >= THREAD_SLOTS - 1 - THREADS_RESERVED)
		return 0;
	for (unsigned n = 1; n < THREAD_SLOTS; n++) {
		unsigned s = next_slot;
		next_slot = next_slot + 1 < THREAD_SLOTS ? next_slot + 1 : 1;
		if (!thread_slots[s]) {
			thread_slots[s] = t;
			slots_used++;
			unsigned g = (slot_gens[s] + 1) & 0x7fff; /* rcvids stay positive */
			slot_gens[s] = g ? g : 1;
			t->id = slot_gens[s] << THREAD_SLOT_BITS | s;
			return s;
		}
	}
	return 0;
}

static void thread_free(struct thread *t)
{
	struct process *p = t->proc;

	KASSERT(list_empty(&t->ipc.unblock.q.link));
	list_remove(&t->proc_link);
	thread_slots[thread_id_slot(t->id)] = NULL;
	slots_used--;
	if (t->ustack && !p->exiting) /* an exiting process frees it all */
		process_unmap_anywhere(p, t->ustack, t->ustack_size);
	pmm_free(virt_to_phys((void *)(t->kstack_top - KSTACK_SIZE)), KSTACK_ORDER);
	if (t->fpu) {
		sched_fpu_forget(t);
		slab_free(&fpu_cache, t->fpu);
		process_uncharge(p, UTHREAD_PAGES);
	}
	slab_free(&thread_cache, t);
	if (--p->nthreads == 0 && p != &kernel_process)
		process_release(p);
}

void thread_finish_switch(void)
{
	struct cpu *c = this_cpu();

	if (c->reap) {
		thread_free(c->reap);
		c->reap = NULL;
	}
}

/* The common part of creating a thread (a user thread also gets its
 * FP/SIMD area); it is left STOPPED. */
static struct thread *thread_alloc(struct process *p, unsigned prio, unsigned policy,
				   NORETURN void (*start)(void), bool user)
{
	struct thread *t = slab_alloc(&thread_cache);

	if (!t)
		return NULL;
	t->proc = p;
	uint64_t stack = pmm_alloc(KSTACK_ORDER);
	if (!stack || (user && !(t->fpu = slab_alloc(&fpu_cache))) || !slot_alloc(t)) {
		if (t->fpu)
			slab_free(&fpu_cache, t->fpu);
		if (stack)
			pmm_free(stack, KSTACK_ORDER);
		slab_free(&thread_cache, t);
		return NULL;
	}
	if (user)
		arch_fpu_init(t->fpu);
	t->priority = t->base_priority = (uint8_t)prio;
	thread_set_policy(t, policy);
	t->state = STATE_STOPPED;
	t->kstack_top = (uintptr_t)phys_to_virt(stack) + KSTACK_SIZE;
	list_init(&t->run_link);
	list_init(&t->ipc_q.link);
	list_init(&t->ipc.unblock.q.link);
	list_init(&t->sync_link);
	list_init(&t->sync_held);
	t->ksp = arch_kstack_init(thread_kstack_top(t), start);
	return t;
}

/* Make a fully built thread known and READY. If it outranks us it runs
 * at the next switch point: the end of the kernel call, or at once for a
 * kernel thread (kthread_create). */
static void thread_start(struct thread *t)
{
	struct process *p = t->proc;
	unsigned long irq = arch_irq_save();

	t->tid = p->next_tid++;
	p->nthreads++;
	p->nlive++;
	list_add_tail(&p->threads, &t->proc_link);
	/* Where it may run, before it can: its creator's inherit mask. */
	t->runmask = t->inherit_mask = current_thread()->inherit_mask;
	sched_ready(t);
	arch_irq_restore(irq);
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
	struct thread *t = thread_alloc(&kernel_process, prio, policy, kthread_start, false);

	if (!t)
		return NULL;
	t->entry = entry;
	t->arg = arg;
	thread_start(t);
	sched_preempt_point(); /* kernel threads are preemptible */
	return t;
}

static NORETURN void uthread_start(void)
{
	struct thread *t = current_thread();

	thread_finish_switch();
	klock_exit(klock_on); /* it came here holding the lock, as every switch */
	arch_enter_user(t->user_pc, t->user_sp, t->user_arg, t->user_ret, t->user_tp);
}

struct thread *uthread_create(struct process *p, uintptr_t pc, uintptr_t sp, uintptr_t arg,
			      uintptr_t ret, uintptr_t tp, unsigned prio, unsigned policy)
{
	struct thread *t;

	if (p->exiting || (!process_may(p, PROCMGR_AID_PROCMGR) && p->nthreads >= THREADS_PER_PROCESS))
		return NULL;
	if (process_charge(p, UTHREAD_PAGES))
		return NULL;
	if (!(t = thread_alloc(p, prio, policy, uthread_start, true))) {
		process_uncharge(p, UTHREAD_PAGES);
		return NULL;
	}
	t->user_pc = pc;
	t->user_sp = sp;
	t->user_arg = arg;
	t->user_ret = ret;
	t->user_tp = tp;
	t->sig_blocked = current_thread()->sig_blocked | SIG_SPECIAL; /* POSIX: the creator's */
	thread_start(t);
	return t;
}

/* t (the caller or another) is DEAD now: its joiner is told, the
 * process's channel for thread deaths too (every death, as QNX does).
 * true when a joiner takes it (and frees it). */
static bool mark_dead(struct thread *t, void *value)
{
	t->exit_value = value;
	t->state = STATE_DEAD;
	t->proc->nlive--;
	sync_thread_death(t);
	if (t->fpu && !t->proc->exiting) {
		ipc_thread_death(t->proc, t->tid);
		signal_retarget(t->proc); /* what it was to take */
	}
	if (!t->joiner)
		return false;
	thread_unblock(t->joiner, 0);
	t->joiner = NULL;
	return true;
}

void thread_exit(void *value)
{
	struct thread *t = current_thread();

	arch_irq_disable();
	if (!mark_dead(t, value) && (t->detached || t->proc->exiting))
		this_cpu()->reap = t; /* freed by whoever runs next */
	sched_block();
	panic("thread %d ran after its exit", t->tid);
}

/* Stop t (not running) wherever it is: its wait ends for good, it leaves
 * the run queue. */
static void stop(struct thread *t)
{
	KASSERT(t != current_thread());
	if (t->state == STATE_READY)
		sched_remove(t);
	else if (t->state != STATE_DEAD)
		thread_abort(t);
}

/* t runs on another CPU, where it cannot be taken apart: it ends itself
 * there with value, at its next kernel entry (thread_check_doomed) or
 * its way out to user mode (signal_deliver), which the kick brings at
 * once. */
static void doom(struct thread *t, void *value)
{
	t->doomed = true;
	t->exit_value = value;
	t->sig_check = true;
	sched_kick_running(t);
}

void thread_terminate(struct thread *t, void *value)
{
	unsigned long irq = arch_irq_save();

	if (t->state == STATE_RUNNING) {
		doom(t, value);
		arch_irq_restore(irq);
		return;
	}
	stop(t);
	if (!mark_dead(t, value) && t->detached)
		thread_free(t);
	arch_irq_restore(irq);
}

int thread_detach(struct thread *t)
{
	unsigned long irq = arch_irq_save();

	if (t->detached || t->joiner) {
		arch_irq_restore(irq);
		return -EINVAL;
	}
	t->detached = true;
	if (t->state == STATE_DEAD)
		thread_free(t);
	arch_irq_restore(irq);
	return 0;
}

void thread_kill(struct thread *t)
{
	unsigned long irq = arch_irq_save();

	if (t->state == STATE_RUNNING) { /* its process is ending: it goes too */
		doom(t, NULL);
		arch_irq_restore(irq);
		return;
	}
	stop(t);
	if (t->state != STATE_DEAD) {
		t->proc->nlive--;
		sync_thread_death(t);
	}
	t->state = STATE_DEAD;
	thread_free(t);
	arch_irq_restore(irq);
}

/* JOIN ends: the thread waited for forgets us. */
static bool cancel_join(struct thread *t, int err)
{
	struct thread *target = t->wait_obj;

	(void)err;
	target->joiner = NULL;
	return true;
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
		self->blocked_on = t->tid;
		long err = thread_block(STATE_JOIN, t, cancel_join, 0);
		if (err) { /* timed out (TimerTimeout), or cancelled */
			arch_irq_restore(irq);
			return (int)err;
		}
	}
	if (value)
		*value = t->exit_value;
	thread_free(t);
	arch_irq_restore(irq);
	return 0;
}

/* A sleep is on no queue: nothing to unlink. */
static bool cancel_sleep(struct thread *t, int err)
{
	(void)t, (void)err;
	return true;
}

long thread_sleep_until(uint64_t deadline)
{
	unsigned long irq = arch_irq_save();
	long r = thread_block(STATE_NANOSLEEP, NULL, cancel_sleep, deadline ? deadline : 1);

	arch_irq_restore(irq);
	return r;
}

uint64_t thread_count(void)
{
	return thread_cache.in_use;
}

void thread_init_idle(struct cpu *c, struct thread *t)
{
	t->proc = &kernel_process;
	t->priority = t->base_priority = PRIO_IDLE;
	thread_set_policy(t, SCHED_FIFO); /* (idle: never on a slice) */
	list_init(&t->run_link);
	list_add_tail(&kernel_process.threads, &t->proc_link);
	kernel_process.nthreads++;
	kernel_process.nlive++;
	t->tid = kernel_process.next_tid++;
	list_init(&t->ipc_q.link);
	list_init(&t->ipc.unblock.q.link);
	list_init(&t->sync_link);
	list_init(&t->sync_held);
	slot_alloc(t);
	sched_init_cpu(c, t);
}

void thread_init_boot(void)
{
	fpu_cache.size = arch_fpu_area_size();
	arch_set_this_cpu(&cpus[0]);
	kernel_process.next_tid = 1;
	thread_init_idle(&cpus[0], &boot_thread);
}

struct thread *thread_idle_alloc(void)
{
	return slab_alloc(&thread_cache);
}
