/* SPDX-License-Identifier: MIT */
/* The global options of `qmiusb`, parsed into struct qcli. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/optparse.h"
#include "proxy/sock.h"

enum {
	OPT_DEVICE = 1,
	OPT_VERBOSE,
	OPT_VERBOSE_FULL,
	OPT_JSON,
	OPT_TIMEOUT,
	OPT_SIM_FAULT,
	OPT_PROXY,
	OPT_NO_PROXY,
	OPT_CLIENT_CID,
	OPT_NO_RELEASE,
	OPT_HELP,
	OPT_VERSION,
	OPT_DETACH,
	OPT_NO_REATTACH,
	OPT_QUIRKS,
	OPT_TRUST_PROXY_USER,
	OPT_USB_CONFIG,
};

static const struct qcli_optdef global_opts[] = {
	{ 'd', "device", true, OPT_DEVICE },
	{ 'v', "verbose", false, OPT_VERBOSE },
	{ 0, "verbose-full", false, OPT_VERBOSE_FULL },
	{ 0, "json", false, OPT_JSON },
	{ 0, "timeout", true, OPT_TIMEOUT },
	{ 0, "sim-fault", true, OPT_SIM_FAULT },
	{ 'p', "proxy", false, OPT_PROXY },
	{ 0, "no-proxy", false, OPT_NO_PROXY },
	{ 0, "client-cid", true, OPT_CLIENT_CID },
	{ 0, "client-no-release-cid", false, OPT_NO_RELEASE },
	{ 'h', "help", false, OPT_HELP },
	{ 'V', "version", false, OPT_VERSION },
	{ 0, "detach", false, OPT_DETACH },
	{ 0, "no-reattach", false, OPT_NO_REATTACH },
	{ 0, "quirks", true, OPT_QUIRKS },
	{ 0, "trust-proxy-user", true, OPT_TRUST_PROXY_USER },
	{ 0, "usb-config", true, OPT_USB_CONFIG },
	{ 0, NULL, false, 0 },
};

void qcli_init(struct qcli *cli, FILE *out, FILE *err)
{
	memset(cli, 0, sizeof(*cli));
	cli->out = out;
	cli->err = err;
	cli->prog = "qmiusb";
	cli->timeout_ms = QCLI_DEFAULT_TIMEOUT_MS;
	cli->client_cid = -1;
	cli->sigfd = -1;
}

int qcli_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;
	int base = 10;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	}
	errno = 0;
	v = strtoul(s, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_timeout(const char *s, unsigned *ms)
{
	char *end;
	double sec;

	errno = 0;
	sec = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(sec) || sec <= 0 || sec > 86400)
		return -EINVAL;
	*ms = (unsigned)ceil(sec * 1000.0);
	if (*ms == 0)
		*ms = 1;
	return 0;
}

int qcli_parse_global(struct qcli *cli, int argc, char **argv, int *cmd_index)
{
	struct qcli_optscan s;
	unsigned long v;
	char err[160];
	int id;

	qcli_opt_init(&s, argc, argv, 1);
	while ((id = qcli_opt_next(&s, global_opts)) != 0) {
		switch (id) {
		case -1:
			return qcli_usage_error(cli, "unknown option '%s'", s.bad);
		case -2:
			return qcli_usage_error(cli, "option '%s' needs a value", s.bad);
		case -3:
			return qcli_usage_error(cli, "option '%s' takes no value", s.bad);
		case OPT_DEVICE:
			if (!*s.arg)
				return qcli_usage_error(cli, "-d/--device needs a device name");
			cli->device = s.arg;
			break;
		case OPT_VERBOSE:
			cli->verbose = true;
			break;
		case OPT_VERBOSE_FULL:
			cli->verbose = true;
			cli->verbose_full = true;
			break;
		case OPT_JSON:
			cli->json = true;
			break;
		case OPT_TIMEOUT:
			if (parse_timeout(s.arg, &cli->timeout_ms))
				return qcli_usage_error(
					cli,
					"invalid --timeout '%s' (seconds, greater than 0, e.g. 10 or 0.5)",
					s.arg);
			break;
		case OPT_SIM_FAULT:
			memset(&cli->faults, 0, sizeof(cli->faults));
			if (qsim_faults_parse(&cli->faults, s.arg, err, sizeof(err)))
				return qcli_usage_error(cli, "invalid --sim-fault '%s': %s", s.arg,
							err);
			cli->sim_fault = s.arg;
			break;
		case OPT_PROXY:
		case OPT_NO_PROXY:
			/* Letting the last one win would hide a mistake in a script. */
			if (cli->proxy != (id == OPT_PROXY ? QCLI_PROXY_OFF : QCLI_PROXY_ON))
				cli->proxy = id == OPT_PROXY ? QCLI_PROXY_ON : QCLI_PROXY_OFF;
			else
				return qcli_usage_error(cli,
							"-p/--proxy and --no-proxy exclude each "
							"other");
			break;
		case OPT_CLIENT_CID:
			if (qcli_parse_uint(s.arg, 254, &v) || v == 0)
				return qcli_usage_error(cli, "invalid --client-cid '%s' (1..254)",
							s.arg);
			cli->client_cid = (int)v;
			break;
		case OPT_NO_RELEASE:
			cli->no_release_cid = true;
			break;
		case OPT_DETACH: /* USB backend only */
			cli->usb_detach = true;
			break;
		case OPT_NO_REATTACH:
			cli->usb_no_reattach = true;
			break;
		case OPT_QUIRKS:
			cli->quirks_file = s.arg;
			break;
		case OPT_USB_CONFIG: /* USB backend only */
			if (qcli_parse_uint(s.arg, 255, &v) || v == 0)
				return qcli_usage_error(cli,
							"invalid --usb-config '%s' (a "
							"bConfigurationValue, 1..255)",
							s.arg);
			cli->usb_config = (uint8_t)v;
			break;
		case OPT_TRUST_PROXY_USER:
			if (qprx_parse_user(s.arg, &cli->trust_proxy_uid) < 0)
				return qcli_usage_error(cli,
							"unknown user '%s' for --trust-proxy-user",
							s.arg);
			cli->has_trust_proxy_uid = true;
			break;
		case OPT_HELP:
			qcli_print_help(cli->out, cli->prog);
			return QCLI_EXIT_OK;
		case OPT_VERSION:
			fprintf(cli->out, "%s %s\n", cli->prog, QMIUSB_VERSION);
			return QCLI_EXIT_OK;
		default:
			return qcli_usage_error(cli, "internal: unhandled option");
		}
	}
	if (cli->sim_fault && cli->device && strcmp(cli->device, "sim") != 0)
		return qcli_usage_error(cli, "--sim-fault only works with -d sim");
	/* Faults make sense only on the software modem, so they select it. */
	if (cli->sim_fault && !cli->device)
		cli->device = "sim";
	*cmd_index = s.i;
	return -1;
}

/* The global option tok names (itself, or with "=value"), or NULL. */
static const struct qcli_optdef *global_named(const char *tok)
{
	const struct qcli_optdef *o;

	for (o = global_opts; o->id; o++) {
		size_t n = o->long_name ? strlen(o->long_name) : 0;

		if (o->id == OPT_HELP || o->id == OPT_VERSION)
			continue; /* after a command they ask for its help */
		if (tok[1] == '-' && n && !strncmp(tok + 2, o->long_name, n) &&
		    (tok[2 + n] == '\0' || (o->has_arg && tok[2 + n] == '=')))
			return o;
		if (tok[1] != '-' && o->short_name && tok[1] == o->short_name && !tok[2])
			return o;
	}
	return NULL;
}

int qcli_parse_global_after(struct qcli *cli, int *argc, char **argv, const char *const *keep)
{
	int i, out = 1, ci;

	for (i = 1; i < *argc; i++) {
		const struct qcli_optdef *o = argv[i][0] == '-' ? global_named(argv[i]) : NULL;
		char *mini[4] = { argv[0], argv[i], NULL, NULL };
		bool kept = false;
		int rc;

		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		for (const char *const *k = keep; o && k && *k && !kept; k++)
			kept = o->long_name && !strcmp(*k, o->long_name);
		if (!o || kept) {
			argv[out++] = argv[i];
			continue;
		}
		if (o->has_arg && !strchr(argv[i], '=')) {
			if (i + 1 >= *argc)
				return qcli_usage_error(cli, "option '%s' needs a value", argv[i]);
			mini[2] = argv[++i];
		}
		rc = qcli_parse_global(cli, mini[2] ? 3 : 2, mini, &ci);
		if (rc >= 0)
			return rc;
	}
	argv[out] = NULL;
	*argc = out;
	return -1;
}

int qcli_parse_service(const char *s, uint8_t *svc)
{
	unsigned long v;

	if (!qcli_parse_uint(s, 0xFF, &v)) {
		*svc = (uint8_t)v;
		return 0;
	}
	for (unsigned i = 0; i <= 0xFF; i++) {
		const char *name = qmi_service_name((uint8_t)i);

		if (name && !strcasecmp(name, s)) {
			*svc = (uint8_t)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long qcli_parse_hex(char *const *strs, int n, uint8_t *buf, size_t cap)
{
	size_t len = 0;
	int hi = -1;

	for (int k = 0; k < n; k++) {
		for (const char *p = strs[k]; *p; p++) {
			int v;

			if (*p == ' ' || *p == '\t' || *p == ':' || *p == ',' || *p == '\n') {
				/* A separator may not split a byte: "0 1" is a typo, not 0x01. */
				if (hi >= 0)
					return -EINVAL;
				continue;
			}
			v = hexval(*p);
			if (v < 0)
				return -EINVAL;
			if (hi < 0) {
				hi = v;
				continue;
			}
			if (len >= cap)
				return -EMSGSIZE;
			buf[len++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
		if (hi >= 0)
			return -EINVAL;
	}
	return (long)len;
}
