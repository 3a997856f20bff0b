/*
 * Process-management kernel calls for proc: ProcCreate, ProcMemMap,
 * ProcMemWrite, ProcWait, ProcDestroy. Only a privileged process (proc, pid 1) may make
 * them; everyone else gets EPERM. ProcAbilities too, except that any
 * process may drop its own abilities. Argument checking and copying here; the
 * work is in process.c.
 */
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <sys/mman.h>


static struct process *self_privileged(void)
{
	struct process *p = current_thread()->proc;

	return p->privileged ? p : NULL;
}

/* A live process the caller created. */
static struct process *child(struct process *self, int pid)
{
	struct process *p = process_find(pid);

	return p && p->parent == self->pid && !p->zombie && !p->exiting ? p : NULL;
}

long sys_ProcCreate(const uint64_t a[6])
{
	struct process *self = self_privileged(), *p;
	char name[PROCESS_NAME_MAX];

	if (!self)
		return -EPERM;
	/* The name may end anywhere before the buffer's end. */
	for (size_t i = 0; i < sizeof(name); i++) {
		if (copy_from_user(&name[i], (const char *)(uintptr_t)a[0] + i, 1))
			return -EFAULT;
		if (!name[i])
			break;
		if (i == sizeof(name) - 1)
			return -ENAMETOOLONG;
	}
	p = process_create(name);
	if (!p)
		return -EAGAIN;
	p->parent = self->pid;
	return p->pid;
}

long sys_ProcMemMap(const uint64_t a[6])
{
	struct process *self = self_privileged(), *p;
	int prot = (int)a[3];

	if (!self)
		return -EPERM;
	if (!(p = child(self, (int)a[0])))
		return -ESRCH;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC) ||
	    (prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC))
		return -EINVAL; /* W^X in user space too */
	unsigned vm = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE | VM_READ : 0) |
		      (prot & PROT_EXEC ? VM_EXEC | VM_READ : 0);
	return process_map(p, (uintptr_t)a[1], a[2], vm);
}

long sys_ProcMemWrite(const uint64_t a[6])
{
	struct process *self = self_privileged(), *p;
	uintptr_t dst = (uintptr_t)a[1];
	const uint8_t *src = (const uint8_t *)(uintptr_t)a[2];
	size_t len = a[3];
	uint8_t buf[512];

	if (!self)
		return -EPERM;
	if (!(p = child(self, (int)a[0])))
		return -ESRCH;
	if (dst < USER_BASE || dst >= USER_TOP || len > USER_TOP - dst)
		return -EFAULT;
	for (size_t done = 0; done < len;) {
		size_t n = MIN(len - done, sizeof(buf));
		if (copy_from_user(buf, src + done, n) || process_write(p, dst + done, buf, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}

long sys_ProcWait(const uint64_t a[6])
{
	struct process *self = self_privileged();
	int pid = (int)a[0], status = 0;
	int *ustatus = (int *)(uintptr_t)a[1];

	if (!self)
		return -EPERM;
	if (pid < -1 || pid == 0)
		return -EINVAL;
	int r = process_wait(self, pid, &status);
	if (r > 0 && ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	return r;
}

long sys_ProcDestroy(const uint64_t a[6])
{
	struct process *self = self_privileged(), *p;

	if (!self)
		return -EPERM;
	if (!(p = child(self, (int)a[0])))
		return -ESRCH;
	process_kill(p, (int)a[1]);
	return 0;
}

long sys_ProcAbilities(const uint64_t a[6])
{
	struct process *self = current_thread()->proc, *p;
	int pid = (int)a[0];
	unsigned mask = (unsigned)a[1];

	if (mask & ~ABILITY_ALL)
		return -EINVAL;
	if (pid == 0 || pid == self->pid) {
		self->abilities &= mask;
		return (int)self->abilities;
	}
	if (!self->privileged)
		return -EPERM;
	if (!(p = child(self, pid)))
		return -ESRCH;
	if (mask & ~self->abilities)
		return -EPERM;
	p->abilities = mask;
	return (int)p->abilities;
}
