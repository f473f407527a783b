/* SPDX-License-Identifier: MIT */
/* Small formatting helpers shared by the subcommands. */
#include <string.h>

#include "cli/cli.h"

const char *qcli_mask_str(const struct qmi_enum *e, uint64_t v, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!v) {
		snprintf(buf, len, "none");
		return buf;
	}
	for (unsigned bit = 0; bit < 64; bit++) {
		uint64_t m = (uint64_t)1 << bit;
		const char *name;
		int n;

		if (!(v & m))
			continue;
		name = qmi_enum_name(e, (int64_t)m);
		if (name)
			n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
		else
			n = snprintf(buf + used, len - used, "%s0x%llx", used ? ", " : "",
				     (unsigned long long)m);
		if (n < 0 || (size_t)n >= len - used)
			break; /* truncated: the rest does not fit */
		used += (size_t)n;
	}
	return buf;
}
