/*
 * Vector state across the world switch (Sailor's class: lazily switched V state). The
 * hypervisor turns its vector unit on and leaves a secret in v1; a CVM turns its own VS
 * on and reads v1. v0-v31 are not swapped by the monitor, so only mstatus.VS forced Off
 * under a CVM keeps them apart. Needs a hart with V (run-attacks.py boots -cpu rv64,v=true).
 */
#include "atk.h"
#include "agent/agent_abi.h"

#define VECTOR_SECRET 0x5ec7e1011eaf0001UL

enum atk_verdict atk_leak_vector(struct atk_report *r)
{
	unsigned long status = 0;
	/* S-mode cannot read misa: the vector unit is there if turning it on sticks */
	__asm__ __volatile__("csrs sstatus, %1\n csrr %0, sstatus" : "=r"(status) : "r"(1UL << 9));
	if (!(status & (3UL << 9))) {
		ev(r, "the hart has no vector unit (QEMU -cpu rv64,v=true has one)");
		return ATK_NOT_APPLICABLE;
	}
	static struct atk_cvm c; /* its own CVM: a blocked attack ends its vCPU */
	if (!atk_start(&c, 1, NULL, 0)) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	__asm__ __volatile__(".option push\n.option arch, +v\n"
			     "vsetivli zero, 1, e64, m1, ta, ma\n"
			     "vmv.s.x v1, %0\n"
			     ".option pop" ::"r"(VECTOR_SECRET));
	struct atk_exit e;
	enum atk_stop s = atk_command(&c, 0, AGENT_CMD_READ_VECTOR, 0, NULL, 0, &e);
	atk_destroy(&c);
	if (s == STOP_NEXT && e.p[0] == AGENT_STATUS_OK) {
		ev(r, "the CVM's v1 held ");
		ev_hex(r, e.p[1]);
		ev(r, e.p[1] == VECTOR_SECRET ? ": the hypervisor's secret" : "");
		return e.p[1] == VECTOR_SECRET ? ATK_SUCCEEDED : ATK_BLOCKED;
	}
	if (s == STOP_FAULT) {
		ev(r, "the CVM's first vector instruction ended its vCPU (a FAULT exit): no vector unit under a CVM");
		return ATK_BLOCKED;
	}
	ev(r, "the agent did not answer");
	return ATK_ERROR;
}
