/* SPDX-License-Identifier: MIT */
/* The gadget's configfs side (gadget_configfs.c), kept apart from its endpoint I/O (gadget.c). */
#ifndef QSIM_GADGET_INT_H
#define QSIM_GADGET_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One configfs gadget with one FunctionFS function, and what of it exists so far, so that a
 * half-built gadget is torn down exactly as far as it got. */
struct qsim_gcfs {
	char dir[256];        /* /sys/kernel/config/usb_gadget/<name> */
	char inst[48];        /* FunctionFS instance: functions/ffs.<inst>, mount source <inst> */
	char mnt[256];        /* where the FunctionFS is mounted (ep0, ep1, ...) */
	char udc[64];         /* bound controller, "" while unbound */
	bool made_dir, made_strings, made_config, made_config_strings, made_func, linked,
		made_mnt, mounted;
};

/* Creates the gadget, its function and mounts the FunctionFS. 0 or -errno with err filled. */
int qsim_gcfs_create(struct qsim_gcfs *c, uint16_t vid, uint16_t pid, char *err, size_t errlen);
/* Binds to udc (NULL: the first one in /sys/class/udc). Only after the descriptors are written. */
int qsim_gcfs_bind(struct qsim_gcfs *c, const char *udc, char *err, size_t errlen);
/* Unbinds (ignoring a controller already unbound from outside). */
void qsim_gcfs_unbind(struct qsim_gcfs *c);
/* Undoes qsim_gcfs_create; ep0 and the endpoint files must be closed first. Returns 0, or the
 * first failure (-errno) with err naming the step; the other steps are still tried. */
int qsim_gcfs_destroy(struct qsim_gcfs *c, char *err, size_t errlen);
/* "high-speed", "full-speed", ... of the bound controller, into buf ("" if unknown). */
void qsim_gcfs_speed(const struct qsim_gcfs *c, char *buf, size_t len);

#endif
