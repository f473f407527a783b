/* SPDX-License-Identifier: MIT */
/*
 * udp_rate's command line and accounting: /proc/stat for the machine, /proc/PID for the
 * processes it was told about, the kernel's own threads, and (-s) a tracefs histogram of
 * system calls keyed by thread id.
 */
#include "udp_rate.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int num(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || *out < lo || *out > hi ? -EINVAL : 0;
}

int udp_rate_add_pid(struct udp_rate_opts *o, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	struct ur_pid *p = &o->pids[o->npids];
	double v;

	if (o->npids >= UR_MAX_PIDS || !eq || eq == arg || (size_t)(eq - arg) >= sizeof(p->name) ||
	    num(eq + 1, 1, 4194304, &v) < 0 || !strncmp(arg, "load=", 5)) {
		snprintf(err, errlen, "bad -p %s (NAME=PID, at most %d)", arg, UR_MAX_PIDS);
		return -EINVAL;
	}
	memcpy(p->name, arg, (size_t)(eq - arg));
	p->pid = (pid_t)v;
	o->npids++;
	return 0;
}

int udp_rate_parse(struct udp_rate_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	const char *what = NULL;
	double v;
	int i, pos = 0;

	memset(o, 0, sizeof(*o));
	o->inflight = 1;
	o->secs = 2;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-s") || !strcmp(a, "-z")) {
			*(a[1] == 's' ? &o->syscalls : &o->idle) = true;
			continue;
		}
		if (a[0] == '-' && a[1] && !a[2] && strchr("ritp", a[1])) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a value", a);
				return -EINVAL;
			}
			what = argv[++i];
			if (a[1] == 'r' && num(what, 1, 1000000, &v) == 0)
				o->rate = (unsigned)v;
			else if (a[1] == 'i' && num(what, 1, 1024, &v) == 0)
				o->inflight = (unsigned)v;
			else if (a[1] == 't' && num(what, 0.1, 3600, &v) == 0)
				o->secs = v;
			else if (a[1] == 'p') {
				if (udp_rate_add_pid(o, what, err, errlen) < 0)
					return -EINVAL;
			} else {
				snprintf(err, errlen, "bad value for %s: %s", a, what);
				return -EINVAL;
			}
			continue;
		}
		if (a[0] == '-' && a[1]) {
			snprintf(err, errlen, "unknown option %s", a);
			return -EINVAL;
		}
		if (pos == 0)
			o->src = a;
		else if (pos == 1)
			o->dst = a;
		else if (pos == 2 && num(a, 44, 65000, &v) == 0)
			o->size = (size_t)v;
		else {
			snprintf(err, errlen, "unexpected argument %s", a);
			return -EINVAL;
		}
		pos++;
	}
	if (pos != 3) {
		snprintf(err, errlen, "SRC DST SIZE expected (SIZE 44-65000)");
		return -EINVAL;
	}
	return 0;
}

static int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* The parent of a task (field 4 of its stat), or -1. */
static long stat_ppid(const char *path)
{
	char buf[1024], *p;
	long ppid;

	if (read_file(path, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')) ||
	    sscanf(p + 2, "%*c %ld", &ppid) != 1)
		return -1;
	return ppid;
}

/* The CPU time a task has run, in ns (schedstat's first field: exact, where utime and stime
 * are sampled by the tick). */
static uint64_t run_ns(const char *dir)
{
	char path[600], buf[128];

	snprintf(path, sizeof(path), "%s/schedstat", dir);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	return strtoull(buf, NULL, 10);
}

static uint64_t field(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static uint64_t task_ctxt(const char *dir)
{
	char path[600], buf[4096];

	snprintf(path, sizeof(path), "%s/status", dir);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	return field(buf, "\nvoluntary_ctxt_switches:") +
	       field(buf, "\nnonvoluntary_ctxt_switches:");
}

static void proc_take(pid_t pid, struct ur_proc *p)
{
	char path[64], buf[1024];
	struct dirent *e;
	DIR *d;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	if (read_file(path, buf, sizeof(buf)) == 0)
		p->rw = field(buf, "syscr:") + field(buf, "syscw:");
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	while (d && (e = readdir(d)) != NULL) {
		char dir[320];

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", path, e->d_name);
		p->ctxt += task_ctxt(dir);
		p->ns += run_ns(dir);
	}
	if (d)
		closedir(d);
}

void ur_snap_take(struct ur_snap *s, const struct udp_rate_opts *o)
{
	unsigned long long v[8] = { 0 };
	struct timespec ts;
	struct dirent *e;
	char buf[512];
	unsigned i;
	DIR *d;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < o->npids; i++)
		proc_take(o->pids[i].pid, &s->p[i]);
	d = opendir("/proc");
	while (d && (e = readdir(d)) != NULL) {
		char path[320];

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (stat_ppid(path) != 2)
			continue; /* kthreadd's children are the kernel's threads */
		snprintf(path, sizeof(path), "/proc/%s", e->d_name);
		s->kthr_ns += run_ns(path);
		s->kthr_ctxt += task_ctxt(path);
	}
	if (d)
		closedir(d);
	if (read_file("/proc/stat", buf, sizeof(buf)) == 0 &&
	    sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]) == 8) {
		s->idle = v[3] + v[4];
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->t_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ur_snap_print(const struct ur_snap *a, const struct ur_snap *b, const struct udp_rate_opts *o,
		   uint64_t echoes)
{
	double tick_us = 1e6 / (double)sysconf(_SC_CLK_TCK), n = echoes ? (double)echoes : 1;
	double busy = (double)(b->t_ns - a->t_ns) / 1e3 - (double)(b->idle - a->idle) * tick_us;
	unsigned i;

	printf(" vm_us=%.1f kthr_us=%.1f kthr_cs=%.2f", busy / n,
	       (double)(b->kthr_ns - a->kthr_ns) / 1e3 / n,
	       (double)(b->kthr_ctxt - a->kthr_ctxt) / n);
	for (i = 0; i < o->npids; i++) {
		const struct ur_proc *p = &a->p[i], *q = &b->p[i];
		const char *name = o->pids[i].name;

		printf(" %s_us=%.1f %s_cs=%.2f %s_rw=%.2f", name, (double)(q->ns - p->ns) / 1e3 / n,
		       name, (double)(q->ctxt - p->ctxt) / n, name, (double)(q->rw - p->rw) / n);
		if (o->syscalls)
			printf(" %s_sc=%.2f", name, (double)q->calls / n);
	}
}

#define TRACE "/sys/kernel/tracing/events/raw_syscalls/sys_enter/"
#define HIST_SPEC "hist:keys=common_pid:vals=hitcount:size=2048"

static int write_str(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(s, f) < 0)
		ret = -EIO;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	return ret;
}

int ur_syscalls_start(void)
{
	int ret = write_str(TRACE "trigger", HIST_SPEC "\n");

	if (ret < 0)
		fprintf(stderr, "udp_rate: no system call histogram (%s): %s\n", TRACE "trigger",
			strerror(-ret));
	return ret;
}

/* The thread group a thread id belongs to, or 0. */
static pid_t tgid_of(long tid)
{
	char path[64], buf[1024];

	snprintf(path, sizeof(path), "/proc/%ld/status", tid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	return (pid_t)field(buf, "\nTgid:");
}

void ur_syscalls_stop(struct ur_snap *s, const struct udp_rate_opts *o)
{
	FILE *f = fopen(TRACE "hist", "r");
	char line[256];

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long hits;
		long tid;
		pid_t tg;
		unsigned i;

		if (sscanf(line, "{ common_pid: %ld } hitcount: %llu", &tid, &hits) != 2)
			continue;
		tg = tgid_of(tid);
		for (i = 0; i < o->npids; i++)
			if (o->pids[i].pid == tg || o->pids[i].pid == tid)
				s->p[i].calls += hits;
	}
	if (f)
		fclose(f);
	write_str(TRACE "trigger", "!" HIST_SPEC "\n");
}
