/* SPDX-License-Identifier: MIT */
#include "qmi/pin.h"

#include <string.h>

static bool digits(const char *s, size_t min, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return n >= min && n <= max && strspn(s, "0123456789") == n;
}

bool qmi_pin_valid(const char *s)
{
	return digits(s, QMI_PIN_MIN, QMI_PIN_MAX);
}

bool qmi_puk_valid(const char *s)
{
	return digits(s, QMI_PUK_LEN, QMI_PUK_LEN);
}
