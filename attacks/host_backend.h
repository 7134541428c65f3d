/* Runs one attack on the host library, in a child process of its own. */
#ifndef ATTACKS_HOST_BACKEND_H
#define ATTACKS_HOST_BACKEND_H

#include "attack.h"

/*
 * Boots a fresh monitor with the defences in `off` switched off, plays the attack and
 * returns its verdict with the evidence in *run. With every defence on, a blocked
 * attack must also leave every monitor invariant holding, or the run is an error.
 */
enum attack_result host_run(const struct attack *a, unsigned off, struct attack_run *run);

#endif
