/*
 * Capturing what spawned programs write, for test_utils and
 * test_examples: a resource manager the test serves from a thread of its
 * own keeps every write to its path in got[] (ngot bytes, 0-ended), and
 * run() spawns a program with its stdout and stderr there. Each write is
 * answered once kept, so what the program wrote is in got by the time
 * waitpid returns.
 */
#ifndef TESTS_USER_CAPTURE_H
#define TESTS_USER_CAPTURE_H

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/dispatch.h>
#include <sys/iofunc.h>
#include <sys/wait.h>

static char got[4096];
static size_t ngot;
static iofunc_attr_t capture_attr;
static int capture_fd = -1;

static inline int capture_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	int r = iofunc_write_verify(ctp, msg, ocb, NULL);
	size_t n = (size_t)msg->i.nbytes;

	if (r != EOK)
		return r;
	if (n > sizeof(got) - 1 - ngot)
		return ENOSPC;
	if (resmgr_msgread(ctp, got + ngot, n, sizeof(msg->i)) != (ssize_t)n)
		return EFAULT;
	ngot += n;
	got[ngot] = 0;
	_IO_SET_WRITE_NBYTES(ctp, (int)n);
	return EOK;
}

static inline void *capture_serve(void *arg)
{
	dispatch_context_t *ctp = arg;

	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
	return NULL;
}

/* Attach path on dpp (which may serve other paths: attach them first) and
 * serve dpp from a new thread; then capture_fd is open on path. Whether
 * all went well. */
static inline int capture_start(dispatch_t *dpp, const char *path)
{
	static resmgr_connect_funcs_t cf;
	static resmgr_io_funcs_t io;
	dispatch_context_t *ctp;
	pthread_t th;

	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &io);
	io.write = capture_write;
	iofunc_attr_init(&capture_attr, S_IFCHR | 0666, NULL, NULL);
	if (!dpp || resmgr_attach(dpp, NULL, path, _FTYPE_ANY, 0, &cf, &io, &capture_attr) < 0 ||
	    !(ctp = dispatch_context_alloc(dpp)) || pthread_create(&th, NULL, capture_serve, ctp))
		return 0;
	capture_fd = open(path, O_WRONLY | O_CLOEXEC);
	return capture_fd >= 3;
}

/* Run argv with stdout and stderr on capture_fd: its exit status (128 +
 * the signal that ended it; -1 if it did not start), what it wrote in got. */
static inline int run(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;

	ngot = 0;
	got[0] = 0;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, capture_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, capture_fd, 2);
	int err = posix_spawn(&pid, argv[0], &fa, NULL, argv, NULL);
	posix_spawn_file_actions_destroy(&fa);
	if (err || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

#endif
