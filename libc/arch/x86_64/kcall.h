/*
 * The raw kernel call on x86-64 (DESIGN.md §3): `syscall` with the number
 * in rax and the arguments in rdi rsi rdx r10 r8 r9; the result (>= 0 or
 * -errno) comes back in rax. The instruction itself overwrites rcx (return
 * rip) and r11 (rflags). The argument registers are declared clobbered
 * too, so the kernel is free to return with them changed; every other
 * register, FP/SIMD state included, must come back as it went in.
 * Only libc/kcall.c and libc/msg.c (the message-passing fast path)
 * include this.
 */
#ifndef LIBC_ARCH_KCALL_H
#define LIBC_ARCH_KCALL_H

static inline __attribute__((always_inline)) long __kcall6(long nr, long a0, long a1, long a2,
							   long a3, long a4, long a5)
{
	register long rax __asm__("rax") = nr;
	register long rdi __asm__("rdi") = a0;
	register long rsi __asm__("rsi") = a1;
	register long rdx __asm__("rdx") = a2;
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;

	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory", "cc");
	return rax;
}

#endif
