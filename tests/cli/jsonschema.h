/* SPDX-License-Identifier: MIT */
/* Checks `qmiusb --json` output against the one schema, docs/json-schema.txt. */
#ifndef TESTS_CLI_JSONSCHEMA_H
#define TESTS_CLI_JSONSCHEMA_H

/* Parses text (one JSON object per line) and checks every key and its type; a failure names the
 * key, where it was and what command printed it (what). */
void schema_check(const char *schema_path, const char *what, const char *text);

#endif
