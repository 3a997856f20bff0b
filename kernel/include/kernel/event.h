/*
 * Events (struct sigevent, QNX's one notification mechanism): what a
 * server, a timer or an interrupt sets upon a thread. kernel/event.c
 * delivers them and has the kernel calls MsgDeliverEvent, MsgRegisterEvent,
 * MsgUnregisterEvent and MsgVerifyEvent; kernel/itimer.c has the timers
 * (TimerCreate, ...) that deliver them when they expire.
 *
 * SIGEV_PULSE queues a pulse on the channel behind the event's coid in
 * the target's process; SIGEV_SIGNAL* post a signal (signal.c);
 * SIGEV_UNBLOCK ends the target's wait with ETIMEDOUT; SIGEV_NONE does
 * nothing; SIGEV_INTR belongs to interrupt attachments (interrupt.c) and
 * is refused here.
 */
#ifndef KERNEL_EVENT_H
#define KERNEL_EVENT_H

#include <kernel/ipc.h>
#include <sys/ktypes.h>

struct process;
struct thread;

#define EVENTS_PER_PROCESS 64 /* registered at once (MsgRegisterEvent: EAGAIN) */
#define TIMERS_PER_PROCESS 64 /* TimerCreate: EAGAIN */

/* Is ev well formed (a notify type event_deliver takes, a signal number
 * in range, a pulse code and priority in range)? 0 or -EINVAL. */
int event_check(const struct sigevent *ev);
/* Deliver ev to thread t (signals to t's process unless the event names
 * the thread). pre: a pulse the source owns (a timer, an interrupt
 * attachment; interrupt context never allocates), which coalesces (its
 * count goes up) while it is still queued; NULL: allocate one. A signal
 * says where it came from: si_code code (SIGEV_SIGNAL; the others carry
 * their own) and si_pid from_pid. 0, or -EBADF (no such coid in t's
 * process), -EAGAIN (no memory, or the channel's pulse limit), -EINVAL. */
int event_deliver(struct thread *t, const struct sigevent *ev, struct pulse *pre, int code,
		  int from_pid);

/* p ends: its registered events and timers go. */
void event_process_exit(struct process *p);
void itimer_process_exit(struct process *p);
/* CLOCK_REALTIME was set delta ns ahead (behind, negative): absolute
 * timers on it move with it. */
void itimer_clock_set(int64_t delta);
/* Objects that exist now, for the counts tests check (KerInfo). */
uint64_t event_registered_count(void);
uint64_t itimer_count(void);

#endif
