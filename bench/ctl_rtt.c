/* SPDX-License-Identifier: MIT */
/*
 * Control round trips for the VM benchmark: CTL Get Version Info, one at a time, either through
 * the kernel's /dev/cdc-wdmN (write the request, read the answer) or through qmiusb's own path
 * (libusb transport + QMI core on the qnet loop). Prints "rtt_per_s=N cpu_us=N". Only the round
 * trips are timed, after one untimed warm-up, on both paths alike: opening the device (open() of
 * the character device; libusb init, scan and claim) is not a round trip.
 *
 * Usage: ctl_rtt cdc-wdm /dev/cdc-wdm0 COUNT | ctl_rtt usb SELECTOR COUNT
 */
#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/qmux.h"
#include "usb/usb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long busy_jiffies(void)
{
	unsigned long long v[8] = { 0 }, sum = 0;
	FILE *f = fopen("/proc/stat", "r");
	int i;

	if (f && fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
			&v[3], &v[4], &v[5], &v[6], &v[7]) >= 4)
		for (i = 0; i < 8; i++)
			sum += i == 3 || i == 4 ? 0 : v[i];
	if (f)
		fclose(f);
	return sum;
}

struct meter {
	double t0, t1;
	unsigned long long b0, b1;
};

static void meter_start(struct meter *m)
{
	m->b0 = busy_jiffies();
	m->t0 = now_s();
}

static void meter_stop(struct meter *m)
{
	m->t1 = now_s();
	m->b1 = busy_jiffies();
}

static int via_cdc_wdm(const char *path, unsigned count, struct meter *m)
{
	uint8_t req[64], resp[4096];
	struct qmi_frame f;
	enum qmi_frame_err why;
	size_t len;
	unsigned i;
	int fd = open(path, O_RDWR);

	if (fd < 0) {
		perror(path);
		return -1;
	}
	for (i = 0; i <= count; i++) { /* round 0: the warm-up */
		uint8_t txn = (uint8_t)(i % 255 + 1);
		ssize_t n;

		if (i == 1)
			meter_start(m);
		if (qmi_msg_build(&qmi_ctl_get_version_info_req_def, NULL, 0, txn, req, sizeof(req),
				  &len) < 0 ||
		    write(fd, req, len) != (ssize_t)len)
			return -1;
		do { /* skip indications and stale answers */
			n = read(fd, resp, sizeof(resp));
			if (n <= 0)
				return -1;
		} while (qmi_frame_parse(resp, (size_t)n, &f, &why) < 0 || f.txn != txn ||
			 f.kind != QMI_KIND_RESPONSE);
	}
	meter_stop(m);
	close(fd);
	return 0;
}

static int via_usb(const char *sel, unsigned count, struct meter *m)
{
	struct qusb_open_opts uo = { 0 };
	struct qmi_transport tr;
	struct qb_loop *loop = NULL;
	struct qmi_dev *dev = NULL;
	struct qmi_frame resp;
	uint8_t buf[4096];
	char err[256];
	unsigned i;
	int ret;

	ret = qb_loop_new(&loop, QB_LOOP_AUTO);
	if (!ret)
		ret = qusb_transport_open(&tr, sel, &uo, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "ctl_rtt: %s\n", ret == -ENOMEM ? "out of memory" : err);
		return -1;
	}
	ret = qmi_dev_new(&dev, loop, tr, NULL);
	for (i = 0; !ret && i <= count; i++) { /* round 0: the warm-up */
		if (i == 1)
			meter_start(m);
		ret = qmi_dev_call_raw(dev, QMI_SVC_CTL, QMI_CID_NONE, QMI_CTL_GET_VERSION_INFO,
				       NULL, 0, 5000, buf, sizeof(buf), &resp);
	}
	meter_stop(m);
	if (ret)
		fprintf(stderr, "ctl_rtt: round trip %u: %s\n", i, strerror(-ret));
	qmi_dev_free(dev);
	qb_loop_free(loop);
	return ret ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct meter m = { 0 };
	unsigned count;
	int ret;

	if (argc != 4) {
		fprintf(stderr, "usage: %s cdc-wdm PATH COUNT | usb SELECTOR COUNT\n", argv[0]);
		return 2;
	}
	count = (unsigned)atoi(argv[3]);
	if (!count)
		return 2;
	ret = !strcmp(argv[1], "cdc-wdm") ? via_cdc_wdm(argv[2], count, &m)
					  : via_usb(argv[2], count, &m);
	if (ret)
		return 1;
	printf("rtt_per_s=%.0f cpu_us=%.1f\n", (double)count / (m.t1 - m.t0),
	       (double)(m.b1 - m.b0) * 1e6 / (double)sysconf(_SC_CLK_TCK) / count);
	return 0;
}
