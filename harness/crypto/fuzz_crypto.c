/*
 * Differential libFuzzer target: the monitor's SHA-512/384, HMAC and Ed25519 against
 * libsodium and OpenSSL on the same input. Any difference aborts. The first byte picks
 * the primitive; for HMAC the next byte is the key length, for Ed25519 the next 32
 * bytes are the seed; the rest is the message.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void differ(const char *what, size_t len)
{
	fprintf(stderr, "fuzz-crypto: %s differs from the reference (%zu bytes)\n", what, len);
	abort();
}

/* Fed in two pieces, split where the input says, to cover the buffering paths too. */
static void check_hash(const uint8_t *m, size_t len, size_t split)
{
	uint8_t out[64], ref[64];
	struct sha512_ctx c;
	sha512_init(&c);
	sha512_update(&c, m, split);
	sha512_update(&c, m + split, len - split);
	sha512_final(&c, out);
	crypto_hash_sha512(ref, m, len);
	if (memcmp(out, ref, 64))
		differ("SHA-512", len);
	unsigned n = 48;
	sha384(m, len, out);
	EVP_Digest(m, len, ref, &n, EVP_sha384(), NULL);
	if (memcmp(out, ref, 48))
		differ("SHA-384", len);
}

static void check_hmac(const uint8_t *key, size_t klen, const uint8_t *m, size_t len)
{
	uint8_t out[64], ref[64];
	crypto_auth_hmacsha512_state st;
	hmac_sha512(key, klen, m, len, out);
	crypto_auth_hmacsha512_init(&st, key, klen);
	crypto_auth_hmacsha512_update(&st, m, len);
	crypto_auth_hmacsha512_final(&st, ref);
	if (memcmp(out, ref, 64))
		differ("HMAC-SHA-512", len);
	struct hmac_ctx h;
	unsigned n = 48;
	hmac_sha384_init(&h, key, klen);
	hmac_update(&h, m, len);
	hmac_final(&h, out);
	HMAC(EVP_sha384(), key, (int)klen, m, len, ref, &n);
	if (memcmp(out, ref, 48))
		differ("HMAC-SHA-384", len);
}

static void check_ed25519(const uint8_t seed[32], const uint8_t *m, size_t len)
{
	uint8_t pk[32], sig[64], rpk[32], rsk[64], rsig[64];
	ed25519_public_key(pk, seed);
	crypto_sign_ed25519_seed_keypair(rpk, rsk, seed);
	if (memcmp(pk, rpk, 32))
		differ("Ed25519 public key", len);
	ed25519_sign(sig, m, len, seed, pk);
	crypto_sign_ed25519_detached(rsig, NULL, m, len, rsk);
	if (memcmp(sig, rsig, 64) || crypto_sign_ed25519_verify_detached(sig, m, len, pk))
		differ("Ed25519 signature", len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		if (sodium_init() < 0)
			abort();
		ready = true;
	}
	if (size < 2)
		return 0;
	uint8_t op = data[0] % 3, arg = data[1];
	data += 2;
	size -= 2;
	switch (op) {
	case 0:
		check_hash(data, size, size ? arg % (size + 1) : 0);
		break;
	case 1: {
		size_t klen = arg < size ? arg : size;
		check_hmac(data, klen, data + klen, size - klen);
		break;
	}
	default:
		if (size >= 32)
			check_ed25519(data, data + 32, size - 32);
		break;
	}
	return 0;
}
