/*
 * aarch64 user mode (arch/user.h): address spaces, entry to EL0, the kernel
 * stack for traps from EL0, FP/SIMD areas, signal frames, and the CPU
 * set-up for all of it (a64_user_init).
 *
 * Address spaces: the kernel lives in TTBR1 and never changes; each process
 * has its own TTBR0 root, tagged with its ASID (TCR_EL1.A1 = 0: the ASID
 * in TTBR0 is the current one), and user leaves are non-global, so a
 * switch is one TTBR0 write and no TLB flush. With no user space loaded,
 * TTBR0 points at an all-zero table with ASID 0, which no process uses
 * (the generic code hands out tags 1..N-1): every lower-half access then
 * takes a translation fault, and no stale user entry can match.
 *
 * The copies to and from user memory are in usercopy.S, FP/SIMD save and
 * restore in fpu.S, the entry and exit paths in vectors.S.
 */
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>
#include <sys/ucontext.h>

#include "a64.h"

#define FPU_AREA_SIZE 528 /* fpu.S: q0-q31, FPSR, FPCR */
#define FPU_FPSR      512
#define FPU_FPCR      520

/* TTBR0 while no user space is loaded: nothing is valid in it. */
static const uint64_t empty_table[PT_ENTRIES] ALIGNED(PAGE_SIZE) = {0};
static uint64_t empty_table_pa;
static bool pan_on;

static uint64_t ttbr_baddr(uint64_t ttbr)
{
	return ttbr & PTE_ADDR_MASK;
}

static bool has_asid16(void)
{
	return ((read_sysreg(id_aa64mmfr0_el1) >> 4) & 0xf) == 2;
}

bool a64_pan_enabled(void)
{
	return pan_on;
}

extern char a64_vectors[], a64_vectors_smp[], a64_vectors_slow[];

void arch_syscall_entry_set(unsigned mode)
{
	char *table = mode == IPC_FAST_ONE   ? a64_vectors
		      : mode == IPC_FAST_SMP ? a64_vectors_smp
					     : a64_vectors_slow;

	write_sysreg(vbar_el1, (uintptr_t)table);
	isb();
}

void a64_user_init(void)
{
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t mmfr2 = read_sysreg(S3_0_C0_C7_2); /* ID_AA64MMFR2_EL1 */
	bool pan = ((mmfr1 >> 20) & 0xf) != 0;
	bool uao = ((mmfr2 >> 4) & 0xf) != 0;

	/* FP/SIMD usable at EL0 and by fpu.S at EL1. */
	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | CPACR_FPEN_ALL);
	/* EL0 may read the virtual counter; the timers stay the kernel's. */
	write_sysreg(cntkctl_el1, CNTKCTL_EL0VCTEN);
	/* EL0-visible registers with UNKNOWN reset values: nothing to
	 * read in TPIDRRO_EL0, no PMU access from EL0. */
	write_sysreg(tpidrro_el0, 0);
	unsigned pmuver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;
	if (pmuver && pmuver != 0xf)
		write_sysreg(pmuserenr_el0, 0);

	/* Lower-half walks on (head.S turned them off after boot), on the
	 * empty table, ASID 0; 16-bit ASIDs if the CPU has them. */
	empty_table_pa = kimage_to_phys(empty_table);
	write_sysreg(ttbr0_el1, empty_table_pa);
	isb();
	uint64_t tcr = read_sysreg(tcr_el1) & ~(uint64_t)TCR_EPD0;
	if (has_asid16())
		tcr |= TCR_AS;
	write_sysreg(tcr_el1, tcr);
	isb();
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();

	/* PAN: set on every exception entry (SPAN = 0) and now. */
	uint64_t sctlr = read_sysreg(sctlr_el1) | SCTLR_EL1_USER;
	if (pan)
		sctlr &= ~(uint64_t)SCTLR_SPAN;
	write_sysreg(sctlr_el1, sctlr);
	isb();
	if (pan)
		write_sysreg(S3_0_C4_C2_3, PSTATE_PAN); /* PSTATE.PAN */
	/* UAO would make LDTR/STTR privileged: keep it clear. */
	if (uao)
		write_sysreg(S3_0_C4_C2_4, 0); /* PSTATE.UAO */
	isb();
	pan_on = pan;
	if (this_cpu() == &cpus[0]) /* the others are alike */
		kprintf("user: %u-bit ASIDs, PAN %s\n", has_asid16() ? 16 : 8,
			pan ? "on" : "absent on this CPU");
}

uint64_t arch_vmspace_create(void)
{
	uint64_t root = pmm_alloc(0);

	if (root)
		arch_clear_page(phys_to_virt(root));
	return root;
}

void a64_vmspace_switch(uint64_t root, unsigned asid)
{
	uint64_t old = read_sysreg(ttbr0_el1);
	uint64_t ttbr = root ? root | (uint64_t)asid << TTBR_ASID_SHIFT : empty_table_pa;

	/* The tables are complete in memory before the walker may use them. */
	dsb(ishst);
	write_sysreg(ttbr0_el1, ttbr);
	isb();
	/* Tag 0 is the empty table's. A root run untagged (the generic
	 * code's "no tags" case, which aarch64 never asks for) leaves
	 * entries under it: drop them when such a root comes or goes. */
	bool old_untagged = ttbr_baddr(old) != empty_table_pa && !(old >> TTBR_ASID_SHIFT);
	if ((root && !asid) || old_untagged)
		arch_tlb_flush_asid(0);
}

uint64_t arch_vmspace_current(void)
{
	uint64_t root = ttbr_baddr(read_sysreg(ttbr0_el1));

	return root == empty_table_pa ? 0 : root;
}

unsigned arch_asid_count(void)
{
	return has_asid16() ? 65536 : 256;
}

void arch_tlb_flush_user(void)
{
	__asm__ volatile("tlbi vmalle1" ::: "memory"); /* this CPU's, all of them */
	dsb(nsh);
	isb();
}

void arch_tlb_flush_asid(unsigned asid)
{
	dsb(ishst); /* cleared entries are visible before the invalidation */
	__asm__ volatile("tlbi aside1is, %0" ::"r"((uint64_t)asid << TTBR_ASID_SHIFT) : "memory");
	dsb(ish);
	isb();
}

void arch_enter_user(uintptr_t pc, uintptr_t sp, uintptr_t arg, uintptr_t ret, uintptr_t tp)
{
	uintptr_t ktop = this_cpu()->kstack_top;

	KASSERT(ktop && !(ktop & 15));
	a64_enter_user(pc, sp, arg, ret, ktop, tp);
}

size_t arch_fpu_area_size(void)
{
	return FPU_AREA_SIZE;
}

void arch_fpu_init(void *area)
{
	/* The reset state: registers zero, FPCR 0 (round to nearest, no
	 * flush-to-zero, no traps), FPSR 0 (no flags). */
	memset(area, 0, FPU_AREA_SIZE);
	*(uint64_t *)((char *)area + FPU_FPSR) = 0;
	*(uint64_t *)((char *)area + FPU_FPCR) = 0;
}

/*
 * Instructions the kernel wrote through the direct map at kva (a program
 * loaded into a process) become visible to instruction fetch: clean the
 * data cache to the point of unification, then invalidate the instruction
 * cache. All of it, not by address: it may hold lines of an earlier use of
 * these physical pages, under user addresses we do not know here. QEMU
 * does not model caches; real cores (the Pi 4's Cortex-A72) need this.
 */
void arch_sync_icache(const void *kva, size_t n)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	uintptr_t line = a64_dcache_line();
	uintptr_t p = (uintptr_t)kva & ~(line - 1), end = (uintptr_t)kva + n;

	if (!(ctr & (1ul << 28))) /* IDC: no clean needed for coherence */
		for (; p < end; p += line)
			__asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
	dsb(ish);
	if (!(ctr & (1ul << 29))) /* DIC: no invalidation needed */
		__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

/* --- signal frames ----------------------------------------------------------- */

/* What a signal context may bring back: PSTATE bits EL0 can write itself
 * (NZCV, DIT, SSBS; never the mode, DAIF, PAN, single step), and the
 * defined FPCR and FPSR fields. */
#define PSTATE_USER_SET 0xf1001000ul
#define FPCR_USER_SET	0x07c89f00ul
#define FPSR_USER_SET	0xf800009ful

/* On the user stack, 16-aligned: the handler starts with sp at uc_addr
 * and returns into the stub (x30), which finds the context's address
 * there. */
struct sigframe {
	uint64_t uc_addr;
	uint64_t pad;
	siginfo_t info;
	ucontext_t uc;
};
_Static_assert(offsetof(struct sigframe, uc) % 16 == 0, "frame alignment");
_Static_assert(offsetof(mcontext_t, fpcr) - offsetof(mcontext_t, q) == FPU_FPCR, "fpu.S layout");

/* The user registers of the current thread: exceptions from EL0 save
 * them at the top of its kernel stack. */
static struct a64_frame *user_frame(void)
{
	return (struct a64_frame *)this_cpu()->kstack_top - 1;
}

long arch_syscall_again(void)
{
	struct a64_frame *f = user_frame();

	f->elr -= 4; /* back onto the svc */
	return (long)f->x[0]; /* the first argument, made again */
}

uintptr_t arch_user_tp_get(void)
{
	return user_frame()->tpidr_el0;
}

void arch_user_tp_set(uintptr_t tp)
{
	user_frame()->tpidr_el0 = tp;
}

int arch_signal_enter(uintptr_t handler, uintptr_t stub, const siginfo_t *info, uint64_t mask)
{
	struct a64_frame *f = user_frame();
	struct sigframe k;
	mcontext_t *m = &k.uc.uc_mcontext;
	uintptr_t base = (f->sp & ~15ul) - sizeof(k);

	memset(&k, 0, sizeof(k));
	k.uc_addr = base + offsetof(struct sigframe, uc);
	k.info = *info;
	k.uc.uc_sigmask.__bits[0] = (long)mask;
	memcpy(m->x, f->x, sizeof(m->x));
	m->sp = f->sp;
	m->pc = f->elr;
	m->pstate = f->spsr;
	m->tpidr = f->tpidr_el0;
	sched_fpu_own();
	arch_fpu_save(m->q);
	if (f->sp < sizeof(k) || copy_to_user((void *)base, &k, sizeof(k)))
		return -EFAULT;
	f->elr = handler;
	f->sp = base;
	f->spsr = SPSR_EL0T;
	f->x[0] = (uint64_t)info->si_signo;
	f->x[1] = base + offsetof(struct sigframe, info);
	f->x[2] = k.uc_addr;
	f->x[30] = stub;
	return 0;
}

int arch_signal_return(uintptr_t uctx, uint64_t *mask, long *ret)
{
	struct a64_frame *f = user_frame();
	ucontext_t uc;
	mcontext_t *m = &uc.uc_mcontext;

	if (copy_from_user(&uc, (const void *)uctx, sizeof(uc)))
		return -EFAULT;
	if (m->pc >= USER_TOP || m->sp >= USER_TOP)
		return -EINVAL;
	memcpy(f->x, m->x, sizeof(f->x));
	f->sp = m->sp;
	f->elr = m->pc;
	f->spsr = SPSR_EL0T | (m->pstate & PSTATE_USER_SET);
	f->tpidr_el0 = m->tpidr;
	m->fpsr &= FPSR_USER_SET;
	m->fpcr &= FPCR_USER_SET;
	sched_fpu_own();
	arch_fpu_restore(m->q);
	*mask = (uint64_t)uc.uc_sigmask.__bits[0];
	*ret = (long)m->x[0];
	return 0;
}
