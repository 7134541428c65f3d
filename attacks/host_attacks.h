/* The host-library implementation of each attack: attack_<sym> for every row of
 * catalog/attacks.def whose backends include HOST (the file per family is in README.md). */
#ifndef ATTACKS_HOST_ATTACKS_H
#define ATTACKS_HOST_ATTACKS_H

#include "../catalog/catalog.h"
#include "host_env.h"

#define HOST_ATTACK_DECL(sym) enum attack_result attack_##sym(struct attack_run *run);
#define ATTACK(sym, id, name, goal, policy, defence, backends, down_is_success)               \
	CATALOG_IF_HOST(backends, HOST_ATTACK_DECL, CATALOG_NOTHING)(sym)
#include "../catalog/attacks.def"
#undef HOST_ATTACK_DECL

#endif
