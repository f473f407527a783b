/* SPDX-License-Identifier: MIT */
/*
 * Runs a command and accounts the CPU of its window the way udp_rate does (the whole machine's
 * busy time, the processes named with -p, the kernel's threads), plus the command's own
 * (getrusage of the waited-for child, "cmd_us"), for loads that are not udp_rate's, such as
 * iperf3 in the VM's TCP benchmark. The command's output passes through.
 *
 * Usage: cpu_window [-p NAME=PID]... -- COMMAND [ARG]...
 * Prints, after the command's output, one line "CPUWIN key=value...": totals in microseconds and
 * switch counts.
 */
#include "udp_rate.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct udp_rate_opts o = { 0 };
	struct ur_snap a, b;
	struct rusage ru;
	char err[128];
	int i, status = 0;
	pid_t pid;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i += 2)
		if (strcmp(argv[i], "-p") || i + 1 >= argc ||
		    udp_rate_add_pid(&o, argv[i + 1], err, sizeof(err)) < 0)
			break;
	if (i + 1 >= argc || strcmp(argv[i], "--")) {
		fprintf(stderr, "usage: cpu_window [-p NAME=PID]... -- COMMAND [ARG]...\n");
		return 2;
	}
	ur_snap_take(&a, &o);
	pid = fork();
	if (pid == 0) {
		execvp(argv[i + 1], argv + i + 1);
		perror("cpu_window: exec");
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		perror("cpu_window");
		return 1;
	}
	ur_snap_take(&b, &o);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("CPUWIN cmd_us=%.0f", (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
					     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec));
	ur_snap_print(&a, &b, &o, 1); /* totals: as if for one echo */
	printf("\n");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
