/* SPDX-License-Identifier: MIT */
#include <stdio.h>

int main(int argc, char **argv)
{
	fprintf(stderr, "qmiusb: not built yet\n");
	return 1;
}
