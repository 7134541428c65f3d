/*
 * Every attack in one table. A row's id is what every backend reports; its defence is
 * the fault-injection switch that, turned off, must let the attack through.
 */
#include "attack.h"

#include "defence.h"
#include "host_attacks.h"

#define ATTACK(id_, name_, goal_, policy_, defence_, host_)                              \
	{ .id = id_, .name = name_, .goal = goal_, .policy = policy_, .defence = defence_,   \
	  .defence_name = #defence_, .host = host_ }

const struct attack attack_table[] = {
	/* direct access */
	ATTACK("hs-cvm-memory", "HS-mode loads and stores a CVM's confidential page",
	       "read or change a CVM's memory",
	       POL_ISOLATION, D_EXIT_CLOSES_PMP, attack_hs_cvm_memory),
	ATTACK("vm-cvm-memory", "a VM whose G-stage tables map a CVM's page loads and stores it",
	       "read or change a CVM's memory",
	       POL_ISOLATION, D_EXIT_CLOSES_PMP, attack_vm_cvm_memory),
	ATTACK("hs-monitor-memory", "HS-mode loads and stores monitor memory",
	       "read or change the monitor's data",
	       POL_ISOLATION, D_PMP_GUARDS_MONITOR, attack_hs_monitor_memory),
	ATTACK("vm-monitor-memory", "a VM whose G-stage tables map monitor memory loads and stores it",
	       "read or change the monitor's data",
	       POL_ISOLATION, D_PMP_GUARDS_MONITOR, attack_vm_monitor_memory),
	/* page aliasing */
	ATTACK("promote-alias-cvm", "promote given tables whose leaf maps another CVM's page",
	       "copy a CVM's memory into a CVM the attacker runs",
	       POL_ISOLATION, D_PROMOTE_CHECKS_LEAVES, attack_promote_alias_cvm),
	ATTACK("promote-alias-monitor", "promote given tables whose leaf maps monitor memory",
	       "copy the monitor's data into a CVM the attacker runs",
	       POL_ISOLATION, D_PROMOTE_CHECKS_LEAVES, attack_promote_alias_monitor),
	ATTACK("share-foreign-page", "a SHARE answered with another CVM's page: one page in two CVMs",
	       "map a CVM's page into a second CVM",
	       POL_ISOLATION, D_SHARE_CHECKS_HPA, attack_share_foreign_page),
	/* state across an exit (Sailor's context-switch classes) */
	ATTACK("leak-gprs", "GPRs left behind on a hypercall exit",
	       "read a CVM's registers",
	       POL_SANITIZATION, D_EXIT_RESTORES_GPRS, attack_leak_gprs),
	ATTACK("leak-fp", "FP registers and fcsr left behind on an exit",
	       "read a CVM's FP state",
	       POL_SANITIZATION, D_EXIT_RESTORES_FP, attack_leak_fp),
	ATTACK("leak-vs-csrs", "vsepc, vscause, vstval, vsscratch, vstvec left behind on an exit",
	       "read a CVM's S-mode CSRs",
	       POL_SANITIZATION, D_EXIT_RESTORES_VS_CSRS, attack_leak_vs_csrs),
	ATTACK("leak-trap-csrs", "a CVM's fault filling the hypervisor's sepc, scause, stval, htval, htinst",
	       "learn where a CVM runs and what it touches",
	       POL_INFO_FLOW, D_CVM_TRAPS_TO_MONITOR, attack_leak_trap_csrs),
	/* tampering on resume */
	ATTACK("resume-registers", "GPRs changed by the hypervisor reaching the CVM on resume",
	       "change a CVM's registers",
	       POL_ISOLATION, D_RESUME_ONLY_ANSWER, attack_resume_registers),
	ATTACK("resume-sepc", "sepc and the other vs* CSRs changed by the hypervisor before resume",
	       "redirect a CVM's control flow",
	       POL_ISOLATION, D_ENTER_LOADS_VS_CSRS, attack_resume_sepc),
	ATTACK("inject-interrupt", "interrupts the CVM never allowed, injected on resume",
	       "drive a CVM's interrupt handlers",
	       POL_INFO_FLOW, D_IRQ_FILTER, attack_inject_interrupt),
	ATTACK("mmio-outside-region", "an MMIO load answered for a GPA outside every registered region",
	       "put chosen values into a CVM's registers",
	       POL_INFO_FLOW, D_MMIO_IN_REGION, attack_mmio_outside_region),
	/* concurrency */
	ATTACK("unshare-stale-mapping", "a page unshared while a sibling vCPU still translates it",
	       "receive a CVM's writes after it stopped sharing",
	       POL_INFO_FLOW, D_UNSHARE_FENCES_REMOTE, attack_unshare_stale_mapping),
	ATTACK("vcpu-two-harts", "one vCPU run on two harts at once",
	       "fork a vCPU's execution",
	       POL_ISOLATION, D_VCPU_ON_ONE_HART, attack_vcpu_two_harts),
	ATTACK("destroy-running", "destroy_tvm while the TVM's vCPU runs on another hart",
	       "keep a vCPU running on freed pages",
	       POL_ISOLATION, D_DESTROY_WAITS, attack_destroy_running),
	/* page reuse */
	ATTACK("reuse-unzeroed", "a destroyed TVM's pages returned to the pool unzeroed",
	       "recover a dead CVM's data",
	       POL_SANITIZATION, D_RELEASE_ZEROES, attack_reuse_unzeroed),
	/* confused deputy */
	ATTACK("tsm-info-over-monitor", "get_tsm_info told to write into monitor memory",
	       "overwrite the monitor's data",
	       POL_ISOLATION, D_ARGS_IN_HV_MEMORY, attack_tsm_info_over_monitor),
	ATTACK("console-prints-cvm", "DBCN console_write of a CVM's confidential page",
	       "read a CVM's memory through the monitor",
	       POL_ISOLATION, D_ARGS_IN_HV_MEMORY, attack_console_prints_cvm),
	/* attestation: judged by the relying party's check */
	ATTACK("evidence-by-hypervisor", "the hypervisor asks for a CVM's attestation evidence",
	       "obtain evidence in a CVM's name",
	       POL_INFO_FLOW, D_ATTEST_ONLY_FROM_CVM, attack_evidence_by_hypervisor),
	ATTACK("evidence-replay", "a CVM's evidence replayed for another session: as issued, edited, "
	       "or over a challenge swapped in a shared page",
	       "impersonate a CVM to a relying party",
	       POL_INFO_FLOW, D_ATTEST_BUFFERS_PRIVATE, attack_evidence_replay),
	ATTACK("leak-vector", "vector registers left to a CVM: the hypervisor's v1 read from inside "
	       "(firmware only: the model has no vector unit)",
	       "read the hypervisor's vector state, or leave a CVM's behind",
	       POL_SANITIZATION, D_ENTER_DISABLES_VECTOR, NULL),
	/* bus masters: DMA ignores PMP */
	ATTACK("dma-monitor-secret", "fw_cfg's DMA engine, programmed by the hypervisor, copies monitor "
	       "memory out (on QEMU: rewrites the monitor's memory map, then has the debug console "
	       "print the attestation key)",
	       "steal the monitor's keys",
	       POL_ISOLATION, D_PMP_GUARDS_DEVICES, attack_dma_monitor_secret),
	ATTACK("dma-cvm-memory", "fw_cfg's DMA engine, programmed by the hypervisor, writes over a CVM's page",
	       "change a CVM's memory",
	       POL_ISOLATION, D_PMP_GUARDS_DEVICES, attack_dma_cvm_memory),
	/* fault isolation */
	ATTACK("crashing-cvm", "a CVM jumps into unmapped memory while another CVM runs",
	       "take down the monitor or another CVM",
	       POL_FAULT_ISOLATION, D_CVM_FAULT_CONTAINED, attack_crashing_cvm),
};

const size_t attack_count = sizeof(attack_table) / sizeof(attack_table[0]);
