/*
 * Process-management kernel calls for proc: ProcCreate, ProcWait,
 * ProcDestroy, KerProcManager and ProcConnectAttach need
 * _NTO_ABILITY_PROCMGR; the memory
 * calls (ProcMemMap, ProcMemWrite, KerMem*) _NTO_ABILITY_MEM_PEER;
 * everyone else gets EPERM. ProcAbilities: any process may read and
 * drop its own. Argument checking and copying here; the work is in
 * process.c.
 */
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/ipc.h>
#include <kernel/memobj.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <sys/mman.h>


/* The caller if it holds ability id aid, else NULL. */
static struct process *self_may(unsigned aid)
{
	struct process *p = current_thread()->proc;

	return process_may(p, aid) ? p : NULL;
}

/* A live process the caller created. */
static struct process *child(struct process *self, int pid)
{
	struct process *p = process_find(pid);

	return p && p->parent == self->pid && !p->zombie && !p->exiting ? p : NULL;
}

long sys_KerProcManager(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_PROCMGR);

	if (!self)
		return -EPERM;
	if (!channel_lookup(self, (int)a[0]))
		return -EINVAL;
	process_set_manager(self, (int)a[0]);
	return 0;
}

long sys_ProcCreate(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_PROCMGR), *p;
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
	int manager, chid = process_manager(&manager);
	if (chid && connect_attach(p, manager, chid, _NTO_SIDE_CHANNEL, 0) != SYSMGR_COID) {
		process_kill(p, 0);
		return -EAGAIN;
	}
	return p->pid;
}

/* Only into a child not yet running: a process's connections are its own
 * once its code runs. */
long sys_ProcConnectAttach(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_PROCMGR), *p;

	if (!self)
		return -EPERM;
	if (!(p = child(self, (int)a[0])) || p->next_tid > 1)
		return -ESRCH;
	if ((int)a[1] <= 0)
		return -ESRCH;
	unsigned index = (unsigned)a[3];
	if (index & _NTO_SIDE_CHANNEL)
		return connect_attach(p, (int)a[1], (int)a[2], _NTO_SIDE_CHANNEL, (int)a[4]);
	/* An inherited fd: at its number or not at all (the lock is held,
	 * so nothing takes it between the look and the attach). */
	if (index >= CONNECTIONS_MAX)
		return -EINVAL;
	if (connect_lookup(p, (int)index))
		return -EBUSY;
	return connect_attach(p, (int)a[1], (int)a[2], index, (int)a[4]);
}

/* PROT_* as VM_* flags (PROT_NONE: 0), or -EINVAL for unknown bits,
 * -ENOTSUP for write and execute together (W^X in user space too). */
static int vm_of(int prot)
{
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if ((prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC))
		return -ENOTSUP;
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE | VM_READ : 0) |
	       (prot & PROT_EXEC ? VM_EXEC | VM_READ : 0);
}

long sys_ProcMemMap(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_MEM_PEER), *p;
	int vm = vm_of((int)a[3]);

	if (!self)
		return -EPERM;
	if (!(p = child(self, (int)a[0])))
		return -ESRCH;
	if (vm <= 0)
		return -EINVAL;
	return process_map(p, (uintptr_t)a[1], a[2], (unsigned)vm);
}

/* The live process a memory call acts on (pid 0: the caller), for a
 * holder of _NTO_ABILITY_MEM_PEER: NULL with *err EPERM or ESRCH. */
static struct process *target(int pid, long *err)
{
	struct process *self = self_may(PROCMGR_AID_MEM_PEER);
	struct process *p = !self ? NULL : pid == 0 ? self : process_find(pid);

	if (!p || p->zombie || p->exiting) {
		*err = self ? -ESRCH : -EPERM;
		return NULL;
	}
	return p;
}

/* The page-rounded length of [va, va+len) in the user half, or 0. */
static uint64_t user_span(uintptr_t va, uint64_t len)
{
	uint64_t size = (len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

	if (!len || size < len || va & (PAGE_SIZE - 1) || !user_range(va, size))
		return 0;
	return size;
}

long sys_KerMemMap(const uint64_t a[6])
{
	uintptr_t va = (uintptr_t)a[1];
	uint64_t len = a[2], size = (len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	int vm = vm_of((int)a[3]), flags = (int)a[4];
	long err;
	struct process *p = target((int)a[0], &err);

	if (!p)
		return err;
	if (vm < 0)
		return vm;
	if (flags & ~MAP_FIXED || !len)
		return -EINVAL;
	if (size < len)
		return -ENOMEM;
	if (!(flags & MAP_FIXED)) {
		va = process_map_anywhere(p, size, (unsigned)vm);
		return va ? (long)va : -ENOMEM;
	}
	if (!user_span(va, len))
		return -EINVAL;
	process_unmap(p, va, size); /* MAP_FIXED replaces what was there */
	if ((err = process_map(p, va, size, (unsigned)vm))) {
		process_munmap(p, va, size);
		return err == -EINVAL ? -EINVAL : -ENOMEM;
	}
	return (long)va;
}

long sys_KerMemUnmap(const uint64_t a[6])
{
	uint64_t size = user_span((uintptr_t)a[1], a[2]);
	long err;
	struct process *p = target((int)a[0], &err);

	if (!p)
		return err;
	if (!size)
		return -EINVAL;
	process_munmap(p, (uintptr_t)a[1], size);
	return 0;
}

long sys_KerMemProtect(const uint64_t a[6])
{
	uint64_t size = user_span((uintptr_t)a[1], a[2]);
	int vm = vm_of((int)a[3]);
	long err;
	struct process *p = target((int)a[0], &err);

	if (!p)
		return err;
	if (vm < 0)
		return vm;
	if (!size)
		return -EINVAL;
	return process_protect(p, (uintptr_t)a[1], size, (unsigned)vm);
}

long sys_ProcMemWrite(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_MEM_PEER), *p;
	uintptr_t dst = (uintptr_t)a[1];
	const uint8_t *src = (const uint8_t *)(uintptr_t)a[2];
	size_t len = a[3];
	uint8_t buf[512];

	if (!self)
		return -EPERM;
	if (!(p = child(self, (int)a[0])))
		return -ESRCH;
	if (!user_range(dst, len))
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
	struct process *self = self_may(PROCMGR_AID_PROCMGR);
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
	struct process *self = self_may(PROCMGR_AID_PROCMGR), *p;

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
	const uint64_t *uset = (const uint64_t *)(uintptr_t)a[1];
	uint64_t *unow = (uint64_t *)(uintptr_t)a[2], set;

	p = pid == 0 ? self : process_find(pid);
	if (!p || p->zombie)
		return -ESRCH;
	if (uset && copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (!uset) { /* only asks */
		if (p != self && !process_may(self, PROCMGR_AID_XPROCESS_QUERY))
			return -EPERM;
	} else if (p == self) {
		self->abilities &= set;
	} else {
		if (!process_may(self, PROCMGR_AID_PROCMGR))
			return -EPERM;
		if (!child(self, pid))
			return -ESRCH;
		if (set & (~self->abilities | _NTO_ABILITY_PROCMGR))
			return -EPERM;
		/* Set before its first thread starts; then only taken away
		 * (what it dropped itself meanwhile stays dropped). */
		p->abilities = p->next_tid > 1 ? p->abilities & set : set;
	}
	if (unow && copy_to_user(unow, &p->abilities, sizeof(p->abilities)))
		return -EFAULT;
	return 0;
}

/* A byte count rounded up to pages; sizes that overflow become a size
 * no object can have (ENOMEM). */
static uint64_t page_round(uint64_t size)
{
	return size > UINT64_MAX - PAGE_SIZE ? UINT64_MAX & ~(uint64_t)(PAGE_SIZE - 1)
					     : ALIGN_UP(size, PAGE_SIZE);
}

long sys_KerMemObjCreate(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_MEM_PEER);

	if (!self)
		return -EPERM;
	/* Made in one call, so at most one resize step (larger: EINVAL;
	 * KerMemObjResize grows it). */
	if (a[0] > MEMOBJ_STEP * PAGE_SIZE)
		return -EINVAL;
	int id = memobj_create(self);
	if (id < 0)
		return id;
	int err = memobj_resize(self, id, page_round(a[0]));
	if (err) {
		memobj_destroy(self, id);
		return err;
	}
	return id;
}

long sys_KerMemObjResize(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_MEM_PEER);

	if (!self)
		return -EPERM;
	int r = memobj_resize(self, (int)a[0], page_round(a[1]));
	return r > 0 ? arch_syscall_again() : r; /* the rest in the call made again */
}

long sys_KerMemObjDestroy(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_MEM_PEER);

	return self ? memobj_destroy(self, (int)a[0]) : -EPERM;
}

long sys_KerMemObjMap(const uint64_t a[6])
{
	struct process *self = self_may(PROCMGR_AID_MEM_PEER), *to;
	struct _memobj_map r;
	long err;

	if (!self)
		return -EPERM;
	if (copy_from_user(&r, (const void *)(uintptr_t)a[1], sizeof(r)))
		return -EFAULT;
	int vm = vm_of(r.prot);
	uint64_t size = page_round(r.len);
	if (vm < 0)
		return vm;
	/* maxprot may name write and execute both: each alone may be asked. */
	if (r.maxprot & ~(PROT_READ | PROT_WRITE | PROT_EXEC) || r.flags & ~MAP_FIXED || !r.len)
		return -EINVAL;
	if (r.prot & ~r.maxprot)
		return -EACCES;
	if (!(to = target(r.pid, &err)))
		return err;
	uintptr_t va = 0;
	if (r.flags & MAP_FIXED) {
		if (!user_span(r.addr, size))
			return -EINVAL;
		va = r.addr;
	}
	unsigned max =
	    (r.maxprot & PROT_WRITE ? VM_WRITE : 0) | (r.maxprot & PROT_EXEC ? VM_EXEC : 0);
	return memobj_map(self, (int)a[0], r.offset, size, to, va, (unsigned)vm, max);
}
