/*
 * aarch64's inline part of the arch seam: the calls on every kernel path
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

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(c));
	return c;
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long daif;

	__asm__ volatile("mrs %0, daif; msr daifset, #2" : "=r"(daif)::"memory");
	return daif;
}

static inline void arch_irq_restore(unsigned long state)
{
	__asm__ volatile("msr daif, %0" ::"r"(state) : "memory");
}

/* FP/SIMD is switched lazily on one CPU (kernel/include/arch/user.h):
 * access on or off for EL0 and EL1 (CPACR_EL1.FPEN: 0b11 or 0b00; the
 * other fields stay 0: no SVE, no trace traps), in effect at once. */
#define ARCH_FPU_LAZY 1
static inline void arch_fpu_access(int on)
{
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" ::"r"(on ? 3ul << 20 : 0ul) : "memory");
}

/* arch_syscall_return (arch/context.h): a branch to vectors.S's
 * a64_syscall_return with the result in x0 and the frame's top in x1,
 * which the caller's CPU pointer gives in one load (no TPIDR_EL1 read);
 * "memory": every store before it is made (x86-64's has the why). */
static inline __attribute__((always_inline, noreturn)) void arch_syscall_return(long result,
										uintptr_t ktop)
{
	register long x0 __asm__("x0") = result;
	register uintptr_t x1 __asm__("x1") = ktop;

	__asm__ volatile("b a64_syscall_return" ::"r"(x0), "r"(x1) : "memory");
	__builtin_unreachable();
}

/* The first n arguments of the current thread's kernel call, a0..a5 as
 * it made it (x0-x5), into its frame below ktop (the top of its kernel
 * stack), where the generic path reads them: with the fast path on, the
 * entry stores none (vectors.S's vsvc saves x8 and x9, the number and its
 * scratch), so a fast call that leaves the call to the generic path does
 * (kernel/fastpath.c). Slots: struct a64_frame's x[] (a64.h checks the
 * size). */
#define A64_FRAME_WORDS 38
static inline __attribute__((always_inline)) void
arch_kcall_args_save(unsigned long ktop, unsigned nr, unsigned n, uint64_t a0, uint64_t a1,
		     uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t *f = (uint64_t *)ktop - A64_FRAME_WORDS;

	(void)nr; /* (x8: vsvc stored it) */
	if (n > 0)
		f[0] = a0;
	if (n > 1)
		f[1] = a1;
	if (n > 2)
		f[2] = a2;
	if (n > 3)
		f[3] = a3;
	if (n > 4)
		f[4] = a4;
	if (n > 5)
		f[5] = a5;
}

/* TLBI ...IS reaches every CPU of the inner-shareable domain. */
#define ARCH_TLB_BROADCAST 1

/* The clock's raw count (arch/timer.h): the virtual counter, read in
 * program order (not early, ahead of the code before it). */
static inline unsigned long long arch_timer_ticks(void)
{
	unsigned long long c;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(c)::"memory");
	return c;
}

/* In a spin loop: let the other hardware thread (or the emulator) run. */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* arch/context.h: no context at all; arch_context_load goes to
 * arch_resume_entry for it. */
#define ARCH_RESUME_KSP 0ul

/* The address of sym, code or read-only data in .text (kernel/include/
 * arch/context.h): one adr, sym being within its reach of every user
 * (the link fails otherwise), not adrp + add. */
#define ARCH_TEXT_ADDR(sym)                                                                        \
	({                                                                                         \
		unsigned long __a;                                                                 \
		__asm__("adr %0, " #sym : "=r"(__a));                                              \
		__a;                                                                               \
	})

/* Load a user root tagged asid: arch/user.h. Inline, the case of every
 * switch between processes: every process's root is tagged here (the
 * ASIDs are never too few: tag_assign, process.c), and the empty table's
 * tag (0) holds no entry, so a switch to a process's root, from another
 * or from the empty table, is the load alone.
 * Out of line, a64_vmspace_switch: the empty table (root 0), or an
 * untagged root (the generic "no tags" case, never asked for here). */
void a64_vmspace_switch(uint64_t root, unsigned asid);
static inline uint64_t arch_vmspace_reg(uint64_t root, unsigned asid)
{
	return root | (uint64_t)asid << 48; /* TTBR0_EL1: ASID in 63:48 */
}
static inline __attribute__((always_inline)) void arch_vmspace_load(uint64_t ttbr)
{
	/* No barrier first: the root and every table linked below it was
	 * zeroed behind one (arch_clear_page), an entry cleared was
	 * invalidated behind one, and an entry written but not yet seen by
	 * the walker is a translation fault, answered "valid: try again"
	 * (arch/mmu.h), as in the address space already loaded. */
	__asm__ volatile("msr ttbr0_el1, %0; isb" ::"r"(ttbr) : "memory");
}
static inline __attribute__((always_inline)) void arch_vmspace_switch(uint64_t root, unsigned asid)
{
	if (!root || !asid)
		a64_vmspace_switch(root, asid);
	else
		arch_vmspace_load(arch_vmspace_reg(root, asid));
}

/* Copies between kernel and user memory (arch/user.h), any range (no
 * check needed: below): usercopy.S's (a64_copy_*), except the
 * short ones, done here in place: 8 to 32 bytes at any alignment
 * (SCTLR_EL1.A is 0) as two or four words, the last ones overlapping
 * (a staged message of a usual size), a constant 24 out as three (a
 * pulse), and whole words at an
 * 8-byte-aligned user address up to 256 bytes, 16 a round, an odd word
 * first. Every user access is an unprivileged LDTR/STTR with an .extable
 * entry (a fault jumps to fault). No barrier first: an entry the kernel
 * has just written that the walker does not see yet is a translation
 * fault, which the fault path answers "valid: try again" (arch/mmu.h). */
#define ARCH_USERCOPY_INLINE 1
#define A64_COPY_INLINE_MAX  256
/* ... so each access faults on what EL0 may not touch (the kernel half,
 * the hole between the halves, pages without EL0 access): the checked
 * copies (kernel/syscall.h) test no range first. */
#define ARCH_USER_ACCESS_UNPRIVILEGED 1
int a64_copy_from_user(void *dst, unsigned long usrc, unsigned long n);
int a64_copy_to_user(unsigned long udst, const void *src, unsigned long n);
#define A64_EXTABLE(...)                                                                           \
	".pushsection .extable, \"a\"\n\t"                                                         \
	".balign 8\n\t"                                                                            \
	".quad " __VA_ARGS__ "\n\t"                                                                \
	".popsection"
static inline __attribute__((always_inline)) int arch_copy_from_user(void *dst, unsigned long usrc,
								     unsigned long n)
{
	unsigned long a, b, c, d, e = usrc + n - 8; /* (the last word) */

	if (n - 8 <= 8) {
		__asm__ volatile goto(
		    "1: ldtr %[a], [%[s]]\n"
		    "2: ldtr %[b], [%[e]]\n\t" A64_EXTABLE("1b, %l[fault], 2b, %l[fault]")
		    : [a] "=&r"(a), [b] "=r"(b)
		    : [s] "r"(usrc), [e] "r"(e)
		    : "memory"
		    : fault);
		__builtin_memcpy(dst, &a, 8);
		__builtin_memcpy((char *)dst + n - 8, &b, 8);
		return 0;
	}
	if (n - 16 <= 16) {
		__asm__ volatile goto(
		    "1: ldtr %[a], [%[s]]\n"
		    "2: ldtr %[b], [%[s], #8]\n"
		    "3: ldtr %[c], [%[e], #-8]\n"
		    "4: ldtr %[d], [%[e]]\n\t" A64_EXTABLE(
			"1b, %l[fault], 2b, %l[fault], 3b, %l[fault], 4b, %l[fault]")
		    : [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=r"(d)
		    : [s] "r"(usrc), [e] "r"(e)
		    : "memory"
		    : fault);
		__builtin_memcpy(dst, &a, 8);
		__builtin_memcpy((char *)dst + 8, &b, 8);
		__builtin_memcpy((char *)dst + n - 16, &c, 8);
		__builtin_memcpy((char *)dst + n - 8, &d, 8);
		return 0;
	}
	if (!n)
		return 0;
	if (((usrc | n) & 7) || n > A64_COPY_INLINE_MAX)
		return a64_copy_from_user(dst, usrc, n);
	__asm__ volatile goto(
	    "tbz %[n], #3, 2f\n"
	    "1: ldtr %[a], [%[s]]\n\t"
	    "add %[s], %[s], #8\n\t"
	    "str %[a], [%[d]], #8\n\t"
	    "subs %[n], %[n], #8\n\t"
	    "b.eq 4f\n"
	    "2: ldtr %[a], [%[s]]\n"
	    "3: ldtr %[b], [%[s], #8]\n\t"
	    "add %[s], %[s], #16\n\t"
	    "stp %[a], %[b], [%[d]], #16\n\t"
	    "subs %[n], %[n], #16\n\t"
	    "b.ne 2b\n"
	    "4:\n\t" A64_EXTABLE("1b, %l[fault], 2b, %l[fault], 3b, %l[fault]")
	    : [a] "=&r"(a), [b] "=&r"(b), [s] "+r"(usrc), [d] "+r"(dst), [n] "+r"(n)
	    :
	    : "memory", "cc"
	    : fault);
	return 0;
fault:
	return -14; /* -EFAULT */
}
static inline __attribute__((always_inline)) int arch_copy_to_user(unsigned long udst,
								   const void *src, unsigned long n)
{
	unsigned long a, b, c, d, e = udst + n - 8; /* (the last word) */

	if (__builtin_constant_p(n) && n == 24) { /* a pulse: three words */
		__builtin_memcpy(&a, src, 8);
		__builtin_memcpy(&b, (const char *)src + 8, 8);
		__builtin_memcpy(&c, (const char *)src + 16, 8);
		__asm__ volatile goto("1: sttr %[a], [%[d]]\n"
				      "2: sttr %[b], [%[d], #8]\n"
				      "3: sttr %[c], [%[d], #16]\n\t" A64_EXTABLE(
					  "1b, %l[fault], 2b, %l[fault], 3b, %l[fault]")
				      :
				      : [a] "r"(a), [b] "r"(b), [c] "r"(c), [d] "r"(udst)
				      : "memory"
				      : fault);
		return 0;
	}
	if (n - 8 <= 8) {
		__builtin_memcpy(&a, src, 8);
		__builtin_memcpy(&b, (const char *)src + n - 8, 8);
		__asm__ volatile goto(
		    "1: sttr %[a], [%[d]]\n"
		    "2: sttr %[b], [%[e]]\n\t" A64_EXTABLE("1b, %l[fault], 2b, %l[fault]")
		    :
		    : [a] "r"(a), [b] "r"(b), [d] "r"(udst), [e] "r"(e)
		    : "memory"
		    : fault);
		return 0;
	}
	if (n - 16 <= 16) {
		__builtin_memcpy(&a, src, 8);
		__builtin_memcpy(&b, (const char *)src + 8, 8);
		__builtin_memcpy(&c, (const char *)src + n - 16, 8);
		__builtin_memcpy(&d, (const char *)src + n - 8, 8);
		__asm__ volatile goto(
		    "1: sttr %[a], [%[d]]\n"
		    "2: sttr %[b], [%[d], #8]\n"
		    "3: sttr %[c], [%[e], #-8]\n"
		    "4: sttr %[w], [%[e]]\n\t" A64_EXTABLE(
			"1b, %l[fault], 2b, %l[fault], 3b, %l[fault], 4b, %l[fault]")
		    :
		    : [a] "r"(a), [b] "r"(b), [c] "r"(c), [w] "r"(d), [d] "r"(udst), [e] "r"(e)
		    : "memory"
		    : fault);
		return 0;
	}
	if (!n)
		return 0;
	if (((udst | n) & 7) || n > A64_COPY_INLINE_MAX)
		return a64_copy_to_user(udst, src, n);
	__asm__ volatile goto(
	    "tbz %[n], #3, 2f\n\t"
	    "ldr %[a], [%[s]], #8\n"
	    "1: sttr %[a], [%[d]]\n\t"
	    "add %[d], %[d], #8\n\t"
	    "subs %[n], %[n], #8\n\t"
	    "b.eq 4f\n"
	    "2: ldp %[a], %[b], [%[s]], #16\n"
	    "3: sttr %[a], [%[d]]\n"
	    "5: sttr %[b], [%[d], #8]\n\t"
	    "add %[d], %[d], #16\n\t"
	    "subs %[n], %[n], #16\n\t"
	    "b.ne 2b\n"
	    "4:\n\t" A64_EXTABLE("1b, %l[fault], 3b, %l[fault], 5b, %l[fault]")
	    : [a] "=&r"(a), [b] "=&r"(b), [s] "+r"(src), [d] "+r"(udst), [n] "+r"(n)
	    :
	    : "memory", "cc"
	    : fault);
	return 0;
fault:
	return -14; /* -EFAULT */
}

#endif
