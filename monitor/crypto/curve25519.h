/*
 * Arithmetic behind Ed25519, private to monitor/crypto: the field GF(2^255 - 19) in
 * five 51-bit limbs, and scalars modulo the group order L. Nothing here branches on
 * or indexes memory by a value; loops run a fixed number of times.
 */
#ifndef MONITOR_CRYPTO_CURVE25519_H
#define MONITOR_CRYPTO_CURVE25519_H

#include "types.h"

__extension__ typedef unsigned __int128 u128;

struct fe {
	uint64_t v[5];
};

void fe_from_bytes(struct fe *h, const uint8_t s[32]); /* bit 255 ignored */
void fe_to_bytes(uint8_t s[32], const struct fe *h);  /* fully reduced */
void fe_set_small(struct fe *h, uint64_t n);
void fe_add(struct fe *h, const struct fe *f, const struct fe *g);
void fe_sub(struct fe *h, const struct fe *f, const struct fe *g);
void fe_mul(struct fe *h, const struct fe *f, const struct fe *g);
void fe_invert(struct fe *out, const struct fe *z);
/* h = mask ? f : h, with mask all ones or all zeros */
void fe_select(struct fe *h, const struct fe *f, uint64_t mask);

/* out = in mod L, for a 64-byte little-endian in (a SHA-512 output). */
void sc_reduce64(uint8_t out[32], const uint8_t in[64]);
/* out = (a * b + c) mod L; a, b and c are 32-byte little-endian. */
void sc_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32]);

#endif
