/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb connect`: options, then the connection manager (src/conn) on the session's loop until
 * every session has failed for good or a signal asks to stop. SIGINT/SIGTERM end the calls,
 * undo the TUN configuration and release the client ids, then exit 0. This file is the
 * manager's front end: its events become progress lines, the summary, --json objects, the
 * state file and the exit code.
 *
 * The modem is waited for: one that is not there (a boot race) or goes away (an unplug) stops
 * the sessions, the sharing and the state file, and when a modem matching the same -d comes
 * back all of them start again on it. Without -d, connect never takes the software modem.
 */
#include <errno.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "cli/connect_conf.h"
#include "cli/connect_parse.h"
#include "cli/connect_share.h"
#include "cli/connect_state.h"
#include "cli/notify.h"
#include "cli/optparse.h"
#include "base/loop.h"
#include "base/wipe.h"
#include "conn/conn.h"
#include "net/netconf.h"
#include "qmi/device.h"
#include "qmi/messages.h"
#include "usb/hotplug.h"

/* The data path can't cross a proxy (the proxy's process owns the bulk endpoints), so a
 * device reached through one is refused before anything starts. */
static int refuse_proxy(struct qcli *cli, const char *share_sock)
{
	const struct qmi_transport *tr = qmi_dev_transport(cli->dev);
	const char *sock = qcli_share_socket(NULL); /* the one open_proxy.c used */
	struct qcli_state st;
	pid_t pid;

	if (!tr || !tr->ops || !tr->ops->name || strcmp(tr->ops->name, "proxy"))
		return QCLI_EXIT_OK;
	/* The proxy may be another `connect` sharing its modem (its state file says so). */
	if (qcli_state_read(cli->devname, &st, &pid) == 0)
		return qcli_fail(cli, QCLI_EXIT_DEVICE,
				 "%s is already connected by `qmiusb connect` (pid %ld), which "
				 "shares it on @%s: use that connection, or `qmiusb disconnect` "
				 "first",
				 cli->devname, (long)pid, sock);
	return qcli_fail(cli, QCLI_EXIT_DEVICE,
			 "%s is served by the proxy on @%s, and connect must own the device for "
			 "its data path: stop the proxy and run connect alone (it shares the "
			 "modem on @%s itself)",
			 cli->devname, sock, share_sock);
}

/* The state file, locked for the whole run: a live connection on the device (USB modems cannot
 * be opened twice, but every process has its own `-d sim`) holds it already, and a second
 * connect must not take over the first one's `status` and `disconnect`. */
static int open_statefile(struct qcli *cli, struct qcli_statefile *sf)
{
	char err[384];
	pid_t holder = 0;
	int ret = qcli_statefile_open(sf, cli->devname, &holder, err, sizeof(err));

	if (ret == -EBUSY)
		return qcli_fail(cli, QCLI_EXIT_DEVICE,
				 "%s is already connected by `qmiusb connect` (pid %ld): use that "
				 "connection, or `qmiusb disconnect` first",
				 cli->devname, (long)holder);
	if (ret)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "%s", err);
	/* The lock is ours, so the connect that left records for this device is dead. */
	ret = qnet_netconf_recover(cli->devname, cli->err);
	if (ret < 0)
		fprintf(cli->err, "warning: couldn't undo a previous connect's leftovers: %s\n",
			qb_strerror(-ret));
	return QCLI_EXIT_OK;
}

struct front;

/* One session: its manager and how its lines are labelled. */
struct pdn {
	struct front *fr;
	unsigned idx;
	char label[96]; /* "sim", or "sim pdn2" for the second of several */
	char ifname[64];
	bool failed; /* for good: only this session ended */
};

struct front {
	struct qcli *cli;
	struct qcli_connect_json js;
	struct qcli_statefile sf;
	struct qcli_connect_log log;
	struct qconn_link *link;
	struct pdn pdn[QCLI_MAX_PDN];
	struct qcli_pdn pub[QCLI_MAX_PDN]; /* what the state file shows */
	unsigned n;
	bool started;    /* every session has started */
	unsigned failed; /* sessions that gave up; the run ends when all have */
	bool over;
	int rc; /* the first failure's exit code */

	/* The device: waited for until it opens, and again after it went away. */
	const struct qconn_opts *o;
	const struct qcli_pdn_opts *asked; /* the sessions the options ask for */
	const struct qcli_conf *conf;      /* its [pdn] sections, when --apn asks for none */
	struct qcli_share_opts *sho;
	const char *sock;
	bool opened_once; /* a modem was there once: failures to reopen are notes, not the end */
	bool try_open;    /* the waiter says: try to open now (done outside the loop's callbacks) */
	bool waiting;     /* the waiting-modem state was announced */
	int gone;         /* the device's close error once it went away (0: there) */
	char last_note[160]; /* the last reason a reopen failed, said once */
	struct qcli_share *share;
	bool share_due;            /* shared once every session holds all its client ids */
	struct qusb_wait usb_wait; /* USB: hotplug arrivals and the poll */
	struct qb_timer sim_back;  /* -d sim: the software modem is plugged back in */
};

static int exit_for(const struct qconn_event *ev)
{
	if (ev->sim)
		return QCLI_EXIT_SIM;
	if (ev->local || ev->err == -ECONNRESET)
		return QCLI_EXIT_FAILURE;
	if (ev->err == -QB_EMODEM || ev->err == -EPROTO || ev->err == -EOPNOTSUPP)
		return QCLI_EXIT_QMI;
	return qcli_exit_for_errno(ev->err);
}

/* The device's close error when it went away and is to be waited for (not with --once), else 0. */
static int went_away(const struct front *fr)
{
	return fr->cli->dev && !fr->o->once ? qmi_dev_closed(fr->cli->dev) : 0;
}

static void on_event(void *user, struct qconn *c, const struct qconn_event *ev)
{
	struct pdn *p = user;
	struct front *fr = p->fr;
	struct qcli *cli = fr->cli;

	switch (ev->kind) {
	case QCONN_EV_PROGRESS:
		qcli_connect_log(&fr->log, cli->err, LOG_INFO, p->label, ev->text);
		break;
	case QCONN_EV_WARNING:
		qcli_connect_log(&fr->log, cli->err, LOG_WARNING, p->label, ev->text);
		break;
	case QCONN_EV_ERROR: {
		int code, gone = went_away(fr);

		/* The modem went away: it is waited for, and every session starts again. */
		if (gone) {
			if (!fr->gone)
				qcli_connect_log(&fr->log, cli->err, LOG_WARNING, cli->devname,
						 ev->text);
			fr->gone = gone;
			break;
		}
		if (fr->log.to_syslog && !fr->log.journal) /* qcli_fail() writes stderr */
			syslog(LOG_DAEMON | LOG_ERR, "[%s] %s", p->label, ev->text);
		if (fr->n > 1)
			code = qcli_fail(cli, exit_for(ev), "%s: %s", p->label, ev->text);
		else
			code = qcli_fail(cli, exit_for(ev), "%s", ev->text);
		/* After qcli_fail(): recording the failure resets the JSON error's QMI part. */
		if (ev->err == -QB_EMODEM) {
			cli->error.has_qmi = true;
			cli->error.qmi_error = ev->qmi.error;
		}
		if (!fr->rc)
			fr->rc = code;
		break;
	}
	case QCONN_EV_UP: {
		char line[64];

		snprintf(line, sizeof(line), "up on %s", ev->up->ifname);
		qcli_notify_ready(line);
		qcli_connect_summary(cli->out, p->label, p->idx, fr->n > 1, fr->pub[p->idx].apn,
				     ev->up);
		if (cli->json) {
			struct qconn_info info;

			qconn_get_info(c, &info);
			qcli_connect_json_up(&fr->js, ev->up, p->idx + 1, fr->pub[p->idx].apn,
					     info.mux_id);
		}
		break;
	}
	case QCONN_EV_STATE:
		if (ev->state == QCONN_FAILED && fr->gone)
			break; /* not this session's end: waiting-modem follows */
		qcli_notify_status(qconn_state_name(ev->state));
		if (cli->json && ev->state == QCONN_BACKOFF)
			qcli_connect_json_backoff(&fr->js, ev->text, ev->delay_ms);
		else if (cli->json)
			qcli_connect_json_state(&fr->js, qconn_state_name(ev->state), NULL);
		/* One session's end is its own; the run ends with the last. */
		if (ev->state == QCONN_FAILED && !fr->gone && !p->failed) {
			p->failed = true;
			fr->over = ++fr->failed == fr->n;
		}
		break;
	case QCONN_EV_DOWN:
		if (cli->json)
			qcli_connect_json_state(&fr->js, "down", ev->text);
		break;
	case QCONN_EV_TICK:
		break;
	}
	/* The state file goes with the run; sessions still starting are not shown yet. */
	if (ev->state != QCONN_STOPPED && fr->started)
		qcli_publish(&fr->sf, fr->pub, fr->n, fr->link, cli->devname);
}

static void set_opts(struct qconn_opts *o, struct front *fr)
{
	o->cb = on_event;
	o->timeout_ms = fr->cli->timeout_ms;
	o->advice = fr->cli->err;
	/* qmicli's --client-no-release-cid: the ids stay, and the session says which. */
	o->keep_cids = fr->cli->no_release_cid;
	o->record_owner = fr->cli->devname;
}

/* With --client-no-release-cid the session reports the ids the manager kept. */
static void report_kept(struct qcli *cli, const struct qconn *c)
{
	struct qconn_cid ids[QCLI_MAX_CLIENTS];
	unsigned n = qconn_cids(c, ids, QCLI_MAX_CLIENTS);

	for (unsigned i = 0; i < n && i < QCLI_MAX_CLIENTS && cli->n_clients < QCLI_MAX_CLIENTS;
	     i++)
		cli->clients[cli->n_clients++] = (struct qcli_client){ .svc = ids[i].svc,
								       .cid = ids[i].cid };
}

/* Session i's TUN name: the i-th of --ifname's comma-separated names, NULL when unsaid. */
static const char *ifname_at(const char *list, unsigned i, char *buf, size_t len)
{
	const char *p = list;

	for (; p && i; i--) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	if (!p || !*p || *p == ',')
		return NULL;
	snprintf(buf, len, "%.*s", (int)strcspn(p, ","), p);
	return buf;
}

/* Starts every session on one link; 0, or the exit code of a failure that ends the run. A
 * session that fails on its own (its events said so) leaves the others going. */
static int start_sessions(struct front *fr)
{
	struct qcli *cli = fr->cli;
	const struct qconn_opts *o = fr->o;
	const struct qcli_pdn_opts *pdn = fr->asked;
	struct qconn_link_opts lo = { .format = o->data_format };
	bool from_file = !pdn->n && fr->conf->n_pdn; /* --apn replaces the file's sessions */
	unsigned n = pdn->n ? pdn->n : from_file ? fr->conf->n_pdn : 1;

	if (qconn_link_new(&fr->link, cli->dev, &lo) < 0)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
	fr->n = n; /* before any event: the run ends only when all n have failed */
	for (unsigned i = 0; i < n; i++) {
		struct pdn *p = &fr->pdn[i];
		struct qconn_opts so = *o;

		*p = (struct pdn){ .fr = fr, .idx = i };
		if (n > 1)
			snprintf(p->label, sizeof(p->label), "%.80s pdn%u", cli->devname, i + 1);
		else
			snprintf(p->label, sizeof(p->label), "%.90s", cli->devname);
		so.cb_user = p;
		so.link = fr->link;
		if (from_file)
			qcli_connect_conf_session(fr->conf, i, &so);
		/* Without --apn / --ifname the configuration file's (in so) stand. */
		if (pdn->n)
			so.apn = pdn->apn[i];
		if (pdn->ifnames)
			so.ifname = ifname_at(pdn->ifnames, i, p->ifname, sizeof(p->ifname));
		/* One default route unless a [pdn] asks, one resolv.conf: the first session's. */
		if (i && !(from_file && fr->conf->pdn[i].routes == 1))
			so.no_routes = true;
		if (i) {
			so.dns_file = NULL;
			so.dns_mode = QNET_DNS_NONE;
		}
		fr->pub[i].apn = so.apn;
		if (qconn_start(&fr->pub[i].c, cli->dev, &so) < 0)
			return qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
	}
	fr->started = true;
	return QCLI_EXIT_OK;
}

/* Ends session i if it still runs; with --no-release-cid its client ids are reported as kept. */
static void stop_session(struct front *fr, unsigned i)
{
	if (!fr->pub[i].c)
		return;
	if (fr->cli->no_release_cid)
		report_kept(fr->cli, fr->pub[i].c);
	qconn_stop(fr->pub[i].c);
	fr->pub[i].c = NULL;
}

/* A session that failed for good gives back its TUN and client ids now, not at the end of the
 * run (outside the loop's callbacks: the teardown runs the loop). The state file keeps its
 * place, as failed. */
static void reap_failed(struct front *fr)
{
	for (unsigned i = 0; i < fr->n; i++)
		if (fr->pdn[i].failed)
			stop_session(fr, i);
}

/* The device is open: the state file, the sessions and the sharing start on it. An exit code
 * when the run must end. */
static int bring_up(struct front *fr)
{
	struct qcli *cli = fr->cli;
	int rc = refuse_proxy(cli, fr->sock);

	if (!rc)
		rc = open_statefile(cli, &fr->sf);
	if (!rc)
		rc = start_sessions(fr);
	fr->share_due = !rc && !fr->sho->off;
	return rc;
}

/* The managers get their client ids on the loop: the sharing starts once they all hold
 * them, so that they are reserved from the clients. */
static void share_when_ready(struct front *fr)
{
	struct qconn_cid ids[QCLI_MAX_CLIENTS * 2];
	unsigned nids = 0;

	if (!fr->share_due || !fr->started)
		return;
	for (unsigned i = 0; i < fr->n; i++)
		if (fr->pub[i].c && !qconn_cids_complete(fr->pub[i].c))
			return;
	for (unsigned i = 0; i < fr->n; i++) {
		unsigned room = (unsigned)(sizeof(ids) / sizeof(ids[0])) - nids;
		unsigned got = fr->pub[i].c ? qconn_cids(fr->pub[i].c, ids + nids, room) : 0;

		nids += got < room ? got : room;
	}
	fr->share_due = false;
	qcli_share_start(&fr->share, fr->cli, fr->sock, ids, nids, &fr->sf);
	fr->js.share = fr->share;
}

/* Stops what bring_up() started, at the end of the run or when the device went away. */
static void bring_down(struct front *fr)
{
	/* The clients go first: their ids are released while the modem still answers. */
	qcli_share_stop(fr->share);
	fr->share = NULL;
	fr->share_due = false;
	fr->js.share = NULL;
	/* In order: the first one's synchronous teardown must not let the others go on. */
	for (unsigned i = 0; i < fr->n; i++)
		stop_session(fr, i);
	fr->n = 0;
	fr->failed = 0;
	fr->started = false;
	qconn_link_free(fr->link);
	fr->link = NULL;
	qcli_statefile_close(&fr->sf);
}

static const char *log_name(const struct qcli *cli)
{
	return cli->devname[0] ? cli->devname : cli->device ? cli->device : "usb";
}

static void wait_tick(void *user, bool arrival)
{
	struct front *fr = user;

	/* Said, so that whoever watches the log knows which of the two found the modem. */
	if (arrival)
		qcli_connect_log(&fr->log, fr->cli->err, LOG_INFO, log_name(fr->cli),
				 "USB hotplug reported an arrival: looking for the modem");
	fr->try_open = true;
}

/* The software modem's replug timer. */
static void sim_back(void *user)
{
	wait_tick(user, false);
}

/* From now on until a modem opens: the waiting-modem state, and the watch for one. */
static void wait_modem(struct front *fr, const char *why)
{
	struct qcli *cli = fr->cli;
	bool sim = cli->device && !strcmp(cli->device, "sim");
	char line[256];

	/* -d sim: a fresh software modem is "plugged in" replug=MS after the unplug. */
	if (sim)
		qb_timer_start(&fr->sim_back, cli->faults.replug_ms);
	else if (!fr->usb_wait.loop)
		qusb_wait_start(&fr->usb_wait, cli->loop, wait_tick, fr);
	if (fr->waiting)
		return;
	fr->waiting = true;
	if (sim)
		snprintf(line, sizeof(line), "waiting for the software modem to come back");
	else
		snprintf(line, sizeof(line), "waiting for %s%s (%s)",
			 cli->device ? "a modem matching " : "a QMI modem",
			 cli->device ? cli->device : "",
			 qusb_wait_hotplug(&fr->usb_wait) ? "USB hotplug, and a look every 2 s"
							  : "a look every 2 s");
	qcli_connect_log(&fr->log, cli->err, LOG_INFO, log_name(cli), line);
	qcli_notify_status("waiting-modem");
	if (cli->json)
		qcli_connect_json_state(&fr->js, "waiting-modem", why);
}

/* Opens the device once more (outside every loop callback: the CTL open runs the loop). An
 * exit code when the run must end; 0 when up, or when waiting on. */
static int try_attach(struct front *fr)
{
	struct qcli *cli = fr->cli;
	struct qmi_result result = { 0 };
	bool ctl;
	int err = qcli_session_attach(cli, false, &ctl, &result);

	if (!err) {
		qusb_wait_stop(&fr->usb_wait);
		fr->waiting = false;
		fr->opened_once = true;
		fr->last_note[0] = '\0';
		return bring_up(fr);
	}
	/* Nothing there yet is waited for; anything else was final before the first open, as
	 * with --once, and is a note after it (a replugged modem may still be booting). */
	if (fr->o->once || err == -EINVAL || (!fr->opened_once && (ctl || err != -ENODEV)))
		return qcli_session_attach_failed(cli, err, ctl, &result);
	if (err != -ENODEV || ctl) {
		char note[sizeof(fr->last_note)];

		snprintf(note, sizeof(note), "not ready yet: %.140s",
			 cli->open_err[0] && !ctl ? cli->open_err
			 : err == -QB_EMODEM      ? "the modem refused the CTL open"
						  : qb_strerror(-err));
		if (strcmp(note, fr->last_note)) {
			snprintf(fr->last_note, sizeof(fr->last_note), "%s", note);
			qcli_connect_log(&fr->log, cli->err, LOG_WARNING,
					 cli->device ? cli->device : "usb", note);
		}
	}
	/* Not at once again (the waiter's timer may have fired during the CTL open): the
	 * transport just closed lets go of the device only once the loop has run. */
	fr->try_open = false;
	wait_modem(fr, NULL);
	return QCLI_EXIT_OK;
}

/* The device went away: everything on it stops, and it is waited for. */
static void detach(struct front *fr)
{
	struct qcli *cli = fr->cli;
	char why[160];

	snprintf(why, sizeof(why), "the modem went away: %s", qb_strerror(-fr->gone));
	bring_down(fr);
	qcli_session_drop_device(cli);
	/* The modem that comes back is a fresh one: it does not leave again by itself. */
	cli->faults.unplug_ms = 0;
	fr->gone = 0;
	wait_modem(fr, why);
}

int qcli_cmd_connect(struct qcli *cli, int argc, char **argv)
{
	struct qconn_opts o;
	struct qcli_share_opts sho = { 0 };
	struct qcli_pdn_opts pdn = { .n = 0 };
	struct front fr = { .cli = cli, .js = { .cli = cli, .out = cli->out } };
	struct qcli_conf conf = { 0 };
	const char *conf_name = qcli_connect_conf_name(argc, argv);
	int rc = QCLI_EXIT_OK;

	qconn_opts_init(&o);
	qcli_statefile_init(&fr.sf);
	if (conf_name)
		rc = qcli_connect_conf_apply(cli, &conf, conf_name, &o);
	if (rc == QCLI_EXIT_OK)
		rc = qcli_connect_parse(cli, argc, argv, &o, &sho, &pdn);
	if (rc == QCLI_EXIT_OK)
		return rc; /* --help */
	if (cli->json) {
		/* stdout carries only the JSON objects; the progress lines go to stderr, for
		 * the rest of the run (the session's teardown messages too). */
		cli->out = cli->err;
	}
	set_opts(&o, &fr);
	fr.o = &o;
	fr.asked = &pdn;
	fr.conf = &conf;
	fr.sho = &sho;
	fr.try_open = true;
	qcli_connect_log_init(&fr.log, cli->out, sho.syslog_only);
	fr.sock = qcli_share_socket(sho.socket);
	if (rc < 0)
		rc = qcli_session_loop(cli);
	if (!rc)
		qb_timer_init(&fr.sim_back, cli->loop, sim_back, &fr);
	while (!rc && !cli->interrupted && !fr.over) {
		int n;

		if (!fr.gone)
			fr.gone = went_away(&fr); /* seen by no session's event */
		if (fr.gone)
			detach(&fr);
		else if (fr.failed)
			reap_failed(&fr);
		if (fr.try_open && !cli->dev) {
			fr.try_open = false;
			rc = try_attach(&fr);
			continue;
		}
		share_when_ready(&fr);
		n = qb_loop_run_once(cli->loop, -1);
		if (n < 0 && n != -EINTR)
			rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "event loop: %s", qb_strerror(-n));
	}
	if (fr.over && !rc)
		rc = fr.rc;
	qusb_wait_stop(&fr.usb_wait);
	qb_timer_stop(&fr.sim_back);
	bring_down(&fr);
	qcli_notify_stopping(NULL);
	qcli_connect_log_close(&fr.log);
	if (cli->json)
		qcli_connect_json_exit(&fr.js, rc);
	if (cli->device && cli->device == conf.device)
		cli->device = NULL; /* it goes with conf */
	qcli_conf_clear(&conf);
	qb_wipe(sho.pin, sizeof(sho.pin));
	return rc;
}
