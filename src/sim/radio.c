/* SPDX-License-Identifier: MIT */
/*
 * The radio: SIM readiness, registration and signal, derived from the operating mode and the
 * fault knobs, with the NAS indications their changes produce. Time-dependent states (a SIM that
 * initialises, a registration that takes a while, a drifting signal) run on loop timers.
 */
#include "sim/sim_int.h"

#include <string.h>

#include "base/loop.h"
#include "qmi/messages.h"

bool qsim_radio_on(const struct qsim *sim)
{
	return sim->op_mode == QMI_DMS_OPERATING_MODE_ONLINE;
}

static void state_fire(void *user)
{
	struct qsim *sim = user;

	qsim_radio_apply(sim);
}

void qsim_radio_apply(struct qsim *sim)
{
	const struct qsim_faults *f = &sim->faults;
	uint64_t now = qb_now_ms(), next = 0, sim_ready = sim->started_ms + f->sim_delay_ms;
	enum qsim_uim uim;
	enum qsim_reg reg, old = sim->reg;
	bool on = qsim_radio_on(sim);

	if (on && !sim->radio_was_on)
		sim->radio_on_since = now;
	sim->radio_was_on = on;
	if (f->sim_absent) {
		uim = QSIM_UIM_ABSENT;
	} else if (now < sim_ready) {
		uim = QSIM_UIM_INITIALISING;
		next = sim_ready;
	} else {
		uim = QSIM_UIM_READY;
	}
	if (!on || uim == QSIM_UIM_ABSENT) {
		reg = QSIM_REG_NOT;
	} else if (uim != QSIM_UIM_READY) {
		reg = QSIM_REG_SEARCHING;
	} else if (now < sim->radio_on_since + f->no_service_ms) {
		reg = QSIM_REG_NOT; /* no network at all: not even searching */
		next = !next || sim->radio_on_since + f->no_service_ms < next
			       ? sim->radio_on_since + f->no_service_ms
			       : next;
	} else if (qsim_pin_locked(sim)) {
		reg = QSIM_REG_NOT; /* a locked card gives no subscription to register with */
	} else if (!qsim_pref_can_camp(sim)) {
		reg = QSIM_REG_SEARCHING; /* the preference excludes the only cell there is */
	} else if (f->reg_denied) {
		reg = QSIM_REG_DENIED;
	} else {
		uint64_t svc = sim->radio_on_since + f->no_service_ms;
		uint64_t at = (sim_ready > svc ? sim_ready : svc) + f->reg_delay_ms;

		if (now < at) {
			reg = QSIM_REG_SEARCHING;
			if (!next || at < next)
				next = at;
		} else {
			reg = QSIM_REG_REGISTERED;
		}
	}
	sim->uim = uim;
	sim->reg = reg;
	if (old == QSIM_REG_REGISTERED && reg != QSIM_REG_REGISTERED)
		qsim_wds_end_all(sim, 3 /* no-service */, 0, 0);
	if (old != reg || sim->reported_on != on) {
		sim->reported_on = on;
		qsim_nas_send_serving_system(sim);
	}
	if (next)
		qb_timer_start(&sim->state_timer, next > now ? next - now : 0);
	else
		qb_timer_stop(&sim->state_timer);
}

static int walk(struct qsim *sim, int v, int lo, int hi, int step)
{
	v += (int)(qsim_rand(sim) % (unsigned)(2 * step + 1)) - step;
	return v < lo ? lo : v > hi ? hi : v;
}

void qsim_signal_step(struct qsim *sim)
{
	struct qmi_nas_signal_info_ind ind = { .has_lte = true };
	struct qsim_svc *nas = qsim_svc_by_id(sim, QMI_SVC_NAS);

	sim->rssi = (int8_t)walk(sim, sim->rssi, -100, -51, 2);
	sim->rsrq = (int8_t)walk(sim, sim->rsrq, -20, -3, 1);
	sim->rsrp = (int16_t)walk(sim, sim->rsrp, -125, -70, 2);
	sim->snr = (int16_t)walk(sim, sim->snr, -50, 300, 15);
	if (!qsim_radio_on(sim))
		return;
	ind.lte.rssi = sim->rssi;
	ind.lte.rsrq = sim->rsrq;
	ind.lte.rsrp = sim->rsrp;
	ind.lte.snr = sim->snr;
	for (unsigned c = 1; c <= QSIM_MAX_CIDS; c++)
		if (nas->clients[c].used && nas->clients[c].ind_signal_info)
			qsim_indicate(sim, QMI_SVC_NAS, (uint8_t)c, QMI_NAS_SIGNAL_INFO_IND, &ind);
}

static unsigned signal_period(const struct qsim *sim)
{
	return sim->faults.signal_ms ? sim->faults.signal_ms : 1000;
}

static void signal_fire(void *user)
{
	struct qsim *sim = user;

	qsim_signal_step(sim);
	if (!sim->faults.signal_static)
		qb_timer_start(&sim->signal_timer, signal_period(sim));
}

void qsim_radio_init(struct qsim *sim)
{
	sim->rssi = -65;
	sim->rsrq = -9;
	sim->rsrp = -95;
	sim->snr = 120;
	sim->reg = QSIM_REG_NOT;
	sim->reported_on = true;
	qb_timer_init(&sim->state_timer, sim->loop, state_fire, sim);
	qb_timer_init(&sim->signal_timer, sim->loop, signal_fire, sim);
	qsim_radio_apply(sim);
	if (!sim->faults.signal_static)
		qb_timer_start(&sim->signal_timer, signal_period(sim));
}

void qsim_radio_fini(struct qsim *sim)
{
	qb_timer_stop(&sim->state_timer);
	qb_timer_stop(&sim->signal_timer);
}
