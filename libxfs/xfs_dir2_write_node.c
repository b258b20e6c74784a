/*
 * xfs_dir2_write_node.c: adding names to leaf-format directories (data
 * blocks + one LEAF1 block with the bests table) and node-format ones
 * (data blocks, a dabtree of LEAFN blocks rooted at the first leaf
 * block, free index blocks); the leaf -> node conversion when the LEAF1
 * block is full.  Lookups go by hash through the dabtree; finding room
 * scans the bests (one 16-bit value per data block).
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_bmap_read.h"
#include "xfs_inode_write.h"
#include "xfs_dir2_write_priv.h"

void xfs_dir_wleaf_insert(struct xfs_dir2_leaf_entry *ents,
			  unsigned int count, uint32_t hash, uint32_t address)
{
	unsigned int lo = 0, hi = count;

	// After the last entry whose hash is <= hash.
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (be32_to_cpu(ents[mid].hashval) <= hash) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	memmove(&ents[lo + 1], &ents[lo], (count - lo) * sizeof(*ents));
	ents[lo].hashval = cpu_to_be32(hash);
	ents[lo].address = cpu_to_be32(address);
}

int xfs_dir_wleaf_dup(struct xfs_da_wargs *a, struct xfs_buf *dbp,
		      uint32_t dbno, const struct xfs_dir2_leaf_entry *ents,
		      unsigned int count, const struct xfs_dir_wname *n)
{
	unsigned int lo = 0, hi = count, i;
	int error;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (be32_to_cpu(ents[mid].hashval) < n->hash) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	for (i = lo; i < count && be32_to_cpu(ents[i].hashval) == n->hash;
	     i++) {
		uint32_t addr = be32_to_cpu(ents[i].address);
		uint32_t db;
		struct xfs_buf *bp;
		bool match;

		if (addr == XFS_DIR2_NULL_LEAF_ADDRESS) {
			continue;
		}
		db = xfs_dir2_dataptr_to_db(a->geo->blklog, addr);
		if (dbp && db == dbno) {
			if (xfs_dir_wdata_match(a, dbp, addr, n)) {
				return -EEXIST;
			}
			continue;
		}
		error = xfs_da_wread(a, xfs_dir2_db_to_da(a->mp->m_sb.sb_dirblklog,
							  db),
				     &xfs_dir3_data_buf_ops, &bp);
		if (error) {
			return error;
		}
		match = xfs_dir_wdata_match(a, bp, addr, n);
		xfs_da_wrelse(a, bp);
		if (match) {
			return -EEXIST;
		}
	}
	return 0;
}

int xfs_dir_wsize_for_db(struct xfs_da_wargs *a, uint32_t db)
{
	uint64_t size = ((uint64_t)db + 1) * a->geo->blksize;

	if (a->dp->i_size >= size) {
		return 0;
	}
	a->dp->i_size = size;
	return libxfs_trans_log_inode(a->tp, a->dp);
}

static uint64_t db_to_da(const struct xfs_da_wargs *a, uint32_t db)
{
	return xfs_dir2_db_to_da(a->mp->m_sb.sb_dirblklog, db);
}

static uint32_t da_to_db(const struct xfs_da_wargs *a, uint64_t da)
{
	return xfs_dir2_da_to_db(a->mp->m_sb.sb_dirblklog, da);
}

/* Make a new data block at the first free place of the data segment. */
static int new_data_block(struct xfs_da_wargs *a, uint32_t *dbp,
			  struct xfs_buf **bpp)
{
	uint64_t da, daddr;
	int error;

	// Usually the data blocks have no holes: the next one follows
	// i_size.  Otherwise take the first hole.
	da = a->dp->i_size / a->geo->blksize * a->geo->fsbcount;
	error = da < a->geo->leafblk ? xfs_da_wmap(a, da, &daddr) : 0;
	if (error != -ENOENT) {
		error = xfs_da_wfirst_hole(a, 0, a->geo->leafblk,
					   a->geo->fsbcount, &da);
	} else {
		error = 0;
	}
	if (error) {
		return error;
	}
	error = xfs_da_wnew(a, da, &xfs_dir3_data_buf_ops, bpp);
	if (error) {
		return error;
	}
	xfs_dir_wdata_init(a, *bpp, false);
	*dbp = da_to_db(a, da);
	return xfs_dir_wsize_for_db(a, *dbp);
}

/* Put n in data block bp (db) at its largest unused region. */
static uint32_t data_add(struct xfs_da_wargs *a, struct xfs_buf *bp,
			 uint32_t db, const struct xfs_dir_wname *n)
{
	struct xfs_dir3_data_hdr *hdr = bp->b_addr;
	unsigned int off = be16_to_cpu(hdr->best_free[0].offset);

	xfs_dir_wdata_put(a, bp, off, n);
	xfs_da_wlog(a, bp);
	return xfs_dir_wdataptr(a, db, off);
}

/* ---- leaf format ---- */

static int leaf_to_node(struct xfs_da_wargs *a, struct xfs_buf *lbp);

int xfs_dir_wleaf_addname(struct xfs_da_wargs *a, struct xfs_dir_wname *n)
{
	unsigned int blksize = a->geo->blksize, esz, count, stale, bestcount;
	unsigned int i, need;
	struct xfs_dir2_leaf_tail *ltp;
	struct xfs_dir3_leaf_hdr *lhdr;
	struct xfs_buf *lbp, *dbp = NULL;
	xfs_be16_t *bests;
	uint32_t db = UINT32_MAX, addr;
	int error;

	error = xfs_da_wread(a, a->geo->leafblk, &xfs_dir3_leaf1_buf_ops, &lbp);
	if (error) {
		return error;
	}
	lhdr = lbp->b_addr;
	count = be16_to_cpu(lhdr->count);
	stale = be16_to_cpu(lhdr->stale);
	ltp = xfs_dir2_leaf_tail_p(lbp->b_addr, blksize);
	bestcount = be32_to_cpu(ltp->bestcount);
	bests = xfs_dir2_leaf_bests_p(ltp);
	error = xfs_dir_wleaf_dup(a, NULL, 0, xfs_dir3_leaf_ents_p(lhdr), count,
				  n);
	if (error) {
		goto out;
	}
	esz = xfs_dir_wentsize(a, n->namelen);
	for (i = 0; i < bestcount; i++) {
		uint16_t b = be16_to_cpu(bests[i]);

		if (b != XFS_DIR2_NULL_DATAOFF && b >= esz) {
			db = i;
			break;
		}
	}
	need = db == UINT32_MAX ? 1 : 0;
	if (sizeof(*lhdr) + (count + 1) * sizeof(struct xfs_dir2_leaf_entry) +
	    (bestcount + need) * sizeof(xfs_be16_t) + sizeof(*ltp) > blksize) {
		// No room in the leaf: go to node format.
		(void)stale;
		error = leaf_to_node(a, lbp);
		xfs_da_wrelse(a, lbp);
		return error ? error : xfs_dir_wnode_addname(a, n);
	}
	if (db == UINT32_MAX) {
		error = new_data_block(a, &db, &dbp);
		if (error) {
			goto out;
		}
		if (db >= bestcount) {
			unsigned int grow = db + 1 - bestcount;

			if (sizeof(*lhdr) + (count + 1) *
			    sizeof(struct xfs_dir2_leaf_entry) +
			    (db + 1) * sizeof(xfs_be16_t) + sizeof(*ltp) >
			    blksize) {
				error = -EFSCORRUPTED;
				goto out;
			}
			memmove(bests - grow, bests,
				bestcount * sizeof(xfs_be16_t));
			bests -= grow;
			for (i = bestcount; i <= db; i++) {
				bests[i] = cpu_to_be16(XFS_DIR2_NULL_DATAOFF);
			}
			bestcount = db + 1;
			ltp->bestcount = cpu_to_be32(bestcount);
		}
	} else {
		error = xfs_da_wread(a, db_to_da(a, db), &xfs_dir3_data_buf_ops,
				     &dbp);
		if (error) {
			goto out;
		}
	}
	addr = data_add(a, dbp, db, n);
	bests[db] = cpu_to_be16((uint16_t)xfs_dir_wdata_best(dbp));
	xfs_dir_wleaf_insert(xfs_dir3_leaf_ents_p(lhdr), count, n->hash, addr);
	lhdr->count = cpu_to_be16((uint16_t)(count + 1));
	xfs_da_wlog(a, lbp);
out:
	xfs_da_wrelse(a, dbp);
	xfs_da_wrelse(a, lbp);
	return error;
}

/* LEAF1 -> LEAFN; its bests table becomes the first free index block. */
static int leaf_to_node(struct xfs_da_wargs *a, struct xfs_buf *lbp)
{
	unsigned int blksize = a->geo->blksize, bestcount, nused = 0, i;
	struct xfs_dir2_leaf_tail *ltp = xfs_dir2_leaf_tail_p(lbp->b_addr,
							      blksize);
	struct xfs_dir3_leaf_hdr *lhdr = lbp->b_addr;
	struct xfs_dir3_free_hdr *fhdr;
	struct xfs_buf *fbp;
	xfs_be16_t *bests, *fbests;
	unsigned int ents_end;
	int error;

	bestcount = be32_to_cpu(ltp->bestcount);
	bests = xfs_dir2_leaf_bests_p(ltp);
	if (bestcount > a->geo->free_max_bests) {
		return -EFSCORRUPTED;
	}
	error = xfs_da_wnew(a, a->geo->freeblk, &xfs_dir3_free_buf_ops, &fbp);
	if (error) {
		return error;
	}
	fhdr = fbp->b_addr;
	fhdr->hdr.magic = cpu_to_be32(XFS_DIR3_FREE_MAGIC);
	fhdr->hdr.blkno = cpu_to_be64(fbp->b_daddr);
	fhdr->hdr.owner = cpu_to_be64(a->dp->i_ino);
	memcpy(fhdr->hdr.uuid, a->mp->m_meta_uuid, XFS_UUID_SIZE);
	fhdr->firstdb = 0;
	fbests = xfs_dir3_free_bests_p(fhdr);
	for (i = 0; i < bestcount; i++) {
		fbests[i] = bests[i];
		if (be16_to_cpu(bests[i]) != XFS_DIR2_NULL_DATAOFF) {
			nused++;
		}
	}
	fhdr->nvalid = cpu_to_be32(bestcount);
	fhdr->nused = cpu_to_be32(nused);
	xfs_da_wlog(a, fbp);
	xfs_da_wrelse(a, fbp);

	lhdr->info.hdr.magic = cpu_to_be16(XFS_DIR3_LEAFN_MAGIC);
	ents_end = (unsigned int)(sizeof(*lhdr) + be16_to_cpu(lhdr->count) *
				  sizeof(struct xfs_dir2_leaf_entry));
	memset((uint8_t *)lbp->b_addr + ents_end, 0, blksize - ents_end);
	lbp->b_ops = &xfs_dir3_leafn_buf_ops;
	xfs_da_wlog(a, lbp);
	return 0;
}

/* ---- node format ---- */

/* File block of the free index block covering data block db. */
static uint64_t free_da(const struct xfs_da_wargs *a, uint32_t db)
{
	return (uint64_t)a->geo->freeblk +
	       (uint64_t)(db / a->geo->free_max_bests) * a->geo->fsbcount;
}

/* Find a data block with room for esz bytes through the free index. */
static int node_find_space(struct xfs_da_wargs *a, unsigned int esz,
			   uint32_t *dbp)
{
	uint64_t ndb = a->dp->i_size / a->geo->blksize, fda, k;
	int error;

	// Free index blocks exist for the data blocks i_size covers.
	if (ndb == 0) {
		*dbp = UINT32_MAX;
		return 0;
	}
	// Newest free index block first, as the newest data blocks are the
	// likeliest to have room (the kernel searches in this order too).
	for (k = (ndb - 1) / a->geo->free_max_bests + 1; k-- > 0;) {
		struct xfs_dir3_free_hdr *fhdr;
		xfs_be16_t *bests;
		struct xfs_buf *fbp;
		unsigned int nvalid, i;
		uint64_t daddr;

		fda = a->geo->freeblk + k * a->geo->fsbcount;

		error = xfs_da_wmap(a, fda, &daddr);
		if (error == -ENOENT) {
			continue;
		}
		if (error) {
			return error;
		}
		error = xfs_da_wread(a, fda, &xfs_dir3_free_buf_ops, &fbp);
		if (error) {
			return error;
		}
		fhdr = fbp->b_addr;
		bests = xfs_dir3_free_bests_p(fhdr);
		nvalid = be32_to_cpu(fhdr->nvalid);
		// Newest data blocks first: they are the likeliest to have room.
		for (i = nvalid; i-- > 0;) {
			uint16_t b = be16_to_cpu(bests[i]);

			if (b != XFS_DIR2_NULL_DATAOFF && b >= esz) {
				*dbp = be32_to_cpu(fhdr->firstdb) + i;
				xfs_da_wrelse(a, fbp);
				return 0;
			}
		}
		xfs_da_wrelse(a, fbp);
	}
	*dbp = UINT32_MAX;
	return 0;
}

/* Record data block db's best free length in its free index block. */
static int node_set_best(struct xfs_da_wargs *a, uint32_t db,
			 unsigned int best)
{
	unsigned int maxbests = a->geo->free_max_bests, idx = db % maxbests;
	uint64_t fda = free_da(a, db), daddr;
	struct xfs_dir3_free_hdr *fhdr;
	struct xfs_buf *fbp;
	xfs_be16_t *bests;
	unsigned int nvalid, i;
	int error;

	error = xfs_da_wmap(a, fda, &daddr);
	if (error == -ENOENT) {
		error = xfs_da_wnew(a, fda, &xfs_dir3_free_buf_ops, &fbp);
		if (error) {
			return error;
		}
		fhdr = fbp->b_addr;
		fhdr->hdr.magic = cpu_to_be32(XFS_DIR3_FREE_MAGIC);
		fhdr->hdr.blkno = cpu_to_be64(fbp->b_daddr);
		fhdr->hdr.owner = cpu_to_be64(a->dp->i_ino);
		memcpy(fhdr->hdr.uuid, a->mp->m_meta_uuid, XFS_UUID_SIZE);
		fhdr->firstdb = cpu_to_be32(db - idx);
	} else if (error) {
		return error;
	} else {
		error = xfs_da_wread(a, fda, &xfs_dir3_free_buf_ops, &fbp);
		if (error) {
			return error;
		}
		fhdr = fbp->b_addr;
	}
	bests = xfs_dir3_free_bests_p(fhdr);
	nvalid = be32_to_cpu(fhdr->nvalid);
	for (i = nvalid; i <= idx; i++) {
		bests[i] = cpu_to_be16(XFS_DIR2_NULL_DATAOFF);
	}
	if (idx >= nvalid) {
		fhdr->nvalid = cpu_to_be32(idx + 1);
	}
	if (be16_to_cpu(bests[idx]) == XFS_DIR2_NULL_DATAOFF) {
		be32_add_cpu(&fhdr->nused, 1);
	}
	bests[idx] = cpu_to_be16((uint16_t)best);
	xfs_da_wlog(a, fbp);
	xfs_da_wrelse(a, fbp);
	return 0;
}

static uint32_t leaf_lasthash(struct xfs_buf *bp)
{
	struct xfs_dir3_leaf_hdr *h = bp->b_addr;

	return be32_to_cpu(xfs_dir3_leaf_ents_p(h)[be16_to_cpu(h->count) -
						  1].hashval);
}

static unsigned int count_stale(const struct xfs_dir2_leaf_entry *e,
				unsigned int n)
{
	unsigned int i, s = 0;

	for (i = 0; i < n; i++) {
		s += be32_to_cpu(e[i].address) == XFS_DIR2_NULL_LEAF_ADDRESS;
	}
	return s;
}

/* The leaf at the bottom of p is full: split it, adding (hash, addr). */
static int leafn_split(struct xfs_da_wargs *a, struct xfs_da_wpath *p,
		       uint32_t hash, uint32_t addr)
{
	struct xfs_da_wpath_blk *b = &p->blk[p->depth - 1];
	struct xfs_dir3_leaf_hdr *ohdr = b->bp->b_addr, *nhdr;
	unsigned int count = be16_to_cpu(ohdr->count), n = count + 1, mid;
	struct xfs_dir2_leaf_entry *tmp;
	unsigned int blksize = a->geo->blksize;
	struct xfs_buf *nbp;
	uint64_t nbno;
	int error;

	tmp = malloc(n * sizeof(*tmp));
	if (!tmp) {
		return -ENOMEM;
	}
	memcpy(tmp, xfs_dir3_leaf_ents_p(ohdr), count * sizeof(*tmp));
	// As the kernel: the old entries split half and half (the upper
	// half moves), the new one then goes to the side its hash is on.
	for (mid = 0; mid < count && be32_to_cpu(tmp[mid].hashval) <= hash;
	     mid++) {
	}
	mid = mid <= count - count / 2 ? count - count / 2 + 1 :
					  count - count / 2;
	xfs_dir_wleaf_insert(tmp, count, hash, addr);
	// But never inside a run of equal hashes.
	while (mid < n && be32_to_cpu(tmp[mid].hashval) ==
			  be32_to_cpu(tmp[mid - 1].hashval)) {
		mid++;
	}
	if (mid == n) {
		mid = n / 2;
		while (mid > 1 && be32_to_cpu(tmp[mid].hashval) ==
				  be32_to_cpu(tmp[mid - 1].hashval)) {
			mid--;
		}
	}
	error = xfs_da_wnew_node_block(a, &xfs_dir3_leafn_buf_ops, &nbno, &nbp);
	if (error) {
		free(tmp);
		return error;
	}
	xfs_da_wstamp_blkinfo(a, nbp, XFS_DIR3_LEAFN_MAGIC);
	nhdr = nbp->b_addr;
	memcpy(xfs_dir3_leaf_ents_p(nhdr), tmp + mid, (n - mid) * sizeof(*tmp));
	nhdr->count = cpu_to_be16((uint16_t)(n - mid));
	nhdr->stale = cpu_to_be16((uint16_t)count_stale(tmp + mid, n - mid));
	memset((uint8_t *)ohdr + sizeof(*ohdr), 0, blksize - sizeof(*ohdr));
	memcpy(xfs_dir3_leaf_ents_p(ohdr), tmp, mid * sizeof(*tmp));
	ohdr->count = cpu_to_be16((uint16_t)mid);
	ohdr->stale = cpu_to_be16((uint16_t)count_stale(tmp, mid));
	free(tmp);
	error = xfs_da_wlink_after(a, b->bp, b->bno, nbp, nbno);
	if (!error) {
		error = xfs_da_wsplit_insert(a, p, p->depth - 1,
					     leaf_lasthash(b->bp), nbno,
					     leaf_lasthash(nbp));
	}
	xfs_da_wrelse(a, nbp);
	return error;
}

int xfs_dir_wnode_addname(struct xfs_da_wargs *a, struct xfs_dir_wname *n)
{
	struct xfs_dir3_leaf_hdr *lhdr;
	struct xfs_da_wpath path;
	struct xfs_buf *dbp = NULL, *lbp;
	unsigned int esz, count;
	uint32_t db, addr;
	int error;

	error = xfs_da_wlookup(a, a->geo->leafblk, n->hash,
			       &xfs_dir3_leafn_buf_ops, &path);
	if (error) {
		return error;
	}
	lbp = path.blk[path.depth - 1].bp;
	lhdr = lbp->b_addr;
	if (be16_to_cpu(lhdr->info.hdr.magic) != XFS_DIR3_LEAFN_MAGIC) {
		error = -EFSCORRUPTED;
		goto out;
	}
	count = be16_to_cpu(lhdr->count);
	error = xfs_dir_wleaf_dup(a, NULL, 0, xfs_dir3_leaf_ents_p(lhdr), count,
				  n);
	if (error) {
		goto out;
	}
	esz = xfs_dir_wentsize(a, n->namelen);
	error = node_find_space(a, esz, &db);
	if (error) {
		goto out;
	}
	if (db == UINT32_MAX) {
		error = new_data_block(a, &db, &dbp);
	} else {
		error = xfs_da_wread(a, db_to_da(a, db), &xfs_dir3_data_buf_ops,
				     &dbp);
	}
	if (error) {
		goto out;
	}
	addr = data_add(a, dbp, db, n);
	error = node_set_best(a, db, xfs_dir_wdata_best(dbp));
	if (error) {
		goto out;
	}
	if (count < a->geo->leaf_max_ents) {
		xfs_dir_wleaf_insert(xfs_dir3_leaf_ents_p(lhdr), count, n->hash,
				     addr);
		lhdr->count = cpu_to_be16((uint16_t)(count + 1));
		xfs_da_wlog(a, lbp);
		xfs_da_wfixhash(a, &path, path.depth - 1, leaf_lasthash(lbp));
	} else {
		error = leafn_split(a, &path, n->hash, addr);
	}
out:
	xfs_da_wrelse(a, dbp);
	xfs_da_wpath_release(a, &path);
	return error;
}
