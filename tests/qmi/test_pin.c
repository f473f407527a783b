/* SPDX-License-Identifier: MIT */
/* The form of PIN1 codes (qmi/pin.h): what the command line, the configuration and the software
 * modem all accept. */
#include <criterion/criterion.h>

#include "qmi/pin.h"

Test(pin, a_pin_is_four_to_eight_digits)
{
	cr_assert(qmi_pin_valid("1234"));
	cr_assert(qmi_pin_valid("0000"));
	cr_assert(qmi_pin_valid("12345678"));
	cr_assert_not(qmi_pin_valid("123"), "too short");
	cr_assert_not(qmi_pin_valid("123456789"), "too long");
	cr_assert_not(qmi_pin_valid(""));
	cr_assert_not(qmi_pin_valid("12ab"));
	cr_assert_not(qmi_pin_valid("12 34"));
	cr_assert_not(qmi_pin_valid("-1234"));
	cr_assert_not(qmi_pin_valid(NULL));
}

Test(pin, a_puk_is_exactly_eight_digits)
{
	cr_assert(qmi_puk_valid("12345678"));
	cr_assert(qmi_puk_valid("00000000"));
	cr_assert_not(qmi_puk_valid("1234567"));
	cr_assert_not(qmi_puk_valid("123456789"));
	cr_assert_not(qmi_puk_valid("1234567a"));
	cr_assert_not(qmi_puk_valid("1234"), "a PIN is not a PUK");
	cr_assert_not(qmi_puk_valid(NULL));
}
