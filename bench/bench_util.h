/* SPDX-License-Identifier: MIT */
/* What the host benchmarks share: their clocks, where their processes run and how a run ends. */
#ifndef QMIUSB_BENCH_UTIL_H
#define QMIUSB_BENCH_UTIL_H

#include "base/loop.h"
#include "net/pump.h"

#include <errno.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User and system CPU time of this process. */
static inline double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* The calling process on CPU 0 (the pump) or 1 (its load; 0 on a single CPU). */
static inline void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(sysconf(_SC_NPROCESSORS_ONLN) > 1 ? cpu : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* A network namespace of the benchmark's own (its TUN and routes go with it): 0, or 77 (the
 * test runners' "skipped") with the reason printed. */
static inline int private_netns(const char *prog)
{
	if (unshare(CLONE_NEWNET) == 0)
		return 0;
	fprintf(stderr, "%s: a private network namespace needs root: %s\n", prog, strerror(errno));
	return 77;
}

/* The report into path, replacing it or after what it holds (mode "w" or "a"). */
static inline void write_report(const char *prog, const char *path, const char *mode,
				const char *text)
{
	FILE *f = fopen(path, mode);

	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
	else
		printf("\nwritten to %s\n", path);
}

/* The end of one run: its load process (if any, pid > 0), then the endpoint's eventfd watch,
 * the pump and the loop; each may be absent (NULL, or efd < 0). */
static inline void end_run(pid_t load, struct qb_watch *w, struct qnet_pump *pump,
			   struct qb_loop *loop, int efd)
{
	if (load > 0) {
		kill(load, SIGKILL);
		waitpid(load, NULL, 0);
	}
	qb_watch_remove(w);
	qnet_pump_free(pump);
	qb_loop_free(loop);
	if (efd >= 0)
		close(efd);
}

#endif
