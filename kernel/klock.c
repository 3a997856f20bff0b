/*
 * The kernel lock (klock.h): a test-and-test-and-set lock, its one word
 * the holding CPU's id, taken with interrupts off. Not a ticket lock: a ticket hands the lock to the next
 * CPU in line even when that CPU is not running (a virtual CPU its host
 * has descheduled), and every CPU then waits on it. Under QEMU with more
 * virtual CPUs than host cores that stalled the -smp 4 user suite into
 * timeouts (183 s and 3 failures, against 106 s and none with this lock;
 * docs/ARCHITECTURE.md). While a CPU waits it answers the requests other
 * CPUs make of it without the lock (a TLB shootdown, smp.c), since the
 * holder may be waiting for that answer. Each CPU counts what it waited
 * and held (KerInfo(KER_INFO_CPUS)).
 */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kernel/cpu.h>
#include <kernel/klock.h>
#include <kernel/sched.h>

bool klock_on;

/* The holding CPU's id, -1 when free: the lock is the one word. */
static int owner = -1;

/* klock_acquire's wait, when the lock was held (asked: when it asked):
 * the time it got it, its wait counted. */
static __attribute__((noinline)) uint64_t klock_wait(struct cpu *c, int me, uint64_t asked)
{
	int free = -1;

	/* Spin on a plain read: the line stays shared until it is free. */
	do {
		while (__atomic_load_n(&owner, __ATOMIC_RELAXED) != -1)
			smp_poll();
		free = -1;
	} while (!__atomic_compare_exchange_n(&owner, &free, me, false, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	uint64_t now = arch_timer_ticks();
	c->stats.lock_wait += now - asked;
	return now;
}

void klock_acquire(void)
{
	struct cpu *c = this_cpu();
	uint64_t now = arch_timer_ticks();
	int free = -1, me = (int)c->id;

	if (__builtin_expect(!__atomic_compare_exchange_n(&owner, &free, me, false,
							  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED),
			     0))
		now = klock_wait(c, me, now);
	c->stats.lock_since = now;
	c->stats.lock_taken++;
}

void klock_release(void)
{
	struct cpu *c = this_cpu();

	if (c->kicks)
		sched_send_kicks();
	c->stats.lock_hold += arch_timer_ticks() - c->stats.lock_since;
	__atomic_store_n(&owner, -1, __ATOMIC_RELEASE);
}

bool klock_held(void)
{
	return __atomic_load_n(&owner, __ATOMIC_RELAXED) == (int)this_cpu()->id;
}
