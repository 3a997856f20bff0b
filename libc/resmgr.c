/*
 * The resource-manager layer (<sys/resmgr.h>): resmgr_attach() asks
 * namesrv for a prefix and installs, on the dispatch, the handlers of
 * _IO_CONNECT, of the rest of the I/O range and of the disconnect pulse.
 * They route to the handler tables each attachment (a link) gave:
 * _IO_CONNECT by the handle namesrv gave the client (the link id), the
 * I/O messages by the OCB an open bound to the client's connection
 * (this channel's scoid and the client's coid: one per open, as open()
 * makes a connection for each). A handler's return value becomes the
 * reply (MsgError, MsgReplyv of ctp->iov, or none).
 *
 * The tables change under one mutex; handlers run without it, from
 * copies of their entries.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/namemsg.h>
#include <sys/resmgr.h>

#include "libc.h"

#define LINKS_MAX 32

static struct link {
	int nsid; /* namesrv's id of the prefix; 0: a free slot */
	dispatch_t *dpp;
	const resmgr_connect_funcs_t *connect;
	const resmgr_io_funcs_t *io;
	void *handle;
} links[LINKS_MAX];

/* An open: what the client's connection (scoid, coid) on dpp reaches. */
struct bound {
	dispatch_t *dpp;
	int scoid, coid;
	void *ocb;
	const resmgr_io_funcs_t *io;
};

static struct bound *binds;
static unsigned nbinds, bcap;
/* Dispatches that got our handlers (a dispatch freed and made again
 * at the same address gets them again: message_attach succeeds). */
static dispatch_t **served;
static unsigned nserved, scap;
static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;

/* The handler's return value as the reply. */
static void reply(resmgr_context_t *ctp, int r)
{
	if (r == _RESMGR_NOREPLY)
		return;
	if (r > 0)
		MsgError(ctp->rcvid, r);
	else
		MsgReplyv(ctp->rcvid, ctp->status, ctp->iov, (size_t)-r);
}

/* Whether the table has the entry at its index (1-based, in order). */
#define HAS(tab, n, fn) ((tab)->nfuncs >= (n) && (tab)->fn)

static int io_connect(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	struct _io_connect *c = (struct _io_connect *)ctp->msg;
	size_t head = offsetof(struct _io_connect, path);
	int r;

	/* The path ends with its 0 inside what was received. */
	if ((size_t)ctp->size < head)
		r = EINVAL;
	else if (ctp->info.srcmsglen > ctp->info.msglen)
		r = ENAMETOOLONG;
	else if (!c->path_len || head + c->path_len > (size_t)ctp->size || c->path[c->path_len - 1])
		r = EINVAL;
	else if (c->subtype != _IO_CONNECT_OPEN)
		r = ENOSYS;
	else if (c->handle == 0)
		r = EOK; /* a name_open (<sys/dispatch.h>): only a connection */
	else {
		struct link l = {0};
		pthread_mutex_lock(&lk);
		if (c->handle <= LINKS_MAX && links[c->handle - 1].dpp == ctp->dpp)
			l = links[c->handle - 1];
		pthread_mutex_unlock(&lk);
		if (!l.nsid) {
			r = ENOENT; /* detached since namesrv named it */
		} else {
			ctp->id = (int)c->handle;
			r = HAS(l.connect, 1, open)
				? l.connect->open(ctp, (io_open_t *)c, l.handle, NULL)
				: ENOSYS;
		}
	}
	reply(ctp, r);
	return 0;
}

static struct bound *find_bound(dispatch_t *dpp, int scoid, int coid)
{
	for (unsigned i = 0; i < nbinds; i++)
		if (binds[i].dpp == dpp && binds[i].scoid == scoid && binds[i].coid == coid)
			return &binds[i];
	return NULL;
}

static void unbind(struct bound *b)
{
	*b = binds[--nbinds];
}

static void close_ocb(resmgr_context_t *ctp, const struct bound *b)
{
	if (HAS(b->io, 3, close_ocb))
		b->io->close_ocb(ctp, NULL, b->ocb);
}

int resmgr_open_bind(resmgr_context_t *ctp, void *ocb, const resmgr_io_funcs_t *io_funcs)
{
	if (!ctp || ctp->id < 1 || ctp->id > LINKS_MAX) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&lk);
	struct bound *old = find_bound(ctp->dpp, ctp->info.scoid, ctp->info.coid);
	struct bound gone = old ? *old : (struct bound){0};
	if (old)
		unbind(old);
	int err = 0;
	if (nbinds == bcap) {
		unsigned cap = bcap ? 2 * bcap : 8;
		struct bound *b = realloc(binds, cap * sizeof(*b));
		if (b) {
			binds = b;
			bcap = cap;
		} else {
			err = ENOMEM;
		}
	}
	if (!err)
		binds[nbinds++] = (struct bound){ctp->dpp, ctp->info.scoid, ctp->info.coid, ocb,
						 io_funcs ? io_funcs : links[ctp->id - 1].io};
	pthread_mutex_unlock(&lk);
	/* The client reused the coid of an fd it let go without _IO_CLOSE:
	 * that open is over. */
	if (gone.ocb)
		close_ocb(ctp, &gone);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

ssize_t resmgr_msgread(resmgr_context_t *ctp, void *msg, size_t nbytes, size_t offset)
{
	return MsgRead(ctp->rcvid, msg, nbytes, (size_t)ctp->offset + offset);
}

/* The smallest message of each I/O type this layer routes. */
static size_t io_size(int code)
{
	switch (code) {
	case _IO_READ:
		return sizeof(struct _io_read);
	case _IO_WRITE:
		return sizeof(struct _io_write);
	case _IO_LSEEK:
		return sizeof(struct _io_lseek);
	case _IO_STAT:
		return sizeof(struct _io_stat);
	case _IO_CLOSE:
		return sizeof(struct _io_close);
	case _IO_DEVCTL:
		return sizeof(struct _io_devctl);
	default:
		return 0;
	}
}

static int io_message(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)flags;
	(void)handle;
	size_t want = io_size(code);

	pthread_mutex_lock(&lk);
	struct bound *p = find_bound(ctp->dpp, ctp->info.scoid, ctp->info.coid);
	struct bound b = p ? *p : (struct bound){0};
	if (p && code == _IO_CLOSE)
		unbind(p);
	pthread_mutex_unlock(&lk);

	const resmgr_io_funcs_t *io = b.io;
	void *msg = ctp->msg;
	int r;
	if (!b.ocb)
		r = EBADF; /* no open on this connection */
	else if (!want)
		r = ENOSYS;
	else if ((size_t)ctp->size < want)
		r = EINVAL;
	else if (code == _IO_WRITE &&
		 (((struct _io_write *)msg)->nbytes < 0 ||
		  (size_t)((struct _io_write *)msg)->nbytes > ctp->info.srcmsglen - want))
		r = EINVAL; /* more data than was sent */
	else if (code == _IO_READ)
		r = HAS(io, 1, read) ? io->read(ctp, msg, b.ocb) : ENOSYS;
	else if (code == _IO_WRITE)
		r = HAS(io, 2, write) ? io->write(ctp, msg, b.ocb) : ENOSYS;
	else if (code == _IO_STAT)
		r = HAS(io, 4, stat) ? io->stat(ctp, msg, b.ocb) : ENOSYS;
	else if (code == _IO_LSEEK)
		r = HAS(io, 5, lseek) ? io->lseek(ctp, msg, b.ocb) : ENOSYS;
	else if (code == _IO_DEVCTL)
		r = HAS(io, 7, devctl) ? io->devctl(ctp, msg, b.ocb) : ENOSYS;
	else
		r = HAS(io, 6, close_dup) ? io->close_dup(ctp, msg, b.ocb) : EOK;
	reply(ctp, r);
	/* _IO_CLOSE: the open is over once the client has its answer. */
	if (b.ocb && code == _IO_CLOSE)
		close_ocb(ctp, &b);
	return 0;
}

/* A client's last connection to the channel went: the opens it did not
 * close (it ended) are over. */
static int io_disconnect(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	int scoid = ctp->msg->pulse.scoid;

	for (;;) {
		pthread_mutex_lock(&lk);
		struct bound b = {0};
		for (unsigned i = 0; i < nbinds; i++) {
			if (binds[i].dpp == ctp->dpp && binds[i].scoid == scoid) {
				b = binds[i];
				unbind(&binds[i]);
				break;
			}
		}
		pthread_mutex_unlock(&lk);
		if (!b.ocb)
			break;
		close_ocb(ctp, &b);
	}
	ConnectDetach(scoid);
	return 0;
}

/* dpp routes the I/O range to us (installed now if it did not). Called
 * with lk held. 0 or errno. */
static int serve(dispatch_t *dpp, const resmgr_attr_t *attr)
{
	message_attr_t ma = {0, attr ? attr->nparts_max : 0, attr ? attr->msg_max_size : 0};

	if (message_attach(dpp, &ma, _IO_CONNECT, _IO_CONNECT, io_connect, NULL) < 0) {
		for (unsigned i = 0; i < nserved; i++)
			if (served[i] == dpp)
				return 0;
		return errno == EINVAL ? EBUSY : errno; /* another's _IO_CONNECT */
	}
	if (message_attach(dpp, &ma, _IO_READ, _IO_MAX, io_message, NULL) < 0) {
		int err = errno;
		message_detach(dpp, _IO_CONNECT, _IO_CONNECT, 0);
		return err == EINVAL ? EBUSY : err;
	}
	/* Kept if the program has its own: its opens then close only by
	 * _IO_CLOSE. */
	pulse_attach(dpp, 0, _PULSE_CODE_DISCONNECT, io_disconnect, NULL);
	for (unsigned i = 0; i < nserved; i++)
		if (served[i] == dpp)
			return 0;
	if (nserved == scap) {
		unsigned cap = scap ? 2 * scap : 4;
		dispatch_t **s = realloc(served, cap * sizeof(*s));
		if (!s)
			return ENOMEM;
		served = s;
		scap = cap;
	}
	served[nserved++] = dpp;
	return 0;
}

int resmgr_attach(dispatch_t *dpp, resmgr_attr_t *attr, const char *path, enum _file_type file_type,
		  unsigned flags, const resmgr_connect_funcs_t *connect_funcs,
		  const resmgr_io_funcs_t *io_funcs, RESMGR_HANDLE_T *handle)
{
	struct _name_path_attach_req m = {.type = _NAME_PATH_ATTACH};
	int err = 0, id = 0;

	if (!dpp || !path || !connect_funcs || !io_funcs || file_type != _FTYPE_ANY || flags)
		err = EINVAL;
	else if (strnlen(path, _NAME_PATH_MAX + 1) > _NAME_PATH_MAX)
		err = ENAMETOOLONG;
	if (err) {
		errno = err;
		return -1;
	}
	strcpy(m.path, path);
	pthread_mutex_lock(&lk);
	for (int i = 0; i < LINKS_MAX && !id; i++)
		if (!links[i].dpp)
			id = i + 1;
	err = id ? serve(dpp, attr) : EAGAIN;
	if (!err && (m.chid = __dispatch_chid(dpp)) < 0)
		err = EINVAL;
	if (!err) {
		m.handle = id;
		int nsid = __libc_namesrv(&m, sizeof(m), NULL, 0);
		if (nsid < 0)
			err = errno;
		else
			links[id - 1] = (struct link){nsid, dpp, connect_funcs, io_funcs, handle};
	}
	pthread_mutex_unlock(&lk);
	if (err) {
		errno = err;
		return -1;
	}
	return id;
}

int resmgr_detach(dispatch_t *dpp, int id, unsigned flags)
{
	pthread_mutex_lock(&lk);
	int err = 0;
	if (flags || id < 1 || id > LINKS_MAX || !links[id - 1].dpp || links[id - 1].dpp != dpp)
		err = EINVAL;
	if (!err) {
		struct _name_path_detach_req m = {.type = _NAME_PATH_DETACH,
						  .id = links[id - 1].nsid};
		if (__libc_namesrv(&m, sizeof(m), NULL, 0) < 0)
			err = errno;
		else
			links[id - 1] = (struct link){0};
	}
	pthread_mutex_unlock(&lk);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
