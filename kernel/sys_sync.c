/*
 * Synchronisation kernel calls (QNX's Sync*): argument copying; the work
 * is in sync.c, which checks the sync_t pointers themselves (alignment,
 * mapping) since it reaches them through the page tables.
 */
#include <kernel/errno.h>
#include <kernel/event.h>
#include <kernel/syscall.h>
#include <kernel/sync.h>
#include <sys/ktypes.h>

long sys_SyncTypeCreate(const uint64_t a[6])
{
	struct _sync_attr attr = {0};
	const void *uattr = (const void *)(uintptr_t)a[2];

	if (uattr && copy_from_user(&attr, uattr, sizeof(attr)))
		return -EFAULT;
	return sync_type_create(a[1], (unsigned)a[0], &attr);
}

long sys_SyncDestroy(const uint64_t a[6])
{
	return sync_destroy(a[0]);
}

long sys_SyncMutexLock(const uint64_t a[6])
{
	return sync_mutex_lock(a[0]);
}

long sys_SyncMutexUnlock(const uint64_t a[6])
{
	return sync_mutex_unlock(a[0]);
}

long sys_SyncCondvarWait(const uint64_t a[6])
{
	return sync_condvar_wait(a[0], a[1]);
}

long sys_SyncCondvarSignal(const uint64_t a[6])
{
	return sync_condvar_signal(a[0], (int)a[1] != 0);
}

long sys_SyncSemPost(const uint64_t a[6])
{
	return sync_sem_post(a[0]);
}

long sys_SyncSemWait(const uint64_t a[6])
{
	return sync_sem_wait(a[0], (int)a[1] != 0);
}

long sys_SyncMutexEvent(const uint64_t a[6])
{
	const void *uev = (const void *)(uintptr_t)a[1];
	struct sigevent ev;

	if (!uev)
		return sync_mutex_event(a[0], NULL);
	if (copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	int err = event_check(&ev);
	if (err)
		return err;
	return sync_mutex_event(a[0], &ev);
}

long sys_SyncMutexRevive(const uint64_t a[6])
{
	return sync_mutex_revive(a[0]);
}
