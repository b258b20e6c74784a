/*
 * test_libxfs_fuzz.c: corrupt metadata must give -EFSCORRUPTED or
 * -EFSBADCRC, never a crash or an out-of-bounds access (run under ASan).
 *
 * An image populated through the reference mkfs protofile (block, leaf
 * and node directories, hundreds of inodes) supplies real metadata
 * blocks of every kind it can make.  Each block is then mutated many
 * times in memory (seeded, reproducible) and given to its verifiers with
 * the CRC recomputed, so the structural checks see the damage; btree
 * blocks and inode clusters are also mutated inside the buffer cache and
 * walked with the cursor, libxfs_iget and libxfs_bmap_walk.
 */
#include "test_libxfs_util.h"

#ifndef ITERS
#define ITERS	300
#endif

static struct xfs_mount *mp;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Blocks to fuzz: where, how long, which ops, where their CRC is. */
struct target {
	uint64_t		daddr;
	unsigned int		bbs;
	const struct xfs_buf_ops *ops;
};
static struct target targets[256];
static int ntargets;

static void add_target(uint64_t daddr, unsigned int bbs,
		       const struct xfs_buf_ops *ops)
{
	int i;

	for (i = 0; i < ntargets; i++) {
		if (targets[i].daddr == daddr && targets[i].ops == ops) {
			return;
		}
	}
	if (ntargets < 256) {
		targets[ntargets].daddr = daddr;
		targets[ntargets].bbs = bbs;
		targets[ntargets].ops = ops;
		ntargets++;
	}
}

static int make_image(const char *img)
{
	const char *proto = t_path("proto");
	FILE *f = fopen(proto, "w");
	int i;

	if (!f) {
		return -1;
	}
	fprintf(f, "/dev/null\n0 0\nd--755 0 0\n");
	fprintf(f, "dblock d--755 0 0\n");
	for (i = 0; i < 30; i++) {
		fprintf(f, "file_with_a_long_name_%d ---644 0 0 /dev/null\n", i);
	}
	fprintf(f, "$\ndleaf d--755 0 0\n");
	for (i = 0; i < 200; i++) {
		fprintf(f, "another_rather_long_file_name_%d ---644 0 0 "
			"/dev/null\n", i);
	}
	fprintf(f, "$\ndnode d--755 0 0\n");
	for (i = 0; i < 1500; i++) {
		fprintf(f, "a_much_longer_file_name_for_node_format_%d "
			"---644 0 0 /dev/null\n", i);
	}
	fprintf(f, "$\nshortlink l--777 0 0 target\n$\n");
	fclose(f);
	return t_run("rm -f '%s' && truncate -s 1g '%s' && %s -q -f "
		     "-m rmapbt=1 -p '%s' '%s' >/dev/null 2>&1", img, img,
		     REF_MKFS, proto, img);
}

/* Collect directory blocks of an inode. */
static int collect_dir(struct xfs_inode *ip, int whichfork,
		       const struct xfs_bmbt_irec *irec, void *priv)
{
	unsigned int unit = mp->m_dir_geo.fsbcount;
	uint64_t off;

	for (off = 0; off < irec->br_blockcount; off += unit) {
		uint64_t daddr = xfs_mp_fsb_to_daddr(mp,
						irec->br_startblock + off);
		unsigned int bbs = unit << mp->m_blkbb_log;
		uint64_t fileoff = irec->br_startoff + off;
		const struct xfs_buf_ops *ops;

		if (fileoff >= mp->m_dir_geo.freeblk) {
			ops = &xfs_dir3_free_buf_ops;
		} else if (fileoff >= mp->m_dir_geo.leafblk) {
			ops = &xfs_da3_anyblock_buf_ops;
		} else if (ip->i_df.if_nextents == 1 &&
			   ip->i_size == mp->m_dir_geo.blksize) {
			ops = &xfs_dir3_block_buf_ops;
		} else {
			ops = &xfs_dir3_data_buf_ops;
		}
		if (fileoff % 7 == 0 || fileoff >= mp->m_dir_geo.leafblk) {
			add_target(daddr, bbs, ops);	/* a sample */
		}
	}
	return 0;
}

struct ino_list {
	uint64_t	inos[4096];
	unsigned int	n;
};

static int collect_inodes(struct xfs_btree_cur *cur, const void *rec,
			  void *priv)
{
	const struct xfs_inobt_rec *r = rec;
	struct ino_list *l = priv;
	uint32_t start = be32_to_cpu(r->ir_startino);
	uint64_t freemask = be64_to_cpu(r->ir_free);
	unsigned int i;

	for (i = 0; i < XFS_INODES_PER_CHUNK && l->n < 4096; i++) {
		if (!((freemask >> i) & 1)) {
			l->inos[l->n++] = xfs_agino_to_ino(mp->m_sb.sb_agblklog,
					mp->m_sb.sb_inopblog, cur->bc_agno,
					start + i);
		}
	}
	return 0;
}

static struct ino_list inodes;

static void collect(void)
{
	uint32_t agno;
	unsigned int i;

	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		struct xfs_buf *agf, *agi;
		struct xfs_btree_cur *cur;
		const struct xfs_agf *a;
		const struct xfs_agi *g;
		unsigned int sect = 1U << mp->m_sectbb_log;
		unsigned int blk = 1U << mp->m_blkbb_log;

		add_target(libxfs_ag_daddr(mp, agno, 0), sect, &xfs_sb_buf_ops);
		add_target(libxfs_ag_daddr(mp, agno, XFS_AGF_SECTOR), sect,
			   &xfs_agf_buf_ops);
		add_target(libxfs_ag_daddr(mp, agno, XFS_AGI_SECTOR), sect,
			   &xfs_agi_buf_ops);
		add_target(libxfs_ag_daddr(mp, agno, XFS_AGFL_SECTOR), sect,
			   &xfs_agfl_buf_ops);
		if (libxfs_read_agf(mp, agno, 0, &agf) ||
		    libxfs_read_agi(mp, agno, 0, &agi)) {
			CHECK(0, "AG %u headers", agno);
			continue;
		}
		a = agf->b_addr;
		g = agi->b_addr;
		add_target(xfs_mp_agbno_to_daddr(mp, agno,
			   be32_to_cpu(a->agf_roots[XFS_AGF_BNO])), blk,
			   &xfs_bnobt_buf_ops);
		add_target(xfs_mp_agbno_to_daddr(mp, agno,
			   be32_to_cpu(a->agf_roots[XFS_AGF_CNT])), blk,
			   &xfs_cntbt_buf_ops);
		add_target(xfs_mp_agbno_to_daddr(mp, agno,
			   be32_to_cpu(a->agf_roots[XFS_AGF_RMAP])), blk,
			   &xfs_rmapbt_buf_ops);
		add_target(xfs_mp_agbno_to_daddr(mp, agno,
			   be32_to_cpu(a->agf_refcount_root)), blk,
			   &xfs_refcountbt_buf_ops);
		add_target(xfs_mp_agbno_to_daddr(mp, agno,
			   be32_to_cpu(g->agi_root)), blk, &xfs_inobt_buf_ops);
		add_target(xfs_mp_agbno_to_daddr(mp, agno,
			   be32_to_cpu(g->agi_free_root)), blk,
			   &xfs_finobt_buf_ops);
		if (libxfs_btree_init_agi_cursor(mp, agi, &xfs_inobt_ops, 0,
						 &cur) == 0) {
			libxfs_btree_query_all(cur, collect_inodes, &inodes);
			libxfs_btree_del_cursor(cur);
		}
		libxfs_buf_relse(agf);
		libxfs_buf_relse(agi);
	}
	for (i = 0; i < inodes.n; i++) {
		struct xfs_inode *ip;
		uint64_t daddr;
		unsigned int bbs, off;

		if (libxfs_imap(mp, inodes.inos[i], &daddr, &bbs, &off) == 0 &&
		    i % 50 == 0) {
			add_target(daddr, bbs, &xfs_inode_buf_ops);
		}
		if (libxfs_iget(mp, inodes.inos[i], 0, &ip) != 0) {
			continue;
		}
		if ((ip->i_mode & XFS_IFMT) == XFS_IFDIR) {
			libxfs_bmap_walk(ip, XFS_DATA_FORK, collect_dir, NULL);
		}
		libxfs_irele(ip);
	}
}

/* Where a type keeps its CRC (for re-stamping after a mutation). */
static void restamp(const struct xfs_buf_ops *ops, struct xfs_buf *bp)
{
	// Running the write verifier re-stamps CRCs when the block passes;
	// for blocks that fail we stamp the obvious field so that the read
	// verifier gets past the CRC to the structure.
	size_t off;

	if (ops == &xfs_sb_buf_ops) {
		off = XFS_SB_CRC_OFF;
	} else if (ops == &xfs_agf_buf_ops) {
		off = XFS_AGF_CRC_OFF;
	} else if (ops == &xfs_agi_buf_ops) {
		off = XFS_AGI_CRC_OFF;
	} else if (ops == &xfs_agfl_buf_ops) {
		off = XFS_AGFL_CRC_OFF;
	} else if (ops == &xfs_inode_buf_ops) {
		size_t o;

		for (o = 0; o < BBTOB(bp->b_length);
		     o += mp->m_sb.sb_inodesize) {
			libxfs_update_cksum((char *)bp->b_addr + o,
					    mp->m_sb.sb_inodesize,
					    XFS_DINODE_CRC_OFF);
		}
		return;
	} else if (ops == &xfs_dir3_block_buf_ops ||
		   ops == &xfs_dir3_data_buf_ops ||
		   ops == &xfs_dir3_free_buf_ops) {
		off = XFS_DIR3_DATA_CRC_OFF;
	} else if (ops == &xfs_da3_anyblock_buf_ops) {
		off = XFS_DA3_BLKINFO_CRC_OFF;
	} else {
		off = XFS_BTREE_SBLOCK_CRC_OFF;
	}
	xfs_buf_update_cksum(bp, off);
}

static void mutate(uint8_t *p, size_t len)
{
	static const uint8_t vals[] = { 0, 0xff, 0x80, 0x7f, 1, 2, 0x10 };
	unsigned int n = 1 + rnd() % 6, i;

	for (i = 0; i < n; i++) {
		// Half of the hits land in the first 128 bytes (headers).
		size_t off = (rnd() & 1) ? rnd() % (len < 128 ? len : 128) :
					   rnd() % len;

		p[off] = (rnd() & 1) ? vals[rnd() % sizeof(vals)] :
				       (uint8_t)rnd();
	}
}

static int allowed(int error)
{
	return error == 0 || error == -EFSCORRUPTED || error == -EFSBADCRC;
}

static void fuzz_verifiers(void)
{
	unsigned long runs = 0, caught = 0, bad = 0;
	int t, i;

	for (t = 0; t < ntargets; t++) {
		const struct xfs_buf_ops *ops = targets[t].ops;
		struct xfs_buf *bp;
		uint8_t *orig;
		size_t len = BBTOB(targets[t].bbs);

		if (libxfs_buf_read_uncached(mp->m_ddev_targp,
					     targets[t].daddr, targets[t].bbs,
					     0, ops, &bp)) {
			CHECK(0, "%s block at %llu verifies before fuzzing",
			      ops->name, (unsigned long long)targets[t].daddr);
			continue;
		}
		orig = malloc(len);
		memcpy(orig, bp->b_addr, len);
		for (i = 0; i < ITERS; i++) {
			int e1, e2;

			memcpy(bp->b_addr, orig, len);
			mutate(bp->b_addr, len);
			e1 = ops->verify_write(bp);	/* no CRC check */
			restamp(ops, bp);
			e2 = ops->verify_read(bp);
			runs++;
			caught += e2 != 0;
			if (!allowed(e1) || !allowed(e2) || e1 == -EFSBADCRC ||
			    (e2 && !bp->b_fail_reason)) {
				bad++;
			}
		}
		free(orig);
		libxfs_buf_relse(bp);
	}
	CHECK(bad == 0, "%lu mutated blocks of %d kinds/places: %lu caught, "
	      "only -EFSCORRUPTED/-EFSBADCRC with a reason", runs, ntargets,
	      caught);
}

/* Mutate a cached block in place; returns the saved original. */
static uint8_t *poison(uint64_t daddr, unsigned int bbs,
		       const struct xfs_buf_ops *ops, struct xfs_buf **bpp)
{
	uint8_t *orig;
	size_t len = BBTOB(bbs);

	if (libxfs_buf_read(mp, daddr, bbs, LIBXFS_BUF_SALVAGE, ops, bpp)) {
		return NULL;
	}
	orig = malloc(len);
	memcpy(orig, (*bpp)->b_addr, len);
	mutate((*bpp)->b_addr, len);
	restamp(ops, *bpp);
	libxfs_buf_verify(*bpp, ops);
	return orig;
}

static void unpoison(struct xfs_buf *bp, uint8_t *orig,
		     const struct xfs_buf_ops *ops)
{
	memcpy(bp->b_addr, orig, BBTOB(bp->b_length));
	libxfs_buf_verify(bp, ops);
	libxfs_buf_relse(bp);
	free(orig);
}

static int noop_rec(struct xfs_btree_cur *cur, const void *rec, void *priv)
{
	return 0;
}

static int noop_ext(struct xfs_inode *ip, int whichfork,
		    const struct xfs_bmbt_irec *irec, void *priv)
{
	return 0;
}

static void fuzz_walks(void)
{
	unsigned long runs = 0, bad = 0;
	int t, i;

	for (t = 0; t < ntargets; t++) {
		const struct xfs_buf_ops *ops = targets[t].ops;
		bool is_tree = ops == &xfs_bnobt_buf_ops ||
			       ops == &xfs_cntbt_buf_ops ||
			       ops == &xfs_inobt_buf_ops ||
			       ops == &xfs_finobt_buf_ops ||
			       ops == &xfs_rmapbt_buf_ops ||
			       ops == &xfs_refcountbt_buf_ops;

		if (!is_tree && ops != &xfs_inode_buf_ops) {
			continue;
		}
		for (i = 0; i < ITERS / 3; i++) {
			struct xfs_buf *bp, *agh;
			uint8_t *orig = poison(targets[t].daddr, targets[t].bbs,
					       ops, &bp);
			uint32_t agno = (uint32_t)((targets[t].daddr >>
						    mp->m_blkbb_log) /
						   mp->m_sb.sb_agblocks);
			int e = 0, flags = (i & 1) ? LIBXFS_BTREE_SALVAGE : 0;

			if (!orig) {
				bad++;
				continue;
			}
			if (is_tree) {
				static const struct xfs_btree_ops *agf_trees[] = {
					&xfs_bnobt_ops, &xfs_cntbt_ops,
					&xfs_rmapbt_ops, &xfs_refcountbt_ops,
				};
				struct xfs_btree_cur *cur;
				unsigned int k;

				if (libxfs_read_agf(mp, agno, 0, &agh) == 0) {
					for (k = 0; k < 4; k++) {
						if (libxfs_btree_init_agf_cursor(mp,
						    agh, agf_trees[k], flags,
						    &cur)) {
							continue;
						}
						e = libxfs_btree_query_all(cur,
							noop_rec, NULL);
						bad += !allowed(e);
						libxfs_btree_del_cursor(cur);
					}
					libxfs_buf_relse(agh);
				}
				if (libxfs_read_agi(mp, agno, 0, &agh) == 0) {
					if (libxfs_btree_init_agi_cursor(mp,
					    agh, &xfs_inobt_ops, flags,
					    &cur) == 0) {
						e = libxfs_btree_query_all(cur,
							noop_rec, NULL);
						bad += !allowed(e);
						libxfs_btree_del_cursor(cur);
					}
					libxfs_buf_relse(agh);
				}
			} else {
				unsigned int n = (unsigned int)BBTOB(
					targets[t].bbs) >> mp->m_sb.sb_inodelog;
				uint64_t first = xfs_agino_to_ino(
					mp->m_sb.sb_agblklog,
					mp->m_sb.sb_inopblog, agno,
					((uint32_t)((targets[t].daddr >>
					  mp->m_blkbb_log) %
					  mp->m_sb.sb_agblocks)) <<
					mp->m_sb.sb_inopblog);
				unsigned int k;

				for (k = 0; k < n; k++) {
					struct xfs_inode *ip;

					e = libxfs_iget(mp, first + k, 0, &ip);
					if (e == -ENOENT) {
						continue;
					}
					bad += !allowed(e);
					if (e) {
						continue;
					}
					e = libxfs_bmap_walk(ip, XFS_DATA_FORK,
							     noop_ext, NULL);
					bad += !allowed(e) && e != -EINVAL;
					e = libxfs_bmap_walk(ip, XFS_ATTR_FORK,
							     noop_ext, NULL);
					bad += !allowed(e) && e != -EINVAL;
					libxfs_irele(ip);
				}
			}
			runs++;
			unpoison(bp, orig, ops);
		}
	}
	CHECK(bad == 0 && runs > 0, "%lu walks over poisoned btree blocks "
	      "and inode clusters: only the expected errors (%lu bad)", runs,
	      bad);
}

int main(int argc, char **argv)
{
	const char *img;
	struct xfs_bcache_stats cs;

	t_require_reference();
	t_setup_dir();
	img = t_path("fuzz.img");
	if (make_image(img) != 0) {
		printf("not ok - reference mkfs.xfs -p failed\n");
		return 1;
	}
	if (argc > 1) {
		rng = strtoull(argv[1], NULL, 0) | 1;
	}
	if (libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp)) {
		CHECK(0, "mount protofile image");
		return 1;
	}
	collect();
	CHECK(ntargets > 40 && inodes.n > 1700,
	      "collected %d metadata blocks, %u inodes", ntargets, inodes.n);
	fuzz_verifiers();
	fuzz_walks();
	libxfs_bcache_get_stats(mp->m_ddev_targp->bt_cache, &cs);
	CHECK(libxfs_umount(mp) == 0, "unmount (cache had %zu buffers)",
	      cs.count);
	printf("# %d failure(s)\n", t_failures);
	return t_failures ? 1 : 0;
}
