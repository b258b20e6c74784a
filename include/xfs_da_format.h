/*
 * xfs_da_format.h: on-disk layout of V5 directories and extended
 * attributes: the shared dabtree node/leaf block headers, directory
 * short-form, data/block, leaf and free-index formats, attribute
 * short-form, leaf and remote-value formats, and the name hash.
 *
 * Directory space is three 32 GiB segments of the directory's logical
 * address space: data blocks at 0, leaf/node blocks at 32 GiB, free index
 * blocks at 64 GiB.  A "directory block" is 2^sb_dirblklog fs blocks; the
 * helpers below take dirblklog_bytes = sb_blocklog + sb_dirblklog (log2 of
 * the directory block size in bytes) where they need it.
 *
 * Field naming follows the XFS documentation and xfs_db (hdr.magic,
 * best_free, inumber, ...).  Sizes and offsets are checked at compile
 * time at the end of this file; see xfs_endian.h for byte order.
 */
#ifndef XFS_DA_FORMAT_H_
#define XFS_DA_FORMAT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "xfs_endian.h"
#include "xfs_format.h"

/* ---------------------------------------------------------------------
 * Magic numbers
 */

#define XFS_DA_NODE_MAGIC	0xfebe		/* V4 da node */
#define XFS_DA3_NODE_MAGIC	0x3ebe		/* da node */
#define XFS_ATTR_LEAF_MAGIC	0xfbee		/* V4 attr leaf */
#define XFS_ATTR3_LEAF_MAGIC	0x3bee		/* attr leaf */
#define XFS_DIR2_LEAF1_MAGIC	0xd2f1		/* V4 single leaf */
#define XFS_DIR2_LEAFN_MAGIC	0xd2ff		/* V4 node-form leaf */
#define XFS_DIR3_LEAF1_MAGIC	0x3df1		/* single leaf */
#define XFS_DIR3_LEAFN_MAGIC	0x3dff		/* node-form leaf */

#define XFS_DIR2_BLOCK_MAGIC	0x58443242	/* "XD2B" V4 block dir */
#define XFS_DIR2_DATA_MAGIC	0x58443244	/* "XD2D" V4 data block */
#define XFS_DIR2_FREE_MAGIC	0x58443246	/* "XD2F" V4 free index */
#define XFS_DIR3_BLOCK_MAGIC	0x58444233	/* "XDB3" block dir */
#define XFS_DIR3_DATA_MAGIC	0x58444433	/* "XDD3" data block */
#define XFS_DIR3_FREE_MAGIC	0x58444633	/* "XDF3" free index */
#define XFS_ATTR3_RMT_MAGIC	0x5841524d	/* "XARM" remote value */

#define XFS_DA_NODE_MAXDEPTH	5	/* max dabtree depth */

/* ---------------------------------------------------------------------
 * Name hash (directories and attributes share it).  Four bytes at a time
 * are folded in at bit positions 21/14/7/0 over the hash rotated left by
 * 28 bits; a tail of 3, 2 or 1 bytes is folded the same way with the
 * hash rotated by 21, 14 or 7 bits.
 */

static inline uint32_t xfs_rol32(uint32_t w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

static inline uint8_t xfs_ascii_ci_lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c - 'A' + 'a') : c;
}

/* Hash of name; with fold_case, of its ASCII-lowercased bytes. */
static inline uint32_t xfs_hashname_common(const uint8_t *name, int namelen,
					   bool fold_case)
{
	uint32_t hash = 0, b[4];
	int i;

	for (; namelen >= 4; namelen -= 4, name += 4) {
		for (i = 0; i < 4; i++)
			b[i] = fold_case ? xfs_ascii_ci_lower(name[i]) : name[i];
		hash = (b[0] << 21) ^ (b[1] << 14) ^ (b[2] << 7) ^ b[3] ^
		       xfs_rol32(hash, 28);
	}
	for (i = 0; i < namelen; i++)
		b[i] = fold_case ? xfs_ascii_ci_lower(name[i]) : name[i];

	switch (namelen) {
	case 3:
		return (b[0] << 14) ^ (b[1] << 7) ^ b[2] ^ xfs_rol32(hash, 21);
	case 2:
		return (b[0] << 7) ^ b[1] ^ xfs_rol32(hash, 14);
	case 1:
		return b[0] ^ xfs_rol32(hash, 7);
	default:
		return hash;
	}
}

static inline uint32_t xfs_da_hashname(const uint8_t *name, int namelen)
{
	return xfs_hashname_common(name, namelen, false);
}

/* For directories of ASCII case-insensitive filesystems (-n version=ci). */
static inline uint32_t xfs_ascii_ci_hashname(const uint8_t *name, int namelen)
{
	return xfs_hashname_common(name, namelen, true);
}

/* ---------------------------------------------------------------------
 * Shared dabtree block headers.  Every leaf/node block of a directory or
 * attribute fork starts with a blkinfo; its magic sits at offset 8.
 */

struct xfs_da_blkinfo {
	xfs_be32_t	forw;		/* next block at this level, or 0 */
	xfs_be32_t	back;		/* previous block at this level, or 0 */
	xfs_be16_t	magic;		/* XFS_DA3_NODE_MAGIC etc. */
	xfs_be16_t	pad;		/* zero */
};

struct xfs_da3_blkinfo {
	struct xfs_da_blkinfo hdr;
	xfs_le32_t	crc;		/* CRC of the block */
	xfs_be64_t	blkno;		/* daddr of the block */
	xfs_be64_t	lsn;		/* last write LSN */
	uint8_t		uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_be64_t	owner;		/* inode number */
};

#define XFS_DA3_BLKINFO_CRC_OFF	offsetof(struct xfs_da3_blkinfo, crc)

/* Interior node of a dabtree (directory leaf space or attr fork). */
struct xfs_da3_node_hdr {
	struct xfs_da3_blkinfo info;	/* magic XFS_DA3_NODE_MAGIC */
	xfs_be16_t	count;		/* entries in use */
	xfs_be16_t	level;		/* 1 above the leaves */
	xfs_be32_t	pad32;		/* zero */
};

struct xfs_da_node_entry {
	xfs_be32_t	hashval;	/* highest hash in the subtree */
	xfs_be32_t	before;		/* child's logical (da) block */
};

#define XFS_DA3_NODE_CRC_OFF	XFS_DA3_BLKINFO_CRC_OFF

static inline struct xfs_da_node_entry *
xfs_da3_node_entries(struct xfs_da3_node_hdr *hdr)
{
	return (struct xfs_da_node_entry *)(hdr + 1);
}

static inline unsigned int xfs_da3_node_maxents(unsigned int blksize)
{
	return (unsigned int)((blksize - sizeof(struct xfs_da3_node_hdr)) /
	       sizeof(struct xfs_da_node_entry));
}

/* ---------------------------------------------------------------------
 * Directory addressing
 */

#define XFS_DIR2_DATA_ALIGN_LOG	3		/* entries are 8-byte aligned */
#define XFS_DIR2_DATA_ALIGN	(1 << XFS_DIR2_DATA_ALIGN_LOG)
#define XFS_DIR2_SPACE_SIZE	(1ull << 35)	/* 32 GiB per segment */
#define XFS_DIR2_DATA_SPACE	0
#define XFS_DIR2_LEAF_SPACE	1
#define XFS_DIR2_FREE_SPACE	2
#define XFS_DIR2_DATA_OFFSET	(XFS_DIR2_DATA_SPACE * XFS_DIR2_SPACE_SIZE)
#define XFS_DIR2_LEAF_OFFSET	(XFS_DIR2_LEAF_SPACE * XFS_DIR2_SPACE_SIZE)
#define XFS_DIR2_FREE_OFFSET	(XFS_DIR2_FREE_SPACE * XFS_DIR2_SPACE_SIZE)
#define XFS_DIR2_NULL_DATAPTR	((uint32_t)0xffffffff)
#define XFS_DIR2_MAX_SHORT_INUM	((uint64_t)0xffffffff)	/* fits 4 bytes */

/*
 * A dataptr (directory cookie, leaf address) is the byte offset of a data
 * entry in the data segment divided by 8.
 */
static inline uint32_t xfs_dir2_byte_to_dataptr(uint64_t by)
{
	return (uint32_t)(by >> XFS_DIR2_DATA_ALIGN_LOG);
}

static inline uint64_t xfs_dir2_dataptr_to_byte(uint32_t dp)
{
	return (uint64_t)dp << XFS_DIR2_DATA_ALIGN_LOG;
}

/* Directory block number (in directory blocks) holding byte offset by. */
static inline uint32_t xfs_dir2_byte_to_db(unsigned int dirblklog_bytes,
					   uint64_t by)
{
	return (uint32_t)(by >> dirblklog_bytes);
}

static inline unsigned int xfs_dir2_byte_to_off(unsigned int dirblklog_bytes,
						uint64_t by)
{
	return (unsigned int)(by & ((1ull << dirblklog_bytes) - 1));
}

static inline uint64_t xfs_dir2_db_off_to_byte(unsigned int dirblklog_bytes,
					       uint32_t db, unsigned int off)
{
	return ((uint64_t)db << dirblklog_bytes) + off;
}

static inline uint32_t xfs_dir2_db_off_to_dataptr(unsigned int dirblklog_bytes,
						  uint32_t db, unsigned int off)
{
	return xfs_dir2_byte_to_dataptr(
			xfs_dir2_db_off_to_byte(dirblklog_bytes, db, off));
}

static inline uint32_t xfs_dir2_dataptr_to_db(unsigned int dirblklog_bytes,
					      uint32_t dp)
{
	return xfs_dir2_byte_to_db(dirblklog_bytes,
				   xfs_dir2_dataptr_to_byte(dp));
}

static inline unsigned int xfs_dir2_dataptr_to_off(unsigned int dirblklog_bytes,
						   uint32_t dp)
{
	return xfs_dir2_byte_to_off(dirblklog_bytes,
				    xfs_dir2_dataptr_to_byte(dp));
}

/* Directory block <-> file block (da block, in fs blocks). */
static inline uint64_t xfs_dir2_db_to_da(unsigned int dirblklog, uint32_t db)
{
	return (uint64_t)db << dirblklog;
}

static inline uint32_t xfs_dir2_da_to_db(unsigned int dirblklog, uint64_t da)
{
	return (uint32_t)(da >> dirblklog);
}

/* First directory block of the leaf and free segments. */
static inline uint32_t xfs_dir2_leaf_firstdb(unsigned int dirblklog_bytes)
{
	return xfs_dir2_byte_to_db(dirblklog_bytes, XFS_DIR2_LEAF_OFFSET);
}

static inline uint32_t xfs_dir2_free_firstdb(unsigned int dirblklog_bytes)
{
	return xfs_dir2_byte_to_db(dirblklog_bytes, XFS_DIR2_FREE_OFFSET);
}

/* File types kept in directory entries (ftype feature). */
#define XFS_DIR3_FT_UNKNOWN	0
#define XFS_DIR3_FT_REG_FILE	1
#define XFS_DIR3_FT_DIR		2
#define XFS_DIR3_FT_CHRDEV	3
#define XFS_DIR3_FT_BLKDEV	4
#define XFS_DIR3_FT_FIFO	5
#define XFS_DIR3_FT_SOCK	6
#define XFS_DIR3_FT_SYMLINK	7
#define XFS_DIR3_FT_WHT		8
#define XFS_DIR3_FT_MAX		9

static inline uint8_t xfs_mode_to_ftype(uint16_t mode)
{
	switch (mode & XFS_IFMT) {
	case XFS_IFREG:	return XFS_DIR3_FT_REG_FILE;
	case XFS_IFDIR:	return XFS_DIR3_FT_DIR;
	case XFS_IFCHR:	return XFS_DIR3_FT_CHRDEV;
	case XFS_IFBLK:	return XFS_DIR3_FT_BLKDEV;
	case XFS_IFIFO:	return XFS_DIR3_FT_FIFO;
	case XFS_IFSOCK: return XFS_DIR3_FT_SOCK;
	case XFS_IFLNK:	return XFS_DIR3_FT_SYMLINK;
	default:	return XFS_DIR3_FT_UNKNOWN;
	}
}

/* ---------------------------------------------------------------------
 * Short-form directory (data fork, XFS_DINODE_FMT_LOCAL):
 *   header: count, i8count, parent inode (4 bytes, or 8 if i8count != 0)
 *   entries: namelen, offset[2], name[namelen], ftype (if the ftype
 *            feature is on), inode number (4 or 8 bytes, as the parent)
 * Everything is byte-packed and unaligned.  "." is implicit; ".." is the
 * parent field.  offset is the entry's would-be offset in a data block,
 * which keeps readdir cookies stable across format conversions.
 */

struct xfs_dir2_sf_hdr {
	uint8_t		count;		/* entries, "." and ".." excluded */
	uint8_t		i8count;	/* of those, inums needing 8 bytes; if
					 * nonzero every inum (parent too) is
					 * stored in 8 bytes */
	uint8_t		parent[8];	/* parent inode, 4 or 8 bytes used */
};

struct xfs_dir2_sf_entry {
	uint8_t		namelen;
	uint8_t		offset[2];	/* big-endian, unaligned */
	uint8_t		name[];		/* then ftype?, then inumber */
};

static inline unsigned int xfs_dir2_sf_inumsize(const struct xfs_dir2_sf_hdr *h)
{
	return h->i8count ? 8 : 4;
}

static inline unsigned int xfs_dir2_sf_hdr_size(unsigned int i8count)
{
	return 2 + (i8count ? 8 : 4);
}

static inline unsigned int xfs_dir2_sf_entsize(bool has_ftype,
					       unsigned int i8count,
					       unsigned int namelen)
{
	return 3 + namelen + (has_ftype ? 1 : 0) + (i8count ? 8 : 4);
}

static inline struct xfs_dir2_sf_entry *
xfs_dir2_sf_firstentry(struct xfs_dir2_sf_hdr *h)
{
	return (struct xfs_dir2_sf_entry *)((uint8_t *)h +
					    xfs_dir2_sf_hdr_size(h->i8count));
}

static inline struct xfs_dir2_sf_entry *
xfs_dir2_sf_nextentry(const struct xfs_dir2_sf_hdr *h, bool has_ftype,
		      struct xfs_dir2_sf_entry *sfep)
{
	return (struct xfs_dir2_sf_entry *)((uint8_t *)sfep +
			xfs_dir2_sf_entsize(has_ftype, h->i8count,
					    sfep->namelen));
}

static inline uint64_t xfs_dir2_sf_get_ino(const struct xfs_dir2_sf_hdr *h,
					   const uint8_t *p)
{
	return h->i8count ? get_unaligned_be64(p) : get_unaligned_be32(p);
}

static inline void xfs_dir2_sf_put_ino(const struct xfs_dir2_sf_hdr *h,
				       uint8_t *p, uint64_t ino)
{
	if (h->i8count)
		put_unaligned_be64(ino, p);
	else
		put_unaligned_be32((uint32_t)ino, p);
}

static inline uint64_t xfs_dir2_sf_get_parent(const struct xfs_dir2_sf_hdr *h)
{
	return xfs_dir2_sf_get_ino(h, h->parent);
}

static inline void xfs_dir2_sf_put_parent(struct xfs_dir2_sf_hdr *h,
					  uint64_t ino)
{
	xfs_dir2_sf_put_ino(h, h->parent, ino);
}

static inline unsigned int
xfs_dir2_sf_get_offset(const struct xfs_dir2_sf_entry *sfep)
{
	return get_unaligned_be16(sfep->offset);
}

static inline void xfs_dir2_sf_put_offset(struct xfs_dir2_sf_entry *sfep,
					  unsigned int off)
{
	put_unaligned_be16((uint16_t)off, sfep->offset);
}

static inline uint8_t xfs_dir2_sf_get_ftype(bool has_ftype,
					    const struct xfs_dir2_sf_entry *sfep)
{
	return has_ftype ? sfep->name[sfep->namelen] : XFS_DIR3_FT_UNKNOWN;
}

static inline void xfs_dir2_sf_put_ftype(bool has_ftype,
					 struct xfs_dir2_sf_entry *sfep,
					 uint8_t ftype)
{
	if (has_ftype)
		sfep->name[sfep->namelen] = ftype;
}

/* Where the entry's inode number lives. */
static inline uint8_t *xfs_dir2_sf_inop(bool has_ftype,
					struct xfs_dir2_sf_entry *sfep)
{
	return sfep->name + sfep->namelen + (has_ftype ? 1 : 0);
}

/* ---------------------------------------------------------------------
 * Directory data blocks.  Block-format directories (one directory block)
 * use XDB3 and end with a leaf array and a tail; data blocks of bigger
 * directories use XDD3.  After the 64-byte header come 8-byte-aligned
 * entries and unused regions back to back.  Each ends with a 16-bit tag
 * giving its own offset in the block.
 */

#define XFS_DIR2_DATA_FD_COUNT	3		/* best_free slots */
#define XFS_DIR2_DATA_FREE_TAG	0xffff		/* marks an unused region */

struct xfs_dir3_blk_hdr {
	xfs_be32_t	magic;		/* XDB3, XDD3 or XDF3 */
	xfs_le32_t	crc;		/* CRC of the directory block */
	xfs_be64_t	blkno;		/* daddr of the block */
	xfs_be64_t	lsn;		/* last write LSN */
	uint8_t		uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_be64_t	owner;		/* directory inode */
};

#define XFS_DIR3_DATA_CRC_OFF	offsetof(struct xfs_dir3_blk_hdr, crc)
#define XFS_DIR3_FREE_CRC_OFF	offsetof(struct xfs_dir3_blk_hdr, crc)

/* The three largest unused regions, largest first; unused slots zero. */
struct xfs_dir2_data_free {
	xfs_be16_t	offset;		/* start of the region in the block */
	xfs_be16_t	length;		/* bytes */
};

struct xfs_dir3_data_hdr {
	struct xfs_dir3_blk_hdr hdr;
	struct xfs_dir2_data_free best_free[XFS_DIR2_DATA_FD_COUNT];
	xfs_be32_t	pad;		/* zero; keeps entries 8-aligned */
};

/* An entry: inumber, namelen, name, ftype (if enabled), pad, tag. */
struct xfs_dir2_data_entry {
	xfs_be64_t	inumber;
	uint8_t		namelen;
	uint8_t		name[];
};

/* An unused region: freetag, length, ..., tag (at length - 2). */
struct xfs_dir2_data_unused {
	xfs_be16_t	freetag;	/* XFS_DIR2_DATA_FREE_TAG */
	xfs_be16_t	length;		/* bytes, multiple of 8 */
};

static inline unsigned int xfs_dir2_data_entsize(bool has_ftype,
						 unsigned int namelen)
{
	unsigned int len = 8 + 1 + namelen + (has_ftype ? 1 : 0) + 2;

	return (len + XFS_DIR2_DATA_ALIGN - 1) & ~(XFS_DIR2_DATA_ALIGN - 1u);
}

static inline uint8_t xfs_dir2_data_get_ftype(bool has_ftype,
					      const struct xfs_dir2_data_entry *dep)
{
	return has_ftype ? dep->name[dep->namelen] : XFS_DIR3_FT_UNKNOWN;
}

static inline void xfs_dir2_data_put_ftype(bool has_ftype,
					   struct xfs_dir2_data_entry *dep,
					   uint8_t ftype)
{
	if (has_ftype)
		dep->name[dep->namelen] = ftype;
}

static inline xfs_be16_t *
xfs_dir2_data_entry_tag_p(bool has_ftype, struct xfs_dir2_data_entry *dep)
{
	return (xfs_be16_t *)((uint8_t *)dep +
			      xfs_dir2_data_entsize(has_ftype, dep->namelen) -
			      sizeof(xfs_be16_t));
}

static inline xfs_be16_t *
xfs_dir2_data_unused_tag_p(struct xfs_dir2_data_unused *dup)
{
	return (xfs_be16_t *)((uint8_t *)dup + be16_to_cpu(dup->length) -
			      sizeof(xfs_be16_t));
}

/* Offset of the first entry in a data or block-format block. */
#define XFS_DIR3_DATA_ENTRY_OFFSET	sizeof(struct xfs_dir3_data_hdr)

/* Offsets "." and ".." get in the first block; shortform uses them too. */
static inline unsigned int xfs_dir3_data_dot_offset(void)
{
	return XFS_DIR3_DATA_ENTRY_OFFSET;
}

static inline unsigned int xfs_dir3_data_dotdot_offset(bool has_ftype)
{
	return xfs_dir3_data_dot_offset() + xfs_dir2_data_entsize(has_ftype, 1);
}

static inline unsigned int xfs_dir3_data_first_offset(bool has_ftype)
{
	return xfs_dir3_data_dotdot_offset(has_ftype) +
	       xfs_dir2_data_entsize(has_ftype, 2);
}

/* Leaf entry: hash of the name and dataptr of its data entry. */
struct xfs_dir2_leaf_entry {
	xfs_be32_t	hashval;
	xfs_be32_t	address;	/* dataptr, or 0 if stale */
};

#define XFS_DIR2_NULL_LEAF_ADDRESS	0	/* stale leaf entry */

/* Tail of a block-format directory: leaf array precedes it. */
struct xfs_dir2_block_tail {
	xfs_be32_t	count;		/* leaf entries */
	xfs_be32_t	stale;		/* stale leaf entries */
};

static inline struct xfs_dir2_block_tail *
xfs_dir2_block_tail_p(void *block, unsigned int dirblksize)
{
	return (struct xfs_dir2_block_tail *)((uint8_t *)block + dirblksize) - 1;
}

static inline struct xfs_dir2_leaf_entry *
xfs_dir2_block_leaf_p(struct xfs_dir2_block_tail *btp)
{
	return (struct xfs_dir2_leaf_entry *)btp - be32_to_cpu(btp->count);
}

/* ---------------------------------------------------------------------
 * Directory leaf blocks (leaf segment).  LEAF1 (single leaf): header,
 * entries, bests[bestcount] (be16 best free per data block), tail.
 * LEAFN (node form): header and entries only.
 */

struct xfs_dir3_leaf_hdr {
	struct xfs_da3_blkinfo info;	/* XFS_DIR3_LEAF1/LEAFN_MAGIC */
	xfs_be16_t	count;		/* entries, stale included */
	xfs_be16_t	stale;		/* stale entries */
	xfs_be32_t	pad;		/* zero */
};

struct xfs_dir2_leaf_tail {
	xfs_be32_t	bestcount;	/* entries in bests[] */
};

#define XFS_DIR3_LEAF_CRC_OFF	XFS_DA3_BLKINFO_CRC_OFF

static inline struct xfs_dir2_leaf_entry *
xfs_dir3_leaf_ents_p(struct xfs_dir3_leaf_hdr *hdr)
{
	return (struct xfs_dir2_leaf_entry *)(hdr + 1);
}

static inline struct xfs_dir2_leaf_tail *
xfs_dir2_leaf_tail_p(void *leaf, unsigned int dirblksize)
{
	return (struct xfs_dir2_leaf_tail *)((uint8_t *)leaf + dirblksize) - 1;
}

static inline xfs_be16_t *xfs_dir2_leaf_bests_p(struct xfs_dir2_leaf_tail *ltp)
{
	return (xfs_be16_t *)ltp - be32_to_cpu(ltp->bestcount);
}

/* Entries that fit in a LEAFN block. */
static inline unsigned int xfs_dir3_leafn_maxents(unsigned int dirblksize)
{
	return (unsigned int)((dirblksize - sizeof(struct xfs_dir3_leaf_hdr)) /
	       sizeof(struct xfs_dir2_leaf_entry));
}

/* ---------------------------------------------------------------------
 * Directory free index blocks (free segment): header, then be16 best
 * free length per data block, NULLDATAOFF (0xffff) for a hole.
 */

#define XFS_DIR2_NULL_DATAOFF	0xffff

struct xfs_dir3_free_hdr {
	struct xfs_dir3_blk_hdr hdr;	/* magic XFS_DIR3_FREE_MAGIC */
	xfs_be32_t	firstdb;	/* data block of bests[0] */
	xfs_be32_t	nvalid;		/* bests[] entries in use */
	xfs_be32_t	nused;		/* bests[] entries not null */
	xfs_be32_t	pad;		/* zero */
};

static inline xfs_be16_t *xfs_dir3_free_bests_p(struct xfs_dir3_free_hdr *hdr)
{
	return (xfs_be16_t *)(hdr + 1);
}

static inline unsigned int xfs_dir3_free_max_bests(unsigned int dirblksize)
{
	return (unsigned int)((dirblksize - sizeof(struct xfs_dir3_free_hdr)) /
	       sizeof(xfs_be16_t));
}

/* Free index block (dir block number) covering data block db. */
static inline uint32_t xfs_dir2_db_to_fdb(unsigned int dirblklog_bytes,
					  uint32_t db)
{
	return xfs_dir2_free_firstdb(dirblklog_bytes) +
	       db / xfs_dir3_free_max_bests(1u << dirblklog_bytes);
}

/* Slot in that free index block. */
static inline unsigned int xfs_dir2_db_to_fdindex(unsigned int dirblklog_bytes,
						  uint32_t db)
{
	return db % xfs_dir3_free_max_bests(1u << dirblklog_bytes);
}

/* ---------------------------------------------------------------------
 * Extended attributes.  Entry flags record the namespace (none = user).
 */

#define XFS_ATTR_LOCAL		(1u << 0)	/* value stored in the leaf */
#define XFS_ATTR_ROOT		(1u << 1)	/* "trusted." namespace */
#define XFS_ATTR_SECURE		(1u << 2)	/* "security." namespace */
#define XFS_ATTR_INCOMPLETE	(1u << 7)	/* being created or removed */
#define XFS_ATTR_NSP_ONDISK_MASK (XFS_ATTR_ROOT | XFS_ATTR_SECURE)

#define XFS_ATTR_LEAF_MAPSIZE	3	/* freemap slots in a leaf */
#define XFS_ATTR_LEAF_NAME_ALIGN 4	/* name/value entries align to 4 */
#define XFS_XATTR_NAME_MAX	255
#define XFS_XATTR_SIZE_MAX	(1u << 16)	/* 64 KiB values */

/* Short-form attributes (attr fork, XFS_DINODE_FMT_LOCAL). */
struct xfs_attr_sf_hdr {
	xfs_be16_t	totsize;	/* bytes, header included */
	uint8_t		count;		/* entries */
	uint8_t		padding;	/* zero */
};

struct xfs_attr_sf_entry {
	uint8_t		namelen;
	uint8_t		valuelen;
	uint8_t		flags;		/* XFS_ATTR_ROOT/SECURE */
	uint8_t		nameval[];	/* name then value, unterminated */
};

static inline unsigned int xfs_attr_sf_entsize_byname(unsigned int namelen,
						      unsigned int valuelen)
{
	return (unsigned int)offsetof(struct xfs_attr_sf_entry, nameval) +
	       namelen + valuelen;
}

static inline unsigned int
xfs_attr_sf_entsize(const struct xfs_attr_sf_entry *sfe)
{
	return xfs_attr_sf_entsize_byname(sfe->namelen, sfe->valuelen);
}

static inline struct xfs_attr_sf_entry *
xfs_attr_sf_firstentry(struct xfs_attr_sf_hdr *hdr)
{
	return (struct xfs_attr_sf_entry *)(hdr + 1);
}

static inline struct xfs_attr_sf_entry *
xfs_attr_sf_nextentry(struct xfs_attr_sf_entry *sfe)
{
	return (struct xfs_attr_sf_entry *)((uint8_t *)sfe +
					    xfs_attr_sf_entsize(sfe));
}

/*
 * Attribute leaf block: header, entries sorted by hash growing up, names
 * and values packed at the end growing down from firstused.
 */
struct xfs_attr_leaf_map {
	xfs_be16_t	base;		/* offset of a free region */
	xfs_be16_t	size;		/* bytes */
};

struct xfs_attr3_leaf_hdr {
	struct xfs_da3_blkinfo info;	/* XFS_ATTR3_LEAF_MAGIC */
	xfs_be16_t	count;		/* entries */
	xfs_be16_t	usedbytes;	/* bytes of names and values */
	xfs_be16_t	firstused;	/* first name/value byte */
	uint8_t		holes;		/* compaction would help */
	uint8_t		pad1;
	struct xfs_attr_leaf_map freemap[XFS_ATTR_LEAF_MAPSIZE];
	xfs_be32_t	pad2;		/* zero */
};

struct xfs_attr_leaf_entry {
	xfs_be32_t	hashval;	/* hash of the name */
	xfs_be16_t	nameidx;	/* offset of the name/value entry */
	uint8_t		flags;		/* XFS_ATTR_* */
	uint8_t		pad2;
};

/* Local value: valuelen, namelen, name, value. */
struct xfs_attr_leaf_name_local {
	xfs_be16_t	valuelen;
	uint8_t		namelen;
	uint8_t		nameval[];
};

/* Remote value: stored in XARM blocks at attr fork block valueblk. */
struct xfs_attr_leaf_name_remote {
	xfs_be32_t	valueblk;	/* attr fork logical block */
	xfs_be32_t	valuelen;	/* value bytes */
	uint8_t		namelen;
	uint8_t		name[];
};

#define XFS_ATTR3_LEAF_CRC_OFF	XFS_DA3_BLKINFO_CRC_OFF

static inline struct xfs_attr_leaf_entry *
xfs_attr3_leaf_entries_p(struct xfs_attr3_leaf_hdr *hdr)
{
	return (struct xfs_attr_leaf_entry *)(hdr + 1);
}

/* Name/value entry referenced by leaf entry ent of leaf block leaf. */
static inline void *xfs_attr3_leaf_name(void *leaf,
					const struct xfs_attr_leaf_entry *ent)
{
	return (uint8_t *)leaf + be16_to_cpu(ent->nameidx);
}

/* Sizes of name/value entries in a leaf, rounded to 4 bytes. */
static inline unsigned int xfs_attr_leaf_entsize_local(unsigned int namelen,
						       unsigned int valuelen)
{
	unsigned int len = 3 + namelen + valuelen;

	return (len + XFS_ATTR_LEAF_NAME_ALIGN - 1) &
	       ~(XFS_ATTR_LEAF_NAME_ALIGN - 1u);
}

/* The fixed part counts as 11 bytes (historic padding of the struct). */
static inline unsigned int xfs_attr_leaf_entsize_remote(unsigned int namelen)
{
	unsigned int len = 11 + namelen;

	return (len + XFS_ATTR_LEAF_NAME_ALIGN - 1) &
	       ~(XFS_ATTR_LEAF_NAME_ALIGN - 1u);
}

/* Remote value block header; value bytes follow to the block end. */
struct xfs_attr3_rmt_hdr {
	xfs_be32_t	rm_magic;	/* XFS_ATTR3_RMT_MAGIC */
	xfs_be32_t	rm_offset;	/* byte offset of this piece */
	xfs_be32_t	rm_bytes;	/* value bytes in this block */
	xfs_le32_t	rm_crc;		/* CRC of the block */
	uint8_t		rm_uuid[XFS_UUID_SIZE];	/* sb_meta_uuid */
	xfs_be64_t	rm_owner;	/* inode number */
	xfs_be64_t	rm_blkno;	/* daddr of this block */
	xfs_be64_t	rm_lsn;		/* last write LSN */
};

#define XFS_ATTR3_RMT_CRC_OFF	offsetof(struct xfs_attr3_rmt_hdr, rm_crc)

static inline unsigned int xfs_attr3_rmt_buf_space(unsigned int blocksize)
{
	return (unsigned int)(blocksize - sizeof(struct xfs_attr3_rmt_hdr));
}

/* Fs blocks a remote value of valuelen bytes occupies. */
static inline unsigned int xfs_attr3_rmt_blocks(unsigned int blocksize,
						unsigned int valuelen)
{
	unsigned int space = xfs_attr3_rmt_buf_space(blocksize);

	return (valuelen + space - 1) / space;
}

/* ---------------------------------------------------------------------
 * Layout checks (sizes here; per-field offsets in tests/unit/test_format.c)
 */

XFS_CHECK_SIZE(struct xfs_da_blkinfo, 12);
XFS_CHECK_SIZE(struct xfs_da3_blkinfo, 56);
XFS_CHECK_SIZE(struct xfs_da3_node_hdr, 64);
XFS_CHECK_SIZE(struct xfs_da_node_entry, 8);
XFS_CHECK_SIZE(struct xfs_dir2_sf_hdr, 10);
XFS_CHECK_SIZE(struct xfs_dir2_sf_entry, 3);
XFS_CHECK_SIZE(struct xfs_dir3_blk_hdr, 48);
XFS_CHECK_SIZE(struct xfs_dir2_data_free, 4);
XFS_CHECK_SIZE(struct xfs_dir3_data_hdr, 64);
XFS_CHECK_SIZE(struct xfs_dir2_data_unused, 4);
XFS_CHECK_SIZE(struct xfs_dir2_leaf_entry, 8);
XFS_CHECK_SIZE(struct xfs_dir2_block_tail, 8);
XFS_CHECK_SIZE(struct xfs_dir3_leaf_hdr, 64);
XFS_CHECK_SIZE(struct xfs_dir2_leaf_tail, 4);
XFS_CHECK_SIZE(struct xfs_dir3_free_hdr, 64);
XFS_CHECK_SIZE(struct xfs_attr_sf_hdr, 4);
XFS_CHECK_SIZE(struct xfs_attr_sf_entry, 3);
XFS_CHECK_SIZE(struct xfs_attr_leaf_map, 4);
XFS_CHECK_SIZE(struct xfs_attr3_leaf_hdr, 80);
XFS_CHECK_SIZE(struct xfs_attr_leaf_entry, 8);
XFS_CHECK_SIZE(struct xfs_attr3_rmt_hdr, 56);
XFS_CHECK_OFFSET(struct xfs_dir2_data_entry, name, 9);
XFS_CHECK_OFFSET(struct xfs_attr_leaf_name_local, nameval, 3);
XFS_CHECK_OFFSET(struct xfs_attr_leaf_name_remote, name, 9);
_Static_assert(XFS_DA3_BLKINFO_CRC_OFF == 12, "da3 blkinfo crc");
_Static_assert(XFS_DIR3_DATA_CRC_OFF == 4, "dir3 block crc");
_Static_assert(XFS_ATTR3_RMT_CRC_OFF == 12, "attr3 remote crc");

#endif /* XFS_DA_FORMAT_H_ */
