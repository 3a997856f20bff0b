/*
 * Kernel-call numbers, __KER_Name, generated from <sys/syscalls.def>:
 * what goes in rax / x8. libc's <sys/kcall.h> includes it with the stubs'
 * prototypes; the kernel includes it alone (its fast path picks calls by
 * number).
 */
#ifndef _SYS_KCALLNR_H_INCLUDED
#define _SYS_KCALLNR_H_INCLUDED

#define KCALL0(nr, ret, name)	   __KER_##name = (nr),
#define KCALL1(nr, ret, name, ...) __KER_##name = (nr),
#define KCALL2			   KCALL1
#define KCALL3			   KCALL1
#define KCALL4			   KCALL1
#define KCALL5			   KCALL1
#define KCALL6			   KCALL1
enum {
#include <sys/syscalls.def>
};
#undef KCALL0
#undef KCALL1
#undef KCALL2
#undef KCALL3
#undef KCALL4
#undef KCALL5
#undef KCALL6

#endif
