/*
 * x86-64's inline part of the arch seam: the calls on every kernel path
 * (the per-CPU pointer, the interrupt mask), defined here so that they
 * compile to their one or two instructions in place. Only the seam
 * headers (kernel/include/arch/) include this file.
 */
#ifndef ARCH_INLINE_H
#define ARCH_INLINE_H

#include <stdint.h>

struct cpu;

static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;

	/* struct cpu starts with a pointer to itself; GS holds its base. */
	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long state)
{
	if (state & (1ul << 9)) /* IF */
		__asm__ volatile("sti" ::: "memory");
}

/* The clock's raw count (arch/timer.h): the TSC. */
static inline unsigned long long arch_timer_ticks(void)
{
	unsigned lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long long)hi << 32 | lo;
}

/* struct cpu's words of the arch's own (+24 on): with the 8 bytes
 * before them, the CPU's TSS (gdt.c), which starts at +4 so that its
 * rsp0, where interrupts and exceptions from user mode switch stacks,
 * is cpu->kstack_top (+8), where SYSCALL's entry does: the switch's one
 * store sets both. */
#define ARCH_CPU_WORDS 11

/* The number nr and the first n arguments of the current thread's kernel
 * call, a0..a5 as it made it, into its frame below ktop (the top of its
 * kernel stack), where the generic path reads them: the entry with the
 * fast path on stores none (vectors.S's SYSCALL_FRAME), so a fast call
 * that leaves the call to the generic path does (kernel/fastpath.c).
 * Slots: struct trap_frame's (x86.h checks them). */
#define X86_FRAME_WORDS 22
#define X86_FRAME_RAX	14
#define X86_FRAME_RDI	9
#define X86_FRAME_RSI	10
#define X86_FRAME_RDX	11
#define X86_FRAME_R10	5
#define X86_FRAME_R8	7
#define X86_FRAME_R9	6
static inline __attribute__((always_inline)) void
arch_kcall_args_save(unsigned long ktop, unsigned nr, unsigned n, uint64_t a0, uint64_t a1,
		     uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t *f = (uint64_t *)ktop - X86_FRAME_WORDS;

	f[X86_FRAME_RAX] = nr;
	if (n > 0)
		f[X86_FRAME_RDI] = a0;
	if (n > 1)
		f[X86_FRAME_RSI] = a1;
	if (n > 2)
		f[X86_FRAME_RDX] = a2;
	if (n > 3)
		f[X86_FRAME_R10] = a3;
	if (n > 4)
		f[X86_FRAME_R8] = a4;
	if (n > 5)
		f[X86_FRAME_R9] = a5;
}

/* arch_syscall_return (arch/context.h): a jump to vectors.S's
 * x86_syscall_return with the result already where user mode takes it
 * (rax), not moved there from the C ABI's first argument; the top is
 * %gs-relative, one load there (ktop unread). "memory": every store
 * before it is made (a jump that never comes back leaves the compiler
 * free to drop them otherwise: t->resume = 0 was, once). */
static inline __attribute__((always_inline, noreturn)) void arch_syscall_return(long result,
										uintptr_t ktop)
{
	(void)ktop;
	__asm__ volatile("jmp x86_syscall_return" ::"a"(result) : "memory");
	__builtin_unreachable();
}

/* arch/context.h: switch.S's read-only context that returns into
 * arch_resume_entry. */
extern const uintptr_t arch_resume_ctx[];
#define ARCH_RESUME_KSP ((uintptr_t)arch_resume_ctx)

/* TLB invalidations are local: other CPUs are told by IPI (smp.c). */
#define ARCH_TLB_BROADCAST 0

/* In a spin loop: let the other hardware thread (or the emulator) run. */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* The user thread pointer is the FS base, which only the kernel writes:
 * thread.c loads a thread's at a switch (kernel/include/arch/user.h),
 * from where it keeps it (*tp): WRMSR takes the halves in eax and edx,
 * two loads, not one and a shift. */
#define ARCH_SWITCHES_USER_TP 1
static inline void arch_write_user_tp(const unsigned long *tp)
{
	uint32_t lo, hi;

	__builtin_memcpy(&lo, tp, 4);
	__builtin_memcpy(&hi, (const char *)tp + 4, 4);
	__asm__ volatile("wrmsr" ::"c"(0xc0000100u), "a"(lo), "d"(hi));
}

/* stac or clac, SMAP's window on user memory, where the CPU has SMAP:
 * each is listed in .smap_sites, and x86_smap_patch() makes every one a
 * 3-byte NOP at boot on a CPU without (no flag to test at each copy). */
#define X86_SMAP_SITE(insn)                                                                        \
	"771: " insn "\n\t"                                                                        \
	".pushsection .smap_sites, \"a\"\n\t"                                                      \
	".balign 8\n\t"                                                                            \
	".quad 771b\n\t"                                                                           \
	".popsection"

/* Copies between kernel and user memory (arch/user.h), in place: the
 * caller has range-checked the user side. Eight bytes at a time (rep
 * movsq), then the rest (rep movsb), or (below) 8 to 16 as two words; a
 * page fault on any user access is turned by the trap handler (its
 * .extable entry, X86_EXTABLE) into a jump to the fault label. With SMAP
 * on, stac/clac open user memory for exactly these. */
#define ARCH_USERCOPY_INLINE 1
#define X86_EXTABLE(...)                                                                           \
	".pushsection .extable, \"a\"\n\t"                                                         \
	".balign 8\n\t"                                                                            \
	".quad " __VA_ARGS__ "\n\t"                                                                \
	".popsection"

static inline __attribute__((always_inline)) int x86_user_copy(void *d, const void *s,
							       unsigned long n)
{
	unsigned long words = n >> 3;

	__asm__ volatile(X86_SMAP_SITE("stac")::: "cc");
	__asm__ volatile goto("1: rep movsq\n\t"
			      "movl %k[n], %%ecx\n\t"
			      "andl $7, %%ecx\n"
			      "2: rep movsb\n\t" X86_EXTABLE("1b, %l[fault], 2b, %l[fault]")
			      : "+D"(d), "+S"(s), "+c"(words)
			      : [n] "r"(n)
			      : "memory", "cc"
			      : fault);
	__asm__ volatile(X86_SMAP_SITE("clac")::: "cc");
	return 0;
fault:
	__asm__ volatile(X86_SMAP_SITE("clac")::: "cc");
	return -14; /* -EFAULT */
}
/* 8 to 16 bytes (a staged message of a usual size) as two words, the
 * second overlapping the first when short: two moves a side, not the rep
 * setup. (Four words for up to 32, a pulse, cost the 16-byte round trip
 * more in the fast path's registers than they saved.) */
static inline __attribute__((always_inline)) int arch_copy_from_user(void *dst, unsigned long usrc,
								     unsigned long n)
{
	unsigned long a, b;

	if (n - 8 > 8)
		return x86_user_copy(dst, (const void *)usrc, n);
	__asm__ volatile goto(
	    X86_SMAP_SITE("stac") "\n"
				  "1: movq (%[s]), %[a]\n"
				  "2: movq -8(%[s], %[n]), %[b]\n\t" X86_SMAP_SITE(
				      "clac") "\n\t" X86_EXTABLE("1b, %l[fault], 2b, %l[fault]")
	    : [a] "=&r"(a), [b] "=r"(b)
	    : [s] "r"(usrc), [n] "r"(n)
	    : "memory", "cc"
	    : fault);
	__builtin_memcpy(dst, &a, 8);
	__builtin_memcpy((char *)dst + n - 8, &b, 8);
	return 0;
fault:
	__asm__ volatile(X86_SMAP_SITE("clac")::: "cc");
	return -14; /* -EFAULT */
}
static inline __attribute__((always_inline)) int arch_copy_to_user(unsigned long udst,
								   const void *src, unsigned long n)
{
	unsigned long a, b, c;

	if (__builtin_constant_p(n) && n == 24) { /* a pulse: three moves */
		__builtin_memcpy(&a, src, 8);
		__builtin_memcpy(&b, (const char *)src + 8, 8);
		__builtin_memcpy(&c, (const char *)src + 16, 8);
		__asm__ volatile goto(
		    X86_SMAP_SITE("stac") "\n"
					  "1: movq %[a], (%[d])\n"
					  "2: movq %[b], 8(%[d])\n"
					  "3: movq %[c], 16(%[d])\n\t" X86_SMAP_SITE(
					      "clac") "\n\t" X86_EXTABLE("1b, %l[fault], 2b, "
									 "%l[fault], 3b, %l[fault]")
		    :
		    : [a] "r"(a), [b] "r"(b), [c] "r"(c), [d] "r"(udst)
		    : "memory", "cc"
		    : fault);
		return 0;
	}
	if (n - 8 > 8)
		return x86_user_copy((void *)udst, src, n);
	__builtin_memcpy(&a, src, 8);
	__builtin_memcpy(&b, (const char *)src + n - 8, 8);
	__asm__ volatile goto(
	    X86_SMAP_SITE("stac") "\n"
				  "1: movq %[a], (%[d])\n"
				  "2: movq %[b], -8(%[d], %[n])\n\t" X86_SMAP_SITE(
				      "clac") "\n\t" X86_EXTABLE("1b, %l[fault], 2b, %l[fault]")
	    :
	    : [a] "r"(a), [b] "r"(b), [d] "r"(udst), [n] "r"(n)
	    : "memory", "cc"
	    : fault);
	return 0;
fault:
	__asm__ volatile(X86_SMAP_SITE("clac")::: "cc");
	return -14; /* -EFAULT */
}

/* The kernel's long copies may use the SSE registers (kernel/msg.c):
 * memcpy_simd, lib/string.c's loop built with them (arch.mk). The
 * registers hold the current user thread's state (switching is eager),
 * so saving it to its area and loading it back around is all it takes. */
#define ARCH_COPY_SIMD 1

/* FP/SIMD state (arch/user.h): one instruction each, at every switch
 * between user threads. */
#define ARCH_FPU_INLINE 1
static inline void arch_fpu_save(void *area)
{
	__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}
static inline void arch_fpu_restore(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

/* Load a user root, tagged asid (a PCID, 0 without): arch/user.h. With a
 * PCID the tag's entries stay (process_activate flushes a tag that
 * changes hands); root 0 loads the kernel's alone. Inline: every switch
 * between processes makes it. */
uint64_t arch_kernel_root(void);
static inline uint64_t arch_vmspace_reg(uint64_t root, unsigned asid)
{
	return root | asid | (asid ? 1ull << 63 : 0); /* bit 63: keep the tag's */
}
static inline __attribute__((always_inline)) void arch_vmspace_load(uint64_t cr3)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(cr3) : "memory");
}
static inline __attribute__((always_inline)) void arch_vmspace_switch(uint64_t root, unsigned asid)
{
	arch_vmspace_load(!root ? arch_kernel_root() : arch_vmspace_reg(root, asid));
}

#endif
