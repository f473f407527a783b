/* SPDX-License-Identifier: MIT */
/*
 * The fuzz target bodies, shared by the libFuzzer entry points (fuzz_*.c) and by the bounded
 * smoke run in tests/qmi/test_fuzz_smoke.c. A violated invariant traps, so both libFuzzer and
 * Criterion report it as a crash.
 */
#ifndef QMI_FUZZ_TARGETS_H
#define QMI_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* qmi_frame_parse, TLV iteration, the Result TLV, the cursor, msgdb decoding, writer round trip. */
int qmi_fuzz_frame(const uint8_t *data, size_t size);
/* The stream splitter in both modes, fed in chunk sizes taken from the input. */
int qmi_fuzz_splitter(const uint8_t *data, size_t size);
/* qusb_quirks_parse over arbitrary text: entries in range, reparse and print/parse round trip,
 * malformed-line accounting, qusb_quirks_match on every entry. */
int qmi_fuzz_quirks(const uint8_t *data, size_t size);
/* qusb_config_parse over arbitrary bytes, checked against an independent descriptor walk, then
 * qusb_find_qmi under several quirks tables and output capacities. */
int qmi_fuzz_desc(const uint8_t *data, size_t size);

#endif
