/*
 * gost-engine-bench: times OpenSSL's GOST engine (libengine-gost-openssl) on
 * the five measures of bench/gost-vs-openssl.sh, for a side-by-side run
 * with gost/ (Go).
 *
 *   gost-engine-bench streebog256-100m|gost256-sign|gost256-verify|gost512-sign|gost512-verify [min-ms]
 *
 * Prints "<measure> <wall ns per op> <CPU ns per op>": the mean over as many
 * ops as fit in min-ms milliseconds (default 1000; at least two ops), after
 * one warm-up, as `go test -bench` reports ours (ns/op and cpu-ns/op, the
 * process's CPU time). The harness repeats and keeps the best. An op is: one
 * Streebog-256 hash of 100 MB (100,000,000 bytes); one signature of a
 * 32/64-byte digest (EVP_PKEY_sign: nonce, k·P, s); one verification
 * (EVP_PKEY_verify). Keys: GOST 2012-256 on paramset A
 * (id-GostR3410-2001-CryptoPro-A-ParamSet), GOST 2012-512 on paramset A
 * (id-tc26-gost-3410-2012-512-paramSetA).
 *
 * Build: cc -O2 -o gost-engine-bench gost-engine-bench.c -lcrypto
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/engine.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what)
{
	fprintf(stderr, "gost-engine-bench: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static double clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

static EVP_PKEY *keygen(ENGINE *e, int nid)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(nid, e);
	EVP_PKEY *pkey = NULL;
	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0)
		die("keygen init");
	if (EVP_PKEY_CTX_ctrl_str(ctx, "paramset", "A") <= 0)
		die("paramset A");
	if (EVP_PKEY_keygen(ctx, &pkey) <= 0)
		die("keygen");
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

struct sigbench {
	EVP_PKEY_CTX *sctx, *vctx;
	unsigned char dgst[64], sig[128];
	size_t dlen, siglen;
};

static void sig_setup(struct sigbench *b, ENGINE *e, int nid, size_t dlen)
{
	EVP_PKEY *pkey = keygen(e, nid);
	b->dlen = dlen;
	for (size_t i = 0; i < dlen; i++)
		b->dgst[i] = (unsigned char)(i * 37 + 11);
	b->sctx = EVP_PKEY_CTX_new(pkey, e);
	b->vctx = EVP_PKEY_CTX_new(pkey, e);
	if (b->sctx == NULL || b->vctx == NULL || EVP_PKEY_sign_init(b->sctx) <= 0 ||
	    EVP_PKEY_verify_init(b->vctx) <= 0)
		die("sign/verify init");
	b->siglen = sizeof b->sig;
	if (EVP_PKEY_sign(b->sctx, b->sig, &b->siglen, b->dgst, b->dlen) <= 0)
		die("sign");
	if (EVP_PKEY_verify(b->vctx, b->sig, b->siglen, b->dgst, b->dlen) != 1)
		die("verify");
}

static void sig_sign(struct sigbench *b)
{
	size_t l = sizeof b->sig;
	if (EVP_PKEY_sign(b->sctx, b->sig, &l, b->dgst, b->dlen) <= 0)
		die("sign");
}

static void sig_verify(struct sigbench *b)
{
	if (EVP_PKEY_verify(b->vctx, b->sig, b->siglen, b->dgst, b->dlen) != 1)
		die("verify");
}

#define HASH_LEN 100000000

static unsigned char *hash_buf;
static const EVP_MD *hash_md;

static void hash_once(void)
{
	unsigned char out[64];
	unsigned int outlen;
	if (EVP_Digest(hash_buf, HASH_LEN, out, &outlen, hash_md, NULL) != 1)
		die("digest");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s streebog256-100m|gost256-sign|gost256-verify|gost512-sign|gost512-verify [min-ms]\n",
			argv[0]);
		return 2;
	}
	const char *m = argv[1];
	double min_ns = (argc > 2 ? atof(argv[2]) : 1000.0) * 1e6;

	ENGINE_load_dynamic();
	ENGINE *e = ENGINE_by_id("gost");
	if (e == NULL || !ENGINE_init(e))
		die("cannot load the gost engine (libengine-gost-openssl)");
	if (!ENGINE_set_default(e, ENGINE_METHOD_ALL))
		die("set default");

	struct sigbench sb;
	void (*op)(void) = NULL;
	void (*sop)(struct sigbench *) = NULL;
	int batch = 1;
	if (strcmp(m, "streebog256-100m") == 0) {
		hash_md = ENGINE_get_digest(e, NID_id_GostR3411_2012_256);
		if (hash_md == NULL)
			die("no md_gost12_256");
		hash_buf = malloc(HASH_LEN);
		for (size_t i = 0; i < HASH_LEN; i++)
			hash_buf[i] = (unsigned char)(i * 131 + (i >> 9));
		op = hash_once;
	} else if (strcmp(m, "gost256-sign") == 0 || strcmp(m, "gost256-verify") == 0) {
		sig_setup(&sb, e, NID_id_GostR3410_2012_256, 32);
		sop = strstr(m, "sign") ? sig_sign : sig_verify;
		batch = 200;
	} else if (strcmp(m, "gost512-sign") == 0 || strcmp(m, "gost512-verify") == 0) {
		sig_setup(&sb, e, NID_id_GostR3410_2012_512, 64);
		sop = strstr(m, "sign") ? sig_sign : sig_verify;
		batch = 50;
	} else {
		fprintf(stderr, "unknown measure %s\n", m);
		return 2;
	}

	/* warm-up */
	if (op)
		op();
	else
		for (int i = 0; i < batch; i++)
			sop(&sb);

	double start = now_ns(), cpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), el;
	long ops = 0;
	do {
		if (op)
			op();
		else
			for (int i = 0; i < batch; i++)
				sop(&sb);
		ops += op ? 1 : batch;
		el = now_ns() - start;
	} while (el < min_ns || ops < 2);
	double cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	printf("%s %.0f %.0f\n", m, el / (double)ops, cpu / (double)ops);
	return 0;
}
