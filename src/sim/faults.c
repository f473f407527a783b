/* SPDX-License-Identifier: MIT */
/* The --sim-fault spec parser: "delay=200,drop=2,sim-absent,call-fail=27". */
#include "sim/sim.h"
#include "qmi/msgdb.h"
#include "qmi/pin.h"

#include <errno.h>
#include <stddef.h>
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
		{ "data-loss", &f->data_loss },
		{ "data-reorder", &f->data_reorder },
	};
	for (size_t i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		ret = parse_sel(item, sels[i].name, val, sels[i].sel, &matched);
		if (ret < 0 || matched)
			return ret;
	}
	struct {
		const char *name;
		bool *flag;
	} flags[] = {
		{ "sim-absent", &f->sim_absent },
		{ "reg-denied", &f->reg_denied },
		{ "signal-static", &f->signal_static },
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
		if (!qmi_pin_valid(val))
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
	/* Every numeric knob: its bounds and where it goes (an unsigned field, or the width
	 * given). */
#define NUM(n, fld, lo, hi)                                                                        \
	{                                                                                          \
		n, hi, lo, offsetof(struct qsim_faults, fld), sizeof(f->fld)                       \
	}
	static const struct {
		const char *name;
		unsigned long max, min;
		size_t off, size;
	} nums[] = {
		NUM("delay", delay_ms, 0, 600000),
		NUM("sim-delay", sim_delay_ms, 0, 600000),
		NUM("reg-delay", reg_delay_ms, 0, 600000),
		NUM("call-fail", call_fail_reason, 1, UINT16_MAX),
		NUM("call-drop", call_drop_ms, 1, 3600000),
		NUM("cid-limit", cid_limit, 1, 254),
		NUM("cid-not-ready", cid_not_ready_ms, 1, 600000),
		NUM("seed", seed, 0, UINT32_MAX),
		NUM("signal-ms", signal_ms, 10, 3600000),
		NUM("resp-stall", resp_stall, 1, 1000000),
		NUM("usb-reset", usb_reset_at, 1, 1000000),
		NUM("usb-reset-data", usb_reset_data_at, 1, 1000000),
		NUM("flow-control", flow_control_ms, 1, 3600000),
		NUM("no-service", no_service_ms, 1, 3600000),
		NUM("dl-agg", dl_agg, 2048, QSIM_DL_AGG_MAX),
		NUM("qmap-max", qmap_max, 2048, 32768),
		NUM("unplug", unplug_ms, 1, 3600000),
		NUM("replug", replug_ms, 0, 3600000),
	};
#undef NUM
	_Static_assert(sizeof(unsigned) == sizeof(uint32_t), "unsigned knobs are 32-bit");
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		uint8_t *field = (uint8_t *)f + nums[i].off;

		if (strcmp(item, nums[i].name) != 0)
			continue;
		if (parse_uint(val, nums[i].max, &v) < 0 || v < nums[i].min)
			return -EINVAL;
		if (nums[i].size == sizeof(uint16_t))
			*(uint16_t *)(void *)field = (uint16_t)v;
		else if (nums[i].size == sizeof(uint32_t))
			*(uint32_t *)(void *)field = (uint32_t)v;
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
