/* SPDX-License-Identifier: MIT */
/*
 * A bounded, seeded run of the string and PLMN fuzz bodies (fuzz/fuzz_strings.c) under ASan +
 * UBSan: the seed files in fuzz/seeds/string and fuzz/seeds/plmn, random bytes, and mutations
 * of the seeds. A broken invariant traps (a crash here).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_strings.h"

#define ROUNDS 20000

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

/* Runs body on every seed in dir, then ROUNDS mutations of them and of random bytes; returns
 * how many seeds there were. */
static size_t replay(const char *dir, int (*body)(const uint8_t *, size_t))
{
	uint8_t seeds[16][256];
	size_t lens[16], n = 0;
	uint64_t rs = 0x9e3779b97f4a7c15ull;
	DIR *d = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(d, "%s", dir);
	while ((e = readdir(d)) && n < 16) {
		char path[512];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		lens[n] = fread(seeds[n], 1, sizeof(seeds[n]), f);
		fclose(f);
		body(seeds[n], lens[n]);
		n++;
	}
	closedir(d);
	for (unsigned r = 0; r < ROUNDS; r++) {
		uint8_t buf[256];
		size_t len;

		if (n && (r & 1)) {
			size_t s = next_rand(&rs) % n;

			len = lens[s];
			memcpy(buf, seeds[s], len);
			for (unsigned k = 0; k < 1 + next_rand(&rs) % 4 && len; k++)
				buf[next_rand(&rs) % len] = (uint8_t)next_rand(&rs);
			len = len ? 1 + next_rand(&rs) % len : 0;
		} else {
			len = next_rand(&rs) % sizeof(buf);
			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)next_rand(&rs);
		}
		body(buf, len);
	}
	return n;
}

Test(fuzz_strings, string_decoders)
{
	cr_assert_geq(replay(QMIUSB_SOURCE_DIR "/fuzz/seeds/string", qmi_fuzz_string), 3);
}

Test(fuzz_strings, plmn_decoders)
{
	cr_assert_geq(replay(QMIUSB_SOURCE_DIR "/fuzz/seeds/plmn", qmi_fuzz_plmn), 3);
}
