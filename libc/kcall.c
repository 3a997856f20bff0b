/*
 * The kernel-call stubs, generated from <sys/syscalls.def>: for each
 * KCALLn(nr, ret, Name, types...) line, Name_r() returns what the kernel
 * returned (>= 0, or -errno) and Name() returns it too but turns -errno
 * into -1 with errno set (QNX's convention). Arguments travel as longs:
 * ints sign-extended, unsigned types zero-extended, pointers as is; the
 * kernel truncates each to its declared type. Unused argument registers
 * are passed as 0.
 */
#include <errno.h>
#include <sys/kcall.h>

#include "kcall.h" /* __kcall6, libc/arch/<arch>/kcall.h */
#include "libc.h"

#define T(t) __typeof__(t)
#define L(a) ((long)(a))

#define STUBS(nr, ret, name, params, a0, a1, a2, a3, a4, a5)                                       \
	ret name##_r params                                                                        \
	{                                                                                          \
		return (ret)__kcall6((nr), a0, a1, a2, a3, a4, a5);                                \
	}                                                                                          \
	ret name params                                                                            \
	{                                                                                          \
		long r_ = __kcall6((nr), a0, a1, a2, a3, a4, a5);                                  \
		if (r_ < 0) {                                                                      \
			__libc_errno = (int)-r_;                                                   \
			return (ret)-1;                                                            \
		}                                                                                  \
		return (ret)r_;                                                                    \
	}

#define KCALL0(nr, ret, name)	  STUBS(nr, ret, name, (void), 0, 0, 0, 0, 0, 0)
#define KCALL1(nr, ret, name, t1) STUBS(nr, ret, name, (T(t1) a1), L(a1), 0, 0, 0, 0, 0)
#define KCALL2(nr, ret, name, t1, t2)                                                              \
	STUBS(nr, ret, name, (T(t1) a1, T(t2) a2), L(a1), L(a2), 0, 0, 0, 0)
#define KCALL3(nr, ret, name, t1, t2, t3)                                                          \
	STUBS(nr, ret, name, (T(t1) a1, T(t2) a2, T(t3) a3), L(a1), L(a2), L(a3), 0, 0, 0)
#define KCALL4(nr, ret, name, t1, t2, t3, t4)                                                      \
	STUBS(nr, ret, name, (T(t1) a1, T(t2) a2, T(t3) a3, T(t4) a4), L(a1), L(a2), L(a3), L(a4), \
	      0, 0)
#define KCALL5(nr, ret, name, t1, t2, t3, t4, t5)                                                  \
	STUBS(nr, ret, name, (T(t1) a1, T(t2) a2, T(t3) a3, T(t4) a4, T(t5) a5), L(a1), L(a2),     \
	      L(a3), L(a4), L(a5), 0)
#define KCALL6(nr, ret, name, t1, t2, t3, t4, t5, t6)                                              \
	STUBS(nr, ret, name, (T(t1) a1, T(t2) a2, T(t3) a3, T(t4) a4, T(t5) a5, T(t6) a6), L(a1),  \
	      L(a2), L(a3), L(a4), L(a5), L(a6))

#include <sys/syscalls.def>
