/*
 * The monitor's own secrets, as the harness knows them: the model's endorsement seed
 * and what the monitor derives from it at boot (platform key seed, CDI, attestation
 * key seed), recomputed here from docs/abi.md's derivation, not read out of the
 * monitor. None of them may ever appear where the hypervisor reads.
 */
#ifndef HARNESS_SECRETS_H
#define HARNESS_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* After the model booted (the monitor measured itself). */
void secrets_init(void);
/* The name of a secret whose first 8 bytes appear anywhere in buf, or NULL. */
const char *secrets_in_bytes(const uint8_t *buf, size_t len);
/*
 * The name of a secret found in the aligned words w[0, n), or NULL: any aligned word
 * equal to one of a secret's 8-byte windows (at each byte offset), so every copy of 15 or
 * more of its bytes is found wherever it lies. One table lookup per word: it runs on
 * every page the hypervisor can read that changed in a step.
 */
const char *secrets_in_words(const uint64_t *w, size_t n);
/* The name of a secret one of whose 8-byte words v is, or NULL. */
const char *secrets_in_word(uint64_t v);

#endif
