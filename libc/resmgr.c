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
 * _IO_DUP (io_dup) binds another connection to an OCB: the OCB is
 * shared, and close_ocb runs when the last binding of it goes (by
 * _IO_CLOSE, a rebind, or its client's disconnect). A binding may also
 * be a spawn's grant: an OCB held for one child's connection until the
 * child takes it or its last connection goes.
 *
 * The tables change under one mutex; handlers run without it, from
 * copies of their entries.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/namemsg.h>
#include <sys/resmgr.h>

#include "libc.h"

#define LINKS_MAX  32
#define GRANTS_MAX 256 /* _IO_DUP grants a process has waiting: EAGAIN */

static struct link {
	int nsid; /* namesrv's id of the prefix; 0: a free slot */
	dispatch_t *dpp;
	const resmgr_connect_funcs_t *connect;
	const resmgr_io_funcs_t *io;
	void *handle;
} links[LINKS_MAX];

/* An open: what the client's connection (scoid, coid) on dpp reaches.
 * A grant (scoid 0) waits for process pid's connection coid to take it
 * by naming (from_pid, from_coid). */
struct bound {
	dispatch_t *dpp;
	int scoid, coid;
	void *ocb;
	const resmgr_io_funcs_t *io;
	int pid, from_pid, from_coid; /* a grant's */
};

static struct bound *binds;
static unsigned nbinds, bcap;
/* Dispatches that got our handlers (a dispatch freed and made again
 * at the same address gets them again: message_attach succeeds). */
static dispatch_t **served;
static unsigned nserved, scap;
static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;

/* The handler's return value as the reply. In a thread pool's loop a
 * reply of one part (or none) goes with the thread's next receive
 * (MsgReplyReceive, dispatch.c). */
static void reply(resmgr_context_t *ctp, int r)
{
	dispatch_context_t *d = (dispatch_context_t *)ctp;

	if (r == _RESMGR_NOREPLY)
		return;
	if (r > 0)
		MsgError(ctp->rcvid, r);
	else if (r == 0 && __libc_dispatch_hold_reply(d, ctp->rcvid, ctp->status, NULL, 0))
		return;
	else if (r == -1 && __libc_dispatch_hold_reply(d, ctp->rcvid, ctp->status,
						       ctp->iov[0].iov_base, ctp->iov[0].iov_len))
		return;
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
	else if (c->subtype != _IO_CONNECT_OPEN && c->subtype != _IO_CONNECT_UNLINK)
		r = ENOSYS;
	else if (c->handle == 0) /* a name_open: only a connection */
		r = c->subtype == _IO_CONNECT_OPEN ? EOK : ENOSYS;
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
			if (c->subtype == _IO_CONNECT_UNLINK)
				r = HAS(l.connect, 2, unlink)
					? l.connect->unlink(ctp, (io_unlink_t *)c, l.handle, NULL)
					: ENOSYS;
			else
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

/* b goes; true when it was its OCB's last binding (the OCB is then the
 * caller's to close). With lk held. */
static bool unbind(struct bound *b)
{
	dispatch_t *dpp = b->dpp;
	void *ocb = b->ocb;

	*b = binds[--nbinds];
	for (unsigned i = 0; i < nbinds; i++)
		if (binds[i].dpp == dpp && binds[i].ocb == ocb)
			return false;
	return true;
}

/* Room for one more binding (ENOMEM). With lk held. */
static int room(void)
{
	if (nbinds < bcap)
		return 0;
	unsigned cap = bcap ? 2 * bcap : 8;
	struct bound *b = realloc(binds, cap * sizeof(*b));
	if (!b)
		return ENOMEM;
	binds = b;
	bcap = cap;
	return 0;
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
	if (old && !unbind(old))
		gone.ocb = NULL; /* still shared */
	int err = room();
	if (!err)
		binds[nbinds++] = (struct bound){.dpp = ctp->dpp,
						 .scoid = ctp->info.scoid,
						 .coid = ctp->info.coid,
						 .ocb = ocb,
						 .io = io_funcs ? io_funcs : links[ctp->id - 1].io};
	pthread_mutex_unlock(&lk);
	/* The client reused the coid of an fd it let go without _IO_CLOSE:
	 * that open is over (unless a dup shares it). */
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
	case _IO_SPACE:
		return sizeof(struct _io_space);
	case _IO_MMAP:
		return sizeof(struct _io_mmap);
	case _IO_MSG:
		return sizeof(struct _io_msg);
	case _IO_DEVCTL:
		return sizeof(struct _io_devctl);
	default:
		return 0;
	}
}

/* _IO_DUP (<sys/iomsg.h>): errno or EOK. */
static int dup_bind(resmgr_context_t *ctp, const struct _io_dup *m)
{
	const struct _msg_info *me = &ctp->info;
	struct bound *src = NULL, *old, nb = {0}, gone = {0};
	int err;

	pthread_mutex_lock(&lk);
	/* Room first: growing the table moves it, and src points into it. */
	if ((err = room())) {
		pthread_mutex_unlock(&lk);
		return err;
	}
	if (m->flags & _IO_DUP_FLAG_GRANT) {
		/* The owner of this connection's OCB grants it to a child. A
		 * grant outlives its granter (a parent may end before its child
		 * takes it), so each process may have only so many waiting. */
		unsigned waiting = 0;
		for (unsigned i = 0; i < nbinds; i++)
			waiting += binds[i].dpp == ctp->dpp && !binds[i].scoid &&
				   binds[i].from_pid == me->pid;
		src = find_bound(ctp->dpp, me->scoid, me->coid);
		err = !src					   ? EBADF
		      : m->info.pid <= 0 || m->info.pid == me->pid ? EINVAL
		      : waiting >= GRANTS_MAX			   ? EAGAIN
								   : 0;
		if (!err)
			binds[nbinds++] = (struct bound){.dpp = ctp->dpp,
							 .coid = m->info.coid,
							 .ocb = src->ocb,
							 .io = src->io,
							 .pid = m->info.pid,
							 .from_pid = me->pid,
							 .from_coid = me->coid};
		pthread_mutex_unlock(&lk);
		return err;
	}
	if (m->info.pid == me->pid) {
		src = find_bound(ctp->dpp, me->scoid, m->info.coid);
		err = src ? 0 : EBADF;
	} else {
		/* Only what that process granted us, for this connection. */
		for (unsigned i = 0; i < nbinds && !src; i++)
			if (binds[i].dpp == ctp->dpp && !binds[i].scoid &&
			    binds[i].pid == me->pid && binds[i].coid == me->coid &&
			    binds[i].from_pid == m->info.pid && binds[i].from_coid == m->info.coid)
				src = &binds[i];
		err = src ? 0 : EPERM;
	}
	if (!err && src->scoid == me->scoid && src->coid == me->coid)
		err = EINVAL; /* itself */
	if (!err) {
		nb = (struct bound){.dpp = ctp->dpp,
				    .scoid = me->scoid,
				    .coid = me->coid,
				    .ocb = src->ocb,
				    .io = src->io};
		if (!src->scoid) /* the grant becomes the binding */
			*src = binds[--nbinds];
		/* What this connection reached before (another open) is over
		 * unless shared. */
		if ((old = find_bound(ctp->dpp, me->scoid, me->coid))) {
			gone = *old;
			*old = binds[--nbinds];
		}
		binds[nbinds++] = nb;
		for (unsigned i = 0; gone.ocb && i < nbinds; i++)
			if (binds[i].dpp == gone.dpp && binds[i].ocb == gone.ocb)
				gone.ocb = NULL;
	}
	pthread_mutex_unlock(&lk);
	if (gone.ocb)
		close_ocb(ctp, &gone);
	return err;
}

static int io_dup(resmgr_context_t *ctp)
{
	struct _io_dup m;
	int r;

	if ((size_t)ctp->size < sizeof(m)) {
		r = EINVAL;
	} else {
		memcpy(&m, ctp->msg, sizeof(m));
		r = dup_bind(ctp, &m);
	}
	reply(ctp, r);
	return 0;
}

static int io_message(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)flags;
	(void)handle;
	size_t want = io_size(code);

	if (code == _IO_DUP)
		return io_dup(ctp);
	pthread_mutex_lock(&lk);
	struct bound *p = find_bound(ctp->dpp, ctp->info.scoid, ctp->info.coid);
	struct bound b = p ? *p : (struct bound){0};
	bool last = p && code == _IO_CLOSE && unbind(p);
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
	else if (code == _IO_SPACE)
		r = HAS(io, 7, space) ? io->space(ctp, msg, b.ocb) : ENOSYS;
	else if (code == _IO_MMAP)
		r = HAS(io, 8, mmap) ? io->mmap(ctp, msg, b.ocb) : ENOSYS;
	else if (code == _IO_MSG)
		r = HAS(io, 9, msg) ? io->msg(ctp, msg, b.ocb) : ENOSYS;
	else if (code == _IO_DEVCTL)
		r = HAS(io, 10, devctl) ? io->devctl(ctp, msg, b.ocb) : ENOSYS;
	else
		r = HAS(io, 6, close_dup) ? io->close_dup(ctp, msg, b.ocb) : EOK;
	reply(ctp, r);
	/* _IO_CLOSE of the last binding: the open is over once the client
	 * has its answer (a held one goes now). */
	if (last) {
		__libc_dispatch_flush((dispatch_context_t *)ctp);
		close_ocb(ctp, &b);
	}
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
	struct _client_info ci = {0};

	/* Who it was (while we hold its scoid): its grants not taken go too. */
	if (ConnectClientInfo(scoid, &ci, 0) < 0)
		ci.pid = 0;
	for (;;) {
		pthread_mutex_lock(&lk);
		struct bound b = {0};
		bool last = false;
		for (unsigned i = 0; i < nbinds; i++) {
			if (binds[i].dpp == ctp->dpp &&
			    (binds[i].scoid ? binds[i].scoid == scoid : binds[i].pid == ci.pid)) {
				b = binds[i];
				last = unbind(&binds[i]);
				break;
			}
		}
		pthread_mutex_unlock(&lk);
		if (!b.ocb)
			break;
		if (last)
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
