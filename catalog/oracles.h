/*
 * The oracles of oracles.def as C: enum oracle and each one's name, for hosted and
 * freestanding code alike (the QEMU replay payload includes this too).
 */
#ifndef CATALOG_ORACLES_H
#define CATALOG_ORACLES_H

enum oracle {
#define ORACLE(sym, name, what) ORACLE_##sym,
#include "oracles.def"
	ORACLE_COUNT, /* the fuzz executor's oracles: one bit each in harness_oracles_enabled */
	ORACLE_BEFORE_BACKEND = ORACLE_COUNT - 1,
#define BACKEND_ORACLE(sym, name, what) ORACLE_##sym,
#include "oracles.def"
	ORACLE_ALL, /* every name a finding can carry */
};

/* The name findings are reported under ("==ORACLE== <name> at step ..."). */
static inline const char *oracle_name(enum oracle o)
{
	static const char *const names[ORACLE_ALL] = {
#define ORACLE(sym, name, what) name,
#include "oracles.def"
#define BACKEND_ORACLE(sym, name, what) name,
#include "oracles.def"
	};
	return (unsigned)o < ORACLE_ALL ? names[o] : "unknown-oracle";
}

#endif
