/*
 * mkfs/sb.c: the superblock a geometry describes.  The writer stage
 * stamps this (with the counters it computes while formatting: icount,
 * ifree, fdblocks, frextents) into every AG; keeping the translation here
 * means the summary and the disk image are derived from the same struct.
 */
#include <string.h>

#include "mkfs/mkfs.h"

/* Version bits every filesystem mkfs makes carries. */
#define DFL_VERSION_BITS (XFS_SB_VERSION_NLINKBIT | XFS_SB_VERSION_EXTFLGBIT | \
			  XFS_SB_VERSION_DIRV2BIT)

static void set_features(const struct mkfs_geometry *g, struct xfs_sb *sb)
{
	const struct mkfs_features *f = &g->feat;

	sb->sb_versionnum = DFL_VERSION_BITS |
		(f->crc ? XFS_SB_VERSION_5 : XFS_SB_VERSION_4);
	if (f->inode_align) {
		sb->sb_versionnum |= XFS_SB_VERSION_ALIGNBIT;
	}
	if (g->dsunit) {
		sb->sb_versionnum |= XFS_SB_VERSION_DALIGNBIT;
	}
	if (f->log_version == 2) {
		sb->sb_versionnum |= XFS_SB_VERSION_LOGV2BIT;
	}
	if (f->attr_version == 1) {
		sb->sb_versionnum |= XFS_SB_VERSION_ATTRBIT;
	}
	if (f->nci) {
		sb->sb_versionnum |= XFS_SB_VERSION_BORGBIT;
	}
	if (g->sectorsize > BBSIZE || g->lsectorsize > BBSIZE) {
		sb->sb_versionnum |= XFS_SB_VERSION_SECTORBIT;
		sb->sb_logsectlog = (uint8_t)g->lsectorlog;
		sb->sb_logsectsize = (uint16_t)g->lsectorsize;
	}

	if (f->lazy_sb_counters) {
		sb->sb_features2 |= XFS_SB_VERSION2_LAZYSBCOUNTBIT;
	}
	if (f->projid32bit) {
		sb->sb_features2 |= XFS_SB_VERSION2_PROJID32BIT;
	}
	if (f->crc) {
		sb->sb_features2 |= XFS_SB_VERSION2_CRCBIT;
	}
	if (f->attr_version == 2) {
		sb->sb_features2 |= XFS_SB_VERSION2_ATTR2BIT;
	}
	// V5 has its own incompat bit for the directory file type.
	if (f->dirftype && !f->crc) {
		sb->sb_features2 |= XFS_SB_VERSION2_FTYPE;
	}
	if (sb->sb_features2) {
		sb->sb_versionnum |= XFS_SB_VERSION_MOREBITSBIT;
	}
	// Old kernels read features2 from a misaligned slot: fill both.
	sb->sb_bad_features2 = sb->sb_features2;

	if (!f->crc) {
		return;
	}
	sb->sb_features_incompat = XFS_SB_FEAT_INCOMPAT_FTYPE;
	if (f->finobt) {
		sb->sb_features_ro_compat |= XFS_SB_FEAT_RO_COMPAT_FINOBT;
	}
	if (f->rmapbt) {
		sb->sb_features_ro_compat |= XFS_SB_FEAT_RO_COMPAT_RMAPBT;
	}
	if (f->reflink) {
		sb->sb_features_ro_compat |= XFS_SB_FEAT_RO_COMPAT_REFLINK;
	}
	if (f->inobtcnt) {
		sb->sb_features_ro_compat |= XFS_SB_FEAT_RO_COMPAT_INOBTCNT;
	}
	if (f->bigtime) {
		sb->sb_features_incompat |= XFS_SB_FEAT_INCOMPAT_BIGTIME;
	}
	if (f->spinodes) {
		sb->sb_features_incompat |= XFS_SB_FEAT_INCOMPAT_SPINODES;
	}
	if (f->nrext64) {
		sb->sb_features_incompat |= XFS_SB_FEAT_INCOMPAT_NREXT64;
	}
}

void geometry_to_sb(const struct mkfs_geometry *g, struct xfs_sb *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->sb_magicnum = XFS_SB_MAGIC;
	sb->sb_blocksize = g->blocksize;
	sb->sb_dblocks = g->dblocks;
	sb->sb_rblocks = g->rtblocks;
	sb->sb_rextents = g->rtextents;
	memcpy(sb->sb_uuid, g->uuid, XFS_UUID_SIZE);
	sb->sb_logstart = g->logstart;
	sb->sb_rootino = g->rootino;
	sb->sb_rbmino = g->rootino + 1;
	sb->sb_rsumino = g->rootino + 2;
	sb->sb_rextsize = (uint32_t)g->rtextblocks;
	sb->sb_agblocks = (uint32_t)g->agsize;
	sb->sb_agcount = (uint32_t)g->agcount;
	sb->sb_rbmblocks = (uint32_t)g->rtbmblocks;
	sb->sb_logblocks = (uint32_t)g->logblocks;
	sb->sb_sectsize = (uint16_t)g->sectorsize;
	sb->sb_inodesize = (uint16_t)g->inodesize;
	sb->sb_inopblock = (uint16_t)g->inopblock;
	memcpy(sb->sb_fname, g->label, XFSLABEL_MAX);
	sb->sb_blocklog = (uint8_t)g->blocklog;
	sb->sb_sectlog = (uint8_t)g->sectorlog;
	sb->sb_inodelog = (uint8_t)g->inodelog;
	sb->sb_inopblog = (uint8_t)g->inopblog;
	sb->sb_agblklog = (uint8_t)g->agblklog;
	sb->sb_rextslog = (uint8_t)(g->rtextents ?
				    mkfs_highbit64(g->rtextents) : 0);
	sb->sb_imax_pct = (uint8_t)g->imaxpct;
	sb->sb_inoalignmt = g->inoalignmt;
	sb->sb_unit = g->dsunit;
	sb->sb_width = g->dswidth;
	sb->sb_dirblklog = (uint8_t)(g->dirblocklog - g->blocklog);
	if (g->feat.log_version == 2) {
		sb->sb_logsunit = g->lsunit ? g->lsunit << g->blocklog : 1;
	}
	sb->sb_spino_align = g->spino_align;
	set_features(g, sb);
}
