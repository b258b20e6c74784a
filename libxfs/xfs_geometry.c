/*
 * xfs_geometry.c: everything a mount derives from its superblock -- block
 * and AG shifts, inode cluster geometry, directory and attribute block
 * geometry, btree records per block and the maximum height of each
 * btree -- plus the address validity checks built on that geometry.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"

/* log2 of v rounded up (v >= 1). */
static unsigned int log2_roundup(uint64_t v)
{
	unsigned int l = 0;

	while (l < 63 && (1ULL << l) < v) {
		l++;
	}
	return l;
}

static uint64_t div_roundup(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/*
 * Height needed to index `records` records when every block is at its
 * minimum fill (mnr[0] per leaf, mnr[1] per node): the worst case.
 */
static unsigned int btree_maxlevels(const unsigned int mnr[2],
				    uint64_t records)
{
	uint64_t blocks;
	unsigned int level = 1;

	if (mnr[0] == 0 || mnr[1] == 0) {
		return 0;
	}
	blocks = div_roundup(records, mnr[0]);
	while (blocks > 1) {
		blocks = div_roundup(blocks, mnr[1]);
		level++;
	}
	return level;
}

/*
 * Height of a tree that could fill `leaf_blocks` blocks of space: each
 * extra level multiplies the blocks it can address by the node fanout.
 * Used for trees whose record count has no bound (the rmapbt with
 * reflink).
 */
static unsigned int btree_space_to_height(const unsigned int mnr[2],
					  uint64_t leaf_blocks)
{
	uint64_t node_blocks = mnr[1], left;
	unsigned int height = 1;

	if (leaf_blocks < 1 || mnr[1] < 2) {
		return leaf_blocks ? 1 : 0;
	}
	left = leaf_blocks - 1;
	while (node_blocks < left) {
		left -= node_blocks;
		node_blocks *= mnr[1];
		height++;
	}
	return height;
}

/* Worst-case height of an inode fork's bmbt (its root sits in the inode). */
static unsigned int bmap_maxlevels(const struct xfs_mount *mp, int whichfork)
{
	uint64_t maxleafents, blocks;
	unsigned int maxrootrecs, level;
	bool big = xfs_has_large_extent_counts(mp);

	if (whichfork == XFS_DATA_FORK) {
		maxleafents = big ? XFS_MAX_EXTCNT_DATA_FORK_LARGE :
				    XFS_MAX_EXTCNT_DATA_FORK_SMALL;
		maxrootrecs = 3;	/* smallest data fork root */
	} else {
		maxleafents = big ? XFS_MAX_EXTCNT_ATTR_FORK_LARGE :
				    XFS_MAX_EXTCNT_ATTR_FORK_SMALL;
		maxrootrecs = 2;	/* smallest attr fork root */
	}
	if (mp->m_bmap_dmnr[0] == 0 || mp->m_bmap_dmnr[1] == 0) {
		return 0;
	}
	blocks = div_roundup(maxleafents, mp->m_bmap_dmnr[0]);
	for (level = 1; blocks > 1; level++) {
		if (blocks <= maxrootrecs) {
			blocks = 1;
		} else {
			blocks = div_roundup(blocks, mp->m_bmap_dmnr[1]);
		}
	}
	return level;
}

static void set_limits(unsigned int mxr[2], unsigned int mnr[2],
		       unsigned int blocklen, unsigned int hdrlen,
		       unsigned int recsize, unsigned int keysize,
		       unsigned int ptrsize)
{
	mxr[0] = xfs_btree_maxrecs(blocklen, hdrlen, recsize);
	mxr[1] = xfs_btree_maxkeys(blocklen, hdrlen, keysize, ptrsize);
	mnr[0] = mxr[0] / 2;
	mnr[1] = mxr[1] / 2;
}

static void da_geometry(struct xfs_da_geometry *geo, unsigned int blocklog,
			unsigned int extralog, bool dir)
{
	memset(geo, 0, sizeof(*geo));
	geo->fsblog = (uint8_t)blocklog;
	geo->blklog = (uint8_t)(blocklog + extralog);
	geo->blksize = 1U << geo->blklog;
	geo->fsbcount = 1U << extralog;
	geo->node_hdr_size = sizeof(struct xfs_da3_node_hdr);
	geo->node_ents = xfs_da3_node_maxents(geo->blksize);
	geo->magicpct = (geo->blksize * 37) / 100;
	if (dir) {
		geo->leaf_hdr_size = sizeof(struct xfs_dir3_leaf_hdr);
		geo->free_hdr_size = sizeof(struct xfs_dir3_free_hdr);
		geo->data_entry_offset = XFS_DIR3_DATA_ENTRY_OFFSET;
		geo->leaf_max_ents = xfs_dir3_leafn_maxents(geo->blksize);
		geo->free_max_bests = xfs_dir3_free_max_bests(geo->blksize);
		geo->datablk = 0;
		geo->leafblk = (uint32_t)xfs_dir2_db_to_da(extralog,
				xfs_dir2_leaf_firstdb(geo->blklog));
		geo->freeblk = (uint32_t)xfs_dir2_db_to_da(extralog,
				xfs_dir2_free_firstdb(geo->blklog));
	} else {
		geo->leaf_hdr_size = sizeof(struct xfs_attr3_leaf_hdr);
	}
}

int libxfs_mount_geometry(struct xfs_mount *mp)
{
	const struct xfs_sb *sb = &mp->m_sb;
	unsigned int bs = sb->sb_blocksize, raw, sz;
	uint64_t agblocks = sb->sb_agblocks;

	// The minimum the shifts below need to be defined behaviour.
	if (sb->sb_blocklog < XFS_MIN_BLOCKSIZE_LOG ||
	    sb->sb_blocklog > XFS_MAX_BLOCKSIZE_LOG ||
	    bs != (1U << sb->sb_blocklog) ||
	    sb->sb_sectlog < XFS_MIN_SECTORSIZE_LOG ||
	    sb->sb_sectlog > sb->sb_blocklog ||
	    sb->sb_inodelog < XFS_DINODE_MIN_LOG ||
	    sb->sb_inodelog > sb->sb_blocklog ||
	    sb->sb_inodesize != (1U << sb->sb_inodelog) ||
	    sb->sb_inopblog != sb->sb_blocklog - sb->sb_inodelog ||
	    sb->sb_agcount == 0 || sb->sb_agblocks < XFS_MIN_AG_BLOCKS ||
	    sb->sb_agblklog != log2_roundup(sb->sb_agblocks) ||
	    sb->sb_agblklog + sb->sb_inopblog > 32 ||
	    sb->sb_blocklog + sb->sb_dirblklog > XFS_MAX_BLOCKSIZE_LOG ||
	    sb->sb_dblocks == 0 ||
	    sb->sb_dblocks > (uint64_t)sb->sb_agcount * agblocks ||
	    sb->sb_dblocks <= (uint64_t)(sb->sb_agcount - 1) * agblocks) {
		return -EFSCORRUPTED;
	}
	mp->m_features = libxfs_sb_features(sb);
	if (xfs_has_metauuid(mp)) {
		memcpy(mp->m_meta_uuid, sb->sb_meta_uuid, XFS_UUID_SIZE);
	} else {
		memcpy(mp->m_meta_uuid, sb->sb_uuid, XFS_UUID_SIZE);
	}

	mp->m_blockmask = bs - 1;
	mp->m_blkbb_log = sb->sb_blocklog - BBSHIFT;
	mp->m_sectbb_log = sb->sb_sectlog - BBSHIFT;
	mp->m_agno_log = log2_roundup(sb->sb_agcount);
	mp->m_agino_log = sb->sb_agblklog + sb->sb_inopblog;
	mp->m_lastag_blocks = (uint32_t)(sb->sb_dblocks -
				(uint64_t)(sb->sb_agcount - 1) * agblocks);
	mp->m_agfl_size = xfs_agfl_size(sb->sb_sectsize);
	if (sb->sb_logstart) {
		mp->m_log_daddr = xfs_mp_fsb_to_daddr(mp, sb->sb_logstart);
	} else {
		mp->m_log_daddr = 0;	/* start of the external device */
	}
	mp->m_log_bbs = (uint64_t)sb->sb_logblocks << mp->m_blkbb_log;

	// Inode clusters: 8 KiB of 256-byte inodes, scaled with inode size
	// when chunk alignment allows it.
	mp->m_inodes_per_block = sb->sb_inopblock;
	raw = 8192;
	sz = raw / 256 * sb->sb_inodesize;
	if (sb->sb_inoalignmt >= (sz >> sb->sb_blocklog)) {
		raw = sz;
	}
	mp->m_blocks_per_cluster = raw >> sb->sb_blocklog;
	if (mp->m_blocks_per_cluster == 0) {
		mp->m_blocks_per_cluster = 1;
	}
	mp->m_inode_cluster_size = mp->m_blocks_per_cluster << sb->sb_blocklog;
	mp->m_inodes_per_cluster = mp->m_blocks_per_cluster << sb->sb_inopblog;
	if (xfs_has_align(mp) &&
	    sb->sb_inoalignmt >= mp->m_blocks_per_cluster) {
		mp->m_cluster_align = sb->sb_inoalignmt;
		mp->m_inoalign_mask = sb->sb_inoalignmt - 1;
	} else {
		mp->m_cluster_align = 1;
		mp->m_inoalign_mask = 0;
	}
	mp->m_ialloc_blks = (XFS_INODES_PER_CHUNK > sb->sb_inopblock ?
			     XFS_INODES_PER_CHUNK : sb->sb_inopblock) >>
			    sb->sb_inopblog;
	mp->m_ialloc_min_blks = xfs_has_sparseinodes(mp) && sb->sb_spino_align ?
				sb->sb_spino_align : mp->m_ialloc_blks;
	mp->m_litino = sb->sb_inodesize - XFS_DINODE_CORE_V3_SIZE;
	if (sb->sb_imax_pct) {
		uint64_t blocks = sb->sb_dblocks * sb->sb_imax_pct / 100;

		blocks -= blocks % mp->m_ialloc_blks;
		mp->m_maxicount = blocks << sb->sb_inopblog;
	} else {
		mp->m_maxicount = 0;
	}

	da_geometry(&mp->m_dir_geo, sb->sb_blocklog, sb->sb_dirblklog, true);
	da_geometry(&mp->m_attr_geo, sb->sb_blocklog, 0, false);

	set_limits(mp->m_alloc_mxr, mp->m_alloc_mnr, bs,
		   XFS_BTREE_SBLOCK_CRC_LEN, sizeof(struct xfs_alloc_rec),
		   sizeof(xfs_alloc_key_t), sizeof(xfs_alloc_ptr_t));
	set_limits(mp->m_inobt_mxr, mp->m_inobt_mnr, bs,
		   XFS_BTREE_SBLOCK_CRC_LEN, sizeof(struct xfs_inobt_rec),
		   sizeof(struct xfs_inobt_key), sizeof(xfs_inobt_ptr_t));
	set_limits(mp->m_rmap_mxr, mp->m_rmap_mnr, bs,
		   XFS_BTREE_SBLOCK_CRC_LEN, sizeof(struct xfs_rmap_rec),
		   2 * sizeof(struct xfs_rmap_key), sizeof(xfs_rmap_ptr_t));
	set_limits(mp->m_refc_mxr, mp->m_refc_mnr, bs,
		   XFS_BTREE_SBLOCK_CRC_LEN, sizeof(struct xfs_refcount_rec),
		   sizeof(struct xfs_refcount_key), sizeof(xfs_refcount_ptr_t));
	set_limits(mp->m_bmap_dmxr, mp->m_bmap_dmnr, bs,
		   XFS_BTREE_LBLOCK_CRC_LEN, sizeof(struct xfs_bmbt_rec),
		   sizeof(struct xfs_bmbt_key), sizeof(xfs_bmbt_ptr_t));

	// Free space: at most one record per two blocks (extents are
	// separated by at least one used block).
	mp->m_ag_maxlevels = btree_maxlevels(mp->m_alloc_mnr,
					     (agblocks + 1) / 2);
	mp->m_in_maxlevels = btree_maxlevels(mp->m_inobt_mnr,
			(1ULL << mp->m_agino_log) / XFS_INODES_PER_CHUNK);
	if (xfs_has_reflink(mp)) {
		mp->m_rmap_maxlevels = btree_space_to_height(mp->m_rmap_mnr,
							     agblocks);
	} else {
		mp->m_rmap_maxlevels = btree_maxlevels(mp->m_rmap_mnr,
						       agblocks);
	}
	mp->m_refc_maxlevels = btree_maxlevels(mp->m_refc_mnr, agblocks);
	mp->m_bm_maxlevels[XFS_DATA_FORK] = bmap_maxlevels(mp, XFS_DATA_FORK);
	mp->m_bm_maxlevels[XFS_ATTR_FORK] = bmap_maxlevels(mp, XFS_ATTR_FORK);
	return 0;
}

/* ---- AG and address helpers ---- */

uint32_t libxfs_ag_block_count(const struct xfs_mount *mp, uint32_t agno)
{
	if (agno >= mp->m_sb.sb_agcount) {
		return 0;
	}
	if (agno == mp->m_sb.sb_agcount - 1) {
		return mp->m_lastag_blocks;
	}
	return mp->m_sb.sb_agblocks;
}

uint64_t libxfs_ag_daddr(const struct xfs_mount *mp, uint32_t agno,
			 unsigned int sector)
{
	return xfs_ag_hdr_daddr(mp->m_sb.sb_blocklog, mp->m_sb.sb_sectlog,
				mp->m_sb.sb_agblocks, agno, sector);
}

bool libxfs_verify_agno(const struct xfs_mount *mp, uint32_t agno)
{
	return agno < mp->m_sb.sb_agcount;
}

bool libxfs_verify_agbno(const struct xfs_mount *mp, uint32_t agno,
			 uint32_t agbno)
{
	// Block 0..3 sectors hold the AG headers; anything past them is fair.
	return agbno < libxfs_ag_block_count(mp, agno) &&
	       agbno >= xfs_ag_hdr_agbno(mp->m_sb.sb_blocklog,
					 mp->m_sb.sb_sectlog,
					 XFS_AGFL_SECTOR) + 1;
}

bool libxfs_verify_fsbno(const struct xfs_mount *mp, uint64_t fsbno)
{
	uint64_t agno = fsbno >> mp->m_sb.sb_agblklog;

	if (agno >= mp->m_sb.sb_agcount) {
		return false;
	}
	return libxfs_verify_agbno(mp, (uint32_t)agno,
			xfs_fsbno_to_agbno(mp->m_sb.sb_agblklog, fsbno));
}

bool libxfs_verify_agino(const struct xfs_mount *mp, uint32_t agno,
			 uint32_t agino)
{
	uint32_t agbno, aglen;

	if (agno >= mp->m_sb.sb_agcount) {
		return false;
	}
	if (mp->m_agino_log < 32 && (agino >> mp->m_agino_log) != 0) {
		return false;
	}
	agbno = xfs_agino_to_agbno(mp->m_sb.sb_inopblog, agino);
	aglen = libxfs_ag_block_count(mp, agno);
	// Inode chunks never overlap the AG headers and stay in the AG.
	return agbno < aglen &&
	       agbno >= xfs_ag_hdr_agbno(mp->m_sb.sb_blocklog,
					 mp->m_sb.sb_sectlog,
					 XFS_AGFL_SECTOR) + 1;
}

bool libxfs_verify_ino(const struct xfs_mount *mp, uint64_t ino)
{
	uint64_t agno;

	if (mp->m_agino_log >= 64) {
		return false;
	}
	agno = ino >> mp->m_agino_log;
	if (agno >= mp->m_sb.sb_agcount) {
		return false;
	}
	return libxfs_verify_agino(mp, (uint32_t)agno,
			(uint32_t)(ino & ((1ULL << mp->m_agino_log) - 1)));
}
