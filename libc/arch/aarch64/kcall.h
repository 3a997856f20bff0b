/*
 * The raw kernel call on aarch64 (DESIGN.md §3): `svc #0` with the number
 * in x8 and the arguments in x0-x5; the result (>= 0 or -errno) comes back
 * in x0. The other argument registers, x6, x7 and x10-x17 (AAPCS64's
 * caller-saved, but for x8 and x9) are declared clobbered, so the kernel
 * is free to return with them changed (it returns values of the thread's
 * own in them: kernel/vectors.S's save_kcall); every other register, x8,
 * x9, x18 and FP/SIMD state included, must come back as it went in.
 * Only libc/kcall.c and libc/msg.c (the message-passing fast path)
 * include this.
 */
#ifndef LIBC_ARCH_KCALL_H
#define LIBC_ARCH_KCALL_H

static inline __attribute__((always_inline)) long __kcall6(long nr, long a0, long a1, long a2,
							   long a3, long a4, long a5)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = a4;
	register long x5 __asm__("x5") = a5;

	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
			 : "r"(x8)
			 : "x6", "x7", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
			   "memory", "cc");
	return x0;
}

#endif
