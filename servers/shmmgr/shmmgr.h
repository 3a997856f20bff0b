/*
 * What shmmgr's parts share: the objects and opens (objects.c) and the
 * handles (handles.c).
 */
#ifndef SERVERS_SHMMGR_H
#define SERVERS_SHMMGR_H

#include <stdint.h>
#include <sys/types.h>

struct shm_ocb;
#define RESMGR_OCB_T	struct shm_ocb
#define RESMGR_HANDLE_T void
#include <sys/resmgr.h>

/* A shared-memory object: a kernel memory object of ours and what keeps
 * it: its name, its opens, the handles not yet used. */
struct shm_obj {
	struct shm_obj *next; /* in the list of all of them */
	char *name;	      /* NULL: unlinked, or made with SHM_ANON */
	int memid;	      /* the kernel's memory object (KerMemObj*) */
	uint64_t size;	      /* bytes, as ftruncate set it */
	mode_t mode;	      /* permission bits */
	ino_t ino;
	unsigned opens;	  /* OCBs on it */
	unsigned handles; /* handles made and not yet used */
};

/* One open (an fd): its object and access (_IO_FLAG_RD/WR). */
struct shm_ocb {
	struct shm_obj *obj;
	uint32_t ioflag;
};

/* main.c: the link id of /dev/shmem (resmgr_open_bind wants it). */
extern int shm_link_id;

/* objects.c: the I/O and connect tables' handlers. */
extern const resmgr_connect_funcs_t shm_connect_funcs;
extern const resmgr_io_funcs_t shm_io_funcs;
/* A new open of obj with ioflag bound to ctp's connection: EOK or errno. */
int shm_bind_open(resmgr_context_t *ctp, struct shm_obj *obj, uint32_t ioflag);
/* obj goes if nothing keeps it any more. */
void shm_obj_release(struct shm_obj *obj);

/* handles.c: shm_create_handle (_IO_MSG on an fd), shm_open_handle
 * (_SHM_OPEN_HANDLE), and the handles of an open that closes. */
int shm_io_msg(resmgr_context_t *ctp, io_msg_t *msg, struct shm_ocb *ocb);
int shm_open_handle_request(message_context_t *ctp, int code, unsigned flags, void *handle);
void shm_handles_forget(const struct shm_ocb *ocb);

#endif
