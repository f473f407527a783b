/* SPDX-License-Identifier: MIT */
/* Where the system keeps root's runtime files: the one part of base/rundir.c that differs. */
#ifndef QB_RUNDIR_SYS_H
#define QB_RUNDIR_SYS_H

/* The runtime directory of a process running as root (rundir_linux.c, rundir_other.c). */
extern const char qb_rundir_root[];

#endif
