/* SPDX-License-Identifier: MIT */
/*
 * WDS profile management: a table of 3GPP profiles (index = slot + 1) the host lists, reads,
 * creates, modifies and deletes. Failures about a profile come as the firmware sends them:
 * QMI error Extended Internal with the profile error in TLV 0xE0.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/messages.h"

/* QmiWdsDsProfileError values this modem uses. */
#define PROFILE_ERR_INVALID_TYPE 4
#define PROFILE_ERR_INVALID_NUMBER 5
#define PROFILE_ERR_FAIL 1

#define PDP_IPV4 0
#define PDP_IPV4_OR_IPV6 3
#define PDP_MAX 4 /* non-ip */

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

void qsim_profiles_init(struct qsim *sim)
{
	struct qsim_profile *p = sim->profiles;

	memset(sim->profiles, 0, sizeof(sim->profiles));
	p[0].used = true;
	p[0].pdp_type = PDP_IPV4_OR_IPV6;
	COPY(p[0].name, "internet");
	COPY(p[0].apn, "internet");
	p[1].used = true;
	p[1].pdp_type = PDP_IPV4_OR_IPV6;
	COPY(p[1].name, "ims");
	COPY(p[1].apn, "ims");
	sim->default_profile = 1;
}

/* Responds with Extended Internal and the profile error in the request's own response. */
static int refuse(struct qsim *sim, const struct qmi_frame *req, uint16_t ext)
{
	union {
		struct qmi_wds_create_profile_resp c;
		struct qmi_wds_modify_profile_resp m;
		struct qmi_wds_delete_profile_resp d;
		struct qmi_wds_get_profile_settings_resp s;
		struct qmi_wds_get_default_profile_number_resp n;
	} r;

	memset(&r, 0, sizeof(r));
	switch (req->msg_id) {
	case QMI_WDS_CREATE_PROFILE:
		r.c.has_extended_error = true;
		r.c.extended_error = ext;
		break;
	case QMI_WDS_MODIFY_PROFILE:
		r.m.has_extended_error = true;
		r.m.extended_error = ext;
		break;
	case QMI_WDS_DELETE_PROFILE:
		r.d.has_extended_error = true;
		r.d.extended_error = ext;
		break;
	case QMI_WDS_GET_PROFILE_SETTINGS:
		r.s.has_extended_error = true;
		r.s.extended_error = ext;
		break;
	default:
		r.n.has_extended_error = true;
		r.n.extended_error = ext;
		break;
	}
	return qsim_respond(sim, req, QMI_ERR_EXTENDED_INTERNAL, &r);
}

/* The refusal for a profile lookup() did not find: the type, or else the number, is wrong. */
static int refuse_missing(struct qsim *sim, const struct qmi_frame *req, uint8_t type)
{
	return refuse(sim, req,
		      type != QMI_WDS_PROFILE_TYPE_3GPP ? PROFILE_ERR_INVALID_TYPE
							: PROFILE_ERR_INVALID_NUMBER);
}

static struct qsim_profile *lookup(struct qsim *sim, uint8_t type, uint8_t index)
{
	if (type != QMI_WDS_PROFILE_TYPE_3GPP || index < 1 || index > QSIM_MAX_PROFILES)
		return NULL;
	return sim->profiles[index - 1].used ? &sim->profiles[index - 1] : NULL;
}

/*
 * Decodes a request whose TLV 0x01 names a profile (has/id point into q) and finds that profile.
 * NULL once the request is answered with the refusal (*ret is then what answering it returned).
 */
static struct qsim_profile *named_profile(struct qsim *sim, const struct qmi_frame *req,
					  const struct qmi_msg_def *def, void *q, bool *has,
					  struct qmi_wds_profile_id *id, int *ret)
{
	struct qsim_profile *p;

	if (qmi_msg_decode(def, req->tlvs, req->tlvs_len, q) < 0) {
		*ret = qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
		return NULL;
	}
	if (!*has) {
		*ret = qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
		return NULL;
	}
	p = lookup(sim, id->type, id->index);
	if (!p)
		*ret = refuse_missing(sim, req, id->type);
	return p;
}

static int get_list(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wds_get_profile_list_req q;
	struct qmi_wds_get_profile_list_resp r;

	if (qmi_msg_decode(&qmi_wds_get_profile_list_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (q.has_profile_type && q.profile_type > QMI_WDS_PROFILE_TYPE_EPC)
		return qsim_respond(sim, req, QMI_ERR_INVALID_PROFILE_TYPE, NULL);
	memset(&r, 0, sizeof(r));
	r.has_profiles = true;
	if (q.has_profile_type && q.profile_type != QMI_WDS_PROFILE_TYPE_3GPP)
		return qsim_respond(sim, req, 0, &r);
	for (unsigned i = 0; i < QSIM_MAX_PROFILES; i++) {
		struct qmi_wds_profile_entry *e = &r.profiles[r.n_profiles];

		if (!sim->profiles[i].used)
			continue;
		e->type = QMI_WDS_PROFILE_TYPE_3GPP;
		e->index = (uint8_t)(i + 1);
		COPY(e->name, sim->profiles[i].name);
		r.n_profiles++;
	}
	return qsim_respond(sim, req, 0, &r);
}

static int get_settings(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wds_get_profile_settings_req q;
	struct qmi_wds_get_profile_settings_resp r;
	int ret;
	const struct qsim_profile *p = named_profile(sim, req,
						     &qmi_wds_get_profile_settings_req_def, &q,
						     &q.has_profile, &q.profile, &ret);

	if (!p)
		return ret;
	memset(&r, 0, sizeof(r));
	r.has_profile_name = r.has_pdp_type = r.has_apn = r.has_auth = true;
	COPY(r.profile_name, p->name);
	r.pdp_type = p->pdp_type;
	COPY(r.apn, p->apn);
	r.auth = p->auth;
	r.has_username = p->user[0] != '\0';
	COPY(r.username, p->user);
	r.has_password = p->password[0] != '\0';
	COPY(r.password, p->password);
	return qsim_respond(sim, req, 0, &r);
}

/* Create and Modify carry the same optional settings; NULL fields are absent. */
struct settings {
	const bool *has_name, *has_pdp, *has_apn, *has_user, *has_pass, *has_auth;
	const char *name, *apn, *user, *pass;
	const uint8_t *pdp, *auth;
};

static bool settings_valid(const struct settings *s)
{
	return !(*s->has_pdp && *s->pdp > PDP_MAX) && !(*s->has_auth && *s->auth > 3);
}

static void settings_apply(struct qsim_profile *p, const struct settings *s)
{
	if (*s->has_name)
		COPY(p->name, s->name);
	if (*s->has_pdp)
		p->pdp_type = *s->pdp;
	if (*s->has_apn)
		COPY(p->apn, s->apn);
	if (*s->has_user)
		COPY(p->user, s->user);
	if (*s->has_pass)
		COPY(p->password, s->pass);
	if (*s->has_auth)
		p->auth = *s->auth;
}

#define SETTINGS(q)                                                                                \
	{                                                                                          \
		&(q).has_profile_name, &(q).has_pdp_type, &(q).has_apn, &(q).has_username,         \
			&(q).has_password, &(q).has_auth, (q).profile_name, (q).apn, (q).username, \
			(q).password, &(q).pdp_type, &(q).auth                                     \
	}

static int create(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wds_create_profile_req q;
	struct qmi_wds_create_profile_resp r = { .has_profile = true };
	struct settings s = SETTINGS(q);
	unsigned i;

	if (qmi_msg_decode(&qmi_wds_create_profile_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_profile_type)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	if (q.profile_type != QMI_WDS_PROFILE_TYPE_3GPP)
		return refuse(sim, req, PROFILE_ERR_INVALID_TYPE);
	if (!settings_valid(&s))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	for (i = 0; i < QSIM_MAX_PROFILES && sim->profiles[i].used; i++)
		;
	if (i == QSIM_MAX_PROFILES)
		return refuse(sim, req, PROFILE_ERR_FAIL);
	memset(&sim->profiles[i], 0, sizeof(sim->profiles[i]));
	sim->profiles[i].used = true;
	sim->profiles[i].pdp_type = PDP_IPV4;
	settings_apply(&sim->profiles[i], &s);
	memset(&q, 0, sizeof(q)); /* the password */
	r.profile.type = QMI_WDS_PROFILE_TYPE_3GPP;
	r.profile.index = (uint8_t)(i + 1);
	return qsim_respond(sim, req, 0, &r);
}

static int modify(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wds_modify_profile_req q;
	struct settings s = SETTINGS(q);
	int ret;
	struct qsim_profile *p = named_profile(sim, req, &qmi_wds_modify_profile_req_def, &q,
					       &q.has_profile, &q.profile, &ret);

	if (!p)
		return ret;
	if (!settings_valid(&s))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	settings_apply(p, &s);
	memset(&q, 0, sizeof(q));
	return qsim_respond(sim, req, 0, NULL);
}

static int delete (struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wds_delete_profile_req q;
	int ret;
	struct qsim_profile *p = named_profile(sim, req, &qmi_wds_delete_profile_req_def, &q,
					       &q.has_profile, &q.profile, &ret);

	if (!p)
		return ret;
	/* Firmware keeps the default profile: deleting it fails. */
	if (q.profile.index == sim->default_profile)
		return refuse(sim, req, PROFILE_ERR_FAIL);
	memset(p, 0, sizeof(*p));
	return qsim_respond(sim, req, 0, NULL);
}

static int get_default(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wds_get_default_profile_number_req q;
	struct qmi_wds_get_default_profile_number_resp r = { .has_index = true };

	if (qmi_msg_decode(&qmi_wds_get_default_profile_number_req_def, req->tlvs, req->tlvs_len,
			   &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_profile)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	if (q.profile.type != QMI_WDS_PROFILE_TYPE_3GPP)
		return refuse(sim, req, PROFILE_ERR_INVALID_TYPE);
	r.index = sim->default_profile;
	return qsim_respond(sim, req, 0, &r);
}

int qsim_wds_profile_handle(struct qsim *sim, const struct qmi_frame *req)
{
	switch (req->msg_id) {
	case QMI_WDS_GET_PROFILE_LIST:
		return get_list(sim, req);
	case QMI_WDS_GET_PROFILE_SETTINGS:
		return get_settings(sim, req);
	case QMI_WDS_CREATE_PROFILE:
		return create(sim, req);
	case QMI_WDS_MODIFY_PROFILE:
		return modify(sim, req);
	case QMI_WDS_DELETE_PROFILE:
		return delete (sim, req);
	case QMI_WDS_GET_DEFAULT_PROFILE_NUMBER:
		return get_default(sim, req);
	}
	return -ENOENT;
}
