/* SPDX-License-Identifier: MIT */
/* Descriptors and quirks files are untrusted input: mutated and random bytes must never read
 * out of bounds (ASan watches) and whatever the analysis returns must point at real endpoints. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usb/desc.h"
#include "usb/quirks.h"
#include "usb/selector.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static const uint8_t seed[] = {
	9,    2, 0,    0,    2,    1,    0,    0x80, 250,  9, 4, 0,    0, 1,    0xff, 0xff, 0xff,
	0,    5, 0x24, 0x00, 0x10, 0x01, 5,    0x24, 0x06, 0, 1, 7,    5, 0x81, 3,    8,    0,
	9,    9, 4,    1,    0,    0,    0xff, 0xff, 0xff, 0, 9, 4,    1, 1,    2,    0xff, 0xff,
	0xff, 0, 7,    5,    0x82, 2,    0,    2,    0,    7, 5, 0x02, 2, 0,    2,    0,
};

static bool has_ep(const struct qusb_config *c, uint8_t iface, uint8_t alt, uint8_t addr)
{
	for (unsigned i = 0; i < c->n_alts; i++) {
		const struct qusb_alt *a = &c->alts[i];
		if (a->iface != iface || a->alt != alt)
			continue;
		for (unsigned k = 0; k < a->n_parsed; k++)
			if (a->eps[k].addr == addr)
				return true;
	}
	return false;
}

static void check(const uint8_t *buf, size_t len, const struct qusb_quirks *q)
{
	static struct qusb_config cfg;
	struct qusb_func f[8];
	if (qusb_config_parse(buf, len, &cfg) != 0)
		return;
	cr_assert_leq(cfg.n_alts, QUSB_MAX_ALTS);
	int n = qusb_find_qmi(&cfg, 0x2c7c, 0x0125, q, f, 8);
	cr_assert_geq(n, 0);
	for (int i = 0; i < n && i < 8; i++) {
		cr_assert(has_ep(&cfg, f[i].ctrl_iface, f[i].ctrl_alt, f[i].ep_notify));
		cr_assert(f[i].ep_notify & 0x80);
		cr_assert(has_ep(&cfg, f[i].data_iface, f[i].data_alt, f[i].ep_in));
		cr_assert(has_ep(&cfg, f[i].data_iface, f[i].data_alt, f[i].ep_out));
		cr_assert(f[i].ep_in & 0x80);
		cr_assert_not(f[i].ep_out & 0x80);
	}
}

Test(robust, mutated_descriptors)
{
	struct qusb_quirks q;
	const char *text = "2c7c:0125:* class=ff/ff/ff dtr\n2c7c:0125:1\n";
	qusb_quirks_init(&q);
	cr_assert_eq(qusb_quirks_parse(&q, text, strlen(text), "t", NULL, NULL), 0);
	uint8_t buf[sizeof(seed)];
	for (unsigned iter = 0; iter < 200000; iter++) {
		memcpy(buf, seed, sizeof(seed));
		buf[2] = sizeof(seed);
		unsigned flips = 1 + next() % 4;
		for (unsigned k = 0; k < flips; k++)
			buf[next() % sizeof(buf)] = (uint8_t)next();
		size_t len = sizeof(buf) - (next() % 8 == 0 ? next() % sizeof(buf) : 0);
		/* a heap copy of exactly len bytes so ASan sees any over-read */
		uint8_t *h = malloc(len ? len : 1);
		memcpy(h, buf, len);
		check(h, len, &q);
		free(h);
	}
	qusb_quirks_clear(&q);
}

Test(robust, random_quirk_text_and_selectors)
{
	static const char alphabet[] = "0123456789abcdefABCDEF:*/= \t#\nclasdtrignoe-.x\r";
	for (unsigned iter = 0; iter < 20000; iter++) {
		size_t len = next() % 64;
		char *t = malloc(len + 1);
		for (size_t i = 0; i < len; i++)
			t[i] = alphabet[next() % (sizeof(alphabet) - 1)];
		t[len] = '\0';
		struct qusb_quirks q;
		qusb_quirks_init(&q);
		int bad = qusb_quirks_parse(&q, t, len, "r", NULL, NULL);
		cr_assert_geq(bad, 0);
		qusb_quirks_clear(&q);
		char sel[80];
		snprintf(sel, sizeof(sel), "usb:%s", t);
		struct qusb_selector s;
		char err[128];
		int r = qusb_selector_parse(sel, &s, err, sizeof(err));
		cr_assert(r == 0 || r == -EINVAL);
		free(t);
	}
}
