/*
 * xfs_dir2_read.c: read-only directories.  Lists entries in on-disk order
 * for every directory format and looks names up through the hash: the
 * block's own leaf array, the LEAF1 block, or the dabtree of LEAFN
 * blocks.  Blocks come in through their verifiers; the walks below still
 * check every count, offset and pointer they use, so that no value read
 * from disk can send them outside a buffer.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_bmap_read.h"
#include "xfs_dir2_read.h"

/* Smallest data entry: inumber, namelen, 1-byte name, tag (rounded). */
#define DIR_MIN_ENTSIZE		16
/* Longest name a directory entry can hold (namelen is one byte). */
#define DIR_MAXNAMELEN		255
/* Forward hops along LEAFN siblings before we count the fork's blocks. */
#define DIR_CHEAP_HOPS		16

struct dir_ctx {
	struct xfs_mount	*mp;
	struct xfs_inode	*dp;
	const struct xfs_da_geometry *geo;
	bool			ftype;		/* entries carry a file type */
	unsigned int		dblog;		/* sb_dirblklog: fsbs per block */
};

static void dir_ctx_init(struct dir_ctx *c, struct xfs_mount *mp,
			 struct xfs_inode *dp)
{
	c->mp = mp;
	c->dp = dp;
	c->geo = &mp->m_dir_geo;
	c->ftype = xfs_has_ftype(mp);
	c->dblog = mp->m_sb.sb_dirblklog;
}

uint32_t libxfs_dir_hashname(const struct xfs_mount *mp, const uint8_t *name,
			     unsigned int namelen)
{
	if (xfs_has_asciici(mp)) {
		return xfs_ascii_ci_hashname(name, (int)namelen);
	}
	return xfs_da_hashname(name, (int)namelen);
}

/* Directory block number <-> dataptr of an offset in it. */
static uint32_t dir_dataptr(const struct dir_ctx *c, uint32_t db,
			    unsigned int off)
{
	return xfs_dir2_db_off_to_dataptr(c->geo->blklog, db, off);
}

/* Read directory block at file block da and check its owner. */
static int dir_read(struct dir_ctx *c, uint64_t da,
		    const struct xfs_buf_ops *ops, struct xfs_buf **bpp)
{
	struct xfs_buf *bp;
	uint64_t owner;
	int error;

	error = libxfs_da_read_buf(c->dp, XFS_DATA_FORK, da, 0, ops, &bp);
	if (error) {
		// A block the structure points at may not be a hole.
		return error == -ENOENT ? -EFSCORRUPTED : error;
	}
	if (BBTOB(bp->b_length) != c->geo->blksize) {
		libxfs_buf_relse(bp);
		return -EFSCORRUPTED;
	}
	// Data, block and free headers keep the owner at 40, dabtree
	// blocks at 48.
	if (ops == &xfs_dir3_block_buf_ops || ops == &xfs_dir3_data_buf_ops ||
	    ops == &xfs_dir3_free_buf_ops) {
		owner = be64_to_cpu(((struct xfs_dir3_blk_hdr *)
				     bp->b_addr)->owner);
	} else {
		owner = be64_to_cpu(((struct xfs_da3_blkinfo *)
				     bp->b_addr)->owner);
	}
	if (owner != c->dp->i_ino) {
		libxfs_buf_relse(bp);
		return -EFSCORRUPTED;
	}
	*bpp = bp;
	return 0;
}

int libxfs_dir_format(struct xfs_mount *mp, struct xfs_inode *dp,
		      enum xfs_dir_fmt *fmt)
{
	const struct xfs_da_geometry *geo = &mp->m_dir_geo;
	uint64_t last;
	int error;

	if ((dp->i_mode & XFS_IFMT) != XFS_IFDIR) {
		return -ENOTDIR;
	}
	switch (dp->i_df.if_format) {
	case XFS_DINODE_FMT_LOCAL:
		*fmt = XFS_DIR_FMT_SF;
		return 0;
	case XFS_DINODE_FMT_EXTENTS:
	case XFS_DINODE_FMT_BTREE:
		break;
	default:
		return -EFSCORRUPTED;
	}
	error = libxfs_bmap_last_offset(dp, XFS_DATA_FORK, &last);
	if (error) {
		return error;
	}
	if (last == geo->fsbcount) {
		if (dp->i_size != geo->blksize) {
			return -EFSCORRUPTED;
		}
		*fmt = XFS_DIR_FMT_BLOCK;
	} else if (last == (uint64_t)geo->leafblk + geo->fsbcount) {
		*fmt = XFS_DIR_FMT_LEAF;
	} else if (last > (uint64_t)geo->leafblk + geo->fsbcount) {
		*fmt = XFS_DIR_FMT_NODE;
	} else {
		return -EFSCORRUPTED;
	}
	return 0;
}

/* ---- shortform ---- */

/*
 * Check a whole shortform directory before anything is handed out:
 * header, every entry inside i_size, offsets increasing as a data block
 * would place them, inode numbers valid, and i_size exactly used up.
 */
static int sf_check(struct dir_ctx *c, const uint8_t **sfp)
{
	const struct xfs_ifork *ifp = &c->dp->i_df;
	const struct xfs_dir2_sf_hdr *hdr = ifp->if_data;
	const uint8_t *p = ifp->if_data;
	size_t size = c->dp->i_size, pos;
	unsigned int i, next_off;

	if (!p || size < 2 || size > ifp->if_size) {
		return -EFSCORRUPTED;
	}
	pos = xfs_dir2_sf_hdr_size(hdr->i8count);
	if (size < pos ||
	    !libxfs_verify_ino(c->mp, xfs_dir2_sf_get_parent(hdr))) {
		return -EFSCORRUPTED;
	}
	next_off = xfs_dir3_data_first_offset(c->ftype);
	for (i = 0; i < hdr->count; i++) {
		const struct xfs_dir2_sf_entry *sfep = (const void *)(p + pos);
		unsigned int esize, off;

		if (size - pos < 3) {
			return -EFSCORRUPTED;
		}
		esize = xfs_dir2_sf_entsize(c->ftype, hdr->i8count,
					    sfep->namelen);
		off = xfs_dir2_sf_get_offset(sfep);
		if (sfep->namelen == 0 || esize > size - pos ||
		    off < next_off) {
			return -EFSCORRUPTED;
		}
		next_off = off + xfs_dir2_data_entsize(c->ftype, sfep->namelen);
		if (next_off > c->geo->blksize ||
		    xfs_dir2_sf_get_ftype(c->ftype, sfep) >= XFS_DIR3_FT_MAX ||
		    !libxfs_verify_ino(c->mp, xfs_dir2_sf_get_ino(hdr,
				xfs_dir2_sf_inop(c->ftype,
					(struct xfs_dir2_sf_entry *)sfep)))) {
			return -EFSCORRUPTED;
		}
		pos += esize;
	}
	if (pos != size) {
		return -EFSCORRUPTED;
	}
	*sfp = p;
	return 0;
}

/* Walk a checked shortform dir: "." and ".." first. */
static int sf_walk(struct dir_ctx *c, xfs_dir_iterate_fn fn, void *priv)
{
	const struct xfs_dir2_sf_hdr *hdr;
	const uint8_t *p;
	struct xfs_dir_ent de;
	size_t pos;
	unsigned int i;
	int error;

	error = sf_check(c, &p);
	if (error) {
		return error;
	}
	hdr = (const void *)p;
	de.ftype = XFS_DIR3_FT_DIR;
	de.name = (const uint8_t *)".";
	de.namelen = 1;
	de.ino = c->dp->i_ino;
	de.dataptr = de.cookie = dir_dataptr(c, 0, xfs_dir3_data_dot_offset());
	error = fn(c->dp, &de, priv);
	if (error) {
		return error;
	}
	de.name = (const uint8_t *)"..";
	de.namelen = 2;
	de.ino = xfs_dir2_sf_get_parent(hdr);
	de.dataptr = de.cookie = dir_dataptr(c, 0,
				xfs_dir3_data_dotdot_offset(c->ftype));
	error = fn(c->dp, &de, priv);
	pos = xfs_dir2_sf_hdr_size(hdr->i8count);
	for (i = 0; i < hdr->count && !error; i++) {
		struct xfs_dir2_sf_entry *sfep = (void *)(p + pos);

		de.name = sfep->name;
		de.namelen = sfep->namelen;
		de.ftype = xfs_dir2_sf_get_ftype(c->ftype, sfep);
		de.ino = xfs_dir2_sf_get_ino(hdr,
					     xfs_dir2_sf_inop(c->ftype, sfep));
		de.dataptr = de.cookie = dir_dataptr(c, 0,
					xfs_dir2_sf_get_offset(sfep));
		error = fn(c->dp, &de, priv);
		pos += xfs_dir2_sf_entsize(c->ftype, hdr->i8count,
					   sfep->namelen);
	}
	return error;
}

/* ---- data blocks ---- */

/*
 * The entry at byte off of a data area ending at end: 0 with *dep set,
 * 1 if off starts an unused region (*ulen set), or -EFSCORRUPTED.
 */
static int data_entry_at(const struct dir_ctx *c, const uint8_t *base,
			 size_t off, size_t end,
			 const struct xfs_dir2_data_entry **dep, size_t *lenp)
{
	const uint8_t *p = base + off;
	size_t len;

	if (off < XFS_DIR3_DATA_ENTRY_OFFSET || off % XFS_DIR2_DATA_ALIGN ||
	    off >= end || end - off < 8) {
		return -EFSCORRUPTED;
	}
	if (get_unaligned_be16(p) == XFS_DIR2_DATA_FREE_TAG) {
		len = get_unaligned_be16(p + 2);
		if (len < 8 || len % XFS_DIR2_DATA_ALIGN || len > end - off) {
			return -EFSCORRUPTED;
		}
		*lenp = len;
		return 1;
	}
	if (end - off < DIR_MIN_ENTSIZE || p[8] == 0) {
		return -EFSCORRUPTED;
	}
	len = xfs_dir2_data_entsize(c->ftype, p[8]);
	if (len > end - off || get_unaligned_be16(p + len - 2) != off) {
		return -EFSCORRUPTED;
	}
	*dep = (const void *)p;
	if (!libxfs_verify_ino(c->mp, be64_to_cpu((*dep)->inumber)) ||
	    xfs_dir2_data_get_ftype(c->ftype, *dep) >= XFS_DIR3_FT_MAX) {
		return -EFSCORRUPTED;
	}
	*lenp = len;
	return 0;
}

/* Where the entries of a block-format directory end (its leaf array). */
static int block_data_end(const struct dir_ctx *c, struct xfs_buf *bp,
			  size_t *end)
{
	struct xfs_dir2_block_tail *btp;
	size_t room = c->geo->blksize - XFS_DIR3_DATA_ENTRY_OFFSET -
		      sizeof(*btp);

	btp = xfs_dir2_block_tail_p(bp->b_addr, c->geo->blksize);
	if ((uint64_t)be32_to_cpu(btp->count) *
	    sizeof(struct xfs_dir2_leaf_entry) > room) {
		return -EFSCORRUPTED;
	}
	*end = (size_t)((uint8_t *)xfs_dir2_block_leaf_p(btp) -
			(uint8_t *)bp->b_addr);
	return 0;
}

/*
 * Hand out the entries of data block db (read into bp) in order.  leaf
 * selects the cookie style of leaf and node directories.
 */
static int data_walk(struct dir_ctx *c, struct xfs_buf *bp, uint32_t db,
		     size_t end, bool leaf, xfs_dir_iterate_fn fn, void *priv)
{
	const uint8_t *base = bp->b_addr;
	const struct xfs_dir2_data_entry *dep;
	struct xfs_dir_ent de;
	size_t off = XFS_DIR3_DATA_ENTRY_OFFSET, len;
	int ret;

	// Invariant: [64, off) was a valid run of entries and unused space.
	while (off < end) {
		ret = data_entry_at(c, base, off, end, &dep, &len);
		if (ret < 0) {
			return ret;
		}
		if (ret == 0) {
			de.name = dep->name;
			de.namelen = dep->namelen;
			de.ino = be64_to_cpu(dep->inumber);
			de.ftype = xfs_dir2_data_get_ftype(c->ftype, dep);
			de.dataptr = dir_dataptr(c, db, (unsigned int)off);
			de.cookie = leaf ? dir_dataptr(c, db,
						(unsigned int)(off + len)) :
					   de.dataptr;
			ret = fn(c->dp, &de, priv);
			if (ret) {
				return ret;
			}
		}
		off += len;
	}
	return 0;
}

static int block_walk(struct dir_ctx *c, xfs_dir_iterate_fn fn, void *priv)
{
	struct xfs_buf *bp;
	size_t end;
	int error;

	error = dir_read(c, c->geo->datablk, &xfs_dir3_block_buf_ops, &bp);
	if (error) {
		return error;
	}
	error = block_data_end(c, bp, &end);
	if (!error) {
		error = data_walk(c, bp, 0, end, false, fn, priv);
	}
	libxfs_buf_relse(bp);
	return error;
}

/* Every data block of a leaf or node directory, in file order. */
static int leaf_walk(struct dir_ctx *c, xfs_dir_iterate_fn fn, void *priv)
{
	struct xfs_bmbt_irec maps[16];
	uint64_t bno = 0, next_da = 0, da, end, leafblk = c->geo->leafblk;
	unsigned int fsbcount = c->geo->fsbcount, n, i;
	struct xfs_buf *bp;
	int error;

	while (bno < leafblk) {
		n = 16;
		error = libxfs_bmapi_read(c->dp, XFS_DATA_FORK, bno,
					  leafblk - bno, maps, &n);
		if (error) {
			return error;
		}
		for (i = 0; i < n; i++) {
			end = maps[i].br_startoff + maps[i].br_blockcount;
			bno = end;
			if (xfs_bmap_is_hole(&maps[i])) {
				continue;
			}
			da = maps[i].br_startoff & ~(uint64_t)(fsbcount - 1);
			for (; da < end; da += fsbcount) {
				if (da < next_da) {
					continue;
				}
				next_da = da + fsbcount;
				error = dir_read(c, da, &xfs_dir3_data_buf_ops,
						 &bp);
				if (error) {
					return error;
				}
				error = data_walk(c, bp,
					xfs_dir2_da_to_db(c->dblog, da),
					c->geo->blksize, true, fn, priv);
				libxfs_buf_relse(bp);
				if (error) {
					return error;
				}
			}
		}
	}
	return 0;
}

int libxfs_dir_iterate(struct xfs_mount *mp, struct xfs_inode *dp,
		       xfs_dir_iterate_fn fn, void *priv)
{
	enum xfs_dir_fmt fmt;
	struct dir_ctx c;
	int error;

	error = libxfs_dir_format(mp, dp, &fmt);
	if (error) {
		return error;
	}
	dir_ctx_init(&c, mp, dp);
	switch (fmt) {
	case XFS_DIR_FMT_SF:
		return sf_walk(&c, fn, priv);
	case XFS_DIR_FMT_BLOCK:
		return block_walk(&c, fn, priv);
	default:
		return leaf_walk(&c, fn, priv);
	}
}

/* ---- lookup ---- */

struct dir_lookup {
	struct dir_ctx	c;
	const uint8_t	*name;
	unsigned int	namelen;
	uint32_t	hash;
	int		found;		/* 0 none, 1 case-folded, 2 exact */
	uint64_t	ino;
	uint8_t		ftype;
	struct xfs_buf	*data_bp;	/* data block last looked at */
	uint32_t	data_db;
	size_t		data_end;	/* end of its entries */
};

/* 2 for an exact match, 1 for a case-insensitive one, 0 for none. */
static int name_cmp(const struct dir_lookup *lk, const uint8_t *name,
		    unsigned int namelen)
{
	unsigned int i;

	if (namelen != lk->namelen) {
		return 0;
	}
	if (memcmp(name, lk->name, namelen) == 0) {
		return 2;
	}
	if (!xfs_has_asciici(lk->c.mp)) {
		return 0;
	}
	for (i = 0; i < namelen; i++) {
		if (xfs_ascii_ci_lower(name[i]) !=
		    xfs_ascii_ci_lower(lk->name[i])) {
			return 0;
		}
	}
	return 1;
}

static void lookup_note(struct dir_lookup *lk, int match, uint64_t ino,
			uint8_t ftype)
{
	if (match > lk->found) {
		lk->found = match;
		lk->ino = ino;
		lk->ftype = ftype;
	}
}

static int sf_lookup(struct dir_lookup *lk)
{
	const struct xfs_dir2_sf_hdr *hdr;
	const uint8_t *p;
	size_t pos;
	unsigned int i;
	int error;

	error = sf_check(&lk->c, &p);
	if (error) {
		return error;
	}
	hdr = (const void *)p;
	lookup_note(lk, name_cmp(lk, (const uint8_t *)".", 1),
		    lk->c.dp->i_ino, XFS_DIR3_FT_DIR);
	lookup_note(lk, name_cmp(lk, (const uint8_t *)"..", 2),
		    xfs_dir2_sf_get_parent(hdr), XFS_DIR3_FT_DIR);
	pos = xfs_dir2_sf_hdr_size(hdr->i8count);
	for (i = 0; i < hdr->count && lk->found < 2; i++) {
		struct xfs_dir2_sf_entry *sfep = (void *)(p + pos);

		lookup_note(lk, name_cmp(lk, sfep->name, sfep->namelen),
			    xfs_dir2_sf_get_ino(hdr,
					xfs_dir2_sf_inop(lk->c.ftype, sfep)),
			    xfs_dir2_sf_get_ftype(lk->c.ftype, sfep));
		pos += xfs_dir2_sf_entsize(lk->c.ftype, hdr->i8count,
					   sfep->namelen);
	}
	return 0;
}

/* Check the data entry a leaf entry points at.  Returns 1 on an exact hit. */
static int lookup_addr(struct dir_lookup *lk, uint32_t addr, bool block)
{
	struct dir_ctx *c = &lk->c;
	const struct xfs_dir2_data_entry *dep;
	uint32_t db = xfs_dir2_dataptr_to_db(c->geo->blklog, addr);
	size_t off = xfs_dir2_dataptr_to_off(c->geo->blklog, addr), len;
	int ret;

	if (block ? db != 0 :
	    xfs_dir2_db_to_da(c->dblog, db) >= c->geo->leafblk) {
		return -EFSCORRUPTED;
	}
	if (!lk->data_bp || lk->data_db != db) {
		libxfs_buf_relse(lk->data_bp);
		lk->data_bp = NULL;
		ret = dir_read(c, xfs_dir2_db_to_da(c->dblog, db),
			       &xfs_dir3_data_buf_ops, &lk->data_bp);
		if (ret) {
			return ret;
		}
		lk->data_db = db;
		lk->data_end = c->geo->blksize;
	}
	ret = data_entry_at(c, lk->data_bp->b_addr, off, lk->data_end, &dep,
			    &len);
	if (ret) {
		return -EFSCORRUPTED;	/* points at free space or garbage */
	}
	lookup_note(lk, name_cmp(lk, dep->name, dep->namelen),
		    be64_to_cpu(dep->inumber),
		    xfs_dir2_data_get_ftype(c->ftype, dep));
	return lk->found == 2;
}

/*
 * Look at the leaf entries with our hash, from the first one.  Returns 1
 * on an exact hit, 2 if the entries ran out before a larger hash showed
 * up (the run may go on in the next leaf), 0 otherwise.
 */
static int lookup_ents(struct dir_lookup *lk,
		       const struct xfs_dir2_leaf_entry *ents,
		       unsigned int count, bool block)
{
	unsigned int lo = 0, hi = count, i;
	int ret;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (be32_to_cpu(ents[mid].hashval) < lk->hash) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	for (i = lo; i < count; i++) {
		uint32_t addr = be32_to_cpu(ents[i].address);

		if (be32_to_cpu(ents[i].hashval) != lk->hash) {
			return 0;
		}
		if (addr == XFS_DIR2_NULL_LEAF_ADDRESS) {
			continue;
		}
		ret = lookup_addr(lk, addr, block);
		if (ret) {
			return ret;
		}
	}
	return 2;
}

static int block_lookup(struct dir_lookup *lk)
{
	struct xfs_dir2_block_tail *btp;
	struct xfs_buf *bp;
	size_t end;
	int error;

	error = dir_read(&lk->c, lk->c.geo->datablk, &xfs_dir3_block_buf_ops,
			 &bp);
	if (error) {
		return error;
	}
	error = block_data_end(&lk->c, bp, &end);
	if (error) {
		libxfs_buf_relse(bp);
		return error;
	}
	btp = xfs_dir2_block_tail_p(bp->b_addr, lk->c.geo->blksize);
	lk->data_bp = bp;	/* released by the caller */
	lk->data_db = 0;
	lk->data_end = end;
	error = lookup_ents(lk, xfs_dir2_block_leaf_p(btp),
			    be32_to_cpu(btp->count), true);
	return error < 0 ? error : 0;
}

/* Entries of a LEAF1 or LEAFN block, bounds-checked. */
static int leaf_ents(const struct dir_ctx *c, struct xfs_buf *bp, bool leaf1,
		     struct xfs_dir2_leaf_entry **entsp, unsigned int *countp)
{
	struct xfs_dir3_leaf_hdr *hdr = bp->b_addr;
	size_t room = c->geo->blksize - sizeof(*hdr);
	unsigned int count = be16_to_cpu(hdr->count);

	if (leaf1) {
		struct xfs_dir2_leaf_tail *ltp =
			xfs_dir2_leaf_tail_p(bp->b_addr, c->geo->blksize);
		uint64_t tail = sizeof(*ltp) +
			(uint64_t)be32_to_cpu(ltp->bestcount) *
			sizeof(xfs_be16_t);

		if (tail > room) {
			return -EFSCORRUPTED;
		}
		room -= (size_t)tail;
	}
	if ((size_t)count * sizeof(struct xfs_dir2_leaf_entry) > room) {
		return -EFSCORRUPTED;
	}
	*entsp = xfs_dir3_leaf_ents_p(hdr);
	*countp = count;
	return 0;
}

/* Is da block bno inside the leaf segment? */
static bool in_leaf_space(const struct dir_ctx *c, uint64_t bno)
{
	return bno >= c->geo->leafblk && bno < c->geo->freeblk &&
	       (bno & (c->geo->fsbcount - 1)) == 0;
}

/*
 * Search LEAFN block bno and, while the run of our hash may continue,
 * its right siblings.
 */
static int leafn_lookup(struct dir_lookup *lk, uint64_t bno)
{
	struct dir_ctx *c = &lk->c;
	struct xfs_dir2_leaf_entry *ents;
	uint64_t hops = 0, max_hops = DIR_CHEAP_HOPS;
	unsigned int count;
	struct xfs_buf *bp;
	bool counted = false;
	int ret;

	for (;;) {
		ret = dir_read(c, bno, &xfs_dir3_leafn_buf_ops, &bp);
		if (ret) {
			return ret;
		}
		ret = leaf_ents(c, bp, false, &ents, &count);
		if (!ret) {
			ret = lookup_ents(lk, ents, count, false);
		}
		bno = be32_to_cpu(((struct xfs_da3_blkinfo *)bp->b_addr)->
				  hdr.forw);
		libxfs_buf_relse(bp);
		if (ret != 2 || bno == 0) {
			return ret < 0 ? ret : 0;
		}
		if (!in_leaf_space(c, bno)) {
			return -EFSCORRUPTED;
		}
		// A sibling chain longer than the fork has blocks loops.
		if (++hops > max_hops) {
			if (counted) {
				return -EFSCORRUPTED;
			}
			ret = libxfs_bmap_count_blocks(c->dp, XFS_DATA_FORK,
						       &max_hops);
			if (ret) {
				return ret;
			}
			counted = true;
		}
	}
}

/* Descend the dabtree from its root at the start of the leaf segment. */
static int node_lookup(struct dir_lookup *lk)
{
	struct dir_ctx *c = &lk->c;
	uint64_t bno = c->geo->leafblk;
	unsigned int want = 0, level, count, i;	/* want 0: any level */
	struct xfs_da_node_entry *ents;
	struct xfs_da3_node_hdr *hdr;
	struct xfs_buf *bp;
	int error;

	for (;;) {
		error = dir_read(c, bno, &xfs_da3_anyblock_buf_ops, &bp);
		if (error) {
			return error;
		}
		hdr = bp->b_addr;
		switch (be16_to_cpu(hdr->info.hdr.magic)) {
		case XFS_DIR3_LEAFN_MAGIC:
			libxfs_buf_relse(bp);
			if (want > 1) {
				return -EFSCORRUPTED;
			}
			return leafn_lookup(lk, bno);
		case XFS_DA3_NODE_MAGIC:
			break;
		default:
			libxfs_buf_relse(bp);
			return -EFSCORRUPTED;
		}
		level = be16_to_cpu(hdr->level);
		count = be16_to_cpu(hdr->count);
		if (level == 0 || level > XFS_DA_NODE_MAXDEPTH ||
		    (want && level != want - 1) || count == 0 ||
		    count > c->geo->node_ents) {
			libxfs_buf_relse(bp);
			return -EFSCORRUPTED;
		}
		ents = xfs_da3_node_entries(hdr);
		// The first subtree whose highest hash reaches ours.
		for (i = 0; i < count; i++) {
			if (be32_to_cpu(ents[i].hashval) >= lk->hash) {
				break;
			}
		}
		if (i == count) {
			libxfs_buf_relse(bp);
			return 0;
		}
		bno = be32_to_cpu(ents[i].before);
		libxfs_buf_relse(bp);
		if (!in_leaf_space(c, bno)) {
			return -EFSCORRUPTED;
		}
		want = level;	/* the child must be at level - 1 */
		if (level == 1) {
			return leafn_lookup(lk, bno);
		}
	}
}

static int leaf_lookup(struct dir_lookup *lk)
{
	struct xfs_dir2_leaf_entry *ents;
	unsigned int count;
	struct xfs_buf *bp;
	int error;

	error = dir_read(&lk->c, lk->c.geo->leafblk, &xfs_dir3_leaf1_buf_ops,
			 &bp);
	if (error) {
		return error;
	}
	error = leaf_ents(&lk->c, bp, true, &ents, &count);
	if (!error) {
		error = lookup_ents(lk, ents, count, false);
	}
	libxfs_buf_relse(bp);
	return error < 0 ? error : 0;
}

int libxfs_dir_lookup(struct xfs_mount *mp, struct xfs_inode *dp,
		      const uint8_t *name, unsigned int namelen,
		      uint64_t *ino, uint8_t *ftype)
{
	struct dir_lookup lk = { .name = name, .namelen = namelen };
	enum xfs_dir_fmt fmt;
	int error;

	if (namelen == 0 || namelen > DIR_MAXNAMELEN) {
		return -EINVAL;
	}
	error = libxfs_dir_format(mp, dp, &fmt);
	if (error) {
		return error;
	}
	dir_ctx_init(&lk.c, mp, dp);
	lk.hash = libxfs_dir_hashname(mp, name, namelen);
	switch (fmt) {
	case XFS_DIR_FMT_SF:
		error = sf_lookup(&lk);
		break;
	case XFS_DIR_FMT_BLOCK:
		error = block_lookup(&lk);
		break;
	case XFS_DIR_FMT_LEAF:
		error = leaf_lookup(&lk);
		break;
	default:
		error = node_lookup(&lk);
		break;
	}
	libxfs_buf_relse(lk.data_bp);
	if (error) {
		return error;
	}
	if (!lk.found) {
		return -ENOENT;
	}
	*ino = lk.ino;
	if (ftype) {
		*ftype = lk.ftype;
	}
	return 0;
}
