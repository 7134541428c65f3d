/*
 * GF(2^255 - 19) in radix 2^51. Every operation leaves limbs below 2^52, which keeps
 * the 128-bit products of fe_mul far from overflow; fe_to_bytes does the one exact
 * reduction, through a 256-bit integer, so its correctness does not rest on limb bounds.
 */
#include "curve25519.h"

#define MASK51 ((1ULL << 51) - 1)

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void carry(struct fe *h)
{
	uint64_t c;
	for (unsigned i = 0; i < 4; i++) {
		c = h->v[i] >> 51;
		h->v[i] &= MASK51;
		h->v[i + 1] += c;
	}
	c = h->v[4] >> 51;
	h->v[4] &= MASK51;
	h->v[0] += 19 * c;
	c = h->v[0] >> 51;
	h->v[0] &= MASK51;
	h->v[1] += c;
}

void fe_from_bytes(struct fe *h, const uint8_t s[32])
{
	uint64_t w0 = load_le64(s), w1 = load_le64(s + 8), w2 = load_le64(s + 16), w3 = load_le64(s + 24);
	h->v[0] = w0 & MASK51;
	h->v[1] = ((w0 >> 51) | (w1 << 13)) & MASK51;
	h->v[2] = ((w1 >> 38) | (w2 << 26)) & MASK51;
	h->v[3] = ((w2 >> 25) | (w3 << 39)) & MASK51;
	h->v[4] = (w3 >> 12) & MASK51;
}

/* w (256 bits) += 19 * k */
static void add_19k(uint64_t w[4], uint64_t k)
{
	u128 acc = (u128)w[0] + (u128)19 * k;
	for (unsigned i = 0; i < 4; i++) {
		w[i] = (uint64_t)acc;
		acc = (acc >> 64) + (i < 3 ? w[i + 1] : 0);
	}
}

void fe_to_bytes(uint8_t s[32], const struct fe *f)
{
	struct fe h = *f;
	carry(&h);
	carry(&h);
	/* the integer value, exactly, as four words and what lies above bit 255 */
	uint64_t w[4];
	u128 acc = (u128)h.v[0] + ((u128)h.v[1] << 51);
	w[0] = (uint64_t)acc;
	acc = (acc >> 64) + ((u128)h.v[2] << 38);
	w[1] = (uint64_t)acc;
	acc = (acc >> 64) + ((u128)h.v[3] << 25);
	w[2] = (uint64_t)acc;
	acc = (acc >> 64) + ((u128)h.v[4] << 12);
	w[3] = (uint64_t)acc;
	uint64_t top = (uint64_t)(acc >> 64);
	/* 2^255 = 19 (mod p): fold bit 255 and above back in, twice to absorb the carry */
	for (unsigned round = 0; round < 2; round++) {
		uint64_t high = (w[3] >> 63) | (top << 1);
		top = 0;
		w[3] &= ~(1ULL << 63);
		add_19k(w, high);
	}
	/* now w < 2^255; subtract p if w >= p, that is if w + 19 reaches 2^255 */
	uint64_t t[4] = { w[0], w[1], w[2], w[3] };
	add_19k(t, 1);
	uint64_t ge = 0 - (t[3] >> 63);
	t[3] &= ~(1ULL << 63);
	for (unsigned i = 0; i < 4; i++) {
		uint64_t v = (t[i] & ge) | (w[i] & ~ge);
		for (unsigned b = 0; b < 8; b++)
			s[8 * i + b] = (uint8_t)(v >> (8 * b));
	}
}

void fe_set_small(struct fe *h, uint64_t n)
{
	h->v[0] = n;
	h->v[1] = h->v[2] = h->v[3] = h->v[4] = 0;
}

void fe_add(struct fe *h, const struct fe *f, const struct fe *g)
{
	for (unsigned i = 0; i < 5; i++)
		h->v[i] = f->v[i] + g->v[i];
	carry(h);
}

/* f + 4p - g: 4p in this radix keeps every limb positive for g below 2^53 */
void fe_sub(struct fe *h, const struct fe *f, const struct fe *g)
{
	static const uint64_t four_p[5] = { 4 * (MASK51 - 18), 4 * MASK51, 4 * MASK51, 4 * MASK51,
					    4 * MASK51 };
	for (unsigned i = 0; i < 5; i++)
		h->v[i] = f->v[i] + four_p[i] - g->v[i];
	carry(h);
}

void fe_mul(struct fe *h, const struct fe *f, const struct fe *g)
{
	const uint64_t *a = f->v, *b = g->v;
	uint64_t b19[5];
	for (unsigned i = 0; i < 5; i++)
		b19[i] = 19 * b[i];
	u128 r[5];
	r[0] = (u128)a[0] * b[0] + (u128)a[1] * b19[4] + (u128)a[2] * b19[3] + (u128)a[3] * b19[2] +
	       (u128)a[4] * b19[1];
	r[1] = (u128)a[0] * b[1] + (u128)a[1] * b[0] + (u128)a[2] * b19[4] + (u128)a[3] * b19[3] +
	       (u128)a[4] * b19[2];
	r[2] = (u128)a[0] * b[2] + (u128)a[1] * b[1] + (u128)a[2] * b[0] + (u128)a[3] * b19[4] +
	       (u128)a[4] * b19[3];
	r[3] = (u128)a[0] * b[3] + (u128)a[1] * b[2] + (u128)a[2] * b[1] + (u128)a[3] * b[0] +
	       (u128)a[4] * b19[4];
	r[4] = (u128)a[0] * b[4] + (u128)a[1] * b[3] + (u128)a[2] * b[2] + (u128)a[3] * b[1] +
	       (u128)a[4] * b[0];
	for (unsigned i = 0; i < 4; i++) {
		r[i + 1] += r[i] >> 51;
		h->v[i] = (uint64_t)r[i] & MASK51;
	}
	u128 top = r[4] >> 51;
	h->v[4] = (uint64_t)r[4] & MASK51;
	u128 c0 = (u128)h->v[0] + top * 19;
	h->v[0] = (uint64_t)c0 & MASK51;
	h->v[1] += (uint64_t)(c0 >> 51);
}

/* z^(p-2) by square-and-multiply over the public exponent 2^255 - 21 */
void fe_invert(struct fe *out, const struct fe *z)
{
	struct fe r;
	fe_set_small(&r, 1);
	for (int bit = 254; bit >= 0; bit--) {
		fe_mul(&r, &r, &r);
		/* 2^255 - 21 has every bit of 0..254 set except bits 2 and 4 */
		if (bit != 2 && bit != 4)
			fe_mul(&r, &r, z);
	}
	*out = r;
}

void fe_select(struct fe *h, const struct fe *f, uint64_t mask)
{
	for (unsigned i = 0; i < 5; i++)
		h->v[i] = (f->v[i] & mask) | (h->v[i] & ~mask);
}
