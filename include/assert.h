/*
 * assert(e): when e is false, "file:line: function: Assertion `e'
 * failed." on stderr, then abort() (the process ends with SIGABRT).
 * Nothing when NDEBUG is defined where <assert.h> is included (this
 * header may be included again with NDEBUG changed, as C asks).
 */
#undef assert

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef _ASSERT_H_INCLUDED
#define _ASSERT_H_INCLUDED
__attribute__((noreturn)) void __assert_fail(const char *expr, const char *file, int line,
					     const char *func);
#if !defined(__cplusplus) && __STDC_VERSION__ >= 201112L
#define static_assert _Static_assert
#endif
#endif
