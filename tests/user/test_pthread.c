/*
 * POSIX threads and QNX sync objects from user mode: TLS and errno per
 * thread, mutual exclusion under round-robin preemption, condvar
 * producer/consumer, priority inheritance seen with SchedGet, robust
 * mutexes whose owner dies, timed waits, semaphores, rwlocks, barriers,
 * once, keys with destructors, cancellation, bad input, thread names, and
 * the kernel's sync object count back at its baseline.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <time.h>
#include <unistd.h>

#include "onecpu.h"
#include "tap.h"

static uint64_t syncs(void)
{
	struct ker_info_counts c = {0};
	KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
	return c.syncs;
}

static uint64_t now_ns(clockid_t clk)
{
	uint64_t t = 0;
	ClockTime(clk, NULL, &t);
	return t;
}

static struct timespec abs_in(clockid_t clk, uint64_t ns)
{
	uint64_t t = now_ns(clk) + ns;
	struct timespec ts = {(time_t)(t / 1000000000u), (long)(t % 1000000000u)};
	return ts;
}

static int curprio(pthread_t t)
{
	struct sched_param p;
	if (SchedGet(0, t, &p) < 0)
		return -1;
	return p.sched_curpriority;
}

static pthread_t spawn(void *(*fn)(void *), void *arg, int prio, int policy)
{
	pthread_attr_t a;
	pthread_t t = -1;
	pthread_attr_init(&a);
	if (prio) {
		struct sched_param sp = {0};
		sp.sched_priority = prio;
		pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
		pthread_attr_setschedpolicy(&a, policy);
		pthread_attr_setschedparam(&a, &sp);
	}
	if (pthread_create(&t, &a, fn, arg))
		return -1;
	return t;
}

/* --- TLS and errno ------------------------------------------------------- */

static _Thread_local int tls_value = 7;
static _Thread_local char tls_zero[64];
static pthread_barrier_t tls_bar;

static void *tls_thread(void *arg)
{
	int mine = (int)(intptr_t)arg;
	int ok = tls_value == 7 && tls_zero[63] == 0;
	tls_value = mine;
	tls_zero[63] = (char)mine;
	errno = mine;
	pthread_barrier_wait(&tls_bar); /* all have written theirs */
	ok = ok && tls_value == mine && tls_zero[63] == (char)mine && errno == mine;
	return (void *)(intptr_t)ok;
}

static void test_tls(void)
{
	pthread_t t[3];
	tls_value = 1;
	errno = 0;
	pthread_barrier_init(&tls_bar, NULL, 4);
	for (int i = 0; i < 3; i++)
		t[i] = spawn(tls_thread, (void *)(intptr_t)(100 + i), 0, 0);
	pthread_barrier_wait(&tls_bar);
	int all = 1;
	for (int i = 0; i < 3; i++) {
		void *v = NULL;
		pthread_join(t[i], &v);
		all = all && v == (void *)1;
	}
	CHECK(all); /* each thread saw its own initial values and writes */
	CHECK(tls_value == 1 && tls_zero[63] == 0);
	CHECK_EQ(errno, 0); /* errno is per thread */
	pthread_barrier_destroy(&tls_bar);
}

/* --- mutual exclusion under preemption --------------------------------- */

#define WORKERS 4
#define ROUNDS 20000
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;
static volatile int contended;

static long done[WORKERS]; /* each worker's increments */

/* ROUNDS increments, then more until a preemption has hit inside the lock
 * (RR slices decide when: on a fast host 4 x ROUNDS may fit in one), at
 * most 50 x ROUNDS. */
static void *worker(void *arg)
{
	long *mine = (long *)arg;
	for (long i = 0; i < ROUNDS || (!contended && i < 50L * ROUNDS); i++, (*mine)++) {
		pthread_mutex_lock(&count_lock);
		long v = counter;
		for (volatile int spin = 0; spin < 40; spin++)
			;
		if (count_lock.__owner & _NTO_SYNC_WAITING)
			contended = 1;
		counter = v + 1;
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

static void test_mutex_counter(void)
{
	pthread_t t[WORKERS];
	long total = 0;
	for (int i = 0; i < WORKERS; i++)
		t[i] = spawn(worker, (void *)&done[i], 10, SCHED_RR);
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(t[i], NULL);
		total += done[i];
	}
	CHECK(counter == total && total >= WORKERS * ROUNDS);
	CHECK(contended); /* preemption did hit inside the lock: the kernel path ran */
}

/* --- condvar producer/consumer ------------------------------------------- */

#define QN 4
#define ITEMS 200
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_nonempty = PTHREAD_COND_INITIALIZER, q_nonfull = PTHREAD_COND_INITIALIZER;
static int q[QN], q_head, q_len;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&q_lock);
		while (q_len == QN)
			pthread_cond_wait(&q_nonfull, &q_lock);
		q[(q_head + q_len++) % QN] = i;
		pthread_cond_signal(&q_nonempty);
		pthread_mutex_unlock(&q_lock);
	}
	return NULL;
}

static void test_condvar(void)
{
	pthread_t p = spawn(producer, NULL, 0, 0);
	long sum = 0;
	int in_order = 1, last = 0;
	for (int n = 0; n < ITEMS; n++) {
		pthread_mutex_lock(&q_lock);
		while (q_len == 0)
			pthread_cond_wait(&q_nonempty, &q_lock);
		int v = q[q_head];
		q_head = (q_head + 1) % QN;
		q_len--;
		pthread_cond_signal(&q_nonfull);
		pthread_mutex_unlock(&q_lock);
		in_order = in_order && v == last + 1;
		last = v;
		sum += v;
	}
	pthread_join(p, NULL);
	CHECK_EQ(sum, ITEMS * (ITEMS + 1) / 2);
	CHECK(in_order);
}

/* --- priority inheritance ------------------------------------------------- */

static pthread_mutex_t pi_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t pi_locked, pi_go;
static volatile int pi_after = -1, pi_high_got;

static void *pi_low(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pi_lock);
	sem_post(&pi_locked);
	sem_wait(&pi_go);
	pthread_mutex_unlock(&pi_lock);
	pi_after = curprio(0); /* back to its own */
	return NULL;
}

static void *pi_high(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pi_lock);
	pi_high_got = 1;
	pthread_mutex_unlock(&pi_lock);
	return NULL;
}

static void test_pi(void)
{
	sem_init(&pi_locked, 0, 0);
	sem_init(&pi_go, 0, 0);
	pthread_t lo = spawn(pi_low, NULL, 5, SCHED_FIFO);
	sem_wait(&pi_locked); /* lo holds the mutex, waits for go */
	CHECK_EQ(curprio(lo), 5);
	uint64_t base = syncs(); /* lo holds the mutex, READY: it was preempted */
	pthread_t hi = spawn(pi_high, NULL, 30, SCHED_FIFO); /* runs, blocks on the mutex */
	CHECK_EQ(curprio(lo), 30);                          /* lo inherits hi's priority */
	CHECK_EQ(syncs(), base + 2); /* hi waits on the mutex, lo on pi_go */
	sem_post(&pi_go);
	pthread_join(hi, NULL);
	pthread_join(lo, NULL);
	CHECK(pi_high_got);
	CHECK_EQ(pi_after, 5);
	CHECK_EQ(syncs(), base);
	sem_destroy(&pi_locked);
	sem_destroy(&pi_go);
}

/* --- robust mutexes ------------------------------------------------------- */

static pthread_mutex_t robust;

static void *lock_and_die(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL; /* ends holding it */
}

static void test_robust(void)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	CHECK_EQ(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST), 0);
	uint64_t base = syncs();
	CHECK_EQ(pthread_mutex_init(&robust, &a), 0);
	pthread_join(spawn(lock_and_die, NULL, 0, 0), NULL);
	CHECK_EQ(pthread_mutex_lock(&robust), EOWNERDEAD);
	CHECK_EQ(pthread_mutex_consistent(&robust), 0);
	CHECK_EQ(pthread_mutex_unlock(&robust), 0);
	CHECK_EQ(pthread_mutex_lock(&robust), 0); /* consistent again */
	CHECK_EQ(pthread_mutex_unlock(&robust), 0);
	pthread_join(spawn(lock_and_die, NULL, 0, 0), NULL);
	CHECK_EQ(pthread_mutex_lock(&robust), EOWNERDEAD);
	CHECK_EQ(pthread_mutex_unlock(&robust), 0); /* not made consistent */
	CHECK_EQ(pthread_mutex_lock(&robust), ENOTRECOVERABLE);
	CHECK_EQ(syncs(), base + 1); /* the robust object itself */
	CHECK_EQ(pthread_mutex_destroy(&robust), 0);
	CHECK_EQ(syncs(), base);
}

/* --- timed waits, semaphores, TimerTimeout -------------------------------- */

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static sem_t hold_go, hold_locked;

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&held);
	sem_post(&hold_locked);
	sem_wait(&hold_go);
	pthread_mutex_unlock(&held);
	return NULL;
}

static void test_timeouts(void)
{
	sem_init(&hold_go, 0, 0);
	sem_init(&hold_locked, 0, 0);
	pthread_t h = spawn(holder, NULL, 0, 0);
	sem_wait(&hold_locked);

	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec ts = abs_in(CLOCK_REALTIME, 20000000);
	CHECK_EQ(pthread_mutex_timedlock(&held, &ts), ETIMEDOUT);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 20000000);
	CHECK_EQ(pthread_mutex_trylock(&held), EBUSY);
	/* TimerTimeout straight on the kernel call. */
	int tr = TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_MUTEX, NULL, NULL, NULL);
	int lr = SyncMutexLock_r(&held);
	CHECK_EQ(tr, 0);
	CHECK_EQ(lr, -ETIMEDOUT);

	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	CHECK_EQ(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC), 0);
	pthread_cond_t cv;
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_init(&cv, &ca);
	pthread_mutex_lock(&m);
	t0 = now_ns(CLOCK_MONOTONIC);
	ts = abs_in(CLOCK_MONOTONIC, 15000000);
	CHECK_EQ(pthread_cond_timedwait(&cv, &m, &ts), ETIMEDOUT);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 15000000);
	CHECK_EQ(pthread_mutex_trylock(&m), EDEADLK); /* held again: ours */
	ts.tv_nsec = 1000000000;
	CHECK_EQ(pthread_cond_timedwait(&cv, &m, &ts), EINVAL);
	pthread_mutex_unlock(&m);

	sem_t s;
	CHECK_EQ(sem_init(&s, 0, 0), 0);
	CHECK(sem_trywait(&s) == -1 && errno == EAGAIN);
	ts = abs_in(CLOCK_REALTIME, 10000000);
	CHECK(sem_timedwait(&s, &ts) == -1 && errno == ETIMEDOUT);
	CHECK_EQ(sem_post(&s), 0);
	int v = -1;
	sem_getvalue(&s, &v);
	CHECK_EQ(v, 1);
	CHECK_EQ(sem_wait(&s), 0);
	CHECK_EQ(sem_destroy(&s), 0);

	sem_post(&hold_go);
	pthread_join(h, NULL);
	sem_destroy(&hold_go);
	sem_destroy(&hold_locked);
}

/* A semaphore hands a post to a blocked waiter. */
static sem_t hand;
static void *sem_waiter(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)sem_wait(&hand);
}

static void test_sem_block(void)
{
	uint64_t base = syncs();
	sem_init(&hand, 0, 0);
	pthread_t t = spawn(sem_waiter, NULL, 20, SCHED_FIFO); /* blocks at once */
	CHECK(hand.__count < 0);                                /* _NTO_SYNC_SEM_WAITING */
	CHECK_EQ(syncs(), base + 1);
	sem_post(&hand);
	void *r = (void *)1;
	pthread_join(t, &r);
	CHECK(r == NULL);
	int v = -1;
	sem_getvalue(&hand, &v);
	CHECK_EQ(v, 0);
	CHECK_EQ(syncs(), base);
	sem_destroy(&hand);
}

/* --- rwlocks, barriers, once, keys ---------------------------------------- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static void *try_rd(void *arg)
{
	(void)arg;
	int r = pthread_rwlock_tryrdlock(&rw);
	if (r == 0)
		pthread_rwlock_unlock(&rw);
	return (void *)(intptr_t)r;
}

static void test_rwlock(void)
{
	void *r;
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	pthread_join(spawn(try_rd, NULL, 0, 0), &r);
	CHECK_EQ((intptr_t)r, 0); /* readers share */
	CHECK_EQ(pthread_rwlock_trywrlock(&rw), EBUSY);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
	pthread_join(spawn(try_rd, NULL, 0, 0), &r);
	CHECK_EQ((intptr_t)r, EBUSY); /* a writer excludes */
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_destroy(&rw), 0);
}

static pthread_barrier_t bar;
static volatile int serials, before_bar;
static void *bar_thread(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&before_bar, 1, __ATOMIC_SEQ_CST);
	int r = pthread_barrier_wait(&bar);
	if (r == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_fetch_add(&serials, 1, __ATOMIC_SEQ_CST);
	return (void *)(intptr_t)(before_bar == 4);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs;
static void once_fn(void)
{
	once_runs++;
	sched_yield();
}
static void *once_thread(void *arg)
{
	(void)arg;
	pthread_once(&once, once_fn);
	return NULL;
}

static pthread_key_t key;
static volatile int dtor_calls;
static void dtor(void *v)
{
	if (v == (void *)&dtor_calls)
		dtor_calls++;
}
static void *key_thread(void *arg)
{
	pthread_setspecific(key, arg);
	return pthread_getspecific(key);
}

static void test_misc(void)
{
	pthread_t t[3];
	pthread_barrier_init(&bar, NULL, 4);
	for (int i = 0; i < 3; i++)
		t[i] = spawn(bar_thread, NULL, 0, 0);
	void *all_arrived = bar_thread(NULL);
	int ok = all_arrived == (void *)1;
	for (int i = 0; i < 3; i++) {
		void *v;
		pthread_join(t[i], &v);
		ok = ok && v == (void *)1;
	}
	CHECK(ok); /* nobody left before all four arrived */
	CHECK_EQ(serials, 1);
	CHECK_EQ(pthread_barrier_destroy(&bar), 0);

	for (int i = 0; i < 3; i++)
		t[i] = spawn(once_thread, NULL, 0, 0);
	once_thread(NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(once_runs, 1);

	CHECK_EQ(pthread_key_create(&key, dtor), 0);
	void *v = NULL;
	pthread_join(spawn(key_thread, (void *)&dtor_calls, 0, 0), &v);
	CHECK(v == (void *)&dtor_calls);
	CHECK_EQ(dtor_calls, 1);
	pthread_join(spawn(key_thread, NULL, 0, 0), NULL);
	CHECK_EQ(dtor_calls, 1); /* NULL values get no destructor call */
	CHECK(pthread_getspecific(key) == NULL);
	CHECK_EQ(pthread_key_delete(key), 0);
	CHECK_EQ(pthread_setspecific(key, &v), EINVAL);
}

/* --- cancellation ----------------------------------------------------------- */

static pthread_mutex_t c_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c_cond = PTHREAD_COND_INITIALIZER;
static volatile int cleanup_ran, c_waiting;

static void unlock_cleanup(void *m)
{
	cleanup_ran = (c_lock.__owner & _NTO_SYNC_OWNER_MASK) != 0; /* held here */
	pthread_mutex_unlock(m);
}

static void *cancel_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&c_lock);
	pthread_cleanup_push(unlock_cleanup, &c_lock);
	c_waiting = 1;
	for (;;)
		pthread_cond_wait(&c_cond, &c_lock);
	pthread_cleanup_pop(1);
	return NULL;
}

static void *cancel_spinner(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_testcancel();
		sched_yield();
	}
	return NULL;
}

static void test_cancel(void)
{
	pthread_t t = spawn(cancel_waiter, NULL, 0, 0);
	while (!c_waiting)
		sched_yield(); /* until it is in the wait (it holds the lock until then) */
	pthread_mutex_lock(&c_lock); /* it waits in the kernel now */
	pthread_mutex_unlock(&c_lock);
	CHECK_EQ(pthread_cancel(t), 0);
	void *v = NULL;
	CHECK_EQ(pthread_join(t, &v), 0);
	CHECK(v == PTHREAD_CANCELED);
	CHECK(cleanup_ran);
	CHECK_EQ(pthread_mutex_trylock(&c_lock), 0); /* the cleanup released it */
	pthread_mutex_unlock(&c_lock);

	t = spawn(cancel_spinner, NULL, 0, 0);
	sched_yield();
	CHECK_EQ(pthread_cancel(t), 0);
	CHECK_EQ(pthread_join(t, &v), 0);
	CHECK(v == PTHREAD_CANCELED);
}

/* --- errors ---------------------------------------------------------------- */

static pthread_mutex_t err_m;
static void *unlock_other(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)pthread_mutex_unlock(&err_m);
}

static void test_errors(void)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	CHECK_EQ(pthread_mutex_init(&err_m, &a), 0);
	CHECK_EQ(pthread_mutex_lock(&err_m), 0);
	CHECK_EQ(pthread_mutex_lock(&err_m), EDEADLK);
	CHECK_EQ(pthread_mutex_destroy(&err_m), EBUSY);
	void *r;
	pthread_join(spawn(unlock_other, NULL, 0, 0), &r);
	CHECK_EQ((intptr_t)r, EPERM);
	CHECK_EQ(pthread_mutex_unlock(&err_m), 0);
	CHECK_EQ(pthread_mutex_unlock(&err_m), EPERM);
	CHECK_EQ(pthread_mutex_destroy(&err_m), 0);
	CHECK_EQ(pthread_mutex_lock(&err_m), EINVAL); /* destroyed */

	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_t rm;
	pthread_mutex_init(&rm, &a);
	CHECK(pthread_mutex_lock(&rm) == 0 && pthread_mutex_lock(&rm) == 0 &&
	      pthread_mutex_trylock(&rm) == 0);
	CHECK(pthread_mutex_unlock(&rm) == 0 && pthread_mutex_unlock(&rm) == 0 &&
	      pthread_mutex_unlock(&rm) == 0);
	CHECK_EQ(pthread_mutex_unlock(&rm), EPERM);

	CHECK_EQ(pthread_mutexattr_settype(&a, 99), EINVAL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	CHECK_EQ(pthread_condattr_setclock(&ca, CLOCK_THREAD_CPUTIME_ID), EINVAL);
	sem_t s;
	CHECK(sem_init(&s, 0, 0x80000000u) == -1 && errno == EINVAL);
	CHECK_EQ(SyncMutexLock_r((sync_t *)0x10), -EFAULT);
	static char buf[16] __attribute__((aligned(8)));
	CHECK_EQ(SyncMutexLock_r((sync_t *)(buf + 2)), -EINVAL);
	CHECK_EQ(SyncTypeCreate_r(12345, (sync_t *)buf, NULL), -EINVAL);
	pthread_mutex_t unowned = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
	CHECK_EQ(pthread_cond_wait(&cv, &unowned), EPERM);
	pthread_barrier_t b;
	CHECK_EQ(pthread_barrier_init(&b, NULL, 0), EINVAL);
}

/* A handled signal ends a condvar wait with EINTR (the kernel call). */
static volatile int got_sig;
static void on_usr1(int s)
{
	(void)s;
	got_sig = 1;
}
static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_cond = PTHREAD_COND_INITIALIZER;
static void *sig_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&s_lock);
	int r = SyncCondvarWait_r(&s_cond, &s_lock);
	int held = (s_lock.__owner & _NTO_SYNC_OWNER_MASK) != 0;
	pthread_mutex_unlock(&s_lock);
	return (void *)(intptr_t)(r == -EINTR && held);
}

static void test_signal_ends_wait(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t t = spawn(sig_waiter, NULL, 20, SCHED_FIFO); /* waits at once */
	CHECK_EQ(pthread_kill(t, SIGUSR1), 0);
	void *v = NULL;
	pthread_join(t, &v);
	CHECK(v == (void *)1 && got_sig);
}

static void *name_holder(void *arg)
{
	sem_wait(arg);
	return NULL;
}

/* KerInfo's name for our thread tid ("?" if it is not listed). */
static const char *kinfo_name(pthread_t tid)
{
	static struct ker_thread_info ti[64];
	long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));

	for (long i = 0; i < n && i < 64; i++)
		if (ti[i].pid == getpid() && ti[i].tid == tid)
			return ti[i].thread_name;
	return "?";
}

/* Thread names: QNX's pthread_setname_np() and pthread_getname_np() over
 * ThreadCtl's _NTO_TCTL_NAME (QNX's "ThreadCtl(), ThreadCtl_r()" page):
 * another thread's and our own, seen by KerInfo (pidin), cut to a short
 * buffer, the longest, too long, no such thread, and the raw call's
 * rules. 18 points. */
static void test_names(void)
{
	char buf[_NTO_THREAD_NAME_MAX + 1], longest[_NTO_THREAD_NAME_MAX + 2];
	struct {
		struct _thread_name h;
		char more[16];
	} tn;
	sem_t go;

	sem_init(&go, 0, 0);
	pthread_t t = spawn(name_holder, &go, 20, SCHED_FIFO); /* waits at once */
	CHECK(pthread_getname_np(t, buf, sizeof(buf)) == 0 && buf[0] == 0); /* unnamed */
	CHECK_EQ(pthread_setname_np(t, "worker"), 0);
	CHECK(pthread_getname_np(t, buf, sizeof(buf)) == 0 && !strcmp(buf, "worker"));
	CHECK(pthread_getname_np(t, buf, 4) == 0 && !strcmp(buf, "wor"));
	CHECK(!strcmp(kinfo_name(t), "worker"));
	memset(longest, 'x', _NTO_THREAD_NAME_MAX);
	longest[_NTO_THREAD_NAME_MAX] = 0;
	CHECK_EQ(pthread_setname_np(pthread_self(), longest), 0);
	CHECK(pthread_getname_np(pthread_self(), buf, sizeof(buf)) == 0 && !strcmp(buf, longest));
	strcat(longest, "y");
	CHECK_EQ(pthread_setname_np(pthread_self(), longest), E2BIG);
	CHECK_EQ(strlen(kinfo_name(pthread_self())), _NTO_THREAD_NAME_MAX); /* unchanged */
	CHECK(pthread_setname_np(9999, "x") == ESRCH && pthread_getname_np(9999, buf, 8) == ESRCH);
	CHECK_EQ(pthread_getname_np(t, buf, 0), EINVAL);

	/* Raw: length 0 clears it, and the old name comes back cut to the
	 * buffer; -1 only reads; the buffer must hold the new name. */
	tn.h.new_name_len = 0;
	tn.h.name_buf_len = 1 + sizeof(tn.more);
	CHECK(ThreadCtl(_NTO_TCTL_NAME, &tn) == 0 && strlen(tn.h.name_buf) == 16 &&
	      tn.h.name_buf[0] == 'x');
	CHECK(!strcmp(kinfo_name(pthread_self()), ""));
	tn.h.new_name_len = 5;
	tn.h.name_buf_len = 4;
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_NAME, &tn), -EINVAL);
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_NAME, (void *)0xffff800000000000ul), -EFAULT);
	/* Another process's threads are not ours to name; another thread
	 * takes the name command only. */
	tn.h.new_name_len = -1;
	tn.h.name_buf_len = 1 + sizeof(tn.more);
	CHECK_EQ(ThreadCtlExt_r(getpid() + 1, 1, _NTO_TCTL_NAME, &tn), -EPERM);
	CHECK_EQ(ThreadCtlExt_r(0, t, _NTO_TCTL_RUNMASK, (void *)1), -EINVAL);
	sem_post(&go);
	pthread_join(t, NULL);
	CHECK_EQ(pthread_setname_np(t, "gone"), ESRCH);
}

int main(void)
{
	one_cpu(); /* onecpu.h */
	tap_plan(98 + 18);
	uint64_t base = syncs();
	test_tls();
	test_mutex_counter();
	test_condvar();
	test_pi();
	test_robust();
	test_timeouts();
	test_sem_block();
	test_rwlock();
	test_misc();
	test_cancel();
	test_errors();
	test_signal_ends_wait();
	test_names();
	CHECK_EQ(syncs(), base);
	return tap_done();
}
