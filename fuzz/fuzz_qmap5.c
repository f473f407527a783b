/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the MAP v5 side of the QMAP codec (src/qmi/qmap.c): deaggregation with
 * checksum headers, MAP command parsing and the answers built for them, and v5 re-aggregation
 * of what came out. tests/qmi/test_qmap5.c replays the same body under ASan (compiled in with
 * QMI_FUZZ_QMAP5_BODY_ONLY). A violated invariant traps.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "qmi/qmap.h"

int qmi_fuzz_qmap5(const uint8_t *data, size_t size);

/* A command frame: its answer must parse back to the same command, typed as asked. */
static void check_command(const struct qmi_qmap_frame *f)
{
	uint8_t ack[QMI_QMAP_HDR_LEN + QMI_QMAP_CMD_MAX];
	struct qmi_qmap_cmd c, back;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame g;
	int n;

	if (qmi_qmap_cmd_parse(f->pkt, f->len, &c) < 0) {
		if (f->len >= QMI_QMAP_CMD_HDR_LEN)
			__builtin_trap();
		return;
	}
	n = qmi_qmap_cmd_answer(ack, sizeof(ack), f->mux_id, f->pkt, f->len, QMI_QMAP_CMD_ACK);
	if (n < 0) {
		if (f->len <= QMI_QMAP_CMD_MAX)
			__builtin_trap();
		return;
	}
	qmi_qmap_iter_init_v5(&it, ack, (size_t)n);
	if (qmi_qmap_next(&it, &g) != 1 || g.kind != QMI_QMAP_COMMAND || g.mux_id != f->mux_id ||
	    g.len != f->len || qmi_qmap_next(&it, &g) != 0)
		__builtin_trap();
	qmi_qmap_iter_init_v5(&it, ack, (size_t)n);
	qmi_qmap_next(&it, &g);
	if (qmi_qmap_cmd_parse(g.pkt, g.len, &back) < 0 || back.type != QMI_QMAP_CMD_ACK ||
	    back.name != c.name || back.txn != c.txn || back.has_flow != c.has_flow ||
	    back.seq != c.seq || back.qos_id != c.qos_id)
		__builtin_trap();
}

int qmi_fuzz_qmap5(const uint8_t *data, size_t size)
{
	static uint8_t out[70000]; /* fuzzers run one input at a time */
	struct qmi_qmap_agg agg;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	size_t copied = 0;
	unsigned data_frames = 0;
	int r;

	qmi_qmap_agg_init(&agg, out, sizeof(out), 1000, 9, true);
	qmi_qmap_agg_set_v5(&agg, true, size & 1);
	qmi_qmap_iter_init_v5(&it, data, size);
	while ((r = qmi_qmap_next(&it, &f)) > 0) {
		if (f.kind != QMI_QMAP_BAD &&
		    (f.pkt < data || f.pkt + f.len > data + size || f.len > 0xFFFF))
			__builtin_trap();
		if (it.p < data || it.p > data + size || it.left != size - (size_t)(it.p - data))
			__builtin_trap();
		if (f.kind == QMI_QMAP_DATA) {
			/* v5 data always came with its checksum header, right after the MAP one. */
			if (!f.len || !f.csum_hdr || f.pkt < data + QMI_QMAP_HDR_LEN + 4 ||
			    !(f.pkt[-QMI_QMAP_V5_HDR_LEN - QMI_QMAP_HDR_LEN] & QMI_QMAP_NEXT_HDR))
				__builtin_trap();
			data_frames++;
			if (qmi_qmap_agg_add(&agg, f.pkt, f.len) == 0)
				copied++;
		} else if (f.kind == QMI_QMAP_COMMAND) {
			check_command(&f);
		}
	}
	if (r < 0 && it.left)
		__builtin_trap();
	/* What was re-aggregated deaggregates to the same packets, each with its header. */
	qmi_qmap_iter_init_v5(&it, agg.buf, agg.len);
	while ((r = qmi_qmap_next(&it, &f)) > 0) {
		if (f.kind != QMI_QMAP_DATA || f.mux_id != 9 || !f.csum_hdr ||
		    f.csum_valid != (bool)(size & 1))
			__builtin_trap();
		copied--;
	}
	if (r != 0 || copied != 0 || agg.frames > data_frames)
		__builtin_trap();
	return 0;
}

#ifndef QMI_FUZZ_QMAP5_BODY_ONLY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return qmi_fuzz_qmap5(data, size);
}
#endif
