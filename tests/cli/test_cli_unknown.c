/* SPDX-License-Identifier: MIT */
/*
 * Enum values no table names (firmware adds them) print as their numbers: in human output and
 * in JSON, never as null or a bare "unknown". The frames are NAS Get Serving System and UIM Get
 * Card Status responses laid out as libqmi documents them (qmi-service-nas.json,
 * qmi-service-uim.json), with values past the last one libqmi's enums define
 * (qmi-enums-nas.h, qmi-enums-uim.h), decoded by the message database and printed by `status`.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/json.h"
#include "jsonq.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))

/* Registration state 17, CS attach 9, PS attached, selected network 7, radio interfaces LTE and
 * 13; roaming indicator 64; data capability 42. */
static const uint8_t serving_tlvs[] = {
	0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,                   /* result: success */
	0x01, 0x07, 0x00, 0x11, 0x09, 0x01, 0x07, 0x02, 0x08, 0x0d, /* serving system */
	0x10, 0x01, 0x00, 0x40,                                     /* roaming indicator */
	0x11, 0x03, 0x00, 0x02, 0x01, 0x2a,                         /* data capabilities */
};

/* One present card, UPIN state 9; one application of type 8, state 12, personalization state
 * 7, PIN1 state 6 (3 retries), PIN2 enabled-verified. */
static const uint8_t card_tlvs[] = {
	0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, /* result: success */
	0x10, 0x1f, 0x00,                         /* card status: 31 bytes */
	0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff,                                     /* primary GW app 0 of slot 0; others none */
	0x01,                                     /* one card */
	0x01, 0x09, 0x03, 0x0a, 0x00,             /* present, UPIN 9, 3/10 retries, no error */
	0x01,                                     /* one application */
	0x08, 0x0c, 0x07, 0x00, 0x00, 0x00,       /* type, state, personalization */
	0x02, 0xa0, 0x00,                         /* AID: 2 bytes */
	0x00, 0x06, 0x03, 0x0a, 0x02, 0x03, 0x0a, /* UPIN not PIN1; PIN1 6; PIN2 verified */
};

struct out {
	char *buf;
	size_t len;
	FILE *f;
	struct qcli cli;
	struct qcli_json js;
};

static void out_open(struct out *o, bool json)
{
	memset(o, 0, sizeof(*o));
	o->f = open_memstream(&o->buf, &o->len);
	cr_assert_not_null(o->f);
	qcli_init(&o->cli, o->f, stderr);
	snprintf(o->cli.devname, sizeof(o->cli.devname), "fw");
	if (json) {
		qcli_json_init(&o->js, o->f);
		qcli_json_obj_begin(&o->js, NULL);
		o->cli.js = &o->js;
	}
}

/* Closes the output; for JSON, the parsed object (NULL when it does not parse). */
static struct jq *out_close(struct out *o)
{
	const char *why = NULL;
	struct jq *v = NULL;

	if (o->cli.js) {
		qcli_json_obj_end(&o->js);
		cr_assert_eq(qcli_json_finish(&o->js), 0);
	}
	fclose(o->f);
	if (o->cli.js) {
		v = jq_parse(o->buf, &why);
		cr_assert_not_null(v, "not JSON (%s): %s", why, o->buf);
	}
	return v;
}

static void decode_serving(struct qmi_nas_get_serving_system_resp *s)
{
	memset(s, 0, sizeof(*s));
	cr_assert_eq(qmi_msg_decode(&qmi_nas_get_serving_system_resp_def, serving_tlvs,
				    sizeof(serving_tlvs), s),
		     0);
	cr_assert(s->has_serving_system && s->has_roaming_indicator);
}

static void decode_card(struct qmi_uim_get_card_status_resp *c)
{
	memset(c, 0, sizeof(*c));
	cr_assert_eq(qmi_msg_decode(&qmi_uim_get_card_status_resp_def, card_tlvs, sizeof(card_tlvs),
				    c),
		     0);
	cr_assert(c->has_card_status);
	cr_assert_eq(c->card_status.n_cards, 1);
}

static void assert_number(struct jq *v, const char *path, double want)
{
	double got = 0;

	cr_assert(jq_num(v, path, &got), "%s is absent or not a number", path);
	cr_assert_eq(got, want, "%s: %g, want %g", path, got, want);
}

Test(unknown_enum, serving_system_text)
{
	struct qmi_nas_get_serving_system_resp s;
	struct out o;

	decode_serving(&s);
	out_open(&o, false);
	qcli_status_print_serving(&o.cli, &s);
	out_close(&o);
	HAS(o.buf, "\tRegistration state: '17'\n\tCS: '9'\n\tPS: 'attached'\n"
		   "\tSelected network: '7'\n\tRadio interfaces: '2'\n"
		   "\t\t[0]: 'lte'\n\t\t[1]: '13'\n");
	HAS(o.buf, "\tRoaming status: '64'\n");
	HAS(o.buf, "\t\t[0]: 'gprs'\n\t\t[1]: '42'\n");
	cr_assert_null(strstr(o.buf, "unknown"), "%s", o.buf);
	free(o.buf);
}

Test(unknown_enum, serving_system_json)
{
	struct qmi_nas_get_serving_system_resp s;
	struct out o;
	struct jq *v;

	decode_serving(&s);
	out_open(&o, true);
	qcli_status_print_serving(&o.cli, &s);
	v = out_close(&o);
	assert_number(v, "registration.state", 17);
	assert_number(v, "registration.cs", 9);
	cr_assert_str_eq(jq_str(v, "registration.ps"), "attached");
	assert_number(v, "registration.selected_network", 7);
	cr_assert_str_eq(jq_str(v, "registration.radio_interfaces.0"), "lte");
	assert_number(v, "registration.radio_interfaces.1", 13);
	assert_number(v, "registration.roaming", 64);
	jq_free(v);
	free(o.buf);
}

Test(unknown_enum, card_status_text)
{
	struct qmi_uim_get_card_status_resp c;
	struct out o;

	decode_card(&c);
	out_open(&o, false);
	qcli_status_print_card(&o.cli, &c.card_status);
	out_close(&o);
	HAS(o.buf, "\tCard state: 'present'\n\tUPIN state: '9'\n");
	HAS(o.buf, "\t\tApplication type:  'unknown (8)'\n\t\tApplication state: '12'\n");
	HAS(o.buf, "\t\tPersonalization state: '7'\n");
	HAS(o.buf, "\t\tPIN1 state: '6'\n\t\t\tPIN1 retries: '3'\n");
	HAS(o.buf, "\t\tPIN2 state: 'enabled-verified'\n");
	free(o.buf);
}

Test(unknown_enum, card_status_json)
{
	struct qmi_uim_get_card_status_resp c;
	struct out o;
	struct jq *v;

	decode_card(&c);
	out_open(&o, true);
	qcli_status_print_card(&o.cli, &c.card_status);
	v = out_close(&o);
	cr_assert_str_eq(jq_str(v, "sim.card_state"), "present");
	assert_number(v, "sim.upin_state", 9);
	assert_number(v, "sim.applications.0.type", 8);
	assert_number(v, "sim.applications.0.state", 12);
	assert_number(v, "sim.applications.0.pin1_state", 6);
	jq_free(v);
	free(o.buf);
}
