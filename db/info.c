/*
 * db/info.c: the `info` command -- the filesystem geometry in the layout
 * xfs_info and mkfs.xfs print, computed from the mounted superblock.
 */
#include "db/command.h"

static int info_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct xfs_sb *sb = db_sb(ctx);
	struct xfs_mount *mp = ctx->mp;
	bool v5 = db_has_crc(ctx);
	bool more = sb->sb_versionnum & XFS_SB_VERSION_MOREBITSBIT;
	uint32_t f2 = more ? sb->sb_features2 : 0;
	unsigned int attr, dirversion, logversion, logsectsz;
	bool ftype, sector;

	if (f2 & XFS_SB_VERSION2_ATTR2BIT) {
		attr = 2;
	} else {
		attr = (sb->sb_versionnum & XFS_SB_VERSION_ATTRBIT) ? 1 : 0;
	}
	dirversion = (v5 || (sb->sb_versionnum & XFS_SB_VERSION_DIRV2BIT)) ?
		     2 : 1;
	logversion = (sb->sb_versionnum & XFS_SB_VERSION_LOGV2BIT) ? 2 : 1;
	sector = sb->sb_versionnum & XFS_SB_VERSION_SECTORBIT;
	logsectsz = sector ? sb->sb_logsectsize : BBSIZE;
	ftype = (f2 & XFS_SB_VERSION2_FTYPE) ||
		(v5 && (sb->sb_features_incompat & XFS_SB_FEAT_INCOMPAT_FTYPE));

	printf("meta-data=%-22s isize=%-6d agcount=%u, agsize=%u blks\n",
	       ctx->fsname, sb->sb_inodesize, sb->sb_agcount,
	       sb->sb_agblocks);
	printf("         =%-22s sectsz=%-5u attr=%u, projid32bit=%u\n", "",
	       sb->sb_sectsize, attr,
	       (f2 & XFS_SB_VERSION2_PROJID32BIT) ? 1 : 0);
	printf("         =%-22s crc=%-8u finobt=%u, sparse=%u, rmapbt=%u\n",
	       "", v5 ? 1 : 0, xfs_has_finobt(mp) ? 1 : 0,
	       xfs_has_sparseinodes(mp) ? 1 : 0, xfs_has_rmapbt(mp) ? 1 : 0);
	printf("         =%-22s reflink=%-4u bigtime=%u inobtcount=%u "
	       "nrext64=%u\n", "", xfs_has_reflink(mp) ? 1 : 0,
	       xfs_has_bigtime(mp) ? 1 : 0, xfs_has_inobtcounts(mp) ? 1 : 0,
	       xfs_has_large_extent_counts(mp) ? 1 : 0);
	printf("data     =%-22s bsize=%-6u blocks=%llu, imaxpct=%u\n", "",
	       sb->sb_blocksize, (unsigned long long)sb->sb_dblocks,
	       sb->sb_imax_pct);
	printf("         =%-22s sunit=%-6u swidth=%u blks\n", "",
	       sb->sb_unit, sb->sb_width);
	printf("naming   =version %-14u bsize=%-6u ascii-ci=%d, ftype=%d\n",
	       dirversion, sb->sb_blocksize << sb->sb_dirblklog,
	       (sb->sb_versionnum & XFS_SB_VERSION_BORGBIT) ? 1 : 0,
	       ftype ? 1 : 0);
	printf("log      =%-22s bsize=%-6d blocks=%u, version=%d\n",
	       sb->sb_logstart ? "internal log" : "external",
	       sb->sb_blocksize, sb->sb_logblocks, logversion);
	printf("         =%-22s sectsz=%-5u sunit=%u blks, lazy-count=%d\n",
	       "", logsectsz,
	       sb->sb_blocksize ? sb->sb_logsunit / sb->sb_blocksize : 0,
	       (f2 & XFS_SB_VERSION2_LAZYSBCOUNTBIT) ? 1 : 0);
	printf("realtime =%-22s extsz=%-6d blocks=%lld, rtextents=%lld\n",
	       sb->sb_rblocks ? "external" : "none",
	       sb->sb_rextsize * sb->sb_blocksize,
	       (long long)sb->sb_rblocks, (long long)sb->sb_rextents);
	return 0;
}

const struct db_command info_cmd = {
	.name = "info",
	.func = info_f,
	.argmin = 0,
	.argmax = 0,
	.oneline = "show the filesystem geometry",
};
