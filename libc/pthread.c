/*
 * POSIX threads, mutexes, condition variables, read-write locks,
 * barriers, spin locks, keys, once and unnamed semaphores over QNX's
 * kernel calls (<pthread.h>, <semaphore.h>; docs/ARCHITECTURE.md "libc
 * pthreads").
 *
 * A thread is a ThreadCreate thread (pthread_t is its tid); its libc
 * state (cancellation, cleanup handlers, key values) is thread-local
 * (libc/tls.c), so no descriptor is allocated: stacks are the kernel's
 * (mapped at create, freed with the thread) unless the attributes give
 * one, and the TLS block sits at the top of the stack.
 *
 * Mutexes: sync_t.__owner is 0 or the owner's sync id (KerThreadSelf);
 * lock is a compare-and-swap 0 -> id and unlock id -> 0, in user space;
 * a lock that finds the mutex held, or an unlock that finds waiters
 * (_NTO_SYNC_WAITING), calls SyncMutexLock / SyncMutexUnlock. Recursion
 * counts live in __count and only the owner touches them. Robust mutexes
 * (_NTO_SYNC_KERNEL) always go through the kernel, which must know their
 * owner when it dies.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/neutrino.h>
#include <unistd.h>

#include "libc.h"

#define SIGCANCEL SIGRTMAX

static _Thread_local struct {
	volatile int cancel_pending;
	int cancel_disabled;
	int cancel_async;
	struct __pthread_cleanup *cleanup;
	const void *keys[PTHREAD_KEYS_MAX];
} self;

static unsigned my_id(void)
{
	return __libc_sync_id;
}

static int cas(volatile unsigned *p, unsigned old, unsigned new)
{
	return __atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* TimerTimeout for the next wait in state until abstime on clock. */
static int timeout_at(clockid_t clock, int state_flag, const struct timespec *abstime)
{
	if (!abstime || abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000 || abstime->tv_sec < 0)
		return EINVAL;
	uint64_t ns = (uint64_t)abstime->tv_sec * 1000000000ull + (uint64_t)abstime->tv_nsec;
	int r = TimerTimeout_r(clock, TIMER_ABSTIME | state_flag, NULL, &ns, NULL);
	return r < 0 ? -r : 0;
}

/* --- threads ------------------------------------------------------------ */

int pthread_create(pthread_t *thr, const pthread_attr_t *attr, void *(*func)(void *), void *arg)
{
	pthread_attr_t a;

	if (attr) {
		a = *attr;
		a.__exitfunc = NULL; /* libc's: key destructors, ThreadDestroy */
	}
	int r = ThreadCreate_r(0, func, arg, attr ? &a : NULL);
	if (r < 0)
		return -r;
	if (thr)
		*thr = r;
	return 0;
}

void __libc_pthread_exiting(void)
{
	while (self.cleanup) {
		struct __pthread_cleanup *c = self.cleanup;
		self.cleanup = c->__next;
		c->__fn(c->__arg);
	}
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		int again = 0;
		for (int k = 0; k < PTHREAD_KEYS_MAX; k++) {
			extern void (*__pthread_key_dtor[PTHREAD_KEYS_MAX])(void *);
			const void *v = self.keys[k];
			void (*d)(void *) = __pthread_key_dtor[k];
			if (v && d && d != (void (*)(void *))1) {
				self.keys[k] = NULL;
				d((void *)v);
				again = 1;
			}
		}
		if (!again)
			break;
	}
}

void pthread_exit(void *value)
{
	__libc_thread_exit(value); /* runs __libc_pthread_exiting */
}

pthread_t pthread_self(void)
{
	return (pthread_t)__libc_tid;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

int pthread_join(pthread_t thr, void **value)
{
	pthread_testcancel();
	int r;
	while ((r = ThreadJoin_r(thr, value)) == -EINTR)
		pthread_testcancel();
	return -r;
}

int pthread_detach(pthread_t thr)
{
	return -ThreadDetach_r(thr);
}

void __pthread_cleanup_push(struct __pthread_cleanup *c)
{
	c->__next = self.cleanup;
	self.cleanup = c;
}

void __pthread_cleanup_pop(struct __pthread_cleanup *c, int run)
{
	self.cleanup = c->__next;
	if (run)
		c->__fn(c->__arg);
}

void pthread_testcancel(void)
{
	if (self.cancel_pending && !self.cancel_disabled) {
		self.cancel_disabled = 1;
		pthread_exit(PTHREAD_CANCELED);
	}
}

static void cancel_handler(int signo)
{
	(void)signo;
	self.cancel_pending = 1; /* acted on at the next cancellation point */
}

int pthread_cancel(pthread_t thr)
{
	static volatile int installed;

	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = cancel_handler;
		if (sigaction(SIGCANCEL, &sa, NULL) < 0)
			return errno;
		installed = 1;
	}
	int r = SignalKill_r(0, 0, thr, SIGCANCEL, SI_USER, 0);
	return r < 0 ? -r : 0;
}

int pthread_setcancelstate(int state, int *old)
{
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (old)
		*old = self.cancel_disabled;
	self.cancel_disabled = state;
	return 0;
}

int pthread_setcanceltype(int type, int *old)
{
	if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	if (old)
		*old = self.cancel_async;
	self.cancel_async = type;
	return 0;
}

int pthread_kill(pthread_t thr, int signo)
{
	int r = SignalKill_r(0, 0, thr, signo, SI_USER, 0);
	return r < 0 ? -r : 0;
}

int pthread_getschedparam(pthread_t thr, int *policy, struct sched_param *param)
{
	int r = SchedGet_r(0, thr, param);
	if (r < 0)
		return -r;
	if (policy)
		*policy = r;
	return 0;
}

int pthread_setschedparam(pthread_t thr, int policy, const struct sched_param *param)
{
	int r = SchedSet_r(0, thr, policy, param);
	return r < 0 ? -r : 0;
}

/* A _NTO_TCTL_NAME request with room for the longest name and its NUL. */
struct thread_name {
	struct _thread_name h;
	char more[_NTO_THREAD_NAME_MAX];
};

int pthread_setname_np(pthread_t thr, const char *name)
{
	struct thread_name tn;
	size_t n = strlen(name);

	if (n > _NTO_THREAD_NAME_MAX)
		return E2BIG;
	tn.h.new_name_len = (int)n;
	tn.h.name_buf_len = (int)sizeof(tn) - (int)offsetof(struct _thread_name, name_buf);
	memcpy(tn.h.name_buf, name, n);
	int r = ThreadCtlExt_r(0, thr, _NTO_TCTL_NAME, &tn);
	return r < 0 ? -r : 0;
}

int pthread_getname_np(pthread_t thr, char *name, int len)
{
	struct thread_name tn;

	if (!name || len <= 0)
		return EINVAL;
	tn.h.new_name_len = -1;
	tn.h.name_buf_len = (int)sizeof(tn) - (int)offsetof(struct _thread_name, name_buf);
	int r = ThreadCtlExt_r(0, thr, _NTO_TCTL_NAME, &tn);
	if (r < 0)
		return -r;
	size_t n = strnlen(tn.h.name_buf, (size_t)len - 1);
	memcpy(name, tn.h.name_buf, n);
	name[n] = 0;
	return 0;
}

/* --- attributes ----------------------------------------------------------- */

int pthread_attr_init(pthread_attr_t *a)
{
	memset(a, 0, sizeof(*a));
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *a)
{
	(void)a;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *a, int s)
{
	if (s != PTHREAD_CREATE_JOINABLE && s != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	a->__flags = (a->__flags & ~PTHREAD_DETACHSTATE_MASK) | s;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *s)
{
	*s = a->__flags & PTHREAD_DETACHSTATE_MASK;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t n)
{
	if (n < PTHREAD_STACK_MIN)
		return EINVAL;
	a->__stacksize = n;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *n)
{
	*n = a->__stacksize;
	return 0;
}

int pthread_attr_setstackaddr(pthread_attr_t *a, void *p)
{
	a->__stackaddr = p;
	return 0;
}

int pthread_attr_getstackaddr(const pthread_attr_t *a, void **p)
{
	*p = a->__stackaddr;
	return 0;
}

int pthread_attr_setstack(pthread_attr_t *a, void *p, size_t n)
{
	if (n < PTHREAD_STACK_MIN)
		return EINVAL;
	a->__stackaddr = p;
	a->__stacksize = n;
	return 0;
}

int pthread_attr_getstack(const pthread_attr_t *a, void **p, size_t *n)
{
	*p = a->__stackaddr;
	*n = a->__stacksize;
	return 0;
}

int pthread_attr_setinheritsched(pthread_attr_t *a, int s)
{
	if (s != PTHREAD_INHERIT_SCHED && s != PTHREAD_EXPLICIT_SCHED)
		return EINVAL;
	a->__flags = (a->__flags & ~PTHREAD_INHERITSCHED_MASK) | s;
	return 0;
}

int pthread_attr_getinheritsched(const pthread_attr_t *a, int *s)
{
	*s = a->__flags & PTHREAD_INHERITSCHED_MASK;
	return 0;
}

int pthread_attr_setschedpolicy(pthread_attr_t *a, int p)
{
	if (p != SCHED_FIFO && p != SCHED_RR && p != SCHED_OTHER)
		return EINVAL;
	a->__policy = p;
	return 0;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *a, int *p)
{
	*p = a->__policy;
	return 0;
}

int pthread_attr_setschedparam(pthread_attr_t *a, const struct sched_param *p)
{
	a->__param = *p;
	return 0;
}

int pthread_attr_getschedparam(const pthread_attr_t *a, struct sched_param *p)
{
	*p = a->__param;
	return 0;
}

/* --- keys and once -------------------------------------------------------- */

/* Destructors by key; NULL: free; (void (*)(void *))1: in use, none. */
void (*__pthread_key_dtor[PTHREAD_KEYS_MAX])(void *);
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	int r = EAGAIN;

	pthread_mutex_lock(&key_lock);
	for (int k = 0; k < PTHREAD_KEYS_MAX; k++)
		if (!__pthread_key_dtor[k]) {
			__pthread_key_dtor[k] = destructor ? destructor : (void (*)(void *))1;
			*key = k;
			r = 0;
			break;
		}
	pthread_mutex_unlock(&key_lock);
	return r;
}

int pthread_key_delete(pthread_key_t key)
{
	if (key < 0 || key >= PTHREAD_KEYS_MAX || !__pthread_key_dtor[key])
		return EINVAL;
	__pthread_key_dtor[key] = NULL;
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	if (key < 0 || key >= PTHREAD_KEYS_MAX)
		return NULL;
	return (void *)self.keys[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key < 0 || key >= PTHREAD_KEYS_MAX || !__pthread_key_dtor[key])
		return EINVAL;
	self.keys[key] = value;
	return 0;
}

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	if (__atomic_load_n(&once->__done, __ATOMIC_ACQUIRE) == 2)
		return 0;
	pthread_mutex_lock(&once->__mutex);
	while (once->__done == 1)
		pthread_cond_wait(&once->__cond, &once->__mutex);
	if (once->__done == 0) {
		once->__done = 1;
		pthread_mutex_unlock(&once->__mutex);
		fn();
		pthread_mutex_lock(&once->__mutex);
		__atomic_store_n(&once->__done, 2, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&once->__cond);
	}
	pthread_mutex_unlock(&once->__mutex);
	return 0;
}

/* --- mutexes ---------------------------------------------------------------- */

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
	memset(a, 0, sizeof(*a));
	a->__type = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
	(void)a;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
	if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_RECURSIVE)
		return EINVAL;
	a->__type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
	*type = a->__type;
	return 0;
}

int pthread_mutexattr_setprotocol(pthread_mutexattr_t *a, int protocol)
{
	if (protocol != PTHREAD_PRIO_INHERIT && protocol != PTHREAD_PRIO_NONE)
		return protocol == PTHREAD_PRIO_PROTECT ? ENOTSUP : EINVAL;
	a->__protocol = protocol;
	return 0;
}

int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *a, int *protocol)
{
	*protocol = a->__protocol;
	return 0;
}

int pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	a->__pshared = pshared; /* the kernel keys objects by physical address */
	return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *a, int *pshared)
{
	*pshared = a->__pshared;
	return 0;
}

int pthread_mutexattr_setrobust(pthread_mutexattr_t *a, int robust)
{
	if (robust != PTHREAD_MUTEX_STALLED && robust != PTHREAD_MUTEX_ROBUST)
		return EINVAL;
	a->__robust = robust;
	return 0;
}

int pthread_mutexattr_getrobust(const pthread_mutexattr_t *a, int *robust)
{
	*robust = a->__robust;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	struct _sync_attr sa = {0};
	int type = a ? a->__type : PTHREAD_MUTEX_DEFAULT;

	m->__count = (int)(type == PTHREAD_MUTEX_RECURSIVE ? 0
			   : type == PTHREAD_MUTEX_NORMAL  ? _NTO_SYNC_NONRECURSIVE | _NTO_SYNC_NOERRORCHECK
							   : _NTO_SYNC_NONRECURSIVE);
	if (a) {
		sa.__protocol = a->__protocol;
		sa.__flags = a->__robust ? _NTO_SYNC_ATTR_ROBUST : 0;
	}
	if (!sa.__flags && sa.__protocol == PTHREAD_PRIO_INHERIT) {
		/* Nothing for the kernel to keep: initialise in place. */
		m->__owner = _NTO_SYNC_MUTEX_FREE;
		return 0;
	}
	int r = SyncTypeCreate_r(_NTO_SYNC_MUTEX_FREE, m, &sa);
	return r < 0 ? -r : 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	unsigned o = m->__owner;

	if (o != _NTO_SYNC_MUTEX_FREE && o != _NTO_SYNC_INITIALIZER && o != _NTO_SYNC_DEAD)
		return o == _NTO_SYNC_DESTROYED ? EINVAL : EBUSY;
	if (!((unsigned)m->__count & _NTO_SYNC_KERNEL)) {
		if (!cas(&m->__owner, o, _NTO_SYNC_DESTROYED))
			return EBUSY;
		return 0;
	}
	int r = SyncDestroy_r(m);
	return r < 0 ? -r : 0;
}

/* Held by the caller already: recursion or an error. */
static int relock(pthread_mutex_t *m)
{
	unsigned c = (unsigned)m->__count;

	if (c & _NTO_SYNC_NONRECURSIVE)
		return EDEADLK;
	if ((c & _NTO_SYNC_COUNTMASK) == _NTO_SYNC_COUNTMASK)
		return EAGAIN;
	m->__count = (int)(c + 1);
	return 0;
}

static int mutex_lock(pthread_mutex_t *m, int try, const struct timespec *abstime)
{
	unsigned me = my_id();

	for (;;) {
		unsigned o = m->__owner;
		if (!((unsigned)m->__count & _NTO_SYNC_KERNEL)) {
			if (o == _NTO_SYNC_MUTEX_FREE && cas(&m->__owner, 0, me))
				return 0;
			if (o == _NTO_SYNC_INITIALIZER) {
				cas(&m->__owner, o, _NTO_SYNC_MUTEX_FREE);
				continue;
			}
		}
		if (o == _NTO_SYNC_DESTROYED || o == _NTO_SYNC_COND || o == _NTO_SYNC_SEM)
			return EINVAL;
		if (o != _NTO_SYNC_DEAD && (o & _NTO_SYNC_OWNER_MASK) == me)
			return relock(m);
		if (try && !((unsigned)m->__count & _NTO_SYNC_KERNEL) && o != _NTO_SYNC_MUTEX_FREE)
			return EBUSY;
		int r;
		if (try)
			r = TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_MUTEX, NULL, NULL, NULL);
		else if (abstime)
			r = -timeout_at(CLOCK_REALTIME, _NTO_TIMEOUT_MUTEX, abstime);
		else
			r = 0;
		if (r < 0)
			return -r;
		r = SyncMutexLock_r(m);
		if (r == -EINTR)
			continue; /* a signal handler ran: wait on (POSIX) */
		if (r == -ETIMEDOUT && try)
			return EBUSY;
		if (r == -EDEADLK)
			return relock(m);
		return -r; /* 0, EOWNERDEAD, ENOTRECOVERABLE, ETIMEDOUT, EINVAL */
	}
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	/* Free and ours to take in user space: the common case, first. */
	if (!((unsigned)m->__count & _NTO_SYNC_KERNEL) &&
	    cas(&m->__owner, _NTO_SYNC_MUTEX_FREE, my_id()))
		return 0;
	return mutex_lock(m, 0, NULL);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	return mutex_lock(m, 1, NULL);
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	return mutex_lock(m, 0, abstime);
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	unsigned me = my_id(), o = m->__owner, c = (unsigned)m->__count;

	/* Ours, not recursive, nobody waiting: the common case, first. */
	if (o == me && !(c & (_NTO_SYNC_COUNTMASK | _NTO_SYNC_KERNEL)) &&
	    __atomic_compare_exchange_n(&m->__owner, &o, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return 0;
	o = m->__owner; /* a waiter came (or it was never that simple) */

	if (o == _NTO_SYNC_DEAD || o >= _NTO_SYNC_SEM || (o & _NTO_SYNC_OWNER_MASK) != me)
		return EPERM;
	if (c & _NTO_SYNC_COUNTMASK) {
		m->__count = (int)(c - 1);
		return 0;
	}
	if (!(c & _NTO_SYNC_KERNEL) &&
	    __atomic_compare_exchange_n(&m->__owner, &me, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return 0;
	int r = SyncMutexUnlock_r(m); /* waiters: hand it on */
	return r < 0 ? -r : 0;
}

int pthread_mutex_consistent(pthread_mutex_t *m)
{
	int r = SyncMutexRevive_r(m);
	return r < 0 ? -r : 0;
}

/* --- condition variables ------------------------------------------------- */

int pthread_condattr_init(pthread_condattr_t *a)
{
	memset(a, 0, sizeof(*a));
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a)
{
	(void)a;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t id)
{
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC)
		return EINVAL;
	a->__clockid = id;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *id)
{
	*id = a->__clockid;
	return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *a, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	a->__pshared = pshared;
	return 0;
}

int pthread_condattr_getpshared(const pthread_condattr_t *a, int *pshared)
{
	*pshared = a->__pshared;
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	int clock = a ? a->__clockid : CLOCK_REALTIME;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	c->__count = clock << 24;
	c->__owner = _NTO_SYNC_COND;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	if (c->__owner == _NTO_SYNC_INITIALIZER) {
		c->__owner = _NTO_SYNC_DESTROYED;
		return 0;
	}
	int r = SyncDestroy_r(c);
	return r < 0 ? -r : 0;
}

static int cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	unsigned o = m->__owner;

	if (o == _NTO_SYNC_DEAD || o >= _NTO_SYNC_SEM || (o & _NTO_SYNC_OWNER_MASK) != my_id())
		return EPERM;
	pthread_testcancel();
	if (abstime) {
		int clock = c->__owner == _NTO_SYNC_COND ? ((unsigned)c->__count >> 24) & 0xf : 0;
		int e = timeout_at(clock, _NTO_TIMEOUT_CONDVAR, abstime);
		if (e)
			return e;
	}
	unsigned depth = (unsigned)m->__count & _NTO_SYNC_COUNTMASK;
	m->__count = (int)((unsigned)m->__count & ~_NTO_SYNC_COUNTMASK);
	int r = SyncCondvarWait_r(c, m); /* returns with the mutex held again */
	m->__count = (int)((unsigned)m->__count | depth);
	if (r == -EINTR)
		r = 0; /* a spurious wake-up, as POSIX allows */
	pthread_testcancel(); /* the mutex is held, as cleanup handlers expect */
	return -r;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait(c, m, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	if (!abstime)
		return EINVAL;
	return cond_wait(c, m, abstime);
}

static int cond_wake(pthread_cond_t *c, int all)
{
	if (c->__owner == _NTO_SYNC_COND && !((unsigned)c->__count & _NTO_SYNC_COND_WAITERS))
		return 0; /* nobody waits: no kernel call */
	int r = SyncCondvarSignal_r(c, all);
	return r < 0 ? -r : 0;
}

int pthread_cond_signal(pthread_cond_t *c)
{
	return cond_wake(c, 0);
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	return cond_wake(c, 1);
}

/* --- read-write locks: writers preferred, over a mutex and two condvars -- */

int pthread_rwlockattr_init(pthread_rwlockattr_t *a)
{
	a->__pshared = 0;
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a)
{
	(void)a;
	return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
	(void)a;
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->__lock, NULL);
	pthread_cond_init(&l->__readers_ok, NULL);
	pthread_cond_init(&l->__writer_ok, NULL);
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	if (l->__active || l->__writers_waiting)
		return EBUSY;
	pthread_cond_destroy(&l->__readers_ok);
	pthread_cond_destroy(&l->__writer_ok);
	return pthread_mutex_destroy(&l->__lock);
}

static int rdlock(pthread_rwlock_t *l, int try)
{
	int r = 0;

	pthread_mutex_lock(&l->__lock);
	if (l->__active < 0 && l->__writer == pthread_self())
		r = EDEADLK;
	else if (try && (l->__active < 0 || l->__writers_waiting))
		r = EBUSY;
	else {
		while (l->__active < 0 || l->__writers_waiting)
			pthread_cond_wait(&l->__readers_ok, &l->__lock);
		l->__active++;
	}
	pthread_mutex_unlock(&l->__lock);
	return r;
}

static int wrlock(pthread_rwlock_t *l, int try)
{
	int r = 0;

	pthread_mutex_lock(&l->__lock);
	if (l->__active < 0 && l->__writer == pthread_self())
		r = EDEADLK;
	else if (try && l->__active)
		r = EBUSY;
	else {
		l->__writers_waiting++;
		while (l->__active)
			pthread_cond_wait(&l->__writer_ok, &l->__lock);
		l->__writers_waiting--;
		l->__active = -1;
		l->__writer = pthread_self();
	}
	pthread_mutex_unlock(&l->__lock);
	return r;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	return rdlock(l, 0);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
	return rdlock(l, 1);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	return wrlock(l, 0);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
	return wrlock(l, 1);
}

int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	int r = 0;

	pthread_mutex_lock(&l->__lock);
	if (l->__active < 0 && l->__writer == pthread_self()) {
		l->__active = 0;
		l->__writer = 0;
	} else if (l->__active > 0) {
		l->__active--;
	} else {
		r = EPERM;
	}
	if (!r && l->__active == 0) {
		if (l->__writers_waiting)
			pthread_cond_signal(&l->__writer_ok);
		else
			pthread_cond_broadcast(&l->__readers_ok);
	}
	pthread_mutex_unlock(&l->__lock);
	return r;
}

/* --- barriers --------------------------------------------------------------- */

int pthread_barrierattr_init(pthread_barrierattr_t *a)
{
	a->__pshared = 0;
	return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *a)
{
	(void)a;
	return 0;
}

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
	(void)a;
	if (!count)
		return EINVAL;
	memset(b, 0, sizeof(*b));
	pthread_mutex_init(&b->__lock, NULL);
	pthread_cond_init(&b->__cond, NULL);
	b->__count = count;
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
	if (b->__waiting)
		return EBUSY;
	pthread_cond_destroy(&b->__cond);
	return pthread_mutex_destroy(&b->__lock);
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
	int r = 0;

	pthread_mutex_lock(&b->__lock);
	unsigned cycle = b->__cycle;
	if (++b->__waiting == b->__count) {
		b->__waiting = 0;
		b->__cycle++;
		pthread_cond_broadcast(&b->__cond);
		r = PTHREAD_BARRIER_SERIAL_THREAD;
	} else {
		while (cycle == b->__cycle)
			pthread_cond_wait(&b->__cond, &b->__lock);
	}
	pthread_mutex_unlock(&b->__lock);
	return r;
}

/* --- spin locks: yield while taken (one CPU: spinning cannot help) ---------- */

int pthread_spin_init(pthread_spinlock_t *s, int pshared)
{
	(void)pshared;
	*s = 0;
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *s)
{
	return *s ? EBUSY : 0;
}

int pthread_spin_trylock(pthread_spinlock_t *s)
{
	return __atomic_exchange_n(s, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *s)
{
	while (__atomic_exchange_n(s, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	return 0;
}

int pthread_spin_unlock(pthread_spinlock_t *s)
{
	__atomic_store_n(s, 0, __ATOMIC_RELEASE);
	return 0;
}

/* --- semaphores --------------------------------------------------------------- */

static int fail(int e)
{
	errno = e;
	return -1;
}

int sem_init(sem_t *s, int pshared, unsigned value)
{
	(void)pshared; /* objects are keyed by physical address either way */
	if (value > SEM_VALUE_MAX)
		return fail(EINVAL);
	s->__count = (int)value;
	s->__owner = _NTO_SYNC_SEM;
	return 0;
}

int sem_destroy(sem_t *s)
{
	if (s->__owner != _NTO_SYNC_SEM)
		return fail(EINVAL);
	int r = SyncDestroy_r(s);
	return r < 0 ? fail(-r) : 0;
}

int sem_post(sem_t *s)
{
	volatile unsigned *c = (volatile unsigned *)&s->__count;

	if (s->__owner != _NTO_SYNC_SEM)
		return fail(EINVAL);
	for (;;) {
		unsigned v = *c;
		if (v & _NTO_SYNC_SEM_WAITING)
			break;
		if (v == SEM_VALUE_MAX)
			return fail(EOVERFLOW);
		if (__atomic_compare_exchange_n(c, &v, v + 1, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return 0;
	}
	int r = SyncSemPost_r(s); /* waiters: the kernel hands the unit on */
	return r < 0 ? fail(-r) : 0;
}

static int sem_take(sem_t *s)
{
	volatile unsigned *c = (volatile unsigned *)&s->__count;

	for (;;) {
		unsigned v = *c;
		if (!(v & _NTO_SYNC_SEM_VALUE))
			return 0;
		if (cas(c, v, v - 1))
			return 1;
	}
}

static int sem_block(sem_t *s, const struct timespec *abstime)
{
	if (s->__owner != _NTO_SYNC_SEM)
		return fail(EINVAL);
	pthread_testcancel();
	if (sem_take(s))
		return 0;
	if (abstime) {
		int e = timeout_at(CLOCK_REALTIME, _NTO_TIMEOUT_SEM, abstime);
		if (e)
			return fail(e);
	}
	int r = SyncSemWait_r(s, 0);
	if (r == -EINTR)
		pthread_testcancel();
	return r < 0 ? fail(-r) : 0;
}

int sem_wait(sem_t *s)
{
	return sem_block(s, NULL);
}

int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	if (!abstime)
		return fail(EINVAL);
	return sem_block(s, abstime);
}

int sem_trywait(sem_t *s)
{
	if (s->__owner != _NTO_SYNC_SEM)
		return fail(EINVAL);
	return sem_take(s) ? 0 : fail(EAGAIN);
}

int sem_getvalue(sem_t *s, int *value)
{
	if (s->__owner != _NTO_SYNC_SEM)
		return fail(EINVAL);
	*value = (int)((unsigned)s->__count & _NTO_SYNC_SEM_VALUE);
	return 0;
}
