/*
 * The context a signal interrupted, as the kernel saves it on the user
 * stack and hands it to an SA_SIGINFO handler as its third argument
 * (ucontext_t *). The trampoline gives it back to the kernel with
 * SignalReturn, which restores it: registers, FP/SIMD state and the
 * signal mask. A handler may change it (the next pc, say); the kernel
 * takes back only what user mode could have set itself.
 */
#ifndef _SYS_UCONTEXT_H_INCLUDED
#define _SYS_UCONTEXT_H_INCLUDED

#include <stdint.h>
#include <sys/siginfo.h>

#if defined(__x86_64__)
typedef struct {
	uint64_t rdi, rsi, rdx, r10, r8, r9, rax, rbx, rcx, rbp, r11, r12, r13, r14, r15;
	uint64_t rip, rflags, rsp;
	uint8_t fpregs[512] __attribute__((aligned(16))); /* FXSAVE image */
} mcontext_t;
#elif defined(__aarch64__)
typedef struct {
	uint64_t x[31]; /* x0..x30 */
	uint64_t sp, pc, pstate;
	uint64_t tpidr; /* TPIDR_EL0 */
	__uint128_t q[32] __attribute__((aligned(16)));
	uint64_t fpsr, fpcr;
} mcontext_t;
#else
#error "unknown architecture"
#endif

typedef struct ucontext {
	struct ucontext *uc_link; /* unused: always NULL */
	sigset_t uc_sigmask;	  /* the mask to restore */
	mcontext_t uc_mcontext;
} ucontext_t;

#endif
