/*
 * xfs_da_write.c: block I/O of a directory or attribute fork inside a
 * transaction, and the dabtree node operations both writers share
 * (descend by hash, fix parent hashes, link siblings, split nodes and
 * the root).  Blocks are allocated through libxfs_bmapi_write, which
 * takes them from the offloaded allocator.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_bmap_read.h"
#include "xfs_bmap_write.h"
#include "xfs_da_write.h"

void xfs_da_wargs_init(struct xfs_da_wargs *a, struct xfs_trans *tp,
		       struct xfs_inode *dp, int whichfork)
{
	a->tp = tp;
	a->mp = dp->i_mount;
	a->dp = dp;
	a->whichfork = whichfork;
	a->geo = whichfork == XFS_DATA_FORK ? &a->mp->m_dir_geo :
					      &a->mp->m_attr_geo;
}

int xfs_da_wmap(struct xfs_da_wargs *a, uint64_t bno, uint64_t *daddr)
{
	struct xfs_bmbt_irec map[2];
	unsigned int n = 2;
	int error;

	error = libxfs_bmapi_read_tp(a->tp, a->dp, a->whichfork, bno,
				     a->geo->fsbcount, map, &n);
	if (error) {
		return error;
	}
	if (n == 0) {
		return -EFSCORRUPTED;
	}
	if (xfs_bmap_is_hole(&map[0])) {
		return map[0].br_blockcount >= a->geo->fsbcount ? -ENOENT :
								   -EFSCORRUPTED;
	}
	if (map[0].br_unwritten) {
		return -EFSCORRUPTED;
	}
	if (map[0].br_blockcount < a->geo->fsbcount) {
		return n > 1 && !xfs_bmap_is_hole(&map[1]) ? -EOPNOTSUPP :
							     -EFSCORRUPTED;
	}
	*daddr = xfs_mp_fsb_to_daddr(a->mp, map[0].br_startblock);
	return 0;
}

int xfs_da_wread(struct xfs_da_wargs *a, uint64_t bno,
		 const struct xfs_buf_ops *ops, struct xfs_buf **bpp)
{
	uint64_t daddr;
	int error;

	error = xfs_da_wmap(a, bno, &daddr);
	if (error) {
		return error == -ENOENT ? -EFSCORRUPTED : error;
	}
	error = xfs_trans_read_buf(a->mp, a->tp, daddr,
				   (unsigned int)BTOBB(a->geo->blksize), 0, ops,
				   bpp);
	if (!error && (*bpp)->b_ops != ops) {
		(*bpp)->b_ops = ops;
	}
	return error;
}

int xfs_da_wnew(struct xfs_da_wargs *a, uint64_t bno,
		const struct xfs_buf_ops *ops, struct xfs_buf **bpp)
{
	struct xfs_bmbt_irec map;
	unsigned int flags = XFS_BMAPI_METADATA | XFS_BMAPI_CONTIG;
	uint64_t daddr;
	int nmap = 1, error;

	if (a->whichfork == XFS_ATTR_FORK) {
		flags |= XFS_BMAPI_ATTRFORK;
	}
	error = libxfs_bmapi_write(a->tp, a->dp, bno, a->geo->fsbcount, flags,
				   &map, &nmap);
	if (error) {
		return error;
	}
	if (nmap != 1 || map.br_startoff != bno ||
	    map.br_blockcount < a->geo->fsbcount ||
	    xfs_bmap_is_hole(&map)) {
		return -ENOSPC;
	}
	daddr = xfs_mp_fsb_to_daddr(a->mp, map.br_startblock);
	error = xfs_trans_get_buf(a->tp, daddr,
				  (unsigned int)BTOBB(a->geo->blksize), ops,
				  bpp);
	if (error) {
		return error;
	}
	memset((*bpp)->b_addr, 0, a->geo->blksize);
	(*bpp)->b_ops = ops;
	return 0;
}

int xfs_da_wfirst_hole(struct xfs_da_wargs *a, uint64_t start, uint64_t end,
		       uint64_t count, uint64_t *bno)
{
	struct xfs_bmbt_irec map[32];
	uint64_t cur = start;
	unsigned int n, i;
	int error;

	if (a->dp->i_df.if_format == XFS_DINODE_FMT_LOCAL &&
	    a->whichfork == XFS_DATA_FORK) {
		*bno = start;
		return 0;
	}
	// Invariant: no hole of count blocks starts in [start, cur).
	while (cur < end) {
		n = 32;
		error = libxfs_bmapi_read_tp(a->tp, a->dp, a->whichfork, cur,
					     end - cur, map, &n);
		if (error) {
			return error;
		}
		if (n == 0) {
			break;
		}
		for (i = 0; i < n; i++) {
			if (xfs_bmap_is_hole(&map[i])) {
				// Align to count: dir blocks are whole.
				uint64_t s = map[i].br_startoff;
				uint64_t e = s + map[i].br_blockcount;

				s = (s + count - 1) / count * count;
				if (s + count <= e) {
					*bno = s;
					return 0;
				}
			}
			cur = map[i].br_startoff + map[i].br_blockcount;
		}
	}
	return -ENOSPC;
}

void xfs_da_wlog(struct xfs_da_wargs *a, struct xfs_buf *bp)
{
	xfs_trans_log_buf(a->tp, bp, 0, (unsigned int)BBTOB(bp->b_length) - 1);
}

void xfs_da_wrelse(struct xfs_da_wargs *a, struct xfs_buf *bp)
{
	if (bp) {
		xfs_trans_brelse(a->tp, bp);
	}
}

void xfs_da_wstamp_blkinfo(struct xfs_da_wargs *a, struct xfs_buf *bp,
			   uint16_t magic)
{
	struct xfs_da3_blkinfo *info = bp->b_addr;

	info->hdr.magic = cpu_to_be16(magic);
	info->blkno = cpu_to_be64(bp->b_daddr);
	info->owner = cpu_to_be64(a->dp->i_ino);
	memcpy(info->uuid, a->mp->m_meta_uuid, XFS_UUID_SIZE);
}

uint64_t xfs_da_wnode_space(const struct xfs_da_wargs *a)
{
	return a->whichfork == XFS_DATA_FORK ? a->geo->leafblk : 0;
}

uint64_t xfs_da_wnode_space_end(const struct xfs_da_wargs *a)
{
	return a->whichfork == XFS_DATA_FORK ? a->geo->freeblk :
					       (1ULL << 32);
}

int xfs_da_wnew_node_block(struct xfs_da_wargs *a,
			   const struct xfs_buf_ops *ops, uint64_t *bnop,
			   struct xfs_buf **bpp)
{
	int error;

	error = xfs_da_wfirst_hole(a, xfs_da_wnode_space(a),
				   xfs_da_wnode_space_end(a), a->geo->fsbcount,
				   bnop);
	return error ? error : xfs_da_wnew(a, *bnop, ops, bpp);
}

/* ---- dabtree ---- */

void xfs_da_wpath_release(struct xfs_da_wargs *a, struct xfs_da_wpath *p)
{
	unsigned int i;

	for (i = 0; i < p->depth; i++) {
		xfs_da_wrelse(a, p->blk[i].bp);
		p->blk[i].bp = NULL;
	}
	p->depth = 0;
}

static struct xfs_da3_node_hdr *node_hdr(struct xfs_buf *bp)
{
	return bp->b_addr;
}

int xfs_da_wlookup(struct xfs_da_wargs *a, uint64_t root, uint32_t hash,
		   const struct xfs_buf_ops *leaf_ops, struct xfs_da_wpath *p)
{
	uint64_t bno = root;
	int error;

	p->depth = 0;
	for (;;) {
		struct xfs_da_wpath_blk *b = &p->blk[p->depth];
		struct xfs_da3_node_hdr *hdr;
		struct xfs_da_node_entry *ents;
		unsigned int lo, hi, count;

		if (p->depth > XFS_DA_NODE_MAXDEPTH) {
			error = -EFSCORRUPTED;
			goto out_release;
		}
		error = xfs_da_wread(a, bno, &xfs_da3_anyblock_buf_ops, &b->bp);
		if (error) {
			goto out_release;
		}
		b->bno = bno;
		b->index = 0;
		p->depth++;
		hdr = node_hdr(b->bp);
		if (be16_to_cpu(hdr->info.hdr.magic) != XFS_DA3_NODE_MAGIC) {
			b->bp->b_ops = leaf_ops;
			return 0;
		}
		b->bp->b_ops = &xfs_da3_node_buf_ops;
		ents = xfs_da3_node_entries(hdr);
		count = be16_to_cpu(hdr->count);
		if (count == 0) {
			error = -EFSCORRUPTED;
			goto out_release;
		}
		// First entry with hashval >= hash, else the last one.
		lo = 0;
		hi = count;
		while (lo < hi) {
			unsigned int mid = (lo + hi) / 2;

			if (be32_to_cpu(ents[mid].hashval) < hash) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		b->index = lo < count ? lo : count - 1;
		bno = be32_to_cpu(ents[b->index].before);
	}
out_release:
	xfs_da_wpath_release(a, p);
	return error;
}

void xfs_da_wfixhash(struct xfs_da_wargs *a, struct xfs_da_wpath *p,
		     unsigned int lvl, uint32_t hash)
{
	while (lvl > 0) {
		struct xfs_da_wpath_blk *b = &p->blk[lvl - 1];
		struct xfs_da3_node_hdr *hdr = node_hdr(b->bp);
		struct xfs_da_node_entry *e = &xfs_da3_node_entries(hdr)[b->index];

		if (be32_to_cpu(e->hashval) == hash) {
			return;
		}
		e->hashval = cpu_to_be32(hash);
		xfs_da_wlog(a, b->bp);
		if (b->index + 1 != be16_to_cpu(hdr->count)) {
			return;
		}
		lvl--;
	}
}

int xfs_da_wlink_after(struct xfs_da_wargs *a, struct xfs_buf *bp,
		       uint64_t bno, struct xfs_buf *newbp, uint64_t newbno)
{
	struct xfs_da_blkinfo *old = bp->b_addr, *new = newbp->b_addr;
	uint32_t next = be32_to_cpu(old->forw);
	int error;

	new->forw = old->forw;
	new->back = cpu_to_be32((uint32_t)bno);
	old->forw = cpu_to_be32((uint32_t)newbno);
	if (next) {
		struct xfs_buf *nbp;

		error = xfs_da_wread(a, next, &xfs_da3_anyblock_buf_ops, &nbp);
		if (error) {
			return error;
		}
		((struct xfs_da_blkinfo *)nbp->b_addr)->back =
			cpu_to_be32((uint32_t)newbno);
		xfs_da_wlog(a, nbp);
		xfs_da_wrelse(a, nbp);
	}
	xfs_da_wlog(a, bp);
	xfs_da_wlog(a, newbp);
	return 0;
}

static uint32_t node_lasthash(struct xfs_buf *bp)
{
	struct xfs_da3_node_hdr *hdr = node_hdr(bp);

	return be32_to_cpu(xfs_da3_node_entries(hdr)[be16_to_cpu(hdr->count) -
						    1].hashval);
}

/* Insert (hash, before) at index idx of a node with room. */
static void node_insert(struct xfs_buf *bp, unsigned int idx, uint32_t hash,
			uint64_t before)
{
	struct xfs_da3_node_hdr *hdr = node_hdr(bp);
	struct xfs_da_node_entry *ents = xfs_da3_node_entries(hdr);
	unsigned int count = be16_to_cpu(hdr->count);

	memmove(&ents[idx + 1], &ents[idx], (count - idx) * sizeof(*ents));
	ents[idx].hashval = cpu_to_be32(hash);
	ents[idx].before = cpu_to_be32((uint32_t)before);
	hdr->count = cpu_to_be16((uint16_t)(count + 1));
}

/* Move the root's contents to a new block; the root becomes a node. */
static int root_split(struct xfs_da_wargs *a, struct xfs_da_wpath *p,
		      uint32_t oldhash, uint64_t newbno, uint32_t newhash)
{
	struct xfs_buf *rbp = p->blk[0].bp, *mbp, *sbp;
	struct xfs_da3_node_hdr *rhdr = node_hdr(rbp);
	struct xfs_da_node_entry *ents;
	unsigned int blksize = xfs_da_wblksize(a);
	uint16_t level = 0;
	uint64_t mbno;
	int error;

	if (be16_to_cpu(rhdr->info.hdr.magic) == XFS_DA3_NODE_MAGIC) {
		level = be16_to_cpu(rhdr->level);
	}
	if (level + 1 >= XFS_DA_NODE_MAXDEPTH) {
		return -ENOSPC;
	}
	error = xfs_da_wnew_node_block(a, rbp->b_ops, &mbno, &mbp);
	if (error) {
		return error;
	}
	memcpy(mbp->b_addr, rbp->b_addr, blksize);
	((struct xfs_da3_blkinfo *)mbp->b_addr)->blkno =
		cpu_to_be64(mbp->b_daddr);
	xfs_da_wlog(a, mbp);

	// The new sibling was linked after the root: it follows mbno now.
	error = xfs_da_wread(a, newbno, &xfs_da3_anyblock_buf_ops, &sbp);
	if (error) {
		xfs_da_wrelse(a, mbp);
		return error;
	}
	((struct xfs_da_blkinfo *)sbp->b_addr)->back =
		cpu_to_be32((uint32_t)mbno);
	xfs_da_wlog(a, sbp);
	xfs_da_wrelse(a, sbp);
	xfs_da_wrelse(a, mbp);

	memset((uint8_t *)rbp->b_addr + sizeof(struct xfs_da3_blkinfo), 0,
	       blksize - sizeof(struct xfs_da3_blkinfo));
	rhdr->info.hdr.forw = 0;
	rhdr->info.hdr.back = 0;
	rhdr->info.hdr.magic = cpu_to_be16(XFS_DA3_NODE_MAGIC);
	rhdr->count = cpu_to_be16(2);
	rhdr->level = cpu_to_be16((uint16_t)(level + 1));
	ents = xfs_da3_node_entries(rhdr);
	ents[0].hashval = cpu_to_be32(oldhash);
	ents[0].before = cpu_to_be32((uint32_t)mbno);
	ents[1].hashval = cpu_to_be32(newhash);
	ents[1].before = cpu_to_be32((uint32_t)newbno);
	rbp->b_ops = &xfs_da3_node_buf_ops;
	xfs_da_wlog(a, rbp);
	return 0;
}

int xfs_da_wsplit_insert(struct xfs_da_wargs *a, struct xfs_da_wpath *p,
			 unsigned int lvl, uint32_t oldhash, uint64_t newbno,
			 uint32_t newhash)
{
	struct xfs_da_wpath_blk *par;
	struct xfs_da3_node_hdr *hdr, *nhdr;
	struct xfs_da_node_entry *ents;
	unsigned int count, idx, half, maxents;
	struct xfs_buf *nbp;
	uint64_t nbno;
	int error;

	if (lvl == 0) {
		return root_split(a, p, oldhash, newbno, newhash);
	}
	par = &p->blk[lvl - 1];
	hdr = node_hdr(par->bp);
	ents = xfs_da3_node_entries(hdr);
	count = be16_to_cpu(hdr->count);
	idx = par->index;
	maxents = a->geo->node_ents;
	ents[idx].hashval = cpu_to_be32(oldhash);
	if (count < maxents) {
		node_insert(par->bp, idx + 1, newhash, newbno);
		xfs_da_wlog(a, par->bp);
		if (idx + 2 == count + 1) {
			xfs_da_wfixhash(a, p, lvl - 1, newhash);
		}
		return 0;
	}

	// Full node: move the upper half to a new sibling node.
	error = xfs_da_wnew_node_block(a, &xfs_da3_node_buf_ops, &nbno, &nbp);
	if (error) {
		return error;
	}
	xfs_da_wstamp_blkinfo(a, nbp, XFS_DA3_NODE_MAGIC);
	nhdr = node_hdr(nbp);
	nhdr->level = hdr->level;
	half = count / 2;
	memcpy(xfs_da3_node_entries(nhdr), &ents[half],
	       (count - half) * sizeof(*ents));
	nhdr->count = cpu_to_be16((uint16_t)(count - half));
	hdr->count = cpu_to_be16((uint16_t)half);
	if (idx + 1 <= half) {
		node_insert(par->bp, idx + 1, newhash, newbno);
	} else {
		node_insert(nbp, idx + 1 - half, newhash, newbno);
	}
	error = xfs_da_wlink_after(a, par->bp, par->bno, nbp, nbno);
	if (!error) {
		error = xfs_da_wsplit_insert(a, p, lvl - 1,
					     node_lasthash(par->bp), nbno,
					     node_lasthash(nbp));
	}
	xfs_da_wrelse(a, nbp);
	return error;
}
