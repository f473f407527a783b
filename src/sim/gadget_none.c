/* SPDX-License-Identifier: MIT */
/*
 * Systems without Linux's configfs and FunctionFS have no USB gadget; `qmiusb sim` says so. The
 * software modem itself (`-d sim`) works everywhere and needs none of this.
 */
#include "sim/gadget.h"

#include <errno.h>

int qsim_gadget_new(struct qsim_gadget **out, struct qb_loop *loop, struct qsim *sim,
		    const struct qsim_gadget_opts *opts, char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen,
			 "the USB gadget needs Linux (configfs and FunctionFS); "
			 "-d sim works here");
	return -ENOTSUP;
}

void qsim_gadget_free(struct qsim_gadget *g)
{
}

const char *qsim_gadget_udc(const struct qsim_gadget *g)
{
	return "";
}

void qsim_gadget_get_stats(const struct qsim_gadget *g, struct qsim_gadget_stats *out)
{
	*out = (struct qsim_gadget_stats){ 0 };
}

long qsim_gadget_descriptors(uint8_t *buf, size_t cap)
{
	return -ENOTSUP;
}

long qsim_gadget_strings(uint8_t *buf, size_t cap)
{
	return -ENOTSUP;
}
