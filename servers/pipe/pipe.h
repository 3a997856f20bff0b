/*
 * The pipe manager's state and handlers (servers/pipe): main.c sets up
 * the dispatch, pipe.c serves the opens, reads, writes and closes.
 */
#ifndef PIPE_H
#define PIPE_H

#include <sys/dispatch.h>
#include <sys/iofunc.h>

extern const resmgr_connect_funcs_t pipe_connect_funcs;
extern resmgr_io_funcs_t pipe_io_funcs;

/* Sets up the I/O table (the iofunc defaults and ours). */
void pipe_init(void);
/* _PULSE_CODE_UNBLOCK: the client of rcvid wants out (a signal). */
void pipe_unblock(int rcvid);

#endif
