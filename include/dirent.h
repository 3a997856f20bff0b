/*
 * Directories (libc/dirent.c): opendir, readdir, rewinddir, closedir.
 * As QNX does it, a directory is an fd whose _IO_READ answers struct
 * dirent records (QNX's layout), each d_reclen bytes (a multiple of 8)
 * with d_name ending in 0; the offset counts entries.
 */
#ifndef _DIRENT_H_INCLUDED
#define _DIRENT_H_INCLUDED

#include <stdint.h>
#include <sys/types.h>

struct dirent {
	ino_t d_ino;
	off_t d_offset; /* this entry's offset in the directory */
	int16_t d_reclen;
	int16_t d_namelen; /* without the 0 */
	char d_name[1];
};

typedef struct _dir DIR;

/* NULL with errno: as open(), ENOTDIR (not a directory), ENOMEM. */
DIR *opendir(const char *path);
/* The next entry (valid until the next readdir or closedir), or NULL at
 * the end (errno unchanged) or on an error (errno set). */
struct dirent *readdir(DIR *dir);
void rewinddir(DIR *dir);
int closedir(DIR *dir);

#endif
