/* SPDX-License-Identifier: MIT */
/*
 * The data-reorder fault: a network that delivers packets out of order. A packet the fault hits
 * is held back and goes to the host right after the next one, so the two swap places (in the
 * same aggregate when a batch is open), as on a radio link with per-bearer retransmission.
 */
#include "sim/sim_int.h"

#include <string.h>

void qsim_data_to_host(struct qsim *sim, const uint8_t *pkt, size_t len)
{
	size_t held = sim->reorder_len;
	bool hit = qsim_sel_hit(&sim->faults.data_reorder, ++sim->reorder_seq);

	if (hit && !held && len <= sizeof(sim->reorder_buf)) {
		memcpy(sim->reorder_buf, pkt, len);
		sim->reorder_len = len;
		return;
	}
	qsim_data_deliver(sim, pkt, len);
	if (held) {
		sim->reorder_len = 0;
		qsim_data_deliver(sim, sim->reorder_buf, held);
	}
}
