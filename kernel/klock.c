/*
 * The kernel lock (klock.h): a ticket lock, so CPUs get it in the order
 * they asked (none starves), taken with interrupts off. While a CPU waits
 * it answers the requests other CPUs make of it without the lock (a TLB
 * shootdown, smp.c), since the holder may be waiting for that answer.
 */
#include <arch/cpu.h>
#include <kernel/cpu.h>
#include <kernel/klock.h>
#include <kernel/sched.h>

bool klock_on;

static struct {
	uint32_t next;    /* the ticket the next CPU to ask takes */
	uint32_t serving; /* the ticket that holds the lock */
	int owner;        /* the holding CPU's id, -1 when free */
} lock = {.owner = -1};

void klock_acquire(void)
{
	uint32_t ticket = __atomic_fetch_add(&lock.next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock.serving, __ATOMIC_ACQUIRE) != ticket)
		smp_poll();
	lock.owner = (int)this_cpu()->id;
}

void klock_release(void)
{
	sched_send_kicks();
	lock.owner = -1;
	__atomic_store_n(&lock.serving, lock.serving + 1, __ATOMIC_RELEASE);
}

bool klock_held(void)
{
	return lock.owner == (int)this_cpu()->id;
}
