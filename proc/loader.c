/*
 * proc's program loader: a static ELF from the boot image into a new
 * process, through the privileged kernel calls (ProcCreate, ProcMemMap,
 * ProcMemWrite, ThreadCreate in another pid). The initial stack is the
 * System V one crt0 expects: argc, argv[], NULL, envp[], NULL, auxv.
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
	int err = ifs_open(fs, base, size);
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
			     int namesrv_coid)
{
	size_t argc = 0, envc = 0, at = bufsize;
	uintptr_t ptrs[128];

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

pid_t proc_spawn(const struct ifs *fs, const char *name, char *const argv[], char *const envp[],
		 int prio, int policy)
{
	return proc_spawn_abilities(fs, name, argv, envp, prio, policy, 0);
}

pid_t proc_spawn_abilities(const struct ifs *fs, const char *name, char *const argv[],
			   char *const envp[], int prio, int policy, uint64_t abilities)
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
	r = -E2BIG;
	uintptr_t sp = build_stack(args, sizeof(args), STACK_TOP, argv, envp, &info, pid, ns_coid);
	if (!sp)
		goto fail;
	if ((r = ProcMemMap_r(pid, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE)) ||
	    (r = ProcMemWrite_r(pid, sp, args + (sizeof(args) - (STACK_TOP - sp)), STACK_TOP - sp)))
		goto fail;

	/* The first thread: at the entry, with sp exactly as built (no
	 * return address: a thread in another process gets none without an
	 * exit function). */
	struct _thread_attr a = {0};
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = policy;
	a.__param.sched_priority = prio;
	a.__stackaddr = (void *)(sp - MIN_STACK);
	a.__stacksize = MIN_STACK;
	r = ThreadCreate_r(pid, (void *(*)(void *))info.entry, NULL, &a);
	if (r < 0)
		goto fail;
	return pid;
fail:
	ProcDestroy_r(pid, 0);
	return r;
}
