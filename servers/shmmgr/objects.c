/*
 * shmmgr's objects: the connect handlers (open with O_CREAT, O_EXCL,
 * O_TRUNC; unlink) and the I/O handlers of an open (fstat, ftruncate as
 * _IO_SPACE, mmap as _IO_MMAP, close). Names are one component under
 * /dev/shmem; "" with O_CREAT is SHM_ANON's unnamed object. An object
 * lives while it has a name, an open or a handle; its pages live on in
 * the kernel while some process has them mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/shmmsg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shmmgr.h"

#define ACCESS (_IO_FLAG_RD | _IO_FLAG_WR)

static struct shm_obj *objects;
static ino_t next_ino = 1;

static struct shm_obj *by_name(const char *name)
{
	for (struct shm_obj *o = objects; o; o = o->next)
		if (o->name && !strcmp(o->name, name))
			return o;
	return NULL;
}

void shm_obj_release(struct shm_obj *obj)
{
	if (obj->name || obj->opens || obj->handles)
		return;
	for (struct shm_obj **at = &objects; *at; at = &(*at)->next)
		if (*at == obj) {
			*at = obj->next;
			break;
		}
	KerMemObjDestroy(obj->memid); /* mapped pages stay with their mappers */
	free(obj);
}

int shm_bind_open(resmgr_context_t *ctp, struct shm_obj *obj, uint32_t ioflag)
{
	struct shm_ocb *ocb = malloc(sizeof(*ocb));

	if (!ocb)
		return ENOMEM;
	*ocb = (struct shm_ocb){obj, ioflag & ACCESS};
	ctp->id = shm_link_id;
	if (resmgr_open_bind(ctp, ocb, NULL) < 0) {
		free(ocb);
		return ENOMEM;
	}
	obj->opens++;
	return EOK;
}

/* The path names an object: 0 or errno. "" is allowed (SHM_ANON). */
static int check_name(const char *path)
{
	size_t len = strnlen(path, _SHM_NAME_MAX + 1);

	if (len > _SHM_NAME_MAX)
		return ENAMETOOLONG;
	if (strchr(path, '/') || !strcmp(path, ".") || !strcmp(path, ".."))
		return EINVAL;
	return 0;
}

static struct shm_obj *new_object(const char *name, mode_t mode, int *err)
{
	struct shm_obj *o = calloc(1, sizeof(*o));

	*err = ENOMEM;
	if (o && name && (o->name = malloc(strlen(name) + 1)))
		strcpy(o->name, name);
	if (!o || (name && !o->name)) {
		free(o);
		return NULL;
	}
	if ((o->memid = KerMemObjCreate_r(0)) < 0) {
		*err = -o->memid;
		free(o->name);
		free(o);
		return NULL;
	}
	o->mode = mode & 0777;
	o->ino = next_ino++;
	o->next = objects;
	objects = o;
	return o;
}

static int shm_open_handler(resmgr_context_t *ctp, io_open_t *msg, void *handle, void *extra)
{
	(void)handle;
	(void)extra;
	uint32_t ioflag = msg->i.ioflag;
	const char *path = msg->i.path;
	int err = check_name(path);

	if (err)
		return err;
	/* Read-only or read-write (POSIX shm_open). */
	if (!(ioflag & _IO_FLAG_RD))
		return EINVAL;
	struct shm_obj *o = *path ? by_name(path) : NULL;
	if (!*path && !(ioflag & O_CREAT))
		return EINVAL; /* /dev/shmem itself is no object */
	if (o && (ioflag & O_CREAT) && (ioflag & O_EXCL))
		return EEXIST;
	if (!o && !(ioflag & O_CREAT))
		return ENOENT;
	bool made = !o;
	if (made) {
		/* The creator gets its access whatever the mode says (POSIX). */
		if (!(o = new_object(*path ? path : NULL, msg->i.mode, &err)))
			return err;
	} else if (((ioflag & _IO_FLAG_RD) && !(o->mode & S_IRUSR)) ||
		   ((ioflag & _IO_FLAG_WR) && !(o->mode & S_IWUSR))) {
		return EACCES;
	}
	if (!made && (ioflag & O_TRUNC) && (ioflag & _IO_FLAG_WR) && o->size) {
		if ((err = -KerMemObjResize_r(o->memid, 0)))
			return err;
		o->size = 0;
	}
	if ((err = shm_bind_open(ctp, o, ioflag)))
		shm_obj_release(o);
	return err;
}

static int shm_unlink_handler(resmgr_context_t *ctp, io_unlink_t *msg, void *handle, void *reserved)
{
	(void)ctp;
	(void)handle;
	(void)reserved;
	int err = check_name(msg->i.path);
	struct shm_obj *o;

	if (err)
		return err;
	if (!*msg->i.path)
		return EINVAL;
	if (!(o = by_name(msg->i.path)))
		return ENOENT;
	free(o->name);
	o->name = NULL;
	shm_obj_release(o);
	return EOK;
}

static int shm_stat(resmgr_context_t *ctp, io_stat_t *msg, struct shm_ocb *ocb)
{
	struct stat *st = &msg->o;

	memset(st, 0, sizeof(*st));
	st->st_ino = ocb->obj->ino;
	st->st_size = (off_t)ocb->obj->size;
	st->st_mode = S_IFREG | ocb->obj->mode;
	st->st_nlink = ocb->obj->name ? 1 : 0;
	st->st_blksize = 4096;
	st->st_blocks = (st->st_size + 511) / 512;
	SETIOV(&ctp->iov[0], st, sizeof(*st));
	return _RESMGR_NPARTS(1);
}

/* ftruncate: F_FREESP from start to the end (len 0) sets the size to
 * start; F_ALLOCSP makes it at least start + len. */
static int shm_space(resmgr_context_t *ctp, io_space_t *msg, struct shm_ocb *ocb)
{
	struct shm_obj *o = ocb->obj;
	uint64_t start = msg->i.start, len = msg->i.len, size;

	(void)ctp;
	if (!(ocb->ioflag & _IO_FLAG_WR))
		return EBADF;
	if (msg->i.whence != SEEK_SET || start > INT64_MAX || len > INT64_MAX - start)
		return EINVAL;
	if (msg->i.subtype == F_FREESP && len == 0)
		size = start;
	else if (msg->i.subtype == F_ALLOCSP)
		size = start + len > o->size ? start + len : o->size;
	else
		return EINVAL;
	int r = KerMemObjResize_r(o->memid, size);
	if (r < 0)
		return -r;
	o->size = size;
	return EOK;
}

static int shm_mmap(resmgr_context_t *ctp, io_mmap_t *msg, struct shm_ocb *ocb)
{
	uint32_t flags = msg->i.flags;

	if (flags & MAP_PRIVATE)
		return ENOTSUP; /* no copy-on-write */
	if (!(flags & MAP_SHARED) || (flags & ~(MAP_SHARED | MAP_FIXED)))
		return EINVAL;
	if ((msg->i.prot & PROT_WRITE) && !(ocb->ioflag & _IO_FLAG_WR))
		return EACCES; /* wider than the open */
	/* Never executable: W^X would not hold across two mappings of
	 * one object, one writable and one executable. */
	if (msg->i.prot & PROT_EXEC)
		return EACCES;
	struct _memobj_map m = {
	    .offset = msg->i.offset,
	    .len = msg->i.len,
	    .addr = msg->i.addr,
	    .pid = ctp->info.pid,
	    .prot = (int32_t)msg->i.prot,
	    .maxprot = PROT_READ | (ocb->ioflag & _IO_FLAG_WR ? PROT_WRITE : 0),
	    .flags = (int32_t)(flags & MAP_FIXED),
	};
	long va = KerMemObjMap_r(ocb->obj->memid, &m);
	if (va < 0)
		return (int)-va;
	msg->o = (uint64_t)va;
	SETIOV(&ctp->iov[0], &msg->o, sizeof(msg->o));
	return _RESMGR_NPARTS(1);
}

static int shm_close_ocb(resmgr_context_t *ctp, void *reserved, struct shm_ocb *ocb)
{
	(void)ctp;
	(void)reserved;
	struct shm_obj *o = ocb->obj;

	shm_handles_forget(ocb);
	o->opens--;
	free(ocb);
	shm_obj_release(o);
	return EOK;
}

const resmgr_connect_funcs_t shm_connect_funcs = {
    .nfuncs = _RESMGR_CONNECT_NFUNCS,
    .open = shm_open_handler,
    .unlink = shm_unlink_handler,
};

const resmgr_io_funcs_t shm_io_funcs = {
    .nfuncs = _RESMGR_IO_NFUNCS,
    .close_ocb = shm_close_ocb,
    .stat = shm_stat,
    .space = shm_space,
    .mmap = shm_mmap,
    .msg = shm_io_msg,
};
