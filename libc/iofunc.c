/*
 * The iofunc layer (<sys/iofunc.h>): attribute and OCB helpers and the
 * default handlers a resource manager gets from iofunc_func_init(),
 * with POSIX's semantics as QNX's documentation gives them (read: zero
 * bytes; write: every byte, kept nowhere).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dcmd_all.h>
#include <sys/iofunc.h>
#include <unistd.h>

void iofunc_attr_init(iofunc_attr_t *attr, mode_t mode, iofunc_attr_t *dattr,
		      struct _client_info *info)
{
	(void)dattr; /* no directories to inherit from yet */
	(void)info;  /* owned by root: no credentials to take yet */
	memset(attr, 0, sizeof(*attr));
	attr->mode = mode & S_IFMT ? mode : mode | S_IFREG;
	attr->nlink = 1;
}

void iofunc_func_init(unsigned nconnect, resmgr_connect_funcs_t *connect, unsigned nio,
		      resmgr_io_funcs_t *io)
{
	if (connect) {
		memset(connect, 0, sizeof(*connect));
		connect->nfuncs =
		    nconnect < _RESMGR_CONNECT_NFUNCS ? nconnect : _RESMGR_CONNECT_NFUNCS;
		if (connect->nfuncs >= 1)
			connect->open = iofunc_open_default;
		if (connect->nfuncs >= 2)
			connect->unlink = NULL; /* none by default (QNX): ENOSYS */
	}
	if (!io)
		return;
	memset(io, 0, sizeof(*io));
	io->nfuncs = nio < _RESMGR_IO_NFUNCS ? nio : _RESMGR_IO_NFUNCS;
	/* Each in its table order, as far as the table reaches. */
	if (io->nfuncs >= 1)
		io->read = iofunc_read_default;
	if (io->nfuncs >= 2)
		io->write = iofunc_write_default;
	if (io->nfuncs >= 3)
		io->close_ocb = iofunc_close_ocb_default;
	if (io->nfuncs >= 4)
		io->stat = iofunc_stat_default;
	if (io->nfuncs >= 5)
		io->lseek = iofunc_lseek_default;
	if (io->nfuncs >= 6)
		io->close_dup = iofunc_close_dup_default;
	if (io->nfuncs >= 7)
		io->devctl = iofunc_devctl_default;
}

int iofunc_open_default(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *attr, void *extra)
{
	(void)extra;
	uint32_t ioflag = msg->i.ioflag;

	if (!(ioflag & (_IO_FLAG_RD | _IO_FLAG_WR)))
		return EINVAL;
	iofunc_ocb_t *ocb = calloc(1, sizeof(*ocb));
	if (!ocb)
		return ENOMEM;
	ocb->attr = attr;
	ocb->ioflag = (int32_t)ioflag;
	if (resmgr_open_bind(ctp, ocb, NULL) < 0) {
		free(ocb);
		return ENOMEM;
	}
	if ((ioflag & O_TRUNC) && (ioflag & _IO_FLAG_WR))
		attr->nbytes = 0;
	attr->count++;
	attr->rcount += (ioflag & _IO_FLAG_RD) != 0;
	attr->wcount += (ioflag & _IO_FLAG_WR) != 0;
	return EOK;
}

static int verify(iofunc_ocb_t *ocb, uint32_t xtype, int need, int *nonblock)
{
	if (!(ocb->ioflag & need))
		return EBADF;
	if ((xtype & _IO_XTYPE_MASK) != _IO_XTYPE_NONE)
		return ENOSYS;
	if (nonblock)
		*nonblock = (ocb->ioflag & O_NONBLOCK) != 0;
	return EOK;
}

int iofunc_read_verify(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb, int *nonblock)
{
	(void)ctp;
	return verify(ocb, msg->i.xtype, _IO_FLAG_RD, nonblock);
}

int iofunc_write_verify(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb, int *nonblock)
{
	(void)ctp;
	return verify(ocb, msg->i.xtype, _IO_FLAG_WR, nonblock);
}

int iofunc_read_default(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	int r = iofunc_read_verify(ctp, msg, ocb, NULL);
	if (r != EOK)
		return r;
	_IO_SET_READ_NBYTES(ctp, 0);
	return _RESMGR_NPARTS(0);
}

int iofunc_write_default(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	int r = iofunc_write_verify(ctp, msg, ocb, NULL);
	if (r != EOK)
		return r;
	_IO_SET_WRITE_NBYTES(ctp, msg->i.nbytes);
	return _RESMGR_NPARTS(0);
}

int iofunc_lseek_default(resmgr_context_t *ctp, io_lseek_t *msg, iofunc_ocb_t *ocb)
{
	off_t base, off = (off_t)msg->i.offset;

	switch (msg->i.whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = ocb->offset;
		break;
	case SEEK_END:
		base = ocb->attr->nbytes;
		break;
	default:
		return EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off))
		return EOVERFLOW;
	if (base + off < 0)
		return EINVAL;
	ocb->offset = base + off;
	msg->o = (uint64_t)ocb->offset;
	SETIOV(&ctp->iov[0], &msg->o, sizeof(msg->o));
	return _RESMGR_NPARTS(1);
}

int iofunc_stat(resmgr_context_t *ctp, iofunc_attr_t *attr, struct stat *st)
{
	(void)ctp;
	memset(st, 0, sizeof(*st));
	st->st_ino = attr->inode;
	st->st_size = attr->nbytes;
	st->st_rdev = attr->rdev;
	st->st_uid = attr->uid;
	st->st_gid = attr->gid;
	st->st_mtime = attr->mtime;
	st->st_atime = attr->atime;
	st->st_ctime = attr->ctime;
	st->st_mode = attr->mode;
	st->st_nlink = attr->nlink;
	st->st_blksize = 512;
	st->st_blocks = (attr->nbytes + 511) / 512;
	return EOK;
}

int iofunc_stat_default(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *ocb)
{
	iofunc_stat(ctp, ocb->attr, &msg->o);
	SETIOV(&ctp->iov[0], &msg->o, sizeof(msg->o));
	return _RESMGR_NPARTS(1);
}

int iofunc_close_dup_default(resmgr_context_t *ctp, io_close_t *msg, iofunc_ocb_t *ocb)
{
	(void)ctp;
	(void)msg;
	(void)ocb;
	return EOK;
}

int iofunc_close_ocb_default(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb)
{
	(void)ctp;
	(void)reserved;
	iofunc_attr_t *attr = ocb->attr;
	attr->count--;
	attr->rcount -= (ocb->ioflag & _IO_FLAG_RD) != 0;
	attr->wcount -= (ocb->ioflag & _IO_FLAG_WR) != 0;
	free(ocb);
	return EOK;
}

/* The open's flags that SETFLAGS may change (fcntl's F_SETFL). */
#define SETTABLE_FLAGS (O_APPEND | O_NONBLOCK)

int iofunc_devctl_default(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *ocb)
{
	int flags;
	iov_t iov[2];

	switch (msg->i.dcmd) {
	case DCMD_ALL_GETFLAGS:
		/* The access mode as open() took it, not as a bit pair. */
		flags = (int)(ocb->ioflag & ~(uint32_t)(_IO_FLAG_RD | _IO_FLAG_WR)) |
			(int)((ocb->ioflag & (_IO_FLAG_RD | _IO_FLAG_WR)) - 1);
		break;
	case DCMD_ALL_SETFLAGS:
		if (msg->i.nbytes != sizeof(int) ||
		    (size_t)ctp->size < sizeof(msg->i) + sizeof(int))
			return EINVAL;
		memcpy(&flags, _DEVCTL_DATA(msg->i), sizeof(flags));
		ocb->ioflag =
		    (ocb->ioflag & ~(uint32_t)SETTABLE_FLAGS) | ((uint32_t)flags & SETTABLE_FLAGS);
		break;
	default:
		return ENOTTY;
	}
	int get = msg->i.dcmd == DCMD_ALL_GETFLAGS;
	memset(&msg->o, 0, sizeof(msg->o));
	msg->o.nbytes = get ? sizeof(flags) : 0;
	SETIOV(&iov[0], &msg->o, sizeof(msg->o));
	SETIOV(&iov[1], &flags, sizeof(flags));
	MsgReplyv(ctp->rcvid, EOK, iov, get ? 2 : 1);
	return _RESMGR_NOREPLY;
}
