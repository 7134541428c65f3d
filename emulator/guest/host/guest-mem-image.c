/*
 * The test guest's memory as the demo hypervisor hands it to promote_to_tvm: the guest
 * image at the start of its RAM, zeros, and the device tree in the last page. A relying
 * party computes the CVM's expected page measurement (MR4) from this file with
 * `attest-verify mr-pages`, rather than trusting what the hypervisor says it loaded.
 *
 *   guest-mem-image GUEST_BIN OUT
 */
#include <stdio.h>
#include <stdlib.h>

#include "fdt_write.h"
#include "guest_abi.h"

static unsigned char mem[GUEST_RAM_SIZE];

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: guest-mem-image GUEST_BIN OUT\n", stderr);
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 2;
	}
	const size_t room = GUEST_FDT_GPA - GUEST_RAM_GPA;
	size_t n = fread(mem, 1, room, in);
	int too_big = fgetc(in) != EOF;
	fclose(in);
	if (n == 0 || too_big) {
		fprintf(stderr, "guest-mem-image: %s is empty or reaches the device tree page\n", argv[1]);
		return 1;
	}
	if (!fdt_write_guest(mem + room, GUEST_RAM_SIZE - room, GUEST_VCPUS, GUEST_RAM_GPA,
			     GUEST_RAM_SIZE, DEV_GPA, DEV_SIZE)) {
		fputs("guest-mem-image: the device tree does not fit its page\n", stderr);
		return 1;
	}
	FILE *out = fopen(argv[2], "wb");
	if (!out || fwrite(mem, 1, sizeof(mem), out) != sizeof(mem) || fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
