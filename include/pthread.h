/*
 * POSIX threads over QNX's kernel calls (libc/pthread.c; docs/ARCHITECTURE.md
 * "libc pthreads"). pthread_t is the thread id, as in QNX. Mutexes,
 * condition variables are QNX's sync_t (<sys/ktypes.h>): uncontended
 * operations stay in user space, waits go to the kernel's Sync* calls.
 * Mutexes inherit priority by default, as QNX's do.
 *
 * Cancellation is deferred only (PTHREAD_CANCEL_ASYNCHRONOUS is accepted
 * and acts at the next cancellation point too); cancellation points:
 * pthread_testcancel, pthread_join, pthread_cond_wait/timedwait,
 * sem_wait/sem_timedwait. pthread_cancel posts SIGRTMAX to the thread
 * (libc reserves it; a thread that blocks it is cancelled when it
 * unblocks it), which ends a wait in those calls with EINTR.
 */
#ifndef _PTHREAD_H_INCLUDED
#define _PTHREAD_H_INCLUDED

#include <sched.h>
#include <stddef.h>
#include <sys/ktypes.h>
#include <time.h>

typedef int pthread_t;
typedef struct _thread_attr pthread_attr_t;
typedef sync_t pthread_mutex_t;
typedef sync_t pthread_cond_t;
typedef int pthread_key_t;

typedef struct {
	int __protocol; /* PTHREAD_PRIO_INHERIT (default), PTHREAD_PRIO_NONE */
	int __type;	/* PTHREAD_MUTEX_* */
	int __pshared;
	int __robust;
} pthread_mutexattr_t;

typedef struct {
	int __clockid; /* CLOCK_REALTIME (default) or CLOCK_MONOTONIC */
	int __pshared;
} pthread_condattr_t;

typedef struct {
	volatile int __done; /* 0, 1 running, 2 done */
	pthread_mutex_t __mutex;
	pthread_cond_t __cond;
} pthread_once_t;

typedef struct {
	pthread_mutex_t __lock;
	pthread_cond_t __readers_ok;
	pthread_cond_t __writer_ok;
	int __active;	       /* readers holding it, -1: a writer */
	int __writers_waiting;
	pthread_t __writer;
} pthread_rwlock_t;
typedef struct {
	int __pshared;
} pthread_rwlockattr_t;

typedef struct {
	pthread_mutex_t __lock;
	pthread_cond_t __cond;
	unsigned __count, __waiting, __cycle;
} pthread_barrier_t;
typedef struct {
	int __pshared;
} pthread_barrierattr_t;

typedef volatile int pthread_spinlock_t;

#define PTHREAD_MUTEX_NORMAL	 0
#define PTHREAD_MUTEX_ERRORCHECK 1
#define PTHREAD_MUTEX_RECURSIVE	 2
#define PTHREAD_MUTEX_DEFAULT	 PTHREAD_MUTEX_ERRORCHECK /* QNX's default checks */
#define PTHREAD_PROCESS_PRIVATE	 0
#define PTHREAD_PROCESS_SHARED	 1
#define PTHREAD_MUTEX_STALLED	 0
#define PTHREAD_MUTEX_ROBUST	 1
#define PTHREAD_CANCEL_ENABLE	 0
#define PTHREAD_CANCEL_DISABLE	 1
#define PTHREAD_CANCEL_DEFERRED	 0
#define PTHREAD_CANCEL_ASYNCHRONOUS 1
#define PTHREAD_CANCELED	 ((void *)-1)
#define PTHREAD_BARRIER_SERIAL_THREAD (-1)
#define PTHREAD_KEYS_MAX	 64
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#define PTHREAD_STACK_MIN	 8192

#define PTHREAD_MUTEX_INITIALIZER {_NTO_SYNC_NONRECURSIVE, _NTO_SYNC_INITIALIZER}
#define PTHREAD_RMUTEX_INITIALIZER {0, _NTO_SYNC_INITIALIZER}
#define PTHREAD_COND_INITIALIZER {0, _NTO_SYNC_INITIALIZER}
#define PTHREAD_ONCE_INIT {0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER}
#define PTHREAD_RWLOCK_INITIALIZER                                                                 \
	{PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0}

int pthread_create(pthread_t *thr, const pthread_attr_t *attr, void *(*func)(void *), void *arg);
int pthread_join(pthread_t thr, void **value);
int pthread_detach(pthread_t thr);
__attribute__((noreturn)) void pthread_exit(void *value);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
int pthread_cancel(pthread_t thr);
int pthread_setcancelstate(int state, int *old);
int pthread_setcanceltype(int type, int *old);
void pthread_testcancel(void);
int pthread_kill(pthread_t thr, int signo);
int pthread_getschedparam(pthread_t thr, int *policy, struct sched_param *param);
int pthread_setschedparam(pthread_t thr, int policy, const struct sched_param *param);
/* QNX's: a thread's name (at most _NTO_THREAD_NAME_MAX bytes: E2BIG),
 * shown by pidin; any thread of the caller's process (ESRCH if none). */
int pthread_setname_np(pthread_t thr, const char *name);
int pthread_getname_np(pthread_t thr, char *name, int len);

/* Cleanup handlers, run by pthread_exit and cancellation. */
struct __pthread_cleanup {
	struct __pthread_cleanup *__next;
	void (*__fn)(void *);
	void *__arg;
};
void __pthread_cleanup_push(struct __pthread_cleanup *c);
void __pthread_cleanup_pop(struct __pthread_cleanup *c, int run);
#define pthread_cleanup_push(fn, arg)                                                              \
	{                                                                                          \
		struct __pthread_cleanup __cu = {0, (fn), (arg)};                                  \
		__pthread_cleanup_push(&__cu);
#define pthread_cleanup_pop(run)                                                                   \
	__pthread_cleanup_pop(&__cu, (run));                                                       \
	}

int pthread_attr_init(pthread_attr_t *a);
int pthread_attr_destroy(pthread_attr_t *a);
int pthread_attr_setdetachstate(pthread_attr_t *a, int s);
int pthread_attr_getdetachstate(const pthread_attr_t *a, int *s);
int pthread_attr_setstacksize(pthread_attr_t *a, size_t n);
int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *n);
int pthread_attr_setstackaddr(pthread_attr_t *a, void *p);
int pthread_attr_getstackaddr(const pthread_attr_t *a, void **p);
int pthread_attr_setstack(pthread_attr_t *a, void *p, size_t n);
int pthread_attr_getstack(const pthread_attr_t *a, void **p, size_t *n);
int pthread_attr_setinheritsched(pthread_attr_t *a, int s);
int pthread_attr_getinheritsched(const pthread_attr_t *a, int *s);
int pthread_attr_setschedpolicy(pthread_attr_t *a, int p);
int pthread_attr_getschedpolicy(const pthread_attr_t *a, int *p);
int pthread_attr_setschedparam(pthread_attr_t *a, const struct sched_param *p);
int pthread_attr_getschedparam(const pthread_attr_t *a, struct sched_param *p);

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);
int pthread_once(pthread_once_t *once, void (*fn)(void));

int pthread_mutexattr_init(pthread_mutexattr_t *a);
int pthread_mutexattr_destroy(pthread_mutexattr_t *a);
int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type);
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *a, int protocol);
int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *a, int *protocol);
int pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int pshared);
int pthread_mutexattr_getpshared(const pthread_mutexattr_t *a, int *pshared);
int pthread_mutexattr_setrobust(pthread_mutexattr_t *a, int robust);
int pthread_mutexattr_getrobust(const pthread_mutexattr_t *a, int *robust);
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime);
int pthread_mutex_unlock(pthread_mutex_t *m);
int pthread_mutex_consistent(pthread_mutex_t *m);

int pthread_condattr_init(pthread_condattr_t *a);
int pthread_condattr_destroy(pthread_condattr_t *a);
int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t id);
int pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *id);
int pthread_condattr_setpshared(pthread_condattr_t *a, int pshared);
int pthread_condattr_getpshared(const pthread_condattr_t *a, int *pshared);
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);

int pthread_rwlockattr_init(pthread_rwlockattr_t *a);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a);
int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a);
int pthread_rwlock_destroy(pthread_rwlock_t *l);
int pthread_rwlock_rdlock(pthread_rwlock_t *l);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l);
int pthread_rwlock_wrlock(pthread_rwlock_t *l);
int pthread_rwlock_trywrlock(pthread_rwlock_t *l);
int pthread_rwlock_unlock(pthread_rwlock_t *l);

int pthread_barrierattr_init(pthread_barrierattr_t *a);
int pthread_barrierattr_destroy(pthread_barrierattr_t *a);
int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count);
int pthread_barrier_destroy(pthread_barrier_t *b);
int pthread_barrier_wait(pthread_barrier_t *b);

int pthread_spin_init(pthread_spinlock_t *s, int pshared);
int pthread_spin_destroy(pthread_spinlock_t *s);
int pthread_spin_lock(pthread_spinlock_t *s);
int pthread_spin_trylock(pthread_spinlock_t *s);
int pthread_spin_unlock(pthread_spinlock_t *s);

#endif
