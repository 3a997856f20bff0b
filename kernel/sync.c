/*
 * Synchronisation objects: the kernel slow path of user-space mutexes,
 * condition variables and semaphores (QNX's Sync* calls; sync.h, and
 * <sys/ktypes.h> for the sync_t protocol).
 *
 * The sync_t lives in user memory; user space takes and releases a free
 * mutex, and posts or takes a semaphore with waiters absent, by atomic
 * operations on it without entering the kernel. The kernel reaches the
 * sync_t through the direct map (its page's physical address from the
 * process's page tables) and changes it with the same atomic operations,
 * so a user-space operation racing it on another CPU sees a consistent
 * word. An object (struct sobj) is found by that physical address: the
 * same memory mapped twice, or into two processes, is one object.
 *
 * An object exists while threads wait on it, or for as long as it is
 * robust or has a SyncMutexEvent (a "kept" object, freed by SyncDestroy
 * or its process's end). Waiters queue by priority, then arrival; every
 * wait is a thread_block with a cancel function (wait.h), so TimerTimeout,
 * signals (EINTR) and thread death end it like any other.
 *
 * Mutexes: a contended lock sets _NTO_SYNC_WAITING in __owner and blocks;
 * the owner's unlock then fails its user-space compare-and-swap and comes
 * here, and the mutex is handed to the first waiter (QNX: __owner becomes
 * its id). Priority inheritance (unless _NTO_SYNC_PRIO_NONE): the owner
 * runs at least at its highest waiter's priority, through chains of
 * owners blocked on other mutexes; when it unlocks, its priority is
 * recomputed from its base and the mutexes it still holds with waiters.
 * Robust mutexes and ones with an event are locked and unlocked in the
 * kernel always (_NTO_SYNC_KERNEL), so the kernel knows their owner when
 * it dies: a robust one goes to the next locker with EOWNERDEAD; one with
 * an event becomes _NTO_SYNC_DEAD and its event is delivered.
 */
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/event.h>
#include <kernel/panic.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/slab.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <kernel/wait.h>
#include <sys/siginfo.h>

enum { K_MUTEX, K_COND, K_SEM };
enum { R_OK, R_OWNERDEAD, R_NOTRECOVERABLE };

struct sobj {
	struct list hash_link;
	uint64_t pa;              /* the key: where the sync_t is */
	volatile uint32_t *w;     /* w[0] __count, w[1] __owner (direct map) */
	struct process *maker;    /* charged for it */
	uint8_t kind;
	bool kept;                /* robust or with an event: not freed when idle */
	bool robust;
	uint8_t rstate;           /* R_*: robust mutexes */
	bool has_event;
	struct list waiters;      /* threads, by priority then arrival */
	struct thread *owner;     /* mutexes: the owner, when known */
	struct list held_link;    /* in owner->sync_held */
	int event_pid;            /* the process that asked for the event */
	struct sigevent event;
};

#define HASH_BUCKETS 64
static struct list buckets[HASH_BUCKETS];
static bool buckets_ready;
static SLAB_CACHE(sobj_cache, struct sobj);

uint64_t sync_count(void)
{
	return sobj_cache.in_use;
}

static struct list *bucket(uint64_t pa)
{
	if (!buckets_ready) {
		for (int i = 0; i < HASH_BUCKETS; i++)
			list_init(&buckets[i]);
		buckets_ready = true;
	}
	return &buckets[(pa >> 3) % HASH_BUCKETS];
}

/* The sync_t at user address va of the caller: its words through the
 * direct map and its physical address. 0, -EINVAL (misaligned, or
 * across a page) or -EFAULT (not mapped writable). */
static int resolve(uintptr_t va, volatile uint32_t **w, uint64_t *pa)
{
	int level;

	if (va & 3)
		return -EINVAL;
	if ((va & (PAGE_SIZE - 1)) > PAGE_SIZE - sizeof(sync_t))
		return -EINVAL;
	if (va < USER_BASE || va >= USER_TOP)
		return -EFAULT;
	pte_t e = pt_lookup(current_thread()->proc->root, va & ~(PAGE_SIZE - 1), &level);
	if (!e || level != 0)
		return -EFAULT;
	unsigned prot = arch_pte_prot(e);
	if ((prot & (VM_USER | VM_WRITE)) != (VM_USER | VM_WRITE))
		return -EFAULT;
	*pa = arch_pte_addr(e) + (va & (PAGE_SIZE - 1));
	*w = (volatile uint32_t *)phys_to_virt(*pa);
	return 0;
}

static struct sobj *find(uint64_t pa)
{
	struct list *b = bucket(pa);

	list_for_each(it, b)
	{
		struct sobj *o = list_entry(it, struct sobj, hash_link);
		if (o->pa == pa)
			return o;
	}
	return NULL;
}

static struct sobj *make(uint64_t pa, volatile uint32_t *w, unsigned kind, long *err)
{
	struct process *p = current_thread()->proc;
	struct sobj *o;

	if (!process_may(p, PROCMGR_AID_PROCMGR) && p->nsyncs >= SYNCS_PER_PROCESS) {
		*err = -EAGAIN;
		return NULL;
	}
	if (!(o = slab_alloc(&sobj_cache))) {
		*err = -EAGAIN;
		return NULL;
	}
	*o = (struct sobj){0};
	o->pa = pa;
	o->w = w;
	o->kind = (uint8_t)kind;
	o->maker = p;
	p->nsyncs++;
	list_init(&o->waiters);
	list_init(&o->held_link);
	list_add_tail(bucket(pa), &o->hash_link);
	return o;
}

static struct sobj *find_or_make(uint64_t pa, volatile uint32_t *w, unsigned kind, long *err)
{
	struct sobj *o = find(pa);

	if (o && o->kind != kind) {
		*err = -EINVAL;
		return NULL;
	}
	return o ? o : make(pa, w, kind, err);
}

static void drop_owner(struct sobj *o)
{
	list_remove(&o->held_link);
	list_init(&o->held_link);
	o->owner = NULL;
}

static void destroy(struct sobj *o)
{
	KASSERT(list_empty(&o->waiters));
	if (o->owner)
		drop_owner(o);
	list_remove(&o->hash_link);
	o->maker->nsyncs--;
	slab_free(&sobj_cache, o);
}

/* o is idle: freed unless kept. */
static void maybe_free(struct sobj *o)
{
	if (!o->kept && list_empty(&o->waiters))
		destroy(o);
}

static bool cas(volatile uint32_t *p, uint32_t old, uint32_t new)
{
	return __atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static uint32_t load(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void store(volatile uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/* Queue t on o by priority, behind its equals. */
static void enqueue(struct sobj *o, struct thread *t)
{
	list_for_each(it, &o->waiters)
	{
		struct thread *w = list_entry(it, struct thread, sync_link);
		if (w->priority < t->priority) {
			list_insert_before(it, &t->sync_link);
			return;
		}
	}
	list_add_tail(&o->waiters, &t->sync_link);
}

static struct thread *first_waiter(struct sobj *o)
{
	return list_empty(&o->waiters) ? NULL
				       : list_entry(o->waiters.next, struct thread, sync_link);
}

static void dequeue(struct thread *t)
{
	list_remove(&t->sync_link);
	list_init(&t->sync_link);
}

static bool inherits(const struct sobj *o)
{
	return o->kind == K_MUTEX && !(load(&o->w[0]) & _NTO_SYNC_PRIO_NONE);
}

/* --- priority inheritance --------------------------------------------- */

/* Raise t to prio, and along the chain of owners it waits for. */
static void boost(struct thread *t, unsigned prio)
{
	for (int depth = 0; t && depth < 16; depth++) {
		if (t->priority >= prio)
			return;
		sched_inherit(t, prio);
		t->sync_boost = (uint8_t)prio;
		if (t->state != STATE_MUTEX)
			return;
		struct sobj *o = t->wait_obj;
		dequeue(t);
		enqueue(o, t); /* its place in the queue moves with it */
		t = inherits(o) ? o->owner : NULL;
	}
}

/* What t's mutexes give it now: the highest first waiter's priority. */
static unsigned held_priority(struct thread *t)
{
	unsigned best = 0;

	list_for_each(it, &t->sync_held)
	{
		struct sobj *o = list_entry(it, struct sobj, held_link);
		struct thread *w = first_waiter(o);
		if (w && inherits(o) && w->priority > best)
			best = w->priority;
	}
	return best;
}

/* t lost a waiter or a mutex: back to its base priority or what its
 * other mutexes give it, unless something else (message passing,
 * SchedSet) set its priority since a mutex boosted it. */
static void unboost(struct thread *t)
{
	if (!t->sync_boost || t->priority != t->sync_boost)
		return;
	unsigned p = held_priority(t);
	if (p <= t->base_priority) {
		t->sync_boost = 0;
		p = t->base_priority;
	} else {
		t->sync_boost = (uint8_t)p;
	}
	sched_inherit(t, p);
}

static void set_owner(struct sobj *o, struct thread *t)
{
	if (o->owner == t)
		return;
	if (o->owner)
		drop_owner(o);
	o->owner = t;
	if (t)
		list_add_tail(&t->sync_held, &o->held_link);
}

/* --- mutexes ----------------------------------------------------------- */

struct thread *sync_mutex_owner(const struct thread *t)
{
	const struct sobj *o = t->wait_obj;

	return o->owner;
}

static bool cancel_mutex(struct thread *t, int err)
{
	struct sobj *o = t->wait_obj;
	struct thread *owner = o->owner;

	(void)err;
	dequeue(t);
	if (list_empty(&o->waiters)) {
		/* Nobody waits now: the owner's unlock may stay in user space. */
		uint32_t v = load(&o->w[1]);
		while ((v & _NTO_SYNC_WAITING) && v != _NTO_SYNC_DEAD && v != _NTO_SYNC_INITIALIZER &&
		       v != _NTO_SYNC_DESTROYED && !cas(&o->w[1], v, v & ~_NTO_SYNC_WAITING))
			v = load(&o->w[1]);
		if (owner && !o->kept)
			drop_owner(o);
	}
	if (owner)
		unboost(owner);
	maybe_free(o);
	return true;
}

/* Give o (a mutex t held, or nobody: owner death) to its first waiter,
 * whose lock returns result; or leave it free. */
static void hand_on(struct sobj *o, long result)
{
	struct thread *w = first_waiter(o);

	if (!w) {
		store(&o->w[1], _NTO_SYNC_MUTEX_FREE);
		if (o->owner)
			drop_owner(o);
		return;
	}
	dequeue(w);
	bool more = !list_empty(&o->waiters);
	store(&o->w[1], thread_sync_id(w) | (more ? _NTO_SYNC_WAITING : 0));
	if (more || o->kept)
		set_owner(o, w);
	else if (o->owner)
		drop_owner(o);
	if (more && inherits(o))
		boost(w, first_waiter(o)->priority);
	thread_unblock(w, result);
}

long sync_mutex_lock(uintptr_t va)
{
	struct thread *self = current_thread();
	unsigned me = thread_sync_id(self);
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(va, &w, &pa);

	if (err)
		return err;
	for (;;) {
		uint32_t v = load(&w[1]);
		struct sobj *o = find(pa);

		if (o && o->kind != K_MUTEX)
			return -EINVAL;
		if (o && o->rstate == R_NOTRECOVERABLE)
			return -ENOTRECOVERABLE;
		if (v == _NTO_SYNC_INITIALIZER) {
			cas(&w[1], v, _NTO_SYNC_MUTEX_FREE);
			continue;
		}
		if (v == _NTO_SYNC_DESTROYED || v == _NTO_SYNC_COND || v == _NTO_SYNC_SEM)
			return -EINVAL;
		if (v == _NTO_SYNC_MUTEX_FREE) {
			bool waiting = o && !list_empty(&o->waiters);
			if (!cas(&w[1], v, me | (waiting ? _NTO_SYNC_WAITING : 0)))
				continue;
			if (o && (waiting || o->kept))
				set_owner(o, self);
			if (o && o->rstate == R_OWNERDEAD)
				return -EOWNERDEAD;
			return 0;
		}
		if (v != _NTO_SYNC_DEAD && (v & _NTO_SYNC_OWNER_MASK) == me)
			return -EDEADLK;
		/* Held (or dead, waiting for SyncMutexRevive): wait. */
		if (!o && !(o = make(pa, w, K_MUTEX, &err)))
			return err;
		if (v != _NTO_SYNC_DEAD && !(v & _NTO_SYNC_WAITING) &&
		    !cas(&w[1], v, v | _NTO_SYNC_WAITING)) {
			maybe_free(o);
			continue;
		}
		struct thread *owner = o->owner;
		if (!owner && v != _NTO_SYNC_DEAD) {
			owner = thread_by_id(v & _NTO_SYNC_OWNER_MASK);
			if (owner && owner->state != STATE_DEAD)
				set_owner(o, owner);
			else
				owner = NULL;
		}
		enqueue(o, self);
		if (owner && inherits(o))
			boost(owner, self->priority);
		self->sync_va = va;
		return thread_block(STATE_MUTEX, o, cancel_mutex, 0);
	}
}


long sync_mutex_unlock(uintptr_t va)
{
	struct thread *self = current_thread();
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(va, &w, &pa);

	if (err)
		return err;
	uint32_t v = load(&w[1]);
	if (v == _NTO_SYNC_DEAD || v >= _NTO_SYNC_SEM ||
	    (v & _NTO_SYNC_OWNER_MASK) != thread_sync_id(self))
		return -EPERM;
	struct sobj *o = find(pa);
	if (!o) {
		/* Nobody waits (a waiter would have made the object). */
		store(&w[1], _NTO_SYNC_MUTEX_FREE);
		return 0;
	}
	if (o->kind != K_MUTEX)
		return -EINVAL;
	if (o->rstate == R_OWNERDEAD) {
		/* Unlocked without pthread_mutex_consistent: unusable. */
		o->rstate = R_NOTRECOVERABLE;
		while (!list_empty(&o->waiters)) {
			struct thread *t = first_waiter(o);
			dequeue(t);
			thread_unblock(t, -ENOTRECOVERABLE);
		}
	}
	hand_on(o, 0);
	unboost(self);
	maybe_free(o);
	return 0;
}


/* A live thread of the process pid, for an event to it. */
static struct thread *event_target(int pid)
{
	struct process *p = process_find(pid);

	if (!p || p->exiting)
		return NULL;
	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t->state != STATE_DEAD)
			return t;
	}
	return NULL;
}

void sync_thread_death(struct thread *t)
{
	unsigned long irq = arch_irq_save();

	while (!list_empty(&t->sync_held)) {
		struct sobj *o = list_entry(t->sync_held.next, struct sobj, held_link);
		drop_owner(o);
		if (o->robust) {
			if (o->rstate == R_OK)
				o->rstate = R_OWNERDEAD;
			hand_on(o, -EOWNERDEAD);
		} else if (o->has_event) {
			store(&o->w[1], _NTO_SYNC_DEAD);
			struct thread *to = event_target(o->event_pid);
			if (to)
				event_deliver(to, &o->event, NULL, SI_USER, 0);
		}
		/* Else waiters wait on (POSIX: undefined); unlocking is
		 * impossible now, as for any mutex left locked. */
		maybe_free(o);
	}
	arch_irq_restore(irq);
}

/* --- condition variables -------------------------------------------------- */

static void cond_count(struct sobj *o, int d)
{
	__atomic_fetch_add(&o->w[0], (uint32_t)d, __ATOMIC_SEQ_CST);
}

static bool cancel_cond(struct thread *t, int err)
{
	struct sobj *o = t->wait_obj;

	(void)err;
	dequeue(t);
	cond_count(o, -1);
	maybe_free(o);
	return true;
}

long sync_condvar_wait(uintptr_t ucv, uintptr_t umutex)
{
	struct thread *self = current_thread();
	volatile uint32_t *cw, *mw;
	uint64_t cpa, mpa;
	long err = resolve(ucv, &cw, &cpa);

	if (err || (err = resolve(umutex, &mw, &mpa)))
		return err;
	uint32_t v = load(&cw[1]);
	if (v == _NTO_SYNC_INITIALIZER)
		cas(&cw[1], v, _NTO_SYNC_COND);
	else if (v != _NTO_SYNC_COND)
		return -EINVAL;
	v = load(&mw[1]);
	if (v == _NTO_SYNC_DEAD || v >= _NTO_SYNC_SEM ||
	    (v & _NTO_SYNC_OWNER_MASK) != thread_sync_id(self))
		return -EPERM;
	struct sobj *o = find_or_make(cpa, cw, K_COND, &err);
	if (!o)
		return err;
	enqueue(o, self);
	cond_count(o, 1);
	if ((err = sync_mutex_unlock(umutex))) { /* cannot fail: checked above */
		cancel_cond(self, 0);
		return err;
	}
	self->sync_va = ucv;
	long r = thread_block(STATE_CONDVAR, o, cancel_cond, 0);
	/* Take the mutex back before returning, whatever ended the wait. */
	long m;
	while ((m = sync_mutex_lock(umutex)) == -EINTR)
		;
	return m == -EOWNERDEAD || m == -ENOTRECOVERABLE ? m : r;
}


long sync_condvar_signal(uintptr_t ucv, bool all)
{
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(ucv, &w, &pa);

	if (err)
		return err;
	uint32_t v = load(&w[1]);
	if (v == _NTO_SYNC_INITIALIZER)
		return 0;
	if (v != _NTO_SYNC_COND)
		return -EINVAL;
	struct sobj *o = find(pa);
	if (o && o->kind == K_COND) {
		struct thread *t;
		while ((t = first_waiter(o))) {
			dequeue(t);
			cond_count(o, -1);
			thread_unblock(t, 0);
			if (!all)
				break;
		}
		maybe_free(o);
	}
	return 0;
}

/* --- semaphores ---------------------------------------------------------- */

static bool cancel_sem(struct thread *t, int err)
{
	struct sobj *o = t->wait_obj;

	(void)err;
	dequeue(t);
	if (list_empty(&o->waiters))
		__atomic_fetch_and(&o->w[0], _NTO_SYNC_SEM_VALUE, __ATOMIC_SEQ_CST);
	maybe_free(o);
	return true;
}

long sync_sem_wait(uintptr_t va, bool tryto)
{
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(va, &w, &pa);

	if (err)
		return err;
	if (load(&w[1]) != _NTO_SYNC_SEM)
		return -EINVAL;
	for (;;) {
		uint32_t c = load(&w[0]);
		if (c & _NTO_SYNC_SEM_VALUE) {
			if (cas(&w[0], c, c - 1))
				return 0;
			continue;
		}
		if (tryto)
			return -EAGAIN;
		struct sobj *o = find_or_make(pa, w, K_SEM, &err);
		if (!o)
			return err;
		if (!(c & _NTO_SYNC_SEM_WAITING) && !cas(&w[0], c, c | _NTO_SYNC_SEM_WAITING)) {
			maybe_free(o);
			continue;
		}
		enqueue(o, current_thread());
		current_thread()->sync_va = va;
		return thread_block(STATE_SEM, o, cancel_sem, 0);
	}
}


long sync_sem_post(uintptr_t va)
{
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(va, &w, &pa);

	if (err)
		return err;
	if (load(&w[1]) != _NTO_SYNC_SEM)
		return -EINVAL;
	struct sobj *o = find(pa);
	struct thread *t = o && o->kind == K_SEM ? first_waiter(o) : NULL;
	if (t) { /* hand the unit straight to the first waiter */
		dequeue(t);
		if (list_empty(&o->waiters))
			__atomic_fetch_and(&w[0], _NTO_SYNC_SEM_VALUE, __ATOMIC_SEQ_CST);
		thread_unblock(t, 0);
		maybe_free(o);
		return 0;
	}
	for (;;) {
		uint32_t c = load(&w[0]);
		if ((c & _NTO_SYNC_SEM_VALUE) == _NTO_SYNC_SEM_VALUE)
			return -EOVERFLOW;
		if (cas(&w[0], c, ((c & _NTO_SYNC_SEM_VALUE) + 1)))
			return 0;
	}
}


/* --- creating, destroying, events ------------------------------------- */

long sync_type_create(uintptr_t va, unsigned type, const struct _sync_attr *attr)
{
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(va, &w, &pa);

	if (err)
		return err;
	struct sobj *o = find(pa);
	if (o && !list_empty(&o->waiters))
		return -EBUSY;
	if (o)
		destroy(o); /* initialised again without SyncDestroy */
	switch (type) {
	case _NTO_SYNC_MUTEX_FREE: {
		uint32_t c = load(&w[0]) & (_NTO_SYNC_NONRECURSIVE | _NTO_SYNC_NOERRORCHECK);
		if (attr->__protocol == PTHREAD_PRIO_NONE)
			c |= _NTO_SYNC_PRIO_NONE;
		else if (attr->__protocol != PTHREAD_PRIO_INHERIT)
			return -EINVAL;
		if (attr->__flags & _NTO_SYNC_ATTR_ROBUST) {
			if (!(o = make(pa, w, K_MUTEX, &err)))
				return err;
			o->kept = o->robust = true;
			c |= _NTO_SYNC_KERNEL;
		}
		store(&w[0], c);
		store(&w[1], _NTO_SYNC_MUTEX_FREE);
		return 0;
	}
	case _NTO_SYNC_COND:
		if (attr->__clockid != CLOCK_REALTIME && attr->__clockid != CLOCK_MONOTONIC)
			return -EINVAL;
		store(&w[0], (uint32_t)attr->__clockid << 24);
		store(&w[1], _NTO_SYNC_COND);
		return 0;
	case _NTO_SYNC_SEM:
		if (load(&w[0]) & ~_NTO_SYNC_SEM_VALUE)
			return -EINVAL;
		store(&w[1], _NTO_SYNC_SEM);
		return 0;
	}
	return -EINVAL;
}


long sync_destroy(uintptr_t va)
{
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(va, &w, &pa);

	if (err)
		return err;
	uint32_t v = load(&w[1]);
	struct sobj *o = find(pa);
	if (v == _NTO_SYNC_DESTROYED)
		return -EINVAL;
	if (o && !list_empty(&o->waiters))
		return -EBUSY;
	if (v != _NTO_SYNC_COND && v != _NTO_SYNC_SEM && v != _NTO_SYNC_INITIALIZER &&
	    v != _NTO_SYNC_MUTEX_FREE && v != _NTO_SYNC_DEAD)
		return -EBUSY; /* a locked mutex */
	if (o)
		destroy(o);
	store(&w[1], _NTO_SYNC_DESTROYED);
	return 0;
}


long sync_mutex_event(uintptr_t va, const struct sigevent *ev)
{
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(va, &w, &pa);

	if (err)
		return err;
	uint32_t v = load(&w[1]);
	if (v == _NTO_SYNC_INITIALIZER)
		cas(&w[1], v, _NTO_SYNC_MUTEX_FREE), v = _NTO_SYNC_MUTEX_FREE;
	if (v == _NTO_SYNC_DESTROYED || v == _NTO_SYNC_COND || v == _NTO_SYNC_SEM)
		return -EINVAL;
	struct sobj *o = find(pa);
	if (o && o->robust)
		return -EINVAL; /* QNX: robust mutexes have their own way */
	if (!ev) {
		if (o && o->has_event) {
			o->has_event = o->kept = false;
			__atomic_fetch_and(&w[0], ~_NTO_SYNC_KERNEL, __ATOMIC_SEQ_CST);
			if (list_empty(&o->waiters))
				destroy(o);
		}
		return 0;
	}
	if (!o && !(o = make(pa, w, K_MUTEX, &err)))
		return err;
	o->event = *ev;
	o->event_pid = current_thread()->proc->pid;
	o->has_event = o->kept = true;
	__atomic_fetch_or(&w[0], _NTO_SYNC_KERNEL, __ATOMIC_SEQ_CST);
	if (v != _NTO_SYNC_MUTEX_FREE && v != _NTO_SYNC_DEAD && !o->owner) {
		struct thread *t = thread_by_id(v & _NTO_SYNC_OWNER_MASK);
		if (t && t->state != STATE_DEAD)
			set_owner(o, t);
	}
	return 0;
}


long sync_mutex_revive(uintptr_t va)
{
	struct thread *self = current_thread();
	volatile uint32_t *w;
	uint64_t pa;
	long err = resolve(va, &w, &pa);

	if (err)
		return err;
	struct sobj *o = find(pa);
	uint32_t v = load(&w[1]);
	if (o && o->robust) {
		/* pthread_mutex_consistent: the owner says the state is good. */
		if ((v & _NTO_SYNC_OWNER_MASK) != thread_sync_id(self) || o->rstate != R_OWNERDEAD)
			return -EINVAL;
		o->rstate = R_OK;
		return 0;
	}
	if (v != _NTO_SYNC_DEAD)
		return -EINVAL;
	/* The caller owns the revived mutex; its unlock hands it on. */
	bool waiting = o && !list_empty(&o->waiters);
	store(&w[1], thread_sync_id(self) | (waiting ? _NTO_SYNC_WAITING : 0));
	if (o)
		set_owner(o, self);
	return 0;
}


void sync_process_exit(struct process *p)
{
	unsigned long irq = arch_irq_save();

	for (int i = 0; buckets_ready && i < HASH_BUCKETS; i++) {
		list_for_each_safe(it, tmp, &buckets[i])
		{
			struct sobj *o = list_entry(it, struct sobj, hash_link);
			if (o->maker != p)
				continue;
			while (!list_empty(&o->waiters)) { /* other processes' */
				struct thread *t = first_waiter(o);
				dequeue(t); /* its wait ends here, not through cancel */
				thread_unblock(t, -EINVAL);
			}
			destroy(o);
		}
	}
	arch_irq_restore(irq);
}
