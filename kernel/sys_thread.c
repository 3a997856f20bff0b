/*
 * Thread and scheduling kernel calls with QNX semantics: KerThreadCreate,
 * ThreadDestroy, ThreadJoin, ThreadDetach, SchedGet, SchedSet, ThreadCtl
 * (I/O privilege, runmasks). Argument checking and copying; the objects'
 * work is in thread.c and sched.c.
 *
 * pid 0 means the caller's process; another pid needs an ability
 * (_NTO_ABILITY_PROCMGR, SCHEDULE or XPROCESS_QUERY). tid 0 means the
 * calling thread.
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <sys/ktypes.h>

#define DEFAULT_STACK (128 * 1024ul)
#define MIN_STACK (8 * 1024ul)
#define MAX_STACK (64ul << 20)

/* The process a call names, or NULL with *err set: another process
 * needs ability id aid. */
static struct process *target_process(pid_t pid, unsigned aid, long *err)
{
	struct process *self = current_thread()->proc;

	if (pid == 0 || pid == self->pid)
		return self;
	if (!process_may(self, aid)) {
		*err = -EPERM;
		return NULL;
	}
	struct process *p = process_find(pid);
	if (!p || p->exiting)
		*err = -ESRCH;
	return p && !p->exiting ? p : NULL;
}

static struct thread *find_thread(struct process *p, int tid)
{
	if (tid == 0 && p == current_thread()->proc)
		return current_thread();
	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t->tid == tid)
			return t;
	}
	return NULL;
}

static bool valid_priority(int prio)
{
	return prio >= 1 && prio <= PRIO_MAX;
}

/* Priorities above 63 need the priority ability (QNX: EPERM). */
static bool allowed_priority(const struct process *p, int prio)
{
	return prio <= PRIO_UNPRIVILEGED || process_may(p, PROCMGR_AID_PRIORITY);
}

static bool valid_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_OTHER;
}

long sys_KerThreadCreate(const uint64_t a[6])
{
	pid_t pid = (pid_t)a[0];
	uintptr_t func = a[1], arg = a[2];
	const struct _thread_attr *uattr = (const void *)(uintptr_t)a[3];
	struct thread *self = current_thread();
	struct _thread_attr attr = {0};
	long err = 0;
	struct process *p = target_process(pid, PROCMGR_AID_PROCMGR, &err);

	if (!p)
		return err;
	if (uattr && copy_from_user(&attr, uattr, sizeof(attr)))
		return -EFAULT;
	if (func < USER_BASE || func >= USER_TOP)
		return -EINVAL;
	unsigned prio = self->base_priority, policy = self->policy;
	if (attr.__flags & PTHREAD_EXPLICIT_SCHED) {
		if (!valid_policy(attr.__policy) || !valid_priority(attr.__param.sched_priority))
			return -EINVAL;
		if (!allowed_priority(self->proc, attr.__param.sched_priority))
			return -EPERM;
		prio = (unsigned)attr.__param.sched_priority;
		policy = (unsigned)attr.__policy;
	}
	if (p != self->proc && !(attr.__flags & PTHREAD_EXPLICIT_SCHED))
		prio = PRIO_DEFAULT, policy = SCHED_RR; /* nothing to inherit across processes */

	/* The stack: the caller's, or one the kernel maps (freed with the
	 * thread). */
	uintptr_t stack = (uintptr_t)attr.__stackaddr, size = attr.__stacksize;
	bool own_stack = !stack;
	if (own_stack) {
		size = size ? ALIGN_UP(size, PAGE_SIZE) : DEFAULT_STACK;
		if (size < MIN_STACK || size > MAX_STACK)
			return -EINVAL;
		stack = process_map_anywhere(p, size, VM_READ | VM_WRITE);
		if (!stack)
			return -EAGAIN;
	} else if (size < MIN_STACK || !user_range(stack, size)) {
		return -EINVAL;
	}
	/* A return from func goes to the exit function: the attributes', or
	 * else libc's default (a[4]), which is an address in the caller's
	 * own process only. */
	uintptr_t sp = ALIGN_DOWN(stack + size, 16);
	uintptr_t ret = attr.__exitfunc ? (uintptr_t)attr.__exitfunc : p == self->proc ? a[4] : 0;
	uintptr_t pc = func;
	bool libc_entry = !attr.__exitfunc && p == self->proc && a[5];
	if (libc_entry) {
		if (a[5] < USER_BASE || a[5] >= USER_TOP)
			return -EINVAL;
		pc = a[5], ret = func; /* libc's entry, "called from" func */
	}
	/* A thread of our own process starts with our thread pointer (libc's
	 * start routine gives it its own TLS block: libc/thread.c). */
	uintptr_t tp = p == self->proc ? arch_user_tp_get() : 0;
	struct thread *t = uthread_create(p, pc, sp, arg, ret, tp, prio, policy);
	if (!t) {
		if (own_stack)
			process_unmap_anywhere(p, stack, size);
		return -EAGAIN;
	}
	if (own_stack) {
		t->ustack = stack;
		t->ustack_size = size;
	}
	/* Before it can run (another CPU takes it only once we let go of
	 * the kernel lock). */
	if (libc_entry) {
		/* Until libc's start gives it its own thread pointer, a
		 * handler would run on our TLS (our errno, our flags): its
		 * signals wait for KerThreadSelf. */
		t->sig_tls_mask = t->sig_blocked;
		t->sig_tls_wait = true;
		signal_set_mask(t, ~0ull);
	}
	t->detached = (attr.__flags & PTHREAD_DETACHSTATE_MASK) == PTHREAD_CREATE_DETACHED;
	return t->tid;
}

long sys_ThreadDestroy(const uint64_t a[6])
{
	int tid = (int)a[0];
	void *status = (void *)(uintptr_t)a[2];
	struct thread *self = current_thread();
	struct process *p = self->proc;

	if (tid == -1) /* every thread: the process ends */
		process_exit(WAIT_EXITED((int)(intptr_t)status));
	if (tid == 0 || tid == self->tid) {
		if (p->nlive == 1) /* the last one out ends the process */
			process_exit(WAIT_EXITED(0));
		thread_exit(status);
	}
	struct thread *t = find_thread(p, tid);
	if (!t || t->state == STATE_DEAD)
		return -ESRCH;
	thread_terminate(t, status);
	return 0;
}

long sys_ThreadJoin(const uint64_t a[6])
{
	int tid = (int)a[0];
	void **ustatus = (void **)(uintptr_t)a[1];
	struct thread *t = find_thread(current_thread()->proc, tid);
	void *value;

	if (!t)
		return -ESRCH;
	int err = thread_join(t, &value);
	if (err)
		return err;
	if (ustatus && copy_to_user(ustatus, &value, sizeof(value)))
		return -EFAULT;
	return 0;
}

long sys_ThreadDetach(const uint64_t a[6])
{
	struct thread *t = find_thread(current_thread()->proc, (int)a[0]);

	if (!t)
		return -ESRCH;
	if (t->detached)
		return -EINVAL;
	return thread_detach(t);
}

long sys_KerThreadSelf(const uint64_t a[6])
{
	struct thread *t = current_thread();
	uintptr_t tp = a[0];

	if (tp) {
		if (tp < USER_BASE || tp >= USER_TOP)
			return -EINVAL;
		t->user_tp = tp;
		arch_user_tp_set(tp);
		if (t->sig_tls_wait) { /* its signals may come now */
			t->sig_tls_wait = false;
			signal_set_mask(t, t->sig_tls_mask);
		}
	}
	if (a[1] && copy_to_user((void *)(uintptr_t)a[1], &t->tid, sizeof(t->tid)))
		return -EFAULT;
	return (long)thread_sync_id(t);
}

long sys_SchedGet(const uint64_t a[6])
{
	long err = 0;
	struct process *p = target_process((pid_t)a[0], PROCMGR_AID_XPROCESS_QUERY, &err);
	struct sched_param *uparam = (void *)(uintptr_t)a[2];
	struct sched_param param = {0};

	if (!p)
		return err;
	struct thread *t = find_thread(p, (int)a[1]);
	if (!t || t->state == STATE_DEAD)
		return -ESRCH;
	param.sched_priority = t->base_priority;
	param.sched_curpriority = t->priority;
	if (uparam && copy_to_user(uparam, &param, sizeof(param)))
		return -EFAULT;
	return t->policy;
}

long sys_SchedSet(const uint64_t a[6])
{
	long err = 0;
	struct process *p = target_process((pid_t)a[0], PROCMGR_AID_SCHEDULE, &err);
	int policy = (int)a[2];
	const struct sched_param *uparam = (const void *)(uintptr_t)a[3];
	struct sched_param param;

	if (!p)
		return err;
	struct thread *t = find_thread(p, (int)a[1]);
	if (!t || t->state == STATE_DEAD)
		return -ESRCH;
	if (copy_from_user(&param, uparam, sizeof(param)))
		return -EFAULT;
	if ((policy != SCHED_NOCHANGE && !valid_policy(policy)) ||
	    !valid_priority(param.sched_priority))
		return -EINVAL;
	if (!allowed_priority(current_thread()->proc, param.sched_priority))
		return -EPERM;
	sched_set(t, (unsigned)param.sched_priority, (unsigned)policy);
	return 0;
}

/* A runmask as the thread keeps it: 0 for every CPU there is; -1 if it
 * names none of them. */
static int64_t runmask_in(unsigned mask)
{
	uint32_t all = (uint32_t)((1ull << cpu_count) - 1);

	if (!(mask & all))
		return -1;
	return (mask & all) == all ? 0 : mask & all;
}

static unsigned runmask_out(uint32_t mask)
{
	return mask ? mask : (unsigned)((1ull << cpu_count) - 1);
}

/* _NTO_TCTL_NAME on t: the new name read before the old one is written
 * back, since both use name_buf. */
static long thread_name(struct thread *t, struct _thread_name *u)
{
	struct _thread_name h;
	char name[sizeof(t->name)];

	if (copy_from_user(&h, u, offsetof(struct _thread_name, name_buf)))
		return -EFAULT;
	if (h.new_name_len < -1 || h.name_buf_len < 0 || h.new_name_len > h.name_buf_len)
		return -EINVAL;
	if (h.new_name_len > _NTO_THREAD_NAME_MAX)
		return -E2BIG;
	if (h.new_name_len > 0 && copy_from_user(name, u->name_buf, (size_t)h.new_name_len))
		return -EFAULT;
	if (h.name_buf_len > 0) {
		size_t n = MIN(strlen(t->name), (size_t)h.name_buf_len - 1);
		if (copy_to_user(u->name_buf, t->name, n) || copy_to_user(u->name_buf + n, "", 1))
			return -EFAULT;
	}
	if (h.new_name_len >= 0) {
		memcpy(t->name, name, (size_t)h.new_name_len);
		t->name[h.new_name_len] = 0;
	}
	return 0;
}

long sys_ThreadCtl(const uint64_t a[6])
{
	struct thread *self = current_thread();
	void *data = (void *)(uintptr_t)a[1];
	struct _thread_runmask rm;
	unsigned mask;
	int64_t m = 0, inherit = 0;

	switch ((int)a[0]) {
	case _NTO_TCTL_NAME:
		return thread_name(self, data);
	case _NTO_TCTL_IO:
		if (!process_may(self->proc, PROCMGR_AID_IO))
			return -EPERM;
		arch_user_io_privilege();
		return 0;
	case _NTO_TCTL_RUNMASK:
		if ((m = runmask_in((unsigned)a[1])) < 0)
			return -EINVAL;
		sched_set_runmask((uint32_t)m);
		return 0;
	case _NTO_TCTL_RUNMASK_GET_AND_SET:
		if (copy_from_user(&mask, data, sizeof(mask)))
			return -EFAULT;
		if (mask && (m = runmask_in(mask)) < 0)
			return -EINVAL;
		unsigned old = runmask_out(self->runmask);
		if (copy_to_user(data, &old, sizeof(old)))
			return -EFAULT;
		if (mask)
			sched_set_runmask((uint32_t)m);
		return 0;
	case _NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT:
		if (copy_from_user(&rm, data, sizeof(rm)))
			return -EFAULT;
		if (rm.size != 1 || (rm.runmask[0] && (m = runmask_in(rm.runmask[0])) < 0) ||
		    (rm.inherit_mask[0] && (inherit = runmask_in(rm.inherit_mask[0])) < 0))
			return -EINVAL;
		struct _thread_runmask now = {1, {runmask_out(self->runmask)},
					      {runmask_out(self->inherit_mask)}};
		if (copy_to_user(data, &now, sizeof(now)))
			return -EFAULT;
		if (rm.inherit_mask[0])
			self->inherit_mask = (uint32_t)inherit;
		if (rm.runmask[0])
			sched_set_runmask((uint32_t)m);
		return 0;
	}
	return -EINVAL;
}

long sys_ThreadCtlExt(const uint64_t a[6])
{
	struct thread *self = current_thread();
	pid_t pid = (pid_t)a[0];
	int tid = (int)a[1];

	if (pid != 0 && pid != self->proc->pid)
		return -EPERM;
	struct thread *t = find_thread(self->proc, tid);
	if (!t || t->state == STATE_DEAD)
		return -ESRCH;
	if (t == self) {
		const uint64_t args[6] = {a[2], a[3]};
		return sys_ThreadCtl(args);
	}
	if ((int)a[2] != _NTO_TCTL_NAME)
		return -EINVAL;
	return thread_name(t, (struct _thread_name *)(uintptr_t)a[3]);
}
