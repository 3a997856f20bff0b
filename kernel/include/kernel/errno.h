/* The kernel's error numbers: QNX's, from the public ABI header. */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#include <muon/errno.h>

#endif
