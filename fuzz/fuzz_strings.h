/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target bodies for the string, operator-name and PLMN decoders (qmi/strdec.h), shared by
 * the libFuzzer entry points fuzz_string.c, fuzz_plmn.c and the bounded smoke run in
 * tests/qmi/test_fuzz_strings.c. A violated invariant traps.
 */
#ifndef QMI_FUZZ_STRINGS_H
#define QMI_FUZZ_STRINGS_H

#include <stddef.h>
#include <stdint.h>

/* First byte: encoding, spare bits and output capacity; the rest: the encoded string. Checks
 * that a success is NUL-terminated valid UTF-8 within its capacity, that qmi_str_len never
 * grows, and that the escaped form of anything holds no control byte. */
int qmi_fuzz_string(const uint8_t *data, size_t size);
/* BCD, numeric and ASCII PLMN decoding: a success is 3 MCC digits and 2 or 3 MNC digits. */
int qmi_fuzz_plmn(const uint8_t *data, size_t size);

#endif
