/*
 * devctl() (<devctl.h>): one _IO_DEVCTL message on the fd, the data
 * after the header going out when the command's direction says
 * DEVDIR_TO and coming back after the reply's header when it says
 * DEVDIR_FROM. Returns the errno value rather than setting errno, as
 * QNX's does.
 */
#include <devctl.h>
#include <errno.h>
#include <stdint.h>
#include <sys/iomsg.h>
#include <sys/neutrino.h>

#include "libc.h"

int devctl(int fd, int dcmd, void *data, size_t nbytes, int *info)
{
	unsigned dir = (unsigned)dcmd;

	if (fd < 0 || fd >= _NTO_SIDE_CHANNEL)
		return EBADF;
	if (nbytes > UINT32_MAX)
		return EINVAL;
	struct _io_devctl m = {.type = _IO_DEVCTL, .dcmd = dcmd, .nbytes = (uint32_t)nbytes};
	struct _io_devctl_reply r = {0};
	iov_t out[2], in[2];
	SETIOV(&out[0], &m, sizeof(m));
	SETIOV(&out[1], data, dir & DEVDIR_TO ? nbytes : 0);
	SETIOV(&in[0], &r, sizeof(r));
	SETIOV(&in[1], data, dir & DEVDIR_FROM ? nbytes : 0);
	long st = MsgSendv_r(fd, out, 2, in, 2);
	if (st < 0)
		return __libc_fd_errno(st);
	if (info)
		*info = r.ret_val;
	return EOK;
}
