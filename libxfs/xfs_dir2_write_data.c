/*
 * xfs_dir2_write_data.c: directory data blocks being written -- new
 * data and block-format blocks, the best-free table, placing an entry
 * in an unused region -- and adding a name to a block-format directory,
 * converting it to leaf format (data block + LEAF1 block) when the block
 * has no room for the entry and its leaf entry.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_inode_write.h"
#include "xfs_dir2_write_priv.h"

bool xfs_dir_whas_ftype(const struct xfs_da_wargs *a)
{
	return xfs_has_ftype(a->mp);
}

unsigned int xfs_dir_wentsize(const struct xfs_da_wargs *a,
			      unsigned int namelen)
{
	return xfs_dir2_data_entsize(xfs_dir_whas_ftype(a), namelen);
}

uint32_t xfs_dir_wdataptr(const struct xfs_da_wargs *a, uint32_t db,
			  unsigned int off)
{
	return xfs_dir2_db_off_to_dataptr(a->geo->blklog, db, off);
}

void xfs_dir_wdata_set_unused(uint8_t *base, unsigned int off,
			      unsigned int len)
{
	put_unaligned_be16(XFS_DIR2_DATA_FREE_TAG, base + off);
	put_unaligned_be16((uint16_t)len, base + off + 2);
	put_unaligned_be16((uint16_t)off, base + off + len - 2);
}

/*
 * Bytes of the entry or unused region at off of a data block (*unused
 * tells which); 0 for a region that would not move the walk on.
 */
static unsigned int data_item(bool ftype, const uint8_t *base,
			      unsigned int off, bool *unused)
{
	*unused = get_unaligned_be16(base + off) == XFS_DIR2_DATA_FREE_TAG;
	if (*unused) {
		return get_unaligned_be16(base + off + 2);
	}
	return xfs_dir2_data_entsize(ftype, base[off + 8]);
}

static bool is_block(struct xfs_buf *bp)
{
	return be32_to_cpu(((struct xfs_dir3_blk_hdr *)bp->b_addr)->magic) ==
	       XFS_DIR3_BLOCK_MAGIC;
}

unsigned int xfs_dir_wdata_end(const struct xfs_da_wargs *a,
			       struct xfs_buf *bp)
{
	unsigned int blksize = a->geo->blksize;
	struct xfs_dir2_block_tail *btp;

	if (!is_block(bp)) {
		return blksize;
	}
	btp = xfs_dir2_block_tail_p(bp->b_addr, blksize);
	return (unsigned int)((uint8_t *)xfs_dir2_block_leaf_p(btp) -
			      (uint8_t *)bp->b_addr);
}

void xfs_dir_wdata_init(struct xfs_da_wargs *a, struct xfs_buf *bp,
			bool block)
{
	struct xfs_dir3_data_hdr *hdr = bp->b_addr;
	unsigned int end = a->geo->blksize;

	memset(bp->b_addr, 0, a->geo->blksize);
	hdr->hdr.magic = cpu_to_be32(block ? XFS_DIR3_BLOCK_MAGIC :
					     XFS_DIR3_DATA_MAGIC);
	hdr->hdr.blkno = cpu_to_be64(bp->b_daddr);
	hdr->hdr.owner = cpu_to_be64(a->dp->i_ino);
	memcpy(hdr->hdr.uuid, a->mp->m_meta_uuid, XFS_UUID_SIZE);
	if (block) {
		end -= sizeof(struct xfs_dir2_block_tail);
	}
	xfs_dir_wdata_set_unused(bp->b_addr, XFS_DIR3_DATA_ENTRY_OFFSET,
				 end - XFS_DIR3_DATA_ENTRY_OFFSET);
	xfs_dir_wdata_freescan(a, bp);
}

void xfs_dir_wdata_freescan(struct xfs_da_wargs *a, struct xfs_buf *bp)
{
	struct xfs_dir3_data_hdr *hdr = bp->b_addr;
	struct xfs_dir2_data_free *bf = hdr->best_free;
	bool ftype = xfs_dir_whas_ftype(a);
	unsigned int end = xfs_dir_wdata_end(a, bp), off, len;
	uint8_t *base = bp->b_addr;
	bool unused;
	int i, j;

	memset(bf, 0, sizeof(hdr->best_free));
	for (off = XFS_DIR3_DATA_ENTRY_OFFSET; off < end; off += len) {
		len = data_item(ftype, base, off, &unused);
		if (!len) {
			break;
		}
		if (!unused) {
			continue;
		}
		// Keep the three longest; among equals, the first found.
		for (i = 0; i < XFS_DIR2_DATA_FD_COUNT; i++) {
			if (len > be16_to_cpu(bf[i].length)) {
				break;
			}
		}
		if (i < XFS_DIR2_DATA_FD_COUNT) {
			for (j = XFS_DIR2_DATA_FD_COUNT - 1; j > i; j--) {
				bf[j] = bf[j - 1];
			}
			bf[i].offset = cpu_to_be16((uint16_t)off);
			bf[i].length = cpu_to_be16((uint16_t)len);
		}
	}
}

unsigned int xfs_dir_wdata_best(struct xfs_buf *bp)
{
	return be16_to_cpu(((struct xfs_dir3_data_hdr *)
			    bp->b_addr)->best_free[0].length);
}

void xfs_dir_wdata_put(struct xfs_da_wargs *a, struct xfs_buf *bp,
		       unsigned int off, const struct xfs_dir_wname *n)
{
	bool ftype = xfs_dir_whas_ftype(a);
	unsigned int esz = xfs_dir2_data_entsize(ftype, n->namelen);
	uint8_t *base = bp->b_addr;
	unsigned int ulen = get_unaligned_be16(base + off + 2);
	struct xfs_dir2_data_entry *dep = (void *)(base + off);

	put_unaligned_be64(n->ino, base + off);
	dep->namelen = (uint8_t)n->namelen;
	memcpy(dep->name, n->name, n->namelen);
	xfs_dir2_data_put_ftype(ftype, dep, n->ftype);
	// Zero the pad between the name and the tag.
	memset(dep->name + n->namelen + (ftype ? 1 : 0), 0,
	       esz - 2 - 9 - n->namelen - (ftype ? 1 : 0));
	put_unaligned_be16((uint16_t)off, base + off + esz - 2);
	if (ulen > esz) {
		xfs_dir_wdata_set_unused(base, off + esz, ulen - esz);
	}
	xfs_dir_wdata_freescan(a, bp);
}

bool xfs_dir_wname_eq(const struct xfs_da_wargs *a, const uint8_t *name,
		      unsigned int namelen, const struct xfs_dir_wname *n)
{
	unsigned int i;

	if (namelen != n->namelen) {
		return false;
	}
	if (!xfs_has_asciici(a->mp)) {
		return memcmp(name, n->name, namelen) == 0;
	}
	for (i = 0; i < namelen; i++) {
		if (xfs_ascii_ci_lower(name[i]) != xfs_ascii_ci_lower(n->name[i])) {
			return false;
		}
	}
	return true;
}

bool xfs_dir_wdata_match(const struct xfs_da_wargs *a, struct xfs_buf *bp,
			 uint32_t addr, const struct xfs_dir_wname *n)
{
	unsigned int off = xfs_dir2_dataptr_to_off(a->geo->blklog, addr);
	const uint8_t *p = (const uint8_t *)bp->b_addr + off;

	if (off + 9 > a->geo->blksize) {
		return false;
	}
	return off + 9 + p[8] <= a->geo->blksize &&
	       xfs_dir_wname_eq(a, p + 9, p[8], n);
}

/* ---- block format ---- */

/* Find the unused region ending at end (just before the leaf), if any. */
static int block_enddup(struct xfs_da_wargs *a, struct xfs_buf *bp,
			unsigned int end, unsigned int *maxeff)
{
	bool ftype = xfs_dir_whas_ftype(a);
	uint8_t *base = bp->b_addr;
	unsigned int off, len, eff;
	int enddup = -1;
	bool unused;

	*maxeff = 0;
	for (off = XFS_DIR3_DATA_ENTRY_OFFSET; off < end; off += len) {
		len = data_item(ftype, base, off, &unused);
		if (!len) {
			return -1;
		}
		if (!unused) {
			continue;
		}
		eff = len;
		if (off + len == end) {
			enddup = (int)off;
			eff -= sizeof(struct xfs_dir2_leaf_entry);
		}
		if (eff > *maxeff) {
			*maxeff = eff;
		}
	}
	return enddup;
}

static int block_to_leaf(struct xfs_da_wargs *a, struct xfs_buf *bp);

int xfs_dir_wblock_addname(struct xfs_da_wargs *a, struct xfs_dir_wname *n)
{
	unsigned int blksize = a->geo->blksize, esz, end, maxeff, count, off;
	struct xfs_dir2_block_tail *btp;
	struct xfs_dir2_leaf_entry *lep;
	struct xfs_dir3_data_hdr *hdr;
	struct xfs_buf *bp;
	uint8_t *base;
	int enddup, error;

	error = xfs_da_wread(a, 0, &xfs_dir3_block_buf_ops, &bp);
	if (error) {
		return error;
	}
	base = bp->b_addr;
	hdr = bp->b_addr;
	btp = xfs_dir2_block_tail_p(base, blksize);
	count = be32_to_cpu(btp->count);
	lep = xfs_dir2_block_leaf_p(btp);
	error = xfs_dir_wleaf_dup(a, bp, 0, lep, count, n);
	if (error) {
		goto out;
	}
	esz = xfs_dir_wentsize(a, n->namelen);
	end = xfs_dir_wdata_end(a, bp);
	enddup = block_enddup(a, bp, end, &maxeff);
	if (enddup < 0 || maxeff < esz) {
		error = block_to_leaf(a, bp);
		xfs_da_wrelse(a, bp);
		bp = NULL;
		if (!error) {
			error = xfs_dir_wleaf_addname(a, n);
		}
		goto out;
	}
	// Take one leaf entry's room from the end of the last unused region.
	{
		unsigned int elen = get_unaligned_be16(base + enddup + 2);

		elen -= sizeof(*lep);
		if (elen) {
			xfs_dir_wdata_set_unused(base, (unsigned int)enddup,
						 elen);
		}
		memmove(lep - 1, lep, count * sizeof(*lep));
		lep--;
		btp->count = cpu_to_be32(count + 1);
	}
	xfs_dir_wdata_freescan(a, bp);
	off = be16_to_cpu(hdr->best_free[0].offset);
	xfs_dir_wdata_put(a, bp, off, n);
	xfs_dir_wleaf_insert(lep, count, n->hash, xfs_dir_wdataptr(a, 0, off));
	xfs_da_wlog(a, bp);
out:
	xfs_da_wrelse(a, bp);
	return error;
}

/*
 * Block -> leaf: the leaf array moves to a LEAF1 block at leafblk, its
 * room (with the tail) joins the unused space of what becomes data
 * block 0.
 */
static int block_to_leaf(struct xfs_da_wargs *a, struct xfs_buf *bp)
{
	unsigned int blksize = a->geo->blksize, count, stale, end, off, len;
	struct xfs_dir2_block_tail *btp = xfs_dir2_block_tail_p(bp->b_addr,
								 blksize);
	struct xfs_dir3_data_hdr *hdr = bp->b_addr;
	struct xfs_dir2_leaf_tail *ltp;
	struct xfs_dir3_leaf_hdr *lhdr;
	struct xfs_buf *lbp;
	uint8_t *base = bp->b_addr;
	bool ftype = xfs_dir_whas_ftype(a), unused;
	int error, lastfree = -1;

	count = be32_to_cpu(btp->count);
	stale = be32_to_cpu(btp->stale);
	end = xfs_dir_wdata_end(a, bp);
	error = xfs_da_wnew(a, a->geo->leafblk, &xfs_dir3_leaf1_buf_ops, &lbp);
	if (error) {
		return error;
	}
	xfs_da_wstamp_blkinfo(a, lbp, XFS_DIR3_LEAF1_MAGIC);
	lhdr = lbp->b_addr;
	lhdr->count = cpu_to_be16((uint16_t)count);
	lhdr->stale = cpu_to_be16((uint16_t)stale);
	memcpy(xfs_dir3_leaf_ents_p(lhdr), xfs_dir2_block_leaf_p(btp),
	       count * sizeof(struct xfs_dir2_leaf_entry));

	// Find the unused region (if any) just before the leaf array.
	for (off = XFS_DIR3_DATA_ENTRY_OFFSET; off < end; off += len) {
		len = data_item(ftype, base, off, &unused);
		if (!len) {
			xfs_da_wrelse(a, lbp);
			return -EFSCORRUPTED;
		}
		lastfree = unused && off + len == end ? (int)off : -1;
	}
	hdr->hdr.magic = cpu_to_be32(XFS_DIR3_DATA_MAGIC);
	memset(base + end, 0, blksize - end);
	off = lastfree >= 0 ? (unsigned int)lastfree : end;
	xfs_dir_wdata_set_unused(base, off, blksize - off);
	bp->b_ops = &xfs_dir3_data_buf_ops;
	xfs_dir_wdata_freescan(a, bp);
	xfs_da_wlog(a, bp);

	ltp = xfs_dir2_leaf_tail_p(lbp->b_addr, blksize);
	ltp->bestcount = cpu_to_be32(1);
	xfs_dir2_leaf_bests_p(ltp)[0] = cpu_to_be16(
		(uint16_t)xfs_dir_wdata_best(bp));
	xfs_da_wlog(a, lbp);
	xfs_da_wrelse(a, lbp);
	return 0;
}
