/* SPDX-License-Identifier: MIT */
/* connect's log lines: a timestamped stream for a person, syslog for a service. */
#include "cli/connect_share.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* systemd names the journal stream it connected as "DEV:INODE" in $JOURNAL_STREAM. */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void qcli_connect_log_init(struct qcli_connect_log *l, FILE *out, bool syslog_only)
{
	bool journal = stderr_is_journal();

	l->out = out;
	l->opened = false;
	l->journal = journal;
	l->to_syslog = syslog_only || journal || !isatty(STDERR_FILENO);
	l->to_stream = !syslog_only && !journal;
}

void qcli_connect_log(struct qcli_connect_log *l, FILE *err, int prio, const char *devname,
		      const char *text)
{
	if (l->to_syslog) {
		if (!l->opened) {
			openlog("qmiusb", LOG_PID, LOG_DAEMON);
			l->opened = true;
		}
		/* The journal stamps the time itself. */
		syslog(prio, "[%s] %s", devname, text);
	}
	if (l->to_stream) {
		char when[32] = "";
		time_t now = time(NULL);
		struct tm tm;
		FILE *f = prio == LOG_INFO ? l->out : err;

		if (localtime_r(&now, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(f, "%s %s[%s] %s\n", when,
			prio == LOG_INFO      ? ""
			: prio == LOG_WARNING ? "warning: "
					      : "error: ",
			devname, text);
		fflush(f);
	}
}

void qcli_connect_log_close(struct qcli_connect_log *l)
{
	if (l->opened)
		closelog();
	l->opened = false;
}
