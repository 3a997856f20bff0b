/*
 * The file the test resource managers serve (test_resmgr, test_fd): 4 KiB
 * of data behind one iofunc attribute, read and written at an OCB's
 * offset (O_APPEND at the end; ENOSPC past the 4 KiB), and the request
 * the tests synchronise on: a struct req of the test's T_OPENS type,
 * answered (with the count) once the file has value OCBs.
 */
#ifndef TESTS_USER_MEMFILE_H
#define TESTS_USER_MEMFILE_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/iofunc.h>
#include <sys/neutrino.h>

struct req {
	uint16_t type;
	uint16_t zero;
	int32_t value;
};

static char data[4096];
static iofunc_attr_t attr;
static int opens_rcvid, opens_want; /* a held T_OPENS */

static void answer_opens(void)
{
	if (opens_rcvid && attr.count == opens_want) {
		MsgReply(opens_rcvid, attr.count, NULL, 0);
		opens_rcvid = 0;
	}
}

static int on_opens(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	if (ctp->size < (int)sizeof(struct req)) {
		MsgError(ctp->rcvid, EINVAL);
		return 0;
	}
	opens_rcvid = ctp->rcvid;
	opens_want = ((struct req *)ctp->msg)->value;
	answer_opens();
	return 0;
}

/* The default, and a held T_OPENS may now be answered. */
static int file_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb)
{
	int r = iofunc_close_ocb_default(ctp, reserved, ocb);
	answer_opens();
	return r;
}

static int file_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	int r = iofunc_read_verify(ctp, msg, ocb, NULL);
	if (r != EOK)
		return r;
	off_t left = ocb->attr->nbytes - ocb->offset;
	size_t n = left <= 0 ? 0 : (size_t)left;
	if (n > (size_t)msg->i.nbytes)
		n = (size_t)msg->i.nbytes;
	SETIOV(&ctp->iov[0], data + ocb->offset, n);
	ocb->offset += (off_t)n;
	_IO_SET_READ_NBYTES(ctp, (int)n);
	return _RESMGR_NPARTS(n ? 1 : 0);
}

static int file_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	int r = iofunc_write_verify(ctp, msg, ocb, NULL);
	if (r != EOK)
		return r;
	if (ocb->ioflag & O_APPEND)
		ocb->offset = ocb->attr->nbytes;
	size_t room = ocb->offset < (off_t)sizeof(data) ? sizeof(data) - (size_t)ocb->offset : 0;
	size_t n = (size_t)msg->i.nbytes < room ? (size_t)msg->i.nbytes : room;
	if (!n && msg->i.nbytes)
		return ENOSPC;
	/* The data follows the header in the client's message, past what
	 * the receive buffer may hold. */
	if (resmgr_msgread(ctp, data + ocb->offset, n, sizeof(msg->i)) != (ssize_t)n)
		return EFAULT;
	ocb->offset += (off_t)n;
	if (ocb->offset > ocb->attr->nbytes)
		ocb->attr->nbytes = ocb->offset;
	_IO_SET_WRITE_NBYTES(ctp, (int)n);
	return EOK;
}

#endif
