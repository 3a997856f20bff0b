/*
 * The kernel lock (klock.h): a test-and-test-and-set lock taken with
 * interrupts off. Not a ticket lock: a ticket hands the lock to the next
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

static struct {
	uint32_t taken; /* 1 while a CPU holds it */
	int owner;	/* the holding CPU's id, -1 when free */
} lock = {.owner = -1};

void klock_acquire(void)
{
	struct cpu_stats *s = &this_cpu()->stats;
	uint64_t asked = arch_timer_ticks();

	/* Spin on a plain read: the line stays shared until it is free. */
	while (__atomic_exchange_n(&lock.taken, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock.taken, __ATOMIC_RELAXED))
			smp_poll();
	lock.owner = (int)this_cpu()->id;
	s->lock_since = arch_timer_ticks();
	s->lock_wait += s->lock_since - asked;
	s->lock_taken++;
}

void klock_release(void)
{
	struct cpu_stats *s = &this_cpu()->stats;

	sched_send_kicks();
	s->lock_hold += arch_timer_ticks() - s->lock_since;
	lock.owner = -1;
	__atomic_store_n(&lock.taken, 0, __ATOMIC_RELEASE);
}

bool klock_held(void)
{
	return lock.owner == (int)this_cpu()->id;
}
