/*
 * The monitor's crypto against published vectors (FIPS 180-4 examples, RFC 4231,
 * RFC 8032) and against libsodium and OpenSSL on random inputs of every length around
 * the block boundaries. Built with ASan and UBSan.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"

static int failures;

#define CHECK(cond, ...)                                                         \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);     \
			fprintf(stderr, __VA_ARGS__);                            \
			fputc('\n', stderr);                                     \
			failures++;                                              \
		}                                                                \
	} while (0)

static void unhex(uint8_t *out, const char *hex)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static bool equals_hex(const uint8_t *got, const char *hex)
{
	uint8_t want[128];
	size_t n = strlen(hex) / 2;
	unhex(want, hex);
	return memcmp(got, want, n) == 0;
}

static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void sha_kats(void)
{
	static const struct { const char *msg; const char *sha512, *sha384; } v[] = {
		{ "abc",
		  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7" },
		{ "",
		  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
		  "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b" },
		{ m448,
		  "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445",
		  "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b" },
		{ m896,
		  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
		  "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039" },
	};
	uint8_t out[64];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha512(v[i].msg, strlen(v[i].msg), out);
		CHECK(equals_hex(out, v[i].sha512), "SHA-512 KAT %zu", i);
		sha384(v[i].msg, strlen(v[i].msg), out);
		CHECK(equals_hex(out, v[i].sha384), "SHA-384 KAT %zu", i);
	}
	/* one million 'a', fed in uneven pieces */
	struct sha512_ctx c512, c384;
	sha512_init(&c512);
	sha384_init(&c384);
	char a[997];
	memset(a, 'a', sizeof(a));
	for (size_t left = 1000000; left;) {
		size_t n = left < sizeof(a) ? left : sizeof(a);
		sha512_update(&c512, a, n);
		sha512_update(&c384, a, n);
		left -= n;
	}
	sha512_final(&c512, out);
	CHECK(equals_hex(out, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"),
	      "SHA-512 million a");
	sha512_final(&c384, out);
	CHECK(equals_hex(out, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"),
	      "SHA-384 million a");
}

static void hmac_kats(void)
{
	static const char big_key_msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	static const char big_both_msg[] =
		"This is a test using a larger than block-size key and a larger than block-size data. "
		"The key needs to be hashed before being used by the HMAC algorithm.";
	uint8_t k0b[20], kaa20[20], kaa131[131], dd[50];
	memset(k0b, 0x0b, sizeof(k0b));
	memset(kaa20, 0xaa, sizeof(kaa20));
	memset(kaa131, 0xaa, sizeof(kaa131));
	memset(dd, 0xdd, sizeof(dd));
	static const char *const want384[] = {
		"afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
		"af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
		"88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
		"4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
		"6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
	};
	static const char *const want512[] = {
		"87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
		"164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
		"fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
		"80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
		"e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
	};
	const struct { const void *key; size_t klen; const void *msg; size_t mlen; } tc[] = {
		{ k0b, 20, "Hi There", 8 },
		{ "Jefe", 4, "what do ya want for nothing?", 28 },
		{ kaa20, 20, dd, 50 },
		{ kaa131, 131, big_key_msg, sizeof(big_key_msg) - 1 },
		{ kaa131, 131, big_both_msg, sizeof(big_both_msg) - 1 },
	};
	uint8_t out[64];
	for (unsigned i = 0; i < 5; i++) {
		hmac_sha512(tc[i].key, tc[i].klen, tc[i].msg, tc[i].mlen, out);
		CHECK(equals_hex(out, want512[i]), "HMAC-SHA-512 RFC 4231 case %u", i);
		struct hmac_ctx h;
		hmac_sha384_init(&h, tc[i].key, tc[i].klen);
		hmac_update(&h, tc[i].msg, tc[i].mlen);
		hmac_final(&h, out);
		CHECK(equals_hex(out, want384[i]), "HMAC-SHA-384 RFC 4231 case %u", i);
	}
}

static void ed25519_kats(void)
{
	static const struct { const char *seed, *pk, *msg, *sig; } v[] = {
		{ "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
		  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
		{ "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
		  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
		{ "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
		  "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
		  "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
	};
	for (unsigned i = 0; i < 3; i++) {
		uint8_t seed[32], pk[32], msg[8], sig[64];
		unhex(seed, v[i].seed);
		unhex(msg, v[i].msg);
		ed25519_public_key(pk, seed);
		CHECK(equals_hex(pk, v[i].pk), "Ed25519 RFC 8032 public key %u", i + 1);
		ed25519_sign(sig, msg, strlen(v[i].msg) / 2, seed, pk);
		CHECK(equals_hex(sig, v[i].sig), "Ed25519 RFC 8032 signature %u", i + 1);
	}
}

static void openssl_hmac384(const uint8_t *key, size_t klen, const uint8_t *m, size_t mlen, uint8_t out[48])
{
	unsigned n = 48;
	HMAC(EVP_sha384(), key, (int)klen, m, mlen, out, &n);
}

static void differential(unsigned rounds)
{
	uint8_t buf[1200], key[300], out[64], ref[64];
	for (unsigned r = 0; r < rounds; r++) {
		size_t len = r < 300 ? r : randombytes_uniform(sizeof(buf));
		size_t klen = randombytes_uniform(sizeof(key));
		randombytes_buf(buf, len);
		randombytes_buf(key, klen);

		sha512(buf, len, out);
		crypto_hash_sha512(ref, buf, len);
		CHECK(!memcmp(out, ref, 64), "SHA-512 vs libsodium, %zu bytes", len);

		unsigned n = 48;
		sha384(buf, len, out);
		EVP_Digest(buf, len, ref, &n, EVP_sha384(), NULL);
		CHECK(!memcmp(out, ref, 48), "SHA-384 vs OpenSSL, %zu bytes", len);

		crypto_auth_hmacsha512_state st;
		hmac_sha512(key, klen, buf, len, out);
		crypto_auth_hmacsha512_init(&st, key, klen);
		crypto_auth_hmacsha512_update(&st, buf, len);
		crypto_auth_hmacsha512_final(&st, ref);
		CHECK(!memcmp(out, ref, 64), "HMAC-SHA-512 vs libsodium, key %zu, msg %zu", klen, len);

		struct hmac_ctx h;
		hmac_sha384_init(&h, key, klen);
		hmac_update(&h, buf, len / 3);
		hmac_update(&h, buf + len / 3, len - len / 3);
		hmac_final(&h, out);
		openssl_hmac384(key, klen, buf, len, ref);
		CHECK(!memcmp(out, ref, 48), "HMAC-SHA-384 vs OpenSSL, key %zu, msg %zu", klen, len);

		uint8_t seed[32], pk[32], sig[64], rpk[32], rsk[64], rsig[64];
		randombytes_buf(seed, sizeof(seed));
		ed25519_public_key(pk, seed);
		crypto_sign_ed25519_seed_keypair(rpk, rsk, seed);
		CHECK(!memcmp(pk, rpk, 32), "Ed25519 public key vs libsodium");
		ed25519_sign(sig, buf, len, seed, pk);
		crypto_sign_ed25519_detached(rsig, NULL, buf, len, rsk);
		CHECK(!memcmp(sig, rsig, 64), "Ed25519 signature vs libsodium, %zu bytes", len);
		CHECK(crypto_sign_ed25519_verify_detached(sig, buf, len, pk) == 0,
		      "libsodium rejects our signature");
	}
}

/* The checks above must be able to fail: a flipped bit is noticed. */
static void self_check(void)
{
	uint8_t seed[32] = { 1 }, pk[32], sig[64], msg[3] = "abc";
	ed25519_public_key(pk, seed);
	ed25519_sign(sig, msg, sizeof(msg), seed, pk);
	sig[40] ^= 1;
	CHECK(crypto_sign_ed25519_verify_detached(sig, msg, sizeof(msg), pk) != 0,
	      "libsodium accepted a corrupted signature");
	uint8_t out[64];
	sha512("abd", 3, out);
	CHECK(!equals_hex(out, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"),
	      "a different message gave the KAT digest");
	CHECK(crypto_equal("abc", "abc", 3) && !crypto_equal("abc", "abd", 3), "crypto_equal");
}

static double sign_ms(void)
{
	uint8_t seed[32] = { 7 }, pk[32], sig[64], msg[256] = { 0 };
	ed25519_public_key(pk, seed);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 50; i++)
		ed25519_sign(sig, msg, sizeof(msg), seed, pk);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6) / 50;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 2;
	unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000;
	sha_kats();
	hmac_kats();
	ed25519_kats();
	self_check();
	differential(rounds);
	double ms = sign_ms();
	CHECK(ms < 10.0, "Ed25519 signing takes %.2f ms", ms);
	printf("crypto-test: KATs, %u differential rounds, Ed25519 sign %.3f ms: %s\n", rounds, ms,
	       failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
