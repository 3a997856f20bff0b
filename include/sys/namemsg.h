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

#endif
