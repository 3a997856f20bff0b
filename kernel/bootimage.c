/*
 * The boot image (IFS, include/muon/ifs.h) and the first user process.
 * Entry points: bootimage_init (find, validate, map read-only),
 * bootimage_start_init (load an ELF from the image as pid 1 and run it).
 *
 * Loading programs in general is proc's job in user space; the kernel only
 * loads the first one, with the same checks (lib/elf.c).
 */
#include <arch/user.h>
#include <kernel/bootimage.h>
#include <kernel/errno.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <muon/auxv.h>
#include <muon/elf.h>

#define USER_STACK_TOP 0x00007ffffffff000ul
#define USER_STACK_SIZE (128 * 1024ul)
/* The image is mapped read-only here, apart from the direct map. */
#define IFS_WINDOW 0xffffffffc0000000ul
#define IFS_WINDOW_MAX (512 * MiB(1))

#if defined(__x86_64__)
#define ELF_MACHINE EM_X86_64
#define IFS_ARCH IFS_F_X86_64
#else
#define ELF_MACHINE EM_AARCH64
#define IFS_ARCH IFS_F_AARCH64
#endif

/* Where proc sees the image (read-only, lent: never freed with proc). */
#define IFS_USER_VA 0x0000700000000000ul

static struct ifs image;
static bool have_image;
static uint64_t image_pa, image_mapped; /* physical base, page-rounded size */

const struct ifs *bootimage(void)
{
	return have_image ? &image : NULL;
}

static uint64_t table_page(void)
{
	return pmm_alloc(0);
}

void bootimage_init(const struct boot_info *bi)
{
	const struct boot_module *m = NULL;

	for (unsigned i = 0; i < bi->nmodules && !m; i++)
		if (!strcmp(bi->modules[i].name, "boot.ifs"))
			m = &bi->modules[i];
	if (!m) {
		kprintf("bootimage: none (no boot.ifs module)\n");
		return;
	}
	if (m->base & (PAGE_SIZE - 1))
		panic("bootimage: boot.ifs at 0x%llx is not page-aligned", (unsigned long long)m->base);
	uint64_t size = ALIGN_UP(m->size, PAGE_SIZE);
	if (size > IFS_WINDOW_MAX)
		panic("bootimage: boot.ifs is %llu MiB, more than the %llu MiB window",
		      (unsigned long long)(m->size >> 20), (unsigned long long)(IFS_WINDOW_MAX >> 20));
	if (pt_map(arch_kernel_root(), IFS_WINDOW, m->base, size, VM_READ, table_page))
		panic("bootimage: cannot map boot.ifs");
	int err = ifs_open(&image, (const void *)IFS_WINDOW, m->size);
	if (err)
		panic("bootimage: boot.ifs is corrupt: %s", ifs_strerror(err));
	if ((image.flags & IFS_F_ARCH_MASK) != IFS_ARCH)
		panic("bootimage: boot.ifs was built for another architecture (flags 0x%x)",
		      image.flags);
	have_image = true;
	image_pa = m->base;
	image_mapped = size;
	kprintf("bootimage: %u files, %llu KiB, mapped read-only\n", image.entry_count,
		(unsigned long long)(image.size >> 10));
}

static unsigned vm_prot(uint32_t elf_prot)
{
	return (elf_prot & ELF_PROT_READ ? VM_READ : 0) | (elf_prot & ELF_PROT_WRITE ? VM_WRITE : 0) |
	       (elf_prot & ELF_PROT_EXEC ? VM_EXEC : 0);
}

/* Push n bytes onto the new process's stack; false if it would overflow. */
static bool push(struct process *p, uintptr_t *sp, const void *src, size_t n)
{
	if (*sp - n < USER_STACK_TOP - USER_STACK_SIZE)
		return false;
	*sp -= n;
	return process_write(p, *sp, src, n) == 0;
}

/* argc, argv[], NULL, envp[] (none yet), NULL, auxv pairs, AT_NULL: the
 * System V initial stack crt0 expects. */
static int build_stack(struct process *p, const struct elf_info *info, int argc,
		       const char *const *argv, uintptr_t *out_sp)
{
	enum { AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_ENTRY = 9 };
	uintptr_t sp = USER_STACK_TOP, uargv[IFS_MAX_ARGS];
	int err = process_map(p, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, VM_READ | VM_WRITE);

	if (err)
		return err;
	if (argc > IFS_MAX_ARGS)
		return -E2BIG;
	for (int i = argc - 1; i >= 0; i--) {
		if (!push(p, &sp, argv[i], strlen(argv[i]) + 1))
			return -E2BIG;
		uargv[i] = sp;
	}
	uint64_t auxv[] = {AT_PHDR,	     info->phdr_vaddr, AT_PHENT,  info->phentsize,
			   AT_PHNUM,	     info->phnum,      AT_PAGESZ, PAGE_SIZE,
			   AT_ENTRY,	     info->entry,      AT_MUON_IFS, IFS_USER_VA,
			   AT_MUON_IFS_SIZE, image.size,       AT_MUON_PID, (uint64_t)p->pid,
			   AT_NULL,	     0};
	uint64_t words = 1 + (uint64_t)argc + 1 + 1 + ARRAY_SIZE(auxv);
	sp = ALIGN_DOWN(sp - words * 8, 16); /* sp itself 16-aligned at entry */
	uintptr_t w = sp;
	uint64_t v = (uint64_t)argc, zero = 0;
	bool ok = process_write(p, w, &v, 8) == 0;
	w += 8;
	for (int i = 0; i < argc; i++, w += 8)
		ok = ok && process_write(p, w, &uargv[i], 8) == 0;
	ok = ok && process_write(p, w, &zero, 8) == 0; /* argv end */
	w += 8;
	ok = ok && process_write(p, w, &zero, 8) == 0; /* envp end */
	w += 8;
	ok = ok && process_write(p, w, auxv, sizeof(auxv)) == 0;
	*out_sp = sp;
	return ok ? 0 : -EFAULT;
}

struct process *bootimage_spawn(const char *name, int argc, const char *const *argv,
				unsigned prio, unsigned policy, int *err)
{
	struct ifs_entry e;
	struct elf_info info;
	struct process *p;
	uintptr_t sp;

	*err = -ENOENT;
	if (!have_image || ifs_lookup(&image, name, &e))
		return NULL;
	*err = elf_check(e.data, e.size, ELF_MACHINE, &info);
	if (*err) {
		kprintf("bootimage: %s: %s\n", name, elf_strerror(*err));
		*err = -ENOEXEC;
		return NULL;
	}
	*err = -ENOMEM;
	p = process_create(name);
	if (!p)
		return NULL;
	/* The kernel loads only the first process: the process manager,
	 * which may create and manage the others. */
	p->abilities = _NTO_ABILITY_ALL;
	for (uint32_t i = 0; i < info.nsegs; i++) {
		const struct elf_segment *s = &info.seg[i];
		uintptr_t lo = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		uintptr_t hi = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		*err = process_map(p, lo, hi - lo, vm_prot(s->prot));
		if (!*err)
			*err = process_write(p, s->vaddr, e.data + s->offset, s->filesz);
		if (*err)
			goto fail;
	}
	*err = -ENOMEM;
	if (pt_map(p->root, IFS_USER_VA, image_pa, image_mapped, VM_READ | VM_USER, table_page))
		goto fail;
	*err = build_stack(p, &info, argc, argv, &sp);
	if (*err)
		goto fail;
	*err = -ENOMEM;
	if (!uthread_create(p, info.entry, sp, 0, 0, 0, prio, policy))
		goto fail;
	*err = 0;
	return p;
fail:
	process_release(p);
	return NULL;
}
