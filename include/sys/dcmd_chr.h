/*
 * Device-control commands of character devices (QNX's <sys/dcmd_chr.h>):
 * the terminal calls of <termios.h> are devctl()s with these. QNX puts
 * those that match an ioctl in class 't' with the ioctl's number
 * (TCGETATTR is TIOCGETA, 19); the numbers below follow that rule with
 * the BSD ioctl numbers QNX's ioctls use.
 */
#ifndef _SYS_DCMD_CHR_H_INCLUDED
#define _SYS_DCMD_CHR_H_INCLUDED

#include <devctl.h>
#include <sys/types.h>
#include <termios.h>

#define _CMD_IOCTL_TTY 't'

#define DCMD_CHR_TCFLUSH    __DIOT(_CMD_IOCTL_TTY, 16, int)	       /* TIOCFLUSH */
#define DCMD_CHR_TCGETATTR  __DIOF(_CMD_IOCTL_TTY, 19, struct termios) /* TIOCGETA */
#define DCMD_CHR_TCSETATTR  __DIOT(_CMD_IOCTL_TTY, 20, struct termios) /* TIOCSETA */
#define DCMD_CHR_TCSETATTRD __DIOT(_CMD_IOCTL_TTY, 21, struct termios) /* TIOCSETAW */
#define DCMD_CHR_TCSETATTRF __DIOT(_CMD_IOCTL_TTY, 22, struct termios) /* TIOCSETAF */
#define DCMD_CHR_TCDRAIN    __DION(_CMD_IOCTL_TTY, 94)		       /* TIOCDRAIN */
#define DCMD_CHR_TCSETPGRP  __DIOT(_CMD_IOCTL_TTY, 118, pid_t)	       /* TIOCSPGRP */
#define DCMD_CHR_TCGETPGRP  __DIOF(_CMD_IOCTL_TTY, 119, pid_t)	       /* TIOCGPGRP */

#endif
