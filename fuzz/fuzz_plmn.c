/* SPDX-License-Identifier: MIT */
#include "fuzz_strings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return qmi_fuzz_plmn(data, size);
}
