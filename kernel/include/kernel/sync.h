/*
 * Synchronisation objects (kernel/sync.c): the kernel side of user-space
 * mutexes, condition variables and semaphores (QNX's Sync* calls). A
 * kernel object exists only while a sync_t needs one: threads wait on it,
 * or it is robust or carries a SyncMutexEvent (then it lives until
 * SyncDestroy or its process's end). Objects are found by the physical
 * address of the sync_t.
 */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <kernel/list.h>
#include <stdint.h>
#include <sys/ktypes.h>

struct thread;
struct process;

#define SYNCS_PER_PROCESS 256 /* kernel sync objects a process may make: EAGAIN */

/* The kernel calls (sys_sync.c checks nothing more than the pointers'
 * range): each returns 0 or -errno, as syscalls.def describes. */
long sync_type_create(uintptr_t usync, unsigned type, const struct _sync_attr *attr);
long sync_destroy(uintptr_t usync);
long sync_mutex_lock(uintptr_t usync);
long sync_mutex_unlock(uintptr_t usync);
long sync_condvar_wait(uintptr_t ucv, uintptr_t umutex);
long sync_condvar_signal(uintptr_t ucv, bool all);
long sync_sem_post(uintptr_t usem);
long sync_sem_wait(uintptr_t usem, bool tryto);
long sync_mutex_event(uintptr_t usync, const struct sigevent *ev);
long sync_mutex_revive(uintptr_t usync);

/* t dies (or is killed): mutexes the kernel knows it owns are handed on
 * (robust: EOWNERDEAD) or marked dead (SyncMutexEvent). */
void sync_thread_death(struct thread *t);
/* p is released: its long-lived objects go. */
void sync_process_exit(struct process *p);
/* t is MUTEX-blocked: the mutex's owner now (NULL when the kernel knows
 * none: its owner died), for KerInfo. */
struct thread *sync_mutex_owner(const struct thread *t);
/* Objects that exist now (KerInfo). */
uint64_t sync_count(void);

#endif
