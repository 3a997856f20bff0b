/*
 * namesrv's pathname space: _NAME_PATH_ATTACH, _NAME_PATH_DETACH and
 * _NAME_PATH_RESOLVE (<sys/namemsg.h>) on the table of prefixes that
 * resource managers attach (resmgr_attach), resolved by the longest
 * prefix for open(). As names.c: every request is checked before it
 * touches the table, and a process's prefixes go when its connection to
 * us does (paths_forget, from the disconnect pulse).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/namemsg.h>
#include <unistd.h>

#include "namesrv.h"

#define PATHS_MAX    64 /* in all: EAGAIN */
#define PER_PROC_MAX 16 /* one process's: EAGAIN */

static struct prefix {
	int id; /* 0: a free slot */
	int pid, chid, handle;
	int scoid; /* the owner's connection to us, as its pulse names it */
	size_t len;
	char path[_NAME_PATH_MAX + 1];
} paths[PATHS_MAX];

union paths_msg {
	uint16_t type;
	struct _name_path_attach_req attach;
	struct _name_path_detach_req detach;
	struct _name_path_resolve_req resolve;
};

/* The path field ends inside itself and is absolute, with no empty,
 * "." or ".." component and no '/' at its end (but "/"): 0 or errno. */
static int check_path(const char *field)
{
	size_t len = strnlen(field, _NAME_PATH_MAX + 1);

	if (len > _NAME_PATH_MAX)
		return ENAMETOOLONG;
	if (field[0] != '/')
		return EINVAL;
	if (len == 1)
		return 0;
	for (const char *c = field + 1;;) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		if (!n || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return EINVAL;
		if (!c[n])
			return 0;
		c += n + 1;
	}
}

/* p holds path: path is p, or p followed by '/' and more. */
static int holds(const struct prefix *p, const char *path)
{
	if (p->len == 1)
		return 1; /* "/" holds every path */
	return !strncmp(p->path, path, p->len) && (!path[p->len] || path[p->len] == '/');
}

static int attach(const struct _name_path_attach_req *m, const struct _msg_info *info)
{
	int err = check_path(m->path), held = 0;
	struct prefix *slot = NULL;

	if (err)
		return -err;
	if (m->chid <= 0)
		return -EINVAL;
	for (int i = 0; i < PATHS_MAX; i++) {
		if (paths[i].id && !strcmp(paths[i].path, m->path))
			return -EEXIST;
		if (!paths[i].id && !slot)
			slot = &paths[i];
		held += paths[i].id && paths[i].pid == info->pid;
	}
	if (!slot || held >= PER_PROC_MAX)
		return -EAGAIN;
	int id = new_id();
	*slot =
	    (struct prefix){id, info->pid, m->chid, m->handle, info->scoid, strlen(m->path), {0}};
	memcpy(slot->path, m->path, sizeof(slot->path));
	return id;
}

static int detach(const struct _name_path_detach_req *m, const struct _msg_info *info)
{
	for (int i = 0; i < PATHS_MAX; i++) {
		if (!paths[i].id || paths[i].id != m->id)
			continue;
		if (paths[i].pid != info->pid)
			return -EPERM;
		paths[i].id = 0;
		return 0;
	}
	return -ENOENT;
}

static int resolve(int rcvid, const struct _name_path_resolve_req *m)
{
	int err = check_path(m->path);
	const struct prefix *best = NULL;

	if (err)
		return -err;
	for (int i = 0; i < PATHS_MAX; i++)
		if (paths[i].id && holds(&paths[i], m->path) && (!best || paths[i].len > best->len))
			best = &paths[i];
	/* A directory only implied by what is attached is ours (dirs.c):
	 * the whole path goes to us as the rest. */
	if (!best && dirs_is_dir(m->path)) {
		struct _name_resolved r = {getpid(), namesrv_chid, 0, 0};
		MsgReply(rcvid, 0, &r, sizeof(r));
		return 0;
	}
	if (!best)
		return -ENOENT;
	struct _name_resolved r = {best->pid, best->chid, best->handle, (uint32_t)best->len};
	MsgReply(rcvid, 0, &r, sizeof(r));
	return 0;
}

static size_t size_of(uint16_t type)
{
	switch (type) {
	case _NAME_PATH_ATTACH:
		return sizeof(struct _name_path_attach_req);
	case _NAME_PATH_DETACH:
		return sizeof(struct _name_path_detach_req);
	case _NAME_PATH_RESOLVE:
		return sizeof(struct _name_path_resolve_req);
	default:
		return 0;
	}
}

int paths_request(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)flags;
	(void)handle;
	union paths_msg m;
	size_t want = size_of((uint16_t)code);
	int r = request_fits(ctp, want);

	if (!r) {
		memcpy(&m, ctp->msg, want);
		r = code == _NAME_PATH_ATTACH	? attach(&m.attach, &ctp->info)
		    : code == _NAME_PATH_DETACH ? detach(&m.detach, &ctp->info)
						: resolve(ctp->rcvid, &m.resolve);
		if (code == _NAME_PATH_RESOLVE && r == 0)
			return 0; /* replied with the owner */
	}
	answer(ctp, r);
	return 0;
}

const char *paths_nth(int i)
{
	if (i < 0 || i >= PATHS_MAX)
		return NULL;
	return paths[i].id ? paths[i].path : "";
}

void paths_forget(int scoid)
{
	for (int i = 0; i < PATHS_MAX; i++)
		if (paths[i].id && paths[i].scoid == scoid)
			paths[i].id = 0;
}
