/*
 * opendir, readdir, rewinddir and closedir (<dirent.h>): a directory is
 * opened as a file; each _IO_READ fills the buffer with whole struct
 * dirent records, which readdir hands out one by one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_BUF 1024

struct _dir {
	int fd;
	size_t len, pos; /* bytes in buf, the next record's */
	_Alignas(8) char buf[DIR_BUF];
};

DIR *opendir(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	DIR *d = NULL;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		goto fail;
	}
	if (!(d = malloc(sizeof(*d)))) {
		errno = ENOMEM;
		goto fail;
	}
	d->fd = fd;
	d->len = d->pos = 0;
	return d;
fail:
	close(fd);
	return NULL;
}

struct dirent *readdir(DIR *d)
{
	if (d->pos >= d->len) {
		ssize_t n = read(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;
		d->len = (size_t)n;
		d->pos = 0;
	}
	struct dirent *e = (struct dirent *)(d->buf + d->pos);
	size_t head = offsetof(struct dirent, d_name);
	/* A record must lie whole in what the server sent. */
	if (d->len - d->pos < head || e->d_reclen < (int16_t)(head + 1) ||
	    (size_t)e->d_reclen > d->len - d->pos || e->d_reclen % 8 || e->d_namelen < 0 ||
	    (size_t)e->d_namelen >= e->d_reclen - head || e->d_name[e->d_namelen]) {
		d->pos = d->len;
		errno = EIO;
		return NULL;
	}
	d->pos += (size_t)e->d_reclen;
	return e;
}

void rewinddir(DIR *d)
{
	lseek(d->fd, 0, SEEK_SET);
	d->len = d->pos = 0;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}
