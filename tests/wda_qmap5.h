/* SPDX-License-Identifier: MIT */
/* Test helper: the data format request of a host asking for MAP v5 as the connection manager
 * does, with its endpoint, 32 datagrams or 32 KB downlink and 16 or 16 KB uplink. */
#ifndef TESTS_WDA_QMAP5_H
#define TESTS_WDA_QMAP5_H

#include "qmi/messages.h"

static inline struct qmi_wda_set_data_format_req wda_qmap5_req(struct qmi_data_endpoint ep)
{
	return (struct qmi_wda_set_data_format_req){
		.has_link_layer_protocol = true,
		.link_layer_protocol = QMI_WDA_LINK_LAYER_RAW_IP,
		.has_ul_aggregation_protocol = true,
		.ul_aggregation_protocol = QMI_WDA_AGGREGATION_QMAPV5,
		.has_dl_aggregation_protocol = true,
		.dl_aggregation_protocol = QMI_WDA_AGGREGATION_QMAPV5,
		.has_dl_max_datagrams = true,
		.dl_max_datagrams = 32,
		.has_dl_max_size = true,
		.dl_max_size = 32768,
		.has_endpoint = true,
		.endpoint = ep,
		.has_ul_max_datagrams = true,
		.ul_max_datagrams = 16,
		.has_ul_max_size = true,
		.ul_max_size = 16384,
	};
}

#endif
