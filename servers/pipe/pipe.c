/*
 * The pipe manager's handlers. A pipe is made by an open of "/dev/pipe"
 * for reading (its read end; fstat's st_ino is the pipe's number), and
 * its write end by the same process opening "/dev/pipe/NUMBER" for
 * writing, once: libc's pipe() does both, so nobody else can join a
 * pipe except through the fds its maker passes on (dup, spawn).
 *
 * Each pipe is a ring of PIPE_SIZE bytes. A read takes what is there
 * (at most what it asked for), or 0 once no writer is left (end of
 * file), and is held while the pipe is empty and a writer remains. A
 * write copies what fits and is held until the rest does; with no
 * reader left it fails with EPIPE (libc raises SIGPIPE), or reports the
 * bytes it had written. Held requests are served in arrival order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/iofunc.h>
#include <sys/neutrino.h>
#include <sys/stat.h>

#include "pipe.h"

#define PIPE_SIZE 4096
#define MAX_HELD  128

struct pipe {
	iofunc_attr_t attr; /* first: the OCBs' attr points here */
	struct pipe *next;
	pid_t maker;	/* who may open the write end */
	int had_writer; /* the write end was opened (once only) */
	unsigned head;	/* the oldest byte */
	unsigned used;	/* bytes in the ring */
	char ring[PIPE_SIZE];
};

enum { H_READ, H_WRITE };

struct held {
	int rcvid;
	int kind;
	iofunc_ocb_t *ocb;
	size_t want; /* a read's nbytes, a write's whole length */
	size_t done; /* a write's bytes copied so far */
};

static struct pipe *pipes;
static ino_t next_number = 1;
static struct held held[MAX_HELD];
static unsigned nheld;

static struct pipe *pipe_of(iofunc_ocb_t *ocb)
{
	return (struct pipe *)ocb->attr;
}

/* Held requests stay in arrival order. */
static void drop(struct held *h)
{
	nheld--;
	memmove(h, h + 1, (size_t)(&held[nheld] - h) * sizeof(*h));
}

/* Answers a held read from the ring (or with end of file): whether it
 * could be answered. */
static int serve_read(struct held *h)
{
	struct pipe *p = pipe_of(h->ocb);
	char buf[PIPE_SIZE];

	if (!p->used)
		return p->attr.wcount == 0 ? (MsgReply(h->rcvid, 0, NULL, 0), 1) : 0;
	size_t n = h->want < p->used ? h->want : p->used;
	for (size_t i = 0; i < n; i++)
		buf[i] = p->ring[(p->head + i) % PIPE_SIZE];
	/* The bytes are consumed only if the reader took them. */
	if (MsgReply(h->rcvid, (long)n, buf, n) == 0) {
		p->head = (p->head + (unsigned)n) % PIPE_SIZE;
		p->used -= (unsigned)n;
	}
	return 1;
}

/* Copies what fits of a held write into the ring and answers it once
 * all of it is in: whether it was answered. */
static int serve_write(struct held *h)
{
	struct pipe *p = pipe_of(h->ocb);
	char buf[PIPE_SIZE];

	if (!p->attr.rcount) {
		if (h->done)
			MsgReply(h->rcvid, (long)h->done, NULL, 0);
		else
			MsgError(h->rcvid, EPIPE);
		return 1;
	}
	size_t room = PIPE_SIZE - p->used, n = h->want - h->done;
	n = n < room ? n : room;
	if (n) {
		ssize_t got = MsgRead(h->rcvid, buf, n, sizeof(io_write_t) + h->done);
		if (got < 0) {
			MsgError(h->rcvid, errno);
			return 1;
		}
		for (ssize_t i = 0; i < got; i++)
			p->ring[(p->head + p->used + (unsigned)i) % PIPE_SIZE] = buf[i];
		p->used += (unsigned)got;
		h->done += (size_t)got;
	}
	if (h->done < h->want)
		return 0;
	MsgReply(h->rcvid, (long)h->done, NULL, 0);
	return 1;
}

/* Serves p's held requests, first come first served on each end, until
 * none can go on: a read makes room for a write and a write data for a
 * read. */
static void progress(struct pipe *p)
{
	int moved = 1;

	while (moved) {
		moved = 0;
		for (int kind = H_READ; kind <= H_WRITE; kind++)
			for (unsigned i = 0; i < nheld; i++) {
				struct held *h = &held[i];
				if (h->kind != kind || pipe_of(h->ocb) != p)
					continue;
				if (!(kind == H_READ ? serve_read(h) : serve_write(h)))
					break; /* the later ones wait behind it */
				drop(h);
				i--;
				moved = 1;
			}
	}
}

static int hold(resmgr_context_t *ctp, int kind, iofunc_ocb_t *ocb, size_t want)
{
	if (nheld == MAX_HELD)
		return EAGAIN;
	held[nheld++] = (struct held){ctp->rcvid, kind, ocb, want, 0};
	progress(pipe_of(ocb));
	return _RESMGR_NOREPLY;
}

static int pipe_open(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *handle, void *extra)
{
	uint32_t access = msg->i.ioflag & (_IO_FLAG_RD | _IO_FLAG_WR);
	struct pipe *p;
	int err;

	(void)handle;
	if (!msg->i.path[0]) {
		/* A new pipe, this open its read end. */
		if (access != _IO_FLAG_RD)
			return EINVAL;
		if (!(p = calloc(1, sizeof(*p))))
			return ENOMEM;
		iofunc_attr_init(&p->attr, S_IFIFO | 0600, NULL, NULL);
		p->attr.inode = next_number++;
		p->maker = ctp->info.pid;
		if ((err = iofunc_open_default(ctp, msg, &p->attr, extra)) != EOK) {
			free(p);
			return err;
		}
		p->next = pipes;
		pipes = p;
		return EOK;
	}
	char *end;
	unsigned long number = strtoul(msg->i.path, &end, 10);
	for (p = pipes; p && p->attr.inode != (ino_t)number; p = p->next)
		;
	if (*end || !p)
		return ENOENT;
	if (access != _IO_FLAG_WR || p->had_writer || p->maker != ctp->info.pid)
		return EACCES;
	if ((err = iofunc_open_default(ctp, msg, &p->attr, extra)) == EOK)
		p->had_writer = 1;
	return err;
}

static int pipe_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = pipe_of(ocb);
	int nonblock, err;

	if ((err = iofunc_read_verify(ctp, msg, ocb, &nonblock)) != EOK)
		return err;
	if (msg->i.nbytes <= 0) {
		_IO_SET_READ_NBYTES(ctp, 0);
		return EOK;
	}
	if (nonblock && !p->used && p->attr.wcount)
		return EAGAIN;
	return hold(ctp, H_READ, ocb, (size_t)msg->i.nbytes);
}

static int pipe_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = pipe_of(ocb);
	int nonblock, err;

	if ((err = iofunc_write_verify(ctp, msg, ocb, &nonblock)) != EOK)
		return err;
	if (!p->attr.rcount)
		return EPIPE;
	if (msg->i.nbytes <= 0) {
		_IO_SET_WRITE_NBYTES(ctp, 0);
		return EOK;
	}
	if (nonblock && p->used == PIPE_SIZE)
		return EAGAIN;
	return hold(ctp, H_WRITE, ocb, (size_t)msg->i.nbytes);
}

static int pipe_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb)
{
	struct pipe *p = pipe_of(ocb);

	/* Its held requests go with it (a living client's: EBADF). */
	for (unsigned i = 0; i < nheld; i++)
		if (held[i].ocb == ocb) {
			MsgError(held[i].rcvid, EBADF);
			drop(&held[i]);
			i--;
		}
	iofunc_close_ocb_default(ctp, reserved, ocb);
	if (p->attr.count) {
		progress(p); /* end of file, or EPIPE, for the other end */
		return EOK;
	}
	struct pipe **pp = &pipes;
	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	free(p);
	return EOK;
}

void pipe_unblock(int rcvid)
{
	for (unsigned i = 0; i < nheld; i++) {
		struct held *h = &held[i];
		if (h->rcvid != rcvid)
			continue;
		if (h->kind == H_WRITE && h->done)
			MsgReply(rcvid, (long)h->done, NULL, 0);
		else
			MsgError(rcvid, EINTR);
		drop(h);
		return;
	}
}

const resmgr_connect_funcs_t pipe_connect_funcs = {_RESMGR_CONNECT_NFUNCS, pipe_open, NULL};
resmgr_io_funcs_t pipe_io_funcs;

void pipe_init(void)
{
	iofunc_func_init(0, NULL, _RESMGR_IO_NFUNCS, &pipe_io_funcs);
	pipe_io_funcs.read = pipe_read;
	pipe_io_funcs.write = pipe_write;
	pipe_io_funcs.close_ocb = pipe_close_ocb;
}
