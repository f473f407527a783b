/* SPDX-License-Identifier: MIT */
#include "fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return qmi_fuzz_quirks(data, size);
}
