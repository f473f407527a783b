/* SPDX-License-Identifier: MIT */
/*
 * A bounded, seeded fuzz run of the libFuzzer target bodies (fuzz/fuzz_targets.c) under the
 * test build's ASan + UBSan: random bytes, and valid frames with bytes flipped, cut short,
 * lengths rewritten and several glued together. A broken invariant traps (a crash here).
 * The quirks and descriptor targets replay their seed directories (fuzz/seeds/quirks, /desc)
 * and mutations of them.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_targets.h"
#include "qmi/tlv.h"

#define ROUNDS 20000

/* xorshift64*: reproducible across machines, unlike rand(). */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

/* A valid frame of random service, kind and TLVs. */
static size_t valid_frame(uint64_t *rs, uint8_t *buf, size_t cap)
{
	static const uint8_t svcs[] = { QMI_SVC_CTL, QMI_SVC_WDS, QMI_SVC_DMS,
					QMI_SVC_NAS, QMI_SVC_UIM, QMI_SVC_WDA };
	static const uint16_t ids[] = { 0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026,
					0x0027, 0x002D, 0x002F, 0x004D, 0x004F, 0x0051, 0xFF00 };
	uint8_t svc = svcs[next_rand(rs) % sizeof(svcs)];
	uint16_t txn = (uint16_t)(next_rand(rs) % (svc == QMI_SVC_CTL ? 0x100 : 0x10000));
	struct qmi_writer w;
	size_t len = 0;
	unsigned n = (unsigned)(next_rand(rs) % 6);

	qmi_writer_init(&w, buf, cap, svc, (uint8_t)next_rand(rs),
			(enum qmi_msg_kind)(next_rand(rs) % 3), txn,
			ids[next_rand(rs) % (sizeof(ids) / sizeof(ids[0]))]);
	if (next_rand(rs) & 1)
		qmi_writer_result(&w, (uint16_t)(next_rand(rs) & 1),
				  (uint16_t)(next_rand(rs) % 120));
	for (unsigned i = 0; i < n; i++) {
		uint8_t val[64];
		size_t vlen = (size_t)(next_rand(rs) % sizeof(val));

		for (size_t j = 0; j < vlen; j++)
			val[j] = (uint8_t)next_rand(rs);
		qmi_writer_tlv(&w, (uint8_t)(0x01 + next_rand(rs) % 0x30), val, vlen);
	}
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	return len;
}

static size_t mutate(uint64_t *rs, uint8_t *buf, size_t len, size_t cap)
{
	switch (next_rand(rs) % 6) {
	case 0: /* flip a few bytes */
		for (int i = 0; i < 3 && len; i++)
			buf[next_rand(rs) % len] ^= (uint8_t)(1u << (next_rand(rs) % 8));
		break;
	case 1: /* cut short */
		len = len ? (size_t)(next_rand(rs) % len) : 0;
		break;
	case 2: /* rewrite the QMUX length */
		if (len > 2) {
			buf[1] = (uint8_t)next_rand(rs);
			buf[2] = (uint8_t)(next_rand(rs) % 4 ? buf[2] : next_rand(rs));
		}
		break;
	case 3: /* rewrite a TLV length byte */
		if (len > 14)
			buf[13 + next_rand(rs) % (len - 14)] = (uint8_t)next_rand(rs);
		break;
	case 4: /* append junk */
		while (len < cap && next_rand(rs) % 8)
			buf[len++] = (uint8_t)next_rand(rs);
		break;
	default: /* unchanged */
		break;
	}
	return len;
}

Test(fuzz_smoke, frame_target)
{
	static uint8_t buf[QMI_FRAME_MAX + 64];
	uint64_t rs = 0x9E3779B97F4A7C15ull;

	for (int round = 0; round < ROUNDS; round++) {
		size_t len;

		if (round % 4 == 0) {
			len = (size_t)(next_rand(&rs) % 256);
			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)next_rand(&rs);
		} else {
			len = valid_frame(&rs, buf, sizeof(buf));
			len = mutate(&rs, buf, len, sizeof(buf));
		}
		cr_assert_eq(qmi_fuzz_frame(buf, len), 0);
	}
}

Test(fuzz_smoke, splitter_target)
{
	static uint8_t buf[4 * QMI_FRAME_MAX];
	uint64_t rs = 0xD1B54A32D192ED03ull;

	for (int round = 0; round < ROUNDS / 10; round++) {
		size_t len = 1;

		buf[0] = (uint8_t)next_rand(&rs); /* chunking */
		/* A stream of valid, mutated and random pieces. */
		while (len < sizeof(buf) - 600 && next_rand(&rs) % 16) {
			size_t n = valid_frame(&rs, buf + len, sizeof(buf) - len);

			if (next_rand(&rs) % 4 == 0)
				n = mutate(&rs, buf + len, n, 600);
			len += n;
		}
		cr_assert_eq(qmi_fuzz_splitter(buf, len), 0);
	}
}

Test(fuzz_smoke, seeds_replay)
{
	/* The committed seed corpus must pass too (fuzz/seeds). */
	static const char *const seeds[] = { "ctl_set_data_format", "ctl_proxy_open_req",
					     "ctl_proxy_open_resp", "dms_get_ids_resp" };
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char path[512];
		uint8_t buf[1024];
		struct qmi_frame f;
		FILE *fp;
		size_t n;

		snprintf(path, sizeof(path), "%s/fuzz/seeds/%s", QMIUSB_SOURCE_DIR, seeds[i]);
		fp = fopen(path, "rb");
		cr_assert_not_null(fp, "missing seed %s", path);
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		cr_assert_eq(qmi_frame_parse(buf, n, &f, NULL), 0, "seed %s is not a valid frame",
			     seeds[i]);
		cr_assert_eq(qmi_fuzz_frame(buf, n), 0);
		cr_assert_eq(qmi_fuzz_splitter(buf, n), 0);
	}
}

/* Every file of fuzz/seeds/<dir>, read whole into *bufs (caller frees each and the array) and
 * replayed through target. */
static size_t load_seeds(const char *dir, int (*target)(const uint8_t *, size_t), uint8_t ***bufs,
			 size_t **lens)
{
	char path[512];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/fuzz/seeds/%s", QMIUSB_SOURCE_DIR, dir);
	d = opendir(path);
	cr_assert_not_null(d, "missing seed directory %s", path);
	*bufs = NULL;
	*lens = NULL;
	while ((de = readdir(d))) {
		char file[1024];
		FILE *fp;
		long sz;

		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		fp = fopen(file, "rb");
		cr_assert_not_null(fp, "%s", file);
		cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
		sz = ftell(fp);
		rewind(fp);
		*bufs = realloc(*bufs, (n + 1) * sizeof(**bufs));
		*lens = realloc(*lens, (n + 1) * sizeof(**lens));
		cr_assert(*bufs && *lens && sz >= 0);
		(*bufs)[n] = malloc((size_t)sz + 1);
		cr_assert_not_null((*bufs)[n]);
		cr_assert_eq(fread((*bufs)[n], 1, (size_t)sz, fp), (size_t)sz);
		(*lens)[n] = (size_t)sz;
		fclose(fp);
		cr_assert_eq(target((*bufs)[n], (*lens)[n]), 0, "seed %s", file);
		n++;
	}
	closedir(d);
	cr_assert_gt(n, 0, "no seeds in %s", path);
	return n;
}

static void free_seeds(uint8_t **bufs, size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(lens);
}

Test(fuzz_smoke, quirks_target)
{
	/* Mostly the characters the syntax is made of, so random lines get past the first field. */
	static const char alphabet[] = "0123456789abcdefABCDEF:*/= \t#\nclasdtrignoe\r\0\xff";
	static char buf[512];
	uint64_t rs = 0xA0761D6478BD642Full;
	uint8_t **seeds;
	size_t *lens;
	size_t n = load_seeds("quirks", qmi_fuzz_quirks, &seeds, &lens);

	for (int round = 0; round < ROUNDS / 4; round++) {
		size_t len = 0;

		if (round % 2) {
			len = (size_t)(next_rand(&rs) % 96);
			for (size_t i = 0; i < len; i++)
				buf[i] = alphabet[next_rand(&rs) % (sizeof(alphabet) - 1)];
		} else {
			/* A few lines of a seed from a random offset, then mutated. */
			size_t k = next_rand(&rs) % n, off = lens[k] ? next_rand(&rs) % lens[k] : 0;

			len = lens[k] - off < 160 ? lens[k] - off : 160;
			memcpy(buf, seeds[k] + off, len);
			len = mutate(&rs, (uint8_t *)buf, len, sizeof(buf));
		}
		cr_assert_eq(qmi_fuzz_quirks((const uint8_t *)buf, len), 0);
	}
	free_seeds(seeds, lens, n);
}

Test(fuzz_smoke, desc_target)
{
	static uint8_t buf[1024];
	uint64_t rs = 0x8EBC6AF09C88C6E3ull;
	uint8_t **seeds;
	size_t *lens;
	size_t n = load_seeds("desc", qmi_fuzz_desc, &seeds, &lens);

	for (int round = 0; round < ROUNDS; round++) {
		size_t k = next_rand(&rs) % n, len = lens[k];

		cr_assert_leq(len, sizeof(buf) / 2);
		memcpy(buf, seeds[k], len);
		switch (next_rand(&rs) % 4) {
		case 0: /* another seed's descriptors spliced in, wTotalLength fixed up */
			k = next_rand(&rs) % n;
			memcpy(buf + len, seeds[k] + 9, lens[k] - 9);
			len += lens[k] - 9;
			buf[2] = (uint8_t)len;
			buf[3] = (uint8_t)(len >> 8);
			break;
		case 1: /* random descriptor bytes after a valid header */
			len = 9 + (size_t)(next_rand(&rs) % 120);
			for (size_t i = 9; i < len; i++)
				buf[i] = (uint8_t)next_rand(&rs);
			buf[2] = (uint8_t)len;
			buf[3] = (uint8_t)(len >> 8);
			break;
		default: /* flips, cuts and junk (the header's length bytes too) */
			break;
		}
		len = mutate(&rs, buf, len, sizeof(buf));
		cr_assert_eq(qmi_fuzz_desc(buf, len), 0);
	}
	free_seeds(seeds, lens, n);
}
