/*
 * test_crc32c.c: unit test for libfrog/crc32c.
 *
 * Checks the published CRC-32C vectors, agreement of the hardware and
 * slicing-by-8 routines with a bit-at-a-time reference over every length
 * up to a bound and at every misalignment, incremental (split) updates,
 * the XFS checksum helpers, a primary superblock sector captured from a
 * reference mkfs.xfs image, and concurrent first use from several threads.
 * Prints "ok - ..." / "not ok - ..." per check; exits 1 on any failure.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libfrog/crc32c.h"

static int failures;

static void check(bool cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failures++;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Bit-at-a-time reference, written straight from the definition. */
static uint32_t ref_crc(uint32_t crc, const unsigned char *p, size_t len)
{
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
	}
	return crc;
}

/* ---- concurrent first use (must run before anything else) ---- */

#define NTHREADS 4
static unsigned char thread_buf[8192];

static void *thread_fn(void *arg)
{
	uint32_t *out = arg;
	int i;

	for (i = 0; i < 50; i++)
		out[i] = crc32c(CRC32C_SEED, thread_buf, sizeof(thread_buf) - i);
	return NULL;
}

static void test_threads(void)
{
	static uint32_t results[NTHREADS][50];
	pthread_t tid[NTHREADS];
	bool good = true;
	int i, j, started = 0;

	for (i = 0; i < (int)sizeof(thread_buf); i++)
		thread_buf[i] = (unsigned char)(i * 7 + 3);
	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&tid[i], NULL, thread_fn, results[i]) == 0)
			started++;
		else
			break;
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	for (i = 0; i < started; i++)
		for (j = 0; j < 50; j++)
			if (results[i][j] != ref_crc(CRC32C_SEED, thread_buf,
						     sizeof(thread_buf) - j))
				good = false;
	check(started == NTHREADS && good,
	      "concurrent first use from 4 threads gives correct results");
}

/* ---- known vectors ---- */

static void test_vectors(void)
{
	static const char digits[] = "123456789";
	unsigned char buf[32];
	char name[128];
	struct {
		const char *name;
		uint32_t (*fn)(uint32_t, const void *, size_t);
	} impls[] = {
		{ "crc32c", crc32c },
		{ "crc32c_sw", crc32c_sw },
		{ "crc32c_hw", crc32c_hw },
	};
	size_t i, k;

	for (k = 0; k < 3; k++) {
		uint32_t (*fn)(uint32_t, const void *, size_t) = impls[k].fn;
		bool good = true;

		good &= ~fn(CRC32C_SEED, digits, 9) == 0xE3069283;
		memset(buf, 0, 32);
		good &= ~fn(CRC32C_SEED, buf, 32) == 0x8A9136AA;
		memset(buf, 0xff, 32);
		good &= ~fn(CRC32C_SEED, buf, 32) == 0x62A8AB43;
		for (i = 0; i < 32; i++)
			buf[i] = i;
		good &= ~fn(CRC32C_SEED, buf, 32) == 0x46DD794E;
		for (i = 0; i < 32; i++)
			buf[i] = 31 - i;
		good &= ~fn(CRC32C_SEED, buf, 32) == 0x113FDB5C;
		good &= fn(0xdeadbeef, buf, 0) == 0xdeadbeef;
		good &= fn(0, NULL, 0) == 0;
		snprintf(name, sizeof(name), "%s matches the published vectors",
			 impls[k].name);
		check(good, name);
	}
}

/* ---- exhaustive lengths and misalignments ---- */

static void test_lengths(void)
{
	static const size_t extra[] = {
		503, 504, 505, 511, 512, 513, 1008, 1009, 4079, 4080, 4081,
		4095, 4096, 4097, 8159, 8160, 8161, 8192, 12240, 12241, 65549,
		1 << 20,
	};
	size_t maxlen = (1 << 20) + 64;
	unsigned char *buf = malloc(maxlen);
	bool sw_good = true, hw_good = true, auto_good = true;
	size_t len, off, i;
	char name[160];

	if (!buf) {
		check(false, "allocate test buffer");
		return;
	}
	for (i = 0; i < maxlen; i++)
		buf[i] = (unsigned char)rng();

	for (len = 0; len <= 1100; len++) {
		for (off = 0; off < 8; off++) {
			uint32_t seed = (uint32_t)rng();
			uint32_t want = ref_crc(seed, buf + off, len);

			sw_good &= crc32c_sw(seed, buf + off, len) == want;
			hw_good &= crc32c_hw(seed, buf + off, len) == want;
			auto_good &= crc32c(seed, buf + off, len) == want;
		}
	}
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		for (off = 0; off < 16; off += 5) {
			uint32_t want = ref_crc(CRC32C_SEED, buf + off, extra[i]);

			sw_good &= crc32c_sw(CRC32C_SEED, buf + off, extra[i]) == want;
			hw_good &= crc32c_hw(CRC32C_SEED, buf + off, extra[i]) == want;
			auto_good &= crc32c(CRC32C_SEED, buf + off, extra[i]) == want;
		}
	}
	check(sw_good, "crc32c_sw agrees with bitwise reference, lengths 0..1100 and block sizes, offsets 0..7");
	snprintf(name, sizeof(name),
		 "crc32c_hw (%s) agrees with bitwise reference, lengths 0..1100 and block sizes, offsets 0..7",
		 crc32c_hw_available() ? "sse4.2" : "fallback");
	check(hw_good, name);
	check(auto_good, "crc32c (auto) agrees with bitwise reference");

	// Random lengths and offsets, hw against sw.
	sw_good = true;
	for (i = 0; i < 3000; i++) {
		size_t l = rng() % 20000;
		size_t o = rng() % 64;
		uint32_t seed = (uint32_t)rng();

		sw_good &= crc32c_hw(seed, buf + o, l) == crc32c_sw(seed, buf + o, l);
	}
	check(sw_good, "hw and sw agree on 3000 random lengths/offsets up to 20000");

	// Feeding the data in random pieces gives the same register.
	sw_good = hw_good = true;
	for (i = 0; i < 500; i++) {
		size_t l = rng() % 16384, pos = 0;
		uint32_t whole = crc32c_sw(CRC32C_SEED, buf, l);
		uint32_t s = CRC32C_SEED, h = CRC32C_SEED;

		while (pos < l) {
			size_t piece = 1 + rng() % (l - pos < 5000 ? l - pos : 5000);

			s = crc32c_sw(s, buf + pos, piece);
			h = crc32c_hw(h, buf + pos, piece);
			pos += piece;
		}
		sw_good &= s == whole;
		hw_good &= h == whole;
	}
	check(sw_good, "crc32c_sw split into random pieces equals one pass");
	check(hw_good, "crc32c_hw split into random pieces equals one pass");
	free(buf);
}

/* ---- XFS helpers ---- */

static void test_helpers(void)
{
	unsigned char buf[4096], copy[4096];
	bool good = true, unmodified = true, roundtrip = true, detects = true;
	size_t i, off;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rng();

	for (off = 0; off + 4 <= sizeof(buf); off += 52) {
		uint32_t want, got;

		memcpy(copy, buf, sizeof(buf));
		memset(copy + off, 0, 4);
		want = ~ref_crc(CRC32C_SEED, copy, sizeof(copy));
		memcpy(copy, buf, sizeof(buf));
		got = crc32c_cksum(buf, sizeof(buf), off);
		good &= got == want;
		unmodified &= memcmp(copy, buf, sizeof(buf)) == 0;

		crc32c_update(copy, sizeof(copy), off);
		roundtrip &= copy[off] == (want & 0xff) &&
			     copy[off + 1] == ((want >> 8) & 0xff) &&
			     copy[off + 2] == ((want >> 16) & 0xff) &&
			     copy[off + 3] == (want >> 24);
		roundtrip &= crc32c_verify(copy, sizeof(copy), off);
		copy[(off + 977) % sizeof(copy)] ^= 0x10;
		detects &= !crc32c_verify(copy, sizeof(copy), off);
	}
	// The last possible field position.
	memcpy(copy, buf, sizeof(buf));
	crc32c_update(copy, sizeof(copy), sizeof(copy) - 4);
	roundtrip &= crc32c_verify(copy, sizeof(copy), sizeof(copy) - 4);

	check(good, "crc32c_cksum equals crc of the block with the field zeroed");
	check(unmodified, "crc32c_cksum leaves the buffer unmodified");
	check(roundtrip, "crc32c_update stores little-endian and crc32c_verify accepts it");
	check(detects, "crc32c_verify rejects a flipped bit");
	check(!crc32c_verify(buf, 3, 0) && !crc32c_verify(buf, 16, 13),
	      "crc32c_verify rejects a field outside the buffer");
}

/*
 * Primary superblock sector of a 300 MiB image made by the reference
 * mkfs.xfs (v5, 4 KiB blocks); every 16-byte row not listed is zero.
 * sb_crc, at byte 224, holds 0xce8b0d57 little-endian.
 */
static const struct {
	uint16_t	off;
	uint8_t		b[16];
} sb_rows[] = {
	{ 0x00, { 0x58, 0x46, 0x53, 0x42, 0x00, 0x00, 0x10, 0x00,
		  0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2c, 0x00 } },
	{ 0x20, { 0xdd, 0xcb, 0x1c, 0x5d, 0xcf, 0x11, 0x46, 0xfb,
		  0x85, 0xa4, 0x76, 0x4c, 0x17, 0x6b, 0x12, 0xcb } },
	{ 0x30, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
		  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 } },
	{ 0x40, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x81,
		  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x82 } },
	{ 0x50, { 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x4b, 0x00,
		  0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00 } },
	{ 0x60, { 0x00, 0x00, 0x40, 0x00, 0xb4, 0xa5, 0x02, 0x00,
		  0x02, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00 } },
	{ 0x70, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		  0x0c, 0x09, 0x09, 0x03, 0x0f, 0x00, 0x00, 0x19 } },
	{ 0x80, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40,
		  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3d } },
	{ 0x90, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xeb, 0xe0,
		  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
	{ 0xb0, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
		  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
	{ 0xc0, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
		  0x00, 0x00, 0x01, 0x8a, 0x00, 0x00, 0x01, 0x8a } },
	{ 0xd0, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d,
		  0x00, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00 } },
	{ 0xe0, { 0x57, 0x0d, 0x8b, 0xce, 0x00, 0x00, 0x00, 0x04,
		  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
};

#define SB_CRC_OFF 224

static void test_superblock(void)
{
	unsigned char sb[512] = { 0 };
	size_t i;

	for (i = 0; i < sizeof(sb_rows) / sizeof(sb_rows[0]); i++)
		memcpy(sb + sb_rows[i].off, sb_rows[i].b, 16);

	check(crc32c_cksum(sb, sizeof(sb), SB_CRC_OFF) == 0xce8b0d57,
	      "reference mkfs.xfs superblock: sb_crc computes to 0xce8b0d57");
	check(crc32c_verify(sb, sizeof(sb), SB_CRC_OFF),
	      "reference mkfs.xfs superblock verifies");
	sb[0x68] ^= 1;
	check(!crc32c_verify(sb, sizeof(sb), SB_CRC_OFF),
	      "reference superblock with one flipped bit fails to verify");
	crc32c_update(sb, sizeof(sb), SB_CRC_OFF);
	sb[0x68] ^= 1;
	crc32c_update(sb, sizeof(sb), SB_CRC_OFF);
	check(sb[224] == 0x57 && sb[225] == 0x0d && sb[226] == 0x8b &&
	      sb[227] == 0xce,
	      "crc32c_update restores the reference sb_crc bytes");
}

/* ---- selection ---- */

static void test_select(void)
{
	static const char digits[] = "123456789";
	int err;

	check(crc32c_selftest() == 0, "crc32c_selftest passes");
	printf("# hardware crc32c %savailable; crc32c uses %s\n",
	       crc32c_hw_available() ? "" : "not ", crc32c_impl_name());

	check(crc32c_set_impl(CRC32C_IMPL_SW) == 0 &&
	      strcmp(crc32c_impl_name(), "sw-slice8") == 0 &&
	      ~crc32c(CRC32C_SEED, digits, 9) == 0xE3069283,
	      "crc32c_set_impl(SW) switches crc32c to software");
	err = crc32c_set_impl(CRC32C_IMPL_HW);
	if (crc32c_hw_available())
		check(err == 0 && strcmp(crc32c_impl_name(), "hw-sse4.2") == 0 &&
		      ~crc32c(CRC32C_SEED, digits, 9) == 0xE3069283,
		      "crc32c_set_impl(HW) switches crc32c to hardware");
	else
		check(err == -EOPNOTSUPP,
		      "crc32c_set_impl(HW) refuses without hardware support");
	check(crc32c_set_impl((enum crc32c_impl)42) == -EINVAL,
	      "crc32c_set_impl rejects an unknown choice");
	check(crc32c_set_impl(CRC32C_IMPL_AUTO) == 0,
	      "crc32c_set_impl(AUTO) succeeds");
}

int main(void)
{
	// Line-buffered, so a crash still shows the checks that ran.
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_threads();
	test_vectors();
	test_lengths();
	test_helpers();
	test_superblock();
	test_select();

	if (failures) {
		printf("# %d check(s) failed\n", failures);
		return 1;
	}
	printf("# all checks passed\n");
	return 0;
}
