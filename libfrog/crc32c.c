/*
 * crc32c.c: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78).
 *
 * Owns the lookup tables (built once, on first use), the software
 * slicing-by-8 routine, the x86-64 SSE4.2 routine, the runtime choice
 * between them, and the XFS "checksum field taken as zero" helpers.
 *
 * The SSE4.2 routine runs three independent instruction streams over
 * three equal slices of a long buffer, because one stream is limited by
 * the latency of the crc32 instruction rather than its throughput.  The
 * three partial CRCs are joined with precomputed "advance over N zero
 * bytes" tables: the CRC register with no inversion is linear over GF(2),
 * so running a register across N zero bytes is a fixed 32x32 bit matrix,
 * applied here a byte at a time through four 256-entry tables.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "libfrog/crc32c.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CRC32C_HAVE_X86	1
#include <nmmintrin.h>
#else
#define CRC32C_HAVE_X86	0
#endif

#define CRC32C_POLY	0x82F63B78u

/* Slice lengths for the three-stream hardware loop (multiples of 8). */
#define HW_LONG		1360	/* 3 * 1360 = 4080: one round per 4 KiB */
#define HW_SHORT	168	/* 3 * 168 = 504: one round per sector */

typedef uint32_t (*crc32c_fn)(uint32_t crc, const void *buf, size_t len);

/* slice8[k][b]: CRC register contribution of byte b followed by k zeros. */
static uint32_t slice8[8][256];

/* Zero-advance tables: shift_x[i][b] advances byte i of the register. */
struct crc32c_shift {
	uint32_t	t[4][256];
};
static struct crc32c_shift shift_long1, shift_long2;
static struct crc32c_shift shift_short1, shift_short2;

static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;
static bool crc32c_have_hw;
static _Atomic(crc32c_fn) crc32c_impl;

static inline uint64_t get_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* ---- software: slicing-by-8 ---- */

static uint32_t sw_bytes(uint32_t crc, const unsigned char *p, size_t len)
{
	while (len--)
		crc = (crc >> 8) ^ slice8[0][(crc ^ *p++) & 0xff];
	return crc;
}

static uint32_t sw_update(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	// Bring p to 8-byte alignment so the word loads stay in one line.
	while (len && ((uintptr_t)p & 7)) {
		crc = (crc >> 8) ^ slice8[0][(crc ^ *p++) & 0xff];
		len--;
	}
	while (len >= 8) {
		// The register folds into the first four bytes; byte j of the
		// word still has 7 - j bytes to travel, hence table 7 - j.
		uint64_t q = get_le64(p) ^ crc;

		crc = slice8[7][q & 0xff] ^
		      slice8[6][(q >> 8) & 0xff] ^
		      slice8[5][(q >> 16) & 0xff] ^
		      slice8[4][(q >> 24) & 0xff] ^
		      slice8[3][(q >> 32) & 0xff] ^
		      slice8[2][(q >> 40) & 0xff] ^
		      slice8[1][(q >> 48) & 0xff] ^
		      slice8[0][q >> 56];
		p += 8;
		len -= 8;
	}
	return sw_bytes(crc, p, len);
}

/* Run the register across n zero bytes, slowly (table setup only). */
static uint32_t sw_zeros(uint32_t crc, size_t n)
{
	static const unsigned char zeros[256];

	while (n) {
		size_t chunk = n < sizeof(zeros) ? n : sizeof(zeros);

		crc = sw_update(crc, zeros, chunk);
		n -= chunk;
	}
	return crc;
}

static void shift_init(struct crc32c_shift *s, size_t nbytes)
{
	uint32_t basis[32];
	int i, b, j;

	for (j = 0; j < 32; j++)
		basis[j] = sw_zeros((uint32_t)1 << j, nbytes);
	for (i = 0; i < 4; i++) {
		for (b = 0; b < 256; b++) {
			uint32_t v = 0;

			for (j = 0; j < 8; j++)
				if (b & (1 << j))
					v ^= basis[i * 8 + j];
			s->t[i][b] = v;
		}
	}
}

static inline uint32_t shift_apply(const struct crc32c_shift *s, uint32_t crc)
{
	return s->t[0][crc & 0xff] ^ s->t[1][(crc >> 8) & 0xff] ^
	       s->t[2][(crc >> 16) & 0xff] ^ s->t[3][crc >> 24];
}

/* ---- hardware: SSE4.2 ---- */

#if CRC32C_HAVE_X86
__attribute__((target("sse4.2")))
static uint32_t hw_single(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc;

	while (len && ((uintptr_t)p & 7)) {
		c = _mm_crc32_u8((uint32_t)c, *p++);
		len--;
	}
	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		c = _mm_crc32_u64(c, v);
		p += 8;
		len -= 8;
	}
	while (len--)
		c = _mm_crc32_u8((uint32_t)c, *p++);
	return (uint32_t)c;
}

/*
 * One round over 3 * slice bytes: stream a carries the incoming register,
 * b and c start from zero; the result is a advanced past 2 slices, xor b
 * advanced past 1 slice, xor c.
 */
__attribute__((target("sse4.2")))
static inline uint32_t hw_round(uint32_t crc, const unsigned char *p,
				size_t slice, const struct crc32c_shift *s1,
				const struct crc32c_shift *s2)
{
	uint64_t a = crc, b = 0, c = 0;
	size_t i;

	for (i = 0; i < slice; i += 8) {
		uint64_t va, vb, vc;

		memcpy(&va, p + i, 8);
		memcpy(&vb, p + slice + i, 8);
		memcpy(&vc, p + 2 * slice + i, 8);
		a = _mm_crc32_u64(a, va);
		b = _mm_crc32_u64(b, vb);
		c = _mm_crc32_u64(c, vc);
	}
	return shift_apply(s2, (uint32_t)a) ^ shift_apply(s1, (uint32_t)b) ^
	       (uint32_t)c;
}

__attribute__((target("sse4.2")))
static uint32_t hw_update(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len >= 3 * HW_LONG) {
		crc = hw_round(crc, p, HW_LONG, &shift_long1, &shift_long2);
		p += 3 * HW_LONG;
		len -= 3 * HW_LONG;
	}
	while (len >= 3 * HW_SHORT) {
		crc = hw_round(crc, p, HW_SHORT, &shift_short1, &shift_short2);
		p += 3 * HW_SHORT;
		len -= 3 * HW_SHORT;
	}
	return hw_single(crc, p, len);
}

static bool hw_probe(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("sse4.2");
}
#else
static uint32_t hw_update(uint32_t crc, const void *buf, size_t len)
{
	return sw_update(crc, buf, len);
}

static bool hw_probe(void)
{
	return false;
}
#endif

/* ---- setup and dispatch ---- */

static void crc32c_init(void)
{
	int k, b, j;

	for (b = 0; b < 256; b++) {
		uint32_t c = (uint32_t)b;

		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ ((c & 1) ? CRC32C_POLY : 0);
		slice8[0][b] = c;
	}
	for (k = 1; k < 8; k++)
		for (b = 0; b < 256; b++)
			slice8[k][b] = (slice8[k - 1][b] >> 8) ^
				       slice8[0][slice8[k - 1][b] & 0xff];

	shift_init(&shift_long1, HW_LONG);
	shift_init(&shift_long2, 2 * HW_LONG);
	shift_init(&shift_short1, HW_SHORT);
	shift_init(&shift_short2, 2 * HW_SHORT);

	crc32c_have_hw = hw_probe();
	// Release: whoever sees the pointer also sees the tables above.
	atomic_store_explicit(&crc32c_impl,
			      crc32c_have_hw ? hw_update : sw_update,
			      memory_order_release);
}

static inline void crc32c_ready(void)
{
	if (!atomic_load_explicit(&crc32c_impl, memory_order_acquire))
		pthread_once(&crc32c_once, crc32c_init);
}

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	crc32c_fn fn = atomic_load_explicit(&crc32c_impl, memory_order_acquire);

	if (!fn) {
		pthread_once(&crc32c_once, crc32c_init);
		fn = atomic_load_explicit(&crc32c_impl, memory_order_acquire);
	}
	return fn(crc, buf, len);
}

uint32_t crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	crc32c_ready();
	return sw_update(crc, buf, len);
}

uint32_t crc32c_hw(uint32_t crc, const void *buf, size_t len)
{
	crc32c_ready();
	if (!crc32c_have_hw)
		return sw_update(crc, buf, len);
	return hw_update(crc, buf, len);
}

bool crc32c_hw_available(void)
{
	crc32c_ready();
	return crc32c_have_hw;
}

int crc32c_set_impl(enum crc32c_impl impl)
{
	crc32c_fn fn;

	crc32c_ready();
	switch (impl) {
	case CRC32C_IMPL_AUTO:
		fn = crc32c_have_hw ? hw_update : sw_update;
		break;
	case CRC32C_IMPL_SW:
		fn = sw_update;
		break;
	case CRC32C_IMPL_HW:
		if (!crc32c_have_hw)
			return -EOPNOTSUPP;
		fn = hw_update;
		break;
	default:
		return -EINVAL;
	}
	atomic_store_explicit(&crc32c_impl, fn, memory_order_release);
	return 0;
}

const char *crc32c_impl_name(void)
{
	crc32c_ready();
	if (atomic_load_explicit(&crc32c_impl, memory_order_acquire) ==
	    sw_update || !crc32c_have_hw)
		return "sw-slice8";
	return "hw-sse4.2";
}

/* ---- XFS metadata checksum helpers ---- */

uint32_t crc32c_cksum(const void *buf, size_t len, size_t cksum_offset)
{
	static const unsigned char zero4[4];
	const unsigned char *p = buf;
	size_t tail;
	uint32_t crc;

	// A field that does not fit is a caller bug; checksum what we can
	// rather than read out of bounds.
	if (len < 4 || cksum_offset > len - 4)
		return ~crc32c(CRC32C_SEED, buf, len);

	tail = cksum_offset + 4;
	crc = crc32c(CRC32C_SEED, p, cksum_offset);
	crc = crc32c(crc, zero4, 4);
	crc = crc32c(crc, p + tail, len - tail);
	return ~crc;
}

bool crc32c_verify(const void *buf, size_t len, size_t cksum_offset)
{
	const unsigned char *p = buf;
	uint32_t stored;

	if (len < 4 || cksum_offset > len - 4)
		return false;
	p += cksum_offset;
	stored = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return stored == crc32c_cksum(buf, len, cksum_offset);
}

void crc32c_update(void *buf, size_t len, size_t cksum_offset)
{
	unsigned char *p = buf;
	uint32_t crc;

	if (len < 4 || cksum_offset > len - 4)
		return;
	crc = crc32c_cksum(buf, len, cksum_offset);
	p += cksum_offset;
	p[0] = crc & 0xff;
	p[1] = (crc >> 8) & 0xff;
	p[2] = (crc >> 16) & 0xff;
	p[3] = (unsigned char)(crc >> 24);
}

/* ---- self test ---- */

struct crc32c_vector {
	unsigned char	fill;	/* 0 or 0xff: constant; 1: 0,1,2..; 2: ..,1,0 */
	size_t		len;
	uint32_t	full;	/* ~crc32c(~0, data, len) */
};

static const struct crc32c_vector crc32c_vectors[] = {
	{ 0x00, 32, 0x8A9136AA },
	{ 0xff, 32, 0x62A8AB43 },
	{ 0x01, 32, 0x46DD794E },
	{ 0x02, 32, 0x113FDB5C },
};

static int selftest_one(crc32c_fn fn)
{
	static const char digits[] = "123456789";
	unsigned char buf[4096 + 64];
	size_t i, n, off;
	uint32_t ref;

	if (~fn(CRC32C_SEED, digits, 9) != 0xE3069283)
		return -EIO;
	if (fn(0x12345678, digits, 0) != 0x12345678)
		return -EIO;
	for (n = 0; n < sizeof(crc32c_vectors) / sizeof(crc32c_vectors[0]); n++) {
		const struct crc32c_vector *v = &crc32c_vectors[n];

		for (i = 0; i < v->len; i++) {
			if (v->fill == 1)
				buf[i] = (unsigned char)i;
			else if (v->fill == 2)
				buf[i] = (unsigned char)(v->len - 1 - i);
			else
				buf[i] = v->fill;
		}
		if (~fn(CRC32C_SEED, buf, v->len) != v->full)
			return -EIO;
	}

	// Long, misaligned input must agree with the bytewise reference.
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + (i >> 7));
	for (off = 0; off < 8; off++) {
		size_t len = sizeof(buf) - 64 + off * 7;

		ref = sw_bytes(CRC32C_SEED, buf + off, len);
		if (fn(CRC32C_SEED, buf + off, len) != ref)
			return -EIO;
	}
	return 0;
}

int crc32c_selftest(void)
{
	crc32c_ready();
	if (selftest_one(sw_update))
		return -EIO;
	if (crc32c_have_hw && selftest_one(hw_update))
		return -EIO;
	return 0;
}
