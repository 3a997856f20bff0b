/*
 * namesrv's handlers: _NAME_ATTACH, _NAME_DETACH and _NAME_QUERY
 * (<sys/namemsg.h>) on the table of local names. Every request is checked before it touches the
 * table; a bad one gets a QNX errno and nothing changes. names_forget
 * drops a process's names when its connection to us is gone.
 */
#include <errno.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/namemsg.h>

#include "namesrv.h"

#define NAMES_MAX    128 /* in all: EAGAIN */
#define PER_PROC_MAX 16	 /* one process's: EAGAIN */

static struct name {
	int id; /* 0: a free slot */
	int pid, chid;
	int scoid; /* the holder's connection to us, as its pulse names it */
	char name[_NAME_MAX + 1];
} names[NAMES_MAX];

/* The message as one of the range's structures: exactly its size. */
union names_msg {
	uint16_t type;
	struct _name_attach_req attach;
	struct _name_detach_req detach;
	struct _name_query_req query;
};

/* The name field ends inside itself and is a valid name: 0 or errno. */
static int check_name(const char *field)
{
	size_t len = strnlen(field, _NAME_MAX + 1);

	if (len > _NAME_MAX)
		return ENAMETOOLONG;
	if (!len || strchr(field, '/') || !strcmp(field, ".") || !strcmp(field, ".."))
		return EINVAL;
	return 0;
}

static struct name *find(const char *name)
{
	for (int i = 0; i < NAMES_MAX; i++)
		if (names[i].id && !strcmp(names[i].name, name))
			return &names[i];
	return NULL;
}

static int attach(const struct _name_attach_req *m, const struct _msg_info *info)
{
	int err = check_name(m->name), held = 0;
	struct name *slot = NULL;

	if (err)
		return -err;
	if (m->chid <= 0)
		return -EINVAL;
	if (find(m->name))
		return -EEXIST;
	for (int i = 0; i < NAMES_MAX; i++) {
		if (!names[i].id && !slot)
			slot = &names[i];
		held += names[i].id && names[i].pid == info->pid;
	}
	if (!slot || held >= PER_PROC_MAX)
		return -EAGAIN;
	/* Ids stay positive and are never 0 (a free slot). */
	int id = new_id();
	*slot = (struct name){id, info->pid, m->chid, info->scoid, {0}};
	memcpy(slot->name, m->name, sizeof(slot->name));
	return id;
}

static int detach(const struct _name_detach_req *m, const struct _msg_info *info)
{
	for (int i = 0; i < NAMES_MAX; i++) {
		if (!names[i].id || names[i].id != m->id)
			continue;
		if (names[i].pid != info->pid)
			return -EPERM;
		names[i].id = 0;
		return 0;
	}
	return -ENOENT;
}

static int query(int rcvid, const struct _name_query_req *m)
{
	int err = check_name(m->name);

	if (err)
		return -err;
	struct name *n = find(m->name);
	if (!n)
		return -ENOENT;
	struct _name_server s = {n->pid, n->chid};
	MsgReply(rcvid, 0, &s, sizeof(s));
	return 0;
}

/* The size each type must have. */
static size_t size_of(uint16_t type)
{
	switch (type) {
	case _NAME_ATTACH:
		return sizeof(struct _name_attach_req);
	case _NAME_DETACH:
		return sizeof(struct _name_detach_req);
	case _NAME_QUERY:
		return sizeof(struct _name_query_req);
	default:
		return 0;
	}
}

int names_request(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)flags;
	(void)handle;
	union names_msg m;
	size_t want = size_of((uint16_t)code);
	int r = request_fits(ctp, want);

	if (!r) {
		memcpy(&m, ctp->msg, want);
		r = code == _NAME_ATTACH   ? attach(&m.attach, &ctp->info)
		    : code == _NAME_DETACH ? detach(&m.detach, &ctp->info)
					   : query(ctp->rcvid, &m.query);
		if (code == _NAME_QUERY && r == 0)
			return 0; /* replied with the server */
	}
	answer(ctp, r);
	return 0;
}

const char *names_nth(int i)
{
	if (i < 0 || i >= NAMES_MAX)
		return NULL;
	return names[i].id ? names[i].name : "";
}

void names_forget(int scoid)
{
	for (int i = 0; i < NAMES_MAX; i++)
		if (names[i].id && names[i].scoid == scoid)
			names[i].id = 0;
}
