/*
 * Requests to namesrv, the name server (DESIGN.md §4: 0x0200-0x02FF),
 * which every process proc spawns sends through its NAMESRV_COID
 * connection (<sys/ktypes.h>). libc's name_attach, name_detach and
 * name_open (libc/name.c) send them; servers/namesrv serves them. Each
 * request is exactly its structure: shorter EINVAL, longer EMSGSIZE,
 * another type of the range ENOSYS.
 *
 * A name is one component of /dev/name/local/: 1.._NAME_MAX bytes, no
 * '/', not "." or ".." (EINVAL), ending in 0 inside its field
 * (ENAMETOOLONG).
 */
#ifndef _SYS_NAMEMSG_H_INCLUDED
#define _SYS_NAMEMSG_H_INCLUDED

#include <stdint.h>

#define _NAME_BASE     0x0200
#define _NAME_MAX_TYPE 0x02ff

#define _NAME_MAX 47 /* bytes of a name, without its 0 */

/* _NAME_ATTACH: the sender's channel chid gets the name; reply status
 * its id (> 0, for _NAME_DETACH). EEXIST: the name is taken; EAGAIN:
 * too many names (per process or in all). The name goes when its
 * process detaches it or ends. */
#define _NAME_ATTACH 0x0200
/* _NAME_DETACH: the name with that id goes. ENOENT: no such name;
 * EPERM: another process's. */
#define _NAME_DETACH 0x0201
/* _NAME_QUERY: who serves the name: reply data struct _name_server.
 * ENOENT: nobody. */
#define _NAME_QUERY 0x0202

/*
 * The pathname space (resmgr_attach, open). A prefix is an absolute
 * path of at most _NAME_PATH_MAX bytes: '/' alone, or '/'-separated
 * components, none empty, "." or ".." (EINVAL), no '/' at its end.
 *
 * _NAME_PATH_ATTACH: the sender's channel chid serves the prefix; handle
 * is the sender's own number for it, given back by _NAME_PATH_RESOLVE
 * (the _IO_CONNECT handle). Reply status: the attachment's id (> 0).
 * EEXIST: the prefix is taken; EAGAIN: too many (per process or in all).
 * It goes when its process detaches it or ends. */
#define _NAME_PATH_ATTACH 0x0210
/* _NAME_PATH_DETACH: the attachment with that id goes (ENOENT, EPERM as
 * _NAME_DETACH). */
#define _NAME_PATH_DETACH 0x0211
/* _NAME_PATH_RESOLVE: who serves path, by the longest prefix that holds
 * it (the whole of it, or up to a '/'): reply data struct
 * _name_resolved. ENOENT: nobody. */
#define _NAME_PATH_RESOLVE 0x0212

#define _NAME_PATH_MAX 255 /* bytes of a path, without its 0 */

struct _name_attach_req {
	uint16_t type; /* _NAME_ATTACH */
	uint16_t zero;
	int32_t chid;
	char name[_NAME_MAX + 1];
};

struct _name_detach_req {
	uint16_t type; /* _NAME_DETACH */
	uint16_t zero;
	int32_t id;
};

struct _name_query_req {
	uint16_t type; /* _NAME_QUERY */
	uint16_t zero;
	uint32_t zero2;
	char name[_NAME_MAX + 1];
};

struct _name_server {
	int32_t pid;
	int32_t chid;
};

struct _name_path_attach_req {
	uint16_t type; /* _NAME_PATH_ATTACH */
	uint16_t zero;
	int32_t chid;
	int32_t handle;
	uint32_t zero2;
	char path[_NAME_PATH_MAX + 1];
};

struct _name_path_detach_req {
	uint16_t type; /* _NAME_PATH_DETACH */
	uint16_t zero;
	int32_t id;
};

struct _name_path_resolve_req {
	uint16_t type; /* _NAME_PATH_RESOLVE */
	uint16_t zero;
	uint32_t zero2;
	char path[_NAME_PATH_MAX + 1];
};

struct _name_resolved {
	int32_t pid;
	int32_t chid;
	int32_t handle;	     /* the owner's handle of the prefix */
	uint32_t prefix_len; /* bytes of the path the prefix took */
};

#endif
