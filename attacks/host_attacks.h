/* The host-library implementation of each attack (one per row of attack_table). */
#ifndef ATTACKS_HOST_ATTACKS_H
#define ATTACKS_HOST_ATTACKS_H

#include "host_env.h"

/* memory_reach.c */
enum attack_result attack_hs_cvm_memory(struct attack_run *run);
enum attack_result attack_hs_monitor_memory(struct attack_run *run);
enum attack_result attack_vm_cvm_memory(struct attack_run *run);
enum attack_result attack_vm_monitor_memory(struct attack_run *run);
/* page_aliasing.c */
enum attack_result attack_promote_alias_cvm(struct attack_run *run);
enum attack_result attack_promote_alias_monitor(struct attack_run *run);
enum attack_result attack_share_foreign_page(struct attack_run *run);
/* state_leak.c */
enum attack_result attack_leak_gprs(struct attack_run *run);
enum attack_result attack_leak_fp(struct attack_run *run);
enum attack_result attack_leak_vs_csrs(struct attack_run *run);
enum attack_result attack_leak_trap_csrs(struct attack_run *run);
/* resume_tamper.c */
enum attack_result attack_resume_registers(struct attack_run *run);
enum attack_result attack_resume_sepc(struct attack_run *run);
enum attack_result attack_inject_interrupt(struct attack_run *run);
enum attack_result attack_mmio_outside_region(struct attack_run *run);
/* multi_hart.c */
enum attack_result attack_unshare_stale_mapping(struct attack_run *run);
enum attack_result attack_vcpu_two_harts(struct attack_run *run);
enum attack_result attack_destroy_running(struct attack_run *run);
/* sanitization.c */
enum attack_result attack_reuse_unzeroed(struct attack_run *run);
/* hostile_calls.c */
enum attack_result attack_tsm_info_over_monitor(struct attack_run *run);
enum attack_result attack_console_prints_cvm(struct attack_run *run);
/* attestation.c */
enum attack_result attack_evidence_by_hypervisor(struct attack_run *run);
enum attack_result attack_evidence_replay(struct attack_run *run);
/* bus_masters.c */
enum attack_result attack_dma_monitor_secret(struct attack_run *run);
enum attack_result attack_dma_cvm_memory(struct attack_run *run);
/* fault_isolation.c */
enum attack_result attack_crashing_cvm(struct attack_run *run);

#endif
