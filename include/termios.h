/*
 * Terminal control (POSIX <termios.h>), over devctl() (<sys/dcmd_chr.h>)
 * to the terminal's resource manager (servers/devc-ser). The fields and
 * names are QNX's; the flag bits and c_cc indices are the System V
 * values QNX also uses; speeds are the baud rate itself (B9600 == 9600),
 * as in QNX.
 */
#ifndef _TERMIOS_H_INCLUDED
#define _TERMIOS_H_INCLUDED

#include <stdint.h>
#include <sys/types.h>

typedef uint32_t tcflag_t;
typedef unsigned char cc_t;
typedef uint32_t speed_t;

#define NCCS 40

struct termios {
	tcflag_t c_iflag; /* input processing: I* */
	tcflag_t c_oflag; /* output processing: O* */
	tcflag_t c_cflag; /* line: C* */
	tcflag_t c_lflag; /* line discipline: ISIG ICANON ECHO* ... */
	cc_t c_cc[NCCS];  /* special characters, VMIN and VTIME */
	uint32_t reserved[3];
	speed_t c_ispeed;
	speed_t c_ospeed;
};

/* c_cc indices. */
#define VINTR  0
#define VQUIT  1
#define VERASE 2
#define VKILL  3
#define VEOF   4
#define VEOL   5
#define VSTART 8
#define VSTOP  9
#define VSUSP  10
#define VMIN   16
#define VTIME  17

/* c_iflag */
#define IGNBRK 0x0001
#define BRKINT 0x0002
#define IGNPAR 0x0004
#define PARMRK 0x0008
#define INPCK  0x0010
#define ISTRIP 0x0020
#define INLCR  0x0040
#define IGNCR  0x0080
#define ICRNL  0x0100
#define IXON   0x0400
#define IXOFF  0x1000

/* c_oflag */
#define OPOST 0x0001
#define ONLCR 0x0004

/* c_cflag */
#define CSIZE  0x0030
#define CS5    0x0000
#define CS6    0x0010
#define CS7    0x0020
#define CS8    0x0030
#define CSTOPB 0x0040
#define CREAD  0x0080
#define PARENB 0x0100
#define PARODD 0x0200
#define HUPCL  0x0400
#define CLOCAL 0x0800

/* c_lflag */
#define ISIG   0x0001
#define ICANON 0x0002
#define ECHO   0x0008
#define ECHOE  0x0010
#define ECHOK  0x0020
#define ECHONL 0x0040
#define NOFLSH 0x0080
#define TOSTOP 0x0100
#define IEXTEN 0x8000

/* Speeds: the rate itself. */
#define B0	0
#define B9600	9600
#define B19200	19200
#define B38400	38400
#define B57600	57600
#define B115200 115200

/* tcsetattr's when. */
#define TCSANOW	  0
#define TCSADRAIN 1
#define TCSAFLUSH 2

/* tcflush's which. */
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

/* 0 or -1 with errno (EBADF not an fd, ENOTTY not a terminal, EINVAL). */
int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int when, const struct termios *t);
/* Returns once what was written to fd has gone out on the line. */
int tcdrain(int fd);
int tcflush(int fd, int which);
/* The terminal's foreground process group (0: none yet). */
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
/* Raw mode: bytes as they come, one at a time, no echo or signals. */
void cfmakeraw(struct termios *t);
speed_t cfgetispeed(const struct termios *t);
speed_t cfgetospeed(const struct termios *t);
int cfsetispeed(struct termios *t, speed_t speed);
int cfsetospeed(struct termios *t, speed_t speed);

#endif
