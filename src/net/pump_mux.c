/* SPDX-License-Identifier: MIT */
/*
 * Several sessions on one modem: the transport's data channel shared by one pump per mux id.
 * Downlink transfers are split here and each frame goes to its session's pump; uplink
 * aggregates come from each pump ready-made (its own mux id in every header) and only pass
 * through. MAP commands are answered here, ahead of any data.
 */
#include "net/pump_internal.h"

#include <errno.h>
#include <stdlib.h>

struct qnet_mux {
	qnet_pump_send_fn send;
	void *send_ctx;
	bool v5;
	bool in_tx_ready;
	bool never; /* pump_cmds_flush's stop flag: the mux does not go away inside a send */
	struct qnet_pump *by_id[256];
	uint8_t ids[256]; /* the attached mux ids, for passing data_tx_ready on */
	unsigned n_ids;
	unsigned next; /* the session data_tx_ready reaches first, so none starves the others */
	struct pump_cmds cmds;
	struct qnet_mux_stats st;
	struct qnet_pump_tx tx; /* the transport's, for qnet_mux_tx */
};

int qnet_mux_new(struct qnet_mux **out, qnet_pump_send_fn send, void *send_ctx)
{
	struct qnet_mux *m;

	if (!send)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->send = send;
	m->send_ctx = send_ctx;
	m->cmds.answers = &m->st.qmap_cmd_answers;
	m->cmds.drop_answer = &m->st.qmap_cmd_answers_lost;
	m->cmds.bad = &m->st.qmap_cmd_bad;
	*out = m;
	return 0;
}

void qnet_mux_free(struct qnet_mux *m)
{
	free(m);
}

void qnet_mux_set_v5(struct qnet_mux *m, bool v5)
{
	m->v5 = v5;
}

int qnet_mux_attach(struct qnet_mux *m, uint8_t mux_id, struct qnet_pump *p)
{
	if (!p)
		return -EINVAL;
	if (m->by_id[mux_id])
		return -EEXIST;
	m->by_id[mux_id] = p;
	m->ids[m->n_ids++] = mux_id;
	return 0;
}

void qnet_mux_detach(struct qnet_mux *m, uint8_t mux_id)
{
	unsigned i;

	if (!m->by_id[mux_id])
		return;
	m->by_id[mux_id] = NULL;
	for (i = 0; i < m->n_ids && m->ids[i] != mux_id; i++)
		;
	m->ids[i] = m->ids[--m->n_ids];
}

static bool mux_flush(struct qnet_mux *m)
{
	return pump_cmds_flush(&m->cmds, m->send, m->send_ctx, &m->never);
}

/* The transport lends one buffer at a time: only a lone session (or a raw-IP pump, beside none)
 * builds in it; several copy theirs through qnet_mux_send(). */
static int mux_tx_buf(void *mux, uint8_t **buf, size_t *cap)
{
	struct qnet_mux *m = mux;

	return m->n_ids > 1 ? -EBUSY : m->tx.buf(m->tx.ctx, buf, cap);
}

static int mux_tx_send(void *mux, size_t len)
{
	struct qnet_mux *m = mux;

	/* An answer the modem waits for leaves before more data. */
	return mux_flush(m) ? m->tx.send(m->tx.ctx, len) : -ENOBUFS;
}

void qnet_mux_tx(struct qnet_mux *m, const struct qnet_pump_tx *tx, struct qnet_pump_tx *out)
{
	m->tx = *tx;
	*out = (struct qnet_pump_tx){ mux_tx_buf, mux_tx_send, m };
}

int qnet_mux_send(void *mux, const uint8_t *buf, size_t len)
{
	struct qnet_mux *m = mux;

	/* An answer the modem waits for leaves before more data. */
	if (!mux_flush(m))
		return -ENOBUFS;
	return m->send(m->send_ctx, buf, len);
}

void qnet_mux_data_rx(void *mux, const uint8_t *buf, size_t len)
{
	struct qnet_mux *m = mux;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	int r;

	m->st.down_aggs++;
	if (m->v5)
		qmi_qmap_iter_init_v5(&it, buf, len);
	else
		qmi_qmap_iter_init(&it, buf, len);
	while ((r = qmi_qmap_next(&it, &f)) > 0) {
		struct qnet_pump *p = m->by_id[f.mux_id];

		if (f.kind == QMI_QMAP_COMMAND) {
			m->st.down_qmap_commands++;
			pump_qmap_command(&m->cmds, p, &f);
		} else if (f.kind == QMI_QMAP_BAD) {
			m->st.drop_down_qmap_bad++;
		} else if (!p) {
			m->st.drop_down_unknown++;
		} else {
			pump_qmap_data(p, &f);
		}
	}
	if (r < 0)
		m->st.drop_down_qmap_trunc++;
	for (unsigned i = 0; i < m->n_ids; i++)
		pump_down_end(m->by_id[m->ids[i]]); /* merged packets point into buf */
	pump_cmds_flush(&m->cmds, m->send, m->send_ctx, &m->never);
}

void qnet_mux_data_tx_ready(void *mux)
{
	struct qnet_mux *m = mux;
	unsigned i, n;

	/* The transport may report readiness from inside a send: the outer pass goes on. */
	if (m->in_tx_ready)
		return;
	if (!pump_cmds_flush(&m->cmds, m->send, m->send_ctx, &m->never) || !m->n_ids)
		return;
	m->in_tx_ready = true;
	n = m->n_ids;
	m->next = (m->next + 1) % n;
	for (i = 0; i < n && i < m->n_ids; i++)
		qnet_pump_data_tx_ready(m->by_id[m->ids[(m->next + i) % m->n_ids]]);
	m->in_tx_ready = false;
}

const struct qnet_mux_stats *qnet_mux_stats(const struct qnet_mux *m)
{
	return &m->st;
}
