/*
 * <termios.h> over devctl() (<sys/dcmd_chr.h>): the terminal's resource
 * manager keeps the settings and the foreground process group; isatty
 * is whether tcgetattr works. The cf* calls only touch the structure.
 */
#include <devctl.h>
#include <errno.h>
#include <sys/dcmd_chr.h>
#include <termios.h>
#include <unistd.h>

static int result(int err)
{
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int tcgetattr(int fd, struct termios *t)
{
	return result(devctl(fd, DCMD_CHR_TCGETATTR, t, sizeof(*t), NULL));
}

int tcsetattr(int fd, int when, const struct termios *t)
{
	int dcmd = when == TCSANOW     ? DCMD_CHR_TCSETATTR
		   : when == TCSADRAIN ? DCMD_CHR_TCSETATTRD
		   : when == TCSAFLUSH ? DCMD_CHR_TCSETATTRF
				       : 0;

	if (!dcmd)
		return result(EINVAL);
	return result(devctl(fd, dcmd, (void *)t, sizeof(*t), NULL));
}

int tcdrain(int fd)
{
	return result(devctl(fd, DCMD_CHR_TCDRAIN, NULL, 0, NULL));
}

int tcflush(int fd, int which)
{
	return result(devctl(fd, DCMD_CHR_TCFLUSH, &which, sizeof(which), NULL));
}

pid_t tcgetpgrp(int fd)
{
	pid_t pgrp;

	if (result(devctl(fd, DCMD_CHR_TCGETPGRP, &pgrp, sizeof(pgrp), NULL)))
		return -1;
	return pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return result(devctl(fd, DCMD_CHR_TCSETPGRP, &pgrp, sizeof(pgrp), NULL));
}

int isatty(int fd)
{
	struct termios t;

	return tcgetattr(fd, &t) == 0;
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t->c_oflag &= ~(tcflag_t)OPOST;
	t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag = (t->c_cflag & ~(tcflag_t)(CSIZE | PARENB)) | CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t)
{
	return t->c_ispeed;
}

speed_t cfgetospeed(const struct termios *t)
{
	return t->c_ospeed;
}

int cfsetispeed(struct termios *t, speed_t speed)
{
	t->c_ispeed = speed;
	return 0;
}

int cfsetospeed(struct termios *t, speed_t speed)
{
	t->c_ospeed = speed;
	return 0;
}
