/*
 * Calls whose arguments point where the caller may not reach: get_tsm_info asked to
 * write its answer over monitor memory, and the debug console asked to print a CVM's
 * confidential page. The monitor itself can reach both, so only its argument checks
 * stand between the hypervisor and a confused deputy.
 */
#include <string.h>

#include "host_attacks.h"

#include "cove.h"
#include "sbi.h"

enum attack_result attack_tsm_info_over_monitor(struct attack_run *run)
{
	uint64_t pa = plant_monitor_secret();
	struct sbiret r = hv_ecall(0, SBI_EXT_COVH, COVH_GET_TSM_INFO, pa, sizeof(struct tsm_info), 0, 0, 0, 0);
	uint64_t now = phys64(pa);
	attack_note(run, "get_tsm_info returned %ld; the monitor word is now 0x%llx", r.error,
		    (unsigned long long)now);
	return now != MONITOR_SECRET ? AR_SUCCEEDED : AR_BLOCKED;
}

enum attack_result attack_console_prints_cvm(struct attack_run *run)
{
	struct victim v;
	const uint64_t secret = CVM_SECRET | 0xD1;
	if (!victim_with_secret(run, &v, 0xD1, secret))
		return AR_ERROR;
	uint64_t pa = victim_hpa(&v, SECRET_GPA);
	model_console_clear();
	struct sbiret r = hv_ecall(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, sizeof(secret), pa, 0, 0, 0, 0);
	size_t len = 0;
	const char *out = model_console_output(&len);
	bool leaked = len >= sizeof(secret) && memmem(out, len, &secret, sizeof(secret)) != NULL;
	attack_note(run, "console_write returned %ld, %zu bytes printed%s", r.error, len,
		    leaked ? ", the victim's secret among them" : "");
	return leaked ? AR_SUCCEEDED : AR_BLOCKED;
}
