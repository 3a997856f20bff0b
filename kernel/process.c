/*
 * Process objects: pids, address spaces (user translation root, TLB tag,
 * anonymous memory), teardown. Entry points in process.h.
 *
 * TLB tags: with N tags from the arch, pid p uses tag 1 + p % (N - 1).
 * Two live processes may share a tag, so the CPU remembers which root each
 * tag last ran and flushes the tag when another root takes it over.
 */
#include <arch/cpu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/interrupt.h>
#include <kernel/memobj.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <kernel/wait.h>

#define MAX_TAGS 256
#define TABLE_SPAN (PAGE_SIZE << 9) /* what one last-level table maps: 2 MiB */
#define MAP_ANYWHERE_TOP 0x00007f0000000000ul /* thread stacks grow down from here */

struct process kernel_process = {
    .pid = 0,
    .name = "kernel",
    .threads = LIST_INIT(kernel_process.threads),
    .memobjs = LIST_INIT(kernel_process.memobjs),
    .ipc = IPC_NONE,
    .side = IPC_NONE->side,
};

static SLAB_CACHE(process_cache, struct process);
static struct process *pids[PID_MAX];
static int next_pid = 1;
uint64_t process_tag_root[MAX_TAGS];
static struct list zombies = LIST_INIT(zombies);

static int alloc_pid(struct process *p)
{
	for (int n = 1; n < PID_MAX; n++) {
		int pid = next_pid;
		next_pid = next_pid + 1 < PID_MAX ? next_pid + 1 : 1;
		if (!pids[pid]) {
			pids[pid] = p;
			return pid;
		}
	}
	return -EAGAIN;
}

/* p's TLB tag: its pid, its own, when the arch has a tag for every pid
 * (no switch checks it: process_activate); else, with fewer, one derived
 * from its pid and shared (1 + pid % (n - 1), at most MAX_TAGS), which a
 * switch to p flushes when another root used it last; 0 (none) with one.
 * process_tag_limit caps the arch's count (a ktest takes the shared way
 * on a CPU that has tags enough). */
unsigned process_tag_limit = PID_MAX;
static void tag_assign(struct process *p)
{
	unsigned n = MIN(arch_asid_count(), process_tag_limit);

	if (n >= PID_MAX) {
		p->asid = (unsigned)p->pid;
		p->shared_tag = 0;
		return;
	}
	n = MIN(n, (unsigned)MAX_TAGS);
	p->asid = n > 1 ? 1 + (unsigned)p->pid % (n - 1) : 0;
	p->shared_tag = p->asid;
}

struct process *process_create(const char *name)
{
	struct process *p = slab_alloc(&process_cache);

	if (!p)
		return NULL;
	p->root = arch_vmspace_create();
	if (!p->root) {
		slab_free(&process_cache, p);
		return NULL;
	}
	unsigned long irq = arch_irq_save();
	p->pid = alloc_pid(p);
	arch_irq_restore(irq);
	if (p->pid < 0) {
		pmm_free(p->root, 0);
		slab_free(&process_cache, p);
		return NULL;
	}
	strlcpy(p->name, name, sizeof(p->name));
	tag_assign(p);
	p->vm_reg = arch_vmspace_reg(p->root, p->asid);
	p->next_tid = 1;
	p->map_cursor = MAP_ANYWHERE_TOP;
	list_init(&p->threads);
	list_init(&p->memobjs);
	p->next_memobj = 1;
	process_set_ipc(p, IPC_NONE);
	return p;
}

bool process_may_charge(struct process *p, uint64_t n)
{
	return process_may(p, PROCMGR_AID_PROCMGR) || p == &kernel_process ||
	       (p->pages + n <= pmm_total_pages() / PAGES_PER_PROCESS_DIV &&
		pmm_free_pages() >= PAGES_RESERVED + n);
}

int process_charge(struct process *p, uint64_t n)
{
	if (!process_may_charge(p, n))
		return -EAGAIN;
	p->pages += n;
	return 0;
}

void process_uncharge(struct process *p, uint64_t n)
{
	KASSERT(p->pages >= n);
	p->pages -= n;
}

static uint64_t table_page(void)
{
	return pmm_alloc(0);
}

/* The entry flags of a user page with prot (VM_READ/WRITE/EXEC; none:
 * mapped, but no user access: PROT_NONE). */
static unsigned user_vm(unsigned prot)
{
	return prot ? prot | VM_USER : VM_NOACCESS;
}

int process_map(struct process *p, uintptr_t va, uint64_t size, unsigned prot)
{
	if ((va | size) & (PAGE_SIZE - 1) || !user_range(va, size))
		return -EINVAL;
	/* Charged now, all at once (the limits hold at mmap), made at first
	 * touch. One walk per last-level table: its entries are consecutive. */
	if (process_charge(p, size / PAGE_SIZE))
		return -ENOMEM;
	pte_t lazy = pte_lazy(user_vm(prot));
	for (uintptr_t at = va, end = va + size; at < end;) {
		uintptr_t stop = MIN(ALIGN_DOWN(at, TABLE_SPAN) + TABLE_SPAN, end);
		pte_t *e = pt_leaf(p->root, at, table_page);
		for (; e && at < stop && !*e; at += PAGE_SIZE)
			*e++ = lazy;
		if (at < stop) { /* what is below at is the caller's to unmap */
			process_uncharge(p, (end - at) / PAGE_SIZE);
			return -ENOMEM; /* or already mapped: a loader bug either way */
		}
	}
	return 0;
}

bool process_fault(struct process *p, uintptr_t va, unsigned access)
{
	/* (A kernel thread has no user space: nothing to make for it.) */
	pte_t *e = p->root && va >= USER_BASE && va < USER_TOP ? pt_leaf_find(p->root, va) : NULL;

	if (e && arch_pte_valid(*e))
		return true; /* another CPU made it since, or the walker had not
				seen it yet (no barrier after a leaf: arch/mmu.h) */
	if (!e || !pte_is_lazy(*e))
		return false;
	unsigned vm = pte_lazy_prot(*e);
	if ((vm & VM_NOACCESS) || (access & ~vm & (VM_WRITE | VM_EXEC)))
		return false; /* a real protection fault */
	uint64_t pa = pmm_alloc(0);
	if (!pa)
		return false; /* the machine is out of pages: the fault stands */
	arch_clear_page(phys_to_virt(pa));
	*e = arch_pte_leaf(pa, vm, 0); /* was invalid: nothing cached to drop */
	p->user_pages++;
	return true;
}

bool vm_user_fault(uintptr_t va, unsigned access)
{
	return process_fault(current_thread()->proc, va, access);
}

/* An address for size bytes that process_map_anywhere handed out and got
 * back, or below its cursor with a guard page under it; 0 when there is
 * no room. The caller maps it, or gives it back on failure. */
static uintptr_t pick_range(struct process *p, uint64_t size)
{
	for (unsigned i = 0; i < p->nmap_free; i++)
		if (p->map_free[i].size == size) {
			uintptr_t va = p->map_free[i].va;
			p->map_free[i] = p->map_free[--p->nmap_free];
			return va;
		}
	if (size > p->map_cursor - USER_BASE - PAGE_SIZE)
		return 0;
	p->map_cursor -= size + PAGE_SIZE;
	return p->map_cursor + PAGE_SIZE;
}

uintptr_t process_map_anywhere(struct process *p, uint64_t size, unsigned prot)
{
	uintptr_t va = pick_range(p, size);

	if (va && process_map(p, va, size, prot)) {
		process_unmap_anywhere(p, va, size);
		return 0;
	}
	return va;
}

uintptr_t process_map_device(struct process *p, uint64_t pa, uint64_t size, unsigned prot)
{
	uintptr_t va = pick_range(p, size);

	if (!va)
		return 0;
	/* Page by page: the leaves stay 4 KiB, which unmapping expects. */
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		if (pt_map(p->root, va + off, pa + off, PAGE_SIZE, prot | VM_DEVICE | VM_USER,
			   table_page)) {
			process_unmap_anywhere(p, va, size);
			return 0;
		}
	return va;
}

/* Drop p's stale translations after its entries changed: the tag's, or
 * all if untagged and live. */
static void flush_stale(struct process *p)
{
	if (p->asid)
		arch_tlb_flush_asid(p->asid);
	else if (arch_vmspace_current() == p->root)
		arch_vmspace_switch(p->root, 0);
	smp_tlb_shootdown(p->vm_reg, false);
}

enum user_page { PAGE_NOT_OURS, PAGE_SHARED, PAGE_OWN };

/* The page a user leaf entry maps goes from the process: a memory
 * object's loses a holder, the process's own is freed; device pages and
 * those lent to it (the boot image) were never its to free. */
static enum user_page release_user_page(pte_t e)
{
	uint64_t pa = arch_pte_addr(e);

	if (e & PTE_SHARED) {
		pmm_put(pa); /* others may hold it */
		return PAGE_SHARED;
	}
	if (!pmm_page_allocated(pa))
		return PAGE_NOT_OURS;
	pmm_free(pa, 0);
	return PAGE_OWN;
}

/* Unmap [va, va+size), freeing its pages; the caller flushes. */
static void unmap_range(struct process *p, uintptr_t va, uint64_t size)
{
	uint64_t uncharge = 0;

	/* One walk per last-level table (no table: nothing in its span). */
	for (uintptr_t at = va, end = va + size; at < end;) {
		uintptr_t stop = MIN(ALIGN_DOWN(at, TABLE_SPAN) + TABLE_SPAN, end);
		pte_t *e = pt_leaf_find(p->root, at);
		for (; e && at < stop; at += PAGE_SIZE, e++) {
			pte_t v = *e;
			if (!v)
				continue;
			if (pte_is_lazy(v)) { /* never touched: only its charge */
				*e = 0;
				uncharge++;
				continue;
			}
			if (!arch_pte_valid(v))
				continue;
			*e = 0;
			enum user_page k = release_user_page(v);
			p->user_pages -= k != PAGE_NOT_OURS;
			uncharge += k == PAGE_OWN;
		}
		at = stop;
	}
	process_uncharge(p, uncharge);
}

void process_unmap(struct process *p, uintptr_t va, uint64_t size)
{
	unmap_range(p, va, size);
	flush_stale(p);
}

void process_munmap(struct process *p, uintptr_t va, uint64_t size)
{
	unmap_range(p, va, size);
	for (uintptr_t r = va & ~(TABLE_SPAN - 1); r < va + size; r += TABLE_SPAN)
		pt_prune(p->root, r);
	flush_stale(p);
}

int process_protect(struct process *p, uintptr_t va, uint64_t size, unsigned prot)
{
	if ((va | size) & (PAGE_SIZE - 1) || !user_range(va, size))
		return -EINVAL;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		pte_t *e = pt_leaf_find(p->root, va + off);
		if (!e || !(pte_is_lazy(*e) || arch_pte_valid(*e)))
			return -ENOMEM; /* POSIX: not all of it is mapped */
		if (((*e & PTE_SHARED_RO) && (prot & VM_WRITE)) ||
		    ((*e & PTE_SHARED_NOEXEC) && (prot & VM_EXEC)))
			return -EACCES; /* wider than the mapping was granted */
	}
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		pte_t *e = pt_leaf_find(p->root, va + off);
		unsigned dev = pte_is_lazy(*e) ? 0 : arch_pte_prot(*e) & VM_DEVICE;
		/* Leaves in place: a lazy one keeps being lazy, with new flags;
		 * a shared one stays shared. */
		*e = pte_is_lazy(*e) ? pte_lazy(user_vm(prot))
				     : arch_pte_leaf(arch_pte_addr(*e), user_vm(prot) | dev, 0) |
					   (*e & (PTE_SHARED | PTE_SHARED_RO | PTE_SHARED_NOEXEC));
	}
	flush_stale(p);
	return 0;
}

long process_map_shared(struct process *p, uintptr_t va, const uint64_t *pages, uint64_t n,
			unsigned prot, unsigned max)
{
	uint64_t size = n * PAGE_SIZE;
	bool anywhere = !va;

	if (anywhere && !(va = pick_range(p, size)))
		return -ENOMEM;
	pte_t extra = PTE_SHARED | (max & VM_WRITE ? 0 : PTE_SHARED_RO) |
		      (max & VM_EXEC ? 0 : PTE_SHARED_NOEXEC);
	for (uint64_t i = 0; i < n; i++) {
		pte_t *e = pt_leaf(p->root, va + i * PAGE_SIZE, table_page);
		if (!e || *e) { /* out of tables, or a loader-style clash */
			if (anywhere)
				process_unmap_anywhere(p, va, i * PAGE_SIZE);
			else
				process_munmap(p, va, i * PAGE_SIZE);
			return -ENOMEM;
		}
		pmm_get(pages[i]);
		/* Was empty: nothing cached to drop. */
		*e = arch_pte_leaf(pages[i], user_vm(prot), 0) | extra;
		p->user_pages++;
	}
	return (long)va;
}

void process_unmap_anywhere(struct process *p, uintptr_t va, uint64_t size)
{
	process_unmap(p, va, size);
	if (p->nmap_free < ARRAY_SIZE(p->map_free))
		p->map_free[p->nmap_free++] = (typeof(p->map_free[0])){va, size};
}

int process_write(struct process *p, uintptr_t va, const void *src, uint64_t n)
{
	const uint8_t *s = src;

	while (n) {
		int level;
		pte_t e = pt_lookup(p->root, va & ~(PAGE_SIZE - 1), &level);
		if (!e && process_fault(p, va, VM_READ)) /* made now, to be written */
			e = pt_lookup(p->root, va & ~(PAGE_SIZE - 1), &level);
		if (!e || level != 0)
			return -EFAULT;
		uint64_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		uint8_t *dst = (uint8_t *)phys_to_virt(arch_pte_addr(e)) + (va & (PAGE_SIZE - 1));
		memcpy(dst, s, chunk);
		arch_sync_icache(dst, chunk); /* it may be code */
		va += chunk;
		s += chunk;
		n -= chunk;
	}
	return 0;
}

void process_retag(struct process *p)
{
	arch_tlb_flush_asid(p->asid);
	process_tag_root[p->asid] = p->root;
}

void process_exit(int status)
{
	struct thread *self = current_thread();
	struct process *p = self->proc;

	arch_irq_disable();
	p->exiting = true;
	p->exit_status = status;
	self->joiner = NULL; /* any joiner is one of ours and dies too */
	p->child_waiter = NULL;
	list_for_each_safe(it, tmp, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t != self)
			thread_kill(t);
	}
	thread_exit(NULL);
}

void process_kill(struct process *p, int status)
{
	unsigned long irq = arch_irq_save();

	KASSERT(p != current_thread()->proc);
	p->exiting = true;
	p->exit_status = status;
	p->child_waiter = NULL;
	if (list_empty(&p->threads)) {
		process_release(p); /* never started */
	} else {
		/* The last thread_kill releases it. */
		list_for_each_safe(it, tmp, &p->threads)
			thread_kill(list_entry(it, struct thread, proc_link));
	}
	arch_irq_restore(irq);
}

static void free_user_page(pte_t e, int level, void *arg)
{
	(void)arg;
	KASSERT(level == 0);
	release_user_page(e);
}

static void free_process(struct process *p)
{
	pids[p->pid] = NULL;
	slab_free(&process_cache, p);
}

/* The process manager (KerProcManager): its pid and channel. */
static int manager_pid, manager_chid;

void process_set_manager(struct process *p, int chid)
{
	manager_pid = p->pid;
	manager_chid = chid;
}

int process_manager(int *pid)
{
	*pid = manager_pid;
	return manager_chid;
}

void process_tell_manager(struct process *p, int code, long value)
{
	struct process *parent = p->parent ? process_find(p->parent) : NULL;
	struct channel *ch = parent && parent->pid == manager_pid
				 ? channel_lookup(parent, manager_chid)
				 : NULL;

	if (ch)
		msg_kernel_pulse(ch, -1, code, value, 0);
}

void process_release(struct process *p)
{
	/* Its timers, events and interrupt attachments first (their pulses
	 * may be queued on one of its channels), then its channels and
	 * connections: peers are told. */
	itimer_process_exit(p);
	sync_process_exit(p);
	event_process_exit(p);
	interrupt_process_exit(p);
	ipc_process_exit(p);
	memobj_process_exit(p);
	/* Never free the tables a CPU is walking. */
	if (arch_vmspace_current() == p->root) {
		arch_vmspace_switch(0, 0);
		this_cpu()->vm_reg = 0;
	}
	smp_tlb_shootdown(p->vm_reg, true);
	/* A tag of its own goes clean to the next process of its pid; a
	 * shared one is flushed by whichever root takes it next. */
	if (p->asid && !p->shared_tag)
		arch_tlb_flush_asid(p->asid);
	else if (p->shared_tag && process_tag_root[p->shared_tag] == p->root)
		process_tag_root[p->shared_tag] = 0;
	pt_free_user(p->root, free_user_page);
	pmm_free(p->root, 0);
	p->root = 0;
	p->vm_reg = 0;
	int pid = p->pid, status = p->exit_status;
	bool ran = p->next_tid > 1; /* not a load that failed */

	/* Its own children are orphans now; its zombies go. */
	for (int i = 1; i < PID_MAX; i++) {
		struct process *c = pids[i];
		if (c && c->parent == pid) {
			c->parent = 0;
			if (c->zombie) {
				list_remove(&c->zombie_link);
				free_process(c);
			}
		}
	}
	struct process *parent = p->parent ? process_find(p->parent) : NULL;
	if (parent && ran) {
		/* Keep pid and status for the parent's ProcWait. */
		p->zombie = true;
		list_add_tail(&zombies, &p->zombie_link);
		if (parent->child_waiter) {
			thread_unblock(parent->child_waiter, 0);
			parent->child_waiter = NULL;
		}
		process_tell_manager(p, _PULSE_CODE_PROCDEATH, pid);
	} else {
		free_process(p);
	}
	if (ran)
		init_exited(pid, status);
}

/* The wait for a child ends: the parent forgets its waiter. */
static bool cancel_child_wait(struct thread *t, int err)
{
	struct process *parent = t->wait_obj;

	(void)err;
	parent->child_waiter = NULL;
	return true;
}

int process_wait(struct process *parent, int pid, int *status)
{
	unsigned long irq = arch_irq_save();

	for (;;) {
		list_for_each(it, &zombies)
		{
			struct process *z = list_entry(it, struct process, zombie_link);
			if (z->parent == parent->pid && (pid == -1 || z->pid == pid)) {
				int zpid = z->pid;
				*status = z->exit_status;
				list_remove(&z->zombie_link);
				free_process(z);
				arch_irq_restore(irq);
				return zpid;
			}
		}
		bool live = false;
		for (int i = 1; i < PID_MAX && !live; i++)
			live = pids[i] && pids[i]->parent == parent->pid && !pids[i]->zombie &&
			       (pid == -1 || i == pid);
		if (!live || parent->child_waiter) {
			arch_irq_restore(irq);
			return live ? -EBUSY : -ECHILD;
		}
		/* Woken by the next child to end (JOIN: waiting for another's end). */
		parent->child_waiter = current_thread();
		current_thread()->blocked_on = pid;
		long err = thread_block(STATE_JOIN, parent, cancel_child_wait, 0);
		if (err) {
			arch_irq_restore(irq);
			return (int)err;
		}
	}
}

struct process *process_find(int pid)
{
	return pid > 0 && pid < PID_MAX ? pids[pid] : NULL;
}

void process_for_each(void (*fn)(struct process *p, void *arg), void *arg)
{
	fn(&kernel_process, arg);
	for (int i = 1; i < PID_MAX; i++)
		if (pids[i] && !pids[i]->zombie)
			fn(pids[i], arg);
}

uint64_t process_count(void)
{
	return process_cache.in_use;
}
