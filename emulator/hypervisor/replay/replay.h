/* Replay mode of the demo hypervisor: plays a flat step list (replay_abi.h). */
#ifndef REPLAY_H
#define REPLAY_H

#include "replay_abi.h"

_Noreturn void replay_mode(unsigned long hartid, unsigned long ram_end);

#endif
