/*
 * sysconf: the system's limits and options as this libc and kernel have
 * them (docs/ARCHITECTURE.md and README's "Limits" table).
 */
#include <errno.h>
#include <limits.h>
#include <unistd.h>

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_CLK_TCK:
		return 100; /* clock_t ticks per second for times() */
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1; /* one CPU is run so far */
	case _SC_OPEN_MAX:
		return 256; /* connections below _NTO_SIDE_CHANNEL a process may hold */
	case _SC_THREAD_THREADS_MAX:
		return 256;
	case _SC_TIMER_MAX:
		return 64;
	case _SC_ARG_MAX:
		return 65536;
	case _SC_CHILD_MAX:
		return -1; /* no limit of its own: memory and thread slots bound it */
	case _SC_LINE_MAX:
		return 2048;
	case _SC_HOST_NAME_MAX:
		return 255;
	case _SC_STREAM_MAX:
		return 3; /* stdin, stdout, stderr */
	case _SC_ATEXIT_MAX:
		return 32;
	case _SC_VERSION:
		return 200809L;
	default:
		errno = EINVAL;
		return -1;
	}
}
