/*
 * errno: one global while processes are single-threaded. When user
 * threads land it moves to the thread's TLS block and <errno.h> switches
 * to "#define errno (*__get_errno_ptr())", as QNX does.
 */
#include <errno.h>

int errno;

int *__get_errno_ptr(void)
{
	return &errno;
}
