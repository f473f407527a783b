/* SPDX-License-Identifier: MIT */
/* The modem object and its control output pipeline, where the per-response faults act. */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "qmi/messages.h"

static const struct {
	uint8_t id;
	uint16_t major, minor;
} svc_versions[QSIM_NSVC] = {
	[QSIM_SVC_WDS] = { QMI_SVC_WDS, 1, 67 }, [QSIM_SVC_DMS] = { QMI_SVC_DMS, 1, 14 },
	[QSIM_SVC_NAS] = { QMI_SVC_NAS, 1, 25 }, [QSIM_SVC_UIM] = { QMI_SVC_UIM, 1, 46 },
	[QSIM_SVC_WDA] = { QMI_SVC_WDA, 1, 16 },
};

bool qsim_sel_hit(const struct qsim_sel *sel, unsigned seq)
{
	if (sel->first && seq <= sel->first)
		return true;
	return sel->every && seq % sel->every == 0;
}

/* xorshift32: a seeded, per-modem generator keeps two modems (and reruns) independent. */
uint32_t qsim_rand(struct qsim *sim)
{
	uint32_t x = sim->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	sim->rng = x;
	return x;
}

static void outq_fire(void *user);

int qsim_new(struct qsim **out, struct qb_loop *loop, const struct qsim_faults *faults)
{
	struct qsim *sim;

	if (!out || !loop)
		return -EINVAL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	sim->loop = loop;
	if (faults)
		sim->faults = *faults;
	sim->rng = sim->faults.seed ? sim->faults.seed : 1;
	for (unsigned i = 0; i < QSIM_NSVC; i++) {
		sim->svcs[i].id = svc_versions[i].id;
		sim->svcs[i].major = svc_versions[i].major;
		sim->svcs[i].minor = svc_versions[i].minor;
		sim->svcs[i].next_cid = 1;
	}
	sim->llp = 1; /* 802.3 until the host asks for raw-ip, as real modems */
	sim->next_pdh = 0x12340000u + (qsim_rand(sim) & 0xFFFFu);
	sim->op_mode = sim->faults.low_power ? QMI_DMS_OPERATING_MODE_LOW_POWER
					     : QMI_DMS_OPERATING_MODE_ONLINE;
	sim->started_ms = qb_now_ms();
	qb_timer_init(&sim->outq_timer, loop, outq_fire, sim);
	qb_timer_init(&sim->flow_timer, loop, qsim_flow_fire, sim);
	qsim_pin_init(sim);
	qsim_profiles_init(sim);
	qsim_pref_init(sim);
	qsim_radio_init(sim);
	if (sim->faults.data_mode >= QSIM_DATA_GATEWAY &&
	    sim->faults.data_mode <= QSIM_DATA_FORWARD)
		sim->data_mode = (enum qsim_data_mode)sim->faults.data_mode;
	if (sim->faults.opnet_ns[0]) {
		int ret = qsim_opnet_open(sim, sim->faults.opnet_ns,
					  sim->faults.opnet_if[0] ? sim->faults.opnet_if
								  : "qsimop0");

		if (ret < 0) {
			qsim_free(sim);
			return ret;
		}
	}
	*out = sim;
	return 0;
}

static void outq_clear(struct qsim *sim)
{
	while (sim->outq_len) {
		free(sim->outq[sim->outq_head]);
		sim->outq_head = (sim->outq_head + 1) % QSIM_OUTQ_MAX;
		sim->outq_len--;
	}
	free(sim->outq);
	sim->outq = NULL;
	free(sim->held);
	sim->held = NULL;
	qb_timer_stop(&sim->outq_timer);
}

void qsim_free(struct qsim *sim)
{
	if (!sim)
		return;
	qsim_opnet_close(sim);
	for (unsigned i = 0; i < QSIM_NSVC; i++)
		for (unsigned c = 1; c <= QSIM_MAX_CIDS; c++)
			qb_timer_stop(&sim->svcs[i].clients[c].sess.drop_timer);
	qb_timer_stop(&sim->flow_timer);
	qsim_radio_fini(sim);
	outq_clear(sim);
	free(sim);
}

void qsim_set_output(struct qsim *sim, const struct qsim_output *out, void *user)
{
	if (out)
		sim->out = *out;
	else
		memset(&sim->out, 0, sizeof(sim->out));
	sim->out_user = user;
	sim->data_max = 0; /* each output says its own */
}

void qsim_set_data_max(struct qsim *sim, size_t max)
{
	sim->data_max = max;
}

void qsim_set_data_iface(struct qsim *sim, unsigned iface)
{
	sim->data_iface = iface;
}

void qsim_set_faults(struct qsim *sim, const struct qsim_faults *faults)
{
	if (faults)
		sim->faults = *faults;
	else
		memset(&sim->faults, 0, sizeof(sim->faults));
	qsim_radio_apply(sim);
}

const struct qsim_faults *qsim_get_faults(const struct qsim *sim)
{
	return &sim->faults;
}

void qsim_get_stats(const struct qsim *sim, struct qsim_stats *out)
{
	*out = sim->stats;
}

unsigned qsim_cid_count(const struct qsim *sim, uint8_t svc)
{
	for (unsigned i = 0; i < QSIM_NSVC; i++)
		if (sim->svcs[i].id == svc)
			return sim->svcs[i].count;
	return 0;
}

/* The frame leaves the modem: out->ctrl makes it fetchable, out->notify announces it. */
static void deliver(struct qsim *sim, const uint8_t *frame, size_t len, bool zero_first,
		    bool dup_notify)
{
	if (!sim->out.ctrl)
		return;
	if (zero_first) {
		sim->out.ctrl(sim->out_user, frame, 0);
		if (sim->out.notify)
			sim->out.notify(sim->out_user);
	}
	sim->out.ctrl(sim->out_user, frame, len);
	if (sim->out.notify) {
		sim->out.notify(sim->out_user);
		if (dup_notify)
			sim->out.notify(sim->out_user);
	}
}

enum {
	OUT_ZERO = 1,
	OUT_DUP = 2,
	OUT_HOLD = 4
};

static void outq_arm(struct qsim *sim);

static void outq_fire(void *user)
{
	struct qsim *sim = user;
	uint64_t now = qb_now_ms();

	while (sim->outq_len) {
		struct qsim_out_item *it = sim->outq[sim->outq_head];
		bool is_resp = it->is_response;

		if (it->due_ms > now)
			break;
		sim->outq[sim->outq_head] = NULL;
		sim->outq_head = (sim->outq_head + 1) % QSIM_OUTQ_MAX;
		sim->outq_len--;
		/* Out-of-order: this response waits until the next one has gone out. */
		if ((it->flags & OUT_HOLD) && !sim->held) {
			sim->held = it;
			continue;
		}
		deliver(sim, it->frame, it->len, it->flags & OUT_ZERO, it->flags & OUT_DUP);
		free(it);
		if (is_resp && sim->held) {
			struct qsim_out_item *h = sim->held;

			sim->held = NULL;
			deliver(sim, h->frame, h->len, h->flags & OUT_ZERO, h->flags & OUT_DUP);
			free(h);
		}
	}
	outq_arm(sim);
}

static void outq_arm(struct qsim *sim)
{
	uint64_t now, due;

	if (qb_timer_active(&sim->outq_timer) || !sim->outq_len)
		return;
	now = qb_now_ms();
	due = sim->outq[sim->outq_head]->due_ms;
	qb_timer_start(&sim->outq_timer, due > now ? due - now : 0);
}

void qsim_emit(struct qsim *sim, const uint8_t *frame, size_t len, bool is_response)
{
	struct qsim_out_item *it;
	struct qmi_frame f;
	uint8_t flags = 0;

	if (len > QMI_FRAME_MAX)
		return;
	if (is_response) {
		unsigned seq = ++sim->resp_seq;

		sim->stats.responses++;
		if (qsim_sel_hit(&sim->faults.drop, seq)) {
			sim->stats.dropped_responses++;
			return;
		}
		if (qsim_sel_hit(&sim->faults.zero_length, seq))
			flags |= OUT_ZERO;
		if (qsim_sel_hit(&sim->faults.dup_notify, seq))
			flags |= OUT_DUP;
		if (qsim_sel_hit(&sim->faults.out_of_order, seq))
			flags |= OUT_HOLD;
	} else {
		sim->stats.indications++;
	}
	if (!sim->outq) {
		sim->outq = calloc(QSIM_OUTQ_MAX, sizeof(*sim->outq));
		if (!sim->outq)
			return;
	}
	if (sim->outq_len == QSIM_OUTQ_MAX)
		return; /* a host that never fetches: the modem's buffer is full */
	it = malloc(sizeof(*it));
	if (!it)
		return;
	it->due_ms = qb_now_ms() + sim->faults.delay_ms;
	it->is_response = is_response;
	it->len = len;
	memcpy(it->frame, frame, len);
	it->flags = flags;
	if (is_response && qsim_sel_hit(&sim->faults.malformed, sim->resp_seq) &&
	    qmi_frame_parse(it->frame, len, &f, NULL) == 0)
		/* The QMI header's TLV length is off by one while the QMUX framing stays intact:
		 * a strict parser rejects the frame, and a stream reader stays in sync. */
		qmi_frame_set_tlv_len(it->frame, len, (uint16_t)(f.tlvs_len + 1));
	sim->outq[(sim->outq_head + sim->outq_len) % QSIM_OUTQ_MAX] = it;
	sim->outq_len++;
	outq_arm(sim);
}

bool qsim_luhn_ok(const char *digits)
{
	size_t n = digits ? strlen(digits) : 0;
	char want;
	char *body;

	if (n < 2)
		return false;
	body = strndup(digits, n - 1);
	if (!body)
		return false;
	want = qsim_luhn_digit(body);
	free(body);
	return want && want == digits[n - 1];
}

char qsim_luhn_digit(const char *s)
{
	size_t n = strlen(s);
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[n - 1 - i];
		unsigned d;

		if (c < '0' || c > '9')
			return 0;
		d = (unsigned)(c - '0');
		if (i % 2 ==
		    0) { /* rightmost body digit is doubled once the check digit is appended */
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}
