/* SPDX-License-Identifier: MIT */
/*
 * The configuration file's [pdn] sections: one session each, for `connect` to bring up several
 * PDNs on one modem. A section's keys are checked exactly as the top-level keys of the same
 * name are (conf.c's setters, run on a scratch struct whose value the section then takes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/conf.h"

enum {
	K_APN,
	K_IP_TYPE,
	K_IFNAME,
	K_USER,
	K_PASSWORD_FILE,
	K_AUTH,
	K_PROFILE,
	K_ROUTES,
	K_N
};
static const char *const names[K_N] = { "apn",           "ip-type", "ifname",  "user",
					"password-file", "auth",    "profile", "routes" };

int qcli_conf_pdn_begin(struct qcli_conf *c, const char *s, unsigned line, char *why, size_t n)
{
	if (strcmp(s, "[pdn]")) {
		snprintf(why, n, "the only section is [pdn] (one per session)");
		return -EINVAL;
	}
	if (c->n_pdn == QCLI_CONF_MAX_PDN) {
		snprintf(why, n, "at most %d [pdn] sections", QCLI_CONF_MAX_PDN);
		return -EINVAL;
	}
	c->pdn[c->n_pdn++] = (struct qcli_conf_pdn){ .profile = -1, .routes = -1, .line = line };
	return 0;
}

static int set_profile(struct qcli_conf_pdn *p, const char *v, char *why, size_t n)
{
	char *end;
	long i = strtol(v, &end, 10);

	if (*v < '1' || *v > '9' || *end || i > 255) {
		snprintf(why, n, "profile: a profile number from 1 to 255");
		return -EINVAL;
	}
	p->profile = (int)i;
	return 0;
}

static int set_routes(struct qcli_conf_pdn *p, const char *v, char *why, size_t n)
{
	if (strcmp(v, "yes") && strcmp(v, "no")) {
		snprintf(why, n, "routes: yes (default routes through this session) or no");
		return -EINVAL;
	}
	p->routes = !strcmp(v, "yes");
	return 0;
}

int qcli_conf_pdn_set(struct qcli_conf *c, const char *key, const char *val, const char *dir,
		      unsigned line, char *why, size_t n)
{
	struct qcli_conf_pdn *p = &c->pdn[c->n_pdn - 1];
	struct qcli_conf tmp = { 0 };
	int k, r;

	for (k = 0; k < K_N && strcmp(names[k], key); k++)
		;
	if (k == K_N)
		return -ENOENT;
	if (p->seen[k]) {
		snprintf(why, n, "%s is set twice in this [pdn] (first on line %u)", key,
			 p->seen[k]);
		return -EINVAL;
	}
	if (k == K_PROFILE)
		r = set_profile(p, val, why, n);
	else if (k == K_ROUTES)
		r = set_routes(p, val, why, n);
	else
		r = qcli_conf_set_key(&tmp, key, val, dir, why, n);
	if (r)
		return r;
	p->seen[k] = line;
	/* The scratch struct held at most the one string set: it is the section's now. */
	switch (k) {
	case K_APN:
		p->apn = tmp.apn;
		break;
	case K_IP_TYPE:
		p->ip_type = tmp.ip_type;
		break;
	case K_IFNAME:
		p->ifname = tmp.ifname;
		break;
	case K_USER:
		p->user = tmp.user;
		break;
	case K_PASSWORD_FILE:
		p->password_file = tmp.password_file;
		p->password_line = line;
		break;
	case K_AUTH:
		p->auth = tmp.auth;
		break;
	}
	return 0;
}

void qcli_conf_pdn_clear(struct qcli_conf *c)
{
	for (unsigned i = 0; i < c->n_pdn && i < QCLI_CONF_MAX_PDN; i++) {
		struct qcli_conf_pdn *p = &c->pdn[i];

		qcli_secret_free(&p->password);
		free(p->apn);
		free(p->user);
		free(p->ifname);
		free(p->password_file);
	}
	c->n_pdn = 0;
}
