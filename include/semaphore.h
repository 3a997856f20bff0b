/*
 * POSIX unnamed semaphores over QNX's sync_t (libc/pthread.c): posting
 * and taking stay in user space unless a thread must wait or be woken
 * (SyncSemWait/SyncSemPost). sem_wait and sem_timedwait are cancellation
 * points and return EINTR when a handled signal interrupts them.
 */
#ifndef _SEMAPHORE_H_INCLUDED
#define _SEMAPHORE_H_INCLUDED

#include <sys/ktypes.h>
#include <time.h>

typedef sync_t sem_t;
#define SEM_VALUE_MAX 0x7fffffff
#define SEM_FAILED ((sem_t *)0)

int sem_init(sem_t *s, int pshared, unsigned value);
int sem_destroy(sem_t *s);
int sem_post(sem_t *s);
int sem_wait(sem_t *s);
int sem_trywait(sem_t *s);
int sem_timedwait(sem_t *s, const struct timespec *abstime);
int sem_getvalue(sem_t *s, int *value);

#endif
