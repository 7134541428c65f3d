/*
 * The monitor's cryptography: SHA-512 and SHA-384 (FIPS 180-4), HMAC over both
 * (RFC 2104), and Ed25519 key generation and signing (RFC 8032). It lives in the
 * project because the firmware is freestanding and no freestanding package provides
 * it; tests/crypto checks it against libsodium and OpenSSL.
 *
 * Everything that handles a secret (HMAC keys, Ed25519 seeds and scalars) runs in
 * time and with memory accesses that do not depend on the secret's value.
 */
#ifndef MONITOR_CRYPTO_H
#define MONITOR_CRYPTO_H

#include "types.h"

#define SHA512_DIGEST_SIZE 64
#define SHA384_DIGEST_SIZE 48
#define SHA512_BLOCK_SIZE 128

struct sha512_ctx {
	uint64_t h[8];
	uint64_t total; /* bytes hashed so far */
	uint8_t buf[SHA512_BLOCK_SIZE];
	unsigned fill;
	unsigned out_len; /* 64 for SHA-512, 48 for SHA-384 */
};

void sha512_init(struct sha512_ctx *ctx);
void sha384_init(struct sha512_ctx *ctx);
void sha512_update(struct sha512_ctx *ctx, const void *data, size_t len);
/* Writes ctx->out_len bytes and wipes the context. */
void sha512_final(struct sha512_ctx *ctx, uint8_t *out);
void sha512(const void *data, size_t len, uint8_t out[SHA512_DIGEST_SIZE]);
void sha384(const void *data, size_t len, uint8_t out[SHA384_DIGEST_SIZE]);

struct hmac_ctx {
	struct sha512_ctx inner, outer;
};

/* HMAC-SHA-512 (out_len 64) or HMAC-SHA-384 (out_len 48), keyed with any length. */
void hmac_sha512_init(struct hmac_ctx *ctx, const void *key, size_t key_len);
void hmac_sha384_init(struct hmac_ctx *ctx, const void *key, size_t key_len);
void hmac_update(struct hmac_ctx *ctx, const void *data, size_t len);
void hmac_final(struct hmac_ctx *ctx, uint8_t *out);
void hmac_sha512(const void *key, size_t key_len, const void *msg, size_t msg_len,
		 uint8_t out[SHA512_DIGEST_SIZE]);

#define ED25519_SEED_SIZE 32
#define ED25519_PUBLIC_KEY_SIZE 32
#define ED25519_SIGNATURE_SIZE 64

/* The public key of the key pair whose RFC 8032 private key (seed) is `seed`. */
void ed25519_public_key(uint8_t pk[ED25519_PUBLIC_KEY_SIZE], const uint8_t seed[ED25519_SEED_SIZE]);
/* Deterministic RFC 8032 signature; pk must be ed25519_public_key(seed). */
void ed25519_sign(uint8_t sig[ED25519_SIGNATURE_SIZE], const void *msg, size_t len,
		  const uint8_t seed[ED25519_SEED_SIZE], const uint8_t pk[ED25519_PUBLIC_KEY_SIZE]);

/* Clears memory in a way the compiler may not drop as a dead store. */
void crypto_wipe(void *p, size_t len);
/* Equality in time that depends on len only. */
bool crypto_equal(const void *a, const void *b, size_t len);

#endif
