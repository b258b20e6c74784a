/*
 * crc32c.h: CRC-32C (Castagnoli) as the XFS metadata checksum uses it.
 *
 * The raw routines follow the Linux crc32c() convention: the caller passes
 * the running CRC register in and gets it back, with no inversion done
 * inside.  A complete CRC in the usual (iSCSI) sense is therefore
 * ~crc32c(~0U, buf, len).
 *
 * XFS stores, at a fixed offset inside each metadata block, the inverted
 * CRC of the block computed with that 4-byte field taken as zero, seeded
 * with ~0U, written little-endian.  crc32c_cksum(), crc32c_verify() and
 * crc32c_update() wrap that rule.
 *
 * Two implementations are always built: table-driven slicing-by-8 and,
 * on x86-64, the SSE4.2 crc32 instruction.  crc32c() picks the fastest one
 * available on first use; both are exported so tests can compare them.
 * Everything here is thread-safe.
 */
#ifndef LIBFROG_CRC32C_H_
#define LIBFROG_CRC32C_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seed for a metadata checksum; the final value stored is ~crc. */
#define CRC32C_SEED	(~(uint32_t)0)

/* Raw CRC-32C update with the implementation chosen at runtime. */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

/* Portable slicing-by-8 implementation; same contract as crc32c(). */
uint32_t crc32c_sw(uint32_t crc, const void *buf, size_t len);

/*
 * Hardware implementation; same contract as crc32c().  When the CPU has no
 * CRC instruction (see crc32c_hw_available()) it quietly falls back to the
 * software routine, so it is always safe to call.
 */
uint32_t crc32c_hw(uint32_t crc, const void *buf, size_t len);

/* True if crc32c_hw() really uses a CPU instruction on this machine. */
bool crc32c_hw_available(void);

enum crc32c_impl {
	CRC32C_IMPL_AUTO = 0,	/* hardware if available, else software */
	CRC32C_IMPL_SW,		/* always slicing-by-8 */
	CRC32C_IMPL_HW,		/* CPU instruction; fails if unavailable */
};

/*
 * Choose what crc32c() uses from now on (for tests and benchmarks).
 * Returns 0, -EOPNOTSUPP if CRC32C_IMPL_HW is not available, or -EINVAL.
 */
int crc32c_set_impl(enum crc32c_impl impl);

/* "hw-sse4.2" or "sw-slice8": what crc32c() currently runs. */
const char *crc32c_impl_name(void);

/*
 * Checksum of buf[0..len) as XFS defines it: seed ~0, the four bytes at
 * cksum_offset read as zero (buf is not modified), result inverted.
 * Returns the value to store, in host order; convert it to little-endian
 * before storing.  Requires cksum_offset + 4 <= len; if the field does
 * not fit, crc32c_cksum() checksums the whole buffer with no field zeroed,
 * crc32c_verify() returns false and crc32c_update() writes nothing.
 */
uint32_t crc32c_cksum(const void *buf, size_t len, size_t cksum_offset);

/* True if the little-endian value at cksum_offset matches the contents. */
bool crc32c_verify(const void *buf, size_t len, size_t cksum_offset);

/* Compute the checksum and store it little-endian at cksum_offset. */
void crc32c_update(void *buf, size_t len, size_t cksum_offset);

/*
 * Check every implementation this machine can run against known vectors
 * and against each other.  Returns 0 or -EIO.
 */
int crc32c_selftest(void);

#endif /* LIBFROG_CRC32C_H_ */
