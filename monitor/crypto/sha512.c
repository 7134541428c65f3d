/*
 * SHA-512 and SHA-384 (FIPS 180-4, section 6.4 and 6.5). SHA-384 is SHA-512 with its
 * own initial value, truncated to 48 bytes. The round constants and initial values are
 * the fractional parts of the cube and square roots of the first primes; they were
 * generated, not typed.
 */
#include <string.h>

#include "crypto.h"

static const uint64_t round_k[80] = {
	0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL,
	0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
	0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL,
	0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL,
	0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
	0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL, 0x2de92c6f592b0275ULL,
	0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL,
	0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
	0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL,
	0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
	0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL,
	0x92722c851482353bULL, 0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
	0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL,
	0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL,
	0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
	0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL,
	0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL,
	0xc67178f2e372532bULL, 0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
	0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL,
	0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
	0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL,
	0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
	0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

static const uint64_t iv_sha512[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
	0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const uint64_t iv_sha384[8] = {
	0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL,
	0x152fecd8f70e5939ULL, 0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL,
	0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL,
};

static uint64_t rotr(uint64_t x, unsigned n)
{
	return (x >> n) | (x << (64 - n));
}

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "sha512.c assumes a little-endian machine (riscv64 and the x86-64 host)"
#endif
static uint64_t be64_to_cpu(uint64_t x)
{
	return __builtin_bswap64(x);
}

static void store_be64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

#define BSIG0(x) (rotr(x, 28) ^ rotr(x, 34) ^ rotr(x, 39))
#define BSIG1(x) (rotr(x, 14) ^ rotr(x, 18) ^ rotr(x, 41))
#define SSIG0(x) (rotr(x, 1) ^ rotr(x, 8) ^ ((x) >> 7))
#define SSIG1(x) (rotr(x, 19) ^ rotr(x, 61) ^ ((x) >> 6))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))

/* Round t of FIPS 180-4 6.4.2 step 3 on the working variables named in their role for
 * that round: the rotation of a..h is done by renaming, not by moving values. */
#define ROUND(a, b, c, d, e, f, g, h, i)                                            \
	do {                                                                           \
		uint64_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + round_k[r + (i)] + w[i];               \
		(d) += t1_;                                                            \
		(h) = t1_ + BSIG0(a) + MAJ(a, b, c);                                   \
	} while (0)

/* The schedule for rounds 16..79 (6.4.2 step 1) as a rolling window of 16 words. */
#define EXPAND(i) (w[i] += SSIG0(w[((i) + 1) & 15]) + w[((i) + 9) & 15] + SSIG1(w[((i) + 14) & 15]))

#define EIGHT_ROUNDS(i)                                \
	do {                                           \
		ROUND(a, b, c, d, e, f, g, h, (i) + 0); \
		ROUND(h, a, b, c, d, e, f, g, (i) + 1); \
		ROUND(g, h, a, b, c, d, e, f, (i) + 2); \
		ROUND(f, g, h, a, b, c, d, e, (i) + 3); \
		ROUND(e, f, g, h, a, b, c, d, (i) + 4); \
		ROUND(d, e, f, g, h, a, b, c, (i) + 5); \
		ROUND(c, d, e, f, g, h, a, b, (i) + 6); \
		ROUND(b, c, d, e, f, g, h, a, (i) + 7); \
	} while (0)

/*
 * Sixteen rounds at a time, every schedule index a constant: the window lives in
 * registers or at fixed stack slots, which also keeps the sanitizer builds fast (no
 * access needs a bounds check). Same values as the textbook loop, which the
 * differential tests compare against OpenSSL.
 */
static void compress(uint64_t state[8], const uint8_t block[SHA512_BLOCK_SIZE])
{
	uint64_t w[16];
	memcpy(w, block, sizeof(w)); /* one copy, then byte order: no per-byte bounds checks */
	for (unsigned t = 0; t < 16; t++)
		w[t] = be64_to_cpu(w[t]);
	uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
	for (unsigned r = 0;; r += 16) {
		EIGHT_ROUNDS(0);
		EIGHT_ROUNDS(8);
		if (r == 64)
			break;
		EXPAND(0); EXPAND(1); EXPAND(2); EXPAND(3); EXPAND(4); EXPAND(5); EXPAND(6); EXPAND(7);
		EXPAND(8); EXPAND(9); EXPAND(10); EXPAND(11); EXPAND(12); EXPAND(13); EXPAND(14);
		EXPAND(15);
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
	crypto_wipe(w, sizeof(w)); /* the schedule holds message words, which may be keys */
}

static void init_with(struct sha512_ctx *ctx, const uint64_t iv[8], unsigned out_len)
{
	memcpy(ctx->h, iv, sizeof(ctx->h));
	ctx->total = 0;
	ctx->fill = 0;
	ctx->out_len = out_len;
}

void sha512_init(struct sha512_ctx *ctx)
{
	init_with(ctx, iv_sha512, SHA512_DIGEST_SIZE);
}

void sha384_init(struct sha512_ctx *ctx)
{
	init_with(ctx, iv_sha384, SHA384_DIGEST_SIZE);
}

void sha512_update(struct sha512_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	ctx->total += len;
	while (len) {
		if (ctx->fill == 0 && len >= SHA512_BLOCK_SIZE) { /* whole blocks need no copy */
			compress(ctx->h, p);
			p += SHA512_BLOCK_SIZE;
			len -= SHA512_BLOCK_SIZE;
			continue;
		}
		size_t n = SHA512_BLOCK_SIZE - ctx->fill;
		if (n > len)
			n = len;
		memcpy(ctx->buf + ctx->fill, p, n);
		ctx->fill += (unsigned)n;
		p += n;
		len -= n;
		if (ctx->fill == SHA512_BLOCK_SIZE) {
			compress(ctx->h, ctx->buf);
			ctx->fill = 0;
		}
	}
}

void sha512_final(struct sha512_ctx *ctx, uint8_t *out)
{
	/* the length field is 128 bits of bit count; byte counts stay below 2^64 */
	uint64_t bits_hi = ctx->total >> 61, bits_lo = ctx->total << 3;
	ctx->buf[ctx->fill++] = 0x80;
	if (ctx->fill > SHA512_BLOCK_SIZE - 16) {
		memset(ctx->buf + ctx->fill, 0, SHA512_BLOCK_SIZE - ctx->fill);
		compress(ctx->h, ctx->buf);
		ctx->fill = 0;
	}
	memset(ctx->buf + ctx->fill, 0, SHA512_BLOCK_SIZE - 16 - ctx->fill);
	store_be64(ctx->buf + SHA512_BLOCK_SIZE - 16, bits_hi);
	store_be64(ctx->buf + SHA512_BLOCK_SIZE - 8, bits_lo);
	compress(ctx->h, ctx->buf);
	uint8_t full[SHA512_DIGEST_SIZE];
	for (unsigned i = 0; i < 8; i++)
		store_be64(full + (size_t)8 * i, ctx->h[i]);
	memcpy(out, full, ctx->out_len);
	crypto_wipe(full, sizeof(full));
	crypto_wipe(ctx, sizeof(*ctx));
}

void sha512(const void *data, size_t len, uint8_t out[SHA512_DIGEST_SIZE])
{
	struct sha512_ctx ctx;
	sha512_init(&ctx);
	sha512_update(&ctx, data, len);
	sha512_final(&ctx, out);
}

void sha384(const void *data, size_t len, uint8_t out[SHA384_DIGEST_SIZE])
{
	struct sha512_ctx ctx;
	sha384_init(&ctx);
	sha512_update(&ctx, data, len);
	sha512_final(&ctx, out);
}
