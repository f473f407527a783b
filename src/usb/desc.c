/* SPDX-License-Identifier: MIT */
#include "usb/desc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum {
	DT_CONFIG = 0x02,
	DT_INTERFACE = 0x04,
	DT_ENDPOINT = 0x05,
	DT_CS_INTERFACE = 0x24,
	CDC_UNION = 0x06,
};

bool qusb_ep_duplicate(uint16_t owner[256], uint8_t iface, uint8_t addr)
{
	uint16_t *o = &owner[addr];

	if (*o && *o != iface + 1u)
		return true;
	*o = (uint16_t)(iface + 1u);
	return false;
}

int qusb_config_parse(const uint8_t *raw, size_t len, struct qusb_config *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 9 || raw[0] < 9 || raw[1] != DT_CONFIG)
		return -EBADMSG;
	size_t total = (size_t)raw[2] | (size_t)raw[3] << 8;
	if (total < raw[0] || total > len)
		return -EBADMSG;
	out->value = raw[5];

	struct qusb_alt *cur = NULL;
	bool dropping = false; /* past QUSB_MAX_ALTS: keep validating, stop storing */
	uint16_t owner[256] = { 0 };
	for (size_t pos = raw[0]; pos < total;) {
		const uint8_t *d = raw + pos;
		size_t left = total - pos;
		if (left < 2 || d[0] < 2 || d[0] > left)
			return -EBADMSG;
		switch (d[1]) {
		case DT_INTERFACE:
			if (d[0] < 9)
				return -EBADMSG;
			if (out->n_alts == QUSB_MAX_ALTS) {
				dropping = true;
				cur = NULL;
				break;
			}
			cur = &out->alts[out->n_alts++];
			cur->iface = d[2];
			cur->alt = d[3];
			cur->n_eps = d[4];
			cur->cls = d[5];
			cur->subcls = d[6];
			cur->proto = d[7];
			break;
		case DT_ENDPOINT:
			if (d[0] < 7)
				return -EBADMSG;
			/* Every endpoint of a kept interface claims its address, stored or not. */
			if (cur && !qusb_ep_duplicate(owner, cur->iface, d[2]) &&
			    cur->n_parsed < QUSB_MAX_EPS) {
				struct qusb_ep *e = &cur->eps[cur->n_parsed++];
				e->addr = d[2];
				e->type = d[3] & 3;
				e->max_packet = (uint16_t)((d[4] | d[5] << 8) & 0x7ff);
			}
			break;
		case DT_CS_INTERFACE:
			if (cur && cur->extra_len + d[0] <= QUSB_EXTRA_MAX) {
				memcpy(cur->extra + cur->extra_len, d, d[0]);
				cur->extra_len = (uint16_t)(cur->extra_len + d[0]);
			}
			break;
		default:
			break; /* IADs, SuperSpeed companions, vendor descriptors */
		}
		pos += d[0];
	}
	(void)dropping;
	return 0;
}

struct eps {
	const struct qusb_ep *notify, *in, *out;
	unsigned count; /* endpoints present in the descriptor set */
};

static struct eps alt_eps(const struct qusb_alt *a)
{
	struct eps r = { .count = a->n_parsed };
	for (unsigned i = 0; i < a->n_parsed; i++) {
		const struct qusb_ep *e = &a->eps[i];
		bool in = e->addr & 0x80;
		if (e->type == QUSB_EP_INTR && in && !r.notify)
			r.notify = e;
		else if (e->type == QUSB_EP_BULK && in && !r.in)
			r.in = e;
		else if (e->type == QUSB_EP_BULK && !in && !r.out)
			r.out = e;
	}
	return r;
}

/* The first alternate setting of iface (the one the kernel matches on at probe time). */
static const struct qusb_alt *first_alt(const struct qusb_config *c, uint8_t iface)
{
	const struct qusb_alt *best = NULL;
	for (unsigned i = 0; i < c->n_alts; i++)
		if (c->alts[i].iface == iface && (!best || c->alts[i].alt < best->alt))
			best = &c->alts[i];
	return best;
}

/* An alternate setting of iface with the wanted endpoints (notify and/or a bulk pair). */
static const struct qusb_alt *alt_with(const struct qusb_config *c, uint8_t iface, bool notify,
				       bool bulk)
{
	for (unsigned i = 0; i < c->n_alts; i++) {
		const struct qusb_alt *a = &c->alts[i];
		if (a->iface != iface)
			continue;
		struct eps e = alt_eps(a);
		if ((!notify || e.notify) && (!bulk || (e.in && e.out)))
			return a;
	}
	return NULL;
}

/* The CDC Union functional descriptor in an interface's class-specific bytes. */
static bool find_union(const struct qusb_alt *a, uint8_t *master, uint8_t *slave)
{
	for (size_t p = 0; p + 2 <= a->extra_len;) {
		const uint8_t *d = a->extra + p;
		if (d[0] < 2 || p + d[0] > a->extra_len)
			return false;
		if (d[1] == DT_CS_INTERFACE && d[0] >= 5 && d[2] == CDC_UNION) {
			*master = d[3];
			*slave = d[4];
			return true;
		}
		p += d[0];
	}
	return false;
}

static bool union_of(const struct qusb_config *c, uint8_t master, uint8_t *slave)
{
	for (unsigned i = 0; i < c->n_alts; i++) {
		uint8_t m, s;
		if (c->alts[i].iface == master && find_union(&c->alts[i], &m, &s) && m == master &&
		    s != master) {
			*slave = s;
			return true;
		}
	}
	return false;
}

/* The interface whose Union names `slave` as its data interface. */
static bool master_of(const struct qusb_config *c, uint8_t slave, uint8_t *master)
{
	for (unsigned i = 0; i < c->n_alts; i++) {
		uint8_t m, s;
		if (find_union(&c->alts[i], &m, &s) && s == slave && m == c->alts[i].iface &&
		    m != slave) {
			*master = m;
			return true;
		}
	}
	return false;
}

static void set_ctrl(struct qusb_func *f, const struct qusb_alt *a)
{
	struct eps e = alt_eps(a);
	if (!e.notify)
		return; /* unreachable: callers pass an alt_with() choice, which has it */
	f->ctrl_iface = a->iface;
	f->ctrl_alt = a->alt;
	f->ep_notify = e.notify->addr;
	f->notify_mps = e.notify->max_packet;
}

static void set_data(struct qusb_func *f, const struct qusb_alt *a)
{
	struct eps e = alt_eps(a);
	if (!e.in || !e.out)
		return; /* unreachable: callers pass an alt_with() choice, which has them */
	f->data_iface = a->iface;
	f->data_alt = a->alt;
	f->ep_in = e.in->addr;
	f->ep_out = e.out->addr;
	f->bulk_mps = e.in->max_packet < e.out->max_packet ? e.in->max_packet : e.out->max_packet;
}

/* Control + data for an eligible interface, or false. Follows qmi_wwan_bind: a Union on this
 * interface points at the data interface; a bulk-only interface may be a Union's data side. */
static bool resolve(const struct qusb_config *c, uint8_t iface, struct qusb_func *f)
{
	uint8_t other;
	const struct qusb_alt *ctrl, *data;

	if (union_of(c, iface, &other) && (ctrl = alt_with(c, iface, true, false)) &&
	    (data = alt_with(c, other, false, true))) {
		set_ctrl(f, ctrl);
		set_data(f, data);
		f->cdc_union = true;
		return true;
	}
	const struct qusb_alt *a0 = first_alt(c, iface);
	/* A 2-endpoint vendor interface is DIAG (same class codes as QMI on many modems). */
	if (a0 && a0->n_eps == 2 && !master_of(c, iface, &other))
		return false;
	if ((ctrl = alt_with(c, iface, true, true))) {
		set_ctrl(f, ctrl);
		set_data(f, ctrl);
		return true;
	}
	if (master_of(c, iface, &other) && (ctrl = alt_with(c, other, true, false)) &&
	    (data = alt_with(c, iface, false, true))) {
		set_ctrl(f, ctrl);
		set_data(f, data);
		f->cdc_union = true;
		return true;
	}
	return false;
}

/* The entry deciding for iface (matched on its first alternate setting) vetoes it. */
static bool vetoed(const struct qusb_config *cfg, uint16_t vid, uint16_t pid,
		   const struct qusb_quirks *quirks, uint8_t iface)
{
	const struct qusb_alt *a0 = first_alt(cfg, iface);
	if (!a0)
		return false;
	const struct qusb_quirk *q = qusb_quirks_match_in(quirks, cfg->value, vid, pid, iface,
							  a0->cls, a0->subcls, a0->proto);
	return q && (q->flags & QUSB_QUIRK_IGNORE);
}

int qusb_find_qmi(const struct qusb_config *cfg, uint16_t vid, uint16_t pid,
		  const struct qusb_quirks *quirks, struct qusb_func *out, size_t cap)
{
	/* Each function has its own control interface, so there are at most n_alts. All are
	 * collected before any is written: the count must not depend on cap, and the ones that
	 * fit are the first in control-interface order, not the first in descriptor order. */
	struct qusb_func all[QUSB_MAX_ALTS];
	size_t found = 0;
	/* A device the table names has its QMI interfaces listed there: its other ff/ff/ff
	 * interfaces with three endpoints are serial ports (Sierra's AT port on 3 next to QMI on
	 * 8), which qmi_wwan leaves alone too. */
	bool known = qusb_quirks_knows(quirks, vid, pid);
	bool seen[256] = { false }, claimed[256] = { false };

	for (unsigned i = 0; i < cfg->n_alts; i++) {
		uint8_t iface = cfg->alts[i].iface;
		if (seen[iface])
			continue;
		seen[iface] = true;
		const struct qusb_alt *a0 = first_alt(cfg, iface);
		const struct qusb_quirk *q = qusb_quirks_match_in(quirks, cfg->value, vid, pid,
								  iface, a0->cls, a0->subcls,
								  a0->proto);
		struct qusb_func f = { 0 };

		if (q && (q->flags & QUSB_QUIRK_IGNORE))
			continue;
		/* qmi_wwan refuses interface-number matches on non-vendor classes: the same number
		 * can be another function in another configuration. */
		if (q && !q->any_iface && !q->has_class && a0->cls != 0xff)
			q = NULL;
		if (q) {
			f.why = QUSB_WHY_QUIRK;
			f.quirk = q;
			f.flags = q->flags;
		} else if (!known && a0->cls == 0xff && a0->subcls == 0xff && a0->proto == 0xff) {
			f.why = QUSB_WHY_GENERIC;
		} else {
			continue;
		}
		if (!resolve(cfg, iface, &f))
			continue;
		/* Reached through the other side of a CDC Union, the function may include an
		 * interface a user file vetoed: the veto holds for both of its interfaces. */
		if ((f.ctrl_iface != iface && vetoed(cfg, vid, pid, quirks, f.ctrl_iface)) ||
		    (f.data_iface != iface && vetoed(cfg, vid, pid, quirks, f.data_iface)))
			continue;
		/* Both sides of a Union find the same function: it counts once. */
		if (claimed[f.ctrl_iface])
			continue;
		claimed[f.ctrl_iface] = true;
		all[found++] = f;
	}
	/* Report in control-interface order whatever order the descriptors came in. */
	for (size_t a = 1; a < found; a++)
		for (size_t b = a; b > 0 && all[b - 1].ctrl_iface > all[b].ctrl_iface; b--) {
			struct qusb_func t = all[b];
			all[b] = all[b - 1];
			all[b - 1] = t;
		}
	if (cap)
		memcpy(out, all, (found < cap ? found : cap) * sizeof(*out));
	return (int)found;
}

void qusb_func_why(const struct qusb_func *f, char *buf, size_t len)
{
	char origin[128];
	if (f->why == QUSB_WHY_QUIRK && f->quirk) {
		qusb_quirk_origin(f->quirk, origin, sizeof(origin));
		snprintf(buf, len, "quirk %s%s", origin, f->cdc_union ? " + CDC Union" : "");
	} else {
		snprintf(buf, len, "generic ff/ff/ff%s", f->cdc_union ? " + CDC Union" : "");
	}
}
