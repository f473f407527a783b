/* SPDX-License-Identifier: MIT */
/* `qmiusb list`: every QMI function on USB, why it matched, and who holds it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "usb/usb.h"

static void quirk_err(void *user, const char *file, unsigned line, const char *msg)
{
	struct qcli *cli = user;
	if (line)
		fprintf(cli->err, "qmiusb: %s:%u: %s (line ignored)\n", file, line, msg);
	else
		fprintf(cli->err, "qmiusb: %s: %s\n", file, msg);
}

static void print_json(struct qcli *cli, const struct qusb_entry *v, size_t n, int rc)
{
	struct qcli_json j;
	char buf[48];

	qcli_json_init(&j, cli->out);
	qcli_json_obj_begin(&j, NULL);
	qcli_json_str(&j, "command", "list");
	qcli_json_arr_begin(&j, "modems");
	for (size_t i = 0; i < n; i++) {
		const struct qusb_entry *e = &v[i];
		const struct qusb_func *f = &e->func;

		qcli_json_obj_begin(&j, NULL);
		snprintf(buf, sizeof(buf), "usb:%s:%u", e->path, f->ctrl_iface);
		qcli_json_str(&j, "device", buf);
		qcli_json_str(&j, "path", e->path);
		qcli_json_uint(&j, "usb_bus", e->bus);
		qcli_json_uint(&j, "usb_address", e->addr);
		snprintf(buf, sizeof(buf), "%04x:%04x", e->vid, e->pid);
		qcli_json_str(&j, "usb_id", buf);
		qcli_json_str(&j, "manufacturer", e->manufacturer[0] ? e->manufacturer : NULL);
		qcli_json_str(&j, "product", e->product[0] ? e->product : NULL);
		qcli_json_str(&j, "serial", e->serial[0] ? e->serial : NULL);
		qcli_json_uint(&j, "configuration", e->config);
		qcli_json_uint(&j, "active_configuration", e->active);
		qcli_json_uint(&j, "control_interface", f->ctrl_iface);
		qcli_json_uint(&j, "data_interface", f->data_iface);
		qcli_json_uint(&j, "data_alt", f->data_alt);
		qcli_json_uint(&j, "ep_notify", f->ep_notify);
		qcli_json_uint(&j, "ep_in", f->ep_in);
		qcli_json_uint(&j, "ep_out", f->ep_out);
		qcli_json_bool(&j, "cdc_union", f->cdc_union);
		qcli_json_bool(&j, "dtr", (f->flags & QUSB_QUIRK_DTR) || e->bcd_usb >= 0x0201);
		qcli_json_str(&j, "match", f->why == QUSB_WHY_QUIRK ? "quirk" : "generic");
		qcli_json_str(&j, "why", e->why);
		qcli_json_str(&j, "driver", e->driver[0] ? e->driver : NULL);
		qcli_json_obj_end(&j);
	}
	qcli_json_arr_end(&j);
	if (rc) { /* one object, failures included */
		cli->js = &j;
		qcli_json_error(cli);
		cli->js = NULL;
	}
	qcli_json_obj_end(&j);
	fputc('\n', cli->out);
	qcli_json_finish(&j);
}

int qcli_cmd_list(struct qcli *cli, int argc, char **argv)
{
	struct qusb_quirks q;
	struct qusb_selector sel;
	struct qusb_entry *v = NULL;
	size_t n = 0;
	char err[512];
	bool filtered = false;
	int rc, r;

	rc = qcli_command_noargs(cli, argc, argv);
	if (rc >= 0)
		return qcli_daemon_exit(cli, rc);
	/* -d usb:... narrows the list; -d sim (or nothing) lists everything. */
	if (cli->device && !strncmp(cli->device, "usb", 3)) {
		if (qusb_selector_parse(cli->device, &sel, err, sizeof(err)) < 0)
			return qcli_daemon_exit(cli, qcli_usage_error(cli, "%s", err));
		filtered = sel.kind != QUSB_SEL_ANY;
	}
	qusb_quirks_init(&q);
	r = qusb_quirks_load_default(&q, cli->quirks_file, quirk_err, cli);
	if (r < 0)
		fprintf(cli->err,
			"qmiusb: cannot load the shipped quirks table: %s; using the "
			"generic rule only%s%s%s\n",
			strerror(-r), cli->quirks_file ? " (" : "",
			cli->quirks_file ? cli->quirks_file : "",
			cli->quirks_file ? " not loaded either)" : "");
	r = qusb_scan(filtered ? &sel : NULL, &q, &v, &n, err, sizeof(err));
	qusb_quirks_clear(&q);
	if (r < 0) {
		rc = qcli_daemon_exit(cli, qcli_fail(cli, QCLI_EXIT_DEVICE, "%s", err));
		goto out;
	}
	rc = QCLI_EXIT_OK;
	if (filtered && n == 0)
		rc = qcli_fail(cli, QCLI_EXIT_DEVICE, "no QMI modem matches %s", cli->device);
	if (cli->json)
		print_json(cli, v, n, rc);
	else if (n || !filtered)
		qusb_print_entries(cli->out, v, n);
out:
	free(v);
	return rc;
}
