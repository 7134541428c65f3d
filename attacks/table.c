/*
 * Every attack in one table, built from the catalog (catalog/attacks.def) that the QEMU
 * payload reads too. A row's id is what every backend reports; its defence is the
 * fault-injection switch that, turned off, must let the attack through.
 */
#include "attack.h"

#include <stddef.h>

#include "defence.h"
#include "host_attacks.h"

const struct attack attack_table[] = {
#define ATTACK(sym, id_, name_, goal_, policy_, defence_, backends, down_is_success)         \
	{ .id = id_, .name = name_, .goal = goal_, .policy = policy_, .defence = defence_,   \
	  .defence_name = #defence_, .host = CATALOG_IF_HOST(backends, attack_##sym, NULL) },
#include "../catalog/attacks.def"
};

const size_t attack_count = sizeof(attack_table) / sizeof(attack_table[0]);
