/*
 * xfs_ialloc.c: inode allocation -- new inode chunks (placed through the
 * offloaded allocator, their inodes written out free, recorded in the
 * inobt, finobt, AGI and superblock counters), choosing the AG and the
 * free inode for a new file, and marking it used.
 */
#include <pthread.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"
#include "xfs_ialloc.h"

static struct xfs_agi *agi_of(struct xfs_buf *agbp)
{
	return agbp->b_addr;
}

static uint32_t agi_agno(struct xfs_buf *agbp)
{
	return be32_to_cpu(agi_of(agbp)->agi_seqno);
}

/* ---- new chunks ---- */

/* Write the inodes of [agbno, agbno + len) out as free inodes. */
static int chunk_init_inodes(struct xfs_trans *tp, uint32_t agno,
			     uint32_t agbno, uint32_t len)
{
	struct xfs_mount *mp = tp->t_mountp;
	const struct xfs_sb *sb = &mp->m_sb;
	unsigned int bpc = mp->m_blocks_per_cluster, isize = sb->sb_inodesize;
	unsigned int per = bpc << sb->sb_inopblog, i;
	uint32_t b;
	int error;

	for (b = agbno; b < agbno + len; b += bpc) {
		struct xfs_buf *bp;

		error = xfs_trans_get_buf(tp, xfs_mp_agbno_to_daddr(mp, agno, b),
					  bpc << mp->m_blkbb_log,
					  &xfs_inode_buf_ops, &bp);
		if (error) {
			return error;
		}
		memset(bp->b_addr, 0, (size_t)per * isize);
		for (i = 0; i < per; i++) {
			struct xfs_dinode *dip = (struct xfs_dinode *)
				((char *)bp->b_addr + (size_t)i * isize);
			uint32_t agino = xfs_agbno_to_agino(sb->sb_inopblog,
							    b, 0) + i;

			// What the reference leaves in a free inode: magic,
			// version, no next unlinked, self-description.
			dip->di_magic = cpu_to_be16(XFS_DINODE_MAGIC);
			dip->di_version = XFS_DINODE_VERSION_V3;
			dip->di_next_unlinked = cpu_to_be32(NULLAGINO);
			dip->di_ino = cpu_to_be64(xfs_agino_to_ino(
					sb->sb_agblklog, sb->sb_inopblog, agno,
					agino));
			memcpy(dip->di_uuid, mp->m_meta_uuid, XFS_UUID_SIZE);
		}
		xfs_trans_log_buf(tp, bp, 0, (unsigned int)BBTOB(bp->b_length) - 1);
		xfs_trans_brelse(tp, bp);
	}
	return 0;
}

/*
 * Put a new chunk's record into the inobt, merging it into the record
 * already there when a sparse chunk grows; *merged gets the result.
 * With into_finobt, put *merged as it is into the finobt (update or
 * insert).
 */
static int chunk_record(struct xfs_trans *tp, struct xfs_buf *agbp,
			bool into_finobt, const struct xfs_inobt_irec *nrec,
			struct xfs_inobt_irec *merged)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_btree_cur *cur;
	struct xfs_inobt_irec old, rec = *nrec;
	struct xfs_inobt_rec disk;
	int error, found, stat;

	error = xfs_inobt_init_cursor(mp, tp, agbp, into_finobt ?
				      &xfs_finobt_ops : &xfs_inobt_ops, &cur);
	if (error) {
		return error;
	}
	error = xfs_inobt_lookup_irec(cur, rec.ir_startino, &old, &found);
	if (error) {
		goto out;
	}
	if (found && !into_finobt) {
		// A sparse chunk growing: the new inodes fill old holes.
		if ((uint16_t)(~old.ir_holemask & ~nrec->ir_holemask) ||
		    old.ir_count + nrec->ir_count > XFS_INODES_PER_CHUNK) {
			error = -EFSCORRUPTED;
			goto out;
		}
		rec.ir_holemask = old.ir_holemask & nrec->ir_holemask;
		rec.ir_count = old.ir_count + nrec->ir_count;
		rec.ir_freecount = old.ir_freecount + nrec->ir_freecount;
		rec.ir_free = old.ir_free |
			      ~xfs_inobt_holes_to_mask(nrec->ir_holemask);
	}
	*merged = rec;
	xfs_inobt_put_irec(mp, &rec, &disk);
	if (found) {
		error = libxfs_btree_update(cur, &disk);
		goto out;
	}
	error = libxfs_btree_insert(cur, &disk, &stat);
	if (!error && !stat) {
		error = -EFSCORRUPTED;
	}
out:
	libxfs_btree_del_cursor(cur);
	return error;
}

/* Put rec into the inobt (merging), and the result into the finobt. */
static int chunk_records(struct xfs_trans *tp, struct xfs_buf *agbp,
			 const struct xfs_inobt_irec *rec)
{
	struct xfs_inobt_irec merged;
	int error;

	error = chunk_record(tp, agbp, false, rec, &merged);
	if (!error && xfs_has_finobt(tp->t_mountp)) {
		error = chunk_record(tp, agbp, true, &merged, &merged);
	}
	return error;
}

/*
 * Record a chunk (or sparse part of one) just allocated at [agbno,
 * agbno + len): its inodes go to disk as free inodes, into the inobt and
 * finobt, the AGI and the superblock counters.  A block of more than 64
 * inodes (64 KiB blocks) is several whole chunks, a record each.
 */
static int chunk_setup(struct xfs_trans *tp, struct xfs_buf *agbp,
		       uint32_t agbno, uint32_t len)
{
	struct xfs_mount *mp = tp->t_mountp;
	const struct xfs_sb *sb = &mp->m_sb;
	struct xfs_agi *agi = agi_of(agbp);
	uint32_t agno = agi_agno(agbp);
	// Sparse: the record's chunk is the aligned one around it.
	uint32_t chunk_agbno = agbno - agbno % mp->m_ialloc_blks;
	unsigned int first, n, i;
	struct xfs_inobt_irec rec;
	int error;

	if (len == mp->m_ialloc_blks) {
		chunk_agbno = agbno;
	}
	first = (agbno - chunk_agbno) << sb->sb_inopblog;
	n = len << sb->sb_inopblog;
	if (n > XFS_INODES_PER_CHUNK) {
		if (len != mp->m_ialloc_blks || n % XFS_INODES_PER_CHUNK) {
			return -EFSCORRUPTED;
		}
	} else if (first + n > XFS_INODES_PER_CHUNK ||
		   first % XFS_INODES_PER_HOLEMASK_BIT ||
		   n % XFS_INODES_PER_HOLEMASK_BIT) {
		return -EFSCORRUPTED;
	}
	error = chunk_init_inodes(tp, agno, agbno, len);
	if (error) {
		return error;
	}
	rec.ir_freecount = rec.ir_count = (uint8_t)(n < XFS_INODES_PER_CHUNK ?
						    n : XFS_INODES_PER_CHUNK);
	rec.ir_free = XFS_INOBT_ALL_FREE;
	if (n >= XFS_INODES_PER_CHUNK) {
		rec.ir_holemask = 0;
		for (i = 0; i < n && !error; i += XFS_INODES_PER_CHUNK) {
			rec.ir_startino = xfs_agbno_to_agino(sb->sb_inopblog,
							     agbno, i);
			error = chunk_records(tp, agbp, &rec);
		}
	} else {
		rec.ir_startino = xfs_agbno_to_agino(sb->sb_inopblog,
						     chunk_agbno, 0);
		rec.ir_holemask = 0xffff;
		for (i = first; i < first + n;
		     i += XFS_INODES_PER_HOLEMASK_BIT) {
			rec.ir_holemask &= (uint16_t)~(1U << (i /
					XFS_INODES_PER_HOLEMASK_BIT));
		}
		error = chunk_records(tp, agbp, &rec);
	}
	if (error) {
		return error;
	}
	be32_add_cpu(&agi->agi_count, (int32_t)n);
	be32_add_cpu(&agi->agi_freecount, (int32_t)n);
	agi->agi_newino = cpu_to_be32(xfs_agbno_to_agino(sb->sb_inopblog,
							 agbno, 0));
	xfs_ialloc_log_agi(tp, agbp);
	xfs_trans_mod_sb(tp, XFS_TRANS_SB_ICOUNT, n);
	xfs_trans_mod_sb(tp, XFS_TRANS_SB_IFREE, n);
	return 0;
}

/* Blocks the inode btrees may need to split while recording a chunk. */
static uint32_t chunk_minleft(struct xfs_mount *mp)
{
	return mp->m_in_maxlevels * (xfs_has_finobt(mp) ? 2 : 1);
}

static void chunk_args(struct xfs_trans *tp, struct xfs_alloc_arg *args,
		       uint32_t len, uint32_t alignment)
{
	memset(args, 0, sizeof(*args));
	args->tp = tp;
	args->mp = tp->t_mountp;
	args->minlen = args->maxlen = len;
	args->prod = 1;
	args->alignment = alignment ? alignment : 1;
	args->minleft = chunk_minleft(tp->t_mountp);
	args->oinfo = xfs_rmap_special_owner(XFS_RMAP_OWN_INODES);
}

/* Does the whole chunk around a sparse allocation lie in the AG? */
static bool sparse_chunk_fits(struct xfs_mount *mp, uint32_t agno,
			      uint32_t agbno)
{
	uint32_t chunk = agbno - agbno % mp->m_ialloc_blks;
	uint32_t first = xfs_agbno_to_agino(mp->m_sb.sb_inopblog, chunk, 0);

	return libxfs_verify_agino(mp, agno, first) &&
	       libxfs_verify_agino(mp, agno, first +
				   XFS_INODES_PER_CHUNK - 1);
}

/*
 * Try to add a chunk to the AG behind agbp.  *added false: no room
 * (nothing changed).  Order: right after the newest chunk, then aligned
 * near the inobt root, then (sparse inodes) a partial chunk there.
 */
static int chunk_alloc(struct xfs_trans *tp, struct xfs_buf *agbp,
		       bool *added)
{
	struct xfs_mount *mp = tp->t_mountp;
	const struct xfs_sb *sb = &mp->m_sb;
	struct xfs_agi *agi = agi_of(agbp);
	uint32_t agno = agi_agno(agbp);
	uint32_t aglen = libxfs_ag_block_count(mp, agno);
	uint32_t newino = be32_to_cpu(agi->agi_newino), target;
	uint32_t len = mp->m_ialloc_blks;
	struct xfs_alloc_arg args;
	int error;

	*added = false;
	if (mp->m_maxicount) {
		int64_t icount;

		// Commits change the in-core counters under m_sb_lock.
		pthread_mutex_lock(&mp->m_sb_lock);
		icount = (int64_t)sb->sb_icount;
		pthread_mutex_unlock(&mp->m_sb_lock);
		if (icount + tp->t_icount_delta +
		    (len << sb->sb_inopblog) > (int64_t)mp->m_maxicount) {
			return 0;
		}
	}
	args.fsbno = NULLFSBLOCK;
	if (newino != NULLAGINO && libxfs_verify_agino(mp, agno, newino)) {
		// newino starts the newest allocation: with sparse inodes a
		// piece of the (chunk-aligned) record, else the chunk itself
		// (aligned to sb_inoalignmt only, which may be less than a
		// chunk).
		target = xfs_agino_to_agbno(sb->sb_inopblog, newino);
		if (xfs_has_sparseinodes(mp)) {
			target -= target % len;
		}
		target += len;
		if (!(target & mp->m_inoalign_mask) && target + len <= aglen) {
			chunk_args(tp, &args, len, 1);
			error = xfs_alloc_vextent_exact_bno(&args,
				xfs_agbno_to_fsbno(sb->sb_agblklog, agno,
						   target));
			if (error) {
				return error;
			}
		}
	}
	if (args.fsbno == NULLFSBLOCK) {
		chunk_args(tp, &args, len, mp->m_cluster_align);
		error = xfs_alloc_vextent_near_bno(&args,
			xfs_agbno_to_fsbno(sb->sb_agblklog, agno,
					   be32_to_cpu(agi->agi_root)));
		if (error) {
			return error;
		}
	}
	if (args.fsbno == NULLFSBLOCK && xfs_has_sparseinodes(mp) &&
	    mp->m_ialloc_min_blks < len) {
		chunk_args(tp, &args, mp->m_ialloc_min_blks,
			   sb->sb_spino_align);
		error = xfs_alloc_vextent_near_bno(&args,
			xfs_agbno_to_fsbno(sb->sb_agblklog, agno,
					   be32_to_cpu(agi->agi_root)));
		if (error) {
			return error;
		}
		if (args.fsbno != NULLFSBLOCK &&
		    !sparse_chunk_fits(mp, agno, args.agbno)) {
			// The chunk would cross the AG's end: give it back.
			error = xfs_free_extent(tp, args.fsbno, args.len,
						&args.oinfo);
			if (error) {
				return error;
			}
			args.fsbno = NULLFSBLOCK;
		}
	}
	if (args.fsbno == NULLFSBLOCK) {
		return 0;
	}
	if (args.agno != agno) {
		return -EFSCORRUPTED;
	}
	error = chunk_setup(tp, agbp, args.agbno, args.len);
	if (!error) {
		*added = true;
	}
	return error;
}

int libxfs_ialloc_chunk_at(struct xfs_trans *tp, uint32_t agno,
			   uint32_t agbno)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_alloc_arg args;
	struct xfs_buf *agbp;
	int error;

	// Chunks are aligned to sb_inoalignmt, which may be smaller than a
	// chunk (sparse=0 with 512-byte inodes: 4 blocks for 8).
	if (agno >= mp->m_sb.sb_agcount || (agbno & mp->m_inoalign_mask)) {
		return -EINVAL;
	}
	error = xfs_ialloc_read_agi(mp, tp, agno, &agbp);
	if (error) {
		return error;
	}
	chunk_args(tp, &args, mp->m_ialloc_blks, 1);
	error = xfs_alloc_vextent_exact_bno(&args,
			xfs_agbno_to_fsbno(mp->m_sb.sb_agblklog, agno, agbno));
	if (!error && args.fsbno == NULLFSBLOCK) {
		error = -ENOSPC;
	}
	if (!error) {
		error = chunk_setup(tp, agbp, args.agbno, args.len);
	}
	xfs_trans_brelse(tp, agbp);
	return error;
}

/* ---- picking a free inode ---- */

/* Does the record have a free inode (holes are not free inodes)? */
static bool irec_has_free(const struct xfs_inobt_irec *r)
{
	return r->ir_freecount > 0 &&
	       (r->ir_free & ~xfs_inobt_holes_to_mask(r->ir_holemask));
}

/* The record under the cursor, host form; *stat 0 if none. */
static int cur_irec(struct xfs_btree_cur *cur, struct xfs_inobt_irec *r,
		    int *stat)
{
	const void *rec;
	int error;

	error = libxfs_btree_get_rec(cur, &rec, stat);
	if (!error && *stat) {
		xfs_inobt_get_irec(cur->bc_mp, rec, r);
	}
	return error;
}

/*
 * Records looked at on each side of the parent before giving up on
 * "nearest" (an inobt full of used chunks would make every allocation
 * walk it); the newest chunk is tried next.
 */
#define NEAR_SEARCH_RECS	32

/*
 * Walk from the cursor (dir +1 right, -1 left) to a record with free,
 * looking at no more than limit records (0: no limit).
 */
static int walk_to_free(struct xfs_btree_cur *cur, int dir,
			struct xfs_inobt_irec *r, int *found,
			unsigned int limit)
{
	unsigned int seen = 0;
	int error, stat = 1;

	*found = 0;
	for (;;) {
		error = cur_irec(cur, r, &stat);
		if (error || !stat) {
			return error;
		}
		if (irec_has_free(r)) {
			*found = 1;
			return 0;
		}
		if (limit && ++seen >= limit) {
			return 0;
		}
		error = dir > 0 ? libxfs_btree_increment(cur, &stat) :
				  libxfs_btree_decrement(cur, &stat);
		if (error || !stat) {
			return error;
		}
	}
}

/*
 * The record with a free inode nearest to agino: the closest on the
 * left (the chunk holding agino counts as distance 0) or on the right,
 * within NEAR_SEARCH_RECS records each way; a tie goes left.
 */
static int find_near(struct xfs_mount *mp, struct xfs_trans *tp,
		     struct xfs_buf *agbp, const struct xfs_btree_ops *ops,
		     uint32_t agino, struct xfs_inobt_irec *out, int *found)
{
	struct xfs_btree_cur *lcur = NULL, *rcur = NULL;
	struct xfs_inobt_irec l, r;
	struct xfs_inobt_key key = { .ir_startino = cpu_to_be32(agino) };
	int error, lfound = 0, rfound = 0, stat;

	*found = 0;
	error = xfs_inobt_init_cursor(mp, tp, agbp, ops, &lcur);
	if (!error) {
		error = xfs_inobt_init_cursor(mp, tp, agbp, ops, &rcur);
	}
	if (error) {
		goto out;
	}
	error = libxfs_btree_lookup(lcur, XFS_LOOKUP_LE, &key, &stat);
	if (!error && stat) {
		error = walk_to_free(lcur, -1, &l, &lfound,
				     NEAR_SEARCH_RECS);
	}
	if (error) {
		goto out;
	}
	key.ir_startino = cpu_to_be32(agino + 1);
	error = libxfs_btree_lookup(rcur, XFS_LOOKUP_GE, &key, &stat);
	if (!error && stat) {
		error = walk_to_free(rcur, 1, &r, &rfound,
				     NEAR_SEARCH_RECS);
	}
	if (error) {
		goto out;
	}
	if (lfound && rfound) {
		uint64_t ld = agino - l.ir_startino;

		if (agino < l.ir_startino + XFS_INODES_PER_CHUNK) {
			ld = 0;
		}
		*out = ld <= (uint64_t)(r.ir_startino - agino) ? l : r;
		*found = 1;
	} else if (lfound || rfound) {
		*out = lfound ? l : r;
		*found = 1;
	}
out:
	libxfs_btree_del_cursor(lcur);
	libxfs_btree_del_cursor(rcur);
	return error;
}

/* The newest chunk if it has a free inode, else the first that has. */
static int find_first(struct xfs_mount *mp, struct xfs_trans *tp,
		      struct xfs_buf *agbp, const struct xfs_btree_ops *ops,
		      struct xfs_inobt_irec *out, int *found)
{
	uint32_t newino = be32_to_cpu(agi_of(agbp)->agi_newino);
	struct xfs_btree_cur *cur;
	struct xfs_inobt_key key = { .ir_startino = cpu_to_be32(newino) };
	int error, stat;

	*found = 0;
	error = xfs_inobt_init_cursor(mp, tp, agbp, ops, &cur);
	if (error) {
		return error;
	}
	if (newino != NULLAGINO) {
		error = libxfs_btree_lookup(cur, XFS_LOOKUP_LE, &key, &stat);
		if (!error && stat) {
			error = cur_irec(cur, out, &stat);
		}
		if (error) {
			goto out;
		}
		if (stat && newino < out->ir_startino + XFS_INODES_PER_CHUNK &&
		    irec_has_free(out)) {
			*found = 1;
			goto out;
		}
	}
	error = libxfs_btree_goto_first(cur, &stat);
	if (!error && stat) {
		error = walk_to_free(cur, 1, out, found, 0);
	}
out:
	libxfs_btree_del_cursor(cur);
	return error;
}

/* Mark inode idx of the chunk in use in one tree (finobt: drop a
 * record left with nothing free). */
static int take_in_tree(struct xfs_trans *tp, struct xfs_buf *agbp,
			const struct xfs_btree_ops *ops,
			const struct xfs_inobt_irec *want,
			const struct xfs_inobt_irec *after)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_btree_cur *cur;
	struct xfs_inobt_irec cur_rec;
	struct xfs_inobt_rec disk;
	int error, found, stat;

	error = xfs_inobt_init_cursor(mp, tp, agbp, ops, &cur);
	if (error) {
		return error;
	}
	error = xfs_inobt_lookup_irec(cur, want->ir_startino, &cur_rec,
				      &found);
	if (error) {
		goto out;
	}
	// The two trees must agree on the chunk.
	if (!found || cur_rec.ir_free != want->ir_free ||
	    cur_rec.ir_freecount != want->ir_freecount ||
	    cur_rec.ir_holemask != want->ir_holemask) {
		error = -EFSCORRUPTED;
		goto out;
	}
	if (ops == &xfs_finobt_ops && after->ir_freecount == 0) {
		error = libxfs_btree_delete(cur, &stat);
		if (!error && !stat) {
			error = -EFSCORRUPTED;
		}
		goto out;
	}
	xfs_inobt_put_irec(mp, after, &disk);
	error = libxfs_btree_update(cur, &disk);
out:
	libxfs_btree_del_cursor(cur);
	return error;
}

/* Take a free inode from the AG behind agbp, near pagino if valid. */
static int take_inode(struct xfs_trans *tp, struct xfs_buf *agbp,
		      uint32_t pagino, uint64_t *inop)
{
	struct xfs_mount *mp = tp->t_mountp;
	const struct xfs_sb *sb = &mp->m_sb;
	const struct xfs_btree_ops *ops = xfs_has_finobt(mp) ?
					  &xfs_finobt_ops : &xfs_inobt_ops;
	struct xfs_agi *agi = agi_of(agbp);
	struct xfs_inobt_irec rec, after;
	uint64_t avail;
	unsigned int idx;
	int error, found;

	found = 0;
	if (pagino != NULLAGINO) {
		error = find_near(mp, tp, agbp, ops, pagino, &rec, &found);
		if (error) {
			return error;
		}
	}
	if (!found) {
		error = find_first(mp, tp, agbp, ops, &rec, &found);
		if (error) {
			return error;
		}
	}
	if (!found) {
		return -EFSCORRUPTED;	/* the AGI said there were some */
	}
	avail = rec.ir_free & ~xfs_inobt_holes_to_mask(rec.ir_holemask);
	idx = (unsigned int)__builtin_ctzll(avail);
	after = rec;
	after.ir_free &= ~(1ULL << idx);
	after.ir_freecount--;
	error = take_in_tree(tp, agbp, &xfs_inobt_ops, &rec, &after);
	if (!error && xfs_has_finobt(mp)) {
		error = take_in_tree(tp, agbp, &xfs_finobt_ops, &rec, &after);
	}
	if (error) {
		return error;
	}
	be32_add_cpu(&agi->agi_freecount, -1);
	xfs_ialloc_log_agi(tp, agbp);
	xfs_trans_mod_sb(tp, XFS_TRANS_SB_IFREE, -1);
	*inop = xfs_agino_to_ino(sb->sb_agblklog, sb->sb_inopblog,
				 agi_agno(agbp), rec.ir_startino + idx);
	return 0;
}

/* ---- the AG and the inode ---- */

static uint32_t rotor_next(struct xfs_mount *mp)
{
	uint32_t agno;

	pthread_mutex_lock(&mp->m_sb_lock);
	agno = mp->m_agirotor;
	mp->m_agirotor = agno + 1 >= mp->m_sb.sb_agcount ? 0 : agno + 1;
	pthread_mutex_unlock(&mp->m_sb_lock);
	return agno < mp->m_sb.sb_agcount ? agno : 0;
}

int libxfs_dialloc(struct xfs_trans *tp, uint64_t parent_ino, uint16_t mode,
		   uint64_t *inop)
{
	struct xfs_mount *mp = tp->t_mountp;
	const struct xfs_sb *sb = &mp->m_sb;
	uint32_t pagno = 0, pagino = NULLAGINO, start, agno, i;
	struct xfs_buf *agbp;
	bool added;
	int error;

	*inop = 0;
	if (parent_ino && libxfs_verify_ino(mp, parent_ino)) {
		pagno = xfs_ino_to_agno(sb->sb_agblklog, sb->sb_inopblog,
					parent_ino);
		pagino = xfs_ino_to_agino(sb->sb_agblklog, sb->sb_inopblog,
					  parent_ino);
	}
	start = (mode & XFS_IFMT) == XFS_IFDIR ? rotor_next(mp) : pagno;
	for (i = 0; i < sb->sb_agcount; i++) {
		agno = (start + i) % sb->sb_agcount;
		error = xfs_ialloc_read_agi(mp, tp, agno, &agbp);
		if (error) {
			return error;
		}
		added = agi_of(agbp)->agi_freecount != 0;
		if (!added) {
			error = chunk_alloc(tp, agbp, &added);
		}
		if (!error && added) {
			error = take_inode(tp, agbp,
					   agno == pagno ? pagino : NULLAGINO,
					   inop);
			xfs_trans_brelse(tp, agbp);
			return error;
		}
		xfs_trans_brelse(tp, agbp);
		if (error) {
			return error;
		}
	}
	return -ENOSPC;
}
