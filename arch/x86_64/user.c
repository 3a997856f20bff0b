/*
 * x86-64 user mode (arch/user.h): SYSCALL set-up, address spaces (a PML4
 * per process sharing the kernel half; PCIDs when the CPU has them), entry
 * to user mode, the kernel stack for traps, FP/SIMD state (FXSAVE),
 * SMEP/SMAP, and signal frames.
 */
#include "x86.h"

#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>
#include <sys/ucontext.h>

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define EFER_SCE (1u << 0)
#define RFLAGS_RES1 (1u << 1)
#define RFLAGS_IF (1u << 9)
/* Every RFLAGS bit user code can set with popf (CF PF AF ZF SF, TF, DF
 * OF, NT, AC, ID), and IF, IOPL and RF: none is wanted in the kernel. */
#define RFLAGS_ARITH 0x8d5u /* CF PF AF ZF SF OF */
#define RFLAGS_TF (1u << 8)
#define RFLAGS_DF (1u << 10)
#define RFLAGS_IOPL (3u << 12)
#define RFLAGS_NT (1u << 14)
#define RFLAGS_RF (1u << 16)
#define RFLAGS_AC (1u << 18)
#define RFLAGS_ID (1u << 21)
#define RFLAGS_USER_MASK                                                                           \
	(RFLAGS_ARITH | RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_RF |  \
	 RFLAGS_AC | RFLAGS_ID)
/* What a signal context may bring back: the flags popf sets at CPL 3. */
#define RFLAGS_USER_SET                                                                            \
	(RFLAGS_ARITH | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC | RFLAGS_ID)
#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR4_OSFXSR (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_PCIDE (1u << 17)
#define CR4_SMEP (1u << 20)
#define CR4_SMAP (1u << 21)
#define CR3_NOFLUSH    (1ull << 63)

static uint32_t mxcsr_mask; /* MXCSR bits FXRSTOR takes without a #GP */

extern char x86_syscall_entry[], x86_syscall_entry_smp[], x86_syscall_entry_slow[];
NORETURN void x86_trap_exit(struct trap_frame *f);

void arch_syscall_entry_set(unsigned mode)
{
	char *entry = mode == IPC_FAST_ONE   ? x86_syscall_entry
		      : mode == IPC_FAST_SMP ? x86_syscall_entry_smp
					     : x86_syscall_entry_slow;

	wrmsr(MSR_LSTAR, (uintptr_t)entry);
}

void x86_user_init(void)
{
	uint64_t cr4 = READ_CR(4) | CR4_OSFXSR | CR4_OSXMMEXCPT;

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSRET takes CS = base + 16, SS = base + 8 from STAR[63:48]. */
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UDATA - 8) << 48) | ((uint64_t)SEL_KCODE << 32));
	arch_syscall_entry_set(IPC_FAST_ONE); /* (the boot CPU's until the mode is known) */
	/* Kernel calls run with RFLAGS = RES1 alone, whatever the user set:
	 * interrupts off, direction up, no single step (the #DB would come on
	 * the first kernel instruction, still on the user stack), AC clear
	 * (SMAP in force), and NT clear, without which the iretq back to the
	 * user faults (#GP). The user's own RFLAGS, in r11, come back with
	 * that iretq. */
	wrmsr(MSR_FMASK, RFLAGS_USER_MASK);

	WRITE_CR(0, (READ_CR(0) & ~(uint64_t)(CR0_EM | CR0_TS)) | CR0_MP);
	if (x86_cpu.smep)
		cr4 |= CR4_SMEP;
	if (x86_cpu.smap)
		cr4 |= CR4_SMAP;
	/* PCIDs only on one CPU: the tags' flushes do not reach others. */
	if (x86_cpu.pcid && x86_madt.ncpus <= 1 && !(READ_CR(3) & 0xfff))
		cr4 |= CR4_PCIDE;
	WRITE_CR(4, cr4);

	/* FXSAVE reports the MXCSR bits the CPU has (0: the default). */
	uint8_t area[512] ALIGNED(16) = {0};
	arch_fpu_save(area);
	mxcsr_mask = *(uint32_t *)(area + 28);
	if (!mxcsr_mask)
		mxcsr_mask = 0xffbf;
}

uint64_t arch_vmspace_create(void)
{
	uint64_t root = pmm_alloc(0);

	if (!root)
		return 0;
	pte_t *dst = phys_to_virt(root);
	const pte_t *src = phys_to_virt(arch_kernel_root());
	memset(dst, 0, PAGE_SIZE / 2);
	/* The kernel half is shared: its top-level entries never change
	 * after vm_init (the direct map and the image each sit under one). */
	memcpy(dst + PT_ENTRIES / 2, src + PT_ENTRIES / 2, PAGE_SIZE / 2);
	return root;
}

unsigned arch_asid_count(void)
{
	return READ_CR(4) & CR4_PCIDE ? 4096 : 1;
}

uint64_t arch_vmspace_current(void)
{
	uint64_t root = READ_CR(3) & PTE_ADDR;

	return root == arch_kernel_root() ? 0 : root;
}

void arch_tlb_flush_user(void)
{
	WRITE_CR(3, READ_CR(3)); /* user pages are not global: they go */
}

void arch_tlb_flush_asid(unsigned asid)
{
	/* Loading the tag without NOFLUSH drops its entries: on the
	 * kernel's root, whose user half is empty, so that no user entry of
	 * another root is cached under the tag meanwhile; then back to
	 * whatever was loaded. */
	uint64_t cr3 = READ_CR(3);

	WRITE_CR(3, arch_kernel_root() | asid);
	WRITE_CR(3, cr3 | ((cr3 & 0xfff) ? CR3_NOFLUSH : 0));
}

#define MSR_FS_BASE 0xc0000100

uintptr_t arch_user_tp_get(void)
{
	return rdmsr(MSR_FS_BASE);
}

void arch_user_tp_set(uintptr_t tp)
{
	arch_write_user_tp(&tp);
}

void arch_enter_user(uintptr_t pc, uintptr_t sp, uintptr_t arg, uintptr_t ret, uintptr_t tp)
{
	/* Built on the current stack (we run near its top, where trap frames
	 * go later) and popped from there by the common exit path. */
	struct trap_frame f = {0};

	/* As if called: the return address on the stack, rsp + 8 aligned. */
	if (ret) {
		sp -= 8;
		if (arch_copy_to_user(sp, &ret, 8))
			user_kill(SIGSEGV, "bad stack for a new thread", pc, sp);
	}
	f.rip = pc;
	f.cs = SEL_UCODE | 3;
	f.rflags = RFLAGS_IF | RFLAGS_RES1;
	f.rsp = sp;
	f.ss = SEL_UDATA | 3;
	f.rdi = arg;
	arch_user_tp_set(tp);
	x86_trap_exit(&f);
}

void arch_sync_icache(const void *kva, size_t n)
{
	/* x86 keeps instruction fetch coherent with stores. */
	(void)kva;
	(void)n;
}

/* FXSAVE format: 512 bytes, 16-byte aligned. */
size_t arch_fpu_area_size(void)
{
	return 512;
}

void arch_fpu_init(void *area)
{
	uint8_t *a = area;

	memset(a, 0, 512);
	*(uint16_t *)a = 0x37f;          /* FCW: all exceptions masked */
	*(uint32_t *)(a + 24) = 0x1f80; /* MXCSR: the reset value */
}

/* --- signal frames ----------------------------------------------------------- */

#define RED_ZONE 128 /* System V: below rsp, leaf functions' to use */

/* On the user stack, 16-aligned: the handler starts with rsp at ret (as
 * if called), and returns into the stub with rsp at uc_addr. */
struct sigframe {
	uint64_t pad0;
	uint64_t ret;     /* the stub */
	uint64_t uc_addr; /* &uc, for the stub */
	uint64_t pad1;
	siginfo_t info;
	ucontext_t uc;
};
_Static_assert(offsetof(struct sigframe, uc) % 16 == 0, "FXSAVE area alignment");

/* The user registers of the current thread: traps and kernel calls from
 * user mode save them at the top of its kernel stack. */
static struct trap_frame *user_frame(void)
{
	return (struct trap_frame *)this_cpu()->kstack_top - 1;
}

long arch_syscall_again(void)
{
	struct trap_frame *f = user_frame();

	f->rip -= 2; /* syscall is 2 bytes */
	return (long)f->rax; /* the call's number, made again */
}

int arch_signal_enter(uintptr_t handler, uintptr_t stub, const siginfo_t *info, uint64_t mask)
{
	struct trap_frame *f = user_frame();
	struct sigframe k;
	mcontext_t *m = &k.uc.uc_mcontext;
	uintptr_t base = ((f->rsp - RED_ZONE) & ~15ul) - sizeof(k);

	memset(&k, 0, sizeof(k));
	k.ret = stub;
	k.uc_addr = base + offsetof(struct sigframe, uc);
	k.info = *info;
	k.uc.uc_sigmask.__bits[0] = (long)mask;
	*m = (mcontext_t){
	    .rdi = f->rdi, .rsi = f->rsi, .rdx = f->rdx, .r10 = f->r10, .r8 = f->r8,
	    .r9 = f->r9, .rax = f->rax, .rbx = f->rbx, .rcx = f->rcx, .rbp = f->rbp,
	    .r11 = f->r11, .r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15,
	    .rip = f->rip, .rflags = f->rflags, .rsp = f->rsp,
	};
	sched_fpu_own();
	arch_fpu_save(m->fpregs);
	if (f->rsp < RED_ZONE + sizeof(k) || copy_to_user((void *)base, &k, sizeof(k)))
		return -EFAULT;
	f->rip = handler;
	f->rsp = base + offsetof(struct sigframe, ret);
	f->rdi = (uint64_t)info->si_signo;
	f->rsi = base + offsetof(struct sigframe, info);
	f->rdx = k.uc_addr;
	f->rflags = RFLAGS_IF | RFLAGS_RES1; /* DF clear, as the ABI wants */
	return 0;
}

int arch_signal_return(uintptr_t uctx, uint64_t *mask, long *ret)
{
	struct trap_frame *f = user_frame();
	ucontext_t uc ALIGNED(16);
	const mcontext_t *m = &uc.uc_mcontext;

	if (copy_from_user(&uc, (const void *)uctx, sizeof(uc)))
		return -EFAULT;
	/* iretq to a non-canonical rip faults in the kernel: user space only. */
	if (m->rip >= USER_TOP || m->rsp >= USER_TOP)
		return -EINVAL;
	f->rdi = m->rdi, f->rsi = m->rsi, f->rdx = m->rdx, f->r10 = m->r10, f->r8 = m->r8;
	f->r9 = m->r9, f->rax = m->rax, f->rbx = m->rbx, f->rcx = m->rcx, f->rbp = m->rbp;
	f->r11 = m->r11, f->r12 = m->r12, f->r13 = m->r13, f->r14 = m->r14, f->r15 = m->r15;
	f->rip = m->rip;
	f->rsp = m->rsp;
	f->rflags = (m->rflags & RFLAGS_USER_SET) | RFLAGS_IF | RFLAGS_RES1;
	/* FXRSTOR faults (#GP, in the kernel) on an MXCSR bit the CPU lacks. */
	*(uint32_t *)(uc.uc_mcontext.fpregs + 24) &= mxcsr_mask;
	sched_fpu_own();
	arch_fpu_restore(uc.uc_mcontext.fpregs);
	*mask = (uint64_t)uc.uc_sigmask.__bits[0];
	*ret = (long)m->rax;
	return 0;
}
