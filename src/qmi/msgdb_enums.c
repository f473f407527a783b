/* SPDX-License-Identifier: MIT */
/*
 * Looking up enum and bitmask names. The tables themselves are generated from
 * src/qmi/data/<service>.json; their names are libqmi's "nicks", the words qmicli prints and accepts.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "qmi/msgdb.h"

const char *qmi_enum_name(const struct qmi_enum *e, int64_t value)
{
	if (!e)
		return NULL;
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].value == value)
			return e->v[i].name;
	return NULL;
}

int qmi_enum_value(const struct qmi_enum *e, const char *name, int64_t *value)
{
	if (!e || !name)
		return -EINVAL;
	for (size_t i = 0; i < e->n; i++) {
		if (strcasecmp(e->v[i].name, name) == 0) {
			*value = e->v[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

const char *qmi_wds_call_end_reason_name(uint16_t reason)
{
	return qmi_enum_name(&qmi_enum_wds_call_end_reason, reason);
}

const char *qmi_wds_verbose_cer_type_name(uint16_t type)
{
	return qmi_enum_name(&qmi_enum_wds_verbose_cer_type, type);
}

const char *qmi_wds_verbose_call_end_reason_name(uint16_t type, int16_t reason)
{
	switch (type) {
	case 2:
		return qmi_enum_name(&qmi_enum_wds_verbose_cer_internal, reason);
	case 6:
		return qmi_enum_name(&qmi_enum_wds_verbose_cer_3gpp, reason);
	default:
		return NULL;
	}
}

const char *qmi_wds_connection_status_name(uint8_t status)
{
	return qmi_enum_name(&qmi_enum_wds_connection_status, status);
}

const char *qmi_dms_operating_mode_name(uint8_t mode)
{
	return qmi_enum_name(&qmi_enum_dms_operating_mode, mode);
}

const char *qmi_nas_registration_state_name(uint8_t state)
{
	return qmi_enum_name(&qmi_enum_nas_registration_state, state);
}

const char *qmi_nas_attach_state_name(uint8_t state)
{
	return qmi_enum_name(&qmi_enum_nas_attach_state, state);
}

const char *qmi_nas_radio_interface_name(int8_t radio_if)
{
	return qmi_enum_name(&qmi_enum_nas_radio_interface, radio_if);
}

const char *qmi_nas_service_status_name(uint8_t status)
{
	return qmi_enum_name(&qmi_enum_nas_service_status, status);
}

const char *qmi_wda_link_layer_name(uint32_t llp)
{
	return qmi_enum_name(&qmi_enum_wda_link_layer, llp);
}

const char *qmi_wda_aggregation_name(uint32_t proto)
{
	return qmi_enum_name(&qmi_enum_wda_aggregation, proto);
}

const char *qmi_uim_card_state_name(uint8_t state)
{
	return qmi_enum_name(&qmi_enum_uim_card_state, state);
}

const char *qmi_uim_app_state_name(uint8_t state)
{
	return qmi_enum_name(&qmi_enum_uim_app_state, state);
}
