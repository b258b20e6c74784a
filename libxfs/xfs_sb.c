/*
 * xfs_sb.c: the superblock -- decoding and encoding between the on-disk
 * struct xfs_dsb and the host struct xfs_sb, the sanity rules a
 * superblock must satisfy, the feature bits it implies, and its buffer
 * verifier.  Geometry derived from a valid superblock is computed in
 * xfs_geometry.c.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"

void libxfs_sb_from_disk(struct xfs_sb *to, const void *disk)
{
	const struct xfs_dsb *from = disk;

	to->sb_magicnum = be32_to_cpu(from->sb_magicnum);
	to->sb_blocksize = be32_to_cpu(from->sb_blocksize);
	to->sb_dblocks = be64_to_cpu(from->sb_dblocks);
	to->sb_rblocks = be64_to_cpu(from->sb_rblocks);
	to->sb_rextents = be64_to_cpu(from->sb_rextents);
	memcpy(to->sb_uuid, from->sb_uuid, sizeof(to->sb_uuid));
	to->sb_logstart = be64_to_cpu(from->sb_logstart);
	to->sb_rootino = be64_to_cpu(from->sb_rootino);
	to->sb_rbmino = be64_to_cpu(from->sb_rbmino);
	to->sb_rsumino = be64_to_cpu(from->sb_rsumino);
	to->sb_rextsize = be32_to_cpu(from->sb_rextsize);
	to->sb_agblocks = be32_to_cpu(from->sb_agblocks);
	to->sb_agcount = be32_to_cpu(from->sb_agcount);
	to->sb_rbmblocks = be32_to_cpu(from->sb_rbmblocks);
	to->sb_logblocks = be32_to_cpu(from->sb_logblocks);
	to->sb_versionnum = be16_to_cpu(from->sb_versionnum);
	to->sb_sectsize = be16_to_cpu(from->sb_sectsize);
	to->sb_inodesize = be16_to_cpu(from->sb_inodesize);
	to->sb_inopblock = be16_to_cpu(from->sb_inopblock);
	memcpy(to->sb_fname, from->sb_fname, sizeof(to->sb_fname));
	to->sb_blocklog = from->sb_blocklog;
	to->sb_sectlog = from->sb_sectlog;
	to->sb_inodelog = from->sb_inodelog;
	to->sb_inopblog = from->sb_inopblog;
	to->sb_agblklog = from->sb_agblklog;
	to->sb_rextslog = from->sb_rextslog;
	to->sb_inprogress = from->sb_inprogress;
	to->sb_imax_pct = from->sb_imax_pct;
	to->sb_icount = be64_to_cpu(from->sb_icount);
	to->sb_ifree = be64_to_cpu(from->sb_ifree);
	to->sb_fdblocks = be64_to_cpu(from->sb_fdblocks);
	to->sb_frextents = be64_to_cpu(from->sb_frextents);
	to->sb_uquotino = be64_to_cpu(from->sb_uquotino);
	to->sb_gquotino = be64_to_cpu(from->sb_gquotino);
	to->sb_qflags = be16_to_cpu(from->sb_qflags);
	to->sb_flags = from->sb_flags;
	to->sb_shared_vn = from->sb_shared_vn;
	to->sb_inoalignmt = be32_to_cpu(from->sb_inoalignmt);
	to->sb_unit = be32_to_cpu(from->sb_unit);
	to->sb_width = be32_to_cpu(from->sb_width);
	to->sb_dirblklog = from->sb_dirblklog;
	to->sb_logsectlog = from->sb_logsectlog;
	to->sb_logsectsize = be16_to_cpu(from->sb_logsectsize);
	to->sb_logsunit = be32_to_cpu(from->sb_logsunit);
	to->sb_features2 = be32_to_cpu(from->sb_features2);
	to->sb_bad_features2 = be32_to_cpu(from->sb_bad_features2);
	to->sb_features_compat = be32_to_cpu(from->sb_features_compat);
	to->sb_features_ro_compat = be32_to_cpu(from->sb_features_ro_compat);
	to->sb_features_incompat = be32_to_cpu(from->sb_features_incompat);
	to->sb_features_log_incompat =
		be32_to_cpu(from->sb_features_log_incompat);
	to->sb_crc = le32_to_cpu(from->sb_crc);
	to->sb_spino_align = be32_to_cpu(from->sb_spino_align);
	to->sb_pquotino = be64_to_cpu(from->sb_pquotino);
	to->sb_lsn = be64_to_cpu(from->sb_lsn);
	memcpy(to->sb_meta_uuid, from->sb_meta_uuid, sizeof(to->sb_meta_uuid));
}

void libxfs_sb_to_disk(void *disk, const struct xfs_sb *from)
{
	struct xfs_dsb *to = disk;

	to->sb_magicnum = cpu_to_be32(from->sb_magicnum);
	to->sb_blocksize = cpu_to_be32(from->sb_blocksize);
	to->sb_dblocks = cpu_to_be64(from->sb_dblocks);
	to->sb_rblocks = cpu_to_be64(from->sb_rblocks);
	to->sb_rextents = cpu_to_be64(from->sb_rextents);
	memcpy(to->sb_uuid, from->sb_uuid, sizeof(to->sb_uuid));
	to->sb_logstart = cpu_to_be64(from->sb_logstart);
	to->sb_rootino = cpu_to_be64(from->sb_rootino);
	to->sb_rbmino = cpu_to_be64(from->sb_rbmino);
	to->sb_rsumino = cpu_to_be64(from->sb_rsumino);
	to->sb_rextsize = cpu_to_be32(from->sb_rextsize);
	to->sb_agblocks = cpu_to_be32(from->sb_agblocks);
	to->sb_agcount = cpu_to_be32(from->sb_agcount);
	to->sb_rbmblocks = cpu_to_be32(from->sb_rbmblocks);
	to->sb_logblocks = cpu_to_be32(from->sb_logblocks);
	to->sb_versionnum = cpu_to_be16(from->sb_versionnum);
	to->sb_sectsize = cpu_to_be16(from->sb_sectsize);
	to->sb_inodesize = cpu_to_be16(from->sb_inodesize);
	to->sb_inopblock = cpu_to_be16(from->sb_inopblock);
	memcpy(to->sb_fname, from->sb_fname, sizeof(to->sb_fname));
	to->sb_blocklog = from->sb_blocklog;
	to->sb_sectlog = from->sb_sectlog;
	to->sb_inodelog = from->sb_inodelog;
	to->sb_inopblog = from->sb_inopblog;
	to->sb_agblklog = from->sb_agblklog;
	to->sb_rextslog = from->sb_rextslog;
	to->sb_inprogress = from->sb_inprogress;
	to->sb_imax_pct = from->sb_imax_pct;
	to->sb_icount = cpu_to_be64(from->sb_icount);
	to->sb_ifree = cpu_to_be64(from->sb_ifree);
	to->sb_fdblocks = cpu_to_be64(from->sb_fdblocks);
	to->sb_frextents = cpu_to_be64(from->sb_frextents);
	to->sb_uquotino = cpu_to_be64(from->sb_uquotino);
	to->sb_gquotino = cpu_to_be64(from->sb_gquotino);
	to->sb_qflags = cpu_to_be16(from->sb_qflags);
	to->sb_flags = from->sb_flags;
	to->sb_shared_vn = from->sb_shared_vn;
	to->sb_inoalignmt = cpu_to_be32(from->sb_inoalignmt);
	to->sb_unit = cpu_to_be32(from->sb_unit);
	to->sb_width = cpu_to_be32(from->sb_width);
	to->sb_dirblklog = from->sb_dirblklog;
	to->sb_logsectlog = from->sb_logsectlog;
	to->sb_logsectsize = cpu_to_be16(from->sb_logsectsize);
	to->sb_logsunit = cpu_to_be32(from->sb_logsunit);
	to->sb_features2 = cpu_to_be32(from->sb_features2);
	to->sb_bad_features2 = cpu_to_be32(from->sb_bad_features2);
	to->sb_features_compat = cpu_to_be32(from->sb_features_compat);
	to->sb_features_ro_compat = cpu_to_be32(from->sb_features_ro_compat);
	to->sb_features_incompat = cpu_to_be32(from->sb_features_incompat);
	to->sb_features_log_incompat =
		cpu_to_be32(from->sb_features_log_incompat);
	to->sb_crc = cpu_to_le32(from->sb_crc);
	to->sb_spino_align = cpu_to_be32(from->sb_spino_align);
	to->sb_pquotino = cpu_to_be64(from->sb_pquotino);
	to->sb_lsn = cpu_to_be64(from->sb_lsn);
	memcpy(to->sb_meta_uuid, from->sb_meta_uuid, sizeof(to->sb_meta_uuid));
}

uint64_t libxfs_sb_features(const struct xfs_sb *sb)
{
	static const struct {
		uint16_t bit;
		uint64_t feat;
	} vbits[] = {
		{ XFS_SB_VERSION_ATTRBIT,	XFS_FEAT_ATTR },
		{ XFS_SB_VERSION_NLINKBIT,	XFS_FEAT_NLINK },
		{ XFS_SB_VERSION_QUOTABIT,	XFS_FEAT_QUOTA },
		{ XFS_SB_VERSION_ALIGNBIT,	XFS_FEAT_ALIGN },
		{ XFS_SB_VERSION_DALIGNBIT,	XFS_FEAT_DALIGN },
		{ XFS_SB_VERSION_LOGV2BIT,	XFS_FEAT_LOGV2 },
		{ XFS_SB_VERSION_SECTORBIT,	XFS_FEAT_SECTOR },
		{ XFS_SB_VERSION_EXTFLGBIT,	XFS_FEAT_EXTFLG },
		{ XFS_SB_VERSION_BORGBIT,	XFS_FEAT_ASCIICI },
	};
	static const struct {
		uint32_t bit;
		uint64_t feat;
	} f2bits[] = {
		{ XFS_SB_VERSION2_LAZYSBCOUNTBIT, XFS_FEAT_LAZYSBCOUNT },
		{ XFS_SB_VERSION2_ATTR2BIT,	XFS_FEAT_ATTR2 },
		{ XFS_SB_VERSION2_PARENTBIT,	XFS_FEAT_PARENT },
		{ XFS_SB_VERSION2_PROJID32BIT,	XFS_FEAT_PROJID32 },
		{ XFS_SB_VERSION2_CRCBIT,	XFS_FEAT_CRC },
		{ XFS_SB_VERSION2_FTYPE,	XFS_FEAT_FTYPE },
	}, robits[] = {
		{ XFS_SB_FEAT_RO_COMPAT_FINOBT,	XFS_FEAT_FINOBT },
		{ XFS_SB_FEAT_RO_COMPAT_RMAPBT,	XFS_FEAT_RMAPBT },
		{ XFS_SB_FEAT_RO_COMPAT_REFLINK, XFS_FEAT_REFLINK },
		{ XFS_SB_FEAT_RO_COMPAT_INOBTCNT, XFS_FEAT_INOBTCNT },
	}, incbits[] = {
		{ XFS_SB_FEAT_INCOMPAT_FTYPE,	XFS_FEAT_FTYPE },
		{ XFS_SB_FEAT_INCOMPAT_SPINODES, XFS_FEAT_SPINODES },
		{ XFS_SB_FEAT_INCOMPAT_META_UUID, XFS_FEAT_META_UUID },
		{ XFS_SB_FEAT_INCOMPAT_BIGTIME,	XFS_FEAT_BIGTIME },
		{ XFS_SB_FEAT_INCOMPAT_NEEDSREPAIR, XFS_FEAT_NEEDSREPAIR },
		{ XFS_SB_FEAT_INCOMPAT_NREXT64,	XFS_FEAT_NREXT64 },
	};
	uint64_t f = 0;
	size_t i;

	for (i = 0; i < sizeof(vbits) / sizeof(vbits[0]); i++) {
		if (sb->sb_versionnum & vbits[i].bit) {
			f |= vbits[i].feat;
		}
	}
	if (sb->sb_versionnum & XFS_SB_VERSION_MOREBITSBIT) {
		for (i = 0; i < sizeof(f2bits) / sizeof(f2bits[0]); i++) {
			if (sb->sb_features2 & f2bits[i].bit) {
				f |= f2bits[i].feat;
			}
		}
	}
	if ((sb->sb_versionnum & XFS_SB_VERSION_NUMBITS) == XFS_SB_VERSION_5) {
		// V5 makes these mandatory whatever the older words say.
		f |= XFS_FEAT_CRC | XFS_FEAT_V3INODES | XFS_FEAT_LAZYSBCOUNT |
		     XFS_FEAT_ATTR2 | XFS_FEAT_PROJID32 | XFS_FEAT_LOGV2 |
		     XFS_FEAT_EXTFLG | XFS_FEAT_ALIGN | XFS_FEAT_NLINK;
		for (i = 0; i < sizeof(robits) / sizeof(robits[0]); i++) {
			if (sb->sb_features_ro_compat & robits[i].bit) {
				f |= robits[i].feat;
			}
		}
		for (i = 0; i < sizeof(incbits) / sizeof(incbits[0]); i++) {
			if (sb->sb_features_incompat & incbits[i].bit) {
				f |= incbits[i].feat;
			}
		}
		if (sb->sb_features_log_incompat &
		    XFS_SB_FEAT_INCOMPAT_LOG_XATTRS) {
			f |= XFS_FEAT_LOG_XATTRS;
		}
	}
	if (sb->sb_rblocks) {
		f |= XFS_FEAT_REALTIME;
	}
	if (sb->sb_logstart == 0) {
		f |= XFS_FEAT_EXTLOG;
	}
	return f;
}

/* log2 of v rounded up (v >= 1). */
static unsigned int log2_roundup(uint64_t v)
{
	unsigned int l = 0;

	while (l < 64 && (1ULL << l) < v) {
		l++;
	}
	return l;
}

#define SB_BAD(why)	do { *reason = (why); return -EFSCORRUPTED; } while (0)

/* Basic sizes: everything else is computed from these. */
static int sb_validate_sizes(const struct xfs_sb *sb, const char **reason)
{
	// Every log is range-checked before anything is shifted by it.
	if (sb->sb_sectlog < XFS_MIN_SECTORSIZE_LOG ||
	    sb->sb_sectlog > XFS_MAX_SECTORSIZE_LOG ||
	    (1U << sb->sb_sectlog) != sb->sb_sectsize) {
		SB_BAD("bad sector size");
	}
	if (sb->sb_blocklog < XFS_MIN_BLOCKSIZE_LOG ||
	    sb->sb_blocklog > XFS_MAX_BLOCKSIZE_LOG ||
	    (1U << sb->sb_blocklog) != sb->sb_blocksize) {
		SB_BAD("bad block size");
	}
	if (sb->sb_blocksize < sb->sb_sectsize) {
		SB_BAD("block size smaller than sector size");
	}
	if (sb->sb_inodelog < XFS_DINODE_MIN_LOG ||
	    sb->sb_inodelog > XFS_DINODE_MAX_LOG ||
	    (1U << sb->sb_inodelog) != sb->sb_inodesize ||
	    sb->sb_inodesize > sb->sb_blocksize) {
		SB_BAD("bad inode size");
	}
	if (sb->sb_inopblog != sb->sb_blocklog - sb->sb_inodelog ||
	    sb->sb_inopblock != sb->sb_blocksize / sb->sb_inodesize) {
		SB_BAD("bad inodes per block");
	}
	if (sb->sb_agcount == 0) {
		SB_BAD("zero AG count");
	}
	if (sb->sb_agblocks < XFS_MIN_AG_BLOCKS ||
	    sb->sb_agblocks > ((1ULL << 40) >> sb->sb_blocklog)) {
		SB_BAD("bad AG size");
	}
	if (sb->sb_agblklog != log2_roundup(sb->sb_agblocks) ||
	    sb->sb_agblklog + sb->sb_inopblog > 32) {
		SB_BAD("bad agblklog");
	}
	if (sb->sb_blocklog + sb->sb_dirblklog > XFS_MAX_BLOCKSIZE_LOG) {
		SB_BAD("directory block too large");
	}
	return 0;
}

int libxfs_sb_validate(const struct xfs_sb *sb, const char **reason)
{
	uint64_t agcount = sb->sb_agcount, agblocks = sb->sb_agblocks;
	int error;

	if (sb->sb_magicnum != XFS_SB_MAGIC) {
		SB_BAD("bad magic number");
	}
	if ((sb->sb_versionnum & XFS_SB_VERSION_NUMBITS) != XFS_SB_VERSION_5) {
		SB_BAD("not a V5 superblock");
	}
	if (sb->sb_features_incompat & ~XFS_SB_FEAT_INCOMPAT_ALL) {
		SB_BAD("unknown incompatible features");
	}
	error = sb_validate_sizes(sb, reason);
	if (error) {
		return error;
	}
	if (sb->sb_dblocks > agcount * agblocks ||
	    sb->sb_dblocks < (agcount - 1) * agblocks + XFS_MIN_AG_BLOCKS) {
		SB_BAD("data size does not match AG geometry");
	}
	if (sb->sb_imax_pct > 100) {
		SB_BAD("bad imax_pct");
	}
	if (sb->sb_shared_vn != 0) {
		SB_BAD("shared_vn set");
	}
	if (sb->sb_rextsize == 0 ||
	    (uint64_t)sb->sb_rextsize * sb->sb_blocksize > (1ULL << 30)) {
		SB_BAD("bad realtime extent size");
	}
	if (sb->sb_rblocks == 0 &&
	    (sb->sb_rextents || sb->sb_rbmblocks || sb->sb_rextslog)) {
		SB_BAD("realtime geometry without realtime blocks");
	}
	if (sb->sb_logblocks == 0 ||
	    (uint64_t)sb->sb_logblocks * sb->sb_blocksize > (1ULL << 31)) {
		SB_BAD("bad log size");
	}
	if (sb->sb_logstart != 0) {
		uint64_t agno = sb->sb_logstart >> sb->sb_agblklog;
		uint64_t agbno = sb->sb_logstart &
				 ((1ULL << sb->sb_agblklog) - 1);

		if (agno >= agcount || agbno + sb->sb_logblocks > agblocks ||
		    agno * agblocks + agbno + sb->sb_logblocks >
		    sb->sb_dblocks) {
			SB_BAD("internal log outside its AG");
		}
	}
	if ((sb->sb_logsectsize != 0 || sb->sb_logsectlog != 0) &&
	    (sb->sb_logsectlog < XFS_MIN_SECTORSIZE_LOG ||
	     sb->sb_logsectlog > XFS_MAX_SECTORSIZE_LOG ||
	     (1U << sb->sb_logsectlog) != sb->sb_logsectsize)) {
		SB_BAD("bad log sector size");
	}
	if (sb->sb_logsunit > 1 &&
	    (sb->sb_logsunit % BBSIZE || sb->sb_logsunit > 256 * 1024)) {
		SB_BAD("bad log stripe unit");
	}
	if ((sb->sb_unit == 0) != (sb->sb_width == 0) ||
	    (sb->sb_unit && sb->sb_width % sb->sb_unit)) {
		SB_BAD("bad stripe geometry");
	}
	// (An inode chunk smaller than a block has no alignment: 0.)
	if (sb->sb_inoalignmt > sb->sb_agblocks) {
		SB_BAD("inode alignment larger than an AG");
	}
	if (sb->sb_features_incompat & XFS_SB_FEAT_INCOMPAT_SPINODES) {
		// Sparse chunks are allocated one inode cluster at a time.
		uint64_t cluster = 8192ULL * sb->sb_inodesize / 256;
		uint64_t want = cluster >> sb->sb_blocklog;

		if (sb->sb_inoalignmt == 0) {
			if (sb->sb_spino_align != 0) {
				SB_BAD("bad sparse inode alignment");
			}
		} else if (sb->sb_spino_align != (want ? want : 1) ||
			   sb->sb_spino_align > sb->sb_inoalignmt) {
			SB_BAD("bad sparse inode alignment");
		}
	}
	if (sb->sb_qflags & (XFS_OQUOTA_ENFD | XFS_OQUOTA_CHKD)) {
		SB_BAD("V4 quota flags on a V5 superblock");
	}
	return 0;
}

/* ---- buffer verifier ---- */

static int sb_verify(struct xfs_buf *bp, bool check_crc)
{
	const struct xfs_dsb *dsb = bp->b_addr;
	struct xfs_sb sb;
	const char *reason = NULL;
	bool v5;

	if (BBTOB(bp->b_length) < sizeof(struct xfs_dsb)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	if (be32_to_cpu(dsb->sb_magicnum) != XFS_SB_MAGIC) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic number");
	}
	// As the reference does: once the magic says "superblock", a V5
	// version or a non-zero CRC field means the CRC is checked first.
	v5 = (be16_to_cpu(dsb->sb_versionnum) & XFS_SB_VERSION_NUMBITS) ==
	     XFS_SB_VERSION_5;
	if (check_crc && (v5 || dsb->sb_crc != 0) &&
	    !xfs_buf_verify_cksum(bp, XFS_SB_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (!v5) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "not a V5 superblock");
	}
	libxfs_sb_from_disk(&sb, dsb);
	if (libxfs_sb_validate(&sb, &reason)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, reason);
	}
	return 0;
}

static int xfs_sb_read_verify(struct xfs_buf *bp)
{
	return sb_verify(bp, true);
}

static int xfs_sb_write_verify(struct xfs_buf *bp)
{
	int error = sb_verify(bp, false);

	if (error) {
		return error;
	}
	xfs_buf_update_cksum(bp, XFS_SB_CRC_OFF);
	return 0;
}

const struct xfs_buf_ops xfs_sb_buf_ops = {
	.name		= "sb",
	.magic		= { XFS_SB_MAGIC, XFS_SB_MAGIC },
	.verify_read	= xfs_sb_read_verify,
	.verify_write	= xfs_sb_write_verify,
};
