/*
 * Ed25519 key generation and signing (RFC 8032, section 5.1) on the twisted Edwards
 * curve -x^2 + y^2 = 1 + d x^2 y^2 in extended coordinates. One complete addition
 * formula serves for doubling too, and scalar multiplication runs all 256 steps with
 * a masked select, so the secret scalar changes neither the branches nor the memory
 * touched. Verification is the verifier's business (attest-verify uses libsodium).
 */
#include <string.h>

#include "crypto.h"
#include "curve25519.h"

struct point {
	struct fe x, y, z, t;
};

/* 2d, and the base point's affine coordinates, little-endian */
static const uint8_t d2_bytes[32] = {
	0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83, 0x82, 0x9a, 0x14, 0xe0, 0x00,
	0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80, 0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24,
};
static const uint8_t base_x[32] = {
	0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
	0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21,
};
static const uint8_t base_y[32] = {
	0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
};

/* r = p + q (add-2008-hwcd-3, complete for a = -1 since d is not a square) */
static void point_add(struct point *r, const struct point *p, const struct point *q, const struct fe *d2)
{
	struct fe a, b, c, d, e, f, g, h, t;
	fe_sub(&a, &p->y, &p->x);
	fe_sub(&t, &q->y, &q->x);
	fe_mul(&a, &a, &t);
	fe_add(&b, &p->y, &p->x);
	fe_add(&t, &q->y, &q->x);
	fe_mul(&b, &b, &t);
	fe_mul(&c, &p->t, &q->t);
	fe_mul(&c, &c, d2);
	fe_mul(&d, &p->z, &q->z);
	fe_add(&d, &d, &d);
	fe_sub(&e, &b, &a);
	fe_sub(&f, &d, &c);
	fe_add(&g, &d, &c);
	fe_add(&h, &b, &a);
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	fe_mul(&r->t, &e, &h);
	fe_mul(&r->z, &f, &g);
}

static void point_select(struct point *r, const struct point *p, uint64_t mask)
{
	fe_select(&r->x, &p->x, mask);
	fe_select(&r->y, &p->y, mask);
	fe_select(&r->z, &p->z, mask);
	fe_select(&r->t, &p->t, mask);
}

/* The encoded point [k]B for a 256-bit little-endian k. */
static void scalarmult_base_encoded(uint8_t out[32], const uint8_t k[32])
{
	struct fe d2;
	struct point base, r, sum;
	fe_from_bytes(&d2, d2_bytes);
	fe_from_bytes(&base.x, base_x);
	fe_from_bytes(&base.y, base_y);
	fe_set_small(&base.z, 1);
	fe_mul(&base.t, &base.x, &base.y);
	fe_set_small(&r.x, 0);
	fe_set_small(&r.y, 1);
	fe_set_small(&r.z, 1);
	fe_set_small(&r.t, 0);
	for (int bit = 255; bit >= 0; bit--) {
		point_add(&r, &r, &r, &d2);
		point_add(&sum, &r, &base, &d2);
		uint64_t mask = 0 - (uint64_t)((k[bit / 8] >> (bit % 8)) & 1);
		point_select(&r, &sum, mask);
	}
	struct fe zinv, x, y;
	uint8_t xb[32];
	fe_invert(&zinv, &r.z);
	fe_mul(&x, &r.x, &zinv);
	fe_mul(&y, &r.y, &zinv);
	fe_to_bytes(out, &y);
	fe_to_bytes(xb, &x);
	out[31] |= (uint8_t)((xb[0] & 1) << 7);
	crypto_wipe(&r, sizeof(r));
	crypto_wipe(&sum, sizeof(sum));
	crypto_wipe(&x, sizeof(x));
	crypto_wipe(&y, sizeof(y));
	crypto_wipe(xb, sizeof(xb));
}

/* SHA-512 of the seed: the clamped secret scalar in h[0..32], the nonce prefix after */
static void expand_seed(uint8_t h[64], const uint8_t seed[ED25519_SEED_SIZE])
{
	sha512(seed, ED25519_SEED_SIZE, h);
	h[0] &= 248;
	h[31] &= 127;
	h[31] |= 64;
}

void ed25519_public_key(uint8_t pk[ED25519_PUBLIC_KEY_SIZE], const uint8_t seed[ED25519_SEED_SIZE])
{
	uint8_t h[64];
	expand_seed(h, seed);
	scalarmult_base_encoded(pk, h);
	crypto_wipe(h, sizeof(h));
}

void ed25519_sign(uint8_t sig[ED25519_SIGNATURE_SIZE], const void *msg, size_t len,
		  const uint8_t seed[ED25519_SEED_SIZE], const uint8_t pk[ED25519_PUBLIC_KEY_SIZE])
{
	uint8_t h[64], digest[64], nonce[32], k[32];
	struct sha512_ctx ctx;
	expand_seed(h, seed);

	sha512_init(&ctx);
	sha512_update(&ctx, h + 32, 32);
	sha512_update(&ctx, msg, len);
	sha512_final(&ctx, digest);
	sc_reduce64(nonce, digest);
	scalarmult_base_encoded(sig, nonce);

	sha512_init(&ctx);
	sha512_update(&ctx, sig, 32);
	sha512_update(&ctx, pk, ED25519_PUBLIC_KEY_SIZE);
	sha512_update(&ctx, msg, len);
	sha512_final(&ctx, digest);
	sc_reduce64(k, digest);
	sc_muladd(sig + 32, k, h, nonce);

	crypto_wipe(h, sizeof(h));
	crypto_wipe(digest, sizeof(digest));
	crypto_wipe(nonce, sizeof(nonce));
}
