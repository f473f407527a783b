/* SPDX-License-Identifier: MIT */
/* The --sim-fault spec parser: "delay=200,drop=2,sim-absent,call-fail=27". */
#include "sim/sim.h"
#include "qmi/msgdb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_int16(const char *s, int16_t *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < INT16_MIN || v > INT16_MAX)
		return -EINVAL;
	*out = (int16_t)v;
	return 0;
}

/* "K" hits every response, "K=N" the first N, "K-every=N" every Nth. */
static int parse_sel(const char *key, const char *name, const char *val, struct qsim_sel *sel,
		     bool *matched)
{
	size_t n = strlen(name);
	unsigned long v;

	if (strncmp(key, name, n) != 0)
		return 0;
	if (key[n] == '\0') {
		*matched = true;
		if (!val) {
			sel->every = 1;
			return 0;
		}
		if (parse_uint(val, 1000000, &v) < 0 || v == 0)
			return -EINVAL;
		sel->first = (unsigned)v;
		return 0;
	}
	if (strcmp(key + n, "-every") == 0) {
		*matched = true;
		if (parse_uint(val, 1000000, &v) < 0 || v == 0)
			return -EINVAL;
		sel->every = (unsigned)v;
	}
	return 0;
}

static int parse_item(struct qsim_faults *f, char *item)
{
	char *val = strchr(item, '=');
	unsigned long v;
	bool matched = false;
	int ret;

	if (val)
		*val++ = '\0';
	struct {
		const char *name;
		struct qsim_sel *sel;
	} sels[] = {
		{ "drop", &f->drop },
		{ "dup-notify", &f->dup_notify },
		{ "zero-length", &f->zero_length },
		{ "out-of-order", &f->out_of_order },
		{ "malformed", &f->malformed },
	};
	for (size_t i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		ret = parse_sel(item, sels[i].name, val, sels[i].sel, &matched);
		if (ret < 0 || matched)
			return ret;
	}
	if (!strcmp(item, "sim-absent") || !strcmp(item, "reg-denied") ||
	    !strcmp(item, "signal-static")) {
		if (val)
			return -EINVAL;
		if (item[0] == 's' && item[1] == 'i' && item[2] == 'm')
			f->sim_absent = true;
		else if (item[0] == 'r')
			f->reg_denied = true;
		else
			f->signal_static = true;
		return 0;
	}
	struct {
		const char *name;
		bool *flag;
	} flags[] = {
		{ "no-qmap", &f->no_qmap }, /* a modem without QMAP: Set Data Format refuses it */
		{ "qmap-v1", &f->qmap_v1 }, /* an older modem: MAP v1 only */
		{ "resp-stall-silent", &f->resp_stall_silent },
		{ "resp-long", &f->resp_long },
		{ "resp-babble", &f->resp_babble },
		{ "notify-storm", &f->notify_storm },
		{ "notify-unknown", &f->notify_unknown },
		{ "bulk-garbage", &f->bulk_garbage },
		{ "bulk-oversize", &f->bulk_oversize },
		{ "qmux-lie", &f->qmux_lie },
		{ "foreign-cid", &f->foreign_cid },
		{ "ind-flood", &f->ind_flood },
		{ "low-power", &f->low_power },
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (strcmp(item, flags[i].name) != 0)
			continue;
		if (val)
			return -EINVAL;
		*flags[i].flag = true;
		return 0;
	}
	if (!strcmp(item, "usb-desc")) {
		static const char *const lies[] = { [QSIM_DESC_FEW_EPS] = "few-eps",
						    [QSIM_DESC_MANY_EPS] = "many-eps",
						    [QSIM_DESC_MPS0] = "mps0",
						    [QSIM_DESC_EP_TYPE] = "ep-type" };

		for (int l = QSIM_DESC_FEW_EPS; l <= QSIM_DESC_EP_TYPE; l++) {
			if (val && !strcmp(val, lies[l])) {
				f->usb_desc_lie = l;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (!strcmp(item, "apn")) {
		if (!val || !*val || strlen(val) >= sizeof(f->apn))
			return -EINVAL;
		strcpy(f->apn, val);
		return 0;
	}
	if (!strcmp(item, "pin")) {
		size_t n = val ? strlen(val) : 0;

		if (n < 4 || n > 8 || strspn(val, "0123456789") != n)
			return -EINVAL;
		strcpy(f->pin, val);
		return 0;
	}
	if (!strcmp(item, "call-drop-apn")) {
		if (!val || !*val || strlen(val) >= sizeof(f->call_drop_apn))
			return -EINVAL;
		strcpy(f->call_drop_apn, val);
		return 0;
	}
	if (!strcmp(item, "data")) {
		static const char *const modes[] = { "gateway", "reflect", "forward" };

		for (int m = 0; m < 3; m++) {
			if (val && !strcmp(val, modes[m])) {
				f->data_mode = m;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (!strcmp(item, "opnet")) {
		char *colon = val ? strchr(val, ':') : NULL;

		if (colon) {
			*colon++ = '\0';
			if (!*colon || strlen(colon) >= sizeof(f->opnet_if))
				return -EINVAL;
			strcpy(f->opnet_if, colon);
		}
		if (!val || !*val || strlen(val) >= sizeof(f->opnet_ns))
			return -EINVAL;
		strcpy(f->opnet_ns, val);
		return 0;
	}
	if (!strcmp(item, "refuse")) {
		/* "refuse=SVC:MSG" (SVC a name such as nas, or a number): that request gets a
		 * QMI error, as firmware without the message answers. */
		char *colon = val ? strchr(val, ':') : NULL;
		int64_t svc;

		if (!colon || f->n_refuse >= QSIM_MAX_REFUSE)
			return -EINVAL;
		*colon = '\0';
		if (qmi_enum_value(&qmi_enum_service, val, &svc) < 0) {
			if (parse_uint(val, UINT8_MAX, &v) < 0)
				return -EINVAL;
			svc = (int64_t)v;
		}
		if (parse_uint(colon + 1, UINT16_MAX, &v) < 0)
			return -EINVAL;
		f->refuse[f->n_refuse].svc = (uint8_t)svc;
		f->refuse[f->n_refuse].msg_id = (uint16_t)v;
		f->n_refuse++;
		return 0;
	}
	if (!strcmp(item, "call-fail-verbose")) {
		char *colon = val ? strchr(val, ':') : NULL;

		if (!colon)
			return -EINVAL;
		*colon = '\0';
		if (parse_uint(val, UINT16_MAX, &v) < 0 || v == 0)
			return -EINVAL;
		f->call_fail_verbose_type = (uint16_t)v;
		return parse_int16(colon + 1, &f->call_fail_verbose_reason);
	}
	struct {
		const char *name;
		unsigned long max;
		unsigned long min;
	} nums[] = {
		{ "delay", 600000, 0 },           { "sim-delay", 600000, 0 },
		{ "reg-delay", 600000, 0 },       { "call-fail", UINT16_MAX, 1 },
		{ "call-drop", 3600000, 1 },      { "cid-limit", 254, 1 },
		{ "seed", UINT32_MAX, 0 },        { "signal-ms", 3600000, 10 },
		{ "resp-stall", 1000000, 1 },     { "usb-reset", 1000000, 1 },
		{ "usb-reset-data", 1000000, 1 }, { "flow-control", 3600000, 1 },
		{ "no-service", 3600000, 1 },     { "qmap-max", 32768, 2048 },
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(item, nums[i].name) != 0)
			continue;
		if (parse_uint(val, nums[i].max, &v) < 0 || v < nums[i].min)
			return -EINVAL;
		switch (i) {
		case 0:
			f->delay_ms = (unsigned)v;
			break;
		case 1:
			f->sim_delay_ms = (unsigned)v;
			break;
		case 2:
			f->reg_delay_ms = (unsigned)v;
			break;
		case 3:
			f->call_fail_reason = (uint16_t)v;
			break;
		case 4:
			f->call_drop_ms = (unsigned)v;
			break;
		case 5:
			f->cid_limit = (unsigned)v;
			break;
		case 6:
			f->seed = (uint32_t)v;
			break;
		case 7:
			f->signal_ms = (unsigned)v;
			break;
		case 8:
			f->resp_stall = (unsigned)v;
			break;
		case 9:
			f->usb_reset_at = (unsigned)v;
			break;
		case 10:
			f->usb_reset_data_at = (unsigned)v;
			break;
		case 11:
			f->flow_control_ms = (unsigned)v;
			break;
		case 12:
			f->no_service_ms = (unsigned)v;
			break;
		default:
			f->qmap_max = (unsigned)v;
			break;
		}
		return 0;
	}
	return -ENOENT;
}

int qsim_faults_parse(struct qsim_faults *f, const char *spec, char *err, size_t errlen)
{
	char *copy = NULL, *rest, *item;
	int ret = 0;

	memset(f, 0, sizeof(*f));
	if (!spec || !*spec)
		return 0;
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	/* strsep, not strtok: "a,,b", ",a" and "a," have an empty item, which is a mistake. */
	rest = copy;
	while ((item = strsep(&rest, ",")) != NULL) {
		char shown[96];

		if (!*item) {
			if (err && errlen)
				snprintf(err, errlen, "empty sim fault item in '%s'", spec);
			ret = -EINVAL;
			break;
		}
		snprintf(shown, sizeof(shown), "%s", item);
		ret = parse_item(f, item);
		if (ret < 0) {
			if (err && errlen)
				snprintf(err, errlen, "%s sim fault '%s'",
					 ret == -ENOENT ? "unknown" : "bad value in", shown);
			ret = -EINVAL;
			break;
		}
	}
	/* A verbose reason is only ever sent with a failed call: on its own it means the call
	 * fails, with the generic end reason (1, unspecified). */
	if (!ret && f->call_fail_verbose_type && !f->call_fail_reason)
		f->call_fail_reason = QSIM_CALL_END_UNSPECIFIED;
	free(copy);
	return ret;
}
