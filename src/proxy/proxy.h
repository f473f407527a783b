/* SPDX-License-Identifier: MIT */
/*
 * A qmi-proxy compatible daemon (libqmi's qmi-proxy protocol) and its client transport.
 *
 * Server: one modem (a struct qmi_dev the caller owns), one abstract unix stream socket, any
 * number of connections speaking raw QMUX. Transaction ids are translated (the modem sees the
 * device's, unique per client id, each client gets its own back), so clients sharing a client
 * id, or whose txns wrap, never collide; client ids pass through unchanged. Each client has a
 * bounded number of requests at the modem and the proxy a bounded total; the rest wait in a
 * bounded queue per client, and a request that cannot be carried (queue full, no answer in
 * time, modem gone) is answered with a QMI error rather than dropped. Allocate/Release CID are snooped per connection, ids used without allocating
 * ("--client-cid=N") are adopted, indications go to the holders of (service, client id) or,
 * for client id 0xFF, to every holder of the service. Unlike qmi-proxy, the ids a vanished
 * connection still held are released on the modem after a grace period unless another
 * connection adopts them first (keep_cids restores qmi-proxy's never-release behaviour).
 *
 * libqmi clients name the device by the FIFO the proxy publishes (qprx_publish); libqmi's
 * AUTO mode cannot tell QMI from MBIM outside sysfs, so qmicli needs --device-open-qmi with it,
 * as for MHI ports: `qmicli -d /run/qmiusb/qmi-proxy -p --device-open-qmi --dms-get-ids`.
 *
 * Everything runs on the caller's loop; no threads, no global state.
 */
#ifndef QPRX_PROXY_H
#define QPRX_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "qmi/transport.h"

struct qb_loop;
struct qmi_dev;
struct qprx_server;

#define QPRX_DEFAULT_SOCKET "qmi-proxy"
#define QPRX_DEFAULT_GRACE_MS 5000u
#define QPRX_DEFAULT_QUEUE_MAX (256u * 1024u) /* bytes queued for one slow reader */
#define QPRX_DEFAULT_MAX_CLIENTS 1024u
#define QPRX_OPEN_TIMEOUT_MS 5000u       /* libqmi's proxy-open timeout */
#define QPRX_CTL_TIMEOUT_MS 300000u      /* qmi-proxy forwards CTL with a 300 s timeout */
#define QPRX_DEFAULT_INFLIGHT_CLIENT 16u /* requests of one client at the modem */
#define QPRX_DEFAULT_INFLIGHT_TOTAL 64u  /* all clients' requests at the modem */
#define QPRX_DEFAULT_WAITING_MAX 4096u   /* requests queued per client beyond those */

struct qprx_server_opts {
	const char *socket_name; /* abstract name; NULL = "qmi-proxy" */
	/* A proxy-open naming any of these (after realpath() where the path exists) is ours:
	 * the published file, and the device selector/description ("sim", "usb:2c7c:0125"). */
	const char *device_path;
	const char *device_names[4]; /* NULL-terminated early is fine */
	/* Access beyond root and the proxy's own user. */
	bool has_allow_user;
	uid_t allow_user;
	bool has_allow_group;
	gid_t allow_group;
	unsigned empty_timeout_ms;    /* 0 = never exit for lack of clients */
	unsigned cid_grace_ms;        /* 0 = QPRX_DEFAULT_GRACE_MS; see keep_cids */
	bool release_immediately;     /* grace 0 for real: release as soon as the holder goes */
	bool keep_cids;               /* never release ids of vanished connections (qmi-proxy) */
	size_t queue_max;             /* 0 = QPRX_DEFAULT_QUEUE_MAX */
	unsigned max_clients;         /* 0 = QPRX_DEFAULT_MAX_CLIENTS */
	unsigned max_inflight_client; /* 0 = QPRX_DEFAULT_INFLIGHT_CLIENT */
	unsigned max_inflight_total;  /* 0 = QPRX_DEFAULT_INFLIGHT_TOTAL */
	unsigned max_waiting;         /* 0 = QPRX_DEFAULT_WAITING_MAX */
	unsigned request_timeout_ms;  /* a client's request at the modem; 0 = QPRX_CTL_TIMEOUT_MS */
	FILE *log;                    /* NULL = stderr */
	bool verbose;                 /* log every connection and cid event, not only problems */
	/* The caller uses dev itself as well (`qmiusb connect` sharing its modem): the server
	 * leaves the device's data callbacks to the caller and does not stop the loop when the
	 * device closes; the caller shuts the server down then. */
	bool shared_dev;
	/* Bind the socket first, then create device_path as the published FIFO (qprx_publish)
	 * and remove it in qprx_server_free: a socket name that is taken never has its owner's
	 * file replaced. A path that cannot be published is logged; the names still work. */
	bool publish;
	/* Called when the empty timeout expires (NULL: the loop is stopped). */
	void (*on_empty)(void *user);
	void *user;
};

/* Binds the socket and starts serving dev (owned by the caller, must outlive the server).
 * 0, -EADDRINUSE (another proxy has that name), -errno. */
int qprx_server_new(struct qprx_server **out, struct qb_loop *loop, struct qmi_dev *dev,
		    const struct qprx_server_opts *opts);
/* Closes every connection. With release (and not keep_cids), ids still held by connections or
 * waiting out their grace period are released on the modem first: the loop runs, timers
 * included, until every release is answered or timeout_ms passed, even when it was stopped (by
 * a signal); it is left stopped or not as it was. Accepts NULL. */
void qprx_server_shutdown(struct qprx_server *srv, bool release, unsigned timeout_ms);
void qprx_server_free(struct qprx_server *srv);
/* The host's own client id (shared_dev: the ids `connect` holds). A client may use it (its
 * requests are forwarded) but never becomes its holder, so it is never orphaned or released
 * by the proxy, and a client's Release CID of it is refused (InvalidClientId) without
 * reaching the modem. 0 or -ENOSPC (QPRX_MAX_RESERVED). */
#define QPRX_MAX_RESERVED 16
int qprx_server_reserve(struct qprx_server *srv, uint8_t svc, uint8_t cid);
/* The published path (realpath) or "" when there is none. */
const char *qprx_server_path(const struct qprx_server *srv);

/* Inspection, for logs and tests. */
struct qprx_stats {
	unsigned clients;      /* accepted, credential-checked connections */
	unsigned refused;      /* connections refused by the access policy */
	unsigned held;         /* (service, cid, connection) holdings */
	unsigned orphans;      /* ids waiting out their grace period (or kept, keep_cids) */
	unsigned released;     /* ids the proxy released on the modem itself */
	unsigned ctl_local;    /* answers the proxy made itself (proxy open, sync, errors) */
	unsigned bad_frames;   /* connections closed for invalid input */
	unsigned slow_readers; /* connections closed because their queue overflowed */
	unsigned inflight;     /* clients' requests at the modem now */
	unsigned waiting;      /* clients' requests queued in the proxy now */
	unsigned pending;      /* request records alive now (the two above and own releases) */
	unsigned overflows;    /* requests answered with an error: their client's queue was full */
	unsigned failed;       /* requests answered with an error: timeout or send failure */
};
void qprx_server_stats(const struct qprx_server *srv, struct qprx_stats *out);

/* Where a proxy serving socket_name publishes its device file: qb_rundir() (base/rundir.h)
 * + "/<socket_name>". 0 or -ENAMETOOLONG. */
int qprx_publish_path(const char *socket_name, char *buf, size_t cap);
/* Creates path as a FIFO: libqmi refuses a -d path that is not a special file, and in proxy
 * mode never opens it. A path in the runtime directory goes through qb_rundir_open() (created
 * and verified); elsewhere its directory must exist and is opened without following a symlink.
 * The FIFO is made aside and renamed into place relative to that directory. An existing FIFO is
 * replaced; anything else there is -EEXIST. 0 or -errno; *why (may be NULL) says why the
 * runtime directory was refused (-EPERM). */
int qprx_publish(const char *path, const char **why);

/* Which proxies a client talks to: root's, its own user's, and trust_uid's when has_trust_uid.
 * Anybody may bind an abstract socket name, so the proxy's SO_PEERCRED is checked before a
 * byte is sent to it. */
struct qprx_trust {
	bool has_trust_uid;
	uid_t trust_uid;
};

/* Client side: connects to the abstract socket, checks the proxy's user (trust NULL: root and
 * our own only), sends Internal Proxy Open naming device_path, waits up to
 * QPRX_OPEN_TIMEOUT_MS for success, then carries plain QMUX. The transport is not started
 * (qmi_dev_new starts it). 0, -ECONNREFUSED/-ENOENT (no proxy), -EPERM (the proxy runs as a
 * user we do not trust; *proxy_uid, when given, says which), -EACCES (refused by the proxy's
 * access policy), -ENXIO (the proxy serves another device), -ETIMEDOUT. */
int qprx_client_transport_open(struct qmi_transport *out, const char *socket_name,
			       const char *device_path, const struct qprx_trust *trust,
			       uid_t *proxy_uid);
/* The same handshake without keeping the connection: is a proxy of root or of our own user
 * serving that device? */
bool qprx_serving(const char *socket_name, const char *device_path);

#endif
