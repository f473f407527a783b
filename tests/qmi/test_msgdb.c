/* SPDX-License-Identifier: MIT */
/*
 * The message database: table sanity, a round trip of every message def with values from a
 * generic filler that walks the schema, and the decoder's rules for unknown, short, overlong
 * and oversized TLVs (golden bytes: test_msgdb_golden.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

/* ---------------------------------------------------------------- filler */

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 16);
}

/* Keeps every filled message far below QMI_FRAME_MAX even for the big structs. */
#define FILL_MAX_STR 24
#define FILL_MAX_ELEMS 3

static void fill_field(const struct qmi_field *f, uint8_t *base, struct rng *r);

static struct qmi_field elem_of(const struct qmi_field *f)
{
	struct qmi_field e = f->sub[0];

	e.offset = 0;
	e.size = f->size;
	return e;
}

static void fill_field(const struct qmi_field *f, uint8_t *base, struct rng *r)
{
	uint8_t *p = base + f->offset;
	size_t n;

	switch (f->type) {
	case QMI_F_U8:
	case QMI_F_I8:
	case QMI_F_U16:
	case QMI_F_I16:
	case QMI_F_U32:
	case QMI_F_I32:
	case QMI_F_U64:
	case QMI_F_IPV4:
	case QMI_F_IPV6:
		for (size_t i = 0; i < f->size; i++)
			p[i] = (uint8_t)(rnd(r) | 1); /* never all zero: a lost value shows */
		break;
	case QMI_F_STRING:
	case QMI_F_STRING8:
	case QMI_F_STRING16:
		n = 1 + rnd(r) % (f->size - 1 < FILL_MAX_STR ? f->size - 1 : FILL_MAX_STR);
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)('a' + rnd(r) % 26);
		p[n] = 0;
		break;
	case QMI_F_TEXT8:
		/* Round-trips only as ASCII: say so in its encoding byte (filled before it). */
		base[f->count_offset] = 1;
		n = 1 + rnd(r) % FILL_MAX_STR;
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)('a' + rnd(r) % 26);
		p[n] = 0;
		break;
	case QMI_F_STRING_FIXED:
		for (size_t i = 0; i < f->capacity; i++)
			p[i] = (uint8_t)('0' + rnd(r) % 10);
		p[f->capacity] = 0;
		break;
	case QMI_F_BYTES: {
		uint16_t c = (uint16_t)(1 + rnd(r) % 8);

		memcpy(base + f->count_offset, &c, 2);
		for (size_t i = 0; i < c; i++)
			p[i] = (uint8_t)rnd(r);
		break;
	}
	case QMI_F_STRUCT:
		for (size_t i = 0; i < f->n_sub; i++)
			fill_field(&f->sub[i], p, r);
		break;
	case QMI_F_ARRAY8:
	case QMI_F_ARRAY16:
	case QMI_F_ARRAY_FIXED: {
		struct qmi_field e = elem_of(f);
		uint16_t c = f->capacity;

		if (f->type != QMI_F_ARRAY_FIXED) {
			c = (uint16_t)(1 + rnd(r) % (f->capacity < FILL_MAX_ELEMS
							     ? f->capacity
							     : FILL_MAX_ELEMS));
			memcpy(base + f->count_offset, &c, 2);
		}
		for (size_t i = 0; i < c; i++)
			fill_field(&e, p + i * f->size, r);
		break;
	}
	}
}

static void fill_msg(const struct qmi_msg_def *def, void *msg, struct rng *r, bool all)
{
	memset(msg, 0, def->size);
	for (size_t i = 0; i < def->n_tlvs; i++) {
		const struct qmi_tlv_def *t = &def->tlvs[i];
		bool has = all || (rnd(r) & 1);

		memcpy((uint8_t *)msg + t->has_offset, &has, sizeof(has));
		if (has)
			fill_field(&t->value, msg, r);
	}
}

static size_t n_defs(void)
{
	size_t n = 0;

	while (qmi_msgdb_get(n))
		n++;
	return n;
}

/* ---------------------------------------------------------------- table sanity */

static void check_field(const struct qmi_field *f, size_t container, const char *where)
{
	cr_assert_leq((size_t)f->offset + f->size, container, "%s.%s out of its struct", where,
		      f->name);
	switch (f->type) {
	case QMI_F_STRING:
	case QMI_F_STRING8:
	case QMI_F_STRING16:
		cr_assert_geq(f->size, 2, "%s.%s: string buffer too small", where, f->name);
		break;
	case QMI_F_STRING_FIXED:
		cr_assert_geq(f->size, f->capacity + 1, "%s.%s: no room for NUL", where, f->name);
		break;
	case QMI_F_STRUCT:
		cr_assert_gt(f->n_sub, 0, "%s.%s: empty struct", where, f->name);
		for (size_t i = 0; i < f->n_sub; i++)
			check_field(&f->sub[i], f->size, where);
		break;
	case QMI_F_ARRAY8:
	case QMI_F_ARRAY16:
	case QMI_F_ARRAY_FIXED: {
		struct qmi_field e = elem_of(f);

		cr_assert_eq(f->n_sub, 1);
		cr_assert_gt(f->capacity, 0);
		cr_assert_leq((size_t)f->offset + (size_t)f->size * f->capacity, container,
			      "%s.%s: array out of its struct", where, f->name);
		if (f->type != QMI_F_ARRAY_FIXED)
			cr_assert_leq((size_t)f->count_offset + 2, container);
		if (f->type == QMI_F_ARRAY8)
			cr_assert_leq(f->capacity, 255);
		check_field(&e, f->size, where);
		break;
	}
	default:
		break;
	}
}

Test(msgdb, table_is_consistent)
{
	const struct qmi_msg_def *d, *o;

	cr_assert_geq(n_defs(), 67, "the brief's message list: 67 defs");
	for (size_t i = 0; (d = qmi_msgdb_get(i)); i++) {
		cr_assert(d->name && d->name[0]);
		cr_assert_eq(qmi_msgdb_find(d->service, d->msg_id, d->kind), d,
			     "%s: (service, id, kind) not unique", d->name);
		cr_assert_eq(d->n_tlvs == 0, d->size == 0, "%s: size/TLVs mismatch", d->name);
		for (size_t j = i + 1; (o = qmi_msgdb_get(j)); j++)
			cr_assert(!(o->service == d->service && o->msg_id == d->msg_id &&
				    o->kind == d->kind),
				  "%s listed twice", d->name);
		for (size_t t = 0; t < d->n_tlvs; t++) {
			const struct qmi_tlv_def *tv = &d->tlvs[t];

			if (d->kind == QMI_KIND_RESPONSE)
				cr_assert_neq(tv->id, QMI_TLV_RESULT, "%s: Result TLV in a struct",
					      d->name);
			cr_assert_lt(tv->has_offset, d->size);
			for (size_t u = t + 1; u < d->n_tlvs; u++)
				cr_assert_neq(tv->id, d->tlvs[u].id, "%s: TLV 0x%02x twice",
					      d->name, tv->id);
			check_field(&tv->value, d->size, d->name);
		}
	}
}

Test(msgdb, find)
{
	cr_assert_eq(qmi_msgdb_find(QMI_SVC_NAS, 0x0024, QMI_KIND_INDICATION),
		     &qmi_nas_serving_system_ind_def);
	cr_assert_eq(qmi_msgdb_find(QMI_SVC_NAS, 0x0024, QMI_KIND_RESPONSE),
		     &qmi_nas_get_serving_system_resp_def);
	cr_assert_eq(qmi_msgdb_find(QMI_SVC_CTL, 0xFF00, QMI_KIND_REQUEST),
		     &qmi_ctl_internal_proxy_open_req_def);
	cr_assert_eq(qmi_msgdb_find(QMI_SVC_UIM, 0x0032, QMI_KIND_INDICATION),
		     &qmi_uim_card_status_ind_def);
	cr_assert_null(qmi_msgdb_find(QMI_SVC_DMS, 0x5555, QMI_KIND_REQUEST));
	cr_assert_null(qmi_msgdb_find(0x42, 0x0021, QMI_KIND_REQUEST));
	cr_assert_str_eq(qmi_msgdb_msg_name(QMI_SVC_WDS, 0x002D), "Get Current Settings");
	cr_assert_null(qmi_msgdb_msg_name(QMI_SVC_WDS, 0x7777));
}

Test(msgdb, enum_names)
{
	int64_t v;

	cr_assert_str_eq(qmi_dms_operating_mode_name(0), "online");
	cr_assert_str_eq(qmi_dms_operating_mode_name(QMI_DMS_OPERATING_MODE_LOW_POWER),
			 "low-power");
	cr_assert_str_eq(qmi_wds_call_end_reason_name(1013), "gsm-wcdma-unknown-apn");
	cr_assert_str_eq(qmi_wds_verbose_cer_type_name(6), "3gpp");
	cr_assert_str_eq(qmi_wds_verbose_call_end_reason_name(6, 27), "unknown-apn");
	cr_assert_str_eq(qmi_wds_verbose_call_end_reason_name(2, 201), "error");
	cr_assert_null(qmi_wds_verbose_call_end_reason_name(6, 9999));
	cr_assert_str_eq(qmi_wds_connection_status_name(2), "connected");
	cr_assert_str_eq(qmi_nas_registration_state_name(1), "registered");
	cr_assert_str_eq(qmi_nas_attach_state_name(2), "detached");
	cr_assert_str_eq(qmi_nas_radio_interface_name(8), "lte");
	cr_assert_str_eq(qmi_nas_radio_interface_name(-1), "unknown");
	cr_assert_str_eq(qmi_nas_service_status_name(2), "available");
	cr_assert_str_eq(qmi_wda_link_layer_name(2), "raw-ip");
	cr_assert_str_eq(qmi_wda_aggregation_name(5), "qmap");
	cr_assert_str_eq(qmi_uim_card_state_name(1), "present");
	cr_assert_str_eq(qmi_uim_app_state_name(7), "ready");
	cr_assert_str_eq(qmi_enum_name(&qmi_enum_data_endpoint_type, 2), "hsusb");
	cr_assert_str_eq(qmi_enum_name(&qmi_enum_wds_ip_family, 6), "ipv6");
	cr_assert_null(qmi_dms_operating_mode_name(200));
	cr_assert_eq(qmi_enum_value(&qmi_enum_dms_operating_mode, "offline", &v), 0);
	cr_assert_eq(v, 3);
	cr_assert_eq(qmi_enum_value(&qmi_enum_dms_operating_mode, "nonsense", &v), -ENOENT);
}

/* ---------------------------------------------------------------- round trips */

static void round_trip(const struct qmi_msg_def *d, struct rng *r, bool all)
{
	uint8_t *in = calloc(1, d->size ? d->size : 1);
	uint8_t *out = calloc(1, d->size ? d->size : 1);
	uint8_t buf[QMI_FRAME_MAX], buf2[QMI_FRAME_MAX];
	size_t len, len2;
	struct qmi_frame f;
	int err;

	cr_assert(in && out);
	if (d->size)
		fill_msg(d, in, r, all);
	err = qmi_msg_build(d, d->size ? in : NULL, 1, 7, buf, sizeof(buf), &len);
	cr_assert_eq(err, 0, "%s %d: encode %d", d->name, d->kind, err);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0, "%s: encoded frame invalid", d->name);
	cr_assert_eq(f.service, d->service);
	cr_assert_eq(f.msg_id, d->msg_id);
	cr_assert_eq(f.kind, d->kind);
	if (all && d->n_tlvs) {
		struct qmi_tlv_iter it;
		struct qmi_tlv t;
		size_t n = 0;

		qmi_tlv_iter_init(&it, f.tlvs, f.tlvs_len);
		while (qmi_tlv_next(&it, &t) == 1)
			n++;
		cr_assert_eq(n, d->n_tlvs, "%s: every TLV written", d->name);
	}
	err = qmi_msg_decode(d, f.tlvs, f.tlvs_len, d->size ? out : NULL);
	cr_assert_eq(err, 0, "%s %d: decode %d", d->name, d->kind, err);
	cr_assert_eq(memcmp(in, out, d->size), 0, "%s %d: decoded struct differs", d->name,
		     d->kind);
	/* ... and encoding the decoded struct gives the same bytes. */
	cr_assert_eq(qmi_msg_build(d, d->size ? out : NULL, 1, 7, buf2, sizeof(buf2), &len2), 0);
	cr_assert_eq(len2, len);
	cr_assert_eq(memcmp(buf, buf2, len), 0, "%s: re-encoding differs", d->name);
	free(in);
	free(out);
}

Test(msgdb, round_trip_every_message_all_tlvs)
{
	const struct qmi_msg_def *d;
	struct rng r = { 0x9E3779B97F4A7C15ull };

	for (size_t i = 0; (d = qmi_msgdb_get(i)); i++)
		for (int k = 0; k < 8; k++)
			round_trip(d, &r, true);
}

Test(msgdb, round_trip_every_message_some_tlvs)
{
	const struct qmi_msg_def *d;
	struct rng r = { 12345 };

	for (size_t i = 0; (d = qmi_msgdb_get(i)); i++)
		for (int k = 0; k < 16; k++)
			round_trip(d, &r, false);
}

Test(msgdb, round_trip_full_capacity_array)
{
	struct qmi_ctl_get_version_info_resp in = { .has_services = true, .n_services = 64 };
	struct qmi_ctl_get_version_info_resp out;
	uint8_t buf[QMI_FRAME_MAX];
	size_t len;
	struct qmi_frame f;

	for (unsigned i = 0; i < 64; i++)
		in.services[i] = (struct qmi_ctl_service_version){ (uint8_t)i, (uint16_t)(i * 3),
								   (uint16_t)(1000 + i) };
	cr_assert_eq(qmi_msg_build(&qmi_ctl_get_version_info_resp_def, &in, 0, 1, buf, sizeof(buf),
				   &len),
		     0);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
	cr_assert_eq(f.tlvs_len, 3 + 1 + 64 * 5);
	cr_assert_eq(qmi_msg_decode(&qmi_ctl_get_version_info_resp_def, f.tlvs, f.tlvs_len, &out),
		     0);
	cr_assert_eq(memcmp(&in, &out, sizeof(in)), 0);
}

/* ---------------------------------------------------------------- decoder rules */

Test(msgdb_decode, unknown_tlvs_skipped)
{
	static const uint8_t tlvs[] = {
		0x7f, 0x03, 0x00, 0xde, 0xad, 0xbe, /* unknown */
		0x01, 0x01, 0x00, 0x03,             /* Mode offline */
		0x55, 0x00, 0x00,                   /* unknown, empty */
	};
	struct qmi_dms_get_operating_mode_resp r;

	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_operating_mode_resp_def, tlvs, sizeof(tlvs), &r),
		     0);
	cr_assert(r.has_mode);
	cr_assert_eq(r.mode, QMI_DMS_OPERATING_MODE_OFFLINE);
	cr_assert(!r.has_offline_reason && !r.has_hw_restricted);
}

Test(msgdb_decode, short_and_overlong_known_tlvs)
{
	static const uint8_t shrt[] = { 0x10, 0x01, 0x00, 0x01 };         /* u16 in 1 byte */
	static const uint8_t empty[] = { 0x01, 0x00, 0x00 };              /* u8 in 0 bytes */
	static const uint8_t lng[] = { 0x01, 0x02, 0x00, 0x00, 0x00 };    /* u8 in 2 bytes */
	static const uint8_t struct_short[] = { 0x01, 0x01, 0x00, 0x02 }; /* {u8,u8} in 1 */
	struct qmi_dms_get_operating_mode_resp r;
	struct qmi_ctl_allocate_cid_resp a;

	struct qmi_decode_info info;

	/* An optional TLV (0x10 and up) that is short is dropped on its own ... */
	cr_assert_eq(qmi_msg_decode_ex(&qmi_dms_get_operating_mode_resp_def, shrt, sizeof(shrt), &r,
				       &info),
		     0);
	cr_assert(!r.has_offline_reason);
	cr_assert_eq(info.n_invalid, 1);
	cr_assert(qmi_decode_dropped(&qmi_dms_get_operating_mode_resp_def, &info, 0x10));
	cr_assert(!qmi_decode_dropped(&qmi_dms_get_operating_mode_resp_def, &info, 0x01));
	/* ... a required one (below 0x10) fails the message. */
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_operating_mode_resp_def, empty, sizeof(empty), &r),
		     -EBADMSG);
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_operating_mode_resp_def, lng, sizeof(lng), &r),
		     -EBADMSG);
	cr_assert_eq(qmi_msg_decode(&qmi_ctl_allocate_cid_resp_def, struct_short,
				    sizeof(struct_short), &a),
		     -EBADMSG);
}

Test(msgdb_decode, malformed_tlv_area)
{
	static const uint8_t trunc_hdr[] = { 0x01, 0x01, 0x00, 0x00, 0x10, 0x02 };
	static const uint8_t overrun[] = { 0x01, 0x05, 0x00, 0x00 };
	struct qmi_dms_get_operating_mode_resp r;

	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_operating_mode_resp_def, trunc_hdr,
				    sizeof(trunc_hdr), &r),
		     -EBADMSG);
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_operating_mode_resp_def, overrun, sizeof(overrun),
				    &r),
		     -EBADMSG);
}

Test(msgdb_decode, string_longer_than_buffer)
{
	uint8_t tlvs[3 + 40];
	struct qmi_dms_get_ids_resp r;

	memset(tlvs, '7', sizeof(tlvs));
	tlvs[0] = 0x11;
	tlvs[2] = 0;
	/* 31 characters fit char[32] with the NUL ... */
	tlvs[1] = 31;
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_ids_resp_def, tlvs, 3 + 31, &r), 0);
	cr_assert_eq(strlen(r.imei), 31);
	/* ... 32 do not, and are never truncated silently: the optional TLV is dropped. */
	tlvs[1] = 32;
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_ids_resp_def, tlvs, 3 + 32, &r), 0);
	cr_assert(!r.has_imei);
	tlvs[1] = 40;
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_ids_resp_def, tlvs, sizeof(tlvs), &r), 0);
	cr_assert(!r.has_imei);
}

Test(msgdb_decode, prefixed_string_errors)
{
	/* Profile list entry: {type u8, index u8, name string8}; name buffer is 64. */
	static const uint8_t past_end[] = { 0x01, 0x06, 0x00, 0x01, 0x00, 0x01, 0x09, 'a', 'b' };
	uint8_t big[3 + 1 + 2 + 1 + 100];
	struct qmi_wds_get_profile_list_resp r;

	cr_assert_eq(qmi_msg_decode(&qmi_wds_get_profile_list_resp_def, past_end, sizeof(past_end),
				    &r),
		     -EBADMSG);
	memset(big, 'x', sizeof(big));
	big[0] = 0x01;
	big[1] = (uint8_t)(sizeof(big) - 3);
	big[2] = 0;
	big[3] = 1; /* one entry */
	big[4] = 0;
	big[5] = 1;
	big[6] = 100; /* name length 100 > 63 */
	cr_assert_eq(qmi_msg_decode(&qmi_wds_get_profile_list_resp_def, big, sizeof(big), &r),
		     -EMSGSIZE);
}

Test(msgdb_decode, array_count_over_capacity)
{
	uint8_t tlvs[3 + 1 + 65 * 5];
	struct qmi_ctl_get_version_info_resp r;

	memset(tlvs, 0, sizeof(tlvs));
	tlvs[0] = 0x01;
	tlvs[1] = (uint8_t)((sizeof(tlvs) - 3) & 0xff);
	tlvs[2] = (uint8_t)((sizeof(tlvs) - 3) >> 8);
	tlvs[3] = 65;
	cr_assert_eq(qmi_msg_decode(&qmi_ctl_get_version_info_resp_def, tlvs, sizeof(tlvs), &r),
		     -EMSGSIZE);
	/* A count that promises more elements than the TLV holds. */
	tlvs[1] = 1 + 2 * 5;
	tlvs[2] = 0;
	tlvs[3] = 3;
	cr_assert_eq(qmi_msg_decode(&qmi_ctl_get_version_info_resp_def, tlvs, 3 + 1 + 2 * 5, &r),
		     -EBADMSG);
}

Test(msgdb_decode, duplicate_tlv_last_wins)
{
	static const uint8_t tlvs[] = { 0x01, 0x01, 0x00, 0x01, 0x01, 0x01, 0x00, 0x03 };
	struct qmi_dms_get_operating_mode_resp r;

	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_operating_mode_resp_def, tlvs, sizeof(tlvs), &r),
		     0);
	cr_assert_eq(r.mode, 3);
}

Test(msgdb_decode, result_tlv_not_in_struct_and_zeroing)
{
	static const uint8_t tlvs[] = { 0x02, 0x04, 0x00, 0x01, 0x00, 0x05, 0x00 };
	struct qmi_dms_get_ids_resp r;

	memset(&r, 0xa5, sizeof(r));
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_ids_resp_def, tlvs, sizeof(tlvs), &r), 0);
	cr_assert(!r.has_esn && !r.has_imei && !r.has_meid && !r.has_imei_sv);
	cr_assert_eq(r.imei[0], 0);
	/* An empty message def takes NULL. */
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_ids_req_def, tlvs, sizeof(tlvs), NULL), 0);
}

Test(msgdb_decode, signed_values_and_fixed_strings)
{
	static const uint8_t sig[] = {
		0x14, 0x06, 0x00, 0xb5, 0xf6, 0xa6, 0xff, 0x64, 0x00, /* LTE -75 -10 -90 100 */
		0x17, 0x04, 0x00, 0x9c, 0xff, 0x0a, 0x00,             /* 5G rsrp -100, snr 10 */
	};
	static const uint8_t sys[] = {
		0x19, 0x1d, 0x00, 0x01, 0x02, 0x01, 0x02, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x34, 0x12, 0x01, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00,
		0x01, '2',  '4',  '2',  '0',  '1',  0x00, 0x01, 0xcd, 0xab,
	};
	struct qmi_nas_get_signal_info_resp s;
	struct qmi_nas_get_system_info_resp y;

	cr_assert_eq(qmi_msg_decode(&qmi_nas_get_signal_info_resp_def, sig, sizeof(sig), &s), 0);
	cr_assert_eq(s.lte.rssi, -75);
	cr_assert_eq(s.lte.rsrq, -10);
	cr_assert_eq(s.lte.rsrp, -90);
	cr_assert_eq(s.lte.snr, 100);
	cr_assert_eq(s.nr5g.rsrp, -100);
	cr_assert_eq(qmi_msg_decode(&qmi_nas_get_system_info_resp_def, sys, sizeof(sys), &y), 0);
	cr_assert(y.has_lte_sys_info);
	cr_assert_eq(y.lte_sys_info.domain, 2);
	cr_assert_eq(y.lte_sys_info.lac, 0x1234);
	cr_assert_eq(y.lte_sys_info.cid, 0x12345678);
	cr_assert_str_eq(y.lte_sys_info.mcc, "242");
	cr_assert_str_eq(y.lte_sys_info.mnc, "01");
	cr_assert_eq(y.lte_sys_info.tac_valid, 1);
	cr_assert_eq(y.lte_sys_info.tac, 0xabcd);
}

/* ---------------------------------------------------------------- hostile input */

Test(msgdb_decode, random_tlvs_never_crash)
{
	/* Known TLV ids with random lengths and bytes: every outcome must be 0, -EBADMSG or
	 * -EMSGSIZE, with no out-of-bounds access (ASan watches), and a success must encode
	 * back. */
	const struct qmi_msg_def *d;
	struct rng r = { 0xC0FFEE };
	uint8_t tlvs[1024], buf[QMI_FRAME_MAX];
	int seen_ok = 0, seen_bad = 0;

	for (size_t i = 0; (d = qmi_msgdb_get(i)); i++) {
		void *msg = calloc(1, d->size ? d->size : 1);

		cr_assert(msg);
		for (int k = 0; k < 300; k++) {
			size_t len = 0, n = 1 + rnd(&r) % 4;
			int err;

			for (size_t t = 0; t < n; t++) {
				size_t vl = rnd(&r) % 40;

				if (len + 3 + vl > sizeof(tlvs))
					break;
				tlvs[len++] = d->n_tlvs && (rnd(&r) % 4)
						      ? d->tlvs[rnd(&r) % d->n_tlvs].id
						      : (uint8_t)rnd(&r);
				tlvs[len++] = (uint8_t)vl;
				tlvs[len++] = 0;
				for (size_t b = 0; b < vl; b++)
					tlvs[len++] = (uint8_t)(rnd(&r) % 4 ? rnd(&r) % 4
									    : rnd(&r));
			}
			if (rnd(&r) % 8 == 0 && len)
				len -= 1 + rnd(&r) % len; /* cut anywhere */
			err = qmi_msg_decode(d, tlvs, len, d->size ? msg : NULL);
			cr_assert(err == 0 || err == -EBADMSG || err == -EMSGSIZE, "%s: %d",
				  d->name, err);
			if (err == 0) {
				size_t flen;

				seen_ok++;
				cr_assert_eq(qmi_msg_build(d, d->size ? msg : NULL, 1, 1, buf,
							   sizeof(buf), &flen),
					     0, "%s", d->name);
			} else {
				seen_bad++;
			}
		}
		free(msg);
	}
	cr_assert_gt(seen_ok, 1000);
	cr_assert_gt(seen_bad, 1000);
}
