/*
 * test_libxfs_populated.c: the read path on a filesystem populated by the
 * kernel -- block, leaf and node directories, leaf/node/remote xattrs, a
 * remote symlink, a file whose extents need a bmbt, many free extents --
 * read with libxfs_iget, libxfs_bmap_walk and the btree cursor, and every
 * metadata block verified with its ops.  Needs root, loop devices, the
 * kernel's XFS and python3 (to populate); skips otherwise.
 */
#include "test_libxfs_util.h"

static const char *img;
static struct xfs_mount *mp;

/* What the populate script reports: name -> inode, mode, size, nlink. */
struct entry {
	char		name[32];
	uint64_t	ino;
	unsigned int	mode;
	uint64_t	size;
	unsigned int	nlink;
};
static struct entry ents[32];
static int nents;
static uint64_t frag_nextents;	/* what the reference xfs_db reports */

static const char populate_py[] =
"import os, sys\n"
"m = sys.argv[1]\n"
"def mk(d, n, fmt):\n"
"    os.mkdir(os.path.join(m, d))\n"
"    for i in range(n):\n"
"        open(os.path.join(m, d, fmt % i), 'w').close()\n"
"mk('dblock', 30, 'file_with_a_long_name_%d')\n"
"mk('dleaf', 200, 'another_rather_long_file_name_%d')\n"
"mk('dnode', 3000, 'a_much_longer_file_name_for_the_node_format_%d')\n"
"def attrs(name, n, size):\n"
"    p = os.path.join(m, name)\n"
"    open(p, 'w').close()\n"
"    for i in range(n):\n"
"        os.setxattr(p, 'user.attribute_%04d' % i, b'v' * size)\n"
"attrs('attr_leaf', 30, 60)\n"
"attrs('attr_node', 600, 40)\n"
"attrs('attr_rmt', 1, 9000)\n"
"os.symlink('s' * 600, os.path.join(m, 'longlink'))\n"
"a = os.open(os.path.join(m, 'frag'), os.O_CREAT | os.O_WRONLY)\n"
"b = os.open(os.path.join(m, 'frag_other'), os.O_CREAT | os.O_WRONLY)\n"
"for i in range(300):\n"
"    os.pwrite(a, b'a' * 4096, i * 8192); os.fsync(a)\n"
"    os.write(b, b'b' * 4096); os.fsync(b)\n"
"os.close(a); os.close(b)\n"
"os.mkdir(os.path.join(m, 'holes'))\n"
"for i in range(1400):\n"
"    f = os.open(os.path.join(m, 'holes', str(i)), os.O_CREAT | os.O_WRONLY)\n"
"    os.write(f, b'h' * 4096); os.fsync(f); os.close(f)\n"
"for i in range(0, 1400, 2):\n"
"    os.unlink(os.path.join(m, 'holes', str(i)))\n"
"os.sync()\n"
"for n in ['.', 'dblock', 'dleaf', 'dnode', 'attr_leaf', 'attr_node',\n"
"          'attr_rmt', 'longlink', 'frag', 'holes']:\n"
"    st = os.lstat(os.path.join(m, n))\n"
"    print(n, st.st_ino, st.st_mode, st.st_size, st.st_nlink)\n";

static int populate(void)
{
	const char *mnt = t_path("mnt"), *py = t_path("populate.py");
	const char *out = t_path("inodes.txt");
	FILE *f;
	int rc;

	f = fopen(py, "w");
	if (!f) {
		return -1;
	}
	fputs(populate_py, f);
	fclose(f);
	if (t_run("mkdir -p '%s' && mount -o loop '%s' '%s' >/dev/null 2>&1",
		  mnt, img, mnt) != 0) {
		return 1;
	}
	rc = t_run("python3 '%s' '%s' > '%s'", py, mnt, out);
	t_run("umount '%s' || umount -l '%s'", mnt, mnt);
	if (rc != 0) {
		return -1;
	}
	f = fopen(out, "r");
	if (!f) {
		return -1;
	}
	while (nents < 32) {
		struct entry *e = &ents[nents];
		unsigned long long ino, size;

		if (fscanf(f, "%31s %llu %u %llu %u", e->name, &ino, &e->mode,
			   &size, &e->nlink) != 5) {
			break;
		}
		e->ino = ino;
		e->size = size;
		nents++;
	}
	fclose(f);
	return nents == 10 ? 0 : -1;
}

static const struct entry *find(const char *name)
{
	int i;

	for (i = 0; i < nents; i++) {
		if (strcmp(ents[i].name, name) == 0) {
			return &ents[i];
		}
	}
	return NULL;
}

/* ---- inodes ---- */

static void test_inodes(void)
{
	int i;

	for (i = 0; i < nents; i++) {
		struct xfs_inode *ip;
		int error = libxfs_iget(mp, ents[i].ino, LIBXFS_IGET_UNTRUSTED,
					&ip);

		CHECK(error == 0, "iget %s (ino %llu): %d", ents[i].name,
		      (unsigned long long)ents[i].ino, error);
		if (error) {
			continue;
		}
		CHECK(ip->i_mode == ents[i].mode && ip->i_size == ents[i].size &&
		      ip->i_nlink == ents[i].nlink,
		      "%s: mode %o size %llu nlink %u match the kernel's stat",
		      ents[i].name, ip->i_mode,
		      (unsigned long long)ip->i_size, ip->i_nlink);
		libxfs_irele(ip);
	}
	{
		struct xfs_inode *ip;
		const struct entry *e = find("frag");
		char cmds[64];
		uint64_t ref;

		snprintf(cmds, sizeof(cmds), "-c 'inode %llu' -c print",
			 (unsigned long long)e->ino);
		ref = t_db_u64(img, cmds, "core.nextents");
		frag_nextents = ref;
		if (libxfs_iget(mp, e->ino, 0, &ip) == 0) {
			CHECK(ip->i_df.if_format == XFS_DINODE_FMT_BTREE &&
			      ip->i_df.if_nextents == ref,
			      "frag: btree format, %llu extents (xfs_db %llu)",
			      (unsigned long long)ip->i_df.if_nextents,
			      (unsigned long long)ref);
			libxfs_irele(ip);
		}
	}
	{
		struct xfs_inode *ip;
		uint64_t free_ino = find("holes")->ino;

		// Inode numbers that are not in use.
		CHECK(libxfs_iget(mp, 1ULL << 40, 0, &ip) == -EINVAL,
		      "iget beyond the filesystem: -EINVAL");
		(void)free_ino;
	}
}

/* ---- blocks of directories, attrs, symlinks ---- */

struct seen {
	unsigned int	block, data, leaf1, leafn, node, free, aleaf, rmt, sym;
	int		errors;
	uint64_t	extents;
};

/* The ops a block should be read with, chosen from its magic. */
static const struct xfs_buf_ops *ops_for(const void *buf, struct seen *s)
{
	uint32_t m32 = get_unaligned_be32(buf);
	uint16_t m16 = get_unaligned_be16((const char *)buf + 8);

	switch (m32) {
	case XFS_DIR3_BLOCK_MAGIC: s->block++; return &xfs_dir3_block_buf_ops;
	case XFS_DIR3_DATA_MAGIC: s->data++; return &xfs_dir3_data_buf_ops;
	case XFS_DIR3_FREE_MAGIC: s->free++; return &xfs_dir3_free_buf_ops;
	case XFS_ATTR3_RMT_MAGIC: s->rmt++; return &xfs_attr3_rmt_buf_ops;
	case XFS_SYMLINK_MAGIC: s->sym++; return &xfs_symlink_buf_ops;
	}
	switch (m16) {
	case XFS_DIR3_LEAF1_MAGIC: s->leaf1++; return &xfs_dir3_leaf1_buf_ops;
	case XFS_DIR3_LEAFN_MAGIC: s->leafn++; return &xfs_dir3_leafn_buf_ops;
	case XFS_DA3_NODE_MAGIC: s->node++; return &xfs_da3_node_buf_ops;
	case XFS_ATTR3_LEAF_MAGIC: s->aleaf++; return &xfs_attr3_leaf_buf_ops;
	}
	return NULL;
}

/*
 * Mutate a verified block (in a private copy) and run the structural
 * checks on it: they may reject it, but only with -EFSCORRUPTED and a
 * reason, and they must never read outside the buffer (ASan).
 */
static uint64_t fuzz_runs, fuzz_caught, fuzz_bad;
static uint64_t fuzz_rng = 0x2545f4914f6cdd1dULL;

static void fuzz_block(uint64_t daddr, unsigned int bbs,
		       const struct xfs_buf_ops *ops)
{
	struct xfs_buf *bp;
	uint8_t *orig;
	size_t len = BBTOB(bbs);
	int i, k;

	if (libxfs_buf_read_uncached(mp->m_ddev_targp, daddr, bbs, 0, ops,
				     &bp)) {
		fuzz_bad++;
		return;
	}
	orig = malloc(len);
	memcpy(orig, bp->b_addr, len);
	for (i = 0; i < 60; i++) {
		int e;

		memcpy(bp->b_addr, orig, len);
		for (k = 0; k < 1 + i % 4; k++) {
			size_t off;

			fuzz_rng ^= fuzz_rng << 13;
			fuzz_rng ^= fuzz_rng >> 7;
			fuzz_rng ^= fuzz_rng << 17;
			off = (fuzz_rng >> 8) % ((i & 1) ? len : 128);
			((uint8_t *)bp->b_addr)[off] = (uint8_t)(fuzz_rng >> 40);
		}
		bp->b_fail_reason = NULL;
		e = ops->verify_write(bp);
		fuzz_runs++;
		fuzz_caught += e != 0;
		if (e != 0 && (e != -EFSCORRUPTED || !bp->b_fail_reason)) {
			fuzz_bad++;
		}
	}
	free(orig);
	libxfs_buf_relse(bp);
}

static bool bp_was_bad(int error)
{
	return error != 0;
}

static int verify_extent(struct xfs_inode *ip, int whichfork,
			 const struct xfs_bmbt_irec *irec, void *priv)
{
	struct seen *s = priv;
	unsigned int unit = 1;
	uint64_t off;

	s->extents++;
	if (whichfork == XFS_DATA_FORK && (ip->i_mode & XFS_IFMT) == XFS_IFREG) {
		return 0;	/* file data: nothing to verify */
	}
	// Directory blocks may span several fs blocks; a remote symlink is
	// one buffer per extent; attr blocks (remote values too) are one
	// fs block each.
	if (whichfork == XFS_DATA_FORK && (ip->i_mode & XFS_IFMT) == XFS_IFDIR) {
		unit = mp->m_dir_geo.fsbcount;
	}
	if (whichfork == XFS_DATA_FORK && (ip->i_mode & XFS_IFMT) == XFS_IFLNK) {
		unit = (unsigned int)irec->br_blockcount;
	}
	for (off = 0; off < irec->br_blockcount; off += unit) {
		uint64_t daddr = xfs_mp_fsb_to_daddr(mp,
						irec->br_startblock + off);
		const struct xfs_buf_ops *ops;
		struct xfs_buf *bp;
		int error;

		error = libxfs_buf_read(mp, daddr, unit << mp->m_blkbb_log, 0,
					NULL, &bp);
		if (error) {
			s->errors++;
			continue;
		}
		ops = ops_for(bp->b_addr, s);
		libxfs_buf_relse(bp);
		if (!ops) {
			// Remote attr values in a multi-block extent: per block.
			s->errors++;
			printf("# %llu: unknown block at daddr %llu\n",
			       (unsigned long long)ip->i_ino,
			       (unsigned long long)daddr);
			continue;
		}
		error = libxfs_buf_read(mp, daddr, unit << mp->m_blkbb_log,
					LIBXFS_BUF_SALVAGE, ops, &bp);
		if (error || bp->b_error) {
			printf("# %s block at daddr %llu: %d %s\n", ops->name,
			       (unsigned long long)daddr,
			       error ? error : bp->b_error,
			       error ? "" : bp->b_fail_reason);
			s->errors++;
		}
		if (!error) {
			libxfs_buf_relse(bp);
			if (!bp_was_bad(error)) {
				fuzz_block(daddr, unit << mp->m_blkbb_log, ops);
			}
		}
	}
	return 0;
}

static int fuzz_bmbt_block(struct xfs_btree_cur *cur, unsigned int level,
			   struct xfs_buf *bp, void *priv)
{
	((uint64_t *)priv)[level]++;
	fuzz_block(bp->b_daddr, bp->b_length, &xfs_bmbt_buf_ops);
	return bp->b_error;
}

static void walk(const char *name, int whichfork, struct seen *s)
{
	struct xfs_inode *ip;
	int error;

	if (libxfs_iget(mp, find(name)->ino, 0, &ip)) {
		CHECK(0, "iget %s", name);
		return;
	}
	memset(s, 0, sizeof(*s));
	error = libxfs_bmap_walk(ip, whichfork, verify_extent, s);
	CHECK(error == 0 && s->errors == 0,
	      "%s %s fork: %llu extents walked, every block verifies (%d, "
	      "%d bad)", name, whichfork ? "attr" : "data",
	      (unsigned long long)s->extents, error, s->errors);
	libxfs_irele(ip);
}

static void test_blocks(void)
{
	struct seen s;

	walk("dblock", XFS_DATA_FORK, &s);
	CHECK(s.block == 1 && s.extents == 1, "dblock is a block directory");
	walk("dleaf", XFS_DATA_FORK, &s);
	CHECK(s.data >= 2 && s.leaf1 == 1, "dleaf: %u data blocks, a leaf1",
	      s.data);
	walk("dnode", XFS_DATA_FORK, &s);
	CHECK(s.data > 10 && s.node >= 1 && s.leafn >= 2 && s.free >= 1,
	      "dnode: %u data, %u node, %u leafn, %u free blocks", s.data,
	      s.node, s.leafn, s.free);
	walk("attr_leaf", XFS_ATTR_FORK, &s);
	CHECK(s.aleaf == 1, "attr_leaf: one attr leaf block");
	walk("attr_node", XFS_ATTR_FORK, &s);
	CHECK(s.node >= 1 && s.aleaf >= 2, "attr_node: %u node, %u leaves",
	      s.node, s.aleaf);
	walk("attr_rmt", XFS_ATTR_FORK, &s);
	CHECK(s.aleaf == 1 && s.rmt >= 1, "attr_rmt: leaf + remote value");
	walk("longlink", XFS_DATA_FORK, &s);
	CHECK(s.sym == 1, "longlink: a remote symlink block");
	walk("frag", XFS_DATA_FORK, &s);
	{
		struct xfs_btree_cur *cur;
		struct xfs_inode *ip;
		uint64_t lv[XFS_BTREE_MAXLEVELS] = { 0 };

		if (libxfs_iget(mp, find("frag")->ino, 0, &ip) == 0) {
			if (libxfs_bmbt_init_cursor(mp, ip, XFS_DATA_FORK, 0,
						    &cur) == 0) {
				int e = libxfs_btree_visit_blocks(cur,
						fuzz_bmbt_block, lv);

				CHECK(e == 0 && lv[0] >= 2,
				      "frag bmbt: %llu leaves below an inode "
				      "root of level %u",
				      (unsigned long long)lv[0],
				      cur->bc_nlevels - 1);
				libxfs_btree_del_cursor(cur);
			}
			libxfs_irele(ip);
		}
	}
	CHECK(fuzz_bad == 0 && fuzz_runs > 1000,
	      "%llu mutated dir/attr/symlink/bmbt blocks: %llu caught, only "
	      "-EFSCORRUPTED with a reason", (unsigned long long)fuzz_runs,
	      (unsigned long long)fuzz_caught);
	CHECK(s.extents >= 300 && s.extents == frag_nextents,
	      "frag: %llu extents through the bmbt = xfs_db's nextents",
	      (unsigned long long)s.extents);
}

/* ---- the per-AG btrees through the cursor ---- */

struct sums {
	uint64_t	blocks, recs, longest, inodes, freeinodes;
	uint32_t	last_start;
};

static int sum_alloc(struct xfs_btree_cur *cur, const void *rec, void *priv)
{
	const struct xfs_alloc_rec *r = rec;
	struct sums *s = priv;
	uint32_t len = be32_to_cpu(r->ar_blockcount);

	s->blocks += len;
	s->recs++;
	if (len > s->longest) {
		s->longest = len;
	}
	s->last_start = be32_to_cpu(r->ar_startblock);
	return 0;
}

static int sum_ino(struct xfs_btree_cur *cur, const void *rec, void *priv)
{
	const struct xfs_inobt_rec *r = rec;
	struct sums *s = priv;

	s->recs++;
	if (xfs_has_sparseinodes(cur->bc_mp)) {
		s->inodes += r->ir_u.sp.ir_count;
		s->freeinodes += r->ir_u.sp.ir_freecount;
	} else {
		s->inodes += XFS_INODES_PER_CHUNK;
		s->freeinodes += be32_to_cpu(r->ir_u.f.ir_freecount);
	}
	return 0;
}

static int count_blocks(struct xfs_btree_cur *cur, unsigned int level,
			struct xfs_buf *bp, void *priv)
{
	((uint64_t *)priv)[level]++;
	return bp->b_error;
}

/* Records found by lookups must agree with a linear walk. */
static void check_lookups(struct xfs_buf *agf_bp, uint32_t agno)
{
	struct xfs_btree_cur *cur;
	uint32_t starts[4096], n = 0, i, probes = 0, bad = 0;
	const void *rec;
	int stat, error;

	if (libxfs_btree_init_agf_cursor(mp, agf_bp, &xfs_bnobt_ops, 0, &cur)) {
		CHECK(0, "bnobt cursor");
		return;
	}
	error = libxfs_btree_goto_first(cur, &stat);
	while (!error && stat && n < 4096) {
		libxfs_btree_get_rec(cur, &rec, &stat);
		starts[n++] = be32_to_cpu(((const struct xfs_alloc_rec *)rec)->
					  ar_startblock);
		error = libxfs_btree_increment(cur, &stat);
	}
	// Walk back: decrement must visit the same records in reverse.
	error = libxfs_btree_goto_last(cur, &stat);
	for (i = n; !error && stat && i > 0; i--) {
		libxfs_btree_get_rec(cur, &rec, &stat);
		bad += be32_to_cpu(((const struct xfs_alloc_rec *)rec)->
				   ar_startblock) != starts[i - 1];
		error = libxfs_btree_decrement(cur, &stat);
	}
	CHECK(!error && i == 0 && bad == 0 && !stat,
	      "AG %u bnobt: %u records forwards and backwards", agno, n);
	for (i = 0; i < n; i++) {
		struct xfs_alloc_rec key;
		uint32_t want[3] = { starts[i], starts[i] + 1, starts[i] - 1 };
		int k;

		for (k = 0; k < 3; k++) {
			uint32_t le = 0, ge = 0;
			int has_le = 0, has_ge = 0, s1, s2;
			uint32_t j;

			for (j = 0; j < n; j++) {
				if (starts[j] <= want[k]) {
					le = starts[j];
					has_le = 1;
				}
				if (starts[j] >= want[k] && !has_ge) {
					ge = starts[j];
					has_ge = 1;
				}
			}
			key.ar_startblock = cpu_to_be32(want[k]);
			key.ar_blockcount = 0;
			probes++;
			libxfs_btree_lookup(cur, XFS_LOOKUP_LE, &key, &s1);
			if (s1) {
				libxfs_btree_get_rec(cur, &rec, &s1);
			}
			if (s1 != has_le || (s1 && be32_to_cpu(
			    ((const struct xfs_alloc_rec *)rec)->ar_startblock)
			    != le)) {
				bad++;
			}
			libxfs_btree_lookup(cur, XFS_LOOKUP_GE, &key, &s2);
			if (s2) {
				libxfs_btree_get_rec(cur, &rec, &s2);
			}
			if (s2 != has_ge || (s2 && be32_to_cpu(
			    ((const struct xfs_alloc_rec *)rec)->ar_startblock)
			    != ge)) {
				bad++;
			}
			libxfs_btree_lookup(cur, XFS_LOOKUP_EQ, &key, &s1);
			if (s1 != (k == 0)) {
				bad++;
			}
		}
	}
	CHECK(bad == 0, "AG %u bnobt: %u LE/GE/EQ lookups agree with a scan",
	      agno, probes);
	libxfs_btree_del_cursor(cur);
}

static void test_ag_btrees(void)
{
	uint64_t total_recs = 0, maxlevel = 0;
	uint32_t agno;

	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		struct xfs_buf *agf_bp, *agi_bp;
		const struct xfs_agf *agf;
		const struct xfs_agi *agi;
		struct xfs_btree_cur *cur;
		struct sums bno = { 0 }, cnt = { 0 }, ino = { 0 }, fino = { 0 };
		uint64_t n = 0, lv[XFS_BTREE_MAXLEVELS] = { 0 };
		int error;

		if (libxfs_read_agf(mp, agno, 0, &agf_bp) ||
		    libxfs_read_agi(mp, agno, 0, &agi_bp)) {
			CHECK(0, "AG %u headers", agno);
			continue;
		}
		agf = agf_bp->b_addr;
		agi = agi_bp->b_addr;

#define WALK(init, bp, ops, fn, s) do {					\
	error = init(mp, bp, &ops, 0, &cur);				\
	if (!error) {							\
		error = libxfs_btree_query_all(cur, fn, &s);		\
		libxfs_btree_del_cursor(cur);				\
	}								\
	CHECK(error == 0, "AG %u %s walk: %d", agno, ops.name, error);	\
} while (0)
		WALK(libxfs_btree_init_agf_cursor, agf_bp, xfs_bnobt_ops,
		     sum_alloc, bno);
		WALK(libxfs_btree_init_agf_cursor, agf_bp, xfs_cntbt_ops,
		     sum_alloc, cnt);
		WALK(libxfs_btree_init_agi_cursor, agi_bp, xfs_inobt_ops,
		     sum_ino, ino);
		WALK(libxfs_btree_init_agi_cursor, agi_bp, xfs_finobt_ops,
		     sum_ino, fino);
#undef WALK
		CHECK(bno.blocks == be32_to_cpu(agf->agf_freeblks) &&
		      cnt.blocks == bno.blocks && cnt.recs == bno.recs,
		      "AG %u: bnobt/cntbt hold %llu free blocks in %llu "
		      "extents = agf_freeblks", agno,
		      (unsigned long long)bno.blocks,
		      (unsigned long long)bno.recs);
		CHECK(cnt.longest == be32_to_cpu(agf->agf_longest),
		      "AG %u: longest free extent %llu = agf_longest", agno,
		      (unsigned long long)cnt.longest);
		CHECK(ino.inodes == be32_to_cpu(agi->agi_count) &&
		      ino.freeinodes == be32_to_cpu(agi->agi_freecount),
		      "AG %u: inobt counts %llu inodes, %llu free = AGI",
		      agno, (unsigned long long)ino.inodes,
		      (unsigned long long)ino.freeinodes);
		CHECK(fino.freeinodes == ino.freeinodes,
		      "AG %u: finobt sees the same free inodes", agno);

		error = libxfs_btree_init_agf_cursor(mp, agf_bp,
						     &xfs_rmapbt_ops, 0, &cur);
		if (!error) {
			error = libxfs_btree_count_records(cur, &n);
			total_recs += n;
			memset(lv, 0, sizeof(lv));
			if (!error) {
				error = libxfs_btree_visit_blocks(cur,
							count_blocks, lv);
			}
			if (cur->bc_nlevels > maxlevel) {
				maxlevel = cur->bc_nlevels;
			}
			libxfs_btree_del_cursor(cur);
		}
		CHECK(error == 0, "AG %u rmapbt: %llu records, %llu leaves",
		      agno, (unsigned long long)n, (unsigned long long)lv[0]);
		error = libxfs_btree_init_agf_cursor(mp, agf_bp,
						&xfs_refcountbt_ops, 0, &cur);
		if (!error) {
			error = libxfs_btree_count_records(cur, &n);
			libxfs_btree_del_cursor(cur);
		}
		CHECK(error == 0, "AG %u refcountbt walk", agno);
		if (be32_to_cpu(agf->agf_levels[XFS_AGF_BNO]) > 1) {
			printf("# AG %u bnobt has %u levels\n", agno,
			       be32_to_cpu(agf->agf_levels[XFS_AGF_BNO]));
		}
		check_lookups(agf_bp, agno);
		libxfs_buf_relse(agf_bp);
		libxfs_buf_relse(agi_bp);
	}
	CHECK(maxlevel >= 2, "some rmapbt has %llu levels (multi-level walk)",
	      (unsigned long long)maxlevel);
}

/* ---- damage on a populated image ---- */

static void test_damaged_dir(void)
{
	struct xfs_inode *ip;
	struct xfs_buf *bp;
	uint64_t daddr = 0;
	uint8_t blk[65536];
	size_t bsz = mp->m_dir_geo.blksize;
	const char *copy = t_path("dirdamage.img");
	struct xfs_mount *m2;
	int error;

	if (libxfs_iget(mp, find("dblock")->ino, 0, &ip)) {
		CHECK(0, "iget dblock");
		return;
	}
	if (ip->i_df.if_format == XFS_DINODE_FMT_EXTENTS) {
		struct xfs_bmbt_irec irec;

		libxfs_bmbt_disk_get(ip->i_df.if_data, &irec);
		daddr = xfs_mp_fsb_to_daddr(mp, irec.br_startblock);
	}
	libxfs_irele(ip);
	if (!daddr || t_run("cp --sparse=always '%s' '%s'", img, copy) ||
	    t_pread(copy, blk, bsz, (off_t)BBTOB(daddr))) {
		CHECK(0, "prepare a directory block copy");
		return;
	}
	// The "." entry's tag no longer points at itself; CRC fixed up.
	{
		size_t off = XFS_DIR3_DATA_ENTRY_OFFSET;
		size_t esz = xfs_dir2_data_entsize(true, blk[off + 8]);

		put_unaligned_be16(0x1000, blk + off + esz - 2);
	}
	crc32c_update(blk, bsz, XFS_DIR3_DATA_CRC_OFF);
	t_pwrite(copy, blk, bsz, (off_t)BBTOB(daddr));
	if (libxfs_mount(copy, LIBXFS_MOUNT_RDONLY, &m2)) {
		CHECK(0, "mount the damaged copy");
		return;
	}
	error = libxfs_buf_read(m2, daddr, (unsigned int)BTOBB(bsz),
				LIBXFS_BUF_SALVAGE, &xfs_dir3_block_buf_ops,
				&bp);
	CHECK(error == 0 && bp->b_error == -EFSCORRUPTED &&
	      strcmp(bp->b_fail_reason, "bad entry tag") == 0,
	      "damaged block directory: %s",
	      error ? "?" : (bp->b_fail_reason ? bp->b_fail_reason : "none"));
	if (!error) {
		libxfs_buf_relse(bp);
	}
	libxfs_umount(m2);
}

int main(void)
{
	int rc;

	t_require_reference();
	if (getuid() != 0 || t_run("command -v python3 >/dev/null") != 0) {
		printf("# skip: needs root and python3 to populate an image\n");
		return 0;
	}
	t_setup_dir();
	img = strdup(t_path("pop.img"));
	if (t_mkfs(img, "1g", "-m rmapbt=1") != 0) {
		printf("not ok - reference mkfs.xfs failed\n");
		return 1;
	}
	rc = populate();
	if (rc > 0) {
		printf("# skip: cannot loop-mount to populate\n");
		return 0;
	}
	CHECK(rc == 0, "kernel populated the image (%d entries)", nents);
	if (rc) {
		return 1;
	}
	if (libxfs_mount(img, LIBXFS_MOUNT_RDONLY, &mp)) {
		CHECK(0, "mount populated image");
		return 1;
	}
	CHECK(libxfs_log_is_clean(mp) == 1, "log clean after the kernel's "
	      "unmount");
	test_inodes();
	test_blocks();
	test_ag_btrees();
	test_damaged_dir();
	CHECK(libxfs_umount(mp) == 0, "unmount");
	printf("# %d failure(s)\n", t_failures);
	free((void *)img);
	return t_failures ? 1 : 0;
}
