/*
 * QNX's message-passing calls over the kernel's Ker* calls
 * (<sys/syscalls.def>). The one-buffer forms pass their byte counts as
 * they are: MsgSend(coid, smsg, sbytes, rmsg, rbytes) is
 * KerMsgSend(coid, smsg, sbytes, rmsg, rbytes), and the kernel refuses a
 * count above LONG_MAX (EOVERFLOW). The others pass part counts (the
 * Ker*v calls, KerMsgRead, KerMsgWrite): n >= 0 an iov_t array of n
 * parts, n < 0 one buffer of -n bytes; a size or part count that cannot
 * be one (above LONG_MAX) is refused here with the same EOVERFLOW, QNX's
 * error for lengths that overflow (no buffer or IOV array that large can
 * exist anyway).
 *
 * Each call is one kernel call made in place (the raw __kcall6, or
 * __kcall5 and __kcall4 for those of fewer arguments), not a
 * call to the generated Ker*_r stub: this is the message-passing fast
 * path. Name_r returns the kernel's value (>= 0 or -errno); Name sets
 * errno and returns -1 on failure.
 */
#include <errno.h>
#include <limits.h>
#include <sys/neutrino.h>

#include "kcall.h" /* __kcall6 & co., libc/arch/<arch>/kcall.h */
#include "libc.h"

#define L(a) ((long)(a))

/* An int the kernel reads as one ((int)a[n]: an id, a priority, a pulse
 * code): its register as the caller left it, the upper half unread, so
 * not widened first (an instruction fewer a call). */
static inline __attribute__((always_inline)) long I(int v)
{
	long r;

	__asm__("" : "=r"(r) : "0"(v));
	return r;
}

/* A register's value as it is, at no cost: what a call of five or four
 * arguments passes in the argument registers past its own, which its
 * kernel call never reads (zeroing them would be an instruction each). */
static inline __attribute__((always_inline)) long spare(void)
{
	long v;

	__asm__ volatile("" : "=r"(v)); /* (volatile: each one apart) */
	return v;
}
#define __kcall5(nr, a0, a1, a2, a3, a4) __kcall6(nr, a0, a1, a2, a3, a4, spare())
#define __kcall4(nr, a0, a1, a2, a3)	 __kcall6(nr, a0, a1, a2, a3, spare(), spare())

/* A size as a part count: one buffer of n bytes. */
#define ONE(n)	   (-(long)(n))
#define TOO_BIG(n) ((size_t)(n) > (size_t)LONG_MAX)

/* The plain form of a call whose _r form returned r; its failure out of
 * line, so the call's success path keeps r where it is. */
static __attribute__((noinline, cold)) long failed(long r)
{
	errno = (int)-r;
	return -1;
}

static inline __attribute__((always_inline)) long plain(long r)
{
	if (__builtin_expect(r >= 0, 1))
		return r;
	/* A call, not a tail call: a function whose one call is a jump is a
	 * leaf, and aarch64's leaf frame records (user.mk) then build its
	 * frame on entry, on the success path too (4 instructions). */
	r = failed(r);
	__asm__ volatile("" : "+r"(r));
	return r;
}

/* The same for a call that returns an int (no widening on the way). */
static inline int plain_int(int r)
{
	return __builtin_expect(r < 0, 0) ? (int)failed(r) : r;
}

static inline long ker_sendv(int coid, const void *s, long sparts, const void *r, long rparts)
{
	return __kcall5(__KER_KerMsgSendv, I(coid), L(s), sparts, L(r), rparts);
}

static inline long ker_receive(int chid, void *r, size_t rbytes, struct _msg_info *info)
{
	return __kcall4(__KER_KerMsgReceive, I(chid), L(r), L(rbytes), L(info));
}

static inline long ker_receivev(int chid, const iov_t *r, long rparts, struct _msg_info *info,
				int flags)
{
	return __kcall5(__KER_KerMsgReceivev, I(chid), L(r), rparts, L(info), L(flags));
}

/* --- send ------------------------------------------------------------------ */

long MsgSend_r(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes)
{
	return __kcall5(__KER_KerMsgSend, I(coid), L(smsg), L(sbytes), L(rmsg), L(rbytes));
}

long MsgSend(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes)
{
	return plain(MsgSend_r(coid, smsg, sbytes, rmsg, rbytes));
}

long MsgSendnc_r(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes)
{
	return MsgSend_r(coid, smsg, sbytes, rmsg, rbytes);
}

long MsgSendnc(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes)
{
	return plain(MsgSend_r(coid, smsg, sbytes, rmsg, rbytes));
}

long MsgSendv_r(int coid, const iov_t *siov, size_t sparts, const iov_t *riov, size_t rparts)
{
	if (TOO_BIG(sparts) || TOO_BIG(rparts))
		return -EOVERFLOW;
	return ker_sendv(coid, siov, L(sparts), riov, L(rparts));
}

long MsgSendv(int coid, const iov_t *siov, size_t sparts, const iov_t *riov, size_t rparts)
{
	return plain(MsgSendv_r(coid, siov, sparts, riov, rparts));
}

long MsgSendvnc_r(int coid, const iov_t *siov, size_t sparts, const iov_t *riov, size_t rparts)
{
	return MsgSendv_r(coid, siov, sparts, riov, rparts);
}

long MsgSendvnc(int coid, const iov_t *siov, size_t sparts, const iov_t *riov, size_t rparts)
{
	return plain(MsgSendv_r(coid, siov, sparts, riov, rparts));
}

long MsgSendvs_r(int coid, const iov_t *siov, size_t sparts, void *rmsg, size_t rbytes)
{
	if (TOO_BIG(sparts) || TOO_BIG(rbytes))
		return -EOVERFLOW;
	return ker_sendv(coid, siov, L(sparts), rmsg, ONE(rbytes));
}

long MsgSendvs(int coid, const iov_t *siov, size_t sparts, void *rmsg, size_t rbytes)
{
	return plain(MsgSendvs_r(coid, siov, sparts, rmsg, rbytes));
}

long MsgSendvsnc_r(int coid, const iov_t *siov, size_t sparts, void *rmsg, size_t rbytes)
{
	return MsgSendvs_r(coid, siov, sparts, rmsg, rbytes);
}

long MsgSendvsnc(int coid, const iov_t *siov, size_t sparts, void *rmsg, size_t rbytes)
{
	return plain(MsgSendvs_r(coid, siov, sparts, rmsg, rbytes));
}

long MsgSendsv_r(int coid, const void *smsg, size_t sbytes, const iov_t *riov, size_t rparts)
{
	if (TOO_BIG(sbytes) || TOO_BIG(rparts))
		return -EOVERFLOW;
	return ker_sendv(coid, smsg, ONE(sbytes), riov, L(rparts));
}

long MsgSendsv(int coid, const void *smsg, size_t sbytes, const iov_t *riov, size_t rparts)
{
	return plain(MsgSendsv_r(coid, smsg, sbytes, riov, rparts));
}

long MsgSendsvnc_r(int coid, const void *smsg, size_t sbytes, const iov_t *riov, size_t rparts)
{
	return MsgSendsv_r(coid, smsg, sbytes, riov, rparts);
}

long MsgSendsvnc(int coid, const void *smsg, size_t sbytes, const iov_t *riov, size_t rparts)
{
	return plain(MsgSendsv_r(coid, smsg, sbytes, riov, rparts));
}

/* --- receive --------------------------------------------------------------- */

int MsgReceive_r(int chid, void *msg, size_t bytes, struct _msg_info *info)
{
	return (int)ker_receive(chid, msg, bytes, info);
}

int MsgReceive(int chid, void *msg, size_t bytes, struct _msg_info *info)
{
	return plain_int(MsgReceive_r(chid, msg, bytes, info));
}

/* MsgReplyReceive's one kernel call, its ids and lengths packed by the
 * caller (<sys/neutrino.h>'s inline MsgReplyReceive, or ours below). */
static int reply_receive_r(uint64_t ids, struct _msg_info *info, long status, const void *smsg,
			   uint64_t sizes, void *rmsg)
{
	return (int)__kcall6(__KER_KerMsgReplyReceive, L(ids), L(info), L(status), L(smsg),
			     L(sizes), L(rmsg));
}

int __MsgReplyReceive(uint64_t ids, struct _msg_info *info, long status, const void *smsg,
		      uint64_t sizes, void *rmsg)
{
	return plain_int(reply_receive_r(ids, info, status, smsg, sizes, rmsg));
}

/* The out-of-line forms (MsgReplyReceive_r always, MsgReplyReceive where
 * its address is taken; a length past the sizes' 32 bits: then the two
 * calls). */
int MsgReplyReceive_r(int chid, int rcvid, long status, const void *smsg, size_t sbytes, void *rmsg,
		      size_t rbytes, struct _msg_info *info)
{
	if (sbytes <= UINT32_MAX && rbytes <= UINT32_MAX)
		return reply_receive_r(__MSG_RR_IDS(chid, rcvid), info, status, smsg,
				       __MSG_RR_SIZES(sbytes, rbytes), rmsg);
	int r = MsgReply_r(rcvid, status, smsg, sbytes);
	if (r < 0 && r != -ESRCH)
		return r;
	return MsgReceive_r(chid, rmsg, rbytes, info);
}

int MsgReplyReceive(int chid, int rcvid, long status, const void *smsg, size_t sbytes, void *rmsg,
		    size_t rbytes, struct _msg_info *info)
{
	return plain_int(MsgReplyReceive_r(chid, rcvid, status, smsg, sbytes, rmsg, rbytes, info));
}

int MsgReceivev_r(int chid, const iov_t *riov, size_t rparts, struct _msg_info *info)
{
	if (TOO_BIG(rparts))
		return -EOVERFLOW;
	return (int)ker_receivev(chid, riov, L(rparts), info, 0);
}

int MsgReceivev(int chid, const iov_t *riov, size_t rparts, struct _msg_info *info)
{
	return plain_int(MsgReceivev_r(chid, riov, rparts, info));
}

int MsgReceivePulse_r(int chid, void *pulse, size_t bytes, struct _msg_info *info)
{
	if (TOO_BIG(bytes))
		return -EOVERFLOW;
	return (int)ker_receivev(chid, pulse, -(long)bytes, info, KER_MSG_PULSE_ONLY);
}

int MsgReceivePulse(int chid, void *pulse, size_t bytes, struct _msg_info *info)
{
	return plain_int(MsgReceivePulse_r(chid, pulse, bytes, info));
}

int MsgReceivePulsev_r(int chid, const iov_t *piov, size_t parts, struct _msg_info *info)
{
	if (TOO_BIG(parts))
		return -EOVERFLOW;
	return (int)ker_receivev(chid, piov, L(parts), info, KER_MSG_PULSE_ONLY);
}

int MsgReceivePulsev(int chid, const iov_t *piov, size_t parts, struct _msg_info *info)
{
	return plain_int(MsgReceivePulsev_r(chid, piov, parts, info));
}

/* --- reply ----------------------------------------------------------------- */

int MsgReply_r(int rcvid, long status, const void *msg, size_t bytes)
{
	return (int)__kcall4(__KER_KerMsgReply, I(rcvid), status, L(msg), L(bytes));
}

int MsgReply(int rcvid, long status, const void *msg, size_t bytes)
{
	return plain_int(MsgReply_r(rcvid, status, msg, bytes));
}

int MsgReplyv_r(int rcvid, long status, const iov_t *riov, size_t rparts)
{
	if (TOO_BIG(rparts))
		return -EOVERFLOW;
	return (int)__kcall4(__KER_KerMsgReplyv, I(rcvid), status, L(riov), L(rparts));
}

int MsgReplyv(int rcvid, long status, const iov_t *riov, size_t rparts)
{
	return plain_int(MsgReplyv_r(rcvid, status, riov, rparts));
}

/* --- read and write at an offset ------------------------------------------ */

ssize_t MsgRead_r(int rcvid, void *msg, size_t bytes, size_t offset)
{
	if (TOO_BIG(bytes))
		return -EOVERFLOW;
	return __kcall4(__KER_KerMsgRead, I(rcvid), L(msg), ONE(bytes), L(offset));
}

ssize_t MsgRead(int rcvid, void *msg, size_t bytes, size_t offset)
{
	return plain(MsgRead_r(rcvid, msg, bytes, offset));
}

ssize_t MsgReadv_r(int rcvid, const iov_t *riov, size_t rparts, size_t offset)
{
	if (TOO_BIG(rparts))
		return -EOVERFLOW;
	return __kcall4(__KER_KerMsgRead, I(rcvid), L(riov), L(rparts), L(offset));
}

ssize_t MsgReadv(int rcvid, const iov_t *riov, size_t rparts, size_t offset)
{
	return plain(MsgReadv_r(rcvid, riov, rparts, offset));
}

ssize_t MsgWrite_r(int rcvid, const void *msg, size_t bytes, size_t offset)
{
	if (TOO_BIG(bytes))
		return -EOVERFLOW;
	return __kcall4(__KER_KerMsgWrite, I(rcvid), L(msg), ONE(bytes), L(offset));
}

ssize_t MsgWrite(int rcvid, const void *msg, size_t bytes, size_t offset)
{
	return plain(MsgWrite_r(rcvid, msg, bytes, offset));
}

ssize_t MsgWritev_r(int rcvid, const iov_t *iov, size_t parts, size_t offset)
{
	if (TOO_BIG(parts))
		return -EOVERFLOW;
	return __kcall4(__KER_KerMsgWrite, I(rcvid), L(iov), L(parts), L(offset));
}

ssize_t MsgWritev(int rcvid, const iov_t *iov, size_t parts, size_t offset)
{
	return plain(MsgWritev_r(rcvid, iov, parts, offset));
}

/* --- pulses ---------------------------------------------------------------- */

int MsgSendPulse_r(int coid, int priority, int code, int value)
{
	return (int)__kcall4(__KER_KerMsgSendPulse, I(coid), I(priority), I(code), L(value));
}

int MsgSendPulse(int coid, int priority, int code, int value)
{
	return plain_int(MsgSendPulse_r(coid, priority, code, value));
}

int MsgSendPulsePtr_r(int coid, int priority, int code, void *value)
{
	return (int)__kcall4(__KER_KerMsgSendPulse, I(coid), I(priority), I(code), L(value));
}

int MsgSendPulsePtr(int coid, int priority, int code, void *value)
{
	return plain_int(MsgSendPulsePtr_r(coid, priority, code, value));
}
