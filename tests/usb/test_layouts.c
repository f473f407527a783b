/* SPDX-License-Identifier: MIT */
/*
 * Discovery over the descriptor sets of real modems: the bytes come from the same tables the
 * gadget presents (`sim --gadget --layout`), checked against the shipped quirks table (the
 * kernel's qmi_wwan matches).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/gadget.h"
#include "sim/layout.h"
#include "usb/desc.h"

static struct qusb_quirks table;
static struct qusb_config cfg;
static uint8_t raw[1024];

static void load_table(void)
{
	const char *p = getenv("QMIUSB_QUIRKS_FILE");

	cr_assert(p, "QMIUSB_QUIRKS_FILE must name quirks/qmi-devices.conf");
	qusb_quirks_init(&table);
	cr_assert_eq(qusb_quirks_load_file(&table, p, NULL, NULL), 0);
}

static void free_table(void)
{
	qusb_quirks_clear(&table);
}

TestSuite(layouts, .init = load_table, .fini = free_table);

/* The QMI functions of configuration idx of layout name, at speed. */
static int find(const char *name, unsigned idx, enum qsim_speed speed, struct qusb_func *out,
		size_t cap)
{
	const struct qsim_layout *l = qsim_layout_find(name);

	cr_assert(l, "no layout %s", name);
	long n = qsim_layout_config_bytes(l, idx, speed, raw, sizeof(raw));
	cr_assert(n > 0 && (size_t)n <= sizeof(raw));
	cr_assert_eq(qusb_config_parse(raw, (size_t)n, &cfg), 0, "%s config %u does not parse",
		     name, idx);
	cr_assert_eq(cfg.value, l->configs[idx].value);
	return qusb_find_qmi(&cfg, l->vid, l->pid, &table, out, cap);
}

Test(layouts, ec25_qmi_on_4_not_diag)
{
	struct qusb_func f[8];
	int n = find("ec25", 0, QSIM_HIGH_SPEED, f, 8);

	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].ctrl_iface, 4);
	cr_assert_eq(f[0].data_iface, 4);
	cr_assert_eq(f[0].why, QUSB_WHY_QUIRK);
	cr_assert(f[0].flags & QUSB_QUIRK_DTR);
	cr_assert_eq(f[0].ep_notify, 0x89);
	cr_assert_eq(f[0].ep_in, 0x88);
	cr_assert_eq(f[0].ep_out, 0x05);
	cr_assert_eq(f[0].bulk_mps, 512);
}

Test(layouts, ec25_generic_rule_skips_diag)
{
	/* Without the table (an unknown VID:PID) the generic rule alone must still leave the
	 * two-endpoint DIAG interface 0 out, though it is ff/ff/ff too. */
	const struct qsim_layout *l = qsim_layout_find("ec25");
	struct qusb_func f[8];
	long n = qsim_layout_config_bytes(l, 0, QSIM_HIGH_SPEED, raw, sizeof(raw));

	cr_assert_eq(qusb_config_parse(raw, (size_t)n, &cfg), 0);
	cr_assert_eq(qusb_find_qmi(&cfg, 0x1234, 0x5678, NULL, f, 8), 1);
	cr_assert_eq(f[0].ctrl_iface, 4);
	cr_assert_eq(f[0].why, QUSB_WHY_GENERIC);
}

Test(layouts, ec25_full_speed)
{
	struct qusb_func f[8];

	cr_assert_eq(find("ec25", 0, QSIM_FULL_SPEED, f, 8), 1);
	cr_assert_eq(f[0].ctrl_iface, 4);
	cr_assert_eq(f[0].bulk_mps, 64);
}

Test(layouts, mc7455_two_qmi_in_config_1)
{
	struct qusb_func f[8];
	int n = find("mc7455", 0, QSIM_HIGH_SPEED, f, 8);

	cr_assert_eq(n, 2);
	cr_assert_eq(cfg.value, 1);
	cr_assert_eq(f[0].ctrl_iface, 8);
	cr_assert_eq(f[1].ctrl_iface, 10);
	cr_assert_eq(f[0].ep_notify, 0x87);
	cr_assert_eq(f[1].ep_notify, 0x89);
	cr_assert(f[0].flags & QUSB_QUIRK_DTR);
}

Test(layouts, mc7455_mbim_config_has_no_qmi)
{
	const struct qsim_layout *l = qsim_layout_find("mc7455");
	struct qusb_func f[8];

	cr_assert_eq(l->active, 2);
	cr_assert_eq(find("mc7455", 1, QSIM_HIGH_SPEED, f, 8), 0);
	cr_assert_eq(cfg.value, 2);
	/* wTotalLength as the dump reports it. */
	cr_assert_eq(raw[2] | raw[3] << 8, 95);
}

/* A user entry `config=1` (Sierra shipped in its MBIM configuration): it decides in
 * configuration 1, where the QMI functions are, and says which configuration to switch to; an
 * entry naming another configuration does not hold here, and the kernel's entry decides. */
Test(layouts, mc7455_config_quirk)
{
	static const char user[] = "1199:9071:8 dtr config=1\n1199:9071:10 dtr config=2\n";
	struct qusb_func f[8];

	cr_assert_eq(qusb_quirks_parse(&table, user, sizeof(user) - 1, "sierra.conf", NULL, NULL),
		     0);
	cr_assert_eq(find("mc7455", 0, QSIM_HIGH_SPEED, f, 8), 2);
	cr_assert_eq(f[0].why, QUSB_WHY_QUIRK);
	cr_assert_str_eq(f[0].quirk->file, "sierra.conf");
	cr_assert_eq(f[0].quirk->config, 1);
	cr_assert(f[0].flags & QUSB_QUIRK_DTR);
	cr_assert_eq(f[1].ctrl_iface, 10);
	cr_assert_eq(f[1].quirk->config, 0, "config=2 holds in configuration 2 only");
	cr_assert_str_neq(f[1].quirk->file, "sierra.conf");
	cr_assert_eq(find("mc7455", 1, QSIM_HIGH_SPEED, f, 8), 0);
}

/* The AT port on 3 is ff/ff/ff with three endpoints, as QMI is: the table names 1199:68a2:8
 * (and 19, absent here), and only 8 is taken, as qmi_wwan takes it (qcserial has 3). */
Test(layouts, mc7710_qmi_on_8_not_the_at_port)
{
	struct qusb_func f[8];

	cr_assert_eq(find("mc7710", 0, QSIM_HIGH_SPEED, f, 8), 1);
	cr_assert_eq(f[0].ctrl_iface, 8);
	cr_assert_eq(f[0].why, QUSB_WHY_QUIRK);
	cr_assert_eq(f[0].ep_notify, 0x86);
	cr_assert_eq(raw[2] | raw[3] << 8, 115, "wTotalLength as the dump reports it");
}

/* A Gobi 3000 module: QMI is the first interface, and the AT modem port on 2 looks like it
 * (ff/ff/ff, interrupt and bulk pair). qmi_wwan binds 0 only (its Gobi entries name a fixed
 * interface 0) and qcserial takes 1-3; with the table, so does qmiusb. */
Test(layouts, mc8355_gobi_qmi_on_0_not_the_modem_port)
{
	struct qusb_func f[8];

	cr_assert_eq(find("mc8355", 0, QSIM_HIGH_SPEED, f, 8), 1);
	cr_assert_eq(f[0].ctrl_iface, 0);
	cr_assert_eq(f[0].data_iface, 0);
	cr_assert_eq(f[0].why, QUSB_WHY_QUIRK);
	cr_assert_not(f[0].flags & QUSB_QUIRK_DTR, "the kernel sets no DTR quirk for Gobi");
	cr_assert_eq(f[0].ep_notify, 0x82);
	cr_assert_eq(f[0].ep_in, 0x81);
	cr_assert_eq(f[0].ep_out, 0x01);
	cr_assert_eq(raw[4], 4, "four interfaces, as the listing shows");
	/* Without the table the modem port on 2 is indistinguishable from QMI: the entry is
	 * what leaves it to qcserial. */
	cr_assert_eq(qusb_find_qmi(&cfg, 0x1234, 0x5678, NULL, f, 8), 2);
	cr_assert_eq(f[0].ctrl_iface, 0);
	cr_assert_eq(f[1].ctrl_iface, 2);
}

Test(layouts, e398_class_coded)
{
	struct qusb_func f[8];
	int n = find("e398", 0, QSIM_HIGH_SPEED, f, 8);

	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].ctrl_iface, 3);
	cr_assert_eq(f[0].data_iface, 3);
	cr_assert_eq(f[0].why, QUSB_WHY_QUIRK);
	cr_assert_not(f[0].cdc_union);
}

Test(layouts, e398_cdc_union)
{
	struct qusb_func f[8];
	int n = find("e398-union", 0, QSIM_HIGH_SPEED, f, 8);

	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].ctrl_iface, 2);
	cr_assert_eq(f[0].ctrl_alt, 0);
	cr_assert_eq(f[0].data_iface, 3);
	cr_assert_eq(f[0].data_alt, 1, "the data interface's bulk pair is in alternate setting 1");
	cr_assert(f[0].cdc_union);
	cr_assert_eq(f[0].ep_notify, 0x85);
	cr_assert_eq(f[0].ep_in, 0x86);
	cr_assert_eq(f[0].ep_out, 0x04);
}

Test(layouts, e3276_diag_only_finds_nothing)
{
	struct qusb_func f[8];

	cr_assert_eq(find("e3276-diag", 0, QSIM_HIGH_SPEED, f, 8), 0);
	/* Not through the generic rule either. */
	cr_assert_eq(qusb_find_qmi(&cfg, 0x1234, 0x5678, NULL, f, 8), 0);
}

Test(layouts, rm500q_superspeed)
{
	struct qusb_func f[8];
	int n = find("rm500q", 0, QSIM_SUPER_SPEED, f, 8);

	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].ctrl_iface, 4, "DIAG ff/ff/30 on 0 is not QMI");
	cr_assert_eq(f[0].bulk_mps, 1024);
	cr_assert_eq(f[0].notify_mps, 8);
	/* Every endpoint descriptor is followed by its SuperSpeed companion. */
	size_t total = (size_t)(raw[2] | raw[3] << 8), eps = 0;
	for (size_t p = 9; p < total; p += raw[p])
		if (raw[p + 1] == 0x05) {
			cr_assert_eq(raw[p + 7 + 1], 0x30, "endpoint at %zu lacks a companion", p);
			eps++;
		}
	cr_assert_eq(eps, 2 + 3 * 4);
}

Test(layouts, every_layout_serves_the_picked_interface)
{
	size_t n;
	const struct qsim_layout *all = qsim_layouts(&n);

	cr_assert_geq(n, 8);
	for (size_t i = 0; i < n; i++) {
		const struct qsim_layout *l = &all[i];
		int seen = 0;

		for (unsigned c = 0; c < l->n_configs; c++) {
			struct qusb_func f[8];
			int k = find(l->name, c, l->superspeed ? QSIM_SUPER_SPEED : QSIM_HIGH_SPEED,
				     f, 8);

			for (int j = 0; j < k && j < 8; j++) {
				/* A DIAG-shaped interface (two endpoints, no interrupt) is never
				 * a QMI function. */
				cr_assert_neq(f[j].ep_notify, 0, "%s", l->name);
				if (l->configs[c].value == l->qmi_config &&
				    f[j].ctrl_iface == l->qmi_iface)
					seen++;
			}
		}
		cr_assert_eq(seen, l->qmi_iface < 0 ? 0 : 1, "%s: interface %d not found", l->name,
			     l->qmi_iface);
	}
}

/* What the gadget writes to FunctionFS for a layout: every interface and endpoint of the QMI
 * configuration at each speed, CDC functional descriptors left out, and the endpoint files the
 * modem must use are the QMI interface's. */
Test(layouts, gadget_blob_ec25)
{
	static uint8_t blob[2048];
	int eps[3];
	long n = qsim_gadget_layout_descriptors(qsim_layout_find("ec25"), blob, sizeof(blob), eps);

	cr_assert(n > 0);
	cr_assert_eq(blob[4] | blob[5] << 8, n, "the blob's length field");
	/* 5 interfaces + 14 endpoints per speed; the 3 x 4 CDC descriptors are not there. */
	cr_assert_eq(blob[12], 19);
	cr_assert_eq(blob[16], 19);
	/* DIAG has files 1-2, the three serial ports 3-11: QMI is 12 (interrupt), 13, 14. */
	cr_assert_eq(eps[0], 12);
	cr_assert_eq(eps[1], 13);
	cr_assert_eq(eps[2], 14);
	for (long p = 20; p < n; p += blob[p])
		cr_assert_neq(blob[p + 1], 0x24);
}

Test(layouts, gadget_blob_keeps_interface_numbers)
{
	static uint8_t blob[2048];
	int eps[3];
	long n = qsim_gadget_layout_descriptors(qsim_layout_find("mc7455"), blob, sizeof(blob),
						eps);
	int expect = 0;

	cr_assert(n > 0);
	/* The high-speed list: interfaces 0..10 in order, the missing ones empty. */
	uint32_t fs = blob[12];
	size_t p = 20;

	for (uint32_t i = 0; i < fs; i++)
		p += blob[p];
	for (; p < (size_t)n; p += blob[p])
		if (blob[p + 1] == 0x04) {
			cr_assert_eq(blob[p + 2], expect, "interface %d out of place", expect);
			if (expect != 0 && expect != 2 && expect != 3 && expect != 8 &&
			    expect != 10)
				cr_assert_eq(blob[p + 4], 0, "padding %d has endpoints", expect);
			expect++;
		}
	cr_assert_eq(expect, 11);
	/* QMI 8: after DIAG's 2 and the serial ports' 3 + 3 endpoints. */
	cr_assert_eq(eps[0], 9);
}

Test(layouts, gadget_blob_superspeed_and_union)
{
	static uint8_t blob[2048];
	int eps[3];
	long n = qsim_gadget_layout_descriptors(qsim_layout_find("rm500q"), blob, sizeof(blob),
						eps);

	cr_assert(n > 0);
	cr_assert(blob[8] & 4, "SuperSpeed descriptors announced");
	cr_assert_eq(blob[20], 19 + 14, "SuperSpeed: each endpoint has its companion");
	/* The union layout's QMI control interface has only the interrupt endpoint: the modem's
	 * bulk pair is on the data interface, alternate setting 1, which the gadget cannot serve. */
	cr_assert_eq(qsim_gadget_layout_descriptors(qsim_layout_find("e398-union"), blob,
						    sizeof(blob), eps),
		     -EINVAL);
	cr_assert_eq(qsim_gadget_layout_descriptors(qsim_layout_find("e3276-diag"), blob,
						    sizeof(blob), eps),
		     -EINVAL);
}

/* An endpoint address used again by a later interface is skipped, as the kernel does ("has a
 * duplicate endpoint ... skipping"): a QMI interface that loses its bulk IN so is not one. */
Test(layouts, duplicate_endpoint_address_is_skipped)
{
	static uint8_t dup[] = {
		9,    0x02, 0,    0,    2,    1,    0,    0x80, 250,  9,    0x04, 0,    0,
		2,    0xff, 0xff, 0xff, 0,    7,    0x05, 0x81, 0x02, 0x00, 0x02, 0,    7,
		0x05, 0x01, 0x02, 0x00, 0x02, 0,    9,    0x04, 1,    0,    3,    0xff, 0xff,
		0xff, 0,    7,    0x05, 0x82, 0x03, 8,    0,    9,    7,    0x05, 0x81, 0x02,
		0x00, 0x02, 0,    7,    0x05, 0x02, 0x02, 0x00, 0x02, 0,
	};
	struct qusb_func f[2];

	dup[2] = sizeof(dup);
	cr_assert_eq(qusb_config_parse(dup, sizeof(dup), &cfg), 0);
	cr_assert_eq(cfg.alts[1].n_parsed, 2);
	cr_assert_eq(qusb_find_qmi(&cfg, 0x1234, 0x5678, NULL, f, 2), 0);
	/* Without the clash the same interface is QMI. */
	dup[sizeof(dup) - 12] = 0x83;
	cr_assert_eq(qusb_config_parse(dup, sizeof(dup), &cfg), 0);
	cr_assert_eq(qusb_find_qmi(&cfg, 0x1234, 0x5678, NULL, f, 2), 1);
	cr_assert_eq(f[0].ctrl_iface, 1);
}

/*
 * What a host sees of a layout presented through FunctionFS on dummy_hcd, the VM tier's
 * controller. dummy_hcd (Linux 6.1) lends these endpoints, in this order: eleven with a fixed
 * number, direction and type (ep1in-bulk, ep2out-bulk, ep5in-int, ep6in-bulk, ep7out-bulk,
 * ep10in-int, ep11in-bulk, ep12out-bulk, ep15in-int, ep1out-bulk, ep2in-bulk), then thirteen
 * configurable bulk-or-interrupt ones (ep-aout, ep-bin, ... ep-mout: five IN, eight OUT). The
 * kernel's endpoint autoconfiguration gives each descriptor, in order, the first free endpoint
 * of its direction that can do its type (an interrupt endpoint also takes a bulk one), and
 * numbers a configurable one 1, 2, 3... per direction, regardless of the numbers the fixed ones
 * hold. So a fifth bulk OUT endpoint is numbered 1 again, as is an eighth IN endpoint, and the
 * host skips the later interface's copy of the address. FunctionFS also leaves out the CDC
 * functional descriptors (no CDC Union).
 */
static const struct {
	uint8_t num; /* 0: configurable, numbered in order */
	bool in, bulk, intr;
} dummy_eps[] = {
	{ 1, true, true, false },  { 2, false, true, false },  { 5, true, false, true },
	{ 6, true, true, false },  { 7, false, true, false },  { 10, true, false, true },
	{ 11, true, true, false }, { 12, false, true, false }, { 15, true, false, true },
	{ 1, false, true, false }, { 2, true, true, false },   { 0, false, true, true },
	{ 0, true, true, true },   { 0, false, true, true },   { 0, false, true, true },
	{ 0, true, true, true },   { 0, false, true, true },   { 0, true, true, true },
	{ 0, false, true, true },  { 0, false, true, true },   { 0, true, true, true },
	{ 0, false, true, true },  { 0, true, true, true },    { 0, false, true, true },
};
#define N_DUMMY_EPS (sizeof(dummy_eps) / sizeof(dummy_eps[0]))

static int on_dummy_hcd(const char *name, enum qsim_speed speed, struct qusb_func *out)
{
	const struct qsim_layout *l = qsim_layout_find(name);
	static uint8_t in[1024];
	bool claimed[N_DUMMY_EPS] = { false };
	unsigned next[2] = { 0, 0 };
	unsigned idx = 0;
	size_t o = 0;

	while (l->configs[idx].value != l->qmi_config)
		idx++;
	long n = qsim_layout_config_bytes(l, idx, speed, in, sizeof(in));

	cr_assert(n > 9 && (size_t)n <= sizeof(in));
	for (size_t p = 0; p < (size_t)n; p += in[p]) {
		if (in[p + 1] == 0x24)
			continue;
		memcpy(raw + o, in + p, in[p]);
		if (in[p + 1] == 0x05) {
			bool dir_in = in[p + 2] & 0x80, bulk = (in[p + 3] & 3) == 2;
			size_t k = 0;

			while (k < N_DUMMY_EPS &&
			       (claimed[k] || dummy_eps[k].in != dir_in ||
				!(dummy_eps[k].bulk || (!bulk && dummy_eps[k].intr))))
				k++;
			cr_assert_lt(k, N_DUMMY_EPS, "%s: dummy_hcd has no endpoint left", name);
			claimed[k] = true;
			raw[o + 2] = (uint8_t)((dir_in ? 0x80 : 0) |
					       (dummy_eps[k].num ? dummy_eps[k].num
								 : ++next[dir_in]));
		}
		o += in[p];
	}
	raw[2] = (uint8_t)(o & 0xff);
	raw[3] = (uint8_t)(o >> 8);
	cr_assert_eq(qusb_config_parse(raw, o, &cfg), 0);
	return qusb_find_qmi(&cfg, l->vid, l->pid, &table, out, 8);
}

/* The layouts whose QMI function keeps its endpoints on dummy_hcd, and so can pass the VM
 * tier (tests/vm/guest.d/85-layouts.sh), and why the others cannot. */
Test(layouts, which_fit_dummy_hcd)
{
	struct qusb_func f[8];

	/* DIAG and three 3-endpoint functions: 4 OUT and 7 IN endpoints, all numbered apart. */
	cr_assert_eq(on_dummy_hcd("mc7710", QSIM_HIGH_SPEED, f), 1);
	cr_assert_eq(f[0].ctrl_iface, 8);
	/* Interface 10 has the fifth OUT (numbered 1) and the eighth and ninth IN: it loses all
	 * three, and 8 alone is QMI, for the kernel as for qmiusb. */
	cr_assert_eq(on_dummy_hcd("mc7455", QSIM_HIGH_SPEED, f), 1);
	cr_assert_eq(f[0].ctrl_iface, 8);
	/* Gobi 3000: QMI is interface 0 and takes its endpoints first (the VM's `list` shows
	 * notify 0x81, bulk in 0x86, out 0x02). The NMEA port's bulk IN, the sixth IN after the
	 * interrupt endpoint took ep1in-bulk, is numbered 1 again and skipped there: the later
	 * function loses it, and qmi_wwan and qmiusb agree on 0. */
	cr_assert_eq(on_dummy_hcd("mc8355", QSIM_HIGH_SPEED, f), 1);
	cr_assert_eq(f[0].ctrl_iface, 0);
	cr_assert_eq(f[0].ep_notify, 0x81);
	cr_assert_eq(f[0].ep_in, 0x86);
	cr_assert_eq(f[0].ep_out, 0x02);
	cr_assert_eq(cfg.alts[3].n_parsed, 1, "NMEA keeps only its bulk OUT");
	/* Five functions: QMI on 4 is the fifth, all of its endpoints are copies. */
	cr_assert_eq(on_dummy_hcd("ec25", QSIM_HIGH_SPEED, f), 0);
	cr_assert_eq(on_dummy_hcd("rm500q", QSIM_SUPER_SPEED, f), 0);
	/* Six bulk OUT: QMI on 3 keeps its OUT (the fourth) but its bulk IN, the sixth IN after
	 * interface 0's interrupt took ep1in-bulk, is numbered 1 again. */
	cr_assert_eq(on_dummy_hcd("e398", QSIM_HIGH_SPEED, f), 0);
}
