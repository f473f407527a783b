/* SPDX-License-Identifier: MIT */
/*
 * Return codes of our own, for outcomes no errno names on every system (macOS and the BSDs have
 * neither EREMOTEIO nor ENOTUNIQ). Used like errno values: functions return them negated, and
 * they sit far above every system's errno range so they never collide with one.
 * qb_strerror() knows them and hands the rest to strerror().
 */
#ifndef QB_ERRORS_H
#define QB_ERRORS_H

#include <string.h>

enum {
	QB_EMODEM =
		10001, /* the modem answered with a QMI error; the caller's qmi_result says which */
	QB_ENOTUNIQ = 10002, /* a selector matched several devices */
};

static inline const char *qb_strerror(int errnum)
{
	switch (errnum) {
	case QB_EMODEM:
		return "The modem refused the request";
	case QB_ENOTUNIQ:
		return "Several devices match";
	default:
		return strerror(errnum);
	}
}

#endif
