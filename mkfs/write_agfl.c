/*
 * mkfs/write_agfl.c: every AG's header region, with its free list
 * filled by the allocator, written to disk in one I/O per AG.
 *
 * For each AG: the region (superblock, AGF, AGI, AGFL, btree roots) is
 * built in memory (write_ag.c); the blocks the free-list fill works on
 * (AGF, AGFL, free-space and rmap roots) are put into the buffer cache
 * as they stand; a transaction fills the AGFL through the offloaded
 * allocator (xfs_alloc_fix_freelist), which changes those buffers in the
 * cache; their new contents (CRCs set at commit) are copied back into
 * the region, which then goes to disk in one write, and the buffers are
 * marked clean so the cache never writes them again.  So each AG costs
 * one write and no read.
 *
 * The fills of a batch of AGs run on one allocation worker: one hand-off
 * per batch rather than per AG (the allocations inside count as
 * nested).  After each batch the cache drops the clean buffers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mkfs/mkfs.h"
#include "mkfs/write.h"

/* AGs per hand-off to an allocation worker. */
#define MKFS_AG_BATCH	256U

/* Blocks of the region that the free-list fill may change. */
struct ag_piece {
	uint64_t	daddr;
	unsigned int	bbs;
	size_t		off;		/* in the region */
};

static unsigned int ag_pieces(struct xfs_mount *mp,
			      const struct mkfs_geometry *g, uint32_t agno,
			      struct ag_piece *p)
{
	struct ag_layout l;
	uint32_t blocks[3];
	unsigned int i, n = 0, nb = 0;
	static const unsigned int sectors[] = { XFS_AGF_SECTOR,
						XFS_AGFL_SECTOR };

	ag_layout(g, &l);
	for (i = 0; i < 2; i++) {
		p[n].daddr = libxfs_ag_daddr(mp, agno, sectors[i]);
		p[n].bbs = 1U << mp->m_sectbb_log;
		p[n++].off = (size_t)sectors[i] * g->sectorsize;
	}
	blocks[nb++] = l.bno_root;
	blocks[nb++] = l.cnt_root;
	if (l.rmap_root) {
		blocks[nb++] = l.rmap_root;
	}
	for (i = 0; i < nb; i++) {
		p[n].daddr = xfs_mp_agbno_to_daddr(mp, agno, blocks[i]);
		p[n].bbs = 1U << mp->m_blkbb_log;
		p[n++].off = (size_t)blocks[i] << g->blocklog;
	}
	return n;
}

/* Copy region <-> cached buffers; to_cache seeds, else copies back. */
static int ag_sync_pieces(struct xfs_mount *mp, const struct ag_piece *p,
			  unsigned int n, uint8_t *region, bool to_cache)
{
	struct xfs_buf *bp;
	unsigned int i;
	int error;

	for (i = 0; i < n; i++) {
		error = libxfs_buf_get(mp, p[i].daddr, p[i].bbs, &bp);
		if (error) {
			return error;
		}
		if (to_cache) {
			memcpy(bp->b_addr, region + p[i].off, BBTOB(p[i].bbs));
		} else {
			memcpy(region + p[i].off, bp->b_addr, BBTOB(p[i].bbs));
			libxfs_buf_mark_clean(bp);
		}
		libxfs_buf_relse(bp);
	}
	return 0;
}

/*
 * One transaction: fill the AG's free list.  An AG too full to spare
 * the blocks (the log's AG, when the log takes nearly all of it) keeps
 * an empty list, as the reference leaves it.
 */
static int fill_agfl(struct xfs_mount *mp, uint32_t agno)
{
	struct xfs_trans *tp;
	int error;

	error = xfs_trans_alloc(mp, 0, &tp);
	if (error) {
		return error;
	}
	error = xfs_alloc_fix_freelist(tp, agno);
	if (error) {
		xfs_trans_cancel(tp);
		return error == -ENOSPC ? 0 : error;
	}
	return xfs_trans_commit(tp);
}

struct ag_batch {
	struct xfs_mount		*mp;
	const struct mkfs_geometry	*g;
	const void			*dsb;
	uint8_t				*region;
	size_t				region_bytes;
	uint32_t			start, end;
};

static int write_one_ag(struct ag_batch *b, uint32_t agno)
{
	struct ag_piece p[5];
	unsigned int n = ag_pieces(b->mp, b->g, agno, p);
	int error;

	ag_build_headers(b->g, b->dsb, agno, b->region);
	error = ag_sync_pieces(b->mp, p, n, b->region, true);
	if (!error) {
		error = fill_agfl(b->mp, agno);
	}
	if (!error) {
		error = ag_sync_pieces(b->mp, p, n, b->region, false);
	}
	if (!error) {
		error = libxfs_dev_write(b->mp->m_ddev, b->region,
					 b->region_bytes,
					 BBTOB(libxfs_ag_daddr(b->mp, agno, 0)));
	}
	return error;
}

static int write_ag_batch(void *arg)
{
	struct ag_batch *b = arg;
	uint32_t agno;
	int error = 0;

	for (agno = b->start; agno < b->end && !error; agno++) {
		error = write_one_ag(b, agno);
	}
	return error;
}

int write_ags(struct xfs_mount *mp, const struct mkfs_geometry *g,
	      const void *dsb)
{
	struct ag_layout l;
	struct ag_batch b = { .mp = mp, .g = g, .dsb = dsb };
	uint32_t agcount = mp->m_sb.sb_agcount;
	int error = 0;

	ag_layout(g, &l);
	b.region_bytes = (size_t)l.prealloc << g->blocklog;
	b.region = malloc(b.region_bytes);
	if (!b.region) {
		return -ENOMEM;
	}
	for (b.start = 0; b.start < agcount && !error; b.start = b.end) {
		b.end = agcount - b.start > MKFS_AG_BATCH ?
			b.start + MKFS_AG_BATCH : agcount;
		error = xfs_alloc_offload_run(write_ag_batch, &b);
		libxfs_bcache_purge(mp->m_ddev_targp->bt_cache);
	}
	free(b.region);
	return error;
}
