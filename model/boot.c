/*
 * The model's boot, as platform/virt/boot.c does it on QEMU: read the machine from its
 * device tree (devtree.c), measure the monitor image, derive the attestation keys from
 * the endorsement seed, lock the seed with a PMP entry that has the L bit, then bring up
 * the monitor.
 *
 * The seed's stand-in is the top page of the model's monitor region, which model_init_hw
 * fills with a fixed test seed (tests may overwrite it before model_boot). The host
 * library has no monitor image in model RAM, so a fixed string stands for it.
 */
#include <string.h>

#include "attest.h"
#include "monitor.h"
#include "platform.h"
#include "pmp.h"
#include "model_priv.h"
#include "model_test.h"

const char model_monitor_image[] = "cs-monitor host model image v1";

void model_test_seed(uint8_t seed[ATTEST_SEED_SIZE])
{
	for (unsigned i = 0; i < ATTEST_SEED_SIZE; i++)
		seed[i] = (uint8_t)(0xA5 ^ (i * 29));
}

uint64_t model_seed_pa(void)
{
	return mem.monitor_size >= 2 * PAGE_SIZE ? mem.monitor_base + mem.monitor_size - PAGE_SIZE : 0;
}

void model_load_test_seed(void)
{
	uint64_t pa = model_seed_pa();
	if (pa) {
		model_test_seed(ram_at(pa));
		ram_mark_written(pa, ATTEST_SEED_SIZE);
	}
}

void model_boot(void)
{
	static const uint8_t no_seed[ATTEST_SEED_SIZE];
	g_model.current = 0;
	g_model.in_monitor = true;
	model_boot_device_tree();
	uint64_t seed_pa = model_seed_pa();
	const uint8_t *seed = seed_pa ? phys_ptr(seed_pa, ATTEST_SEED_SIZE) : no_seed;
	attest_boot(model_monitor_image, sizeof(model_monitor_image) - 1, seed);
	pmp_lock_seed(seed_pa, seed_pa ? ATTEST_SEED_REGION : 0);
	bool ok = monitor_init(0);
	g_model.in_monitor = false;
	if (!ok)
		model_fatal("monitor_init rejected the configuration");
	/* "dirty" means written since init; boot's own writes stay in "written". */
	ram_clear_dirty();
	trap_deliver_pending();
}
