/*
 * devc-ser's resource-manager handlers (read, write, devctl, close_ocb)
 * and the requests it holds: a read waits for a line (or VMIN bytes), a
 * write for room in the TX ring, a drain (tcdrain, TCSADRAIN and
 * TCSAFLUSH settings) for the last byte to leave. Held requests keep
 * their rcvid (_RESMGR_NOREPLY) and are answered in arrival order by
 * io_progress() as the UART moves bytes (or, for a raw read with VTIME,
 * when io_timer says its time is up); a client unblocked by a signal
 * gets EINTR (a write its count so far), one that closed or ended is
 * let go. A write copies its data with MsgRead past the header, a chunk
 * at a time, and returns once all of it is queued.
 */
#include <devctl.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/dcmd_chr.h>
#include <sys/iofunc.h>
#include <sys/neutrino.h>
#include <time.h>

#include "devc-ser.h"
#include "io.h"

#define HELD_MAX 64
#define CHUNK	 512 /* bytes a write copies at a time */

enum kind { H_READ, H_WRITE, H_DRAIN };

/* A request held, in arrival order (held[0] first). */
static struct held {
	int rcvid;
	iofunc_ocb_t *ocb;
	enum kind kind;
	size_t want;	/* read: bytes asked; write: bytes sent */
	size_t done;	/* write: bytes queued so far */
	size_t base;	/* write: where its data starts in the client's message */
	uint64_t since; /* read: when it came (CLOCK_MONOTONIC) */
	bool set;	/* drain: then take tio (a TCSETATTRD/F) */
	bool flush;	/* ... and flush input (TCSETATTRF) */
	struct termios tio;
} held[HELD_MAX];
static unsigned nheld;
int io_timer;

static struct held *first(enum kind kind)
{
	for (unsigned i = 0; i < nheld; i++)
		if (held[i].kind == kind)
			return &held[i];
	return NULL;
}

static void drop(struct held *h)
{
	unsigned i = (unsigned)(h - held);

	memmove(&held[i], &held[i + 1], (nheld - i - 1) * sizeof(held[0]));
	nheld--;
}

/* A new request from rcvid: a thread has one request at a time, so one
 * held under the same rcvid belongs to a client that went (its rcvid
 * taken again before its disconnect came) and must not get this one's
 * answer. */
static void forget_stale(int rcvid)
{
	for (unsigned i = nheld; i-- > 0;)
		if (held[i].rcvid == rcvid)
			drop(&held[i]);
}

static int hold(const struct held *h)
{
	if (nheld == HELD_MAX)
		return EAGAIN;
	held[nheld++] = *h;
	return _RESMGR_NOREPLY;
}

/* A devctl's answer: the reply header, then n bytes of data. */
static int devctl_reply(int rcvid, const void *data, size_t n)
{
	struct _io_devctl_reply r = {.nbytes = (uint32_t)n};
	iov_t iov[2];

	SETIOV(&iov[0], &r, sizeof(r));
	SETIOV(&iov[1], (void *)data, n);
	MsgReplyv(rcvid, EOK, iov, n ? 2 : 1);
	return _RESMGR_NOREPLY;
}

static uint64_t now(void)
{
	uint64_t t = 0;

	ClockTime(CLOCK_MONOTONIC, NULL, &t);
	return t;
}

/* Whether a raw read waits under VTIME (tenths of a second). */
static bool timed(void)
{
	return !(tty_termios.c_lflag & ICANON) && tty_termios.c_cc[VTIME];
}

/* When a raw read that came at since stops waiting under VTIME: VMIN 0,
 * VTIME after it came; VMIN > 0, VTIME after the last byte (or the read,
 * if later) once a byte is there. 0: not yet known (or no VTIME). */
static uint64_t deadline(uint64_t since)
{
	uint64_t span = (uint64_t)tty_termios.c_cc[VTIME] * 100000000u;
	bool zero;

	if (!timed())
		return 0;
	if (!tty_termios.c_cc[VMIN])
		return since + span;
	if (!rx_ready(1, false, &zero))
		return 0;
	return (rx_stamp > since ? rx_stamp : since) + span;
}

/* Answer a read of n bytes (that came at since) if input is ready, or
 * its VTIME is up: whether it is done with. */
static bool try_read(int rcvid, size_t n, uint64_t since)
{
	char buf[1024];
	bool zero;
	uint64_t end = deadline(since);
	bool out = end && now() >= end;
	size_t k = rx_ready(n < sizeof(buf) ? n : sizeof(buf), out, &zero);

	if (n && !k && !zero) {
		if (end) {
			struct _itimer at = {end, 0};
			TimerSettime(io_timer, TIMER_ABSTIME, &at, NULL);
		}
		return false;
	}
	rx_peek(buf, k);
	/* Input is taken only by a reader that got it (not one that died). */
	if (MsgReply(rcvid, (long)k, buf, k) == 0)
		rx_consume(k);
	return true;
}

/* Queue more of a write: whether all of it is (and was answered). */
static bool write_more(struct held *w)
{
	char buf[CHUNK];

	while (w->done < w->want) {
		size_t n = w->want - w->done < CHUNK ? w->want - w->done : CHUNK;
		ssize_t got = MsgRead(w->rcvid, buf, n, w->base + w->done);
		if (got <= 0)
			return true; /* the client is gone */
		if (!tx_put(buf, (size_t)got))
			break;
		w->done += (size_t)got;
		uart_service(); /* the FIFO takes what it can now */
	}
	if (w->done < w->want)
		return false;
	MsgReply(w->rcvid, (long)w->done, NULL, 0);
	return true;
}

bool io_draining(void)
{
	return first(H_DRAIN) != NULL;
}

static bool drained(void)
{
	return !tx_pending() && uart_idle();
}

static void finish_drain(struct held *d)
{
	if (d->set)
		tty_set(&d->tio);
	if (d->flush)
		rx_flush();
	devctl_reply(d->rcvid, NULL, 0);
}

/* A drain (and the settings it carries): done now when now is true or
 * nothing is left to send, else held. */
static int drain(struct held *d, bool now)
{
	if (!now && (first(H_WRITE) || first(H_DRAIN) || !drained())) {
		int r = hold(d);
		uart_service(); /* the TX interrupt on until the line is idle */
		return r;
	}
	finish_drain(d);
	io_progress(); /* raw mode may have made input ready */
	return _RESMGR_NOREPLY;
}

void io_progress(void)
{
	bool moved;

	do {
		moved = false;
		struct held *h = first(H_WRITE);
		if (h && write_more(h)) {
			drop(h);
			moved = true;
		}
		h = first(H_READ);
		if (h && try_read(h->rcvid, h->want, h->since)) {
			drop(h);
			moved = true;
		}
		h = first(H_DRAIN);
		if (h && !first(H_WRITE) && drained()) {
			finish_drain(h);
			drop(h);
			moved = true;
		}
		uart_service();
		moved |= tty_changed();
	} while (moved);
}

int io_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	int nonblock;
	int r = iofunc_read_verify(ctp, msg, ocb, &nonblock);

	if (r != EOK)
		return r;
	forget_stale(ctp->rcvid);
	if (msg->i.nbytes < 0)
		return EINVAL;
	size_t n = (size_t)msg->i.nbytes;
	uint64_t since = timed() ? now() : 0;
	if (!first(H_READ) && try_read(ctp->rcvid, n, since))
		return _RESMGR_NOREPLY;
	if (nonblock)
		return EAGAIN;
	return hold(&(struct held){
	    .rcvid = ctp->rcvid, .ocb = ocb, .kind = H_READ, .want = n, .since = since});
}

int io_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	int nonblock;
	int r = iofunc_write_verify(ctp, msg, ocb, &nonblock);

	if (r != EOK)
		return r;
	forget_stale(ctp->rcvid);
	struct held w = {.rcvid = ctp->rcvid,
			 .ocb = ocb,
			 .kind = H_WRITE,
			 .want = (size_t)msg->i.nbytes,
			 .base = (size_t)ctp->offset + sizeof(msg->i)};
	/* Behind writers already waiting: output stays in order. */
	if (!first(H_WRITE) && write_more(&w))
		return _RESMGR_NOREPLY;
	if (nonblock && !first(H_WRITE) && w.done) {
		MsgReply(w.rcvid, (long)w.done, NULL, 0);
		return _RESMGR_NOREPLY;
	}
	if (nonblock)
		return EAGAIN;
	return hold(&w);
}

int io_devctl(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *ocb)
{
	int dcmd = msg->i.dcmd;
	size_t n = msg->i.nbytes;
	/* The data that came with the message, in our buffer. */
	size_t have = (size_t)ctp->size - sizeof(msg->i);
	void *data = _DEVCTL_DATA(msg->i);
	struct termios t;
	int v;

	forget_stale(ctp->rcvid);
	switch (dcmd) {
	case DCMD_CHR_TCGETATTR:
		if (n < sizeof(t))
			return EINVAL;
		return devctl_reply(ctp->rcvid, &tty_termios, sizeof(t));
	case DCMD_CHR_TCSETATTR:
	case DCMD_CHR_TCSETATTRD:
	case DCMD_CHR_TCSETATTRF:
		if (n < sizeof(t) || have < sizeof(t))
			return EINVAL;
		memcpy(&t, data, sizeof(t));
		return drain(&(struct held){.rcvid = ctp->rcvid,
					    .ocb = ocb,
					    .kind = H_DRAIN,
					    .set = true,
					    .flush = dcmd == DCMD_CHR_TCSETATTRF,
					    .tio = t},
			     dcmd == DCMD_CHR_TCSETATTR);
	case DCMD_CHR_TCDRAIN:
		return drain(&(struct held){.rcvid = ctp->rcvid, .ocb = ocb, .kind = H_DRAIN},
			     false);
	case DCMD_CHR_TCFLUSH:
		if (n < sizeof(v) || have < sizeof(v))
			return EINVAL;
		memcpy(&v, data, sizeof(v));
		if (v != TCIFLUSH && v != TCOFLUSH && v != TCIOFLUSH)
			return EINVAL;
		if (v != TCOFLUSH)
			rx_flush();
		if (v != TCIFLUSH)
			tx_flush();
		return devctl_reply(ctp->rcvid, NULL, 0);
	case DCMD_CHR_TCGETPGRP:
		if (n < sizeof(pid_t))
			return EINVAL;
		return devctl_reply(ctp->rcvid, &tty_pgrp, sizeof(pid_t));
	case DCMD_CHR_TCSETPGRP:
		if (n < sizeof(pid_t) || have < sizeof(pid_t))
			return EINVAL;
		memcpy(&v, data, sizeof(v));
		if (v <= 0)
			return EINVAL;
		if (killpg(v, 0) < 0)
			return EPERM; /* no such group */
		tty_pgrp = v;
		return devctl_reply(ctp->rcvid, NULL, 0);
	default:
		return iofunc_devctl_default(ctp, msg, ocb);
	}
}

int io_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb)
{
	/* What the open still waits for ends: a client that closed an fd
	 * another of its threads reads from gets EBADF there. */
	for (unsigned i = nheld; i-- > 0;) {
		if (held[i].ocb == ocb) {
			MsgError(held[i].rcvid, EBADF);
			drop(&held[i]);
		}
	}
	return iofunc_close_ocb_default(ctp, reserved, ocb);
}

void io_unblock(int rcvid)
{
	for (unsigned i = 0; i < nheld; i++) {
		struct held *h = &held[i];
		if (h->rcvid != rcvid)
			continue;
		if (h->kind == H_WRITE && h->done)
			MsgReply(rcvid, (long)h->done, NULL, 0);
		else
			MsgError(rcvid, EINTR);
		drop(h);
		return;
	}
}
