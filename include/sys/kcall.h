/*
 * Kernel-call numbers and libc's two stubs per call, generated from
 * <sys/syscalls.def> (the one list of kernel calls):
 *   __KER_Name  the call number (what goes in rax / x8)
 *   Name(...)   returns the kernel's value, or -1 with errno set
 *   Name_r(...) returns the kernel's value as is: >= 0, or -errno
 * The stubs themselves are generated the same way in libc/kcall.c.
 *
 * Every type a .def line names must be known here: scalar typedefs come
 * from <sys/types.h> and <stdint.h>; structs are only passed by pointer
 * and are declared below by tag (their definitions are in <sys/ktypes.h>).
 * A new struct in the .def needs its tag added here.
 * Return types must be integers (int, long, ssize_t) since the plain form
 * returns -1 on failure.
 */
#ifndef _SYS_KCALL_H_INCLUDED
#define _SYS_KCALL_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <sys/siginfo.h> /* sigset_t, siginfo_t: typedefs, not tags */
#include <sys/types.h>

struct _thread_attr;
struct sched_param;
struct _client_info;
struct _msg_info;
struct sigevent;
struct _itimer;
struct _timer_info;
struct sigaction;
struct ucontext;
struct _sync;
struct _sync_attr;
struct _memobj_map;

#include <sys/kcallnr.h> /* the numbers, __KER_Name */

/* __typeof__ lets a .def type be any type name, function pointers too. */
#define __KC_T(t) __typeof__(t)
#define __KC_PROTO(ret, name, params)                                                              \
	ret name params;                                                                           \
	ret name##_r params;
#define KCALL0(nr, ret, name)	      __KC_PROTO(ret, name, (void))
#define KCALL1(nr, ret, name, t1)     __KC_PROTO(ret, name, (__KC_T(t1)))
#define KCALL2(nr, ret, name, t1, t2) __KC_PROTO(ret, name, (__KC_T(t1), __KC_T(t2)))
#define KCALL3(nr, ret, name, t1, t2, t3)                                                          \
	__KC_PROTO(ret, name, (__KC_T(t1), __KC_T(t2), __KC_T(t3)))
#define KCALL4(nr, ret, name, t1, t2, t3, t4)                                                      \
	__KC_PROTO(ret, name, (__KC_T(t1), __KC_T(t2), __KC_T(t3), __KC_T(t4)))
#define KCALL5(nr, ret, name, t1, t2, t3, t4, t5)                                                  \
	__KC_PROTO(ret, name, (__KC_T(t1), __KC_T(t2), __KC_T(t3), __KC_T(t4), __KC_T(t5)))
#define KCALL6(nr, ret, name, t1, t2, t3, t4, t5, t6)                                              \
	__KC_PROTO(ret, name,                                                                      \
		   (__KC_T(t1), __KC_T(t2), __KC_T(t3), __KC_T(t4), __KC_T(t5), __KC_T(t6)))
#include <sys/syscalls.def>
#undef KCALL0
#undef KCALL1
#undef KCALL2
#undef KCALL3
#undef KCALL4
#undef KCALL5
#undef KCALL6
#undef __KC_PROTO
#undef __KC_T

#endif
