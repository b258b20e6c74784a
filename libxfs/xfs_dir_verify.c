/*
 * xfs_dir_verify.c: verifiers for V5 directory blocks -- block-format
 * (XDB3) and data (XDD3) blocks, whose entries are walked and checked
 * against the best-free table and (block format) the leaf array; LEAF1 and
 * LEAFN leaf blocks; and free index (XDF3) blocks.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"
#include "xfs_shared.h"
#include "xfs_da_verify.h"

#define DIR_BAD(bp, why)	xfs_buf_fail((bp), -EFSCORRUPTED, (why))

/* One bit per 8-byte slot of a directory block (64 KiB at most). */
struct slot_map {
	uint8_t	bits[(1U << XFS_MAX_BLOCKSIZE_LOG) / XFS_DIR2_DATA_ALIGN / 8];
};

static void slot_set(struct slot_map *m, size_t off)
{
	size_t s = off / XFS_DIR2_DATA_ALIGN;

	m->bits[s / 8] |= (uint8_t)(1U << (s % 8));
}

static bool slot_test(const struct slot_map *m, size_t off)
{
	size_t s = off / XFS_DIR2_DATA_ALIGN;

	return (m->bits[s / 8] >> (s % 8)) & 1;
}

static uint32_t dir_hash(const struct xfs_mount *mp, const uint8_t *name,
			 unsigned int namelen)
{
	if (mp && xfs_has_asciici(mp)) {
		return xfs_ascii_ci_hashname(name, (int)namelen);
	}
	return xfs_da_hashname(name, (int)namelen);
}

/* The best-free table: sorted by length, zero entries last, in bounds. */
static int data_check_bestfree(struct xfs_buf *bp,
			       const struct xfs_dir2_data_free *bf, size_t end)
{
	int i;

	for (i = 0; i < XFS_DIR2_DATA_FD_COUNT; i++) {
		size_t off = be16_to_cpu(bf[i].offset);
		size_t len = be16_to_cpu(bf[i].length);

		if (len == 0) {
			if (off != 0) {
				return DIR_BAD(bp, "bad bestfree entry");
			}
			continue;
		}
		if (off < XFS_DIR3_DATA_ENTRY_OFFSET || off + len > end) {
			return DIR_BAD(bp, "bestfree beyond the data area");
		}
		if (i > 0 && len > be16_to_cpu(bf[i - 1].length)) {
			return DIR_BAD(bp, "bestfree out of order");
		}
	}
	return 0;
}

/*
 * Walk the entries and unused regions of a data or block-format block.
 * block_tail is NULL for a data block.
 */
static int dir3_data_check(struct xfs_buf *bp, bool is_block)
{
	struct xfs_mount *mp = bp->b_mount;
	struct xfs_dir3_data_hdr *hdr = bp->b_addr;
	const struct xfs_dir2_data_free *bf = hdr->best_free;
	const uint8_t *base = bp->b_addr;
	size_t len = (size_t)BBTOB(bp->b_length), end = len, off;
	bool ftype = mp ? xfs_has_ftype(mp) : true;
	struct xfs_dir2_block_tail *btp = NULL;
	struct xfs_dir2_leaf_entry *lep = NULL;
	uint32_t count = 0, stale = 0, nents = 0, i;
	unsigned int freeseen = 0;
	bool lastfree = false;
	struct slot_map map;
	int error;

	if (mp && len != mp->m_dir_geo.blksize) {
		return DIR_BAD(bp, "buffer is not one directory block");
	}
	if (len > (1U << XFS_MAX_BLOCKSIZE_LOG)) {
		return DIR_BAD(bp, "buffer too large");
	}
	if (is_block) {
		btp = xfs_dir2_block_tail_p(bp->b_addr, (unsigned int)len);
		count = be32_to_cpu(btp->count);
		stale = be32_to_cpu(btp->stale);
		if ((uint64_t)count * sizeof(*lep) >
		    len - XFS_DIR3_DATA_ENTRY_OFFSET - sizeof(*btp)) {
			return DIR_BAD(bp, "too many block leaf entries");
		}
		if (stale > count) {
			return DIR_BAD(bp, "stale beyond count");
		}
		lep = xfs_dir2_block_leaf_p(btp);
		end = (size_t)((const uint8_t *)lep - base);
	}
	error = data_check_bestfree(bp, bf, end);
	if (error) {
		return error;
	}
	memset(&map, 0, sizeof(map));
	off = XFS_DIR3_DATA_ENTRY_OFFSET;
	// Invariant: [64, off) is a sequence of valid entries/unused regions.
	while (off < end) {
		const uint8_t *p = base + off;

		if (end - off < 8) {
			return DIR_BAD(bp, "entry overruns the data area");
		}
		if (get_unaligned_be16(p) == XFS_DIR2_DATA_FREE_TAG) {
			size_t ulen = get_unaligned_be16(p + 2);

			if (ulen < 8 || ulen % XFS_DIR2_DATA_ALIGN ||
			    ulen > end - off) {
				return DIR_BAD(bp, "bad unused region length");
			}
			if (get_unaligned_be16(p + ulen - 2) != off) {
				return DIR_BAD(bp, "bad unused region tag");
			}
			if (lastfree) {
				return DIR_BAD(bp, "two unused regions in a row");
			}
			for (i = 0; i < XFS_DIR2_DATA_FD_COUNT; i++) {
				if (be16_to_cpu(bf[i].offset) == off &&
				    be16_to_cpu(bf[i].length) != 0) {
					break;
				}
			}
			if (i < XFS_DIR2_DATA_FD_COUNT) {
				if (be16_to_cpu(bf[i].length) != ulen) {
					return DIR_BAD(bp, "bestfree length mismatch");
				}
				freeseen |= 1U << i;
			} else if (ulen > be16_to_cpu(bf[2].length)) {
				return DIR_BAD(bp,
					"unused region missing from bestfree");
			}
			lastfree = true;
			off += ulen;
			continue;
		}
		{
			unsigned int namelen, esize;
			uint64_t ino;

			if (end - off < 9) {
				return DIR_BAD(bp, "entry overruns the data area");
			}
			namelen = p[8];
			if (namelen == 0) {
				return DIR_BAD(bp, "zero-length name");
			}
			esize = xfs_dir2_data_entsize(ftype, namelen);
			if (esize > end - off) {
				return DIR_BAD(bp, "entry overruns the data area");
			}
			ino = get_unaligned_be64(p);
			if (mp && !libxfs_verify_ino(mp, ino)) {
				return DIR_BAD(bp, "bad inode number in entry");
			}
			if (get_unaligned_be16(p + esize - 2) != off) {
				return DIR_BAD(bp, "bad entry tag");
			}
			if (ftype && p[9 + namelen] >= XFS_DIR3_FT_MAX) {
				return DIR_BAD(bp, "bad file type in entry");
			}
			slot_set(&map, off);
			nents++;
			lastfree = false;
			off += esize;
		}
	}
	for (i = 0; i < XFS_DIR2_DATA_FD_COUNT; i++) {
		if (be16_to_cpu(bf[i].length) && !(freeseen & (1U << i))) {
			return DIR_BAD(bp, "bestfree points at no unused region");
		}
	}
	if (!is_block) {
		return 0;
	}
	if (count - stale != nents) {
		return DIR_BAD(bp, "leaf count does not match entries");
	}
	for (i = 0; i < count; i++) {
		uint32_t addr = be32_to_cpu(lep[i].address);
		uint64_t eoff;
		const uint8_t *p;

		if (i > 0 && be32_to_cpu(lep[i].hashval) <
			     be32_to_cpu(lep[i - 1].hashval)) {
			return DIR_BAD(bp, "leaf hashes out of order");
		}
		if (addr == XFS_DIR2_NULL_LEAF_ADDRESS) {
			stale--;
			continue;
		}
		eoff = xfs_dir2_dataptr_to_byte(addr);
		if (eoff >= end || !slot_test(&map, (size_t)eoff)) {
			return DIR_BAD(bp, "leaf entry points at no entry");
		}
		p = base + eoff;
		if (dir_hash(mp, p + 9, p[8]) != be32_to_cpu(lep[i].hashval)) {
			return DIR_BAD(bp, "leaf hash does not match name");
		}
	}
	if (stale != 0) {
		return DIR_BAD(bp, "bad stale count");
	}
	return 0;
}

static int dir3_data_verify(struct xfs_buf *bp, bool is_block, bool crc)
{
	int error = xfs_dir3_blkhdr_verify(bp, crc);

	return error ? error : dir3_data_check(bp, is_block);
}

static int xfs_dir3_block_read_verify(struct xfs_buf *bp)
{
	return dir3_data_verify(bp, true, true);
}

static int xfs_dir3_block_write_verify(struct xfs_buf *bp)
{
	int error = dir3_data_verify(bp, true, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_DIR3_DATA_CRC_OFF);
	}
	return error;
}

static int xfs_dir3_data_read_verify(struct xfs_buf *bp)
{
	return dir3_data_verify(bp, false, true);
}

static int xfs_dir3_data_write_verify(struct xfs_buf *bp)
{
	int error = dir3_data_verify(bp, false, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_DIR3_DATA_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_dir3_block_buf_ops = {
	.name		= "dir3_block",
	.magic		= { XFS_DIR2_BLOCK_MAGIC, XFS_DIR3_BLOCK_MAGIC },
	.verify_read	= xfs_dir3_block_read_verify,
	.verify_write	= xfs_dir3_block_write_verify,
};

const struct xfs_buf_ops xfs_dir3_data_buf_ops = {
	.name		= "dir3_data",
	.magic		= { XFS_DIR2_DATA_MAGIC, XFS_DIR3_DATA_MAGIC },
	.verify_read	= xfs_dir3_data_read_verify,
	.verify_write	= xfs_dir3_data_write_verify,
};

/* ---- leaf blocks ---- */

static int dir3_leaf_verify(struct xfs_buf *bp, bool leaf1, bool crc)
{
	struct xfs_mount *mp = bp->b_mount;
	int error;

	error = xfs_da3_blkinfo_verify(bp, leaf1 ? XFS_DIR3_LEAF1_MAGIC :
						   XFS_DIR3_LEAFN_MAGIC, crc);
	if (error) {
		return error;
	}
	if (mp && BBTOB(bp->b_length) != mp->m_dir_geo.blksize) {
		return DIR_BAD(bp, "buffer is not one directory block");
	}
	return xfs_dir3_leaf_verify_body(bp, leaf1);
}

static int xfs_dir3_leaf1_read_verify(struct xfs_buf *bp)
{
	return dir3_leaf_verify(bp, true, true);
}

static int xfs_dir3_leaf1_write_verify(struct xfs_buf *bp)
{
	int error = dir3_leaf_verify(bp, true, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_DIR3_LEAF_CRC_OFF);
	}
	return error;
}

static int xfs_dir3_leafn_read_verify(struct xfs_buf *bp)
{
	return dir3_leaf_verify(bp, false, true);
}

static int xfs_dir3_leafn_write_verify(struct xfs_buf *bp)
{
	int error = dir3_leaf_verify(bp, false, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_DIR3_LEAF_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_dir3_leaf1_buf_ops = {
	.name		= "dir3_leaf1",
	.magic		= { XFS_DIR2_LEAF1_MAGIC, XFS_DIR3_LEAF1_MAGIC },
	.verify_read	= xfs_dir3_leaf1_read_verify,
	.verify_write	= xfs_dir3_leaf1_write_verify,
};

const struct xfs_buf_ops xfs_dir3_leafn_buf_ops = {
	.name		= "dir3_leafn",
	.magic		= { XFS_DIR2_LEAFN_MAGIC, XFS_DIR3_LEAFN_MAGIC },
	.verify_read	= xfs_dir3_leafn_read_verify,
	.verify_write	= xfs_dir3_leafn_write_verify,
};

/* ---- free index blocks ---- */

static int dir3_free_verify(struct xfs_buf *bp, bool crc)
{
	struct xfs_dir3_free_hdr *hdr = bp->b_addr;
	size_t len = (size_t)BBTOB(bp->b_length);
	struct xfs_mount *mp = bp->b_mount;
	unsigned int maxbests;
	int error;

	error = xfs_dir3_blkhdr_verify(bp, crc);
	if (error) {
		return error;
	}
	if (mp && len != mp->m_dir_geo.blksize) {
		return DIR_BAD(bp, "buffer is not one directory block");
	}
	maxbests = xfs_dir3_free_max_bests((unsigned int)len);
	if (be32_to_cpu(hdr->firstdb) % maxbests) {
		return DIR_BAD(bp, "bad firstdb");
	}
	if (be32_to_cpu(hdr->nvalid) > maxbests) {
		return DIR_BAD(bp, "nvalid too large");
	}
	if (be32_to_cpu(hdr->nused) > be32_to_cpu(hdr->nvalid)) {
		return DIR_BAD(bp, "nused beyond nvalid");
	}
	return 0;
}

static int xfs_dir3_free_read_verify(struct xfs_buf *bp)
{
	return dir3_free_verify(bp, true);
}

static int xfs_dir3_free_write_verify(struct xfs_buf *bp)
{
	int error = dir3_free_verify(bp, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_DIR3_FREE_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_dir3_free_buf_ops = {
	.name		= "dir3_free",
	.magic		= { XFS_DIR2_FREE_MAGIC, XFS_DIR3_FREE_MAGIC },
	.verify_read	= xfs_dir3_free_read_verify,
	.verify_write	= xfs_dir3_free_write_verify,
};
