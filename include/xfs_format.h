/*
 * xfs_format.h: on-disk layout of V5 (CRC-enabled) XFS as written by
 * xfsprogs 6.1 -- superblock, AG headers, the per-AG and per-inode btrees,
 * the inode core, remote symlink blocks and quota records -- together with
 * the address arithmetic that turns AG/block/inode numbers into one
 * another.
 *
 * Conventions:
 *  - structures are named for what they hold (struct xfs_dsb is the disk
 *    superblock, struct xfs_agf, struct xfs_dinode, ...), members carry
 *    the prefix of their structure and the name the reference xfs_db and
 *    the XFS documentation use for them;
 *  - multi-byte fields are big-endian (xfs_be*_t from xfs_endian.h); the
 *    CRC fields are little-endian (xfs_le32_t).  Read them with
 *    be32_to_cpu() etc.;
 *  - every structure's size is checked at compile time at the end of this
 *    file, every field offset in tests/unit/test_format.c;
 *  - helpers take host-order geometry values (sb_agblklog, sb_blocklog,
 *    ...) as explicit arguments, so they work on an in-core mount as well
 *    as on a raw superblock.
 *
 * Directory and attribute blocks live in xfs_da_format.h, the log in
 * xfs_log_format.h.
 */
#ifndef XFS_FORMAT_H_
#define XFS_FORMAT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "xfs_endian.h"

/* ---------------------------------------------------------------------
 * Basic units and null values
 */

#define BBSHIFT			9	/* "basic block": 512-byte disk address */
#define BBSIZE			(1 << BBSHIFT)
#define BBMASK			(BBSIZE - 1)

#define XFS_UUID_SIZE		16

#define XFS_MIN_BLOCKSIZE_LOG	9
#define XFS_MAX_BLOCKSIZE_LOG	16
#define XFS_MIN_SECTORSIZE_LOG	9
#define XFS_MAX_SECTORSIZE_LOG	15
#define XFS_DINODE_MIN_LOG	8
#define XFS_DINODE_MAX_LOG	11
#define XFS_MIN_AG_BLOCKS	64

#define NULLFSBLOCK		((uint64_t)-1)	/* fs block number */
#define NULLAGBLOCK		((uint32_t)-1)	/* AG block number */
#define NULLAGNUMBER		((uint32_t)-1)
#define NULLFSINO		((uint64_t)-1)	/* inode number */
#define NULLAGINO		((uint32_t)-1)	/* AG-relative inode number */
#define NULLFILEOFF		((uint64_t)-1)
#define NULLCOMMITLSN		((uint64_t)-1)

/* ---------------------------------------------------------------------
 * Superblock (sector 0 of every AG; AG 0's is the primary)
 */

#define XFS_SB_MAGIC		0x58465342	/* "XFSB" */
#define XFS_SB_DADDR		0

/* sb_versionnum: low nibble is the version, the rest feature bits. */
#define XFS_SB_VERSION_1		1
#define XFS_SB_VERSION_2		2
#define XFS_SB_VERSION_3		3
#define XFS_SB_VERSION_4		4
#define XFS_SB_VERSION_5		5
#define XFS_SB_VERSION_NUMBITS		0x000f
#define XFS_SB_VERSION_ATTRBIT		0x0010
#define XFS_SB_VERSION_NLINKBIT		0x0020
#define XFS_SB_VERSION_QUOTABIT		0x0040
#define XFS_SB_VERSION_ALIGNBIT		0x0080
#define XFS_SB_VERSION_DALIGNBIT	0x0100
#define XFS_SB_VERSION_SHAREDBIT	0x0200
#define XFS_SB_VERSION_LOGV2BIT		0x0400
#define XFS_SB_VERSION_SECTORBIT	0x0800
#define XFS_SB_VERSION_EXTFLGBIT	0x1000
#define XFS_SB_VERSION_DIRV2BIT		0x2000
#define XFS_SB_VERSION_BORGBIT		0x4000
#define XFS_SB_VERSION_MOREBITSBIT	0x8000

/* sb_features2 (and its copy sb_bad_features2). */
#define XFS_SB_VERSION2_RESERVED1BIT	0x00000001
#define XFS_SB_VERSION2_LAZYSBCOUNTBIT	0x00000002
#define XFS_SB_VERSION2_RESERVED4BIT	0x00000004
#define XFS_SB_VERSION2_ATTR2BIT	0x00000008
#define XFS_SB_VERSION2_PARENTBIT	0x00000010
#define XFS_SB_VERSION2_PROJID32BIT	0x00000080
#define XFS_SB_VERSION2_CRCBIT		0x00000100
#define XFS_SB_VERSION2_FTYPE		0x00000200

/* V5 feature words.  No compat features are defined. */
#define XFS_SB_FEAT_COMPAT_ALL		0u

#define XFS_SB_FEAT_RO_COMPAT_FINOBT	(1u << 0)	/* free inode btree */
#define XFS_SB_FEAT_RO_COMPAT_RMAPBT	(1u << 1)	/* reverse map btree */
#define XFS_SB_FEAT_RO_COMPAT_REFLINK	(1u << 2)	/* refcount btree */
#define XFS_SB_FEAT_RO_COMPAT_INOBTCNT	(1u << 3)	/* agi_iblocks/fblocks */
#define XFS_SB_FEAT_RO_COMPAT_ALL	0x0000000fu

#define XFS_SB_FEAT_INCOMPAT_FTYPE	(1u << 0)	/* ftype in dirents */
#define XFS_SB_FEAT_INCOMPAT_SPINODES	(1u << 1)	/* sparse inode chunks */
#define XFS_SB_FEAT_INCOMPAT_META_UUID	(1u << 2)	/* sb_meta_uuid used */
#define XFS_SB_FEAT_INCOMPAT_BIGTIME	(1u << 3)	/* 64-bit timestamps */
#define XFS_SB_FEAT_INCOMPAT_NEEDSREPAIR (1u << 4)	/* run xfs_repair */
#define XFS_SB_FEAT_INCOMPAT_NREXT64	(1u << 5)	/* 64-bit extent counts */
#define XFS_SB_FEAT_INCOMPAT_ALL	0x0000003fu

#define XFS_SB_FEAT_INCOMPAT_LOG_XATTRS	(1u << 0)	/* logged xattr intents */
#define XFS_SB_FEAT_INCOMPAT_LOG_ALL	0x00000001u

/* sb_qflags */
#define XFS_UQUOTA_ACCT		0x0001
#define XFS_UQUOTA_ENFD		0x0002
#define XFS_UQUOTA_CHKD		0x0004
#define XFS_PQUOTA_ACCT		0x0008
#define XFS_OQUOTA_ENFD		0x0010	/* pre-V5 group/project enforce */
#define XFS_OQUOTA_CHKD		0x0020	/* pre-V5 group/project checked */
#define XFS_GQUOTA_ACCT		0x0040
#define XFS_GQUOTA_ENFD		0x0080
#define XFS_GQUOTA_CHKD		0x0100
#define XFS_PQUOTA_ENFD		0x0200
#define XFS_PQUOTA_CHKD		0x0400

/* sb_flags */
#define XFS_SBF_READONLY	0x01

/* Length of sb_fname, the label (not NUL-terminated when full). */
#define XFSLABEL_MAX		12

struct xfs_dsb {
	xfs_be32_t	sb_magicnum;	/* XFS_SB_MAGIC */
	xfs_be32_t	sb_blocksize;	/* fs block size, bytes */
	xfs_be64_t	sb_dblocks;	/* data device blocks */
	xfs_be64_t	sb_rblocks;	/* realtime device blocks */
	xfs_be64_t	sb_rextents;	/* realtime extents */
	uint8_t		sb_uuid[XFS_UUID_SIZE];	/* user-visible fs uuid */
	xfs_be64_t	sb_logstart;	/* internal log start fsblock, or 0 */
	xfs_be64_t	sb_rootino;	/* root directory inode */
	xfs_be64_t	sb_rbmino;	/* realtime bitmap inode */
	xfs_be64_t	sb_rsumino;	/* realtime summary inode */
	xfs_be32_t	sb_rextsize;	/* realtime extent size, blocks */
	xfs_be32_t	sb_agblocks;	/* blocks per AG (last may be short) */
	xfs_be32_t	sb_agcount;
	xfs_be32_t	sb_rbmblocks;	/* realtime bitmap blocks */
	xfs_be32_t	sb_logblocks;	/* log blocks */
	xfs_be16_t	sb_versionnum;	/* XFS_SB_VERSION_* */
	xfs_be16_t	sb_sectsize;	/* sector size, bytes */
	xfs_be16_t	sb_inodesize;	/* inode size, bytes */
	xfs_be16_t	sb_inopblock;	/* inodes per block */
	char		sb_fname[XFSLABEL_MAX];	/* label, not terminated */
	uint8_t		sb_blocklog;	/* log2(sb_blocksize) */
	uint8_t		sb_sectlog;	/* log2(sb_sectsize) */
	uint8_t		sb_inodelog;	/* log2(sb_inodesize) */
	uint8_t		sb_inopblog;	/* log2(sb_inopblock) */
	uint8_t		sb_agblklog;	/* log2(sb_agblocks), rounded up */
	uint8_t		sb_rextslog;	/* log2(sb_rextents) */
	uint8_t		sb_inprogress;	/* mkfs in progress */
	uint8_t		sb_imax_pct;	/* max % of space for inodes */
	xfs_be64_t	sb_icount;	/* allocated inodes */
	xfs_be64_t	sb_ifree;	/* free inodes */
	xfs_be64_t	sb_fdblocks;	/* free data blocks */
	xfs_be64_t	sb_frextents;	/* free realtime extents */
	xfs_be64_t	sb_uquotino;	/* user quota inode */
	xfs_be64_t	sb_gquotino;	/* group quota inode */
	xfs_be16_t	sb_qflags;	/* XFS_*QUOTA_* */
	uint8_t		sb_flags;	/* XFS_SBF_* */
	uint8_t		sb_shared_vn;	/* must be 0 */
	xfs_be32_t	sb_inoalignmt;	/* inode chunk alignment, blocks */
	xfs_be32_t	sb_unit;	/* stripe unit, blocks */
	xfs_be32_t	sb_width;	/* stripe width, blocks */
	uint8_t		sb_dirblklog;	/* log2(dir block / fs block) */
	uint8_t		sb_logsectlog;	/* log2(log sector size) */
	xfs_be16_t	sb_logsectsize;	/* log sector size, bytes */
	xfs_be32_t	sb_logsunit;	/* log stripe unit, bytes */
	xfs_be32_t	sb_features2;	/* XFS_SB_VERSION2_* */
	xfs_be32_t	sb_bad_features2; /* copy of sb_features2 */
	/* V5 only from here */
	xfs_be32_t	sb_features_compat;
	xfs_be32_t	sb_features_ro_compat;
	xfs_be32_t	sb_features_incompat;
	xfs_be32_t	sb_features_log_incompat;
	xfs_le32_t	sb_crc;		/* CRC of the sector */
	xfs_be32_t	sb_spino_align;	/* sparse chunk alignment, blocks */
	xfs_be64_t	sb_pquotino;	/* project quota inode */
	xfs_be64_t	sb_lsn;		/* last write LSN */
	uint8_t		sb_meta_uuid[XFS_UUID_SIZE]; /* stamped in metadata */
};

#define XFS_SB_CRC_OFF		offsetof(struct xfs_dsb, sb_crc)

static inline unsigned int xfs_sb_version(const struct xfs_dsb *sb)
{
	return be16_to_cpu(sb->sb_versionnum) & XFS_SB_VERSION_NUMBITS;
}

static inline bool xfs_sb_is_v5(const struct xfs_dsb *sb)
{
	return xfs_sb_version(sb) == XFS_SB_VERSION_5;
}

static inline bool xfs_sb_has_ro_compat(const struct xfs_dsb *sb, uint32_t f)
{
	return (be32_to_cpu(sb->sb_features_ro_compat) & f) != 0;
}

static inline bool xfs_sb_has_incompat(const struct xfs_dsb *sb, uint32_t f)
{
	return (be32_to_cpu(sb->sb_features_incompat) & f) != 0;
}

static inline bool xfs_sb_has_log_incompat(const struct xfs_dsb *sb,
					   uint32_t f)
{
	return (be32_to_cpu(sb->sb_features_log_incompat) & f) != 0;
}

/* The UUID metadata blocks are stamped with. */
static inline const uint8_t *xfs_sb_meta_uuid(const struct xfs_dsb *sb)
{
	return xfs_sb_has_incompat(sb, XFS_SB_FEAT_INCOMPAT_META_UUID) ?
		sb->sb_meta_uuid : sb->sb_uuid;
}

/* ---------------------------------------------------------------------
 * AG headers: AGF (sector 1), AGI (sector 2), AGFL (sector 3)
 */

#define XFS_AGF_MAGIC		0x58414746	/* "XAGF" */
#define XFS_AGI_MAGIC		0x58414749	/* "XAGI" */
#define XFS_AGFL_MAGIC		0x5841464c	/* "XAFL" */
#define XFS_AGF_VERSION		1
#define XFS_AGI_VERSION		1

/* Sector index of each header inside its AG (the sb is sector 0). */
#define XFS_AGF_SECTOR		1
#define XFS_AGI_SECTOR		2
#define XFS_AGFL_SECTOR		3

/* Indexes into agf_roots[] / agf_levels[]. */
enum xfs_agf_btree {
	XFS_AGF_BNO = 0,	/* free space by block number */
	XFS_AGF_CNT = 1,	/* free space by size */
	XFS_AGF_RMAP = 2,	/* reverse mapping */
	XFS_AGF_NBTREES = 3,
};

struct xfs_agf {
	xfs_be32_t	agf_magicnum;	/* XFS_AGF_MAGIC */
	xfs_be32_t	agf_versionnum;	/* XFS_AGF_VERSION */
	xfs_be32_t	agf_seqno;	/* AG number */
	xfs_be32_t	agf_length;	/* AG size in blocks */
	xfs_be32_t	agf_roots[XFS_AGF_NBTREES];	/* btree root blocks */
	xfs_be32_t	agf_levels[XFS_AGF_NBTREES];	/* btree heights */
	xfs_be32_t	agf_flfirst;	/* first AGFL slot in use */
	xfs_be32_t	agf_fllast;	/* last AGFL slot in use */
	xfs_be32_t	agf_flcount;	/* AGFL blocks in use */
	xfs_be32_t	agf_freeblks;	/* free blocks in the AG */
	xfs_be32_t	agf_longest;	/* longest free extent */
	xfs_be32_t	agf_btreeblks;	/* bno/cnt/rmap blocks beyond roots */
	uint8_t		agf_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_be32_t	agf_rmap_blocks;	/* rmapbt blocks */
	xfs_be32_t	agf_refcount_blocks;	/* refcountbt blocks */
	xfs_be32_t	agf_refcount_root;
	xfs_be32_t	agf_refcount_level;
	xfs_be64_t	agf_spare64[14];	/* zero */
	xfs_be64_t	agf_lsn;	/* last write LSN */
	xfs_le32_t	agf_crc;	/* CRC of the sector */
	xfs_be32_t	agf_spare2;	/* zero */
};

#define XFS_AGF_CRC_OFF		offsetof(struct xfs_agf, agf_crc)

#define XFS_AGI_UNLINKED_BUCKETS	64

struct xfs_agi {
	xfs_be32_t	agi_magicnum;	/* XFS_AGI_MAGIC */
	xfs_be32_t	agi_versionnum;	/* XFS_AGI_VERSION */
	xfs_be32_t	agi_seqno;	/* AG number */
	xfs_be32_t	agi_length;	/* AG size in blocks */
	xfs_be32_t	agi_count;	/* allocated inodes */
	xfs_be32_t	agi_root;	/* inobt root block */
	xfs_be32_t	agi_level;	/* inobt height */
	xfs_be32_t	agi_freecount;	/* free inodes */
	xfs_be32_t	agi_newino;	/* most recently allocated chunk */
	xfs_be32_t	agi_dirino;	/* unused, NULLAGINO */
	xfs_be32_t	agi_unlinked[XFS_AGI_UNLINKED_BUCKETS];	/* agino lists */
	uint8_t		agi_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_le32_t	agi_crc;	/* CRC of the sector */
	xfs_be32_t	agi_pad32;	/* zero */
	xfs_be64_t	agi_lsn;	/* last write LSN */
	xfs_be32_t	agi_free_root;	/* finobt root block */
	xfs_be32_t	agi_free_level;	/* finobt height */
	xfs_be32_t	agi_iblocks;	/* inobt blocks (inobtcount) */
	xfs_be32_t	agi_fblocks;	/* finobt blocks (inobtcount) */
};

#define XFS_AGI_CRC_OFF		offsetof(struct xfs_agi, agi_crc)

/* V5 AGFL: this header, then big-endian AG block numbers to the sector end. */
struct xfs_agfl {
	xfs_be32_t	agfl_magicnum;	/* XFS_AGFL_MAGIC */
	xfs_be32_t	agfl_seqno;	/* AG number */
	uint8_t		agfl_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_be64_t	agfl_lsn;	/* last write LSN */
	xfs_le32_t	agfl_crc;	/* CRC of the sector */
	xfs_be32_t	agfl_bno[];	/* free list blocks */
} XFS_PACKED;

#define XFS_AGFL_CRC_OFF	offsetof(struct xfs_agfl, agfl_crc)

/*
 * The free list array.  The struct is packed (the array starts at byte
 * 36), so use this instead of &agfl->agfl_bno[i] to get a pointer.
 */
static inline xfs_be32_t *xfs_agfl_bno(struct xfs_agfl *agfl)
{
	return (xfs_be32_t *)((uint8_t *)agfl + offsetof(struct xfs_agfl,
							 agfl_bno));
}

/* Slots in the AGFL of a sector of sectsize bytes. */
static inline unsigned int xfs_agfl_size(unsigned int sectsize)
{
	return (unsigned int)((sectsize - sizeof(struct xfs_agfl)) /
			      sizeof(xfs_be32_t));
}

/* ---------------------------------------------------------------------
 * Btree blocks.  Per-AG btrees (bno, cnt, ino, fino, rmap, refcount) use
 * short 32-bit AG block pointers; the inode block-map btree (bmbt) uses
 * long 64-bit fs block pointers.  A block is the header, then records
 * (leaves) or keys followed by pointers (nodes).
 */

#define XFS_ABTB_MAGIC		0x41425442	/* "ABTB" bnobt, V4 */
#define XFS_ABTB_CRC_MAGIC	0x41423342	/* "AB3B" bnobt */
#define XFS_ABTC_MAGIC		0x41425443	/* "ABTC" cntbt, V4 */
#define XFS_ABTC_CRC_MAGIC	0x41423343	/* "AB3C" cntbt */
#define XFS_IBT_MAGIC		0x49414254	/* "IABT" inobt, V4 */
#define XFS_IBT_CRC_MAGIC	0x49414233	/* "IAB3" inobt */
#define XFS_FIBT_MAGIC		0x46494254	/* "FIBT" finobt, V4 */
#define XFS_FIBT_CRC_MAGIC	0x46494233	/* "FIB3" finobt */
#define XFS_RMAP_CRC_MAGIC	0x524d4233	/* "RMB3" rmapbt */
#define XFS_REFC_CRC_MAGIC	0x52334643	/* "R3FC" refcountbt */
#define XFS_BMAP_MAGIC		0x424d4150	/* "BMAP" bmbt, V4 */
#define XFS_BMAP_CRC_MAGIC	0x424d4133	/* "BMA3" bmbt */

/* Per-AG btrees: sibling pointers are AG block numbers. */
struct xfs_btree_sfields {
	xfs_be32_t	bb_leftsib;	/* NULLAGBLOCK at the left edge */
	xfs_be32_t	bb_rightsib;	/* NULLAGBLOCK at the right edge */
	xfs_be64_t	bb_blkno;	/* this block's daddr */
	xfs_be64_t	bb_lsn;		/* last write LSN */
	uint8_t		bb_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_be32_t	bb_owner;	/* AG number */
	xfs_le32_t	bb_crc;		/* CRC of the block */
};

/* Inode btrees (bmbt): sibling pointers are fs block numbers. */
struct xfs_btree_lfields {
	xfs_be64_t	bb_leftsib;	/* NULLFSBLOCK at the left edge */
	xfs_be64_t	bb_rightsib;	/* NULLFSBLOCK at the right edge */
	xfs_be64_t	bb_blkno;	/* this block's daddr */
	xfs_be64_t	bb_lsn;		/* last write LSN */
	uint8_t		bb_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_be64_t	bb_owner;	/* inode number */
	xfs_le32_t	bb_crc;		/* CRC of the block */
	xfs_be32_t	bb_pad;		/* zero */
};

struct xfs_btree_block {
	xfs_be32_t	bb_magic;	/* per-tree magic */
	xfs_be16_t	bb_level;	/* 0 for leaves */
	xfs_be16_t	bb_numrecs;	/* records or keys in this block */
	union {
		struct xfs_btree_sfields s;	/* per-AG trees */
		struct xfs_btree_lfields l;	/* bmbt */
	} bb_u;
};

/* Header sizes: records/keys start right after them. */
#define XFS_BTREE_SBLOCK_CRC_LEN	(8 + sizeof(struct xfs_btree_sfields))
#define XFS_BTREE_LBLOCK_CRC_LEN	(8 + sizeof(struct xfs_btree_lfields))
#define XFS_BTREE_SBLOCK_CRC_OFF \
	(offsetof(struct xfs_btree_block, bb_u) + \
	 offsetof(struct xfs_btree_sfields, bb_crc))
#define XFS_BTREE_LBLOCK_CRC_OFF \
	(offsetof(struct xfs_btree_block, bb_u) + \
	 offsetof(struct xfs_btree_lfields, bb_crc))

/*
 * Entries per block: a leaf holds (blocklen - hdrlen) / recsize records;
 * a node holds keys then pointers, each key taking keysize bytes (the
 * rmapbt stores a low and a high key, so pass twice its key size).
 */
static inline unsigned int xfs_btree_maxrecs(unsigned int blocklen,
					     unsigned int hdrlen,
					     unsigned int recsize)
{
	return (blocklen - hdrlen) / recsize;
}

static inline unsigned int xfs_btree_maxkeys(unsigned int blocklen,
					     unsigned int hdrlen,
					     unsigned int keysize,
					     unsigned int ptrsize)
{
	return (blocklen - hdrlen) / (keysize + ptrsize);
}

/* Byte offsets (from the block start) of entry i, counting from 1. */
static inline size_t xfs_btree_rec_offset(unsigned int hdrlen,
					  unsigned int recsize, unsigned int i)
{
	return hdrlen + (size_t)(i - 1) * recsize;
}

static inline size_t xfs_btree_key_offset(unsigned int hdrlen,
					  unsigned int keysize, unsigned int i)
{
	return hdrlen + (size_t)(i - 1) * keysize;
}

/* Pointers follow all maxkeys key slots, whatever numrecs is. */
static inline size_t xfs_btree_ptr_offset(unsigned int hdrlen,
					  unsigned int keysize,
					  unsigned int ptrsize,
					  unsigned int maxkeys, unsigned int i)
{
	return hdrlen + (size_t)maxkeys * keysize +
	       (size_t)(i - 1) * ptrsize;
}

/* Free space btrees: record and key are the same. */
struct xfs_alloc_rec {
	xfs_be32_t	ar_startblock;	/* AG block */
	xfs_be32_t	ar_blockcount;	/* length in blocks */
};
typedef struct xfs_alloc_rec xfs_alloc_key_t;
typedef xfs_be32_t xfs_alloc_ptr_t;

/* Inode btrees: a record covers a 64-inode chunk. */
#define XFS_INODES_PER_CHUNK		64
#define XFS_INODES_PER_HOLEMASK_BIT	4	/* 64 inodes / 16 mask bits */
#define XFS_INOBT_HOLEMASK_FULL		0	/* no holes */
#define XFS_INOBT_ALL_FREE		(~(uint64_t)0)

struct xfs_inobt_rec {
	xfs_be32_t	ir_startino;	/* first agino of the chunk */
	union {
		struct {
			xfs_be32_t	ir_freecount;	/* free inodes */
		} f;				/* without sparse inodes */
		struct {
			xfs_be16_t	ir_holemask;	/* 1 bit = 4 absent */
			uint8_t		ir_count;	/* inodes present */
			uint8_t		ir_freecount;	/* free inodes */
		} sp;				/* with sparse inodes */
	} ir_u;
	xfs_be64_t	ir_free;	/* 1 bit per free inode */
};

struct xfs_inobt_key {
	xfs_be32_t	ir_startino;
};
typedef xfs_be32_t xfs_inobt_ptr_t;

/* Reference count btree. */
#define XFS_REFC_COWFLAG		(1u << 31)	/* in rc_startblock */
#define XFS_REFC_LEN_MAX		((1u << 31) - 1)

struct xfs_refcount_rec {
	xfs_be32_t	rc_startblock;	/* AG block, COWFLAG for staging */
	xfs_be32_t	rc_blockcount;	/* length */
	xfs_be32_t	rc_refcount;	/* owners sharing the extent */
};

struct xfs_refcount_key {
	xfs_be32_t	rc_startblock;
};
typedef xfs_be32_t xfs_refcount_ptr_t;

/* Reverse mapping btree. */
#define XFS_RMAP_OWN_NULL	((uint64_t)-1)	/* no owner, for queries */
#define XFS_RMAP_OWN_UNKNOWN	((uint64_t)-2)	/* unknown owner */
#define XFS_RMAP_OWN_FS		((uint64_t)-3)	/* sb and AG headers */
#define XFS_RMAP_OWN_LOG	((uint64_t)-4)	/* internal log */
#define XFS_RMAP_OWN_AG		((uint64_t)-5)	/* bno/cnt/rmap/AGFL blocks */
#define XFS_RMAP_OWN_INOBT	((uint64_t)-6)	/* inobt and finobt blocks */
#define XFS_RMAP_OWN_INODES	((uint64_t)-7)	/* inode chunks */
#define XFS_RMAP_OWN_REFC	((uint64_t)-8)	/* refcountbt blocks */
#define XFS_RMAP_OWN_COW	((uint64_t)-9)	/* CoW staging extents */
#define XFS_RMAP_OWN_MIN	((uint64_t)-10)	/* lowest special owner */

static inline bool xfs_rmap_owner_is_special(uint64_t owner)
{
	return owner > XFS_RMAP_OWN_MIN;
}

/* rm_offset packs the file offset with three flags. */
#define XFS_RMAP_OFF_ATTR_FORK		(1ull << 63)
#define XFS_RMAP_OFF_BMBT_BLOCK		(1ull << 62)
#define XFS_RMAP_OFF_UNWRITTEN		(1ull << 61)
#define XFS_RMAP_OFF_FLAGS \
	(XFS_RMAP_OFF_ATTR_FORK | XFS_RMAP_OFF_BMBT_BLOCK | \
	 XFS_RMAP_OFF_UNWRITTEN)
#define XFS_RMAP_OFF_BITS		54
#define XFS_RMAP_OFF_MASK		((1ull << XFS_RMAP_OFF_BITS) - 1)
#define XFS_RMAP_LEN_MAX		((uint32_t)~0u)

struct xfs_rmap_rec {
	xfs_be32_t	rm_startblock;	/* AG block */
	xfs_be32_t	rm_blockcount;	/* length */
	xfs_be64_t	rm_owner;	/* inode number or XFS_RMAP_OWN_* */
	xfs_be64_t	rm_offset;	/* file offset | XFS_RMAP_OFF_* flags */
};

/*
 * rmapbt nodes hold a low key then a high key per child (the tree is
 * overlapping), so a node entry is 2 * sizeof(struct xfs_rmap_key).
 * The unwritten flag is not part of the key.
 */
struct xfs_rmap_key {
	xfs_be32_t	rm_startblock;
	xfs_be64_t	rm_owner;
	xfs_be64_t	rm_offset;	/* without XFS_RMAP_OFF_UNWRITTEN */
} XFS_PACKED;
typedef xfs_be32_t xfs_rmap_ptr_t;

static inline uint64_t xfs_rmap_off_pack(uint64_t offset, uint64_t flags)
{
	return (offset & XFS_RMAP_OFF_MASK) | (flags & XFS_RMAP_OFF_FLAGS);
}

static inline uint64_t xfs_rmap_off_offset(uint64_t raw)
{
	return raw & XFS_RMAP_OFF_MASK;
}

static inline uint64_t xfs_rmap_off_flags(uint64_t raw)
{
	return raw & XFS_RMAP_OFF_FLAGS;
}

/*
 * Block map btree.  A record is 128 bits, big-endian as a whole:
 *   bit 127      extent is unwritten (preallocated)
 *   bits 126-73  file offset, blocks (54 bits)
 *   bits 72-21   start fs block (52 bits)
 *   bits 20-0    length, blocks (21 bits)
 */
#define XFS_BMBT_STARTOFF_BITS	54
#define XFS_BMBT_STARTBLOCK_BITS 52
#define XFS_BMBT_BLOCKCOUNT_BITS 21
#define XFS_BMBT_MAX_STARTOFF	((1ull << XFS_BMBT_STARTOFF_BITS) - 1)
#define XFS_BMBT_MAX_STARTBLOCK	((1ull << XFS_BMBT_STARTBLOCK_BITS) - 1)
#define XFS_BMBT_MAX_BLOCKCOUNT	((1ull << XFS_BMBT_BLOCKCOUNT_BITS) - 1)

struct xfs_bmbt_rec {
	xfs_be64_t	l0;
	xfs_be64_t	l1;
};

struct xfs_bmbt_key {
	xfs_be64_t	br_startoff;	/* first file block of the subtree */
};
typedef xfs_be64_t xfs_bmbt_ptr_t;	/* fs block number */

static inline uint64_t xfs_bmbt_disk_startoff(const struct xfs_bmbt_rec *r)
{
	return (be64_to_cpu(r->l0) >> 9) & XFS_BMBT_MAX_STARTOFF;
}

static inline uint64_t xfs_bmbt_disk_startblock(const struct xfs_bmbt_rec *r)
{
	return ((be64_to_cpu(r->l0) & 0x1ffull) << 43) |
	       (be64_to_cpu(r->l1) >> 21);
}

static inline uint32_t xfs_bmbt_disk_blockcount(const struct xfs_bmbt_rec *r)
{
	return (uint32_t)(be64_to_cpu(r->l1) & XFS_BMBT_MAX_BLOCKCOUNT);
}

static inline bool xfs_bmbt_disk_unwritten(const struct xfs_bmbt_rec *r)
{
	return (be64_to_cpu(r->l0) >> 63) != 0;
}

/* Fields wider than their slots are truncated; callers check ranges. */
static inline void xfs_bmbt_disk_pack(struct xfs_bmbt_rec *r,
				      uint64_t startoff, uint64_t startblock,
				      uint64_t blockcount, bool unwritten)
{
	uint64_t l0, l1;

	l0 = ((uint64_t)unwritten << 63) |
	     ((startoff & XFS_BMBT_MAX_STARTOFF) << 9) |
	     ((startblock & XFS_BMBT_MAX_STARTBLOCK) >> 43);
	l1 = (startblock << 21) | (blockcount & XFS_BMBT_MAX_BLOCKCOUNT);
	r->l0 = cpu_to_be64(l0);
	r->l1 = cpu_to_be64(l1);
}

/* Root of a bmbt stored in an inode fork: level, numrecs, keys, ptrs. */
struct xfs_bmdr_block {
	xfs_be16_t	bb_level;	/* root level, >= 1 */
	xfs_be16_t	bb_numrecs;	/* keys in the root */
};

/* Keys/pointers that fit in an inode-fork root of forksize bytes. */
static inline unsigned int xfs_bmdr_maxrecs(unsigned int forksize)
{
	return (unsigned int)((forksize - sizeof(struct xfs_bmdr_block)) /
	       (sizeof(struct xfs_bmbt_key) + sizeof(xfs_bmbt_ptr_t)));
}

/* ---------------------------------------------------------------------
 * Inodes
 */

#define XFS_DINODE_MAGIC	0x494e		/* "IN" */
#define XFS_DINODE_VERSION_V3	3
#define XFS_DINODE_CORE_V2_SIZE	100	/* up to di_next_unlinked */
#define XFS_DINODE_CORE_V3_SIZE	176	/* full V3 core */
#define XFS_DINODE_FORKOFF_SHIFT 3	/* di_forkoff is in 8-byte units */

/* di_format / di_aformat */
enum xfs_dinode_fmt {
	XFS_DINODE_FMT_DEV = 0,		/* device number in the data fork */
	XFS_DINODE_FMT_LOCAL = 1,	/* data inline in the fork */
	XFS_DINODE_FMT_EXTENTS = 2,	/* array of bmbt records */
	XFS_DINODE_FMT_BTREE = 3,	/* bmbt root */
	XFS_DINODE_FMT_UUID = 4,	/* unused */
};

/* Which fork. */
#define XFS_DATA_FORK		0
#define XFS_ATTR_FORK		1
#define XFS_COW_FORK		2	/* in-core only */

/* di_flags */
#define XFS_DIFLAG_REALTIME	(1u << 0)	/* data on the rt device */
#define XFS_DIFLAG_PREALLOC	(1u << 1)	/* has preallocated space */
#define XFS_DIFLAG_NEWRTBM	(1u << 2)	/* rbmino: new bitmap format */
#define XFS_DIFLAG_IMMUTABLE	(1u << 3)
#define XFS_DIFLAG_APPEND	(1u << 4)
#define XFS_DIFLAG_SYNC		(1u << 5)
#define XFS_DIFLAG_NOATIME	(1u << 6)
#define XFS_DIFLAG_NODUMP	(1u << 7)
#define XFS_DIFLAG_RTINHERIT	(1u << 8)
#define XFS_DIFLAG_PROJINHERIT	(1u << 9)
#define XFS_DIFLAG_NOSYMLINKS	(1u << 10)
#define XFS_DIFLAG_EXTSIZE	(1u << 11)
#define XFS_DIFLAG_EXTSZINHERIT	(1u << 12)
#define XFS_DIFLAG_NODEFRAG	(1u << 13)
#define XFS_DIFLAG_FILESTREAM	(1u << 14)
#define XFS_DIFLAG_ANY		0x7fffu

/* di_flags2 */
#define XFS_DIFLAG2_DAX		(1ull << 0)
#define XFS_DIFLAG2_REFLINK	(1ull << 1)	/* may share blocks */
#define XFS_DIFLAG2_COWEXTSIZE	(1ull << 2)	/* di_cowextsize is set */
#define XFS_DIFLAG2_BIGTIME	(1ull << 3)	/* timestamps are bigtime */
#define XFS_DIFLAG2_NREXT64	(1ull << 4)	/* 64-bit extent counters */
#define XFS_DIFLAG2_ANY		0x1full

/*
 * Timestamps are 8 bytes.  Legacy: signed 32-bit seconds since the Unix
 * epoch, then 32-bit nanoseconds.  Bigtime (XFS_DIFLAG2_BIGTIME): one
 * unsigned 64-bit count of nanoseconds since 1901-12-13T20:45:52Z, i.e.
 * the Unix epoch minus 2^31 seconds.
 */
typedef xfs_be64_t xfs_timestamp_t;

struct xfs_legacy_timestamp {
	xfs_be32_t	t_sec;		/* signed */
	xfs_be32_t	t_nsec;
};

#define XFS_NSEC_PER_SEC		1000000000ll
#define XFS_LEGACY_TIME_MIN		((int64_t)INT32_MIN)
#define XFS_LEGACY_TIME_MAX		((int64_t)INT32_MAX)
#define XFS_BIGTIME_EPOCH_OFFSET	(-(int64_t)INT32_MIN)	/* 2^31 */
#define XFS_BIGTIME_TIME_MIN		XFS_LEGACY_TIME_MIN
#define XFS_BIGTIME_TIME_MAX \
	((int64_t)((UINT64_MAX / XFS_NSEC_PER_SEC) - XFS_BIGTIME_EPOCH_OFFSET))

static inline void xfs_timestamp_decode(xfs_timestamp_t ts, bool bigtime,
					int64_t *sec, uint32_t *nsec)
{
	uint64_t raw = be64_to_cpu(ts);

	if (bigtime) {
		*sec = (int64_t)(raw / XFS_NSEC_PER_SEC) -
		       XFS_BIGTIME_EPOCH_OFFSET;
		*nsec = (uint32_t)(raw % XFS_NSEC_PER_SEC);
	} else {
		*sec = (int32_t)(uint32_t)(raw >> 32);
		*nsec = (uint32_t)raw;
	}
}

/* Out-of-range seconds are clamped to what the encoding can hold. */
static inline xfs_timestamp_t xfs_timestamp_encode(int64_t sec,
						   uint32_t nsec,
						   bool bigtime)
{
	if (bigtime) {
		if (sec < XFS_BIGTIME_TIME_MIN)
			sec = XFS_BIGTIME_TIME_MIN;
		if (sec > XFS_BIGTIME_TIME_MAX)
			sec = XFS_BIGTIME_TIME_MAX;
		if (sec == XFS_BIGTIME_TIME_MAX &&
		    nsec > UINT64_MAX % XFS_NSEC_PER_SEC)
			nsec = (uint32_t)(UINT64_MAX % XFS_NSEC_PER_SEC);
		return cpu_to_be64((uint64_t)(sec + XFS_BIGTIME_EPOCH_OFFSET) *
				   XFS_NSEC_PER_SEC + nsec);
	}
	if (sec < XFS_LEGACY_TIME_MIN)
		sec = XFS_LEGACY_TIME_MIN;
	if (sec > XFS_LEGACY_TIME_MAX)
		sec = XFS_LEGACY_TIME_MAX;
	return cpu_to_be64(((uint64_t)(uint32_t)(int32_t)sec << 32) | nsec);
}

/* Extent counter limits. */
#define XFS_MAX_EXTCNT_DATA_FORK_LARGE	((1ull << 48) - 1)
#define XFS_MAX_EXTCNT_ATTR_FORK_LARGE	((1ull << 32) - 1)
#define XFS_MAX_EXTCNT_DATA_FORK_SMALL	((1ull << 31) - 1)
#define XFS_MAX_EXTCNT_ATTR_FORK_SMALL	((1ull << 15) - 1)

struct xfs_dinode {
	xfs_be16_t	di_magic;	/* XFS_DINODE_MAGIC */
	xfs_be16_t	di_mode;	/* file type and permissions */
	uint8_t		di_version;	/* 3 on V5 filesystems */
	uint8_t		di_format;	/* data fork: XFS_DINODE_FMT_* */
	xfs_be16_t	di_onlink;	/* V1 link count; zero from V2 on */
	xfs_be32_t	di_uid;
	xfs_be32_t	di_gid;
	xfs_be32_t	di_nlink;	/* link count */
	xfs_be16_t	di_projid_lo;	/* project id, low 16 bits */
	xfs_be16_t	di_projid_hi;	/* project id, high 16 bits */
	union {
		xfs_be64_t	di_big_nextents; /* data extents if NREXT64 */
		xfs_be64_t	di_v3_pad;	/* zero on V3 without NREXT64 */
		struct {
			uint8_t		di_v2_pad[6];
			xfs_be16_t	di_flushiter;	/* V2 only */
		};
	};
	xfs_timestamp_t	di_atime;
	xfs_timestamp_t	di_mtime;
	xfs_timestamp_t	di_ctime;
	xfs_be64_t	di_size;	/* bytes */
	xfs_be64_t	di_nblocks;	/* blocks: data + bmbt, not attr */
	xfs_be32_t	di_extsize;	/* extent size hint, blocks */
	union {
		xfs_be32_t	di_nextents;	  /* data extents */
		xfs_be32_t	di_big_anextents; /* attr extents if NREXT64 */
	};
	union {
		xfs_be16_t	di_anextents;	  /* attr extents */
		xfs_be16_t	di_nrext64_pad;	  /* zero if NREXT64 */
	};
	uint8_t		di_forkoff;	/* attr fork offset, 8-byte units */
	int8_t		di_aformat;	/* attr fork: XFS_DINODE_FMT_* */
	xfs_be32_t	di_dmevmask;	/* DMAPI, unused */
	xfs_be16_t	di_dmstate;	/* DMAPI, unused */
	xfs_be16_t	di_flags;	/* XFS_DIFLAG_* */
	xfs_be32_t	di_gen;		/* generation number */
	xfs_be32_t	di_next_unlinked; /* agino, AGI unlinked list */
	/* V3 only from here */
	xfs_le32_t	di_crc;		/* CRC of the whole inode */
	xfs_be64_t	di_changecount;	/* attribute change count */
	xfs_be64_t	di_lsn;		/* last write LSN */
	xfs_be64_t	di_flags2;	/* XFS_DIFLAG2_* */
	xfs_be32_t	di_cowextsize;	/* CoW extent size hint, blocks */
	uint8_t		di_pad2[12];	/* zero */
	xfs_timestamp_t	di_crtime;	/* creation time */
	xfs_be64_t	di_ino;		/* this inode's number */
	uint8_t		di_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	/* the literal area (data fork, then attr fork) follows */
};

#define XFS_DINODE_CRC_OFF	offsetof(struct xfs_dinode, di_crc)

static inline bool xfs_dinode_good_version(uint8_t v)
{
	return v >= 1 && v <= 3;
}

static inline unsigned int xfs_dinode_core_size(uint8_t version)
{
	return version >= 3 ? XFS_DINODE_CORE_V3_SIZE : XFS_DINODE_CORE_V2_SIZE;
}

static inline uint32_t xfs_dinode_projid(const struct xfs_dinode *dip)
{
	return ((uint32_t)be16_to_cpu(dip->di_projid_hi) << 16) |
	       be16_to_cpu(dip->di_projid_lo);
}

static inline bool xfs_dinode_has_nrext64(const struct xfs_dinode *dip)
{
	return dip->di_version >= 3 &&
	       (be64_to_cpu(dip->di_flags2) & XFS_DIFLAG2_NREXT64);
}

static inline bool xfs_dinode_has_bigtime(const struct xfs_dinode *dip)
{
	return dip->di_version >= 3 &&
	       (be64_to_cpu(dip->di_flags2) & XFS_DIFLAG2_BIGTIME);
}

static inline uint64_t xfs_dinode_nextents(const struct xfs_dinode *dip)
{
	if (xfs_dinode_has_nrext64(dip))
		return be64_to_cpu(dip->di_big_nextents);
	return be32_to_cpu(dip->di_nextents);
}

static inline uint32_t xfs_dinode_anextents(const struct xfs_dinode *dip)
{
	if (xfs_dinode_has_nrext64(dip))
		return be32_to_cpu(dip->di_big_anextents);
	return be16_to_cpu(dip->di_anextents);
}

/* Set the counters in the layout chosen by di_flags2 (set that first). */
static inline void xfs_dinode_set_nextents(struct xfs_dinode *dip,
					   uint64_t data, uint32_t attr)
{
	if (xfs_dinode_has_nrext64(dip)) {
		dip->di_big_nextents = cpu_to_be64(data);
		dip->di_big_anextents = cpu_to_be32(attr);
		dip->di_nrext64_pad = 0;
	} else {
		dip->di_v3_pad = 0;
		dip->di_nextents = cpu_to_be32((uint32_t)data);
		dip->di_anextents = cpu_to_be16((uint16_t)attr);
	}
}

/* Literal area (both forks) of an inode of inodesize bytes. */
static inline unsigned int xfs_dinode_litsize(unsigned int inodesize,
					      uint8_t version)
{
	return inodesize - xfs_dinode_core_size(version);
}

static inline bool xfs_dinode_has_attr_fork(const struct xfs_dinode *dip)
{
	return dip->di_forkoff != 0;
}

static inline unsigned int xfs_dfork_boff(const struct xfs_dinode *dip)
{
	return (unsigned int)dip->di_forkoff << XFS_DINODE_FORKOFF_SHIFT;
}

static inline unsigned int xfs_dfork_dsize(const struct xfs_dinode *dip,
					   unsigned int inodesize)
{
	if (xfs_dinode_has_attr_fork(dip))
		return xfs_dfork_boff(dip);
	return xfs_dinode_litsize(inodesize, dip->di_version);
}

static inline unsigned int xfs_dfork_asize(const struct xfs_dinode *dip,
					   unsigned int inodesize)
{
	if (!xfs_dinode_has_attr_fork(dip))
		return 0;
	return xfs_dinode_litsize(inodesize, dip->di_version) -
	       xfs_dfork_boff(dip);
}

static inline unsigned int xfs_dfork_size(const struct xfs_dinode *dip,
					  unsigned int inodesize, int whichfork)
{
	return whichfork == XFS_DATA_FORK ? xfs_dfork_dsize(dip, inodesize) :
					    xfs_dfork_asize(dip, inodesize);
}

static inline void *xfs_dfork_dptr(struct xfs_dinode *dip)
{
	return (char *)dip + xfs_dinode_core_size(dip->di_version);
}

static inline void *xfs_dfork_aptr(struct xfs_dinode *dip)
{
	return (char *)xfs_dfork_dptr(dip) + xfs_dfork_boff(dip);
}

static inline void *xfs_dfork_ptr(struct xfs_dinode *dip, int whichfork)
{
	return whichfork == XFS_DATA_FORK ? xfs_dfork_dptr(dip) :
					    xfs_dfork_aptr(dip);
}

static inline uint8_t xfs_dfork_format(const struct xfs_dinode *dip,
				       int whichfork)
{
	return whichfork == XFS_DATA_FORK ? dip->di_format :
					    (uint8_t)dip->di_aformat;
}

/*
 * Device inodes keep a 32-bit device number in the data fork: major in
 * the top 14 bits, minor in the low 18.
 */
#define XFS_DEV_BITSMINOR	18
#define XFS_DEV_MAXMAJ		((1u << 14) - 1)
#define XFS_DEV_MAXMIN		((1u << XFS_DEV_BITSMINOR) - 1)

static inline uint32_t xfs_dev_encode(uint32_t major, uint32_t minor)
{
	return ((major & XFS_DEV_MAXMAJ) << XFS_DEV_BITSMINOR) |
	       (minor & XFS_DEV_MAXMIN);
}

static inline uint32_t xfs_dev_major(uint32_t dev)
{
	return (dev >> XFS_DEV_BITSMINOR) & XFS_DEV_MAXMAJ;
}

static inline uint32_t xfs_dev_minor(uint32_t dev)
{
	return dev & XFS_DEV_MAXMIN;
}

/* File type bits of di_mode (the POSIX S_IF* values). */
#define XFS_IFMT	0170000
#define XFS_IFSOCK	0140000
#define XFS_IFLNK	0120000
#define XFS_IFREG	0100000
#define XFS_IFBLK	0060000
#define XFS_IFDIR	0040000
#define XFS_IFCHR	0020000
#define XFS_IFIFO	0010000

/* ---------------------------------------------------------------------
 * Remote symlink blocks: each block is this header, then target bytes.
 */

#define XFS_SYMLINK_MAGIC	0x58534c4d	/* "XSLM" */
#define XFS_SYMLINK_MAXLEN	1024
#define XFS_SYMLINK_MAPS	3	/* max extents of a remote target */

struct xfs_dsymlink_hdr {
	xfs_be32_t	sl_magic;	/* XFS_SYMLINK_MAGIC */
	xfs_be32_t	sl_offset;	/* byte offset of this piece */
	xfs_be32_t	sl_bytes;	/* target bytes in this block */
	xfs_le32_t	sl_crc;		/* CRC of the block */
	uint8_t		sl_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_be64_t	sl_owner;	/* inode number */
	xfs_be64_t	sl_blkno;	/* this block's daddr */
	xfs_be64_t	sl_lsn;		/* last write LSN */
};

#define XFS_SYMLINK_CRC_OFF	offsetof(struct xfs_dsymlink_hdr, sl_crc)

static inline unsigned int xfs_symlink_buf_space(unsigned int blocksize)
{
	return (unsigned int)(blocksize - sizeof(struct xfs_dsymlink_hdr));
}

/* ---------------------------------------------------------------------
 * Quota records: quota inodes hold arrays of struct xfs_dqblk.
 */

#define XFS_DQUOT_MAGIC		0x4451		/* "DQ" */
#define XFS_DQUOT_VERSION	0x01

/* d_type */
#define XFS_DQTYPE_USER		0x01
#define XFS_DQTYPE_PROJ		0x02
#define XFS_DQTYPE_GROUP	0x04
#define XFS_DQTYPE_BIGTIME	0x80	/* timers in bigtime encoding */
#define XFS_DQTYPE_REC_MASK	0x07

/* Bigtime quota timers: (seconds + 2^31) >> 2, as a 32-bit value. */
#define XFS_DQ_BIGTIME_SHIFT	2

struct xfs_disk_dquot {
	xfs_be16_t	d_magic;	/* XFS_DQUOT_MAGIC */
	uint8_t		d_version;	/* XFS_DQUOT_VERSION */
	uint8_t		d_type;		/* XFS_DQTYPE_* */
	xfs_be32_t	d_id;		/* user, group or project id */
	xfs_be64_t	d_blk_hardlimit;
	xfs_be64_t	d_blk_softlimit;
	xfs_be64_t	d_ino_hardlimit;
	xfs_be64_t	d_ino_softlimit;
	xfs_be64_t	d_bcount;	/* blocks owned */
	xfs_be64_t	d_icount;	/* inodes owned */
	xfs_be32_t	d_itimer;	/* inode grace expiry */
	xfs_be32_t	d_btimer;	/* block grace expiry */
	xfs_be16_t	d_iwarns;
	xfs_be16_t	d_bwarns;
	xfs_be32_t	d_pad0;
	xfs_be64_t	d_rtb_hardlimit;
	xfs_be64_t	d_rtb_softlimit;
	xfs_be64_t	d_rtbcount;
	xfs_be32_t	d_rtbtimer;
	xfs_be16_t	d_rtbwarns;
	xfs_be16_t	d_pad;
};

struct xfs_dqblk {
	struct xfs_disk_dquot dd_diskdq;
	uint8_t		dd_fill[4];	/* zero */
	xfs_le32_t	dd_crc;		/* CRC of this record */
	xfs_be64_t	dd_lsn;		/* last write LSN */
	uint8_t		dd_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
};

#define XFS_DQUOT_CRC_OFF	offsetof(struct xfs_dqblk, dd_crc)

/* ---------------------------------------------------------------------
 * Address arithmetic.  Terms:
 *   daddr  - disk address in 512-byte basic blocks from the device start
 *   agno   - AG number; agbno - block inside an AG
 *   fsbno  - fs block number: agno << sb_agblklog | agbno (sparse: the
 *            gap between sb_agblocks and 2^agblklog is never used)
 *   agino  - AG-relative inode number: agbno << sb_inopblog | offset
 *   ino    - inode number: agno << (agblklog + inopblog) | agino
 * Linear block numbers (agno * sb_agblocks + agbno) are "fsbt" here.
 */

static inline uint64_t xfs_agbno_to_fsbno(unsigned int agblklog,
					  uint32_t agno, uint32_t agbno)
{
	return ((uint64_t)agno << agblklog) | agbno;
}

static inline uint32_t xfs_fsbno_to_agno(unsigned int agblklog, uint64_t fsbno)
{
	return (uint32_t)(fsbno >> agblklog);
}

static inline uint32_t xfs_fsbno_to_agbno(unsigned int agblklog,
					  uint64_t fsbno)
{
	return (uint32_t)(fsbno & ((1ull << agblklog) - 1));
}

/* Blocks <-> basic blocks. */
static inline uint64_t xfs_fsb_to_bb(unsigned int blocklog, uint64_t blocks)
{
	return blocks << (blocklog - BBSHIFT);
}

static inline uint64_t xfs_bb_to_fsbt(unsigned int blocklog, uint64_t bbs)
{
	return bbs >> (blocklog - BBSHIFT);	/* rounds down */
}

static inline uint64_t xfs_bb_to_fsb(unsigned int blocklog, uint64_t bbs)
{
	uint64_t per = 1ull << (blocklog - BBSHIFT);

	return (bbs + per - 1) >> (blocklog - BBSHIFT);	/* rounds up */
}

/* Bytes <-> fs blocks. */
static inline uint64_t xfs_fsb_to_b(unsigned int blocklog, uint64_t blocks)
{
	return blocks << blocklog;
}

static inline uint64_t xfs_b_to_fsbt(unsigned int blocklog, uint64_t bytes)
{
	return bytes >> blocklog;			/* rounds down */
}

static inline uint64_t xfs_b_to_fsb(unsigned int blocklog, uint64_t bytes)
{
	return (bytes + (1ull << blocklog) - 1) >> blocklog;	/* rounds up */
}

/* Offset of a byte address inside its fs block. */
static inline unsigned int xfs_b_fsb_offset(unsigned int blocklog,
					    uint64_t bytes)
{
	return (unsigned int)(bytes & ((1ull << blocklog) - 1));
}

static inline uint64_t xfs_agbno_to_daddr(unsigned int blocklog,
					  uint32_t agblocks, uint32_t agno,
					  uint32_t agbno)
{
	return xfs_fsb_to_bb(blocklog, (uint64_t)agno * agblocks + agbno);
}

static inline uint64_t xfs_fsbno_to_daddr(unsigned int blocklog,
					  unsigned int agblklog,
					  uint32_t agblocks, uint64_t fsbno)
{
	return xfs_agbno_to_daddr(blocklog, agblocks,
				  xfs_fsbno_to_agno(agblklog, fsbno),
				  xfs_fsbno_to_agbno(agblklog, fsbno));
}

static inline uint32_t xfs_daddr_to_agno(unsigned int blocklog,
					 uint32_t agblocks, uint64_t daddr)
{
	return (uint32_t)(xfs_bb_to_fsbt(blocklog, daddr) / agblocks);
}

static inline uint32_t xfs_daddr_to_agbno(unsigned int blocklog,
					  uint32_t agblocks, uint64_t daddr)
{
	return (uint32_t)(xfs_bb_to_fsbt(blocklog, daddr) % agblocks);
}

static inline uint64_t xfs_daddr_to_fsbno(unsigned int blocklog,
					  unsigned int agblklog,
					  uint32_t agblocks, uint64_t daddr)
{
	return xfs_agbno_to_fsbno(agblklog,
				  xfs_daddr_to_agno(blocklog, agblocks, daddr),
				  xfs_daddr_to_agbno(blocklog, agblocks, daddr));
}

/* daddr of an AG header (XFS_AGF_SECTOR etc.) in AG agno. */
static inline uint64_t xfs_ag_hdr_daddr(unsigned int blocklog,
					unsigned int sectlog, uint32_t agblocks,
					uint32_t agno, unsigned int sector)
{
	return xfs_agbno_to_daddr(blocklog, agblocks, agno, 0) +
	       ((uint64_t)sector << (sectlog - BBSHIFT));
}

/* AG block holding an AG header sector. */
static inline uint32_t xfs_ag_hdr_agbno(unsigned int blocklog,
					unsigned int sectlog, unsigned int sector)
{
	return (uint32_t)(((uint64_t)sector << sectlog) >> blocklog);
}

/* Inode numbers. */
static inline unsigned int xfs_agino_bits(unsigned int agblklog,
					  unsigned int inopblog)
{
	return agblklog + inopblog;
}

static inline uint32_t xfs_ino_to_agno(unsigned int agblklog,
				       unsigned int inopblog, uint64_t ino)
{
	return (uint32_t)(ino >> xfs_agino_bits(agblklog, inopblog));
}

static inline uint32_t xfs_ino_to_agino(unsigned int agblklog,
					unsigned int inopblog, uint64_t ino)
{
	return (uint32_t)(ino &
			  ((1ull << xfs_agino_bits(agblklog, inopblog)) - 1));
}

static inline uint64_t xfs_agino_to_ino(unsigned int agblklog,
					unsigned int inopblog, uint32_t agno,
					uint32_t agino)
{
	return ((uint64_t)agno << xfs_agino_bits(agblklog, inopblog)) | agino;
}

static inline uint32_t xfs_agino_to_agbno(unsigned int inopblog,
					  uint32_t agino)
{
	return agino >> inopblog;
}

static inline unsigned int xfs_agino_to_offset(unsigned int inopblog,
					       uint32_t agino)
{
	return agino & ((1u << inopblog) - 1);
}

static inline uint32_t xfs_agbno_to_agino(unsigned int inopblog,
					  uint32_t agbno, unsigned int offset)
{
	return (agbno << inopblog) | offset;
}

static inline uint32_t xfs_ino_to_agbno(unsigned int agblklog,
					unsigned int inopblog, uint64_t ino)
{
	return xfs_agino_to_agbno(inopblog,
				  xfs_ino_to_agino(agblklog, inopblog, ino));
}

static inline unsigned int xfs_ino_to_offset(unsigned int inopblog,
					     uint64_t ino)
{
	return (unsigned int)(ino & ((1u << inopblog) - 1));
}

static inline uint64_t xfs_ino_to_fsbno(unsigned int agblklog,
					unsigned int inopblog, uint64_t ino)
{
	return xfs_agbno_to_fsbno(agblklog,
				  xfs_ino_to_agno(agblklog, inopblog, ino),
				  xfs_ino_to_agbno(agblklog, inopblog, ino));
}

/* Byte address of an inode on the data device. */
static inline uint64_t xfs_ino_to_byte(unsigned int blocklog,
				       unsigned int agblklog,
				       unsigned int inopblog,
				       unsigned int inodelog,
				       uint32_t agblocks, uint64_t ino)
{
	uint64_t fsbno = xfs_ino_to_fsbno(agblklog, inopblog, ino);

	return (xfs_fsbno_to_daddr(blocklog, agblklog, agblocks, fsbno)
		<< BBSHIFT) +
	       ((uint64_t)xfs_ino_to_offset(inopblog, ino) << inodelog);
}

/* LSNs: cycle in the high 32 bits, log block in the low 32. */
static inline uint32_t xfs_lsn_cycle(uint64_t lsn)
{
	return (uint32_t)(lsn >> 32);
}

static inline uint32_t xfs_lsn_block(uint64_t lsn)
{
	return (uint32_t)lsn;
}

static inline uint64_t xfs_lsn_make(uint32_t cycle, uint32_t block)
{
	return ((uint64_t)cycle << 32) | block;
}

/* ---------------------------------------------------------------------
 * Layout checks: sizes here, every field offset in tests/unit/test_format.c.
 */

XFS_CHECK_SIZE(struct xfs_dsb, 264);
XFS_CHECK_SIZE(struct xfs_agf, 224);
XFS_CHECK_SIZE(struct xfs_agi, 344);
XFS_CHECK_SIZE(struct xfs_agfl, 36);
XFS_CHECK_SIZE(struct xfs_btree_sfields, 48);
XFS_CHECK_SIZE(struct xfs_btree_lfields, 64);
XFS_CHECK_SIZE(struct xfs_btree_block, 72);
_Static_assert(XFS_BTREE_SBLOCK_CRC_LEN == 56, "short btree header");
_Static_assert(XFS_BTREE_LBLOCK_CRC_LEN == 72, "long btree header");
_Static_assert(XFS_BTREE_SBLOCK_CRC_OFF == 52, "short btree crc");
_Static_assert(XFS_BTREE_LBLOCK_CRC_OFF == 64, "long btree crc");
XFS_CHECK_SIZE(struct xfs_alloc_rec, 8);
XFS_CHECK_SIZE(xfs_alloc_key_t, 8);
XFS_CHECK_SIZE(xfs_alloc_ptr_t, 4);
XFS_CHECK_SIZE(struct xfs_inobt_rec, 16);
XFS_CHECK_SIZE(struct xfs_inobt_key, 4);
XFS_CHECK_SIZE(xfs_inobt_ptr_t, 4);
XFS_CHECK_SIZE(struct xfs_refcount_rec, 12);
XFS_CHECK_SIZE(struct xfs_refcount_key, 4);
XFS_CHECK_SIZE(xfs_refcount_ptr_t, 4);
XFS_CHECK_SIZE(struct xfs_rmap_rec, 24);
XFS_CHECK_SIZE(struct xfs_rmap_key, 20);
XFS_CHECK_SIZE(xfs_rmap_ptr_t, 4);
XFS_CHECK_SIZE(struct xfs_bmbt_rec, 16);
XFS_CHECK_SIZE(struct xfs_bmbt_key, 8);
XFS_CHECK_SIZE(xfs_bmbt_ptr_t, 8);
XFS_CHECK_SIZE(struct xfs_bmdr_block, 4);
XFS_CHECK_SIZE(struct xfs_legacy_timestamp, 8);
XFS_CHECK_SIZE(xfs_timestamp_t, 8);
XFS_CHECK_SIZE(struct xfs_dinode, XFS_DINODE_CORE_V3_SIZE);
XFS_CHECK_SIZE(struct xfs_dsymlink_hdr, 56);
XFS_CHECK_SIZE(struct xfs_disk_dquot, 104);
XFS_CHECK_SIZE(struct xfs_dqblk, 136);
_Static_assert(XFS_SB_CRC_OFF == 224, "sb crc offset");
_Static_assert(XFS_AGF_CRC_OFF == 216, "agf crc offset");
_Static_assert(XFS_AGI_CRC_OFF == 312, "agi crc offset");
_Static_assert(XFS_AGFL_CRC_OFF == 32, "agfl crc offset");
_Static_assert(XFS_DINODE_CRC_OFF == 100, "dinode crc offset");
_Static_assert(XFS_SYMLINK_CRC_OFF == 12, "symlink crc offset");
_Static_assert(XFS_DQUOT_CRC_OFF == 108, "dquot crc offset");

#endif /* XFS_FORMAT_H_ */
