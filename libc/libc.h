/* libc's internal interfaces between its files (not a public header). */
#ifndef LIBC_LIBC_H
#define LIBC_LIBC_H

#include <kernel/fmt.h>
#include <stdbool.h>
#include <stddef.h>

/* stdio.c: write out every stream (exit, abort). */
void __libc_stdio_flush(void);

/* The dispatch layer's server loop (thread_pool.c): a context marked as
 * its (__libc_dispatch_loop: its thread calls dispatch_block right after
 * each handler) may hold a handler's one-part reply (resmgr.c) for that
 * dispatch_block, which sends it with the next receive (MsgReplyReceive);
 * false: not held, reply now. A loop that ends flushes what it holds. */
typedef union _dispatch_context dispatch_context_t;
void __libc_dispatch_loop(dispatch_context_t *ctp);
bool __libc_dispatch_hold_reply(dispatch_context_t *ctp, int rcvid, long status, const void *buf,
				size_t len);
void __libc_dispatch_flush(dispatch_context_t *ctp);
/* stdio.c: write s[0..n) to the console now, retrying partial writes;
 * false if the kernel refused some (the rest is dropped). */
bool __libc_console_write(const char *s, size_t n);
/* fmt_float.c: printf's floating-point conversions (lib/fmt.c's hook). */
fmt_float_fn __libc_fmt_float;

/* tls.c: bytes a thread's TLS block and TCB need, and laying them out in
 * area (on the thread's stack) and making them the thread's (its thread
 * pointer; __libc_sync_id gets its sync id). */
size_t __libc_tls_size(void);
void __libc_tls_start(void *area, size_t size);
extern _Thread_local unsigned __libc_sync_id;
/* errno itself: libc's kernel-call stubs store it in place (one
 * instruction), not through __get_errno_ptr(). */
extern _Thread_local int __libc_errno;
#if defined(errno) && !defined(HOST_TEST) /* inside libc, errno is the variable itself */
#undef errno
#define errno __libc_errno
#endif
extern _Thread_local int __libc_tid;
/* thread.c: end the calling thread (cleanup, key destructors). */
__attribute__((noreturn)) void __libc_thread_exit(void *status);
/* pthread.c (when linked): run at a thread's end, before ThreadDestroy
 * (key destructors). */
void __libc_pthread_exiting(void) __attribute__((weak));

/* dispatch.c: dpp's channel (-1: none yet), for name_attach. */
struct _dispatch;
int __dispatch_chid(struct _dispatch *dpp);
/* name.c: a request to namesrv (<sys/namemsg.h>): its status, or -1
 * with errno (ENOSYS: this process has no namesrv). */
int __libc_namesrv(const void *msg, size_t len, void *reply, size_t rlen);

/* io.c: a failed send on an fd as errno (a server gone leaves a
 * connection to nothing: EBADF, as QNX). */
int __libc_fd_errno(long r);
/* io.c: MsgSend on fd (one buffer each way): its result, or -1 with
 * errno (EBADF for no fd, or a server gone). */
long __libc_fd_send(int fd, const void *msg, size_t len, void *reply, size_t rlen);
/* io.c: a connection (flags' O_CLOEXEC) to the resource manager namesrv
 * names for path, *where its answer: the coid, or -1 with errno (ENOENT:
 * nobody serves path, or its server has gone). */
struct _name_resolved;
int __libc_path_attach(const char *path, int flags, struct _name_resolved *where);
/* io.c: the first request on fd, a connection __libc_path_attach made:
 * fd, or -1 with errno after detaching it (ENOENT: its server went). */
struct iovec;
int __libc_path_request(int fd, const struct iovec *iov, int parts);

/* fd.c: the fds libc knows are files (what spawn passes on), with their
 * open flags (F_GETFL). fds are below the kernel's fd-range limit. */
#define __LIBC_FDS 256
void __libc_fd_opened(int fd, int flags);
void __libc_fd_closed(int fd);
/* fd's open flags, or -1 when fd is not a file. */
int __libc_fd_flags(int fd);
/* spawn: let child take fd's OCB on its fd child_fd (_IO_DUP grant):
 * 0 or -errno. */
int __libc_fd_grant(int fd, int child, int child_fd);
/* start.c: take the fds the parent granted (the auxiliary vector's);
 * the standard streams then use fds 0-2 while they are open. */
void __libc_fd_inherit(void);

#endif
