procs.o: proc/procs.c include/errno.h include/muon/errno.h \
 include/signal.h include/sys/siginfo.h include/sys/ktypes.h \
 include/sys/types.h include/sys/signo.h include/stdio.h include/string.h \
 include/sys/neutrino.h include/sched.h include/time.h \
 include/sys/kcall.h include/sys/syscalls.def include/sys/wait.h \
 proc/proc.h include/muon/ifs.h include/sys/procmsg.h
include/errno.h:
include/muon/errno.h:
include/signal.h:
include/sys/siginfo.h:
include/sys/ktypes.h:
include/sys/types.h:
include/sys/signo.h:
include/stdio.h:
include/string.h:
include/sys/neutrino.h:
include/sched.h:
include/time.h:
include/sys/kcall.h:
include/sys/syscalls.def:
include/sys/wait.h:
proc/proc.h:
include/muon/ifs.h:
include/sys/procmsg.h:
