/* SPDX-License-Identifier: MIT */
/*
 * The proxy's socket as a file NAME in the runtime directory, where unix sockets have no
 * abstract namespace. bind() and connect() take a path, not a directory descriptor, so the
 * directory is checked through a descriptor first (qb_rundir_open) and then named by its path:
 * nobody but its owner may write in it, so what is checked is what is used. The file is
 * NAME.sock: NAME itself is where the proxy publishes its device (qprx_publish_path).
 */
#include "proxy/sock.h"

#include "base/rundir.h"
#include "base/rundir_sys.h"
#include "proxy/sock_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

const bool qprx_abstract = false;

/* Our runtime directory's path into dir, after qb_rundir_open's checks. 0 or -errno. */
static int own_dir(char *dir, size_t cap)
{
	int fd = qb_rundir_open(true, NULL);

	if (fd < 0)
		return fd;
	close(fd);
	return qb_rundir(dir, cap);
}

/* Whether a client may trust the directory dir: a real directory of ours or root's (root is
 * trusted anyway) that nobody else may write in. 0, -ENOENT (absent: no proxy), or -EPERM. */
static int dir_trusted(const char *dir)
{
	struct stat st;
	bool ok;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -EPERM;
	ok = fstat(fd, &st) == 0 && (st.st_uid == geteuid() || st.st_uid == 0) &&
	     !(st.st_mode & (S_IWGRP | S_IWOTH));
	close(fd);
	return ok ? 0 : -EPERM;
}

/* The socket file's name for the proxy name. 0, -EINVAL (empty) or -ENAMETOOLONG. */
static int file_name(char *buf, size_t cap, const char *name)
{
	int n;

	if (!name || !*name)
		return -EINVAL;
	n = snprintf(buf, cap, "%s.sock", name);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int qprx_listen(const char *name, int backlog)
{
	char dir[PATH_MAX], file[NAME_MAX + 1];
	int ret = file_name(file, sizeof(file), name);

	if (ret == 0)
		ret = own_dir(dir, sizeof(dir));
	return ret < 0 ? ret : qprx_fs_listen(dir, file, backlog);
}

void qprx_unlisten(const char *name)
{
	char dir[PATH_MAX], file[NAME_MAX + 1];

	if (file_name(file, sizeof(file), name) == 0 && qb_rundir(dir, sizeof(dir)) == 0)
		qprx_fs_unlisten(dir, file);
}

int qprx_connect(const char *name)
{
	char dir[PATH_MAX], file[NAME_MAX + 1];
	int ret = file_name(file, sizeof(file), name);

	if (ret < 0)
		return ret;
	ret = qb_rundir(dir, sizeof(dir));
	if (ret == 0)
		ret = dir_trusted(dir);
	if (ret == 0)
		ret = qprx_fs_connect(dir, file);
	/* A proxy run by root serves other users too (--allow-user, --allow-group): its socket is
	 * in root's directory, which a user's own setting does not name. */
	if ((ret == -ENOENT || ret == -ECONNREFUSED) && geteuid() != 0 &&
	    !getenv("QMIUSB_RUNDIR") && dir_trusted(qb_rundir_root) == 0)
		ret = qprx_fs_connect(qb_rundir_root, file);
	return ret;
}
