/*
 * The kernel lock (DESIGN.md §3a, QNX's approach to SMP): a CPU holds it
 * whenever it runs kernel code for a thread, so kernel objects need no
 * other locking; the idle loop lets go of it while it waits, and every
 * entry from user mode or from idle takes it. One CPU: never touched.
 *
 * Entry code on several CPUs calls klock_enter() and, on the way out,
 * klock_exit() with what it returned: an entry from a context that already holds the lock
 * (a kernel thread, a kernel call's interrupt window) takes nothing. The
 * lock belongs to the CPU, not the thread: a switch hands it over with
 * the CPU, so a thread resumes holding it wherever it left off.
 */
#ifndef KERNEL_KLOCK_H
#define KERNEL_KLOCK_H

#include <kernel/compiler.h>
#include <kernel/cpu.h>
#include <kernel/thread.h>

extern bool klock_on; /* set once, when a second CPU is about to run */

void klock_acquire(void);
void klock_release(void);
bool klock_held(void);

/* An entry while klock_on: take the lock unless this CPU holds it; true
 * if taken. */
static inline bool klock_enter(void)
{
	if (klock_held())
		return false;
	klock_acquire();
	return true;
}

/* After klock_enter, for a fault from user mode: a thread ended on
 * another CPU while it ran here ends now. (A kernel call takes what
 * another CPU posted, the end too, before it is made: the arch's entry
 * backs up onto the call and runs signal_deliver.) Not at an interrupt,
 * which must first be acknowledged (a lost EOI holds back every later
 * interrupt of its priority): the thread ends on its way out
 * (signal_deliver). */
static inline void klock_check_doomed(void)
{
	thread_check_doomed(current_thread());
}

static inline void klock_exit(bool taken)
{
	if (taken)
		klock_release();
}

#endif
