/*
 * HMAC (RFC 2104) over SHA-512 and SHA-384, which share a 128-byte block. The key is
 * secret; its length is not, so branching on it is fine.
 */
#include <string.h>

#include "crypto.h"

static void hmac_init(struct hmac_ctx *ctx, const void *key, size_t key_len,
		      void (*init)(struct sha512_ctx *))
{
	uint8_t block[SHA512_BLOCK_SIZE] = { 0 };
	if (key_len > SHA512_BLOCK_SIZE) {
		struct sha512_ctx kh;
		init(&kh);
		sha512_update(&kh, key, key_len);
		sha512_final(&kh, block);
	} else if (key_len) {
		memcpy(block, key, key_len);
	}
	for (unsigned i = 0; i < SHA512_BLOCK_SIZE; i++)
		block[i] ^= 0x36;
	init(&ctx->inner);
	sha512_update(&ctx->inner, block, sizeof(block));
	for (unsigned i = 0; i < SHA512_BLOCK_SIZE; i++)
		block[i] ^= 0x36 ^ 0x5c;
	init(&ctx->outer);
	sha512_update(&ctx->outer, block, sizeof(block));
	crypto_wipe(block, sizeof(block));
}

void hmac_sha512_init(struct hmac_ctx *ctx, const void *key, size_t key_len)
{
	hmac_init(ctx, key, key_len, sha512_init);
}

void hmac_sha384_init(struct hmac_ctx *ctx, const void *key, size_t key_len)
{
	hmac_init(ctx, key, key_len, sha384_init);
}

void hmac_update(struct hmac_ctx *ctx, const void *data, size_t len)
{
	sha512_update(&ctx->inner, data, len);
}

void hmac_final(struct hmac_ctx *ctx, uint8_t *out)
{
	uint8_t inner[SHA512_DIGEST_SIZE];
	unsigned n = ctx->inner.out_len;
	sha512_final(&ctx->inner, inner);
	sha512_update(&ctx->outer, inner, n);
	sha512_final(&ctx->outer, out);
	crypto_wipe(inner, sizeof(inner));
}

void hmac_sha512(const void *key, size_t key_len, const void *msg, size_t msg_len,
		 uint8_t out[SHA512_DIGEST_SIZE])
{
	struct hmac_ctx ctx;
	hmac_sha512_init(&ctx, key, key_len);
	hmac_update(&ctx, msg, msg_len);
	hmac_final(&ctx, out);
}
