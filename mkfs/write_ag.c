/*
 * mkfs/write_ag.c: the static part of every allocation group, built in
 * memory and written with one I/O per AG.
 *
 * An AG starts with four sectors -- superblock, AGF, AGI, AGFL -- and
 * then one root block per btree, in this order: bnobt, cntbt, inobt,
 * finobt, rmapbt, refcountbt (each only when the feature is on).  Every
 * root is an empty leaf except:
 *   - bnobt / cntbt: the AG's free space (everything past the roots,
 *     less an internal log in this AG) as one or two records;
 *   - rmapbt: the owners of the static blocks (headers: FS, free-space
 *     and rmap roots: AG, inode btree roots: INOBT, refcount root: REFC,
 *     the log: LOG), adjacent runs of one owner merged.
 * The AGFL is empty (first slot 1, last slot 0: the first block put on
 * it lands in slot 1); the allocator fills it after the mount.
 */
#include <stdlib.h>
#include <string.h>

#include "mkfs/mkfs.h"
#include "mkfs/write.h"

/* Block numbers of the header region of an AG. */
void ag_layout(const struct mkfs_geometry *g, struct ag_layout *l)
{
	uint32_t b = (3 * g->sectorsize) >> g->blocklog;	/* AGFL */

	memset(l, 0, sizeof(*l));
	l->hdr_blocks = (4 * g->sectorsize + g->blocksize - 1) >> g->blocklog;
	l->bno_root = ++b;
	l->cnt_root = ++b;
	l->ino_root = ++b;
	l->fino_root = g->feat.finobt ? ++b : 0;
	l->rmap_root = g->feat.rmapbt ? ++b : 0;
	l->refc_root = g->feat.reflink ? ++b : 0;
	l->prealloc = b + 1;
}

/* Free extents of AG agno: up to two (before and after an internal log). */
static unsigned int ag_free_extents(const struct mkfs_geometry *g,
				    const struct ag_layout *l, uint32_t agno,
				    uint32_t aglen, uint32_t bno[2],
				    uint32_t len[2])
{
	unsigned int n = 0;

	if (g->loginternal && g->logagno == agno) {
		uint32_t ls = (uint32_t)(g->logstart & ((1ULL << g->agblklog) - 1));
		uint32_t le = ls + (uint32_t)g->logblocks;

		if (ls > l->prealloc) {
			bno[n] = l->prealloc;
			len[n++] = ls - l->prealloc;
		}
		if (le < aglen) {
			bno[n] = le;
			len[n++] = aglen - le;
		}
		return n;
	}
	bno[0] = l->prealloc;
	len[0] = aglen - l->prealloc;
	return 1;
}

uint64_t ag_free_blocks(const struct mkfs_geometry *g, uint32_t agno)
{
	struct ag_layout l;
	uint32_t bno[2], len[2];
	uint64_t sum = 0;
	unsigned int i, n;

	ag_layout(g, &l);
	n = ag_free_extents(g, &l, agno, ag_length(g, agno), bno, len);
	for (i = 0; i < n; i++) {
		sum += len[i];
	}
	return sum;
}

uint32_t ag_length(const struct mkfs_geometry *g, uint32_t agno)
{
	if (agno + 1 < g->agcount) {
		return (uint32_t)g->agsize;
	}
	return (uint32_t)(g->dblocks - (uint64_t)agno * g->agsize);
}

/* ---- btree root blocks ---- */

static struct xfs_btree_block *btree_root(const struct mkfs_geometry *g,
					  uint8_t *region, uint32_t agno,
					  uint32_t agbno, uint32_t magic,
					  unsigned int numrecs)
{
	struct xfs_btree_block *blk =
		(struct xfs_btree_block *)(region + ((size_t)agbno << g->blocklog));
	uint64_t daddr = xfs_agbno_to_daddr(g->blocklog, (uint32_t)g->agsize,
					    agno, agbno);

	blk->bb_magic = cpu_to_be32(magic);
	blk->bb_level = 0;
	blk->bb_numrecs = cpu_to_be16((uint16_t)numrecs);
	blk->bb_u.s.bb_leftsib = cpu_to_be32(NULLAGBLOCK);
	blk->bb_u.s.bb_rightsib = cpu_to_be32(NULLAGBLOCK);
	blk->bb_u.s.bb_blkno = cpu_to_be64(daddr);
	memcpy(blk->bb_u.s.bb_uuid, g->uuid, XFS_UUID_SIZE);
	blk->bb_u.s.bb_owner = cpu_to_be32(agno);
	return blk;
}

static void *btree_recs(struct xfs_btree_block *blk)
{
	return (uint8_t *)blk + XFS_BTREE_SBLOCK_CRC_LEN;
}

static void btree_crc(const struct mkfs_geometry *g, uint8_t *region,
		      uint32_t agbno)
{
	if (agbno) {
		libxfs_update_cksum(region + ((size_t)agbno << g->blocklog),
				    g->blocksize, XFS_BTREE_SBLOCK_CRC_OFF);
	}
}

/* Free-space roots: by block number, and by (length, block number). */
static void write_alloc_roots(const struct mkfs_geometry *g,
			      const struct ag_layout *l, uint8_t *region,
			      uint32_t agno, unsigned int n,
			      const uint32_t bno[2], const uint32_t len[2])
{
	struct xfs_btree_block *b;
	struct xfs_alloc_rec *r;
	unsigned int i, order[2] = { 0, 1 };

	b = btree_root(g, region, agno, l->bno_root, XFS_ABTB_CRC_MAGIC, n);
	r = btree_recs(b);
	for (i = 0; i < n; i++) {
		r[i].ar_startblock = cpu_to_be32(bno[i]);
		r[i].ar_blockcount = cpu_to_be32(len[i]);
	}
	if (n == 2 && (len[1] < len[0] ||
		       (len[1] == len[0] && bno[1] < bno[0]))) {
		order[0] = 1;
		order[1] = 0;
	}
	b = btree_root(g, region, agno, l->cnt_root, XFS_ABTC_CRC_MAGIC, n);
	r = btree_recs(b);
	for (i = 0; i < n; i++) {
		r[i].ar_startblock = cpu_to_be32(bno[order[i]]);
		r[i].ar_blockcount = cpu_to_be32(len[order[i]]);
	}
}

/* Append an rmap record, merging with the previous one of the same owner. */
static void rmap_add(struct xfs_rmap_rec *recs, unsigned int *n,
		     uint32_t bno, uint32_t len, uint64_t owner)
{
	if (*n) {
		struct xfs_rmap_rec *p = &recs[*n - 1];

		if (be64_to_cpu(p->rm_owner) == owner &&
		    be32_to_cpu(p->rm_startblock) +
		    be32_to_cpu(p->rm_blockcount) == bno) {
			be32_add_cpu(&p->rm_blockcount, len);
			return;
		}
	}
	recs[*n].rm_startblock = cpu_to_be32(bno);
	recs[*n].rm_blockcount = cpu_to_be32(len);
	recs[*n].rm_owner = cpu_to_be64(owner);
	recs[*n].rm_offset = 0;
	(*n)++;
}

static void write_rmap_root(const struct mkfs_geometry *g,
			    const struct ag_layout *l, uint8_t *region,
			    uint32_t agno)
{
	struct xfs_btree_block *b;
	struct xfs_rmap_rec *r;
	unsigned int n = 0;

	b = btree_root(g, region, agno, l->rmap_root, XFS_RMAP_CRC_MAGIC, 0);
	r = btree_recs(b);
	rmap_add(r, &n, 0, l->hdr_blocks, XFS_RMAP_OWN_FS);
	rmap_add(r, &n, l->bno_root, 1, XFS_RMAP_OWN_AG);
	rmap_add(r, &n, l->cnt_root, 1, XFS_RMAP_OWN_AG);
	rmap_add(r, &n, l->ino_root, 1, XFS_RMAP_OWN_INOBT);
	if (l->fino_root) {
		rmap_add(r, &n, l->fino_root, 1, XFS_RMAP_OWN_INOBT);
	}
	rmap_add(r, &n, l->rmap_root, 1, XFS_RMAP_OWN_AG);
	if (l->refc_root) {
		rmap_add(r, &n, l->refc_root, 1, XFS_RMAP_OWN_REFC);
	}
	if (g->loginternal && g->logagno == agno) {
		rmap_add(r, &n, (uint32_t)(g->logstart &
					   ((1ULL << g->agblklog) - 1)),
			 (uint32_t)g->logblocks, XFS_RMAP_OWN_LOG);
	}
	b->bb_numrecs = cpu_to_be16((uint16_t)n);
}

/* ---- AG headers ---- */

static void write_agf(const struct mkfs_geometry *g,
		      const struct ag_layout *l, struct xfs_agf *agf,
		      uint32_t agno, uint32_t aglen, unsigned int n,
		      const uint32_t len[2])
{
	uint32_t freeblks = 0, longest = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		freeblks += len[i];
		if (len[i] > longest) {
			longest = len[i];
		}
	}
	agf->agf_magicnum = cpu_to_be32(XFS_AGF_MAGIC);
	agf->agf_versionnum = cpu_to_be32(XFS_AGF_VERSION);
	agf->agf_seqno = cpu_to_be32(agno);
	agf->agf_length = cpu_to_be32(aglen);
	agf->agf_roots[XFS_AGF_BNO] = cpu_to_be32(l->bno_root);
	agf->agf_roots[XFS_AGF_CNT] = cpu_to_be32(l->cnt_root);
	agf->agf_levels[XFS_AGF_BNO] = cpu_to_be32(1);
	agf->agf_levels[XFS_AGF_CNT] = cpu_to_be32(1);
	if (l->rmap_root) {
		agf->agf_roots[XFS_AGF_RMAP] = cpu_to_be32(l->rmap_root);
		agf->agf_levels[XFS_AGF_RMAP] = cpu_to_be32(1);
		agf->agf_rmap_blocks = cpu_to_be32(1);
	}
	// An empty free list whose first put lands in slot 1.
	agf->agf_flfirst = cpu_to_be32(1);
	agf->agf_fllast = 0;
	agf->agf_flcount = 0;
	agf->agf_freeblks = cpu_to_be32(freeblks);
	agf->agf_longest = cpu_to_be32(longest);
	memcpy(agf->agf_uuid, g->uuid, XFS_UUID_SIZE);
	if (l->refc_root) {
		agf->agf_refcount_root = cpu_to_be32(l->refc_root);
		agf->agf_refcount_level = cpu_to_be32(1);
		agf->agf_refcount_blocks = cpu_to_be32(1);
	}
	libxfs_update_cksum(agf, g->sectorsize, XFS_AGF_CRC_OFF);
}

static void write_agi(const struct mkfs_geometry *g,
		      const struct ag_layout *l, struct xfs_agi *agi,
		      uint32_t agno, uint32_t aglen)
{
	unsigned int i;

	agi->agi_magicnum = cpu_to_be32(XFS_AGI_MAGIC);
	agi->agi_versionnum = cpu_to_be32(XFS_AGI_VERSION);
	agi->agi_seqno = cpu_to_be32(agno);
	agi->agi_length = cpu_to_be32(aglen);
	agi->agi_root = cpu_to_be32(l->ino_root);
	agi->agi_level = cpu_to_be32(1);
	agi->agi_newino = cpu_to_be32(NULLAGINO);
	agi->agi_dirino = cpu_to_be32(NULLAGINO);
	for (i = 0; i < XFS_AGI_UNLINKED_BUCKETS; i++) {
		agi->agi_unlinked[i] = cpu_to_be32(NULLAGINO);
	}
	memcpy(agi->agi_uuid, g->uuid, XFS_UUID_SIZE);
	if (l->fino_root) {
		agi->agi_free_root = cpu_to_be32(l->fino_root);
		agi->agi_free_level = cpu_to_be32(1);
	}
	if (g->feat.inobtcnt) {
		agi->agi_iblocks = cpu_to_be32(1);
		agi->agi_fblocks = cpu_to_be32(l->fino_root ? 1 : 0);
	}
	libxfs_update_cksum(agi, g->sectorsize, XFS_AGI_CRC_OFF);
}

static void write_agfl(const struct mkfs_geometry *g, struct xfs_agfl *agfl,
		       uint32_t agno)
{
	xfs_be32_t *bno = xfs_agfl_bno(agfl);
	unsigned int i, n = xfs_agfl_size(g->sectorsize);

	agfl->agfl_magicnum = cpu_to_be32(XFS_AGFL_MAGIC);
	agfl->agfl_seqno = cpu_to_be32(agno);
	memcpy(agfl->agfl_uuid, g->uuid, XFS_UUID_SIZE);
	for (i = 0; i < n; i++) {
		bno[i] = cpu_to_be32(NULLAGBLOCK);
	}
	libxfs_update_cksum(agfl, g->sectorsize, XFS_AGFL_CRC_OFF);
}

void ag_build_headers(const struct mkfs_geometry *g, const void *dsb,
		      uint32_t agno, uint8_t *region)
{
	struct ag_layout l;
	uint32_t aglen = ag_length(g, agno), bno[2], len[2];
	unsigned int n, ss = g->sectorsize;

	ag_layout(g, &l);
	memset(region, 0, (size_t)l.prealloc << g->blocklog);
	memcpy(region, dsb, sizeof(struct xfs_dsb));
	libxfs_update_cksum(region, ss, XFS_SB_CRC_OFF);

	n = ag_free_extents(g, &l, agno, aglen, bno, len);
	write_agf(g, &l, (struct xfs_agf *)(region + XFS_AGF_SECTOR * ss),
		  agno, aglen, n, len);
	write_agi(g, &l, (struct xfs_agi *)(region + XFS_AGI_SECTOR * ss),
		  agno, aglen);
	write_agfl(g, (struct xfs_agfl *)(region + XFS_AGFL_SECTOR * ss),
		   agno);

	write_alloc_roots(g, &l, region, agno, n, bno, len);
	btree_root(g, region, agno, l.ino_root, XFS_IBT_CRC_MAGIC, 0);
	if (l.fino_root) {
		btree_root(g, region, agno, l.fino_root, XFS_FIBT_CRC_MAGIC, 0);
	}
	if (l.rmap_root) {
		write_rmap_root(g, &l, region, agno);
	}
	if (l.refc_root) {
		btree_root(g, region, agno, l.refc_root, XFS_REFC_CRC_MAGIC, 0);
	}
	btree_crc(g, region, l.bno_root);
	btree_crc(g, region, l.cnt_root);
	btree_crc(g, region, l.ino_root);
	btree_crc(g, region, l.fino_root);
	btree_crc(g, region, l.rmap_root);
	btree_crc(g, region, l.refc_root);
}
