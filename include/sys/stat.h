/* struct stat, what fstat() (libc/io.c) and _IO_STAT give, and the
 * file-type and permission bits of st_mode (POSIX's values, as QNX's). */
#ifndef _SYS_STAT_H_INCLUDED
#define _SYS_STAT_H_INCLUDED

#include <stdint.h>
#include <sys/types.h>

struct stat {
	ino_t st_ino;
	off_t st_size;
	dev_t st_dev;
	dev_t st_rdev;
	uid_t st_uid;
	gid_t st_gid;
	time_t st_mtime;
	time_t st_atime;
	time_t st_ctime;
	mode_t st_mode;
	nlink_t st_nlink;
	int32_t st_blksize;
	int64_t st_blocks;
};

#define S_IFMT	 0xF000
#define S_IFIFO	 0x1000
#define S_IFCHR	 0x2000
#define S_IFDIR	 0x4000
#define S_IFNAM	 0x5000 /* QNX: a name (name_attach) */
#define S_IFBLK	 0x6000
#define S_IFREG	 0x8000
#define S_IFLNK	 0xA000
#define S_IFSOCK 0xC000

#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)

#define S_IRWXU 0700
#define S_IRUSR 0400
#define S_IWUSR 0200
#define S_IXUSR 0100
#define S_IRWXG 0070
#define S_IRGRP 0040
#define S_IWGRP 0020
#define S_IXGRP 0010
#define S_IRWXO 0007
#define S_IROTH 0004
#define S_IWOTH 0002
#define S_IXOTH 0001

int fstat(int fd, struct stat *st);

#endif
