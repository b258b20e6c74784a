/*
 * test_libxfs_mount.c: the libxfs read path against images made by the
 * reference mkfs.xfs -- mount, superblock decode (compared with the
 * reference xfs_db), geometry, every AG header and btree root verified,
 * checksum and structure corruption detected with the right errno,
 * fault-injected I/O errors, V4 and unknown-feature refusal, the log
 * clean/dirty decision, and that reading never writes to the image.
 */
#include "test_libxfs_util.h"

static const char *base_img;

/* ---- superblock against xfs_db ---- */

static void check_sb_fields(struct xfs_mount *mp)
{
	static const char *sbc = "-c 'sb 0' -c print";
	const struct xfs_sb *sb = &mp->m_sb;
	const struct {
		const char	*field;
		uint64_t	ours;
	} f[] = {
		{ "blocksize", sb->sb_blocksize },
		{ "dblocks", sb->sb_dblocks },
		{ "logstart", sb->sb_logstart },
		{ "rootino", sb->sb_rootino },
		{ "rbmino", sb->sb_rbmino },
		{ "agblocks", sb->sb_agblocks },
		{ "agcount", sb->sb_agcount },
		{ "logblocks", sb->sb_logblocks },
		{ "versionnum", sb->sb_versionnum },
		{ "sectsize", sb->sb_sectsize },
		{ "inodesize", sb->sb_inodesize },
		{ "inopblock", sb->sb_inopblock },
		{ "agblklog", sb->sb_agblklog },
		{ "imax_pct", sb->sb_imax_pct },
		{ "icount", sb->sb_icount },
		{ "ifree", sb->sb_ifree },
		{ "fdblocks", sb->sb_fdblocks },
		{ "inoalignmt", sb->sb_inoalignmt },
		{ "logsunit", sb->sb_logsunit },
		{ "features2", sb->sb_features2 },
		{ "features_ro_compat", sb->sb_features_ro_compat },
		{ "features_incompat", sb->sb_features_incompat },
		{ "spino_align", sb->sb_spino_align },
	};
	char buf[256], uuid[FROG_UUID_STRBUF];
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		uint64_t ref = t_db_u64(base_img, sbc, f[i].field);

		CHECK(ref == f[i].ours, "sb %s = %llu (xfs_db says %llu)",
		      f[i].field, (unsigned long long)f[i].ours,
		      (unsigned long long)ref);
	}
	frog_uuid_unparse(sb->sb_uuid, uuid);
	CHECK(t_db_field(base_img, sbc, "uuid", buf, sizeof(buf)) == 0 &&
	      strcmp(buf, uuid) == 0, "sb uuid %s matches xfs_db", uuid);
}

static void check_geometry(struct xfs_mount *mp)
{
	const struct xfs_sb *sb = &mp->m_sb;

	CHECK(mp->m_blkbb_log == 3 && mp->m_sectbb_log == 0,
	      "block/sector shifts (%u, %u)", mp->m_blkbb_log,
	      mp->m_sectbb_log);
	CHECK(mp->m_agno_log == 2, "agno_log %u for 4 AGs", mp->m_agno_log);
	CHECK(mp->m_agino_log == sb->sb_agblklog + sb->sb_inopblog,
	      "agino_log %u", mp->m_agino_log);
	CHECK(mp->m_lastag_blocks == sb->sb_dblocks -
				     (uint64_t)(sb->sb_agcount - 1) *
				     sb->sb_agblocks,
	      "last AG length %u", mp->m_lastag_blocks);
	CHECK(mp->m_dir_geo.blksize == 4096 &&
	      mp->m_dir_geo.leafblk == 8388608 &&
	      mp->m_dir_geo.freeblk == 16777216,
	      "dir geometry: blksize %u leafblk %u freeblk %u",
	      mp->m_dir_geo.blksize, mp->m_dir_geo.leafblk,
	      mp->m_dir_geo.freeblk);
	CHECK(mp->m_inode_cluster_size == 16384 &&
	      mp->m_inodes_per_cluster == 32 && mp->m_ialloc_blks == 8,
	      "inode clusters: %u bytes, %u inodes, chunk %u blocks",
	      mp->m_inode_cluster_size, mp->m_inodes_per_cluster,
	      mp->m_ialloc_blks);
	CHECK(mp->m_inoalign_mask == 7, "inoalign_mask %u",
	      mp->m_inoalign_mask);
	CHECK(mp->m_alloc_mxr[0] == 505 && mp->m_alloc_mxr[1] == 336,
	      "alloc btree records per block %u/%u", mp->m_alloc_mxr[0],
	      mp->m_alloc_mxr[1]);
	CHECK(mp->m_ag_maxlevels >= 2 && mp->m_ag_maxlevels <= 5 &&
	      mp->m_in_maxlevels >= 2 && mp->m_bm_maxlevels[0] >= 4,
	      "btree max levels: ag %u ino %u bmap %u/%u",
	      mp->m_ag_maxlevels, mp->m_in_maxlevels, mp->m_bm_maxlevels[0],
	      mp->m_bm_maxlevels[1]);
	CHECK(xfs_has_crc(mp) && xfs_has_finobt(mp) && xfs_has_reflink(mp) &&
	      xfs_has_sparseinodes(mp) && xfs_has_bigtime(mp) &&
	      xfs_has_ftype(mp) && !xfs_has_rmapbt(mp),
	      "feature bits match mkfs 6.1 defaults");
}

static void check_sb_roundtrip(struct xfs_mount *mp)
{
	struct xfs_buf *bp;
	struct xfs_sb sb;
	uint8_t out[sizeof(struct xfs_dsb)];
	int error;

	error = libxfs_read_sb(mp, 0, 0, &bp);
	CHECK(error == 0, "read primary sb through the cache: %d", error);
	if (error) {
		return;
	}
	libxfs_sb_from_disk(&sb, bp->b_addr);
	libxfs_sb_to_disk(out, &sb);
	CHECK(memcmp(out, bp->b_addr, sizeof(out)) == 0,
	      "sb decode/encode round trip is exact");
	CHECK(memcmp(&sb, &mp->m_sb, sizeof(sb)) == 0,
	      "decoded sb equals the mount's copy");
	libxfs_buf_relse(bp);
}

/* Every AG header, every secondary sb, every btree root. */
static void check_all_ags(struct xfs_mount *mp)
{
	uint32_t agno;

	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		struct xfs_buf *agf = NULL, *agi = NULL, *agfl = NULL, *sb = NULL;
		struct xfs_buf *bp;
		const struct xfs_agf *a;
		const struct xfs_agi *i;
		char cmds[128];
		uint64_t ref;
		int e1, e2, e3, e4, e;

		e1 = libxfs_read_agf(mp, agno, 0, &agf);
		e2 = libxfs_read_agi(mp, agno, 0, &agi);
		e3 = libxfs_read_agfl(mp, agno, 0, &agfl);
		e4 = libxfs_read_sb(mp, agno, 0, &sb);
		CHECK(!e1 && !e2 && !e3 && !e4,
		      "AG %u: agf %d agi %d agfl %d sb %d", agno, e1, e2, e3, e4);
		if (e1 || e2 || e3 || e4) {
			goto next;
		}
		a = agf->b_addr;
		i = agi->b_addr;
		snprintf(cmds, sizeof(cmds), "-c 'agf %u' -c print", agno);
		ref = t_db_u64(base_img, cmds, "freeblks");
		CHECK(ref == be32_to_cpu(a->agf_freeblks),
		      "AG %u freeblks %u matches xfs_db", agno,
		      be32_to_cpu(a->agf_freeblks));
		snprintf(cmds, sizeof(cmds), "-c 'agi %u' -c print", agno);
		ref = t_db_u64(base_img, cmds, "count");
		CHECK(ref == be32_to_cpu(i->agi_count),
		      "AG %u inode count %u matches xfs_db", agno,
		      be32_to_cpu(i->agi_count));

#define ROOT(ops, root) do {						\
	e = libxfs_buf_read(mp, xfs_mp_agbno_to_daddr(mp, agno, (root)),\
			    1U << mp->m_blkbb_log, 0, &(ops), &bp);	\
	CHECK(e == 0, "AG %u %s root %u verifies (%d %s)", agno,	\
	      (ops).name, (root), e, e ? "" : "");			\
	if (!e) {							\
		libxfs_buf_relse(bp);					\
	}								\
} while (0)
		ROOT(xfs_bnobt_buf_ops, be32_to_cpu(a->agf_roots[XFS_AGF_BNO]));
		ROOT(xfs_cntbt_buf_ops, be32_to_cpu(a->agf_roots[XFS_AGF_CNT]));
		ROOT(xfs_refcountbt_buf_ops,
		     be32_to_cpu(a->agf_refcount_root));
		ROOT(xfs_inobt_buf_ops, be32_to_cpu(i->agi_root));
		ROOT(xfs_finobt_buf_ops, be32_to_cpu(i->agi_free_root));
#undef ROOT
		// The wrong ops on a real block: the magic check says so.
		e = libxfs_buf_read(mp, xfs_mp_agbno_to_daddr(mp, agno,
				be32_to_cpu(a->agf_roots[XFS_AGF_BNO])),
				1U << mp->m_blkbb_log, LIBXFS_BUF_SALVAGE,
				&xfs_inobt_buf_ops, &bp);
		CHECK(e == 0 && bp->b_error == -EFSCORRUPTED &&
		      strcmp(bp->b_fail_reason, "bad magic") == 0,
		      "AG %u bnobt root read as inobt: salvaged, bad magic",
		      agno);
		if (!e) {
			libxfs_buf_relse(bp);
		}
next:
		libxfs_buf_relse(agf);
		libxfs_buf_relse(agi);
		libxfs_buf_relse(agfl);
		libxfs_buf_relse(sb);
	}
	{
		struct xfs_buf *bp = NULL;

		CHECK(libxfs_read_agf(mp, mp->m_sb.sb_agcount, 0, &bp) ==
		      -EINVAL && bp == NULL, "AGF beyond agcount is -EINVAL");
	}
}

/* ---- the root inode ---- */

static void check_root_inode(struct xfs_mount *mp)
{
	uint64_t ino = mp->m_sb.sb_rootino;
	uint32_t agno = xfs_ino_to_agno(mp->m_sb.sb_agblklog,
					mp->m_sb.sb_inopblog, ino);
	uint32_t agbno = xfs_ino_to_agbno(mp->m_sb.sb_agblklog,
					  mp->m_sb.sb_inopblog, ino);
	uint32_t cluster_agbno = agbno & ~(mp->m_blocks_per_cluster - 1);
	unsigned int off;
	const char *reason = NULL;
	struct xfs_buf *bp;
	int error;

	error = libxfs_buf_read(mp, xfs_mp_agbno_to_daddr(mp, agno,
						cluster_agbno),
				mp->m_blocks_per_cluster << mp->m_blkbb_log, 0,
				&xfs_inode_buf_ops, &bp);
	CHECK(error == 0, "root inode cluster verifies: %d", error);
	if (error) {
		return;
	}
	off = (unsigned int)(((agbno - cluster_agbno) <<
			      mp->m_sb.sb_inopblog) +
			     xfs_ino_to_offset(mp->m_sb.sb_inopblog, ino)) *
	      mp->m_sb.sb_inodesize;
	error = libxfs_dinode_verify(mp, ino, (char *)bp->b_addr + off, true,
				     &reason);
	CHECK(error == 0, "root dinode passes the full check: %d %s", error,
	      reason ? reason : "");
	error = libxfs_dinode_verify(mp, ino + 1, (char *)bp->b_addr + off,
				     true, &reason);
	CHECK(error == -EFSCORRUPTED && reason &&
	      strcmp(reason, "bad inode number") == 0,
	      "dinode checked against the wrong number: %s",
	      reason ? reason : "?");
	libxfs_buf_relse(bp);
}

/* ---- a clean image, read-only and read-write ---- */

static uint32_t g_blocksize, g_agblocks, g_sectsize;
static uint64_t g_log_daddr;

static uint64_t ag_byte(uint32_t agno, unsigned int sector)
{
	return (uint64_t)agno * g_agblocks * g_blocksize +
	       (uint64_t)sector * g_sectsize;
}

static void test_clean_image(void)
{
	struct t_fileprint before, after;
	struct libxfs_dev_stats st;
	struct xfs_log_state ls;
	struct xfs_mount *mp;
	int error;

	CHECK(t_fingerprint(base_img, &before) == 0, "fingerprint image");
	error = libxfs_mount(base_img, LIBXFS_MOUNT_RDONLY, &mp);
	CHECK(error == 0, "mount read-only: %d", error);
	if (error) {
		exit(1);
	}
	CHECK(mp->m_sb_error == 0, "primary sb verifies");
	g_blocksize = mp->m_sb.sb_blocksize;
	g_agblocks = mp->m_sb.sb_agblocks;
	g_sectsize = mp->m_sb.sb_sectsize;
	g_log_daddr = mp->m_log_daddr;

	check_sb_fields(mp);
	check_geometry(mp);
	check_sb_roundtrip(mp);
	check_all_ags(mp);
	check_root_inode(mp);

	error = libxfs_log_find_head(mp, &ls);
	CHECK(error == 0 && ls.clean && !ls.zeroed && ls.head_blk == 2 &&
	      ls.last_rec_blk == 0 && ls.head_cycle == 1,
	      "mkfs log: head %u cycle %u, unmount record at %u (%d)",
	      ls.head_blk, ls.head_cycle, ls.last_rec_blk, error);
	CHECK(libxfs_log_is_clean(mp) == 1, "fresh log is clean");

	libxfs_dev_get_stats(mp->m_ddev, &st);
	CHECK(st.writes == 0 && st.reads > 0,
	      "read-only mount: %llu reads, %llu writes",
	      (unsigned long long)st.reads, (unsigned long long)st.writes);
	CHECK(libxfs_umount(mp) == 0, "unmount");

	// A read-write mount that only reads must not write either.
	error = libxfs_mount(base_img, 0, &mp);
	CHECK(error == 0, "mount read-write: %d", error);
	if (!error) {
		struct xfs_buf *bp;

		CHECK(libxfs_read_agf(mp, 1, 0, &bp) == 0, "read AGF 1 (rw)");
		libxfs_buf_relse(bp);
		libxfs_dev_get_stats(mp->m_ddev, &st);
		CHECK(st.writes == 0, "read-write mount wrote nothing");
		CHECK(libxfs_umount(mp) == 0, "unmount (rw)");
	}
	CHECK(t_fingerprint(base_img, &after) == 0 &&
	      t_same_print(&before, &after),
	      "image contents and mtime unchanged after both mounts");
}

/* ---- corruption ---- */

static const char *copy_image(const char *name)
{
	const char *p = t_path(name);

	if (t_run("cp --sparse=always '%s' '%s'", base_img, p) != 0) {
		CHECK(0, "copy image to %s", name);
	}
	return p;
}

/* Rewrite one sector of a file, recomputing the CRC at crc_off. */
static int patch_sector(const char *img, uint64_t off, size_t field,
			const void *val, size_t len, size_t crc_off)
{
	uint8_t sect[4096];

	if (t_pread(img, sect, g_sectsize, (off_t)off)) {
		return -1;
	}
	memcpy(sect + field, val, len);
	crc32c_update(sect, g_sectsize, crc_off);
	return t_pwrite(img, sect, g_sectsize, (off_t)off);
}

static void test_bad_crc(void)
{
	const char *img = copy_image("crc.img");
	struct xfs_mount *mp;
	struct xfs_buf *bp = NULL;
	int error;

	// One byte of AGF 1's btreeblks field, flipped with dd: CRC breaks.
	CHECK(t_run("printf '\\132' | dd of='%s' bs=1 seek=%llu conv=notrunc "
		    "status=none", img,
		    (unsigned long long)ag_byte(1, XFS_AGF_SECTOR) + 60) == 0,
	      "flip a byte of AGF 1 with dd");
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp);
	CHECK(error == 0, "mount image with a damaged AGF: %d", error);
	if (error) {
		return;
	}
	error = libxfs_read_agf(mp, 1, 0, &bp);
	CHECK(error == -EFSBADCRC && bp == NULL,
	      "damaged AGF 1 read: -EFSBADCRC (%d)", error);
	error = libxfs_read_agf(mp, 1, LIBXFS_BUF_SALVAGE, &bp);
	CHECK(error == 0 && bp && bp->b_error == -EFSBADCRC &&
	      strcmp(bp->b_fail_reason, "bad crc") == 0,
	      "salvage read returns the buffer with b_error -EFSBADCRC");
	if (!error) {
		libxfs_buf_relse(bp);
	}
	error = libxfs_read_agf(mp, 1, 0, &bp);
	CHECK(error == -EFSBADCRC, "cached bad buffer still fails: %d",
	      error);
	error = libxfs_read_agf(mp, 0, 0, &bp);
	CHECK(error == 0, "AGF 0 unaffected: %d", error);
	libxfs_buf_relse(bp);
	libxfs_umount(mp);
}

static void test_bad_magic(void)
{
	const char *img = copy_image("magic.img");
	struct xfs_mount *mp;
	struct xfs_buf *bp = NULL;
	uint8_t m = 'Y';
	int error;

	// Wrong magic, correct CRC: a structure error, not a CRC error.
	CHECK(patch_sector(img, ag_byte(2, XFS_AGI_SECTOR), 0, &m, 1,
			   XFS_AGI_CRC_OFF) == 0, "AGI 2 magic changed");
	if (libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp)) {
		CHECK(0, "mount magic.img");
		return;
	}
	error = libxfs_read_agi(mp, 2, 0, &bp);
	CHECK(error == -EFSCORRUPTED && bp == NULL,
	      "AGI with a wrong magic: -EFSCORRUPTED (%d)", error);
	error = libxfs_read_agi(mp, 2, LIBXFS_BUF_SALVAGE, &bp);
	CHECK(error == 0 && bp->b_error == -EFSCORRUPTED &&
	      strcmp(bp->b_fail_reason, "bad magic") == 0,
	      "salvaged AGI names the failing check: %s",
	      error ? "?" : bp->b_fail_reason);
	if (!error) {
		libxfs_buf_relse(bp);
	}
	libxfs_umount(mp);
}

/* Damage made by the reference xfs_db -x (good CRC, bad content). */
static void test_db_damage(void)
{
	const char *img = copy_image("dbx.img");
	struct xfs_mount *mp;
	struct xfs_buf *bp = NULL;
	const char *reason = NULL;
	int error, rc;

	rc = t_run("%s -x -c 'agf 3' -c 'write -d flcount 1000' "
		   "-c 'agf 0' -c 'addr bnoroot' -c 'write -d numrecs 10000' "
		   "-c 'agi 1' -c 'write -d level 99' "
		   "-c 'inode 128' -c 'write -d core.mode 0170777' "
		   "-c 'inode 129' -c 'write -c core.gen 77' "
		   "'%s' >/dev/null 2>&1", REF_DB, img);
	CHECK(rc == 0, "xfs_db -x damage written");
	if (libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp)) {
		CHECK(0, "mount dbx.img");
		return;
	}
	error = libxfs_read_agf(mp, 3, LIBXFS_BUF_SALVAGE, &bp);
	CHECK(error == 0 && bp->b_error == -EFSCORRUPTED &&
	      strcmp(bp->b_fail_reason, "bad freelist indices") == 0,
	      "AGF flcount 1000: %s", error ? "?" : bp->b_fail_reason);
	if (!error) {
		const struct xfs_agf *agf = bp->b_addr;
		uint32_t root = be32_to_cpu(agf->agf_roots[XFS_AGF_BNO]);

		libxfs_buf_relse(bp);
		(void)root;
	}
	error = libxfs_read_agf(mp, 0, 0, &bp);
	if (!error) {
		const struct xfs_agf *agf = bp->b_addr;
		uint32_t root = be32_to_cpu(agf->agf_roots[XFS_AGF_BNO]);
		struct xfs_buf *rb;

		libxfs_buf_relse(bp);
		error = libxfs_buf_read(mp, xfs_mp_agbno_to_daddr(mp, 0, root),
					1U << mp->m_blkbb_log,
					LIBXFS_BUF_SALVAGE, &xfs_bnobt_buf_ops,
					&rb);
		CHECK(error == 0 && rb->b_error == -EFSCORRUPTED &&
		      strcmp(rb->b_fail_reason, "too many records") == 0,
		      "bnobt root numrecs 10000: %s",
		      error ? "?" : rb->b_fail_reason);
		if (!error) {
			libxfs_buf_relse(rb);
		}
	}
	error = libxfs_read_agi(mp, 1, LIBXFS_BUF_SALVAGE, &bp);
	CHECK(error == 0 && bp->b_error == -EFSCORRUPTED &&
	      strcmp(bp->b_fail_reason, "bad inobt level") == 0,
	      "AGI level 99: %s", error ? "?" : bp->b_fail_reason);
	if (!error) {
		libxfs_buf_relse(bp);
	}
	// Inodes 128 (bad mode, good CRC) and 129 (bad CRC) share a cluster.
	error = libxfs_buf_read(mp, xfs_mp_agbno_to_daddr(mp, 0, 16),
				mp->m_blocks_per_cluster << mp->m_blkbb_log,
				LIBXFS_BUF_SALVAGE, &xfs_inode_buf_ops, &bp);
	CHECK(error == 0 && bp->b_error == -EFSBADCRC,
	      "inode cluster with a bad inode CRC: %d %s",
	      error ? error : bp->b_error,
	      error ? "" : bp->b_fail_reason);
	if (!error) {
		error = libxfs_dinode_verify(mp, 128, bp->b_addr, true,
					     &reason);
		CHECK(error == -EFSCORRUPTED &&
		      strcmp(reason, "bad file type") == 0,
		      "inode 128 mode 0170777: %s", reason ? reason : "?");
		error = libxfs_dinode_verify(mp, 129,
				(char *)bp->b_addr + mp->m_sb.sb_inodesize,
				true, &reason);
		CHECK(error == -EFSBADCRC, "inode 129 written with -c: %d",
		      error);
		libxfs_buf_relse(bp);
	}
	libxfs_umount(mp);
}

static void test_bad_primary_sb(void)
{
	const char *img = copy_image("sb.img");
	struct xfs_mount *mp = NULL;
	struct xfs_buf *bp;
	uint8_t x = 0x42;
	int error;

	// Label byte changed without fixing the CRC.
	CHECK(t_pwrite(img, &x, 1, 108) == 0, "sb label byte changed");
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_QUIET,
			     &mp);
	CHECK(error == -EFSBADCRC && mp == NULL,
	      "mount with a bad sb CRC: -EFSBADCRC (%d)", error);
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_FORCE |
			     LIBXFS_MOUNT_QUIET, &mp);
	CHECK(error == 0 && mp->m_sb_error == -EFSBADCRC,
	      "forced mount works and records the sb error (%d)", error);
	if (!error) {
		CHECK(libxfs_read_agf(mp, 3, 0, &bp) == 0,
		      "forced mount reads AG headers");
		libxfs_buf_relse(bp);
		libxfs_umount(mp);
	}

	// Geometry nonsense with a good CRC: block log disagrees with size.
	img = copy_image("sbgeo.img");
	x = 13;
	CHECK(patch_sector(img, 0, offsetof(struct xfs_dsb, sb_blocklog), &x,
			   1, XFS_SB_CRC_OFF) == 0, "sb blocklog set to 13");
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_QUIET,
			     &mp);
	CHECK(error == -EFSCORRUPTED, "mount with bad geometry: %d", error);
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_FORCE |
			     LIBXFS_MOUNT_QUIET, &mp);
	CHECK(error == -EFSCORRUPTED,
	      "even forced, unusable geometry is refused: %d", error);

	// Not XFS at all.
	img = t_path("zero.img");
	t_run("truncate -s 64m '%s'", img);
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_QUIET,
			     &mp);
	CHECK(error == -EFSCORRUPTED, "zeroed device: %d", error);
}

static void test_features(void)
{
	const char *img = copy_image("incompat.img");
	struct xfs_mount *mp = NULL;
	xfs_be32_t v;
	int error;

	v = cpu_to_be32(XFS_SB_FEAT_INCOMPAT_ALL | (1u << 30));
	CHECK(patch_sector(img, 0, offsetof(struct xfs_dsb,
			   sb_features_incompat), &v, 4, XFS_SB_CRC_OFF) == 0,
	      "unknown incompat bit set");
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_FORCE |
			     LIBXFS_MOUNT_QUIET, &mp);
	CHECK(error == -EOPNOTSUPP, "unknown incompat feature refused: %d",
	      error);

	img = copy_image("rocompat.img");
	v = cpu_to_be32(0x0000000du | (1u << 29));
	CHECK(patch_sector(img, 0, offsetof(struct xfs_dsb,
			   sb_features_ro_compat), &v, 4, XFS_SB_CRC_OFF) == 0,
	      "unknown ro_compat bit set");
	error = libxfs_mount(img, LIBXFS_MOUNT_QUIET, &mp);
	CHECK(error == -EROFS, "unknown ro_compat: read-write refused (%d)",
	      error);
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_QUIET,
			     &mp);
	CHECK(error == 0, "unknown ro_compat: read-only allowed (%d)", error);
	if (!error) {
		libxfs_umount(mp);
	}

	img = t_path("v4.img");
	if (t_mkfs(img, "512m", "-m crc=0") != 0) {
		printf("# skip: reference mkfs cannot make V4 images\n");
		return;
	}
	error = libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_QUIET,
			     &mp);
	CHECK(error == -EOPNOTSUPP, "V4 filesystem refused: %d", error);
}

/* ---- fault injection ---- */

static void test_faults(void)
{
	struct libxfs_dev *file, *fdev;
	struct libxfs_dev_stats st;
	struct xfs_mount *mp;
	struct xfs_buf *bp = NULL;
	struct libxfs_fault_rule r = { 0 };
	uint64_t hits;
	int error;

	// EIO on the first sector: mount fails with it.
	error = libxfs_dev_open(base_img, LIBXFS_DEV_RDONLY, &file);
	CHECK(error == 0, "open image read-only");
	if (error) {
		return;
	}
	CHECK(libxfs_dev_fault_wrap(file, &fdev) == 0, "wrap with faults");
	r.kind = LIBXFS_FAULT_READ_ERROR;
	r.off = 0;
	r.len = 512;
	libxfs_dev_fault_add(fdev, &r);
	error = libxfs_mount_dev(fdev, NULL, LIBXFS_MOUNT_RDONLY |
				 LIBXFS_MOUNT_QUIET, &mp);
	CHECK(error == -EIO, "EIO on the superblock fails the mount: %d",
	      error);
	libxfs_dev_fault_clear(fdev);

	error = libxfs_mount_dev(fdev, NULL, LIBXFS_MOUNT_RDONLY, &mp);
	CHECK(error == 0, "mount through the fault device: %d", error);
	if (error) {
		libxfs_dev_close(fdev);
		return;
	}
	hits = libxfs_dev_fault_hits(fdev);
	r.kind = LIBXFS_FAULT_READ_ERROR;
	r.off = ag_byte(2, XFS_AGF_SECTOR);
	r.len = g_sectsize;
	libxfs_dev_fault_add(fdev, &r);
	error = libxfs_read_agf(mp, 2, LIBXFS_BUF_SALVAGE, &bp);
	CHECK(error == -EIO && bp == NULL,
	      "EIO on AGF 2 is -EIO, even when salvaging (%d)", error);
	error = libxfs_read_agf(mp, 1, 0, &bp);
	CHECK(error == 0, "AGF 1 still reads");
	libxfs_buf_relse(bp);
	CHECK(libxfs_dev_fault_hits(fdev) == hits + 1, "one request faulted");
	libxfs_dev_fault_clear(fdev);
	error = libxfs_read_agf(mp, 2, 0, &bp);
	CHECK(error == 0, "AGF 2 reads once the fault is gone (not cached)");
	libxfs_buf_relse(bp);

	// Short reads everywhere: the device layer loops, all still works.
	r.kind = LIBXFS_FAULT_SHORT_READ;
	r.off = 0;
	r.len = 0;
	libxfs_dev_fault_add(fdev, &r);
	error = libxfs_read_agi(mp, 3, 0, &bp);
	CHECK(error == 0, "AGI 3 read through short reads: %d", error);
	libxfs_buf_relse(bp);
	CHECK(libxfs_log_is_clean(mp) == 1, "log scan through short reads");
	CHECK(libxfs_dev_fault_hits(fdev) > 2, "short reads happened");
	libxfs_dev_fault_clear(fdev);

	// EIO in the log.
	r.kind = LIBXFS_FAULT_READ_ERROR;
	r.off = BBTOB(g_log_daddr);
	r.len = 4096;
	libxfs_dev_fault_add(fdev, &r);
	CHECK(libxfs_log_is_clean(mp) == -EIO, "EIO in the log is -EIO");
	libxfs_dev_fault_clear(fdev);

	// Writes on a read-only mount never reach the device.
	error = libxfs_buf_get(mp, 1000, 8, &bp);
	CHECK(error == 0, "get an unread buffer");
	if (!error) {
		libxfs_buf_mark_dirty(bp);
		CHECK(libxfs_bwrite(bp) == -EROFS, "bwrite on rdonly: -EROFS");
		libxfs_buf_relse(bp);
	}
	libxfs_dev_get_stats(fdev, &st);
	CHECK(st.writes == 0, "nothing written to the device");
	// The dirty buffer cannot be flushed: unmount reports it.
	CHECK(libxfs_umount(mp) == -EROFS, "unmount reports the unwritable "
	      "dirty buffer");
}

/* ---- the log ---- */

static void test_dirty_log_synthetic(void)
{
	const char *img = copy_image("log.img");
	uint8_t blk[1024], uuid[16];
	struct xlog_rec_header *rh = (void *)blk;
	struct xlog_op_header *oh = (void *)(blk + 512);
	uint64_t log_off = BBTOB(g_log_daddr);
	struct xfs_log_state ls;
	struct xfs_mount *mp;
	int error;

	if (t_pread(img, blk, 512, 32)) {
		CHECK(0, "read sb uuid");
		return;
	}
	memcpy(uuid, blk, 16);
	// A transaction record after the unmount record: blocks 2 and 3.
	memset(blk, 0, sizeof(blk));
	rh->h_magicno = cpu_to_be32(XLOG_HEADER_MAGIC_NUM);
	rh->h_cycle = cpu_to_be32(1);
	rh->h_version = cpu_to_be32(XLOG_VERSION_2);
	rh->h_len = cpu_to_be32(512);
	rh->h_lsn = cpu_to_be64(xfs_lsn_make(1, 2));
	rh->h_tail_lsn = cpu_to_be64(xfs_lsn_make(1, 0));
	rh->h_prev_block = cpu_to_be32(0);
	rh->h_num_logops = cpu_to_be32(2);
	rh->h_cycle_data[0] = cpu_to_be32(0x1234);	/* oh_tid saved */
	rh->h_fmt = cpu_to_be32(XLOG_FMT_LINUX_LE);
	memcpy(rh->h_fs_uuid, uuid, 16);
	rh->h_size = cpu_to_be32(32768);
	oh->oh_len = cpu_to_be32(16);
	oh->oh_clientid = XFS_TRANSACTION;
	oh->oh_flags = XLOG_START_TRANS;
	put_unaligned_be32(1, blk + 512);		/* cycle stamp */
	CHECK(t_pwrite(img, blk, 1024, (off_t)(log_off + 1024)) == 0,
	      "synthetic transaction record written at log block 2");
	if (libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp)) {
		CHECK(0, "mount log.img");
		return;
	}
	error = libxfs_log_find_head(mp, &ls);
	CHECK(error == 0 && ls.head_blk == 4 && ls.last_rec_blk == 2 &&
	      !ls.clean, "head moves to 4, last record at 2, not clean");
	CHECK(libxfs_log_is_clean(mp) == 0, "log with a transaction is dirty");
	libxfs_umount(mp);
}

/* A log left dirty by the kernel (root and loop devices needed). */
static void test_dirty_log_kernel(void)
{
	const char *img = copy_image("kernel.img");
	const char *mnt = t_path("mnt");
	struct xfs_mount *mp;
	int rc;

	if (getuid() != 0 || t_run("mkdir -p '%s' && mount -o loop '%s' '%s' "
				   ">/dev/null 2>&1", mnt, img, mnt) != 0) {
		printf("# skip: cannot loop-mount (kernel dirty-log case)\n");
		return;
	}
	rc = t_run("echo hello > '%s/f' && sync && "
		   "/usr/sbin/xfs_io -x -c shutdown '%s' >/dev/null 2>&1",
		   mnt, mnt);
	t_run("umount '%s' >/dev/null 2>&1 || umount -l '%s'", mnt, mnt);
	CHECK(rc == 0, "kernel: wrote, synced, shut down");
	if (libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp) == 0) {
		CHECK(libxfs_log_is_clean(mp) == 0,
		      "log after a kernel shutdown is dirty");
		libxfs_umount(mp);
	}
	// Mount again: recovery replays, unmount writes an unmount record.
	if (t_run("mount -o loop '%s' '%s' >/dev/null 2>&1 && umount '%s'",
		  img, mnt, mnt) != 0) {
		CHECK(0, "kernel remount for recovery");
		return;
	}
	if (libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp) == 0) {
		struct xfs_log_state ls;
		int error = libxfs_log_find_head(mp, &ls);

		CHECK(error == 0 && ls.clean && ls.head_blk > 2,
		      "after recovery and a clean unmount: clean (head %u, "
		      "cycle %u, record at %u)", ls.head_blk, ls.head_cycle,
		      ls.last_rec_blk);
		libxfs_umount(mp);
	}
}

int main(void)
{
	t_require_reference();
	t_setup_dir();
	base_img = strdup(t_path("base.img"));
	if (t_mkfs(base_img, "1g", NULL) != 0) {
		printf("not ok - reference mkfs.xfs failed\n");
		return 1;
	}
	test_clean_image();
	test_bad_crc();
	test_bad_magic();
	test_db_damage();
	test_bad_primary_sb();
	test_features();
	test_faults();
	test_dirty_log_synthetic();
	test_dirty_log_kernel();
	printf("# %d failure(s)\n", t_failures);
	free((void *)base_img);
	return t_failures ? 1 : 0;
}
