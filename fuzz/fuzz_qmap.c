/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the QMAP codec (src/qmi/qmap.c): deaggregation of untrusted transfers and
 * re-aggregation of what came out. tests/qmi/test_qmap.c replays the same body under ASan
 * (compiled in with QMI_FUZZ_QMAP_BODY_ONLY). A violated invariant traps.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "qmi/qmap.h"

int qmi_fuzz_qmap(const uint8_t *data, size_t size);

int qmi_fuzz_qmap(const uint8_t *data, size_t size)
{
	static uint8_t out[70000]; /* fuzzers run one input at a time */
	struct qmi_qmap_agg agg;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	size_t walked = 0, copied = 0;
	unsigned data_frames = 0;
	int r;

	qmi_qmap_agg_init(&agg, out, sizeof(out), 1000, 7, size & 1);
	qmi_qmap_iter_init(&it, data, size);
	while ((r = qmi_qmap_next(&it, &f)) > 0) {
		/* Every frame lies inside the input and the walk only moves forward. */
		if (f.kind != QMI_QMAP_BAD &&
		    (f.pkt < data || f.pkt + f.len > data + size || f.len > 0xFFFF))
			__builtin_trap();
		walked = (size_t)(it.p - data);
		if (walked > size || it.left != size - walked)
			__builtin_trap();
		if (f.kind == QMI_QMAP_DATA) {
			if (!f.len)
				__builtin_trap();
			data_frames++;
			if (qmi_qmap_agg_add(&agg, f.pkt, f.len) == 0)
				copied++;
		}
	}
	if (r < 0 && it.left)
		__builtin_trap();
	/* What was re-aggregated deaggregates to the same packets. */
	qmi_qmap_iter_init(&it, agg.buf, agg.len);
	while ((r = qmi_qmap_next(&it, &f)) > 0) {
		if (f.kind != QMI_QMAP_DATA || f.mux_id != 7)
			__builtin_trap();
		copied--;
	}
	if (r != 0 || copied != 0 || agg.frames > data_frames)
		__builtin_trap();
	return 0;
}

#ifndef QMI_FUZZ_QMAP_BODY_ONLY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return qmi_fuzz_qmap(data, size);
}
#endif
