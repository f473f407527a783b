/* SPDX-License-Identifier: MIT */
/* The CLI's pure parts: the JSON writer, the option scanner, hex/number/service parsing. */
#include <criterion/criterion.h>
#include <errno.h>

#include "cli/cli.h"
#include "cli/json.h"
#include "cli/optparse.h"
#include "jsonq.h"

static char *with_json(void (*fill)(struct qcli_json *j), int *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct qcli_json j;

	qcli_json_init(&j, f);
	fill(&j);
	*err = qcli_json_finish(&j);
	fclose(f);
	return buf;
}

static void fill_hostile(struct qcli_json *j)
{
	/* Bytes a broken or hostile modem could put in a string TLV. */
	static const char nasty[] = "a\"b\\c\n\t\x01\x1f\x7f"
				    "\xff\xc3("
				    "\xe2\x82\xac"
				    "\xed\xa0\x80";

	qcli_json_obj_begin(j, NULL);
	qcli_json_strn(j, "s", nasty, sizeof(nasty) - 1);
	qcli_json_str(j, "null", NULL);
	qcli_json_int(j, "neg", -5);
	qcli_json_uint(j, "big", 18446744073709551615ull);
	qcli_json_fixed(j, "f", -3.25, 1);
	qcli_json_arr_begin(j, "a");
	qcli_json_bool(j, NULL, true);
	qcli_json_obj_begin(j, NULL);
	qcli_json_obj_end(j);
	qcli_json_arr_end(j);
	qcli_json_hex(j, "h", (const uint8_t *)"\x00\xab", 2);
	qcli_json_obj_end(j);
}

Test(json, hostile_strings_stay_valid_json)
{
	int err;
	char *s = with_json(fill_hostile, &err);
	const char *why = NULL;
	struct jq *v = jq_parse(s, &why);

	cr_assert_eq(err, 0);
	cr_assert(v, "invalid JSON (%s): %s", why, s);
	/* Quote, backslash, controls escaped; each byte that is not UTF-8 escaped as its Latin-1
	 * code point (the one rule of qmi_str_escape, shared with the terminal output); valid
	 * UTF-8 kept. */
	cr_assert_str_eq(jq_str(v, "s"), "a\"b\\c\n\t\x01\x1f\x7f"
					 "\xc3\xbf\xc3\x83("
					 "\xe2\x82\xac"
					 "\xc3\xad\xc2\xa0\xc2\x80");
	cr_assert_eq(jq_get(v, "null")->type, JQ_NULL);
	cr_assert_eq(jq_get(v, "neg")->num, -5);
	cr_assert(strstr(s, "\"big\":18446744073709551615"));
	cr_assert(strstr(s, "\"f\":-3.2") || strstr(s, "\"f\":-3.3"), "%s", s);
	cr_assert(jq_get(v, "a.0")->b);
	cr_assert_eq(jq_get(v, "a.1")->type, JQ_OBJ);
	cr_assert_str_eq(jq_str(v, "h"), "00ab");
	jq_free(v);
	free(s);
}

static void fill_unbalanced(struct qcli_json *j)
{
	qcli_json_obj_begin(j, NULL);
	qcli_json_arr_begin(j, "a");
}

static void fill_key_in_array(struct qcli_json *j)
{
	qcli_json_arr_begin(j, NULL);
	qcli_json_int(j, "k", 1);
	qcli_json_arr_end(j);
}

static void fill_too_deep(struct qcli_json *j)
{
	for (int i = 0; i < QCLI_JSON_MAX_DEPTH + 2; i++)
		qcli_json_arr_begin(j, NULL);
}

Test(json, misuse_is_a_sticky_error)
{
	int err;

	free(with_json(fill_unbalanced, &err));
	cr_assert_eq(err, -EINVAL);
	free(with_json(fill_key_in_array, &err));
	cr_assert_eq(err, -EINVAL);
	free(with_json(fill_too_deep, &err));
	cr_assert_eq(err, -E2BIG);
}

/* qcli_parse_hex() takes argv-style strings; string literals are const. */
static long hex(uint8_t *b, size_t cap, int n, const char *s0, const char *s1)
{
	char *v[2] = { s0 ? strdup(s0) : NULL, s1 ? strdup(s1) : NULL };
	long r = qcli_parse_hex(v, n, b, cap);

	free(v[0]);
	free(v[1]);
	return r;
}

Test(parse, hex_bytes)
{
	uint8_t b[8];

	cr_assert_eq(hex(b, sizeof(b), 1, "01 01 00 05", NULL), 4);
	cr_assert_eq(b[0], 1);
	cr_assert_eq(b[3], 5);
	cr_assert_eq(hex(b, sizeof(b), 2, "010100", "05"), 4);
	cr_assert_eq(b[3], 5);
	cr_assert_eq(hex(b, sizeof(b), 1, "0A:0b", NULL), 2);
	cr_assert_eq(b[0], 0x0A);
	cr_assert_eq(b[1], 0x0B);
	cr_assert_eq(hex(b, sizeof(b), 1, "010", NULL), -EINVAL);
	cr_assert_eq(hex(b, sizeof(b), 2, "0", "1"), -EINVAL); /* a byte split across words */
	cr_assert_eq(hex(b, sizeof(b), 1, "0 1", NULL), -EINVAL);
	cr_assert_eq(hex(b, sizeof(b), 1, "0g", NULL), -EINVAL);
	cr_assert_eq(hex(b, sizeof(b), 1, "00 01 02 03 04 05 06 07 08", NULL), -EMSGSIZE);
	cr_assert_eq(hex(b, sizeof(b), 1, "", NULL), 0);
	cr_assert_eq(hex(b, sizeof(b), 0, NULL, NULL), 0);
}

Test(parse, numbers_and_services)
{
	unsigned long v;
	uint8_t svc;

	cr_assert_eq(qcli_parse_uint("0x25", 0xFFFF, &v), 0);
	cr_assert_eq(v, 0x25);
	cr_assert_eq(qcli_parse_uint("037", 0xFFFF, &v), 0); /* decimal, not octal */
	cr_assert_eq(v, 37);
	cr_assert_eq(qcli_parse_uint("0x10000", 0xFFFF, &v), -ERANGE);
	cr_assert_eq(qcli_parse_uint("-1", 0xFFFF, &v), -EINVAL);
	cr_assert_eq(qcli_parse_uint("0x", 0xFFFF, &v), -EINVAL);
	cr_assert_eq(qcli_parse_uint("", 0xFFFF, &v), -EINVAL);
	cr_assert_eq(qcli_parse_service("dms", &svc), 0);
	cr_assert_eq(svc, 2);
	cr_assert_eq(qcli_parse_service("WDA", &svc), 0);
	cr_assert_eq(svc, 0x1A);
	cr_assert_eq(qcli_parse_service("0x0b", &svc), 0);
	cr_assert_eq(svc, 0x0B);
	cr_assert_eq(qcli_parse_service("nope", &svc), -EINVAL);
	cr_assert_eq(qcli_parse_service("256", &svc), -EINVAL);
}

static char **dup_argv(const char *const *a, int *argc)
{
	int n = 0;
	char **v;

	while (a[n])
		n++;
	v = calloc((size_t)n + 1, sizeof(*v));
	for (int i = 0; i < n; i++)
		v[i] = strdup(a[i]);
	*argc = n;
	return v;
}

static void free_argv(char **v)
{
	for (int i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

Test(parse, option_scanner_forms)
{
	static const struct qcli_optdef defs[] = {
		{ 'd', "device", true, 1 },
		{ 'v', "verbose", false, 2 },
		{ 'p', "proxy", false, 3 },
		{ 0, NULL, false, 0 },
	};
	static const char *const good[] = { "x",  "-vp", "-dsim", "--device=usb", "--device", "a",
					    "-d", "b",   "--",    "-v",           NULL };
	static const char *const bad[] = { "x", "--verbose=1", "--nope", "-d", NULL };
	struct qcli_optscan s;
	int argc;
	char **argv = dup_argv(good, &argc);

	qcli_opt_init(&s, argc, argv, 1);
	cr_assert_eq(qcli_opt_next(&s, defs), 2);
	cr_assert_eq(qcli_opt_next(&s, defs), 3);
	cr_assert_eq(qcli_opt_next(&s, defs), 1);
	cr_assert_str_eq(s.arg, "sim");
	cr_assert_eq(qcli_opt_next(&s, defs), 1);
	cr_assert_str_eq(s.arg, "usb");
	cr_assert_eq(qcli_opt_next(&s, defs), 1);
	cr_assert_str_eq(s.arg, "a");
	cr_assert_eq(qcli_opt_next(&s, defs), 1);
	cr_assert_str_eq(s.arg, "b");
	cr_assert_eq(qcli_opt_next(&s, defs), 0);
	cr_assert_str_eq(argv[s.i], "-v"); /* after "--" everything is an operand */
	free_argv(argv);

	argv = dup_argv(bad, &argc);
	qcli_opt_init(&s, argc, argv, 1);
	cr_assert_eq(qcli_opt_next(&s, defs), -3);
	cr_assert_eq(qcli_opt_next(&s, defs), -1);
	cr_assert_str_eq(s.bad, "--nope");
	cr_assert_eq(qcli_opt_next(&s, defs), -2);
	free_argv(argv);
}

Test(exit, codes_for_errnos)
{
	cr_assert_eq(qcli_exit_for_errno(0), 0);
	cr_assert_eq(qcli_exit_for_errno(-ETIMEDOUT), QCLI_EXIT_TIMEOUT);
	cr_assert_eq(qcli_exit_for_errno(-ENODEV), QCLI_EXIT_UNPLUGGED);
	cr_assert_eq(qcli_exit_for_errno(-EPIPE), QCLI_EXIT_DEVICE);
	cr_assert_eq(qcli_exit_for_errno(-EBADMSG), QCLI_EXIT_DEVICE);
	cr_assert_eq(qcli_exit_for_errno(-ENOMEM), QCLI_EXIT_FAILURE);
}
