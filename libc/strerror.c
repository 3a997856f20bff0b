/*
 * Error messages for the error numbers of <muon/errno.h>, in the POSIX
 * wording QNX uses (not checked byte for byte against a QNX libc).
 * Unknown numbers give "Unknown error".
 */
#include <errno.h>
#include <string.h>

static const struct {
	int num;
	const char *msg;
} messages[] = {
    {EOK, "No error"},
    {EPERM, "Operation not permitted"},
    {ENOENT, "No such file or directory"},
    {ESRCH, "No such process"},
    {EINTR, "Interrupted function call"},
    {EIO, "I/O error"},
    {ENXIO, "No such device or address"},
    {E2BIG, "Argument list too long"},
    {ENOEXEC, "Exec format error"},
    {EBADF, "Bad file descriptor"},
    {ECHILD, "No child processes"},
    {EAGAIN, "Resource temporarily unavailable"},
    {ENOMEM, "Not enough memory"},
    {EACCES, "Permission denied"},
    {EFAULT, "Bad address"},
    {EBUSY, "Resource busy"},
    {EEXIST, "File exists"},
    {EINVAL, "Invalid argument"},
    {EMFILE, "Too many open files"},
    {ENOSPC, "No space left on device"},
    {ERANGE, "Result too large"},
    {EDEADLK, "Resource deadlock avoided"},
    {ECANCELED, "Operation canceled"},
    {ENOTSUP, "Not supported"},
    {ENAMETOOLONG, "File name too long"},
    {EOVERFLOW, "Value too large to be stored in data type"},
    {ENOSYS, "Function not implemented"},
    {ETIMEDOUT, "Connection timed out"},
};

char *strerror(int errnum)
{
	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (messages[i].num == errnum)
			return (char *)messages[i].msg;
	return (char *)"Unknown error";
}
