/*
 * attest-verify: the relying party's side of attestation (docs/abi.md, "Attestation").
 *
 *   attest-verify verify EVIDENCE --platform-key K --challenge C [--monitor-mr M]
 *                 [--mr N=V]... [--tvm-key T]
 *       exit 0: genuine and matching; 1: rejected (the reason on stderr); 2: usage.
 *       K, C, M, V, T are hex, or @FILE for raw bytes.
 *   attest-verify platform-key SEEDFILE        the platform public key of a seed
 *   attest-verify show EVIDENCE                every field, unchecked
 *   attest-verify mr-monitor FILE [LEN]        SHA-384 of the first LEN bytes (MR2)
 *   attest-verify mr-pages GPA:PERMS:FILE...   MR4 of a CVM built from these files
 *   attest-verify mr-config PC A0 A1 VSATP VSSTATUS VSTVEC VSSCRATCH VSIE NR_VCPUS   MR5
 *
 * Measurements are recomputed with OpenSSL, signatures checked with libsodium. mr-pages
 * takes each file as whole 4 KiB pages (the last one zero-filled) mapped at GPA.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

static void usage(void)
{
	fputs("usage: attest-verify verify EVIDENCE --platform-key K --challenge C [--monitor-mr M]\n"
	      "                     [--mr N=V]... [--tvm-key T]\n"
	      "       attest-verify platform-key SEEDFILE | show EVIDENCE | mr-monitor FILE [LEN]\n"
	      "       attest-verify mr-pages GPA:PERMS:FILE... | mr-config PC A0 A1 VSATP VSSTATUS\n"
	      "                     VSTVEC VSSCRATCH VSIE NR_VCPUS\n",
	      stderr);
	exit(2);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf)
		exit(2);
	*len = n;
	return buf;
}

/* hex or @file, exactly `want` bytes */
static uint8_t *parse_bytes(const char *arg, size_t want, const char *what)
{
	uint8_t *out = calloc(1, want ? want : 1);
	if (arg[0] == '@') {
		size_t n;
		uint8_t *raw = read_file(arg + 1, &n);
		if (n != want)
			goto bad;
		memcpy(out, raw, want);
		free(raw);
		return out;
	}
	if (strlen(arg) != 2 * want)
		goto bad;
	for (size_t i = 0; i < want; i++) {
		unsigned v;
		if (sscanf(arg + 2 * i, "%2x", &v) != 1)
			goto bad;
		out[i] = (uint8_t)v;
	}
	return out;
bad:
	fprintf(stderr, "attest-verify: %s must be %zu bytes (hex or @file)\n", what, want);
	exit(2);
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

static int cmd_verify(int argc, char **argv)
{
	if (argc < 1)
		usage();
	size_t len;
	uint8_t *ev = read_file(argv[0], &len);
	struct evidence_expect x = { 0 };
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		const char *opt = argv[i], *val = argv[++i];
		if (!strcmp(opt, "--platform-key")) {
			x.platform_key = parse_bytes(val, 32, opt);
		} else if (!strcmp(opt, "--challenge")) {
			x.challenge = parse_bytes(val, EVID_CHALLENGE_SIZE, opt);
		} else if (!strcmp(opt, "--monitor-mr")) {
			x.monitor_mr = parse_bytes(val, ATTEST_MR_SIZE, opt);
		} else if (!strcmp(opt, "--tvm-key")) {
			x.tvm_key = parse_bytes(val, EVID_TVM_KEY_MAX, opt);
		} else if (!strcmp(opt, "--mr")) {
			char *eq;
			unsigned long n = strtoul(val, &eq, 10);
			if (*eq != '=' || n >= ATTEST_MR_COUNT)
				usage();
			x.mr[n] = parse_bytes(eq + 1, ATTEST_MR_SIZE, opt);
		} else {
			usage();
		}
	}
	if (!x.platform_key || !x.challenge)
		usage();
	const char *why;
	if (!evidence_verify(ev, len, &x, &why)) {
		fprintf(stderr, "attest-verify: REJECTED: %s\n", why);
		return 1;
	}
	puts("attest-verify: OK");
	return 0;
}

static void sha384_of(const void *data, size_t len, uint8_t out[48])
{
	unsigned n = 48;
	if (!EVP_Digest(data, len, out, &n, EVP_sha384(), NULL))
		exit(2);
}

static int cmd_show(const char *path)
{
	size_t len;
	uint8_t *ev = read_file(path, &len);
	if (len != EVID_SIZE) {
		fprintf(stderr, "attest-verify: %zu bytes, not %d\n", len, EVID_SIZE);
		return 1;
	}
	printf("platform-key ");
	print_hex(ev + EVID_OFF_PLATFORM_KEY, 32);
	printf("monitor-mr   ");
	print_hex(ev + EVID_OFF_MONITOR_MR, ATTEST_MR_SIZE);
	printf("attest-key   ");
	print_hex(ev + EVID_OFF_ATTEST_KEY, 32);
	for (unsigned i = 0; i < ATTEST_MR_COUNT; i++) {
		printf("mr%-10u ", i);
		print_hex(ev + EVID_OFF_MRS + i * ATTEST_MR_SIZE, ATTEST_MR_SIZE);
	}
	printf("challenge    ");
	print_hex(ev + EVID_OFF_CHALLENGE, EVID_CHALLENGE_SIZE);
	printf("tvm-key      ");
	print_hex(ev + EVID_OFF_TVM_KEY, EVID_TVM_KEY_MAX);
	return 0;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

struct segment {
	uint64_t gpa, perms;
	uint8_t *data;
	size_t len;
};

static int by_gpa(const void *a, const void *b)
{
	const struct segment *x = a, *y = b;
	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

/* MR4 as promote computes it: pages in ascending GPA, each GPA || perms || 4 KiB */
static int cmd_mr_pages(int argc, char **argv)
{
	struct segment *seg = calloc((size_t)argc, sizeof(*seg));
	for (int i = 0; i < argc; i++) {
		char *p = argv[i], *end;
		seg[i].gpa = strtoull(p, &end, 0);
		if (*end != ':' || seg[i].gpa % 4096)
			usage();
		for (p = end + 1; *p && *p != ':'; p++)
			seg[i].perms |= *p == 'r' ? 1 : *p == 'w' ? 2 : *p == 'x' ? 4 : 0;
		if (*p != ':')
			usage();
		seg[i].data = read_file(p + 1, &seg[i].len);
		if (seg[i].len == 0)
			usage();
	}
	qsort(seg, (size_t)argc, sizeof(*seg), by_gpa);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha384(), NULL);
	for (int i = 0; i < argc; i++)
		for (size_t off = 0; off < seg[i].len; off += 4096) {
			uint8_t head[16], page[4096] = { 0 };
			size_t n = seg[i].len - off < 4096 ? seg[i].len - off : 4096;
			memcpy(page, seg[i].data + off, n);
			put_le64(head, seg[i].gpa + off);
			put_le64(head + 8, seg[i].perms);
			EVP_DigestUpdate(ctx, head, sizeof(head));
			EVP_DigestUpdate(ctx, page, sizeof(page));
		}
	uint8_t out[48];
	unsigned n = 48;
	EVP_DigestFinal_ex(ctx, out, &n);
	EVP_MD_CTX_free(ctx);
	print_hex(out, sizeof(out));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	const char *cmd = argv[1];
	if (!strcmp(cmd, "verify"))
		return cmd_verify(argc - 2, argv + 2);
	if (!strcmp(cmd, "show") && argc == 3)
		return cmd_show(argv[2]);
	if (!strcmp(cmd, "platform-key") && argc == 3) {
		size_t len;
		uint8_t *seed = read_file(argv[2], &len), pk[32];
		if (len < ATTEST_SEED_SIZE) {
			fprintf(stderr, "attest-verify: a seed is %d bytes\n", ATTEST_SEED_SIZE);
			return 2;
		}
		evidence_platform_key(pk, seed);
		print_hex(pk, sizeof(pk));
		return 0;
	}
	if (!strcmp(cmd, "mr-monitor") && (argc == 3 || argc == 4)) {
		size_t len;
		uint8_t *img = read_file(argv[2], &len), out[48];
		if (argc == 4) {
			size_t want = strtoull(argv[3], NULL, 0);
			if (want > len)
				usage();
			len = want;
		}
		sha384_of(img, len, out);
		print_hex(out, sizeof(out));
		return 0;
	}
	if (!strcmp(cmd, "mr-pages") && argc >= 3)
		return cmd_mr_pages(argc - 2, argv + 2);
	if (!strcmp(cmd, "mr-config") && argc == 11) {
		uint8_t bytes[72], out[48];
		for (int i = 0; i < 9; i++)
			put_le64(bytes + 8 * i, strtoull(argv[2 + i], NULL, 0));
		sha384_of(bytes, sizeof(bytes), out);
		print_hex(out, sizeof(out));
		return 0;
	}
	usage();
}
