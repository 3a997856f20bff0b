/*
 * The QNX Neutrino kernel interface: every kernel call as Name() and
 * Name_r() (generated from <sys/syscalls.def> by <sys/kcall.h>), and the
 * types and constants they take (<sys/ktypes.h>: struct _thread_attr,
 * struct sched_param, SCHED_*, CLOCK_*, PTHREAD_* attribute flags). QNX
 * code that includes <sys/neutrino.h> sees SchedGet, ClockTime, ... as
 * it expects, and ThreadCreate (libc/thread.c) and the message-passing
 * calls (MsgSend, MsgReceive, ...: libc/msg.c) over the Ker* kernel calls.
 * The kernel may include it too (for the types and constants; it defines
 * none of the functions declared here), or just <sys/ktypes.h>.
 */
#ifndef _SYS_NEUTRINO_H_INCLUDED
#define _SYS_NEUTRINO_H_INCLUDED

#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/kcall.h>
#include <sys/ktypes.h>
#include <sys/types.h>
#include <time.h>

/*
 * Message passing: QNX's public forms (libc/msg.c) over the Ker* kernel
 * calls of <sys/syscalls.def>. Each has an _r form returning -errno; the
 * plain form sets errno and returns -1. A size or part count above
 * LONG_MAX (which the kernel's signed lengths and part counts cannot
 * carry) gives EOVERFLOW. ChannelCreate, ChannelDestroy,
 * ConnectAttach, ConnectDetach, ConnectClientInfo, MsgError and MsgInfo
 * are kernel calls as they are (<sys/kcall.h>).
 */

/* KerMsgReceivev flags: take pulses only, leave messages queued
 * (MsgReceivePulse). */

long MsgSend(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes);
long MsgSend_r(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes);
/* Not a cancellation point; otherwise MsgSend (no cancellation yet). */
long MsgSendnc(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes);
long MsgSendnc_r(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes);
long MsgSendv(int coid, const iov_t *siov, size_t sparts, const iov_t *riov, size_t rparts);
long MsgSendv_r(int coid, const iov_t *siov, size_t sparts, const iov_t *riov, size_t rparts);
long MsgSendvnc(int coid, const iov_t *siov, size_t sparts, const iov_t *riov, size_t rparts);
long MsgSendvnc_r(int coid, const iov_t *siov, size_t sparts, const iov_t *riov, size_t rparts);
long MsgSendvs(int coid, const iov_t *siov, size_t sparts, void *rmsg, size_t rbytes);
long MsgSendvs_r(int coid, const iov_t *siov, size_t sparts, void *rmsg, size_t rbytes);
long MsgSendvsnc(int coid, const iov_t *siov, size_t sparts, void *rmsg, size_t rbytes);
long MsgSendvsnc_r(int coid, const iov_t *siov, size_t sparts, void *rmsg, size_t rbytes);
long MsgSendsv(int coid, const void *smsg, size_t sbytes, const iov_t *riov, size_t rparts);
long MsgSendsv_r(int coid, const void *smsg, size_t sbytes, const iov_t *riov, size_t rparts);
long MsgSendsvnc(int coid, const void *smsg, size_t sbytes, const iov_t *riov, size_t rparts);
long MsgSendsvnc_r(int coid, const void *smsg, size_t sbytes, const iov_t *riov, size_t rparts);

/* rcvid > 0 for a message, 0 for a pulse. */
int MsgReceive(int chid, void *msg, size_t bytes, struct _msg_info *info);
int MsgReceive_r(int chid, void *msg, size_t bytes, struct _msg_info *info);
int MsgReceivev(int chid, const iov_t *riov, size_t rparts, struct _msg_info *info);
int MsgReceivev_r(int chid, const iov_t *riov, size_t rparts, struct _msg_info *info);
int MsgReceivePulse(int chid, void *pulse, size_t bytes, struct _msg_info *info);
int MsgReceivePulse_r(int chid, void *pulse, size_t bytes, struct _msg_info *info);
int MsgReceivePulsev(int chid, const iov_t *piov, size_t parts, struct _msg_info *info);
int MsgReceivePulsev_r(int chid, const iov_t *piov, size_t parts, struct _msg_info *info);

int MsgReply(int rcvid, long status, const void *msg, size_t bytes);
int MsgReply_r(int rcvid, long status, const void *msg, size_t bytes);
int MsgReplyv(int rcvid, long status, const iov_t *riov, size_t rparts);
int MsgReplyv_r(int rcvid, long status, const iov_t *riov, size_t rparts);

/* Muon's own, not QNX's: MsgReply(rcvid, status, smsg, sbytes) then
 * MsgReceive(chid, rmsg, rbytes, info) in one kernel call, the server
 * loop's turn; the client replied to takes the CPU straight away when it
 * may (the IPC fast path). A reply to no client (ESRCH: gone since) is
 * no error, the receive goes on; another reply error (EFAULT: smsg) is
 * returned with nothing received. Its result is the receive's. */
int MsgReplyReceive(int chid, int rcvid, long status, const void *smsg, size_t sbytes, void *rmsg,
		    size_t rbytes, struct _msg_info *info);
int MsgReplyReceive_r(int chid, int rcvid, long status, const void *smsg, size_t sbytes,
		      void *rmsg, size_t rbytes, struct _msg_info *info);
/* MsgReplyReceive is also inline here (GNU C's extern inline: the
 * declaration above is libc/msg.c's where the address is taken): the
 * server loop's call packs its two ids and its two lengths in one
 * register each where it is made, where they are mostly constants, and
 * makes __MsgReplyReceive's call of six register arguments, not one of
 * eight, two on the stack. A length past UINT32_MAX (a size of 32 bits)
 * goes to libc/msg.c's two calls. */
int __MsgReplyReceive(uint64_t __ids, struct _msg_info *__info, long __status, const void *__smsg,
		      uint64_t __sizes, void *__rmsg);
int __MsgReplyReceive_out(int, int, long, const void *, size_t, void *, size_t,
			  struct _msg_info *) __asm__("MsgReplyReceive");
#define __MSG_INLINE		  extern __inline__ __attribute__((__gnu_inline__, __always_inline__))
#define __MSG_RR_IDS(chid, rcvid) ((uint32_t)(rcvid) | (uint64_t)(uint32_t)(chid) << 32)
#define __MSG_RR_SIZES(sbytes, rbytes) ((uint32_t)(sbytes) | (uint64_t)(uint32_t)(rbytes) << 32)
__MSG_INLINE int MsgReplyReceive(int __chid, int __rcvid, long __status, const void *__smsg,
				 size_t __sbytes, void *__rmsg, size_t __rbytes,
				 struct _msg_info *__info)
{
	if (__sbytes > UINT32_MAX || __rbytes > UINT32_MAX)
		return __MsgReplyReceive_out(__chid, __rcvid, __status, __smsg, __sbytes, __rmsg,
					     __rbytes, __info);
	return __MsgReplyReceive(__MSG_RR_IDS(__chid, __rcvid), __info, __status, __smsg,
				 __MSG_RR_SIZES(__sbytes, __rbytes), __rmsg);
}

ssize_t MsgRead(int rcvid, void *msg, size_t bytes, size_t offset);
ssize_t MsgRead_r(int rcvid, void *msg, size_t bytes, size_t offset);
ssize_t MsgReadv(int rcvid, const iov_t *riov, size_t rparts, size_t offset);
ssize_t MsgReadv_r(int rcvid, const iov_t *riov, size_t rparts, size_t offset);
ssize_t MsgWrite(int rcvid, const void *msg, size_t bytes, size_t offset);
ssize_t MsgWrite_r(int rcvid, const void *msg, size_t bytes, size_t offset);
ssize_t MsgWritev(int rcvid, const iov_t *iov, size_t parts, size_t offset);
ssize_t MsgWritev_r(int rcvid, const iov_t *iov, size_t parts, size_t offset);

/* priority -1: the caller's; code 0.._PULSE_CODE_MAXAVAIL. */
int MsgSendPulse(int coid, int priority, int code, int value);
int MsgSendPulse_r(int coid, int priority, int code, int value);
int MsgSendPulsePtr(int coid, int priority, int code, void *value);
int MsgSendPulsePtr_r(int coid, int priority, int code, void *value);

/*
 * Threads: ThreadCreate is libc's (libc/thread.c) over KerThreadCreate.
 * A thread in the caller's own process whose attributes name no exit
 * function (attr NULL, or __exitfunc NULL) gets libc's: a return from
 * func ends the thread as ThreadDestroy(0, -1, value) would, and on
 * x86-64 the stack is as if func had been called (rsp + 8 16-aligned).
 */
int ThreadCreate(pid_t pid, void *(*func)(void *), void *arg, const struct _thread_attr *attr);
int ThreadCreate_r(pid_t pid, void *(*func)(void *), void *arg, const struct _thread_attr *attr);

/* A free-running 64-bit cycle counter, readable from user mode (QNX's
 * ClockCycles): the TSC on x86-64, the virtual counter on aarch64 (at
 * CNTFRQ_EL0 Hz). Under QEMU -icount both follow the instruction count. */
static inline uint64_t ClockCycles(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
#elif defined(__aarch64__)
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
#endif
}

#endif
