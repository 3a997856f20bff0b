/* Device-control commands every resource manager may answer
 * (iofunc_devctl_default): the open's flags, as fcntl's F_GETFL and
 * F_SETFL see them. Numbers: Muon's (class _DCMD_ALL). */
#ifndef _SYS_DCMD_ALL_H_INCLUDED
#define _SYS_DCMD_ALL_H_INCLUDED

#include <devctl.h>

#define DCMD_ALL_GETFLAGS __DIOF(_DCMD_ALL, 1, int)
#define DCMD_ALL_SETFLAGS __DIOT(_DCMD_ALL, 2, int)

#endif
