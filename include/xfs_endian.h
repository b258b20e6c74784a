/*
 * xfs_endian.h: byte-order types and helpers for the XFS on-disk format.
 *
 * Everything XFS keeps on disk is big-endian except the metadata CRC
 * fields, which are stored little-endian.  The on-disk structures in
 * xfs_format.h, xfs_da_format.h and xfs_log_format.h declare their fields
 * with the types below so that a reader can see at a glance which byte
 * order a field has; the types are plain integers, so the compiler does
 * not catch a missing conversion -- always go through the helpers:
 *
 *	host = be32_to_cpu(agf->agf_seqno);
 *	agf->agf_seqno = cpu_to_be32(host);
 *	be32_add_cpu(&agf->agf_freeblks, -len);
 *	ino = get_unaligned_be64(sfe_ino_ptr);	// packed, unaligned data
 *
 * Our own type names (xfs_be16_t, ...) rather than the kernel's __be16
 * keep this header compatible with <linux/types.h>, whose __be64 is a
 * different C type from uint64_t on some architectures.
 *
 * Depends only on <stddef.h>, <stdint.h>, <string.h> and GCC/Clang
 * byte-swap builtins.
 */
#ifndef XFS_ENDIAN_H_
#define XFS_ENDIAN_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint16_t xfs_be16_t;	/* 16-bit big-endian on disk */
typedef uint32_t xfs_be32_t;	/* 32-bit big-endian on disk */
typedef uint64_t xfs_be64_t;	/* 64-bit big-endian on disk */
typedef uint32_t xfs_le32_t;	/* 32-bit little-endian on disk (CRCs) */

/*
 * Byte swapping with compiler builtins, so that this header works in
 * strict ISO mode too (<endian.h>'s be32toh needs _DEFAULT_SOURCE).
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
# define XFS_HOST_IS_LE	1
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
# define XFS_HOST_IS_LE	0
#else
# error "unknown host byte order"
#endif

static inline uint16_t xfs_swab16_be(uint16_t v)
{
	return XFS_HOST_IS_LE ? __builtin_bswap16(v) : v;
}

static inline uint32_t xfs_swab32_be(uint32_t v)
{
	return XFS_HOST_IS_LE ? __builtin_bswap32(v) : v;
}

static inline uint64_t xfs_swab64_be(uint64_t v)
{
	return XFS_HOST_IS_LE ? __builtin_bswap64(v) : v;
}

static inline uint16_t xfs_swab16_le(uint16_t v)
{
	return XFS_HOST_IS_LE ? v : __builtin_bswap16(v);
}

static inline uint32_t xfs_swab32_le(uint32_t v)
{
	return XFS_HOST_IS_LE ? v : __builtin_bswap32(v);
}

/* Host <-> big-endian. */
static inline uint16_t be16_to_cpu(xfs_be16_t v) { return xfs_swab16_be(v); }
static inline uint32_t be32_to_cpu(xfs_be32_t v) { return xfs_swab32_be(v); }
static inline uint64_t be64_to_cpu(xfs_be64_t v) { return xfs_swab64_be(v); }
static inline xfs_be16_t cpu_to_be16(uint16_t v) { return xfs_swab16_be(v); }
static inline xfs_be32_t cpu_to_be32(uint32_t v) { return xfs_swab32_be(v); }
static inline xfs_be64_t cpu_to_be64(uint64_t v) { return xfs_swab64_be(v); }

/* Host <-> little-endian (checksums only). */
static inline uint32_t le32_to_cpu(xfs_le32_t v) { return xfs_swab32_le(v); }
static inline xfs_le32_t cpu_to_le32(uint32_t v) { return xfs_swab32_le(v); }

/* Add a (possibly negative) host value to a big-endian field in place. */
static inline void be16_add_cpu(xfs_be16_t *p, int16_t delta)
{
	*p = cpu_to_be16((uint16_t)(be16_to_cpu(*p) + (uint16_t)delta));
}

static inline void be32_add_cpu(xfs_be32_t *p, int32_t delta)
{
	*p = cpu_to_be32(be32_to_cpu(*p) + (uint32_t)delta);
}

static inline void be64_add_cpu(xfs_be64_t *p, int64_t delta)
{
	*p = cpu_to_be64(be64_to_cpu(*p) + (uint64_t)delta);
}

/*
 * Unaligned big-endian access, for packed data such as short-form
 * directory entries (2-byte offsets, 4- or 8-byte inode numbers) and the
 * shortform directory parent pointer.  memcpy keeps this legal C on
 * every architecture; compilers turn it into a plain load.
 */
static inline uint16_t get_unaligned_be16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return xfs_swab16_be(v);
}

static inline uint32_t get_unaligned_be32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return xfs_swab32_be(v);
}

static inline uint64_t get_unaligned_be64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return xfs_swab64_be(v);
}

static inline void put_unaligned_be16(uint16_t val, void *p)
{
	uint16_t v = xfs_swab16_be(val);

	memcpy(p, &v, sizeof(v));
}

static inline void put_unaligned_be32(uint32_t val, void *p)
{
	uint32_t v = xfs_swab32_be(val);

	memcpy(p, &v, sizeof(v));
}

static inline void put_unaligned_be64(uint64_t val, void *p)
{
	uint64_t v = xfs_swab64_be(val);

	memcpy(p, &v, sizeof(v));
}

static inline uint16_t get_unaligned_le16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return xfs_swab16_le(v);
}

static inline uint32_t get_unaligned_le32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return xfs_swab32_le(v);
}

static inline void put_unaligned_le32(uint32_t val, void *p)
{
	uint32_t v = xfs_swab32_le(val);

	memcpy(p, &v, sizeof(v));
}

/* Packing attribute for on-disk structures with unaligned members. */
#define XFS_PACKED	__attribute__((packed))

/* Compile-time layout checks used by every format header. */
#define XFS_CHECK_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), \
		       "sizeof(" #type ") != " #size)
#define XFS_CHECK_OFFSET(type, member, off) \
	_Static_assert(offsetof(type, member) == (off), \
		       "offsetof(" #type ", " #member ") != " #off)

#endif /* XFS_ENDIAN_H_ */
