/* SPDX-License-Identifier: MIT */
#include "cli/connect_conf.h"

#include "net/netconf.h"
#include "qmi/messages.h"

#include <errno.h>
#include <string.h>

const char *qcli_connect_conf_name(int argc, char **argv)
{
	const char *name = NULL;
	int i;

	/* Before the real parse, which rejects what is wrong; "--" ends the options. */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			name = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			name = argv[i] + 9;
	}
	return name;
}

/* The keys a session takes from the top of the file or from its [pdn], where set, into o. */
static void set_session(struct qconn_opts *o, const char *apn, const char *user,
			const char *password, const char *ifname, enum qcli_conf_ip ip,
			enum qcli_conf_auth auth)
{
	static const unsigned families[] = { [QCLI_CONF_IP_4] = QCONN_V4,
					     [QCLI_CONF_IP_6] = QCONN_V6,
					     [QCLI_CONF_IP_4V6] = QCONN_V4 | QCONN_V6 };
	static const int auths[] = { [QCLI_CONF_AUTH_NONE] = QMI_WDS_AUTH_NONE,
				     [QCLI_CONF_AUTH_PAP] = QMI_WDS_AUTH_PAP,
				     [QCLI_CONF_AUTH_CHAP] = QMI_WDS_AUTH_CHAP,
				     [QCLI_CONF_AUTH_BOTH] = QMI_WDS_AUTH_PAP | QMI_WDS_AUTH_CHAP };

	if (apn)
		o->apn = apn;
	if (user)
		o->user = user;
	if (password)
		o->password = password;
	if (ifname)
		o->ifname = ifname;
	if (ip != QCLI_CONF_IP_UNSET && (unsigned)ip < sizeof(families) / sizeof(families[0]))
		o->families = families[ip];
	if (auth != QCLI_CONF_AUTH_UNSET && (unsigned)auth < sizeof(auths) / sizeof(auths[0]))
		o->auth = auths[auth];
}

void qcli_connect_conf_session(const struct qcli_conf *conf, unsigned i, struct qconn_opts *o)
{
	const struct qcli_conf_pdn *p = &conf->pdn[i];

	set_session(o, p->apn, p->user, p->password, p->ifname, p->ip_type, p->auth);
	if (p->profile >= 0)
		o->profile = p->profile;
	if (p->routes >= 0)
		o->no_routes = !p->routes;
}

int qcli_connect_conf_apply(struct qcli *cli, struct qcli_conf *conf, const char *name,
			    struct qconn_opts *o)
{
	char err[QCLI_CONF_ERRLEN];
	int ret = qcli_conf_load(conf, name, err, sizeof(err));

	if (ret == -EINVAL)
		return qcli_usage_error(cli, "connect: %s", err);
	if (ret)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "connect: %s", err);
	if (!cli->device && conf->device)
		cli->device = conf->device;
	set_session(o, conf->apn, conf->user, conf->password, conf->ifname, conf->ip_type,
		    conf->auth);
	if (conf->pin)
		o->pin = conf->pin; /* conf keeps it, and wipes it in qcli_conf_clear() */
	switch (conf->dns) {
	case QCLI_CONF_DNS_RESOLVCONF:
		o->dns_mode = QNET_DNS_RESOLVCONF;
		break;
	case QCLI_CONF_DNS_RESOLVED:
		o->dns_mode = QNET_DNS_RESOLVED;
		break;
	case QCLI_CONF_DNS_FILE:
		o->dns_mode = QNET_DNS_FILE;
		o->dns_file = conf->dns_file;
		break;
	case QCLI_CONF_DNS_NONE:
		o->dns_mode = QNET_DNS_NONE;
		break;
	case QCLI_CONF_DNS_UNSET:
		break;
	}
	/* 0 is the kernel's most preferred metric, which this option has no way to ask for:
	 * our default stands then. */
	if (conf->has_metric)
		o->route_metric = conf->metric;
	if (conf->data_format == QCLI_CONF_FORMAT_AUTO)
		o->data_format = QCONN_FMT_AUTO;
	else if (conf->data_format == QCLI_CONF_FORMAT_QMAP)
		o->data_format = QCONN_FMT_QMAP;
	else if (conf->data_format == QCLI_CONF_FORMAT_RAW_IP)
		o->data_format = QCONN_FMT_RAW_IP;
	return QCLI_EXIT_OK;
}
