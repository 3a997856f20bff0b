/* devc-ser's resource-manager handlers (io.c), for main.c's tables. */
#ifndef DEVC_SER_IO_H
#define DEVC_SER_IO_H

#include <sys/iofunc.h>

int io_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb);
int io_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb);
int io_devctl(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *ocb);
int io_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb);
/* _PULSE_CODE_UNBLOCK: the client of rcvid wants out (a signal). */
void io_unblock(int rcvid);

#endif
