/* SPDX-License-Identifier: MIT */
/* udp_rate's command line and its per-process accounting (udp_rate_proc.c). */
#ifndef QMIUSB_BENCH_UDP_RATE_H
#define QMIUSB_BENCH_UDP_RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UR_MAX_PIDS 8

struct ur_pid {
	char name[16];
	pid_t pid;
};

struct udp_rate_opts {
	unsigned rate;     /* datagrams per second, open loop; 0 = closed loop */
	unsigned inflight; /* closed loop: datagrams in flight */
	double secs;
	size_t size; /* IP packet size */
	const char *src, *dst;
	struct ur_pid pids[UR_MAX_PIDS + 1]; /* the last slot is udp_rate's own */
	unsigned npids;
	bool syscalls;
	bool idle; /* -z: no traffic, the window's CPU per second (the machine's floor) */
};

/* One -p NAME=PID (NAME not "load", udp_rate's own) into o: 0, or -EINVAL with the reason in
 * err. */
int udp_rate_add_pid(struct udp_rate_opts *o, const char *arg, char *err, size_t errlen);
/* 0, or -EINVAL with the reason in err. Defaults: closed loop with 1 in flight, 2 s. */
int udp_rate_parse(struct udp_rate_opts *o, int argc, char **argv, char *err, size_t errlen);

struct ur_proc {
	uint64_t ns;    /* run time, every thread (schedstat) */
	uint64_t ctxt;  /* voluntary + nonvoluntary, every thread */
	uint64_t rw;    /* syscr + syscw */
	uint64_t calls; /* system calls (-s only) */
};

struct ur_snap {
	uint64_t idle; /* /proc/stat's idle + iowait, USER_HZ (exact under NOHZ, coarse units) */
	uint64_t t_ns; /* CLOCK_MONOTONIC */
	uint64_t kthr_ns, kthr_ctxt;
	struct ur_proc p[UR_MAX_PIDS + 1];
};

void ur_snap_take(struct ur_snap *s, const struct udp_rate_opts *o);
/* Prints " vm_us=... NAME_us=... NAME_cs=... NAME_rw=... [NAME_sc=...]" per echo. */
void ur_snap_print(const struct ur_snap *a, const struct ur_snap *b, const struct udp_rate_opts *o,
		   uint64_t echoes);
int ur_syscalls_start(void);
/* Stops counting and stores each process's count in s (the start is zero). */
void ur_syscalls_stop(struct ur_snap *s, const struct udp_rate_opts *o);

#endif
