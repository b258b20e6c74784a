/*
 * uuid.h: helpers for the 16-byte UUIDs XFS stores on disk (sb_uuid,
 * sb_meta_uuid, and the uuid stamped in every v5 metadata block).
 *
 * A UUID is 16 raw bytes, exactly as stored on disk, so these functions
 * take plain byte pointers: they work on libuuid's uuid_t, on a struct
 * member of the on-disk format, or on a struct frog_uuid.  Random UUIDs
 * come from libuuid; frog_uuid_set_seed() switches generation to a
 * deterministic sequence for reproducible images.
 */
#ifndef LIBFROG_UUID_H_
#define LIBFROG_UUID_H_

#include <stdbool.h>
#include <stdint.h>

#define FROG_UUID_SIZE		16
#define FROG_UUID_STRLEN	36	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define FROG_UUID_STRBUF	(FROG_UUID_STRLEN + 1)

/* Optional by-value wrapper; plain unsigned char[16] works everywhere too. */
struct frog_uuid {
	unsigned char	b[FROG_UUID_SIZE];
};

/*
 * Parse the 36-character form (hex digits of either case, hyphens after
 * the 8th, 12th, 16th and 20th digits, nothing before or after).
 * Returns 0, or -EINVAL leaving uu untouched.
 */
int frog_uuid_parse(const char *str, unsigned char uu[FROG_UUID_SIZE]);

/* Write the 36-character lowercase form plus NUL into out. */
void frog_uuid_unparse(const unsigned char uu[FROG_UUID_SIZE],
		       char out[FROG_UUID_STRBUF]);

/* True if all 16 bytes are zero. */
bool frog_uuid_is_null(const unsigned char uu[FROG_UUID_SIZE]);

/* Byte-wise order: negative, zero or positive, like memcmp. */
int frog_uuid_compare(const unsigned char a[FROG_UUID_SIZE],
		      const unsigned char b[FROG_UUID_SIZE]);

/* True if a and b are the same 16 bytes. */
bool frog_uuid_equal(const unsigned char a[FROG_UUID_SIZE],
		     const unsigned char b[FROG_UUID_SIZE]);

void frog_uuid_copy(unsigned char dst[FROG_UUID_SIZE],
		    const unsigned char src[FROG_UUID_SIZE]);

/* Set all 16 bytes to zero (the "null" UUID). */
void frog_uuid_clear(unsigned char uu[FROG_UUID_SIZE]);

/*
 * A new version-4 (random) UUID from libuuid; after frog_uuid_set_seed()
 * the next one from the deterministic sequence instead.  Thread-safe.
 */
void frog_uuid_generate(unsigned char uu[FROG_UUID_SIZE]);

/*
 * Make frog_uuid_generate() deterministic: every later call returns the
 * next UUID derived from seed, so a process that makes the same calls in
 * the same order gets the same UUIDs.  Thread-safe.
 */
void frog_uuid_set_seed(uint64_t seed);

/* Undo frog_uuid_set_seed(): go back to random UUIDs. */
void frog_uuid_clear_seed(void);

/*
 * Deterministic generator with caller-held state: writes a well-formed
 * version-4 UUID derived from *state and advances *state.  Same state in,
 * same UUID out; successive calls give distinct UUIDs.
 */
void frog_uuid_generate_seeded(uint64_t *state, unsigned char uu[FROG_UUID_SIZE]);

#endif /* LIBFROG_UUID_H_ */
