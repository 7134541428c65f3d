/*
 * Scalars modulo the Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493.
 * Reduction is shift-and-subtract, one bit at a time with a masked subtraction: slow
 * next to the usual limb tricks, but obviously correct and free of secret branches,
 * and signing needs only two reductions.
 */
#include "curve25519.h"
#include "crypto.h"

static const uint64_t order[4] = { 0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0, 0x1000000000000000ULL };

/* r = r >= L ? r - L : r, for r < 2L */
static void cond_sub_order(uint64_t r[4])
{
	uint64_t t[4], borrow = 0;
	for (unsigned i = 0; i < 4; i++) {
		u128 d = (u128)r[i] - order[i] - borrow;
		t[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	uint64_t keep_t = borrow - 1; /* all ones when there was no borrow: r >= L */
	for (unsigned i = 0; i < 4; i++)
		r[i] = (t[i] & keep_t) | (r[i] & ~keep_t);
}

/* out = n mod L for the little-endian number n of `words` 64-bit words */
static void reduce_words(uint8_t out[32], const uint64_t *n, unsigned words)
{
	uint64_t r[4] = { 0 };
	for (int bit = (int)(64 * words) - 1; bit >= 0; bit--) {
		/* r < L < 2^253, so doubling it stays within four words */
		r[3] = (r[3] << 1) | (r[2] >> 63);
		r[2] = (r[2] << 1) | (r[1] >> 63);
		r[1] = (r[1] << 1) | (r[0] >> 63);
		r[0] = (r[0] << 1) | ((n[bit / 64] >> (bit % 64)) & 1);
		cond_sub_order(r);
	}
	for (unsigned i = 0; i < 32; i++)
		out[i] = (uint8_t)(r[i / 8] >> (8 * (i % 8)));
	crypto_wipe(r, sizeof(r));
}

static void load_words(uint64_t *w, const uint8_t *s, unsigned words)
{
	for (unsigned i = 0; i < words; i++) {
		w[i] = 0;
		for (unsigned b = 0; b < 8; b++)
			w[i] |= (uint64_t)s[8 * i + b] << (8 * b);
	}
}

void sc_reduce64(uint8_t out[32], const uint8_t in[64])
{
	uint64_t n[8];
	load_words(n, in, 8);
	reduce_words(out, n, 8);
	crypto_wipe(n, sizeof(n));
}

void sc_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32])
{
	uint64_t x[4], y[4], z[4], prod[9] = { 0 };
	load_words(x, a, 4);
	load_words(y, b, 4);
	load_words(z, c, 4);
	for (unsigned i = 0; i < 4; i++) {
		u128 carry = 0;
		for (unsigned j = 0; j < 4; j++) {
			u128 t = (u128)x[i] * y[j] + prod[i + j] + carry;
			prod[i + j] = (uint64_t)t;
			carry = t >> 64;
		}
		prod[i + 4] = (uint64_t)carry;
	}
	u128 carry = 0;
	for (unsigned i = 0; i < 9; i++) {
		u128 t = (u128)prod[i] + (i < 4 ? z[i] : 0) + carry;
		prod[i] = (uint64_t)t;
		carry = t >> 64;
	}
	reduce_words(out, prod, 9);
	crypto_wipe(x, sizeof(x));
	crypto_wipe(y, sizeof(y));
	crypto_wipe(prod, sizeof(prod));
}
