/* SPDX-License-Identifier: MIT */
/* What every system's TUN shares once it is open: a descriptor and the struct that holds it. */
#include "net/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

void qnet_tun_close(struct qnet_tun *tun)
{
	if (!tun)
		return;
	if (tun->fd >= 0)
		close(tun->fd);
	free(tun);
}

int qnet_tun_set_nonblock(struct qnet_tun *tun, bool nonblock)
{
	int fl = fcntl(tun->fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = nonblock ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(tun->fd, F_SETFL, fl) < 0 ? -errno : 0;
}
