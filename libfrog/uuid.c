/*
 * uuid.c: parse, print, compare and generate the 16-byte UUIDs of XFS.
 *
 * Text handling is done here (strict 8-4-4-4-12 layout) so behaviour does
 * not depend on the libuuid version; random generation uses libuuid.  The
 * deterministic mode keeps one process-wide splitmix64 state behind a
 * mutex, so seeded runs make the same UUIDs in the same order.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <uuid/uuid.h>

#include "libfrog/uuid.h"

static pthread_mutex_t seed_lock = PTHREAD_MUTEX_INITIALIZER;
static bool seed_active;
static uint64_t seed_state;

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_hyphen_pos(int i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

int frog_uuid_parse(const char *str, unsigned char uu[FROG_UUID_SIZE])
{
	unsigned char tmp[FROG_UUID_SIZE];
	int i, hi, lo, n = 0;

	if (!str)
		return -EINVAL;
	for (i = 0; i < FROG_UUID_STRLEN; i++) {
		if (is_hyphen_pos(i)) {
			if (str[i] != '-')
				return -EINVAL;
			continue;
		}
		// Each character is checked before the next is read, so a
		// short string stops at its NUL and is never overrun.
		hi = hexval(str[i]);
		if (hi < 0)
			return -EINVAL;
		lo = hexval(str[++i]);
		if (lo < 0)
			return -EINVAL;
		tmp[n++] = (unsigned char)(hi << 4 | lo);
	}
	if (str[FROG_UUID_STRLEN] != '\0')
		return -EINVAL;
	memcpy(uu, tmp, FROG_UUID_SIZE);
	return 0;
}

void frog_uuid_unparse(const unsigned char uu[FROG_UUID_SIZE],
		       char out[FROG_UUID_STRBUF])
{
	static const char hex[] = "0123456789abcdef";
	int i, o = 0;

	for (i = 0; i < FROG_UUID_SIZE; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[uu[i] >> 4];
		out[o++] = hex[uu[i] & 0xf];
	}
	out[o] = '\0';
}

bool frog_uuid_is_null(const unsigned char uu[FROG_UUID_SIZE])
{
	int i;

	for (i = 0; i < FROG_UUID_SIZE; i++)
		if (uu[i])
			return false;
	return true;
}

int frog_uuid_compare(const unsigned char a[FROG_UUID_SIZE],
		      const unsigned char b[FROG_UUID_SIZE])
{
	return memcmp(a, b, FROG_UUID_SIZE);
}

bool frog_uuid_equal(const unsigned char a[FROG_UUID_SIZE],
		     const unsigned char b[FROG_UUID_SIZE])
{
	return memcmp(a, b, FROG_UUID_SIZE) == 0;
}

void frog_uuid_copy(unsigned char dst[FROG_UUID_SIZE],
		    const unsigned char src[FROG_UUID_SIZE])
{
	memmove(dst, src, FROG_UUID_SIZE);
}

void frog_uuid_clear(unsigned char uu[FROG_UUID_SIZE])
{
	memset(uu, 0, FROG_UUID_SIZE);
}

/* splitmix64: advance the state by a fixed odd step, then scramble it. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void frog_uuid_generate_seeded(uint64_t *state, unsigned char uu[FROG_UUID_SIZE])
{
	uint64_t hi = splitmix64(state);
	uint64_t lo = splitmix64(state);
	int i;

	for (i = 0; i < 8; i++) {
		uu[i] = (unsigned char)(hi >> (56 - 8 * i));
		uu[8 + i] = (unsigned char)(lo >> (56 - 8 * i));
	}
	// Mark it as an RFC 4122 variant, version 4 ("random") UUID.
	uu[6] = (uu[6] & 0x0f) | 0x40;
	uu[8] = (uu[8] & 0x3f) | 0x80;
}

void frog_uuid_set_seed(uint64_t seed)
{
	pthread_mutex_lock(&seed_lock);
	seed_state = seed;
	seed_active = true;
	pthread_mutex_unlock(&seed_lock);
}

void frog_uuid_clear_seed(void)
{
	pthread_mutex_lock(&seed_lock);
	seed_active = false;
	pthread_mutex_unlock(&seed_lock);
}

void frog_uuid_generate(unsigned char uu[FROG_UUID_SIZE])
{
	bool seeded;

	pthread_mutex_lock(&seed_lock);
	seeded = seed_active;
	if (seeded)
		frog_uuid_generate_seeded(&seed_state, uu);
	pthread_mutex_unlock(&seed_lock);
	if (!seeded)
		uuid_generate_random(uu);
}
