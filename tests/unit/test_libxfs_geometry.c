/*
 * test_libxfs_geometry.c: mount images of many shapes made by the
 * reference mkfs (block, sector, inode and directory block sizes, AG
 * counts with a short last AG, features on and off, stripe geometry) and
 * check for each: the superblock against xfs_db, derived geometry, every
 * AG header, every btree (walked with the cursor, totals against the
 * AGF/AGI), the root inode, and a clean log.
 */
#include "test_libxfs_util.h"

struct shape {
	const char	*size;
	const char	*opts;
};

static const struct shape shapes[] = {
	{ "1g", "" },
	{ "1g", "-s size=4096" },
	{ "1g", "-b size=1024" },
	{ "1g", "-b size=2048 -n size=8192" },
	{ "1g", "-b size=65536" },
	{ "1g", "-n size=65536" },
	{ "1g", "-i size=2048" },
	{ "1g", "-i size=1024 -i sparse=0" },
	{ "1100m", "-d agcount=7" },
	{ "1g", "-m finobt=0,reflink=0,inobtcount=0,bigtime=0" },
	{ "1g", "-m rmapbt=1" },
	{ "1g", "-d su=64k,sw=4" },
	{ "2g", "-d agsize=300m -l size=80m" },
	{ "1g", "-i nrext64=1" },
	{ "1g", "-n version=ci" },
	{ "1g", "-b size=1024 -s size=1024" },
};

static int count_recs(struct xfs_mount *mp, struct xfs_buf *hdr,
		      const struct xfs_btree_ops *ops, bool agi,
		      uint64_t *n)
{
	struct xfs_btree_cur *cur;
	int error;

	*n = 0;
	error = agi ? libxfs_btree_init_agi_cursor(mp, hdr, ops, 0, &cur) :
		      libxfs_btree_init_agf_cursor(mp, hdr, ops, 0, &cur);
	if (error == -EOPNOTSUPP) {
		return 0;	/* feature off */
	}
	if (error) {
		return error;
	}
	error = libxfs_btree_count_records(cur, n);
	libxfs_btree_del_cursor(cur);
	return error;
}

struct freesum {
	uint64_t	blocks;
};

static int sum_free(struct xfs_btree_cur *cur, const void *rec, void *priv)
{
	((struct freesum *)priv)->blocks +=
		be32_to_cpu(((const struct xfs_alloc_rec *)rec)->ar_blockcount);
	return 0;
}

static void check_shape(const struct shape *sh, int idx)
{
	const char *img = t_path("shape.img");
	static const char *sbc = "-c 'sb 0' -c print";
	struct xfs_mount *mp;
	struct xfs_inode *ip;
	uint32_t agno, bad_ags = 0;
	int error;

	if (t_mkfs(img, sh->size, sh->opts) != 0) {
		printf("# skip: mkfs %s rejected by this reference\n",
		       sh->opts);
		return;
	}
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp);
	CHECK(error == 0, "[%d] mount (%s): %d", idx, sh->opts, error);
	if (error) {
		return;
	}
	CHECK(mp->m_sb.sb_blocksize == t_db_u64(img, sbc, "blocksize") &&
	      mp->m_sb.sb_sectsize == t_db_u64(img, sbc, "sectsize") &&
	      mp->m_sb.sb_inodesize == t_db_u64(img, sbc, "inodesize") &&
	      mp->m_sb.sb_agcount == t_db_u64(img, sbc, "agcount") &&
	      mp->m_sb.sb_agblocks == t_db_u64(img, sbc, "agblocks") &&
	      mp->m_sb.sb_dblocks == t_db_u64(img, sbc, "dblocks") &&
	      mp->m_sb.sb_dirblklog == t_db_u64(img, sbc, "dirblklog") &&
	      mp->m_sb.sb_features_incompat ==
	      t_db_u64(img, sbc, "features_incompat"),
	      "[%d] bs %u ss %u is %u ag %u x %u dir %u: sb agrees with xfs_db",
	      idx, mp->m_sb.sb_blocksize, mp->m_sb.sb_sectsize,
	      mp->m_sb.sb_inodesize, mp->m_sb.sb_agcount,
	      mp->m_sb.sb_agblocks, mp->m_dir_geo.blksize);
	CHECK(mp->m_dir_geo.blksize ==
	      (mp->m_sb.sb_blocksize << mp->m_sb.sb_dirblklog) &&
	      mp->m_dir_geo.leafblk ==
	      (uint32_t)(XFS_DIR2_LEAF_OFFSET >> mp->m_sb.sb_blocklog) &&
	      mp->m_inode_cluster_size >= mp->m_sb.sb_blocksize &&
	      mp->m_ag_maxlevels >= 1 && mp->m_bm_maxlevels[0] >= 2,
	      "[%d] derived geometry consistent (cluster %u, maxlevels ag %u "
	      "in %u rmap %u refc %u bm %u/%u)", idx,
	      mp->m_inode_cluster_size, mp->m_ag_maxlevels,
	      mp->m_in_maxlevels, mp->m_rmap_maxlevels, mp->m_refc_maxlevels,
	      mp->m_bm_maxlevels[0], mp->m_bm_maxlevels[1]);

	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		struct xfs_buf *agf, *agi, *agfl, *sb;
		struct freesum fs = { 0 };
		struct xfs_btree_cur *cur;
		uint64_t n;
		int e = 0;

		e |= libxfs_read_agf(mp, agno, 0, &agf);
		e |= libxfs_read_agi(mp, agno, 0, &agi);
		e |= libxfs_read_agfl(mp, agno, 0, &agfl);
		e |= libxfs_read_sb(mp, agno, 0, &sb);
		if (e) {
			bad_ags++;
			continue;
		}
		if (libxfs_btree_init_agf_cursor(mp, agf, &xfs_bnobt_ops, 0,
						 &cur) == 0) {
			e |= libxfs_btree_query_all(cur, sum_free, &fs);
			libxfs_btree_del_cursor(cur);
		} else {
			e = 1;
		}
		if (fs.blocks != be32_to_cpu(((struct xfs_agf *)agf->b_addr)->
					     agf_freeblks)) {
			e = 1;
		}
		e |= count_recs(mp, agf, &xfs_cntbt_ops, false, &n);
		e |= count_recs(mp, agf, &xfs_rmapbt_ops, false, &n);
		e |= count_recs(mp, agf, &xfs_refcountbt_ops, false, &n);
		e |= count_recs(mp, agi, &xfs_inobt_ops, true, &n);
		e |= count_recs(mp, agi, &xfs_finobt_ops, true, &n);
		if (e) {
			bad_ags++;
		}
		libxfs_buf_relse(agf);
		libxfs_buf_relse(agi);
		libxfs_buf_relse(agfl);
		libxfs_buf_relse(sb);
	}
	CHECK(bad_ags == 0, "[%d] all %u AGs: headers verify, btrees walk, "
	      "free space adds up (last AG %u blocks)", idx,
	      mp->m_sb.sb_agcount, mp->m_lastag_blocks);
	error = libxfs_iget(mp, mp->m_sb.sb_rootino, LIBXFS_IGET_UNTRUSTED,
			    &ip);
	CHECK(error == 0 && (ip->i_mode & XFS_IFMT) == XFS_IFDIR &&
	      ip->i_df.if_format == XFS_DINODE_FMT_LOCAL,
	      "[%d] root inode: a short-form directory (%d)", idx, error);
	if (!error) {
		libxfs_irele(ip);
	}
	CHECK(libxfs_log_is_clean(mp) == 1, "[%d] log clean", idx);
	libxfs_umount(mp);
}

int main(void)
{
	size_t i;

	t_require_reference();
	t_setup_dir();
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		check_shape(&shapes[i], (int)i);
	}
	printf("# %d failure(s)\n", t_failures);
	return t_failures ? 1 : 0;
}
