/*
 * shmmgr's handles: shm_create_handle (an _IO_MSG on an fd) makes a
 * handle that one process, and only it, can turn into an fd once with
 * shm_open_handle (_SHM_OPEN_HANDLE on a new connection to us). A
 * handle is a 64-bit value: a serial number beside 32 bits from a
 * generator seeded by the clock, so one is not guessed by counting (not
 * a secret against a determined forger: the pid check is what holds).
 * A handle not yet used goes with the open it was made from.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/shmmsg.h>
#include <time.h>

#include "shmmgr.h"

#define HANDLES_MAX 64 /* in all: EAGAIN */

static struct handle {
	uint64_t value;	 /* 0: a free slot */
	pid_t pid;	 /* the only process that may open it */
	uint32_t ioflag; /* the access it gives */
	struct shm_ocb *from;
} handles[HANDLES_MAX];

/* xorshift64, seeded once from the clock. */
static uint32_t next_random(void)
{
	static uint64_t x;

	if (!x) {
		uint64_t now = 0;
		ClockTime(CLOCK_MONOTONIC, NULL, &now);
		x = now | 1;
	}
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return (uint32_t)x;
}

static void drop(struct handle *h)
{
	struct shm_obj *o = h->from->obj;

	o->handles--;
	*h = (struct handle){0};
	shm_obj_release(o);
}

void shm_handles_forget(const struct shm_ocb *ocb)
{
	for (unsigned i = 0; i < HANDLES_MAX; i++)
		if (handles[i].value && handles[i].from == ocb) {
			ocb->obj->handles--;
			handles[i] = (struct handle){0};
		}
}

/* The access bits of a request: _IO_FLAG_RD, or with _IO_FLAG_WR. */
static bool good_access(uint32_t ioflag)
{
	return ioflag == _IO_FLAG_RD || ioflag == (_IO_FLAG_RD | _IO_FLAG_WR);
}

int shm_io_msg(resmgr_context_t *ctp, io_msg_t *msg, struct shm_ocb *ocb)
{
	static uint32_t serial;
	const struct _shm_create_handle *m = (const void *)msg;

	if (msg->i.mgrid != _IOMGR_SHMEM || msg->i.subtype != _SHM_CREATE_HANDLE)
		return ENOSYS;
	if ((size_t)ctp->info.srcmsglen != sizeof(*m))
		return (size_t)ctp->info.srcmsglen < sizeof(*m) ? EINVAL : EMSGSIZE;
	if (m->pid <= 0 || m->options || !good_access(m->ioflag))
		return EINVAL;
	if (m->ioflag & ~ocb->ioflag)
		return EACCES; /* wider than the fd */
	struct handle *h = NULL;
	for (unsigned i = 0; i < HANDLES_MAX && !h; i++)
		if (!handles[i].value)
			h = &handles[i];
	if (!h)
		return EAGAIN;
	uint64_t value = (uint64_t)++serial << 32 | next_random();
	*h = (struct handle){value, m->pid, m->ioflag, ocb};
	ocb->obj->handles++;
	SETIOV(&ctp->iov[0], &h->value, sizeof(h->value));
	return _RESMGR_NPARTS(1);
}

int shm_open_handle_request(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)flags;
	(void)handle;
	const struct _shm_open_handle *m = (const void *)ctp->msg;
	int err = 0;
	struct handle *h = NULL;

	if (code != _SHM_OPEN_HANDLE)
		err = ENOSYS;
	else if ((size_t)ctp->info.srcmsglen != sizeof(*m))
		err = (size_t)ctp->info.srcmsglen < sizeof(*m) ? EINVAL : EMSGSIZE;
	else if (!good_access(m->ioflag) || !m->handle)
		err = EINVAL;
	for (unsigned i = 0; !err && i < HANDLES_MAX && !h; i++)
		if (handles[i].value == m->handle && handles[i].pid == ctp->info.pid)
			h = &handles[i];
	if (!err && !h)
		err = EINVAL; /* forged, another's, or used */
	if (!err && (m->ioflag & ~h->ioflag))
		err = EACCES;
	if (!err && !(err = shm_bind_open(ctp, h->from->obj, m->ioflag)))
		drop(h); /* once */
	if (err)
		MsgError(ctp->rcvid, err);
	else
		MsgReply(ctp->rcvid, EOK, NULL, 0);
	return 0;
}
