/*
 * proc's program loader: a static ELF from the boot image into a new
 * process, through the privileged kernel calls (ProcCreate, ProcMemMap,
 * ProcMemWrite, ThreadCreate in another pid). The initial stack is the
 * System V one crt0 expects: argc, argv[], NULL, envp[], NULL, auxv.
 * A child that inherits fds is held (made, its first thread not yet
 * started) until its parent has granted their OCBs.
 */
#include <errno.h>
#include <muon/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/neutrino.h>

#include "proc.h"

#define STACK_TOP 0x00007ffffffff000ul
#define STACK_SIZE (128 * 1024ul)
#define ARGS_MAX 4096 /* bytes of strings and pointers at the stack top */
#define MIN_STACK 8192
#define HELD_MAX 16 /* children held for their parent's grants: EAGAIN */

#if defined(__x86_64__)
#define MACHINE EM_X86_64
#else
#define MACHINE EM_AARCH64
#endif

void proc_open_image(struct ifs *fs)
{
	const void *base = (const void *)getauxval(AT_MUON_IFS);
	size_t size = getauxval(AT_MUON_IFS_SIZE);

	if (!base || !size) {
		printf("proc: the kernel gave no boot image\n");
		exit(1);
	}
	/* The kernel checked its CRC at boot and maps it read-only. */
	int err = ifs_open_nocrc(fs, base, size);
	if (err) {
		printf("proc: the boot image is corrupt: %s\n", ifs_strerror(err));
		exit(1);
	}
}

static int prot_of(uint32_t p)
{
	return (p & ELF_PROT_READ ? PROT_READ : 0) | (p & ELF_PROT_WRITE ? PROT_WRITE : 0) |
	       (p & ELF_PROT_EXEC ? PROT_EXEC : 0);
}

/* Lay out argc/argv/envp/auxv for a stack whose top is at top, in buf
 * (which stands for [top - sizeof buf, top)); returns the new sp or 0 if
 * it does not fit. */
static uintptr_t build_stack(uint8_t *buf, size_t bufsize, uintptr_t top, char *const argv[],
			     char *const envp[], const struct elf_info *info, pid_t pid,
			     int namesrv_coid, const struct spawn_fds *fds)
{
	size_t argc = 0, envc = 0, at = bufsize;
	uintptr_t ptrs[128], fds_at = 0;
	size_t fds_len = fds ? fds->n * sizeof(*fds->fd) : 0;

	/* The inherited fds' table at the very top, word-aligned. */
	if (fds_len) {
		if (fds_len + 8 > at)
			return 0;
		at = (at - fds_len) & ~(size_t)7;
		memcpy(buf + at, fds->fd, fds_len);
		fds_at = top - (bufsize - at);
	}

	while (argv && argv[argc])
		argc++;
	while (envp && envp[envc])
		envc++;
	if (argc + envc > 126)
		return 0;
	/* Strings first, at the very top. */
	for (size_t i = 0; i < argc + envc; i++) {
		const char *s = i < argc ? argv[i] : envp[i - argc];
		size_t n = strlen(s) + 1;
		if (n > at)
			return 0;
		at -= n;
		memcpy(buf + at, s, n);
		ptrs[i] = top - (bufsize - at);
	}
	uint64_t auxv[] = {AT_PHDR,   info->phdr_vaddr, AT_PHENT, info->phentsize,
			   AT_PHNUM,  info->phnum,      AT_PAGESZ, 4096,
			   AT_ENTRY,  info->entry,      AT_MUON_PID, (uint64_t)pid,
			   AT_MUON_NAMESRV_COID, (uint64_t)namesrv_coid,
			   AT_MUON_FDS, fds_at, AT_MUON_NFDS, fds ? fds->n : 0,
			   AT_MUON_FDS_PID, fds ? (uint64_t)fds->parent : 0,
			   AT_NULL,   0};
	size_t words = 1 + argc + 1 + envc + 1 + sizeof(auxv) / 8;
	if (words * 8 + 16 > at)
		return 0;
	at = (at - words * 8) & ~(size_t)15; /* sp 16-aligned */
	uint64_t *w = (uint64_t *)(buf + at);
	*w++ = argc;
	for (size_t i = 0; i < argc; i++)
		*w++ = ptrs[i];
	*w++ = 0;
	for (size_t i = 0; i < envc; i++)
		*w++ = ptrs[argc + i];
	*w++ = 0;
	memcpy(w, auxv, sizeof(auxv));
	return top - (bufsize - at);
}

int (*proc_spawn_hook)(pid_t pid);

/* Children whose first thread waits for proc_start_held. */
static struct held {
	pid_t pid; /* 0: a free slot */
	uintptr_t entry, sp;
	int prio, policy;
	uint32_t runmask;
} held[HELD_MAX];

pid_t proc_spawn(const struct ifs *fs, const char *name, char *const argv[], char *const envp[],
		 int prio, int policy)
{
	return proc_spawn_fds(fs, name, argv, envp, prio, policy, 0, 0, NULL);
}

pid_t proc_spawn_abilities(const struct ifs *fs, const char *name, char *const argv[],
			   char *const envp[], int prio, int policy, uint64_t abilities)
{
	return proc_spawn_fds(fs, name, argv, envp, prio, policy, abilities, 0, NULL);
}

static int first_thread(pid_t pid, uintptr_t entry, uintptr_t sp, int prio, int policy,
			uint32_t runmask)
{
	/* At the entry, with sp exactly as built (no return address: a
	 * thread in another process gets none without an exit function). */
	struct _thread_attr a = {0};
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = policy;
	a.__param.sched_priority = prio;
	a.__stackaddr = (void *)(sp - MIN_STACK);
	a.__stacksize = MIN_STACK;
	/* The new thread takes the inherit mask of the thread that makes
	 * it: ours, for that moment, runmask (0: ours as it is). */
	struct _thread_runmask rm = {1, {0}, {runmask}};
	if (runmask && ThreadCtl_r(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &rm) < 0)
		return -EINVAL; /* none of the CPUs there are */
	int r = ThreadCreate_r(pid, (void *(*)(void *))entry, NULL, &a);
	if (runmask) {
		struct _thread_runmask back = {1, {0}, {rm.inherit_mask[0]}};
		ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &back);
	}
	return r;
}

int proc_start_held(pid_t pid, bool start)
{
	for (int i = 0; i < HELD_MAX; i++) {
		if (held[i].pid != pid)
			continue;
		struct held h = held[i];
		held[i].pid = 0;
		int r = start ? first_thread(pid, h.entry, h.sp, h.prio, h.policy, h.runmask) : 0;
		if (r < 0 || !start)
			ProcDestroy_r(pid, 0);
		return r < 0 ? r : 0;
	}
	return -ESRCH;
}

/* The inherited fds' connections, at their numbers; an fd whose server
 * has gone (or is going) is left out (fd -1 in the child's table). */
static int connect_fds(pid_t pid, struct spawn_fds *fds)
{
	for (unsigned i = 0; i < fds->n; i++) {
		struct _proc_spawn_fd *f = &fds->fd[i];
		int r = fds->srv[i].pid ? ProcConnectAttach_r(pid, fds->srv[i].pid,
							      fds->srv[i].chid, (unsigned)f->fd, 0)
					: -ESRCH;
		if (r == -ESRCH || r == -ENXIO)
			f->fd = -1;
		else if (r < 0)
			return r;
	}
	return 0;
}

pid_t proc_spawn_fds(const struct ifs *fs, const char *name, char *const argv[], char *const envp[],
		     int prio, int policy, uint64_t abilities, uint32_t runmask,
		     struct spawn_fds *fds)
{
	struct ifs_entry e;
	struct elf_info info;
	static uint8_t args[ARGS_MAX];
	int r;

	if (ifs_lookup(fs, name, &e))
		return -ENOENT;
	if (elf_check(e.data, e.size, MACHINE, &info)) {
		printf("proc: %s: %s\n", name, elf_strerror(elf_check(e.data, e.size, MACHINE, &info)));
		return -ENOEXEC;
	}
	const char *base = strrchr(name, '/');
	pid_t pid = ProcCreate_r(base ? base + 1 : name);
	if (pid < 0)
		return pid;
	for (uint32_t i = 0; i < info.nsegs; i++) {
		const struct elf_segment *s = &info.seg[i];
		uintptr_t lo = s->vaddr & ~4095ul, hi = (s->vaddr + s->memsz + 4095) & ~4095ul;
		if ((r = ProcMemMap_r(pid, lo, hi - lo, prot_of(s->prot))) ||
		    (r = ProcMemWrite_r(pid, s->vaddr, e.data + s->offset, s->filesz)))
			goto fail;
	}
	if (abilities && (r = ProcAbilities_r(pid, &abilities, NULL)) < 0)
		goto fail;
	int ns_coid = 0;
	if (proc_spawn_hook && (r = ns_coid = proc_spawn_hook(pid)) < 0)
		goto fail;
	struct held *h = NULL;
	for (int i = 0; fds && i < HELD_MAX && !h; i++)
		h = held[i].pid ? NULL : &held[i];
	if (fds && (!h || (r = connect_fds(pid, fds)) < 0)) {
		r = h ? r : -EAGAIN;
		goto fail;
	}
	r = -E2BIG;
	uintptr_t sp =
	    build_stack(args, sizeof(args), STACK_TOP, argv, envp, &info, pid, ns_coid, fds);
	if (!sp)
		goto fail;
	if ((r = ProcMemMap_r(pid, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE)) ||
	    (r = ProcMemWrite_r(pid, sp, args + (sizeof(args) - (STACK_TOP - sp)), STACK_TOP - sp)))
		goto fail;
	if (h) { /* the first thread waits for the parent's grants */
		*h = (struct held){pid, info.entry, sp, prio, policy, runmask};
		return pid;
	}
	if ((r = first_thread(pid, info.entry, sp, prio, policy, runmask)) < 0)
		goto fail;
	return pid;
fail:
	ProcDestroy_r(pid, 0);
	return r;
}
