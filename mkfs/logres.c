/*
 * mkfs/logres.c: the smallest log a new filesystem may have.
 *
 * The kernel refuses to mount a filesystem whose log cannot hold two of
 * its largest transactions, so mkfs must size the log from the same
 * worst-case transaction reservations the kernel computes at mount time.
 * This file derives, from a proposed geometry, the btree heights and inode
 * geometry those reservations depend on, computes the reservation of every
 * transaction type (with the historical adjustments the kernel applies
 * when it computes the minimum log size, so that logs made today still
 * mount on older kernels), and turns the largest into a block count.
 *
 * The format facts used here (btree block header and record sizes, log
 * item header sizes) are V4 and V5 alike; nothing is read from disk.
 */
#include <string.h>

#include "mkfs/mkfs.h"

/* Sizes of log structures that appear in every reservation. */
#define LOG_OP_HDR		12	/* struct xlog_op_header */
#define TRANS_HDR		16	/* struct xfs_trans_header */
#define INODE_LOG_FMT		56	/* struct xfs_inode_log_format */
#define BUF_LOG_OVERHEAD	128	/* op header + buf log format, rounded */
#define DQUOT_LOGRES		((24 + 104) * 6) /* dq log format + dquot, x6 */
#define DA_NODE_MAXDEPTH	5
#define SYMLINK_MAXLEN		1024
#define MAX_BMBT_EXTLEN		((1U << 21) - 1)
#define ATTR_MAXNAMELEN		256
#define MIN_LOG_FACTOR		3
#define OLD_REFLINK_RMAP_MAXLEVELS 9
#define LOG_HEADER_CYCLE_SIZE	(32 * 1024)
#define LOG_BIG_RECORD_BSIZE	(32 * 1024)

/* Everything a reservation formula looks at. */
struct resv_geo {
	unsigned int	blksz;
	unsigned int	sectsz;
	unsigned int	inodesize;
	unsigned int	bmbt_block_len;	/* long btree block header */
	unsigned int	alloc_maxlevels;
	unsigned int	rmap_maxlevels;
	unsigned int	refc_maxlevels;
	unsigned int	inobt_maxlevels;
	unsigned int	bm_maxlevels[2];
	unsigned int	alloc_mxr0, alloc_mnr0;
	unsigned int	dir_fsbcount;	/* fs blocks per directory block */
	unsigned int	dir_blksz;
	unsigned int	inode_cluster_size;
	unsigned int	ialloc_blks;
	unsigned int	rextsize;	/* blocks per rt extent */
	unsigned int	rsumsize;	/* bytes of rt summary */
	unsigned int	logsunit;	/* sb_logsunit, bytes (1 = none) */
	bool		crc, finobt, rmapbt, reflink, realtime, logv2;
};

struct trans_res {
	unsigned int	logres;
	unsigned int	logcount;
};

static unsigned int short_hdr_len(bool crc)
{
	return crc ? 56 : 16;
}

static unsigned int long_hdr_len(bool crc)
{
	return crc ? 72 : 24;
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

// Height of a btree holding `records` records when every block is only
// half full: the worst case the reservations must cover.
static unsigned int compute_maxlevels(unsigned int mnr_leaf,
				      unsigned int mnr_node, uint64_t records)
{
	uint64_t blocks = div_up(records, mnr_leaf);
	unsigned int level = 1;

	while (blocks > 1) {
		blocks = div_up(blocks, mnr_node);
		level++;
	}
	return level;
}

static unsigned int bmap_maxlevels(unsigned int mnr_leaf,
				   unsigned int mnr_node, bool nrext64,
				   int whichfork)
{
	uint64_t maxleafents, blocks;
	unsigned int maxrootrecs, level;

	if (whichfork == 0) {
		maxleafents = nrext64 ? (1ULL << 48) - 1 : (1ULL << 31) - 1;
		maxrootrecs = 3;
	} else {
		maxleafents = nrext64 ? (1ULL << 32) - 1 : (1ULL << 15) - 1;
		maxrootrecs = 2;
	}
	blocks = div_up(maxleafents, mnr_leaf);
	for (level = 1; blocks > 1; level++) {
		if (blocks <= maxrootrecs) {
			blocks = 1;
		} else {
			blocks = div_up(blocks, mnr_node);
		}
	}
	return level;
}

unsigned int alloc_maxlevels(const struct mkfs_geometry *g)
{
	unsigned int len = g->blocksize - short_hdr_len(g->feat.crc);

	// bnobt/cntbt: 8-byte records, 8-byte keys, 4-byte pointers; at
	// most one free extent per two blocks.
	return compute_maxlevels(len / 8 / 2, len / 12 / 2,
				 (g->agsize + 1) / 2);
}

unsigned int rmap_maxlevels(const struct mkfs_geometry *g)
{
	unsigned int len = g->blocksize - short_hdr_len(true);
	unsigned int mnr0 = len / 24 / 2, mnr1 = len / (2 * 20 + 4) / 2;
	uint64_t node_blocks, left;
	unsigned int height = 1;

	if (!g->feat.rmapbt) {
		return 0;
	}
	if (!g->feat.reflink) {
		return compute_maxlevels(mnr0, mnr1, g->agsize);
	}
	// With sharing the record count is unbounded: take the height of a
	// tree that could fill the whole AG.
	node_blocks = mnr1;
	left = g->agsize - 1;
	while (node_blocks < left) {
		left -= node_blocks;
		node_blocks *= mnr1;
		height++;
	}
	return height;
}

static void setup_resv_geo(const struct mkfs_geometry *g,
			   struct resv_geo *r)
{
	bool crc = g->feat.crc;
	unsigned int slen = g->blocksize - short_hdr_len(crc);
	unsigned int llen = g->blocksize - long_hdr_len(crc);
	unsigned int raw, newsz, bpc;
	uint64_t inodes;

	memset(r, 0, sizeof(*r));
	r->blksz = g->blocksize;
	r->sectsz = g->sectorsize;
	r->inodesize = g->inodesize;
	r->bmbt_block_len = long_hdr_len(crc);
	r->crc = crc;
	r->finobt = g->feat.finobt;
	r->rmapbt = g->feat.rmapbt;
	r->reflink = g->feat.reflink;
	r->realtime = g->rtblocks != 0;
	r->logv2 = g->feat.log_version == 2;

	r->alloc_mxr0 = slen / 8;
	r->alloc_mnr0 = r->alloc_mxr0 / 2;
	r->alloc_maxlevels = alloc_maxlevels(g);
	r->rmap_maxlevels = rmap_maxlevels(g);
	r->refc_maxlevels = g->feat.reflink ?
		compute_maxlevels(slen / 12 / 2, slen / 8 / 2, g->agsize) : 0;
	inodes = (1ULL << (g->agblklog + g->inopblog)) >> 6;
	r->inobt_maxlevels = compute_maxlevels(slen / 16 / 2, slen / 8 / 2,
					       inodes);
	r->bm_maxlevels[0] = bmap_maxlevels(llen / 16 / 2, llen / 16 / 2,
					    g->feat.nrext64, 0);
	r->bm_maxlevels[1] = bmap_maxlevels(llen / 16 / 2, llen / 16 / 2,
					    g->feat.nrext64, 1);
	r->dir_fsbcount = 1U << (g->dirblocklog - g->blocklog);
	r->dir_blksz = g->dirblocksize;

	// Inode clusters: 8 KiB of 256-byte inodes, scaled up with the inode
	// size on V5 when the chunk alignment allows it.
	raw = MKFS_INODE_CLUSTER;
	if (crc) {
		newsz = raw * (g->inodesize / MKFS_DINODE_MIN_SIZE);
		if (g->inoalignmt >= (newsz >> g->blocklog)) {
			raw = newsz;
		}
	}
	bpc = raw > g->blocksize ? raw >> g->blocklog : 1;
	r->inode_cluster_size = bpc << g->blocklog;
	r->ialloc_blks = (64 > g->inopblock ? 64 : g->inopblock) >> g->inopblog;

	r->rextsize = (unsigned int)g->rtextblocks;
	if (g->rtblocks) {
		unsigned int levels = mkfs_highbit64(g->rtextents) + 1;
		uint64_t sz = 4ULL * levels * g->rtbmblocks;

		r->rsumsize = (unsigned int)div_up(sz, g->blocksize) *
			      g->blocksize;
	}
	if (r->logv2) {
		r->logsunit = g->lsunit ? g->lsunit << g->blocklog : 1;
	}
}

static unsigned int max2(unsigned int a, unsigned int b)
{
	return a > b ? a : b;
}

static unsigned int max3(unsigned int a, unsigned int b, unsigned int c)
{
	return max2(max2(a, b), c);
}

static unsigned int buf_res(unsigned int nbufs, unsigned int size)
{
	return nbufs * (size + BUF_LOG_OVERHEAD);
}

// Blocks touched when allocating or freeing num_ops extents: a split of
// each free space btree (and the rmapbt) per extent.
static unsigned int allocfree_blocks(const struct resv_geo *r,
				     unsigned int num_ops)
{
	unsigned int blocks = num_ops * 2 * (2 * r->alloc_maxlevels - 1);

	if (r->rmapbt) {
		blocks += num_ops * (2 * r->rmap_maxlevels - 1);
	}
	return blocks;
}

static unsigned int refcbt_blocks(const struct resv_geo *r,
				  unsigned int num_ops)
{
	return num_ops * (2 * r->refc_maxlevels - 1);
}

// An inode logged in memory format, with both forks' btree roots.
static unsigned int inode_res(const struct resv_geo *r, unsigned int n)
{
	return n * (4 * LOG_OP_HDR + INODE_LOG_FMT + r->inodesize +
		    2 * r->bmbt_block_len);
}

static unsigned int inobt_res(const struct resv_geo *r)
{
	return buf_res(r->inobt_maxlevels, r->blksz) +
	       buf_res(allocfree_blocks(r, 1), r->blksz);
}

static unsigned int finobt_res(const struct resv_geo *r)
{
	return r->finobt ? inobt_res(r) : 0;
}

static unsigned int inode_chunk_res(const struct resv_geo *r, bool alloc)
{
	unsigned int res = buf_res(allocfree_blocks(r, 1), r->blksz);
	unsigned int size = 0;

	if (alloc) {
		// V5 initialises new chunks with ordered buffers.
		if (r->crc) {
			return res;
		}
		size = r->blksz;
	}
	return res + buf_res(r->ialloc_blks, size);
}

static unsigned int rtalloc_blocks(const struct resv_geo *r,
				   unsigned int num_ops)
{
	unsigned int rtbmp_bytes = (MAX_BMBT_EXTLEN / r->rextsize) / 8;

	return ((unsigned int)div_up(rtbmp_bytes, r->blksz) + 1) * num_ops;
}

/* Blocks to add one extent to a fork's bmbt, per block mapped. */
static unsigned int nextentadd_res(const struct resv_geo *r,
				   unsigned int blocks, int whichfork)
{
	unsigned int per = r->alloc_mxr0 - r->alloc_mnr0;

	return ((blocks + per - 1) / per) * (r->bm_maxlevels[whichfork] - 1);
}

static unsigned int daenter_1b(const struct resv_geo *r, int w)
{
	return w == 0 ? r->dir_fsbcount : 1;
}

static unsigned int daenter_dbs(int w)
{
	return DA_NODE_MAXDEPTH + (w == 0 ? 2 : 0);
}

static unsigned int daenter_bmap1b(const struct resv_geo *r, int w)
{
	return nextentadd_res(r, daenter_1b(r, w), w);
}

static unsigned int daenter_space_res(const struct resv_geo *r, int w)
{
	return daenter_1b(r, w) * daenter_dbs(w) +
	       daenter_dbs(w) * daenter_bmap1b(r, w);
}

static unsigned int dirop_log_count(const struct resv_geo *r)
{
	return daenter_space_res(r, 0) + 1;
}

/*
 * A data write: the inode and its bmbt, AGF/AGFL/sb, and two extents'
 * worth of free space btree splits; or a realtime allocation; or the
 * later freeing of bmbt blocks.  The minimum-log variant folds two
 * refcountbt splits into the first and last case, as reflink's original
 * reservations did.
 */
static unsigned int write_res_minlog(const struct resv_geo *r)
{
	unsigned int t1, t2 = 0, t3, adj = 0;

	t1 = inode_res(r, 1) + buf_res(r->bm_maxlevels[0], r->blksz) +
	     buf_res(3, r->sectsz) + buf_res(allocfree_blocks(r, 2), r->blksz);
	if (r->realtime) {
		t2 = inode_res(r, 1) + buf_res(r->bm_maxlevels[0], r->blksz) +
		     buf_res(3, r->sectsz) +
		     buf_res(rtalloc_blocks(r, 1), r->blksz) +
		     buf_res(allocfree_blocks(r, 1), r->blksz);
	}
	t3 = buf_res(5, r->sectsz) + buf_res(allocfree_blocks(r, 2), r->blksz);
	if (r->reflink) {
		adj = buf_res(refcbt_blocks(r, 2), r->blksz);
	}
	return DQUOT_LOGRES + max3(t1 + adj, t2, t3 + adj);
}

static unsigned int itruncate_res_minlog(const struct resv_geo *r)
{
	unsigned int t1, t2, t3 = 0;

	t1 = inode_res(r, 1) + buf_res(r->bm_maxlevels[0] + 1, r->blksz);
	t2 = buf_res(9, r->sectsz) + buf_res(allocfree_blocks(r, 4), r->blksz);
	if (r->realtime) {
		t3 = buf_res(5, r->sectsz) +
		     buf_res(rtalloc_blocks(r, 2), r->blksz) +
		     buf_res(allocfree_blocks(r, 2), r->blksz);
	}
	if (r->reflink) {
		t2 += buf_res(refcbt_blocks(r, 4), r->blksz);
	}
	return DQUOT_LOGRES + max3(t1, t2, t3);
}

static unsigned int rename_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES +
	       max2(inode_res(r, 5) +
			buf_res(2 * dirop_log_count(r), r->blksz),
		    buf_res(7, r->sectsz) +
			buf_res(allocfree_blocks(r, 3), r->blksz));
}

static unsigned int iunlink_remove_res(const struct resv_geo *r)
{
	return buf_res(1, r->sectsz) + 2 * r->inode_cluster_size;
}

static unsigned int iunlink_add_res(const struct resv_geo *r)
{
	return buf_res(1, r->sectsz) + r->inode_cluster_size;
}

static unsigned int link_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES + iunlink_remove_res(r) +
	       max2(inode_res(r, 2) + buf_res(dirop_log_count(r), r->blksz),
		    buf_res(3, r->sectsz) +
			buf_res(allocfree_blocks(r, 1), r->blksz));
}

static unsigned int remove_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES + iunlink_add_res(r) +
	       max2(inode_res(r, 2) + buf_res(dirop_log_count(r), r->blksz),
		    buf_res(4, r->sectsz) +
			buf_res(allocfree_blocks(r, 2), r->blksz));
}

static unsigned int create_modify_res(const struct resv_geo *r)
{
	return inode_res(r, 2) + buf_res(1, r->sectsz) + r->blksz +
	       buf_res(dirop_log_count(r), r->blksz) + finobt_res(r);
}

static unsigned int icreate_alloc_res(const struct resv_geo *r)
{
	return buf_res(2, r->sectsz) + r->sectsz + inode_chunk_res(r, true) +
	       inobt_res(r) + finobt_res(r);
}

static unsigned int icreate_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES + max2(icreate_alloc_res(r),
				   create_modify_res(r));
}

static unsigned int create_tmpfile_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES + icreate_alloc_res(r) + iunlink_add_res(r);
}

static unsigned int symlink_res(const struct resv_geo *r)
{
	return icreate_res(r) + buf_res(1, SYMLINK_MAXLEN);
}

static unsigned int ifree_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES + inode_res(r, 1) + buf_res(3, r->sectsz) +
	       iunlink_remove_res(r) + inode_chunk_res(r, false) +
	       inobt_res(r) + finobt_res(r);
}

static unsigned int addafork_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES + inode_res(r, 1) + buf_res(2, r->sectsz) +
	       buf_res(1, r->dir_blksz) +
	       buf_res(daenter_bmap1b(r, 0) + 1, r->blksz) +
	       buf_res(allocfree_blocks(r, 1), r->blksz);
}

static unsigned int attrinval_res(const struct resv_geo *r)
{
	return max2(inode_res(r, 1) + buf_res(r->bm_maxlevels[1], r->blksz),
		    buf_res(9, r->sectsz) +
			buf_res(allocfree_blocks(r, 4), r->blksz));
}

static unsigned int attrsetm_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES + inode_res(r, 1) + buf_res(1, r->sectsz) +
	       buf_res(DA_NODE_MAXDEPTH, r->blksz);
}

static unsigned int attrsetrt_res(const struct resv_geo *r)
{
	return buf_res(1, r->sectsz) + buf_res(r->bm_maxlevels[1], r->blksz);
}

static unsigned int attrrm_res(const struct resv_geo *r)
{
	return DQUOT_LOGRES +
	       max2(inode_res(r, 1) + buf_res(DA_NODE_MAXDEPTH, r->blksz) +
			r->bm_maxlevels[1] * r->blksz +
			buf_res(r->bm_maxlevels[0], 0),
		    buf_res(5, r->sectsz) +
			buf_res(allocfree_blocks(r, 2), r->blksz));
}

static unsigned int growrtalloc_res(const struct resv_geo *r)
{
	return buf_res(2, r->sectsz) + buf_res(r->bm_maxlevels[0], r->blksz) +
	       inode_res(r, 1) + buf_res(allocfree_blocks(r, 1), r->blksz);
}

static unsigned int growrtfree_res(const struct resv_geo *r)
{
	return buf_res(1, r->sectsz) + inode_res(r, 2) +
	       buf_res(1, r->blksz) + buf_res(1, r->rsumsize);
}

static unsigned int growdata_res(const struct resv_geo *r)
{
	return buf_res(3, r->sectsz) +
	       buf_res(allocfree_blocks(r, 1), r->blksz);
}

/*
 * The largest attribute set: the static part plus one runtime unit per
 * block a maximal local attribute value may need.
 */
static unsigned int max_attrsetm_res(const struct resv_geo *r)
{
	unsigned int size, nblks;

	size = (r->blksz >> 1) + (r->blksz >> 2) - ATTR_MAXNAMELEN - 1;
	nblks = daenter_space_res(r, 1);
	nblks += (unsigned int)div_up(size, r->blksz);
	// The byte count is passed where a block count belongs, exactly as
	// the kernel's formula does; the log sizes depend on it.
	nblks += nextentadd_res(r, size, 1);
	return attrsetm_res(r) + attrsetrt_res(r) * nblks;
}

/* Bytes a transaction of unit_bytes occupies in the log, with headers. */
static unsigned int log_unit_res(const struct resv_geo *r,
				 unsigned int unit_bytes)
{
	unsigned int iclog_size, hdr_size, iclog_space, num_headers;

	if (r->logv2) {
		iclog_size = MKFS_LOG_MAX_RECORD;
		hdr_size = (iclog_size / LOG_HEADER_CYCLE_SIZE) << BBSHIFT;
	} else {
		iclog_size = LOG_BIG_RECORD_BSIZE;
		hdr_size = BBSIZE;
	}
	unit_bytes += 2 * LOG_OP_HDR + TRANS_HDR;
	iclog_space = iclog_size - hdr_size;
	num_headers = (unit_bytes + iclog_space - 1) / iclog_space;
	unit_bytes += LOG_OP_HDR * num_headers;
	while (!num_headers ||
	       (unit_bytes + iclog_space - 1) / iclog_space > num_headers) {
		unit_bytes += LOG_OP_HDR;
		num_headers++;
	}
	unit_bytes += hdr_size * num_headers;
	unit_bytes += hdr_size;		/* commit record's header */
	if (r->logv2 && r->logsunit > 1) {
		unit_bytes += 2 * r->logsunit;
	} else {
		unit_bytes += 2 * BBSIZE;
	}
	return unit_bytes;
}

unsigned int log_min_blocks(const struct mkfs_geometry *g)
{
	struct resv_geo r;
	struct trans_res res[32], best = { 0, 0 };
	unsigned int n = 0, i, logcount_adj = 0, attr_space, max_logres;
	unsigned int write_cnt, trunc_cnt, dq_cnt;
	uint64_t log_space = 0, min_bb, lsunit_bb = 0;

	setup_resv_geo(g, &r);
	// Old kernels sized the rmapbt of reflink filesystems at 9 levels;
	// keep logs big enough for them.
	if (r.rmapbt && r.reflink) {
		r.rmap_maxlevels = OLD_REFLINK_RMAP_MAXLEVELS;
	}

	if (r.reflink || r.rmapbt) {
		logcount_adj++;
	}
	if (r.reflink) {
		logcount_adj++;
	}
	if (r.rmapbt) {
		logcount_adj++;
	}
	write_cnt = 2 + logcount_adj;
	trunc_cnt = 2 + logcount_adj;
	dq_cnt = 2 + logcount_adj;
	if (r.reflink) {
		write_cnt = trunc_cnt = dq_cnt = 8;
	} else if (r.rmapbt) {
		write_cnt = trunc_cnt = dq_cnt = 2;
	}

	// In the order of the kernel's reservation table: ties go to the
	// first, and the choice matters for the per-record overheads.
	res[n++] = (struct trans_res){ write_res_minlog(&r), write_cnt };
	res[n++] = (struct trans_res){ itruncate_res_minlog(&r), trunc_cnt };
	res[n++] = (struct trans_res){ rename_res(&r), 2 };
	res[n++] = (struct trans_res){ link_res(&r), 2 };
	res[n++] = (struct trans_res){ remove_res(&r), 2 };
	res[n++] = (struct trans_res){ symlink_res(&r), 3 };
	res[n++] = (struct trans_res){ icreate_res(&r), 2 };
	res[n++] = (struct trans_res){ create_tmpfile_res(&r), 2 };
	res[n++] = (struct trans_res){ icreate_res(&r), 3 };	/* mkdir */
	res[n++] = (struct trans_res){ ifree_res(&r), 2 };
	res[n++] = (struct trans_res){ DQUOT_LOGRES + inode_res(&r, 1) +
				       buf_res(1, r.sectsz), 0 }; /* ichange */
	res[n++] = (struct trans_res){ growdata_res(&r), 2 };
	res[n++] = (struct trans_res){ addafork_res(&r), 2 };
	res[n++] = (struct trans_res){ inode_res(&r, 1), 0 };	/* writeid */
	res[n++] = (struct trans_res){ attrinval_res(&r), 1 };
	res[n++] = (struct trans_res){ attrsetm_res(&r), 3 };
	res[n++] = (struct trans_res){ attrsetrt_res(&r), 0 };
	res[n++] = (struct trans_res){ attrrm_res(&r), 3 };
	res[n++] = (struct trans_res){ buf_res(1, r.sectsz), 0 }; /* clearagi */
	res[n++] = (struct trans_res){ growrtalloc_res(&r), 2 };
	res[n++] = (struct trans_res){ buf_res(1, r.blksz), 0 }; /* rtzero */
	res[n++] = (struct trans_res){ growrtfree_res(&r), 0 };
	res[n++] = (struct trans_res){ buf_res(1, 104), 1 };	/* setqlim */
	res[n++] = (struct trans_res){ write_res_minlog(&r) +
				       buf_res(1, r.blksz - 1), dq_cnt };
	res[n++] = (struct trans_res){ buf_res(1, r.sectsz), 1 }; /* sb */
	res[n++] = (struct trans_res){ inode_res(&r, 1), 0 };	/* fsyncts */

	for (i = 0; i < n; i++) {
		uint64_t tmp = res[i].logcount > 1 ?
			(uint64_t)res[i].logres * res[i].logcount :
			res[i].logres;

		if (log_space < tmp) {
			log_space = tmp;
			best = res[i];
		}
	}
	attr_space = max_attrsetm_res(&r);
	if (attr_space > log_space) {
		best.logres = attr_space;
		best.logcount = 3;
	}

	max_logres = log_unit_res(&r, best.logres);
	if (best.logcount > 1) {
		max_logres *= best.logcount;
	}

	// Room for two maximal transactions, each padded to the log stripe
	// unit at both of its writes, three times over.
	if (r.logv2 && r.logsunit > 1) {
		lsunit_bb = BTOBB(r.logsunit);
	}
	if (lsunit_bb) {
		min_bb = div_up(BTOBB(max_logres), lsunit_bb) * lsunit_bb +
			 2 * lsunit_bb;
	} else {
		min_bb = BTOBB(max_logres) + 2 * BBSIZE;
	}
	min_bb *= MIN_LOG_FACTOR;
	return (unsigned int)div_up(min_bb, 1U << (g->blocklog - BBSHIFT));
}
