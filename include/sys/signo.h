/*
 * Signal numbers, QNX Neutrino's values, shared by the kernel and libc
 * (<signal.h>). 64 signals: 1..56 are ordinary (41..56 the POSIX
 * realtime ones), 57..64 QNX's special signals, always blocked and never
 * caught or ignored (for SignalWaitinfo alone).
 */
#ifndef _SYS_SIGNO_H_INCLUDED
#define _SYS_SIGNO_H_INCLUDED

#define SIGHUP	  1
#define SIGINT	  2
#define SIGQUIT	  3
#define SIGILL	  4
#define SIGTRAP	  5
#define SIGABRT	  6
#define SIGIOT	  SIGABRT
#define SIGEMT	  7
#define SIGFPE	  8
#define SIGKILL	  9
#define SIGBUS	  10
#define SIGSEGV	  11
#define SIGSYS	  12
#define SIGPIPE	  13
#define SIGALRM	  14
#define SIGTERM	  15
#define SIGUSR1	  16
#define SIGUSR2	  17
#define SIGCHLD	  18
#define SIGPWR	  19
#define SIGWINCH  20
#define SIGURG	  21
#define SIGPOLL	  22
#define SIGIO	  SIGPOLL
#define SIGSTOP	  23
#define SIGTSTP	  24
#define SIGCONT	  25
#define SIGVTALRM 26
#define SIGPROF	  27
#define SIGXCPU	  28
#define SIGXFSZ	  29
#define SIGRTMIN  41
#define SIGRTMAX  56
#define SIGSELECT 57 /* the first of the special signals */

#define _SIGMIN 1
#define _SIGMAX 64
#define NSIG	  57 /* user signals are 1..NSIG-1 */

#endif
