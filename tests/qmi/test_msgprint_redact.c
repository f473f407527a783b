/* SPDX-License-Identifier: MIT */
/*
 * The trace's redaction: passwords never reach a trace, in the decoded view, the JSON or the
 * frame's hex; personal identifiers only with the full trace. Plus its stamp and hex.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

#define PASSWORD "s3cr3t-Pw"
#define IMEI "359072061234567"
#define TRACE (QMI_PRINT_HIDE_SECRET | QMI_PRINT_HIDE_PERSONAL | QMI_PRINT_TIME | QMI_PRINT_HEX)

static uint8_t buf[1024];

static char *print(const struct qmi_frame *f, unsigned flags)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);

	cr_assert(m);
	cr_assert_eq(qmi_msg_print_ex(m, f, ">>>", flags), 0);
	fclose(m);
	return s;
}

/* s holds none of the ways the printer could spell `secret` as bytes. */
static void assert_no_trace_of(const char *s, const char *secret)
{
	char colon[256] = "", space[256] = "", plain[256] = "";

	cr_assert_null(strstr(s, secret), "%s in clear:\n%s", secret, s);
	for (size_t i = 0; secret[i]; i++) {
		unsigned b = (unsigned char)secret[i];

		snprintf(colon + strlen(colon), sizeof(colon) - strlen(colon), "%s%02x",
			 i ? ":" : "", b);
		snprintf(space + strlen(space), sizeof(space) - strlen(space), "%s%02x",
			 i ? " " : "", b);
		snprintf(plain + strlen(plain), sizeof(plain) - strlen(plain), "%02x", b);
	}
	cr_assert_null(strstr(s, colon), "%s in hex:\n%s", secret, s);
	cr_assert_null(strstr(s, space), "%s in hex:\n%s", secret, s);
	cr_assert_null(strstr(s, plain), "%s in hex:\n%s", secret, s);
}

static struct qmi_frame start_network(void)
{
	struct qmi_wds_start_network_req q = {
		.has_apn = true,
		.apn = "internet",
		.has_username = true,
		.username = "user",
		.has_password = true,
		.password = PASSWORD,
	};
	struct qmi_frame f;
	size_t len;

	cr_assert_eq(qmi_msg_build(&qmi_wds_start_network_req_def, &q, 1, 7, buf, sizeof(buf),
				   &len),
		     0);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
	return f;
}

static struct qmi_frame get_ids(void)
{
	struct qmi_writer w;
	struct qmi_frame f;
	size_t len;

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 4,
			QMI_DMS_GET_IDS);
	qmi_writer_result(&w, 0, 0);
	qmi_writer_tlv(&w, 0x10, "0", 1);
	qmi_writer_tlv(&w, 0x11, IMEI, strlen(IMEI));
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
	return f;
}

Test(redact, password_never_in_a_trace)
{
	struct qmi_frame f = start_network();
	unsigned modes[] = { TRACE, TRACE | QMI_PRINT_JSON, TRACE & ~QMI_PRINT_HIDE_PERSONAL,
			     (TRACE & ~QMI_PRINT_HIDE_PERSONAL) | QMI_PRINT_JSON };

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char *s = print(&f, modes[i]);

		assert_no_trace_of(s, PASSWORD);
		cr_assert_not_null(strstr(s, "### (secret)"), "%s", s);
		cr_assert_not_null(strstr(s, "internet"), "the rest still prints: %s", s);
		cr_assert_not_null(strstr(s, "user"), "%s", s);
		free(s);
	}
}

Test(redact, a_malformed_password_shows_no_bytes)
{
	static const char *long_pw = PASSWORD PASSWORD PASSWORD PASSWORD PASSWORD PASSWORD PASSWORD
		PASSWORD PASSWORD PASSWORD PASSWORD PASSWORD PASSWORD PASSWORD PASSWORD;
	struct qmi_writer w;
	struct qmi_frame f;
	size_t len;

	/* Longer than the password's C buffer: the decoder refuses it, the printer must not fall
	 * back to dumping it. */
	cr_assert_gt(strlen(long_pw), sizeof(((struct qmi_wds_start_network_req *)0)->password));
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_WDS, 1, QMI_KIND_REQUEST, 3,
			QMI_WDS_START_NETWORK);
	qmi_writer_tlv(&w, 0x18, long_pw, strlen(long_pw));
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
	for (unsigned json = 0; json <= QMI_PRINT_JSON; json += QMI_PRINT_JSON) {
		char *s = print(&f, TRACE | json);

		assert_no_trace_of(s, PASSWORD);
		cr_assert_not_null(strstr(s, "Password"), "%s", s);
		free(s);
	}
}

Test(redact, imei_hidden_unless_full)
{
	struct qmi_frame f = get_ids();

	for (unsigned json = 0; json <= QMI_PRINT_JSON; json += QMI_PRINT_JSON) {
		char *hid = print(&f, TRACE | json);
		char *full = print(&f, (TRACE & ~QMI_PRINT_HIDE_PERSONAL) | json);

		assert_no_trace_of(hid, IMEI);
		cr_assert_not_null(strstr(hid, "### (personal)"), "%s", hid);
		cr_assert_not_null(strstr(full, IMEI), "--verbose-full shows it: %s", full);
		free(hid);
		free(full);
	}
}

Test(redact, plain_printing_is_unchanged)
{
	struct qmi_frame f = start_network();
	char *s = print(&f, 0);

	cr_assert_not_null(strstr(s, PASSWORD), "raw and tests see everything: %s", s);
	cr_assert_null(strstr(s, "raw:"), "%s", s);
	free(s);
}

Test(redact, trace_has_a_stamp_and_the_frame_bytes)
{
	struct qmi_frame f = get_ids();
	char *s = print(&f, TRACE);
	char *j = print(&f, TRACE | QMI_PRINT_JSON);

	/* "[YYYY-MM-DD hh:mm:ss.mmm] >>> dms ..." */
	cr_assert_eq(s[0], '[', "%s", s);
	cr_assert_eq(s[5], '-', "%s", s);
	cr_assert_eq(s[20], '.', "%s", s);
	cr_assert_eq(strncmp(s + 24, "] >>> dms \"Get IDs\"", 19), 0, "%s", s);
	cr_assert_not_null(strstr(s, "  raw: 01:"), "%s", s);
	cr_assert_not_null(strstr(s, ":**:**"), "%s", s);
	cr_assert_not_null(strstr(j, "\"time\":\""), "%s", j);
	cr_assert_not_null(strstr(j, "\"frame\":\"01"), "%s", j);
	free(s);
	free(j);
}
