/*
 * QNX's local names (<sys/dispatch.h>): name_attach, name_detach,
 * name_open, name_close. namesrv keeps the names (<sys/namemsg.h>);
 * libc reaches it through NAMESRV_COID, the side-channel connection
 * proc gives every process it spawns. name_open asks namesrv who holds
 * a name, connects to that channel and sends it an _IO_CONNECT, which
 * the server's dispatch answers (the handler name_attach attaches).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/dispatch.h>
#include <sys/namemsg.h>

#include "libc.h"

#define LOCAL_PREFIX "/dev/name/local/"

/* The process's connection to namesrv, 0 when it has none, -1 until
 * read from the auxiliary vector, which says whether proc made it (a
 * side connection the process made itself may hold NAMESRV_COID
 * otherwise). proc, which starts namesrv, sets it itself once it has
 * connected (proc/namesrv.c). */
int __libc_namesrv_coid = -1;

/* A request to namesrv: status, or -1 with errno. A process without
 * the connection (started by the kernel, or after namesrv ended) has
 * no name server: ENOSYS, as a call nobody serves. */
int __libc_namesrv(const void *msg, size_t len, void *reply, size_t rlen)
{
	if (__libc_namesrv_coid < 0)
		__libc_namesrv_coid = (int)getauxval(AT_MUON_NAMESRV_COID);
	int coid = __libc_namesrv_coid;
	long r = coid ? MsgSend_r(coid, msg, len, reply, rlen) : -ENOSYS;

	if (r == -EBADF || r == -ESRCH)
		r = -ENOSYS;
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}

/* Copies a valid name into field (_NAME_MAX + 1 bytes); 0 or errno.
 * namesrv checks again: this spares the message and gives the same
 * answer. */
static int take_name(const char *name, char *field)
{
	if (!name)
		return EINVAL;
	size_t len = strnlen(name, _NAME_MAX + 1);
	if (len > _NAME_MAX)
		return ENAMETOOLONG;
	if (!len || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return EINVAL;
	memcpy(field, name, len + 1);
	return 0;
}

/* The _IO_CONNECT of a name_open: the connection is accepted. */
static int connect_handler(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	MsgReply(ctp->rcvid, EOK, NULL, 0);
	return 0;
}

/* name_attach'es own state behind the public structure. */
struct attach {
	name_attach_t pub;
	int own_dpp;	 /* the dispatch was made here */
	int own_connect; /* the _IO_CONNECT handler was attached here (undone
			    if name_attach fails) */
};

name_attach_t *name_attach(dispatch_t *dpp, const char *path, unsigned flags)
{
	struct _name_attach_req m = {.type = _NAME_ATTACH};
	int err = flags & NAME_FLAG_ATTACH_GLOBAL ? ENOTSUP : flags ? EINVAL : 0;

	if (!err)
		err = take_name(path, m.name);
	struct attach *a = err ? NULL : calloc(1, sizeof(*a));
	if (!err && !a)
		err = ENOMEM;
	if (err) {
		errno = err;
		return NULL;
	}
	a->own_dpp = !dpp;
	if (!dpp && !(dpp = dispatch_create()))
		goto fail;
	a->pub.dpp = dpp;
	/* Taken already (the owner routes _IO_CONNECT itself): not ours. */
	a->own_connect =
	    message_attach(dpp, NULL, _IO_CONNECT, _IO_CONNECT, connect_handler, NULL) == 0;
	if ((m.chid = __dispatch_chid(dpp)) < 0) {
		errno = EINVAL;
		goto fail;
	}
	a->pub.chid = m.chid;
	if ((a->pub.mntid = __libc_namesrv(&m, sizeof(m), NULL, 0)) < 0)
		goto fail;
	return &a->pub;
fail:
	err = errno;
	if (a->own_connect)
		message_detach(dpp, _IO_CONNECT, _IO_CONNECT, 0);
	if (a->own_dpp && dpp)
		dispatch_destroy(dpp);
	free(a);
	errno = err;
	return NULL;
}

int name_detach(name_attach_t *attach, unsigned flags)
{
	struct attach *a = (struct attach *)attach;

	if (!a || (flags & ~(unsigned)NAME_FLAG_DETACH_SAVEDPP)) {
		errno = EINVAL;
		return -1;
	}
	struct _name_detach_req m = {.type = _NAME_DETACH, .id = a->pub.mntid};
	if (__libc_namesrv(&m, sizeof(m), NULL, 0) < 0)
		return -1;
	/* A dispatch that stays keeps answering _IO_CONNECT: other names
	 * may share it. */
	int r = 0;
	if (a->own_dpp && !(flags & NAME_FLAG_DETACH_SAVEDPP))
		r = dispatch_destroy(a->pub.dpp);
	free(a);
	return r;
}

int name_open(const char *name, int flags)
{
	struct _name_query_req q = {.type = _NAME_QUERY};
	struct _name_server s;
	int err = flags & NAME_FLAG_ATTACH_GLOBAL ? ENOTSUP : flags ? EINVAL : 0;

	/* The full path names the same thing. */
	if (name && !strncmp(name, LOCAL_PREFIX, strlen(LOCAL_PREFIX)))
		name += strlen(LOCAL_PREFIX);
	if (!err)
		err = take_name(name, q.name);
	if (err) {
		errno = err;
		return -1;
	}
	if (__libc_namesrv(&q, sizeof(q), &s, sizeof(s)) < 0)
		return -1;
	int coid = ConnectAttach_r(ND_LOCAL_NODE, s.pid, s.chid, 0, _NTO_COF_CLOEXEC);
	if (coid < 0) {
		/* Its server ended before namesrv heard of it: no such name. */
		errno = coid == -ESRCH || coid == -ENXIO ? ENOENT : -coid;
		return -1;
	}
	size_t plen = strlen(q.name) + 1;
	struct _io_connect c = {
	    .type = _IO_CONNECT,
	    .subtype = _IO_CONNECT_OPEN,
	    .path_len = (uint16_t)plen,
	};
	iov_t iov[2];
	SETIOV(&iov[0], &c, offsetof(struct _io_connect, path));
	SETIOV(&iov[1], q.name, plen);
	long r = MsgSendv_r(coid, iov, 2, NULL, 0);
	if (r < 0) {
		ConnectDetach(coid);
		errno = r == -ESRCH || r == -EBADF ? ENOENT : (int)-r;
		return -1;
	}
	return coid;
}

int name_close(int coid)
{
	return ConnectDetach(coid);
}
