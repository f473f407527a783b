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
	if (conf->apn)
		o->apn = conf->apn;
	if (conf->user)
		o->user = conf->user;
	if (conf->password)
		o->password = conf->password;
	if (conf->pin)
		o->pin = conf->pin; /* conf keeps it, and wipes it in qcli_conf_clear() */
	if (conf->ifname)
		o->ifname = conf->ifname;
	switch (conf->ip_type) {
	case QCLI_CONF_IP_4:
		o->families = QCONN_V4;
		break;
	case QCLI_CONF_IP_6:
		o->families = QCONN_V6;
		break;
	case QCLI_CONF_IP_4V6:
		o->families = QCONN_V4 | QCONN_V6;
		break;
	case QCLI_CONF_IP_UNSET:
		break;
	}
	switch (conf->auth) {
	case QCLI_CONF_AUTH_NONE:
		o->auth = QMI_WDS_AUTH_NONE;
		break;
	case QCLI_CONF_AUTH_PAP:
		o->auth = QMI_WDS_AUTH_PAP;
		break;
	case QCLI_CONF_AUTH_CHAP:
		o->auth = QMI_WDS_AUTH_CHAP;
		break;
	case QCLI_CONF_AUTH_BOTH:
		o->auth = QMI_WDS_AUTH_PAP | QMI_WDS_AUTH_CHAP;
		break;
	case QCLI_CONF_AUTH_UNSET:
		break;
	}
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
