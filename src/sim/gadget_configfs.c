/* SPDX-License-Identifier: MIT */
/* Building and removing the configfs gadget that carries the FunctionFS function. */
#include "sim/gadget_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GADGET_ROOT "/sys/kernel/config/usb_gadget"
#define UDC_CLASS "/sys/class/udc"

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Path of a file under the gadget; -ENAMETOOLONG rather than a truncated path. */
static int gpath(const struct qsim_gcfs *c, char *buf, size_t len, const char *rel)
{
	int n = snprintf(buf, len, "%s/%s", c->dir, rel);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(val);
	int ret = 0;

	if (fd < 0)
		return -errno;
	/* configfs attributes take the whole value in one write; an empty UDC needs a "\n". */
	if (write(fd, n ? val : "\n", n ? n : 1) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int gwrite(const struct qsim_gcfs *c, const char *rel, const char *val, char *err,
		  size_t errlen)
{
	char path[PATH_MAX];
	int ret = gpath(c, path, sizeof(path), rel);

	if (!ret)
		ret = write_file(path, val);
	if (ret)
		seterr(err, errlen, "cannot write %s/%s: %s", c->dir, rel, strerror(-ret));
	return ret;
}

static int gmkdir(const struct qsim_gcfs *c, const char *rel, bool *made, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret = gpath(c, path, sizeof(path), rel);

	if (!ret && mkdir(path, 0755) < 0)
		ret = -errno;
	if (ret)
		seterr(err, errlen, "cannot create %s: %s", path, strerror(-ret));
	else
		*made = true;
	return ret;
}

static void grmdir(const struct qsim_gcfs *c, const char *rel, bool *made, int *ret, char *err,
		   size_t errlen)
{
	char path[PATH_MAX];

	if (!*made || gpath(c, path, sizeof(path), rel))
		return;
	if (rmdir(path) == 0) {
		*made = false;
	} else if (!*ret) {
		*ret = -errno;
		seterr(err, errlen, "cannot remove %s: %s", path, strerror(errno));
	}
}

int qsim_gcfs_create(struct qsim_gcfs *c, uint16_t vid, uint16_t pid, uint16_t bcd_usb, char *err,
		     size_t errlen)
{
	char val[32], path[PATH_MAX], target[PATH_MAX];
	struct stat st;
	int ret;

	memset(c, 0, sizeof(*c));
	if (stat(GADGET_ROOT, &st) < 0) {
		seterr(err, errlen,
		       "no %s: load libcomposite and usb_f_fs, then mount configfs on "
		       "/sys/kernel/config",
		       GADGET_ROOT);
		return -ENOENT;
	}
	/* Unique per process and per gadget object: two gadgets in one process must not meet. */
	snprintf(c->inst, sizeof(c->inst), "qmiusb%d_%lx", (int)getpid(),
		 (unsigned long)((uintptr_t)c >> 4) & 0xfffffUL);
	snprintf(c->dir, sizeof(c->dir), "%s/%s", GADGET_ROOT, c->inst);

	ret = gmkdir(c, "", &c->made_dir, err, errlen);
	if (ret)
		goto fail;
	snprintf(val, sizeof(val), "0x%04x", vid);
	ret = gwrite(c, "idVendor", val, err, errlen);
	if (!ret) {
		snprintf(val, sizeof(val), "0x%04x", pid);
		ret = gwrite(c, "idProduct", val, err, errlen);
	}
	if (!ret)
		ret = gwrite(c, "bcdDevice", "0x0318", err, errlen);
	if (!ret) {
		snprintf(val, sizeof(val), "0x%04x", bcd_usb);
		ret = gwrite(c, "bcdUSB", val, err, errlen);
	}
	if (!ret)
		ret = gmkdir(c, "strings/0x409", &c->made_strings, err, errlen);
	if (!ret)
		ret = gwrite(c, "strings/0x409/manufacturer", "qmiusb", err, errlen);
	if (!ret)
		ret = gwrite(c, "strings/0x409/product", "qmiusb software modem", err, errlen);
	if (!ret)
		ret = gwrite(c, "strings/0x409/serialnumber", "0123456789", err, errlen);
	if (!ret)
		ret = gmkdir(c, "configs/c.1", &c->made_config, err, errlen);
	if (!ret)
		ret = gwrite(c, "configs/c.1/MaxPower", "500", err, errlen);
	if (!ret)
		ret = gmkdir(c, "configs/c.1/strings/0x409", &c->made_config_strings, err, errlen);
	if (!ret)
		ret = gwrite(c, "configs/c.1/strings/0x409/configuration", "QMI", err, errlen);
	if (ret)
		goto fail;

	/* Creating the function is what registers the functionfs filesystem type. */
	snprintf(path, sizeof(path), "functions/ffs.%s", c->inst);
	ret = gmkdir(c, path, &c->made_func, err, errlen);
	if (ret) {
		seterr(err, errlen,
		       "cannot create the FunctionFS function (is usb_f_fs loaded?): %s",
		       strerror(-ret));
		goto fail;
	}
	snprintf(target, sizeof(target), "%s/functions/ffs.%s", c->dir, c->inst);
	snprintf(path, sizeof(path), "%s/configs/c.1/ffs.%s", c->dir, c->inst);
	if (symlink(target, path) < 0) {
		ret = -errno;
		seterr(err, errlen, "cannot link the function into the configuration: %s",
		       strerror(errno));
		goto fail;
	}
	c->linked = true;

	snprintf(c->mnt, sizeof(c->mnt), "/run/qmiusb-ffs-%s", c->inst);
	if (mkdir(c->mnt, 0700) < 0) {
		/* /run may be missing or read-only; /tmp is the fallback. */
		snprintf(c->mnt, sizeof(c->mnt), "/tmp/qmiusb-ffs-%s", c->inst);
		if (mkdir(c->mnt, 0700) < 0) {
			ret = -errno;
			seterr(err, errlen, "cannot create %s: %s", c->mnt, strerror(errno));
			goto fail;
		}
	}
	c->made_mnt = true;
	if (mount(c->inst, c->mnt, "functionfs", 0, NULL) < 0) {
		ret = -errno;
		seterr(err, errlen, "cannot mount functionfs %s on %s: %s", c->inst, c->mnt,
		       strerror(errno));
		goto fail;
	}
	c->mounted = true;
	return 0;
fail:
	qsim_gcfs_destroy(c, NULL, 0);
	return ret;
}

/* Mounts the FunctionFS of instance name on a fresh directory "<base>-<name>" into mnt. */
static int mount_ffs(const char *name, char *mnt, size_t len, bool *made, bool *mounted, char *err,
		     size_t errlen)
{
	snprintf(mnt, len, "/run/qmiusb-ffs-%s", name);
	if (mkdir(mnt, 0700) < 0) {
		/* /run may be missing or read-only; /tmp is the fallback. */
		snprintf(mnt, len, "/tmp/qmiusb-ffs-%s", name);
		if (mkdir(mnt, 0700) < 0) {
			seterr(err, errlen, "cannot create %s: %s", mnt, strerror(errno));
			return -errno;
		}
	}
	*made = true;
	if (mount(name, mnt, "functionfs", 0, NULL) < 0) {
		seterr(err, errlen, "cannot mount functionfs %s on %s: %s", name, mnt,
		       strerror(errno));
		return -errno;
	}
	*mounted = true;
	return 0;
}

int qsim_gcfs_add_config(struct qsim_gcfs *c, uint8_t value, char *err, size_t errlen)
{
	char rel[96], target[PATH_MAX], path[PATH_MAX], inst[64];
	int ret;

	c->value2 = value;
	snprintf(rel, sizeof(rel), "configs/c.%u", value);
	ret = gmkdir(c, rel, &c->made_config2, err, errlen);
	if (!ret) {
		snprintf(rel, sizeof(rel), "configs/c.%u/MaxPower", value);
		ret = gwrite(c, rel, "500", err, errlen);
	}
	if (!ret) {
		snprintf(rel, sizeof(rel), "configs/c.%u/strings/0x409", value);
		ret = gmkdir(c, rel, &c->made_config2_strings, err, errlen);
	}
	if (!ret) {
		snprintf(rel, sizeof(rel), "configs/c.%u/strings/0x409/configuration", value);
		ret = gwrite(c, rel, "other", err, errlen);
	}
	if (ret)
		return ret;
	snprintf(inst, sizeof(inst), "%sx", c->inst);
	snprintf(rel, sizeof(rel), "functions/ffs.%s", inst);
	ret = gmkdir(c, rel, &c->made_func2, err, errlen);
	if (ret)
		return ret;
	snprintf(target, sizeof(target), "%s/functions/ffs.%s", c->dir, inst);
	snprintf(path, sizeof(path), "%s/configs/c.%u/ffs.%s", c->dir, value, inst);
	if (symlink(target, path) < 0) {
		seterr(err, errlen, "cannot link the function into configuration %u: %s", value,
		       strerror(errno));
		return -errno;
	}
	c->linked2 = true;
	return mount_ffs(inst, c->mnt2, sizeof(c->mnt2), &c->made_mnt2, &c->mounted2, err, errlen);
}

/* Undoes qsim_gcfs_add_config as far as it got. */
static void destroy_config2(struct qsim_gcfs *c, int *ret, char *err, size_t errlen);

static int first_udc(char *buf, size_t len)
{
	DIR *d = opendir(UDC_CLASS);
	struct dirent *e;
	int ret = -ENODEV;

	if (!d)
		return -ENODEV;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		/* A UDC name that does not fit is not one we could write to configfs either. */
		size_t n = strlen(e->d_name);

		if (n >= len)
			continue;
		memcpy(buf, e->d_name, n + 1);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

int qsim_gcfs_bind(struct qsim_gcfs *c, const char *udc, char *err, size_t errlen)
{
	char name[64];
	int ret;

	if (!udc) {
		if (first_udc(name, sizeof(name)) < 0) {
			seterr(err, errlen,
			       "no USB device controller in %s (modprobe dummy_hcd for a "
			       "virtual one)",
			       UDC_CLASS);
			return -ENODEV;
		}
		udc = name;
	}
	ret = gwrite(c, "UDC", udc, err, errlen);
	if (ret) {
		seterr(err, errlen, "cannot bind the gadget to UDC %s: %s", udc, strerror(-ret));
		return ret;
	}
	snprintf(c->udc, sizeof(c->udc), "%s", udc);
	return 0;
}

void qsim_gcfs_unbind(struct qsim_gcfs *c)
{
	char path[PATH_MAX];

	if (!c->udc[0])
		return;
	/* Fails with ENODEV when someone unbound it already (the VM tier's unplug): fine. */
	if (!gpath(c, path, sizeof(path), "UDC"))
		(void)write_file(path, "");
	c->udc[0] = 0;
}

void qsim_gcfs_speed(const struct qsim_gcfs *c, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n = -1;
	int fd;

	buf[0] = 0;
	if (!c->udc[0] || len < 2)
		return;
	snprintf(path, sizeof(path), "%s/%s/current_speed", UDC_CLASS, c->udc);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/*
 * The endpoint files are closed by now, but the last reference of a file an AIO request used
 * is dropped by the kernel's delayed fput, a tick after io_destroy returned: the mount can be
 * busy for that long. Retry briefly, then detach it lazily (it goes away with that reference).
 */
static int unmount_ffs(const char *mnt)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 50; i++) {
		if (umount2(mnt, 0) == 0)
			return 0;
		if (errno != EBUSY)
			return -1;
		nanosleep(&tick, NULL);
	}
	return umount2(mnt, MNT_DETACH);
}

static void step(int *ret, bool ok, const char *what, const char *path, char *err, size_t errlen)
{
	if (ok || *ret)
		return;
	*ret = -errno;
	seterr(err, errlen, "cannot %s %s: %s", what, path, strerror(errno));
}

static void destroy_config2(struct qsim_gcfs *c, int *ret, char *err, size_t errlen)
{
	char path[PATH_MAX], rel[96];

	if (c->mounted2) {
		c->mounted2 = unmount_ffs(c->mnt2) != 0;
		step(ret, !c->mounted2, "unmount", c->mnt2, err, errlen);
	}
	if (c->made_mnt2 && !c->mounted2) {
		c->made_mnt2 = rmdir(c->mnt2) != 0;
		step(ret, !c->made_mnt2, "remove", c->mnt2, err, errlen);
	}
	if (c->linked2) {
		snprintf(path, sizeof(path), "%s/configs/c.%u/ffs.%sx", c->dir, c->value2, c->inst);
		c->linked2 = unlink(path) != 0;
		step(ret, !c->linked2, "unlink", path, err, errlen);
	}
	snprintf(rel, sizeof(rel), "configs/c.%u/strings/0x409", c->value2);
	grmdir(c, rel, &c->made_config2_strings, ret, err, errlen);
	snprintf(rel, sizeof(rel), "configs/c.%u", c->value2);
	grmdir(c, rel, &c->made_config2, ret, err, errlen);
	snprintf(rel, sizeof(rel), "functions/ffs.%sx", c->inst);
	grmdir(c, rel, &c->made_func2, ret, err, errlen);
}

int qsim_gcfs_destroy(struct qsim_gcfs *c, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret = 0;

	qsim_gcfs_unbind(c);
	destroy_config2(c, &ret, err, errlen);
	if (c->mounted) {
		c->mounted = unmount_ffs(c->mnt) != 0;
		step(&ret, !c->mounted, "unmount", c->mnt, err, errlen);
	}
	if (c->made_mnt && !c->mounted) {
		c->made_mnt = rmdir(c->mnt) != 0;
		step(&ret, !c->made_mnt, "remove", c->mnt, err, errlen);
	}
	if (c->linked) {
		snprintf(path, sizeof(path), "%s/configs/c.1/ffs.%s", c->dir, c->inst);
		c->linked = unlink(path) != 0;
		step(&ret, !c->linked, "unlink", path, err, errlen);
	}
	grmdir(c, "configs/c.1/strings/0x409", &c->made_config_strings, &ret, err, errlen);
	grmdir(c, "configs/c.1", &c->made_config, &ret, err, errlen);
	snprintf(path, sizeof(path), "functions/ffs.%s", c->inst);
	grmdir(c, path, &c->made_func, &ret, err, errlen);
	grmdir(c, "strings/0x409", &c->made_strings, &ret, err, errlen);
	grmdir(c, "", &c->made_dir, &ret, err, errlen);
	return ret;
}
