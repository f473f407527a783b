/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb profile list|show N|create|modify N|delete N`: the modem's 3GPP profiles through WDS,
 * in qmicli's layouts (--wds-get-profile-list, --wds-create-profile, ...). The password is
 * sent but never printed: listings say whether one is set.
 */
#include <errno.h>
#include <string.h>

#include "base/wipe.h"
#include "cli/online.h"
#include "cli/optparse.h"
#include "qmi/errors.h"
#include "qmi/messages.h"

enum op {
	OP_LIST,
	OP_SHOW,
	OP_CREATE,
	OP_MODIFY,
	OP_DELETE
};

static const struct {
	const char *word;
	bool index;    /* takes a profile number */
	bool settings; /* takes --apn etc. */
	const char *what;
} ops[] = {
	[OP_LIST] = { "list", false, false, "couldn't get profile list" },
	[OP_SHOW] = { "show", true, false, "couldn't get profile settings" },
	[OP_CREATE] = { "create", false, true, "couldn't create profile" },
	[OP_MODIFY] = { "modify", true, true, "couldn't modify profile" },
	[OP_DELETE] = { "delete", true, false, "couldn't delete profile" },
};

/* The profile settings given on the command line (strings borrow from argv). */
struct settings {
	const char *name, *apn, *user, *password;
	bool has_pdp, has_auth;
	uint8_t pdp, auth;
};

/* QmiWdsDsProfileError names for the extended error of a refused profile operation. */
static const char *ds_profile_error(uint16_t e)
{
	static const char *const names[] = {
		"unknown",
		"fail",
		"invalid-handle",
		"invalid-operation",
		"invalid-profile-type",
		"invalid-profile-number",
		"invalid-profile-id",
		"invalid-argument",
		"registry-not-initialized",
		"invalid-parameter-length",
		"list-end",
		"invalid-subscription-id",
		"invalid-profile-family",
	};

	return e < sizeof(names) / sizeof(names[0]) ? names[e] : NULL;
}

static int refused(struct qcli *cli, enum op op, int err, const struct qmi_result *res,
		   bool has_ext, uint16_t ext)
{
	char what[128];
	const char *name = ds_profile_error(ext);

	if (err || !has_ext || res->error != QMI_ERR_EXTENDED_INTERNAL)
		return qcli_report(cli, ops[op].what, err, res);
	if (name)
		snprintf(what, sizeof(what), "%s (ds profile error: %s)", ops[op].what, name);
	else
		snprintf(what, sizeof(what), "%s (ds profile error: %u)", ops[op].what, ext);
	return qcli_report(cli, what, 0, res);
}

static void print_settings(struct qcli *cli, unsigned index, const char *name,
			   const struct qmi_wds_get_profile_settings_resp *s)
{
	char buf[64];

	if (cli->js) {
		qcli_json_obj_begin(cli->js, NULL);
		qcli_json_uint(cli->js, "index", index);
		qcli_json_str(cli->js, "type", "3gpp");
		qcli_json_str(cli->js, "name", name);
		qcli_json_str(cli->js, "apn", s->has_apn ? s->apn : NULL);
		if (s->has_pdp_type)
			qcli_json_enum(cli->js, "pdp_type",
				       qmi_enum_name(&qmi_enum_wds_pdp_type, s->pdp_type),
				       s->pdp_type);
		else
			qcli_json_null(cli->js, "pdp_type");
		qcli_json_str(cli->js, "username", s->has_username ? s->username : NULL);
		qcli_json_bool(cli->js, "password_set", s->has_password && s->password[0]);
		qcli_json_str(cli->js, "auth",
			      s->has_auth
				      ? qcli_mask_str(&qmi_enum_wds_auth, s->auth, buf, sizeof(buf))
				      : NULL);
		qcli_json_obj_end(cli->js);
		return;
	}
	fprintf(cli->out, "\t[%u] 3gpp - %s\n", index, name);
	if (s->has_apn)
		fprintf(cli->out, "\t\tAPN: '%s'\n", s->apn);
	if (s->has_pdp_type)
		fprintf(cli->out, "\t\tPDP type: '%s'\n",
			QCLI_ENUM(qmi_enum_name(&qmi_enum_wds_pdp_type, s->pdp_type), s->pdp_type));
	if (s->has_username)
		fprintf(cli->out, "\t\tUsername: '%s'\n", s->username);
	if (s->has_password && s->password[0])
		fprintf(cli->out, "\t\tPassword: (set, not shown)\n");
	if (s->has_auth)
		fprintf(cli->out, "\t\tAuth: '%s'\n",
			qcli_mask_str(&qmi_enum_wds_auth, s->auth, buf, sizeof(buf)));
}

static int get_settings(struct qcli *cli, uint8_t wds, unsigned index,
			struct qmi_wds_get_profile_settings_resp *s)
{
	struct qmi_wds_get_profile_settings_req q = { .has_profile = true };
	struct qmi_result res;
	int err;

	q.profile.type = QMI_WDS_PROFILE_TYPE_3GPP;
	q.profile.index = (uint8_t)index;
	err = qcli_call_keep(cli, wds, &qmi_wds_get_profile_settings_req_def, &q,
			     &qmi_wds_get_profile_settings_resp_def, s, &res);
	if (err || res.status)
		return refused(cli, OP_SHOW, err, &res, !err && s->has_extended_error,
			       s->extended_error);
	return QCLI_EXIT_OK;
}

static int list(struct qcli *cli, uint8_t wds)
{
	struct qmi_wds_get_profile_list_req q = { .has_profile_type = true,
						  .profile_type = QMI_WDS_PROFILE_TYPE_3GPP };
	struct qmi_wds_get_profile_list_resp l;
	struct qmi_wds_get_default_profile_number_req dq = { .has_profile = true };
	struct qmi_wds_get_default_profile_number_resp d;
	struct qmi_wds_get_profile_settings_resp s;
	struct qmi_result res;
	int err, rc = QCLI_EXIT_OK;

	err = qcli_call_keep(cli, wds, &qmi_wds_get_profile_list_req_def, &q,
			     &qmi_wds_get_profile_list_resp_def, &l, &res);
	if (err || res.status)
		return refused(cli, OP_LIST, err, &res, !err && l.has_extended_error,
			       l.extended_error);
	if (cli->js)
		qcli_json_arr_begin(cli->js, "profiles");
	else if (!l.n_profiles)
		fprintf(cli->out, "Profile list empty\n");
	else
		fprintf(cli->out, "Profile list retrieved:\n");
	for (unsigned i = 0; i < l.n_profiles && !rc; i++) {
		if (l.profiles[i].type != QMI_WDS_PROFILE_TYPE_3GPP)
			continue;
		rc = get_settings(cli, wds, l.profiles[i].index, &s);
		if (!rc)
			print_settings(cli, l.profiles[i].index, l.profiles[i].name, &s);
		qb_wipe(&s, sizeof(s));
	}
	if (cli->js)
		qcli_json_arr_end(cli->js);
	if (rc)
		return rc;
	dq.profile.type = QMI_WDS_PROFILE_TYPE_3GPP;
	dq.profile.family = QMI_WDS_PROFILE_FAMILY_EMBEDDED;
	err = qcli_call_keep(cli, wds, &qmi_wds_get_default_profile_number_req_def, &dq,
			     &qmi_wds_get_default_profile_number_resp_def, &d, &res);
	/* Not every firmware keeps a default: its absence is no failure of the listing. */
	if (err || res.status || !d.has_index) {
		if (cli->js)
			qcli_json_null(cli->js, "default");
		return QCLI_EXIT_OK;
	}
	if (cli->js)
		qcli_json_uint(cli->js, "default", d.index);
	else
		fprintf(cli->out,
			"Default profile number retrieved:\n"
			"\tDefault profile number: '%u'\n",
			d.index);
	return QCLI_EXIT_OK;
}

static int show(struct qcli *cli, uint8_t wds, unsigned index)
{
	struct qmi_wds_get_profile_settings_resp s;
	int rc = get_settings(cli, wds, index, &s);

	if (rc)
		return rc;
	if (cli->js) {
		qcli_json_arr_begin(cli->js, "profiles");
		print_settings(cli, index, s.has_profile_name ? s.profile_name : "", &s);
		qcli_json_arr_end(cli->js);
	} else {
		fprintf(cli->out, "Profile settings retrieved:\n");
		print_settings(cli, index, s.has_profile_name ? s.profile_name : "", &s);
	}
	qb_wipe(&s, sizeof(s));
	return QCLI_EXIT_OK;
}

/* Create and Modify have the same settings TLVs under the same names. */
#define FILL(q, st)                                                                                \
	do {                                                                                       \
		if ((st)->name) {                                                                  \
			(q).has_profile_name = true;                                               \
			snprintf((q).profile_name, sizeof((q).profile_name), "%s", (st)->name);    \
		}                                                                                  \
		if ((st)->apn) {                                                                   \
			(q).has_apn = true;                                                        \
			snprintf((q).apn, sizeof((q).apn), "%s", (st)->apn);                       \
		}                                                                                  \
		if ((st)->user) {                                                                  \
			(q).has_username = true;                                                   \
			snprintf((q).username, sizeof((q).username), "%s", (st)->user);            \
		}                                                                                  \
		if ((st)->password) {                                                              \
			(q).has_password = true;                                                   \
			snprintf((q).password, sizeof((q).password), "%s", (st)->password);        \
		}                                                                                  \
		(q).has_pdp_type = (st)->has_pdp;                                                  \
		(q).pdp_type = (st)->pdp;                                                          \
		(q).has_auth = (st)->has_auth;                                                     \
		(q).auth = (st)->auth;                                                             \
	} while (0)

static int create(struct qcli *cli, uint8_t wds, const struct settings *st)
{
	struct qmi_wds_create_profile_req q = { .has_profile_type = true,
						.profile_type = QMI_WDS_PROFILE_TYPE_3GPP };
	struct qmi_wds_create_profile_resp r;
	struct qmi_result res;
	int err;

	FILL(q, st);
	err = qcli_call_keep(cli, wds, &qmi_wds_create_profile_req_def, &q,
			     &qmi_wds_create_profile_resp_def, &r, &res);
	qb_wipe(&q, sizeof(q));
	if (err || res.status)
		return refused(cli, OP_CREATE, err, &res, !err && r.has_extended_error,
			       r.extended_error);
	if (!r.has_profile)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "%s: the modem did not say which",
				 ops[OP_CREATE].what);
	if (cli->js) {
		qcli_json_obj_begin(cli->js, "created");
		qcli_json_enum(cli->js, "type",
			       qmi_enum_name(&qmi_enum_wds_profile_type, r.profile.type),
			       r.profile.type);
		qcli_json_uint(cli->js, "index", r.profile.index);
		qcli_json_obj_end(cli->js);
		return QCLI_EXIT_OK;
	}
	fprintf(cli->out, "New profile created:\n\tProfile type: '%s'\n\tProfile index: '%u'\n",
		QCLI_ENUM(qmi_enum_name(&qmi_enum_wds_profile_type, r.profile.type),
			  r.profile.type),
		r.profile.index);
	return QCLI_EXIT_OK;
}

static int modify_or_delete(struct qcli *cli, enum op op, uint8_t wds, unsigned index,
			    const struct settings *st)
{
	struct qmi_wds_modify_profile_req m = { .has_profile = true };
	struct qmi_wds_delete_profile_req d = { .has_profile = true };
	struct qmi_wds_modify_profile_resp r; /* the same layout as Delete Profile's */
	struct qmi_result res;
	int err;

	if (op == OP_MODIFY) {
		m.profile.type = QMI_WDS_PROFILE_TYPE_3GPP;
		m.profile.index = (uint8_t)index;
		FILL(m, st);
		err = qcli_call_keep(cli, wds, &qmi_wds_modify_profile_req_def, &m,
				     &qmi_wds_modify_profile_resp_def, &r, &res);
		qb_wipe(&m, sizeof(m));
	} else {
		d.profile.type = QMI_WDS_PROFILE_TYPE_3GPP;
		d.profile.index = (uint8_t)index;
		err = qcli_call_keep(cli, wds, &qmi_wds_delete_profile_req_def, &d,
				     &qmi_wds_delete_profile_resp_def, &r, &res);
	}
	if (err || res.status)
		return refused(cli, op, err, &res, !err && r.has_extended_error, r.extended_error);
	if (cli->js)
		qcli_json_uint(cli->js, op == OP_MODIFY ? "modified" : "deleted", index);
	else
		fprintf(cli->out, "Profile successfully %s.\n",
			op == OP_MODIFY ? "modified" : "deleted");
	return QCLI_EXIT_OK;
}

static int parse_pdp(const char *s, uint8_t *out)
{
	int64_t v;

	if (!strcmp(s, "ipv4v6"))
		s = "ipv4-or-ipv6";
	if (qmi_enum_value(&qmi_enum_wds_pdp_type, s, &v) < 0)
		return -EINVAL;
	*out = (uint8_t)v;
	return 0;
}

static int parse_auth(const char *s, uint8_t *out)
{
	int64_t v;

	if (!strcmp(s, "both") || !strcmp(s, "pap|chap") || !strcmp(s, "pap,chap")) {
		*out = QMI_WDS_AUTH_PAP | QMI_WDS_AUTH_CHAP;
		return 0;
	}
	if (qmi_enum_value(&qmi_enum_wds_auth, s, &v) < 0)
		return -EINVAL;
	*out = (uint8_t)v;
	return 0;
}

enum {
	O_HELP = 1,
	O_NAME,
	O_APN,
	O_PDP,
	O_AUTH,
	O_USER,
	O_PASSWORD
};

/* Options may come before or after the operands. Returns -1 to go on, else an exit code. */
static int parse(struct qcli *cli, int argc, char **argv, struct settings *st, char **pos,
		 int *npos)
{
	static const struct qcli_optdef opts[] = {
		{ 'h', "help", false, O_HELP },      { 0, "name", true, O_NAME },
		{ 0, "apn", true, O_APN },           { 0, "pdp-type", true, O_PDP },
		{ 0, "auth", true, O_AUTH },         { 0, "user", true, O_USER },
		{ 0, "password", true, O_PASSWORD }, { 0, NULL, false, 0 },
	};
	struct qcli_optscan s;
	int id;

	*npos = 0;
	qcli_opt_init(&s, argc, argv, 1);
	for (;;) {
		id = qcli_opt_next(&s, opts);
		if (id == 0) {
			if (s.i >= argc)
				return -1;
			if (*npos == 2)
				return qcli_usage_error(cli, "profile: too many arguments ('%s')",
							argv[s.i]);
			pos[(*npos)++] = argv[s.i];
			qcli_opt_init(&s, argc, argv, s.i + 1);
			continue;
		}
		switch (id) {
		case O_HELP:
			qcli_print_command_help(cli->out, cli->prog, cli->cmd);
			return QCLI_EXIT_OK;
		case O_NAME:
			st->name = s.arg;
			break;
		case O_APN:
			st->apn = s.arg;
			break;
		case O_USER:
			st->user = s.arg;
			break;
		case O_PASSWORD:
			st->password = s.arg;
			break;
		case O_PDP:
			if (parse_pdp(s.arg, &st->pdp) < 0)
				return qcli_usage_error(cli,
							"profile: unknown --pdp-type '%s' (ipv4, "
							"ipv6, ipv4v6, ppp, non-ip)",
							s.arg);
			st->has_pdp = true;
			break;
		case O_AUTH:
			if (parse_auth(s.arg, &st->auth) < 0)
				return qcli_usage_error(cli,
							"profile: unknown --auth '%s' (none, pap, "
							"chap, both)",
							s.arg);
			st->has_auth = true;
			break;
		default:
			return qcli_usage_error(cli, "profile: %s option '%s'",
						id == -2 ? "missing value for" : "unknown", s.bad);
		}
	}
}

int qcli_cmd_profile(struct qcli *cli, int argc, char **argv)
{
	struct settings st = { 0 };
	char *pos[2];
	unsigned long index = 0;
	int npos, rc;
	enum op op;
	uint8_t wds;

	rc = parse(cli, argc, argv, &st, pos, &npos);
	if (rc >= 0)
		return rc;
	if (!npos)
		return qcli_usage_error(cli, "profile: missing operation (list, show, create, "
					     "modify, delete)");
	for (op = OP_LIST; op <= OP_DELETE; op++)
		if (!strcmp(pos[0], ops[op].word))
			break;
	if (op > OP_DELETE)
		return qcli_usage_error(cli, "profile: unknown operation '%s'", pos[0]);
	if (ops[op].index != (npos == 2))
		return qcli_usage_error(cli,
					ops[op].index ? "profile %s needs a profile number"
						      : "profile %s takes no profile number",
					ops[op].word);
	if (ops[op].index && (qcli_parse_uint(pos[1], 255, &index) < 0 || !index))
		return qcli_usage_error(cli, "profile: bad profile number '%s'", pos[1]);
	if (!ops[op].settings &&
	    (st.name || st.apn || st.user || st.password || st.has_pdp || st.has_auth))
		return qcli_usage_error(cli, "profile %s takes no settings", ops[op].word);
	if (op == OP_MODIFY &&
	    !(st.name || st.apn || st.user || st.password || st.has_pdp || st.has_auth))
		return qcli_usage_error(cli, "profile modify: nothing to change (--apn, --name, "
					     "--pdp-type, --auth, --user, --password)");
	rc = qcli_session_client(cli, QMI_SVC_WDS, &wds);
	if (rc)
		return rc;
	switch (op) {
	case OP_LIST:
		return list(cli, wds);
	case OP_SHOW:
		return show(cli, wds, (unsigned)index);
	case OP_CREATE:
		return create(cli, wds, &st);
	default:
		return modify_or_delete(cli, op, wds, (unsigned)index, &st);
	}
}
