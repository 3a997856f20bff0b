/*
 * namesrv's directories: the ones the pathname space implies but no
 * resource manager serves (every proper ancestor of an attached prefix,
 * and /dev/name/local with its ancestors). paths.c's resolve names us
 * for them; open() then sends us _IO_CONNECT like any manager, and an
 * _IO_READ answers struct dirent records (<dirent.h>): the next
 * component of each prefix below the directory, or in /dev/name/local
 * the names attached. The offset counts entries. Each open is kept by
 * the client's (scoid, coid); a client's go with its disconnect pulse
 * (dirs_forget).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/iomsg.h>
#include <sys/namemsg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "namesrv.h"

#define DIRS_MAX    32 /* open at once: ENFILE */
#define ENTRIES_MAX 256
#define READ_MAX    2048 /* bytes of records one read answers at most */
#define LOCAL	    "/dev/name/local"

static struct dir {
	int scoid, coid; /* the client's connection; scoid 0: a free slot */
	unsigned at;	 /* the next entry */
	char path[_NAME_PATH_MAX + 1];
} dirs[DIRS_MAX];

/* The component of path below dir ("/" or a path), or NULL when path is
 * not strictly below it; *len its length. */
static const char *below(const char *dir, const char *path, size_t *len)
{
	size_t dl = strcmp(dir, "/") ? strlen(dir) : 0;

	if (strncmp(path, dir, dl) || path[dl] != '/' || !path[dl + 1])
		return NULL;
	const char *c = path + dl + 1, *end = strchr(c, '/');
	*len = end ? (size_t)(end - c) : strlen(c);
	return c;
}

/* dir's entries, in a fixed order for a given table, at most max of
 * them into name[] and len[]: their count. */
static unsigned entries(const char *dir, const char *name[], size_t len[], unsigned max)
{
	unsigned n = 0;
	const char *p;
	size_t l;

	for (int i = -1; n < max; i++) {
		const char *path = i < 0 ? LOCAL : paths_nth(i);
		if (i >= 0 && !path)
			break;
		if (!path[0] || !(p = below(dir, path, &l)))
			continue;
		unsigned j = 0;
		while (j < n && !(len[j] == l && !strncmp(name[j], p, l)))
			j++;
		if (j == n) {
			name[n] = p;
			len[n++] = l;
		}
	}
	if (!strcmp(dir, LOCAL))
		for (int i = 0; n < max && (p = names_nth(i)); i++)
			if (p[0]) {
				name[n] = p;
				len[n++] = strlen(p);
			}
	return n;
}

bool dirs_is_dir(const char *path)
{
	const char *name[1];
	size_t len[1];

	return !strcmp(path, LOCAL) || entries(path, name, len, 1) > 0;
}

static struct dir *find(int scoid, int coid)
{
	for (int i = 0; i < DIRS_MAX; i++)
		if (dirs[i].scoid && dirs[i].scoid == scoid && dirs[i].coid == coid)
			return &dirs[i];
	return NULL;
}

static int dir_connect(message_context_t *ctp, const struct _io_connect *c)
{
	size_t head = offsetof(struct _io_connect, path);
	char path[_NAME_PATH_MAX + 2] = "/";

	if ((size_t)ctp->size < head || !c->path_len || c->path_len > _NAME_PATH_MAX ||
	    head + c->path_len > (size_t)ctp->size || c->path[c->path_len - 1])
		return -EINVAL;
	memcpy(path + 1, c->path, c->path_len);
	if (!dirs_is_dir(path))
		return -ENOENT;
	if (c->subtype == _IO_CONNECT_UNLINK)
		return -EROFS; /* what the pathname space implies is not ours to remove */
	if (c->subtype != _IO_CONNECT_OPEN)
		return -ENOSYS;
	if (c->ioflag & _IO_FLAG_WR)
		return -EISDIR;
	struct dir *d = find(ctp->info.scoid, ctp->info.coid);
	for (int i = 0; i < DIRS_MAX && !d; i++)
		d = dirs[i].scoid ? NULL : &dirs[i];
	if (!d)
		return -ENFILE;
	*d = (struct dir){ctp->info.scoid, ctp->info.coid, 0, {0}};
	memcpy(d->path, path, sizeof(d->path));
	return 0;
}

/* Whole records from entry d->at on, as many as nbytes take. */
static void read_dir(message_context_t *ctp, struct dir *d, int32_t nbytes)
{
	static const char *name[ENTRIES_MAX];
	static size_t len[ENTRIES_MAX];
	_Alignas(8) static char buf[READ_MAX];
	unsigned n = entries(d->path, name, len, ENTRIES_MAX);
	size_t used = 0, room = nbytes < 0 ? 0 : (size_t)nbytes;

	if (room > sizeof(buf))
		room = sizeof(buf);
	for (; d->at < n; d->at++) {
		size_t rec = (offsetof(struct dirent, d_name) + len[d->at] + 1 + 7) & ~(size_t)7;
		if (used + rec > room)
			break;
		struct dirent *e = (struct dirent *)(buf + used);
		memset(e, 0, rec);
		e->d_ino = d->at + 1;
		e->d_offset = d->at;
		e->d_reclen = (int16_t)rec;
		e->d_namelen = (int16_t)len[d->at];
		memcpy(e->d_name, name[d->at], len[d->at]);
		used += rec;
	}
	MsgReply(ctp->rcvid, (long)used, buf, used);
}

int dirs_request(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)flags;
	(void)handle;
	struct dir *d = find(ctp->info.scoid, ctp->info.coid);
	union {
		struct _io_connect connect;
		struct _io_read read;
		struct _io_lseek lseek;
		struct stat st;
	} m;
	size_t got = (size_t)ctp->size < sizeof(m) ? (size_t)ctp->size : sizeof(m);
	int r = 0;

	memset(&m, 0, sizeof(m));
	memcpy(&m, ctp->msg, got);
	if (code == _IO_CONNECT) {
		r = dir_connect(ctp, (const struct _io_connect *)ctp->msg);
	} else if (!d) {
		r = -EBADF;
	} else if (code == _IO_READ) {
		read_dir(ctp, d, m.read.nbytes);
		return 0;
	} else if (code == _IO_LSEEK) {
		/* Offsets count entries; only SEEK_SET (rewinddir) means much. */
		if (m.lseek.whence != SEEK_SET || (int64_t)m.lseek.offset < 0)
			r = -EINVAL;
		else {
			d->at = (unsigned)m.lseek.offset;
			MsgReply(ctp->rcvid, 0, &m.lseek.offset, sizeof(m.lseek.offset));
			return 0;
		}
	} else if (code == _IO_STAT) {
		memset(&m.st, 0, sizeof(m.st));
		m.st.st_mode = S_IFDIR | 0555;
		m.st.st_nlink = 2;
		MsgReply(ctp->rcvid, 0, &m.st, sizeof(m.st));
		return 0;
	} else if (code == _IO_CLOSE) {
		d->scoid = 0;
	} else {
		r = -ENOSYS;
	}
	answer(ctp, r);
	return 0;
}

void dirs_forget(int scoid)
{
	for (int i = 0; i < DIRS_MAX; i++)
		if (dirs[i].scoid == scoid)
			dirs[i].scoid = 0;
}
