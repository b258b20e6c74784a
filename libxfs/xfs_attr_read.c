/*
 * xfs_attr_read.c: read-only extended attributes.  Lists the attr fork in
 * its three formats (shortform in the inode, one leaf block, a dabtree of
 * leaves) and fetches single values, following remote values through
 * their XARM blocks.  Every count, offset and pointer from disk is checked
 * before use; damage gives -EFSCORRUPTED or -EFSBADCRC.
 */
#include <stddef.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_bmap_read.h"
#include "xfs_attr_read.h"

/* Forward hops along leaf siblings before we count the fork's blocks. */
#define ATTR_CHEAP_HOPS		16

/* Does the inode have an attribute fork with something in it? */
static bool attr_fork_present(const struct xfs_inode *ip)
{
	return ip->i_forkoff != 0 && ip->i_af.if_size != 0;
}

/* ---- shortform ---- */

/*
 * Check the whole shortform fork: header inside the fork, every entry
 * inside totsize with a name and known flags, totsize used up exactly.
 */
static int sf_check(struct xfs_inode *ip, const uint8_t **sfp,
		    unsigned int *countp)
{
	const struct xfs_ifork *ifp = &ip->i_af;
	const struct xfs_attr_sf_hdr *hdr = ifp->if_data;
	size_t size, pos = sizeof(*hdr);
	unsigned int i;

	if (!hdr || ifp->if_size < sizeof(*hdr)) {
		return -EFSCORRUPTED;
	}
	size = be16_to_cpu(hdr->totsize);
	if (size < sizeof(*hdr) || size > ifp->if_size) {
		return -EFSCORRUPTED;
	}
	for (i = 0; i < hdr->count; i++) {
		const struct xfs_attr_sf_entry *sfe =
			(const void *)((const uint8_t *)hdr + pos);

		if (size - pos < sizeof(*sfe) || sfe->namelen == 0 ||
		    xfs_attr_sf_entsize(sfe) > size - pos ||
		    (sfe->flags & ~XFS_ATTR_NSP_ONDISK_MASK) ||
		    (sfe->flags & XFS_ATTR_NSP_ONDISK_MASK) ==
		    XFS_ATTR_NSP_ONDISK_MASK) {
			return -EFSCORRUPTED;
		}
		pos += xfs_attr_sf_entsize(sfe);
	}
	if (pos != size) {
		return -EFSCORRUPTED;
	}
	*sfp = ifp->if_data;
	*countp = hdr->count;
	return 0;
}

static void sf_entry(const struct xfs_attr_sf_entry *sfe,
		     struct xfs_attr_ent *ae)
{
	memset(ae, 0, sizeof(*ae));
	ae->flags = sfe->flags;
	ae->name = sfe->nameval;
	ae->namelen = sfe->namelen;
	ae->value = sfe->nameval + sfe->namelen;
	ae->valuelen = sfe->valuelen;
	ae->hashval = xfs_da_hashname(sfe->nameval, sfe->namelen);
}

/* ---- leaf blocks ---- */

/*
 * Read attr fork block bno as type ops, owned by ip, through tp (NULL:
 * none); released with xfs_trans_brelse(tp, bp).
 */
static int attr_read(struct xfs_trans *tp, struct xfs_inode *ip, uint64_t bno,
		     const struct xfs_buf_ops *ops, struct xfs_buf **bpp)
{
	const struct xfs_da3_blkinfo *info;
	struct xfs_buf *bp;
	int error;

	error = libxfs_da_read_buf_tp(tp, ip, XFS_ATTR_FORK, bno, 0, ops, &bp);
	if (error) {
		return error == -ENOENT ? -EFSCORRUPTED : error;
	}
	info = bp->b_addr;
	if (BBTOB(bp->b_length) != ip->i_mount->m_attr_geo.blksize ||
	    be64_to_cpu(info->owner) != ip->i_ino) {
		xfs_trans_brelse(tp, bp);
		return -EFSCORRUPTED;
	}
	*bpp = bp;
	return 0;
}

/* The entry array of a leaf, bounds-checked. */
static int leaf_entries(struct xfs_buf *bp, struct xfs_attr_leaf_entry **entsp,
			unsigned int *countp)
{
	struct xfs_attr3_leaf_hdr *hdr = bp->b_addr;
	size_t len = (size_t)BBTOB(bp->b_length);
	unsigned int count = be16_to_cpu(hdr->count);

	if (sizeof(*hdr) + (size_t)count *
	    sizeof(struct xfs_attr_leaf_entry) > len) {
		return -EFSCORRUPTED;
	}
	*entsp = xfs_attr3_leaf_entries_p(hdr);
	*countp = count;
	return 0;
}

/* Decode leaf entry e of the leaf in bp into ae, checking its bounds. */
static int leaf_entry(struct xfs_buf *bp, const struct xfs_attr_leaf_entry *e,
		      struct xfs_attr_ent *ae)
{
	const uint8_t *base = bp->b_addr, *p;
	size_t len = (size_t)BBTOB(bp->b_length);
	size_t idx = be16_to_cpu(e->nameidx), fixed;

	memset(ae, 0, sizeof(*ae));
	ae->flags = e->flags;
	ae->hashval = be32_to_cpu(e->hashval);
	if (idx < sizeof(struct xfs_attr3_leaf_hdr) || idx >= len) {
		return -EFSCORRUPTED;
	}
	// Name entries are only byte-aligned: no struct access through them.
	p = base + idx;
	if (e->flags & XFS_ATTR_LOCAL) {
		fixed = offsetof(struct xfs_attr_leaf_name_local, nameval);
		if (len - idx < fixed) {
			return -EFSCORRUPTED;
		}
		ae->valuelen = get_unaligned_be16(p + offsetof(
				struct xfs_attr_leaf_name_local, valuelen));
		ae->namelen = p[offsetof(struct xfs_attr_leaf_name_local,
					 namelen)];
		if (fixed + ae->namelen + ae->valuelen > len - idx) {
			return -EFSCORRUPTED;
		}
		ae->name = p + fixed;
		ae->value = p + fixed + ae->namelen;
	} else {
		fixed = offsetof(struct xfs_attr_leaf_name_remote, name);
		if (len - idx < fixed) {
			return -EFSCORRUPTED;
		}
		ae->valueblk = get_unaligned_be32(p + offsetof(
				struct xfs_attr_leaf_name_remote, valueblk));
		ae->valuelen = get_unaligned_be32(p + offsetof(
				struct xfs_attr_leaf_name_remote, valuelen));
		ae->namelen = p[offsetof(struct xfs_attr_leaf_name_remote,
					 namelen)];
		ae->remote = true;
		if (fixed + ae->namelen > len - idx ||
		    ae->valuelen > XFS_XATTR_SIZE_MAX) {
			return -EFSCORRUPTED;
		}
		ae->name = p + fixed;
	}
	if (ae->namelen == 0) {
		return -EFSCORRUPTED;
	}
	return 0;
}

static int leaf_walk(struct xfs_inode *ip, struct xfs_buf *bp,
		     xfs_attr_iterate_fn fn, void *priv)
{
	struct xfs_attr_leaf_entry *ents;
	struct xfs_attr_ent ae;
	unsigned int count, i;
	int error;

	error = leaf_entries(bp, &ents, &count);
	for (i = 0; i < count && !error; i++) {
		error = leaf_entry(bp, &ents[i], &ae);
		if (!error) {
			error = fn(ip, &ae, priv);
		}
	}
	return error;
}

/* ---- dabtree ---- */

/* What a node block says about itself, checked. */
static int node_header(struct xfs_inode *ip, struct xfs_buf *bp,
		       unsigned int want, struct xfs_da_node_entry **entsp,
		       unsigned int *countp, unsigned int *levelp)
{
	struct xfs_da3_node_hdr *hdr = bp->b_addr;
	unsigned int level = be16_to_cpu(hdr->level);
	unsigned int count = be16_to_cpu(hdr->count);

	if (level == 0 || level > XFS_DA_NODE_MAXDEPTH ||
	    (want && level != want) || count == 0 ||
	    count > ip->i_mount->m_attr_geo.node_ents) {
		return -EFSCORRUPTED;
	}
	*entsp = xfs_da3_node_entries(hdr);
	*countp = count;
	*levelp = level;
	return 0;
}

struct attr_walk {
	struct xfs_trans	*tp;	/* NULL: read outside transactions */
	struct xfs_inode	*ip;
	xfs_attr_iterate_fn	fn;
	void			*priv;
	uint64_t		budget;	/* blocks we may still read */
};

/*
 * Visit the subtree at bno depth first, in hash order.  want is the level
 * the block must be at (leaves are 0), or -1 for the root.
 */
static int node_walk(struct attr_walk *w, uint64_t bno, int want)
{
	struct xfs_da_node_entry *ents;
	unsigned int count, level, i;
	struct xfs_buf *bp;
	int error;

	if (w->budget == 0) {
		return -EFSCORRUPTED;	/* more blocks than the fork has */
	}
	w->budget--;
	error = attr_read(w->tp, w->ip, bno, &xfs_da3_anyblock_buf_ops, &bp);
	if (error) {
		return error;
	}
	switch (be16_to_cpu(((struct xfs_da_blkinfo *)bp->b_addr)->magic)) {
	case XFS_ATTR3_LEAF_MAGIC:
		error = want > 0 ? -EFSCORRUPTED :
				   leaf_walk(w->ip, bp, w->fn, w->priv);
		break;
	case XFS_DA3_NODE_MAGIC:
		error = want == 0 ? -EFSCORRUPTED :
			node_header(w->ip, bp, want < 0 ? 0 : (unsigned int)want,
				    &ents, &count, &level);
		for (i = 0; !error && i < count; i++) {
			error = node_walk(w, be32_to_cpu(ents[i].before),
					  (int)level - 1);
		}
		break;
	default:
		error = -EFSCORRUPTED;
		break;
	}
	xfs_trans_brelse(w->tp, bp);
	return error;
}

int libxfs_attr_iterate(struct xfs_mount *mp, struct xfs_inode *ip,
			xfs_attr_iterate_fn fn, void *priv)
{
	struct attr_walk w = { .ip = ip, .fn = fn, .priv = priv };
	struct xfs_bmbt_irec map;
	struct xfs_attr_ent ae;
	const uint8_t *p;
	unsigned int count, i, n = 1;
	size_t pos;
	int error;

	if (!attr_fork_present(ip)) {
		return 0;
	}
	switch (ip->i_af.if_format) {
	case XFS_DINODE_FMT_LOCAL:
		error = sf_check(ip, &p, &count);
		pos = sizeof(struct xfs_attr_sf_hdr);
		for (i = 0; i < count && !error; i++) {
			const struct xfs_attr_sf_entry *sfe =
				(const void *)(p + pos);

			sf_entry(sfe, &ae);
			error = fn(ip, &ae, priv);
			pos += xfs_attr_sf_entsize(sfe);
		}
		return error;
	case XFS_DINODE_FMT_EXTENTS:
	case XFS_DINODE_FMT_BTREE:
		break;
	default:
		return -EFSCORRUPTED;
	}
	// An attr fork with no blocks holds no attributes.
	error = libxfs_bmapi_read(ip, XFS_ATTR_FORK, 0, 1, &map, &n);
	if (error || xfs_bmap_is_hole(&map)) {
		return error;
	}
	error = libxfs_bmap_count_blocks(ip, XFS_ATTR_FORK, &w.budget);
	if (error) {
		return error;
	}
	return node_walk(&w, 0, -1);
}

/* ---- remote values ---- */

/* Copy the value held by one verified XARM block. */
static int rmt_block(struct xfs_inode *ip, struct xfs_buf *bp,
		     unsigned int done, unsigned int valuelen, uint8_t *buf)
{
	const struct xfs_attr3_rmt_hdr *rmt = bp->b_addr;
	unsigned int space = xfs_attr3_rmt_buf_space(
				(unsigned int)BBTOB(bp->b_length));
	unsigned int want = valuelen - done < space ? valuelen - done : space;

	if (be32_to_cpu(rmt->rm_magic) != XFS_ATTR3_RMT_MAGIC ||
	    be64_to_cpu(rmt->rm_owner) != ip->i_ino ||
	    be32_to_cpu(rmt->rm_offset) != done ||
	    be32_to_cpu(rmt->rm_bytes) != want) {
		return -EFSCORRUPTED;
	}
	memcpy(buf + done, rmt + 1, want);
	return (int)want;
}

/* libxfs_attr_rmtval_get through tp (NULL: none). */
static int attr_rmtval_get(struct xfs_trans *tp, struct xfs_mount *mp,
			   struct xfs_inode *ip, uint32_t valueblk,
			   unsigned int valuelen, void *buf)
{
	unsigned int bsize = mp->m_sb.sb_blocksize, done = 0, n, i;
	uint64_t bno = valueblk, end, fsb, b;
	struct xfs_bmbt_irec maps[8];
	struct xfs_buf *bp;
	int ret;

	if (valuelen > XFS_XATTR_SIZE_MAX) {
		return -EFSCORRUPTED;
	}
	end = bno + xfs_attr3_rmt_blocks(bsize, valuelen);
	while (bno < end) {
		n = 8;
		ret = libxfs_bmapi_read_tp(tp, ip, XFS_ATTR_FORK, bno,
					   end - bno, maps, &n);
		if (ret) {
			return ret;
		}
		for (i = 0; i < n; i++) {
			if (xfs_bmap_is_hole(&maps[i]) || maps[i].br_unwritten) {
				return -EFSCORRUPTED;
			}
			// One XARM header per fs block: read them one by one.
			for (b = 0; b < maps[i].br_blockcount; b++) {
				fsb = maps[i].br_startblock + b;
				ret = xfs_trans_read_buf(mp, tp,
					xfs_mp_fsb_to_daddr(mp, fsb),
					xfs_mp_fsb_to_bb(mp, 1), 0,
					&xfs_attr3_rmt_buf_ops, &bp);
				if (ret) {
					return ret;
				}
				ret = rmt_block(ip, bp, done, valuelen, buf);
				xfs_trans_brelse(tp, bp);
				if (ret < 0) {
					return ret;
				}
				done += (unsigned int)ret;
			}
			bno = maps[i].br_startoff + maps[i].br_blockcount;
		}
	}
	return done == valuelen ? 0 : -EFSCORRUPTED;
}

int libxfs_attr_rmtval_get(struct xfs_mount *mp, struct xfs_inode *ip,
			   uint32_t valueblk, unsigned int valuelen,
			   void *buf)
{
	return attr_rmtval_get(NULL, mp, ip, valueblk, valuelen, buf);
}

/* ---- get ---- */

struct attr_lookup {
	struct xfs_trans	*tp;	/* reads go through it; may be NULL */
	unsigned int		ns;
	const uint8_t		*name;
	unsigned int		namelen;
	uint32_t		hash;
	bool			found;
	void			*buf;
	unsigned int		*len;
};

/* Is ae the attribute looked for?  If so, hand its value over. */
static int lookup_match(struct xfs_mount *mp, struct xfs_inode *ip,
			struct attr_lookup *lk, const struct xfs_attr_ent *ae)
{
	unsigned int size = *lk->len;

	if ((ae->flags & XFS_ATTR_INCOMPLETE) ||
	    (ae->flags & XFS_ATTR_NSP_ONDISK_MASK) != lk->ns ||
	    ae->namelen != lk->namelen ||
	    memcmp(ae->name, lk->name, lk->namelen) != 0) {
		return 0;
	}
	lk->found = true;
	*lk->len = ae->valuelen;
	if (!lk->buf) {
		return 1;
	}
	if (size < ae->valuelen) {
		return -ERANGE;
	}
	if (ae->remote) {
		int error = attr_rmtval_get(lk->tp, mp, ip, ae->valueblk,
					    ae->valuelen, lk->buf);
		return error ? error : 1;
	}
	memcpy(lk->buf, ae->value, ae->valuelen);
	return 1;
}

/*
 * Search the leaf at bno for our hash, and its right siblings while the
 * run of equal hashes may go on.
 */
static int leaf_lookup(struct xfs_mount *mp, struct xfs_inode *ip,
		       struct attr_lookup *lk, uint64_t bno)
{
	struct xfs_attr_leaf_entry *ents = NULL;
	struct xfs_attr_ent ae;
	uint64_t hops = 0, max_hops = ATTR_CHEAP_HOPS;
	unsigned int count = 0, lo, hi, i;
	struct xfs_buf *bp;
	bool counted = false, more;
	int ret;

	for (;;) {
		ret = attr_read(lk->tp, ip, bno, &xfs_attr3_leaf_buf_ops, &bp);
		if (ret) {
			return ret;
		}
		ret = leaf_entries(bp, &ents, &count);
		lo = 0;
		hi = ret ? 0 : count;
		while (lo < hi) {
			unsigned int mid = lo + (hi - lo) / 2;

			if (be32_to_cpu(ents[mid].hashval) < lk->hash) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		more = !ret;
		for (i = lo; i < count && !ret; i++) {
			if (be32_to_cpu(ents[i].hashval) != lk->hash) {
				more = false;
				break;
			}
			ret = leaf_entry(bp, &ents[i], &ae);
			if (!ret) {
				ret = lookup_match(mp, ip, lk, &ae);
			}
		}
		bno = be32_to_cpu(((struct xfs_da_blkinfo *)bp->b_addr)->forw);
		xfs_trans_brelse(lk->tp, bp);
		if (ret || !more || bno == 0) {
			return ret < 0 ? ret : 0;
		}
		if (++hops > max_hops) {
			if (counted) {
				return -EFSCORRUPTED;	/* sibling loop */
			}
			ret = libxfs_bmap_count_blocks_tp(lk->tp, ip,
							  XFS_ATTR_FORK,
							  &max_hops);
			if (ret) {
				return ret;
			}
			counted = true;
		}
	}
}

/* Descend from the root (block 0) to the leaf that may hold our hash. */
static int tree_lookup(struct xfs_mount *mp, struct xfs_inode *ip,
		       struct attr_lookup *lk)
{
	struct xfs_da_node_entry *ents;
	unsigned int want = 0, count, level, i;
	uint64_t bno = 0;
	struct xfs_buf *bp;
	int error;

	for (;;) {
		error = attr_read(lk->tp, ip, bno, &xfs_da3_anyblock_buf_ops,
				  &bp);
		if (error) {
			return error;
		}
		switch (be16_to_cpu(((struct xfs_da_blkinfo *)bp->b_addr)->
				    magic)) {
		case XFS_ATTR3_LEAF_MAGIC:
			xfs_trans_brelse(lk->tp, bp);
			return want > 0 ? -EFSCORRUPTED :
					  leaf_lookup(mp, ip, lk, bno);
		case XFS_DA3_NODE_MAGIC:
			break;
		default:
			xfs_trans_brelse(lk->tp, bp);
			return -EFSCORRUPTED;
		}
		// want: level this node must be at (0 for the root: any).
		error = node_header(ip, bp, want, &ents, &count, &level);
		for (i = 0; !error && i < count; i++) {
			if (be32_to_cpu(ents[i].hashval) >= lk->hash) {
				break;
			}
		}
		if (!error) {
			bno = i < count ? be32_to_cpu(ents[i].before) : 0;
		}
		xfs_trans_brelse(lk->tp, bp);
		if (error || i == count) {
			return error;
		}
		if (level == 1) {
			return leaf_lookup(mp, ip, lk, bno);
		}
		want = level - 1;
	}
}

static int attr_get(struct xfs_trans *tp, struct xfs_mount *mp,
		    struct xfs_inode *ip, unsigned int ns, const uint8_t *name,
		    unsigned int namelen, void *buf, unsigned int *len)
{
	struct attr_lookup lk = {
		.tp = tp, .ns = ns, .name = name, .namelen = namelen,
		.buf = buf, .len = len,
	};
	struct xfs_bmbt_irec map;
	struct xfs_attr_ent ae;
	const uint8_t *p;
	unsigned int count, i, n = 1;
	size_t pos;
	int error;

	if (namelen == 0 || namelen > XFS_XATTR_NAME_MAX ||
	    (ns & ~XFS_ATTR_NSP_ONDISK_MASK) ||
	    ns == XFS_ATTR_NSP_ONDISK_MASK) {
		return -EINVAL;
	}
	if (!attr_fork_present(ip)) {
		return -ENODATA;
	}
	lk.hash = xfs_da_hashname(name, (int)namelen);
	switch (ip->i_af.if_format) {
	case XFS_DINODE_FMT_LOCAL:
		error = sf_check(ip, &p, &count);
		pos = sizeof(struct xfs_attr_sf_hdr);
		for (i = 0; i < count && !error; i++) {
			const struct xfs_attr_sf_entry *sfe =
				(const void *)(p + pos);

			sf_entry(sfe, &ae);
			error = lookup_match(mp, ip, &lk, &ae);
			pos += xfs_attr_sf_entsize(sfe);
		}
		break;
	case XFS_DINODE_FMT_EXTENTS:
	case XFS_DINODE_FMT_BTREE:
		error = libxfs_bmapi_read_tp(tp, ip, XFS_ATTR_FORK, 0, 1, &map,
					     &n);
		if (!error && !xfs_bmap_is_hole(&map)) {
			error = tree_lookup(mp, ip, &lk);
		}
		break;
	default:
		return -EFSCORRUPTED;
	}
	if (error < 0) {
		return error;
	}
	return lk.found ? 0 : -ENODATA;
}

int libxfs_attr_get(struct xfs_mount *mp, struct xfs_inode *ip,
		    unsigned int ns, const uint8_t *name, unsigned int namelen,
		    void *buf, unsigned int *len)
{
	return attr_get(NULL, mp, ip, ns, name, namelen, buf, len);
}

int libxfs_attr_get_tp(struct xfs_trans *tp, struct xfs_inode *ip,
		       unsigned int ns, const uint8_t *name,
		       unsigned int namelen, void *buf, unsigned int *len)
{
	return attr_get(tp, ip->i_mount, ip, ns, name, namelen, buf, len);
}
