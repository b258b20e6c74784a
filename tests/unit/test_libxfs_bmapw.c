/*
 * test_libxfs_bmapw.c: block mapping writes against the reference tools
 * and the kernel.  The kernel makes empty files on a reference image;
 * libxfs then grows them: one block at every other file offset (with
 * data) until the data fork is a bmbt whose root sits two levels above
 * the leaves; single blocks interleaved on disk with spacer blocks that
 * are then freed and the gaps filled, so neighbours merge and the bmbt
 * shrinks back to an extent list; big contiguous ranges, holes and
 * unaligned data writes.  Afterwards the reference xfs_repair -n is
 * clean, the reference xfs_db bmap of each file equals ours, and the
 * kernel reads back exactly the data written, appends and deletes, and
 * repair is clean again.  Runs on a default, an rmapbt=1 and a 1 KiB
 * block image.  Skips (with a message) where loop mounts are impossible.
 */
#include "test_libxfs_util.h"

#define REF_REPAIR	"/usr/sbin/xfs_repair"

static char mnt[300];
static bool mounted;

static void t_umount(void)
{
	if (mounted) {
		t_run("umount '%s' >/dev/null 2>&1", mnt);
		mounted = false;
	}
}

static int kmount(const char *img)
{
	if (t_run("mount -o loop '%s' '%s' >/dev/null 2>&1", img, mnt)) {
		return -1;
	}
	mounted = true;
	return 0;
}

static uint64_t file_ino(const char *name)
{
	char cmd[600], line[64];
	uint64_t ino = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "stat -c %%i '%s/%s'", mnt, name);
	f = popen(cmd, "r");
	if (f && fgets(line, sizeof(line), f)) {
		ino = strtoull(line, NULL, 10);
	}
	if (f) {
		pclose(f);
	}
	return ino;
}

/* Commit tp, or cancel it after an error. */
static int trans_end(struct xfs_trans *tp, int error)
{
	if (error) {
		xfs_trans_cancel(tp);
		return error;
	}
	return xfs_trans_commit(tp);
}

/* ---- a model of what each file should hold ---- */

struct tfile {
	const char	*name;
	uint64_t	ino;
	uint8_t		*data;		/* expected contents, size bytes */
	uint64_t	size;
};

static void fill_pattern(uint8_t *p, size_t len, uint64_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		p[i] = (uint8_t)(seed >> 56);
	}
}

static int fwrite_model(struct xfs_mount *mp, struct tfile *tf,
			uint64_t off, const uint8_t *buf, size_t len)
{
	struct xfs_inode *ip;
	int error;

	if (off + len > tf->size) {
		tf->data = realloc(tf->data, off + len);
		memset(tf->data + tf->size, 0, off + len - tf->size);
		tf->size = off + len;
	}
	memcpy(tf->data + off, buf, len);
	error = libxfs_iget(mp, tf->ino, 0, &ip);
	if (error) {
		return error;
	}
	error = libxfs_file_write(ip, off, buf, len);
	libxfs_irele(ip);
	return error;
}

struct dump {
	FILE		*f;
	uint64_t	blocks;
	const char	*fork;	/* "data" or "attr" */
};

/* Our mapping of a fork, in xfs_db "bmap" format. */
static int bmap_fn(struct xfs_inode *ip, int whichfork,
		   const struct xfs_bmbt_irec *r, void *priv)
{
	struct xfs_mount *mp = ip->i_mount;
	struct dump *d = priv;

	d->blocks += r->br_blockcount;
	fprintf(d->f, "%s offset %llu startblock %llu (%u/%u) count %llu "
		"flag %d\n", d->fork, (unsigned long long)r->br_startoff,
		(unsigned long long)r->br_startblock,
		xfs_fsbno_to_agno(mp->m_sb.sb_agblklog, r->br_startblock),
		xfs_fsbno_to_agbno(mp->m_sb.sb_agblklog, r->br_startblock),
		(unsigned long long)r->br_blockcount, r->br_unwritten);
	return 0;
}

/*
 * Write our mapping to path; check the bmbt's shape and that its blocks
 * plus the data blocks are what the inode counts.
 */
static int dump_bmap(struct xfs_mount *mp, uint64_t ino, const char *path,
		     uint64_t *nextents, int *format, const char **why)
{
	struct dump d = { .fork = "data" };
	struct xfs_btree_cur *cur;
	struct xfs_inode *ip;
	uint64_t btblocks = 0;
	int error = libxfs_iget(mp, ino, 0, &ip);

	*why = "";
	if (error) {
		return error;
	}
	d.f = fopen(path, "w");
	if (!d.f) {
		libxfs_irele(ip);
		return -errno;
	}
	error = libxfs_bmap_walk(ip, XFS_DATA_FORK, bmap_fn, &d);
	fclose(d.f);
	*nextents = ip->i_df.if_nextents;
	*format = ip->i_df.if_format;
	if (!error && *format == XFS_DINODE_FMT_BTREE) {
		error = libxfs_bmbt_init_cursor(mp, ip, XFS_DATA_FORK, 0, &cur);
		if (!error) {
			error = libxfs_btree_check(cur, &btblocks, why);
			libxfs_btree_del_cursor(cur);
		}
	}
	if (!error && d.blocks + btblocks != ip->i_nblocks) {
		*why = "data + bmbt blocks differ from the inode's count";
		error = -EFSCORRUPTED;
	}
	libxfs_irele(ip);
	return error;
}

static int fork_format(struct xfs_mount *mp, uint64_t ino)
{
	struct xfs_inode *ip;
	int fmt;

	if (libxfs_iget(mp, ino, 0, &ip)) {
		return -1;
	}
	fmt = ip->i_df.if_format;
	libxfs_irele(ip);
	return fmt;
}

/* The bmbt's shape and the block counts, checked along the way. */
static int shape_check(struct xfs_mount *mp, uint64_t ino)
{
	const char *why;
	uint64_t ne;
	int fmt;

	return dump_bmap(mp, ino, "/dev/null", &ne, &fmt, &why);
}

/* ---- workloads ---- */

/* Every other block gets a block of data, until the bmbt is 3 levels. */
static int grow_sparse(struct xfs_mount *mp, struct tfile *tf,
		       unsigned int nblocks)
{
	unsigned int bs = mp->m_sb.sb_blocksize, i;
	uint8_t *buf = malloc(bs);
	int error = 0;

	for (i = 0; i < nblocks && !error; i++) {
		// A permutation of the even offsets: inserts land all over.
		uint64_t fb = 2 * (((uint64_t)i * 7919) % nblocks);

		fill_pattern(buf, bs, fb + 1);
		error = fwrite_model(mp, tf, fb * bs, buf, bs);
		if (!error && i % 500 == 499) {
			error = shape_check(mp, tf->ino);
		}
	}
	free(buf);
	return error;
}

static int bmapi_flags(struct xfs_mount *mp, uint64_t ino, uint64_t bno,
		       uint64_t len, unsigned int flags,
		       struct xfs_bmbt_irec *maps, int *nmap)
{
	struct xfs_trans *tp;
	struct xfs_inode *ip;
	int error;

	error = libxfs_iget(mp, ino, 0, &ip);
	if (error) {
		return error;
	}
	error = xfs_trans_alloc(mp, (unsigned int)len + 16, &tp);
	if (!error) {
		error = libxfs_bmapi_write(tp, ip, bno, len, flags, maps, nmap);
		error = trans_end(tp, error);
	}
	libxfs_irele(ip);
	return error;
}

/* Mappings cover [bno, bno + len) in order with no gap? */
static bool covers(const struct xfs_bmbt_irec *m, int n, uint64_t bno,
		   uint64_t len)
{
	int i;

	for (i = 0; i < n; i++) {
		if (m[i].br_startoff != bno) {
			return false;
		}
		bno += m[i].br_blockcount;
	}
	return bno == m[0].br_startoff + len;
}

/*
 * More blocks than the filesystem has, in one transaction: -ENOSPC, and
 * after the cancel the in-core inode and the free space are as before.
 */
static void test_enospc(struct xfs_mount *mp, struct tfile *tf,
			const char *tag)
{
	uint64_t free0 = mp->m_sb.sb_fdblocks, next0, nblk0;
	struct xfs_bmbt_irec m[256];	/* room for every piece */
	struct xfs_trans *tp;
	struct xfs_inode *ip;
	int error, n = 256, fmt0;

	error = libxfs_iget(mp, tf->ino, 0, &ip);
	if (error) {
		CHECK(0, "%s: iget (%d)", tag, error);
		return;
	}
	next0 = ip->i_df.if_nextents;
	nblk0 = ip->i_nblocks;
	fmt0 = ip->i_df.if_format;
	error = xfs_trans_alloc(mp, 16, &tp);
	if (!error) {
		error = libxfs_bmapi_write(tp, ip, 1ULL << 30,
					   mp->m_sb.sb_dblocks, 0, m, &n);
		xfs_trans_cancel(tp);
	}
	CHECK(error == -ENOSPC && n == 0 && ip->i_df.if_nextents == next0 &&
	      ip->i_nblocks == nblk0 && ip->i_df.if_format == fmt0 &&
	      mp->m_sb.sb_fdblocks == free0,
	      "%s: mapping more than the free space: -ENOSPC, nothing "
	      "changed (%d)", tag, error);
	libxfs_irele(ip);
}

/* Flags, partly mapped ranges, a short mapping array, first_unused. */
static void test_api(struct xfs_mount *mp, struct tfile *tf, const char *tag)
{
	struct xfs_bmbt_irec m[8], first;
	struct xfs_inode *ip;
	uint64_t bno = 0;
	uint8_t *buf;
	int n, error, i;
	bool zero = true;

	n = 8;
	error = bmapi_flags(mp, tf->ino, 0, 4, 0, m, &n);
	first = m[0];
	CHECK(!error && covers(m, n, 0, 4), "%s: map [0,4) (%d)", tag, error);
	n = 8;
	error = bmapi_flags(mp, tf->ino, 10, 2, XFS_BMAPI_METADATA, m, &n);
	n = 8;
	if (!error) {
		error = bmapi_flags(mp, tf->ino, 0, 16, 0, m, &n);
	}
	CHECK(!error && covers(m, n, 0, 16) &&
	      m[0].br_startblock == first.br_startblock,
	      "%s: map [0,16) over [0,4) and [10,12): %d mappings, the old "
	      "ones kept (%d)", tag, n, error);
	n = 8;
	error = bmapi_flags(mp, tf->ino, 25, 1, 0, m, &n);
	n = 1;
	if (!error) {
		error = bmapi_flags(mp, tf->ino, 20, 10, 0, m, &n);
	}
	CHECK(!error && n == 1 && m[0].br_startoff == 20 &&
	      m[0].br_blockcount >= 5 && m[0].br_blockcount <= 6,
	      "%s: one mapping asked for, one returned and the rest left "
	      "alone (%d)", tag, error);
	error = libxfs_iget(mp, tf->ino, 0, &ip);
	if (!error) {
		n = 8;
		error = libxfs_bmapi_read_fork(ip, XFS_DATA_FORK, 26, 4, m, &n);
		CHECK(!error && n == 1 && xfs_bmap_is_hole(&m[0]) &&
		      m[0].br_blockcount == 4, "%s: [26,30) is still a hole",
		      tag);
		error = libxfs_bmap_first_unused(ip, XFS_DATA_FORK, 1, &bno);
		CHECK(!error && bno == 16, "%s: first unused block %llu", tag,
		      (unsigned long long)bno);
		error = libxfs_bmap_first_unused(ip, XFS_DATA_FORK, 5, &bno);
		CHECK(!error && bno == 26, "%s: first 5 unused blocks at %llu",
		      tag, (unsigned long long)bno);
		libxfs_irele(ip);
	}
	n = 8;
	error = bmapi_flags(mp, tf->ino, 100, 8,
			    XFS_BMAPI_CONTIG | XFS_BMAPI_ZERO, m, &n);
	buf = malloc((size_t)8 * mp->m_sb.sb_blocksize);
	if (!error && n == 1 && buf) {
		error = libxfs_dev_read(mp->m_ddev, buf,
				(size_t)8 * mp->m_sb.sb_blocksize,
				BBTOB(xfs_mp_fsb_to_daddr(mp,
							  m[0].br_startblock)));
		for (i = 0; i < 8 * (int)mp->m_sb.sb_blocksize; i++) {
			zero = zero && !buf[i];
		}
	}
	free(buf);
	CHECK(!error && n == 1 && m[0].br_blockcount == 8 && zero,
	      "%s: CONTIG|ZERO: one extent of 8 zeroed blocks (%d)", tag,
	      error);
	// A big preallocation around what is there: every hole filled.
	error = libxfs_iget(mp, tf->ino, 0, &ip);
	if (!error) {
		struct xfs_bmbt_irec big[64];
		uint64_t covered = 0;

		error = libxfs_file_prealloc(ip, 50, 40000, 0);
		n = 64;
		if (!error) {
			error = libxfs_bmapi_read_fork(ip, XFS_DATA_FORK, 50,
						       40000, big, &n);
		}
		for (i = 0; !error && i < n; i++) {
			if (xfs_bmap_is_hole(&big[i])) {
				error = -ENODATA;
			}
			covered += big[i].br_blockcount;
		}
		if (!error && covered != 40000) {
			error = -ERANGE;
		}
		libxfs_irele(ip);
	}
	CHECK(!error, "%s: preallocate 40000 blocks over mapped parts: no "
	      "hole left (%d)", tag, error);
	test_enospc(mp, tf, tag);
}

/*
 * In one transaction: many single blocks past EOF of a bmbt-format file
 * (leaf splits make new bmbt blocks), then every one looked up again
 * through the transaction.
 */
static void test_read_tp(struct xfs_mount *mp, struct tfile *tf,
			 const char *tag)
{
	uint64_t base = (tf->size >> mp->m_sb.sb_blocklog) + 1, i;
	struct xfs_bmbt_irec m, r;
	struct xfs_trans *tp;
	struct xfs_inode *ip;
	uint64_t *got = calloc(400, sizeof(*got));
	unsigned int un;
	int error, n, bad = 0;

	error = libxfs_iget(mp, tf->ino, 0, &ip);
	if (!error) {
		error = xfs_trans_alloc(mp, 500, &tp);
	}
	for (i = 0; !error && i < 400; i++) {
		n = 1;
		error = libxfs_bmapi_write(tp, ip, base + 2 * i, 1, 0, &m, &n);
		got[i] = m.br_startblock;
	}
	for (i = 0; !error && i < 400; i++) {
		un = 1;
		error = libxfs_bmapi_read_tp(tp, ip, XFS_DATA_FORK,
					     base + 2 * i, 2, &r, &un);
		bad += error || un != 1 || r.br_startblock != got[i] ||
		       r.br_blockcount != 1;
		un = 1;
		error = libxfs_bmapi_read_tp(tp, ip, XFS_DATA_FORK,
					     base + 2 * i + 1, 1, &r, &un);
		bad += error || un != 1 || !xfs_bmap_is_hole(&r);
	}
	if (!error) {
		error = xfs_trans_commit(tp);
	}
	CHECK(!error && !bad, "%s: 400 blocks mapped and read back through "
	      "one transaction (%d, %d wrong)", tag, error, bad);
	libxfs_irele(ip);
	free(got);
}

/*
 * Give a file an (empty, shortform) attr fork at byte offset 120 and fit
 * the data fork into what is left (libxfs_bmap_fork_fit).
 */
static int add_small_attr_fork(struct xfs_mount *mp, uint64_t ino, int *fmt)
{
	struct xfs_attr_sf_hdr *hdr;
	struct xfs_trans *tp;
	struct xfs_inode *ip;
	int error;

	error = libxfs_iget(mp, ino, 0, &ip);
	if (error) {
		return error;
	}
	error = xfs_trans_alloc(mp, 16, &tp);
	if (error) {
		libxfs_irele(ip);
		return error;
	}
	ip->i_forkoff = 15;
	ip->i_af.if_format = XFS_DINODE_FMT_LOCAL;
	ip->i_af.if_nextents = 0;
	error = libxfs_ifork_realloc(ip, XFS_ATTR_FORK, sizeof(*hdr));
	if (!error) {
		hdr = ip->i_af.if_data;
		hdr->totsize = cpu_to_be16(sizeof(*hdr));
		error = libxfs_bmap_fork_fit(tp, ip, XFS_DATA_FORK);
	}
	error = trans_end(tp, error);
	*fmt = ip->i_df.if_format;
	libxfs_irele(ip);
	return error;
}

static int bmapi_one(struct xfs_mount *mp, uint64_t ino, uint64_t bno,
		     uint64_t len, struct xfs_bmbt_irec *got)
{
	struct xfs_bmbt_irec maps[4];
	int nmap = 4, error;

	error = bmapi_flags(mp, ino, bno, len, 0, maps, &nmap);
	if (!error && got) {
		*got = maps[0];
	}
	return error;
}

/* Level and entries of a bmbt root in the inode (0 if not a btree). */
static void root_shape(struct xfs_mount *mp, uint64_t ino, unsigned int *lev,
		       unsigned int *nrecs)
{
	struct xfs_inode *ip;

	*lev = *nrecs = 0;
	if (libxfs_iget(mp, ino, 0, &ip)) {
		return;
	}
	if (ip->i_df.if_format == XFS_DINODE_FMT_BTREE) {
		const struct xfs_bmdr_block *dr = ip->i_df.if_data;

		*lev = be16_to_cpu(dr->bb_level);
		*nrecs = be16_to_cpu(dr->bb_numrecs);
	}
	libxfs_irele(ip);
}

static void test_fork_fit(struct xfs_mount *mp, struct tfile *fit,
			  struct tfile *big, struct tfile *push,
			  const char *tag)
{
	unsigned int lev0, n0, lev1, n1;
	int error = 0, i, fmt = -1, fmt2 = -1;

	// A root with more entries than 120 bytes hold moves down a level.
	for (i = 0; !error && i < 1200; i++) {
		error = bmapi_one(mp, push->ino, 2 * i, 1, NULL);
	}
	root_shape(mp, push->ino, &lev0, &n0);
	if (!error) {
		error = add_small_attr_fork(mp, push->ino, &fmt);
	}
	root_shape(mp, push->ino, &lev1, &n1);
	CHECK(!error && n1 <= 7 && (n0 <= 7 || lev1 == lev0 + 1),
	      "%s: bmbt root of %u entries at level %u cut to 120 bytes: %u "
	      "entries at level %u (%d)", tag, n0, lev0, n1, lev1, error);

	for (i = 0; !error && i < 15; i++) {
		error = bmapi_one(mp, fit->ino, 2 * i, 1, NULL);
	}
	if (!error) {
		error = add_small_attr_fork(mp, fit->ino, &fmt);
	}
	CHECK(!error && fmt == XFS_DINODE_FMT_BTREE,
	      "%s: 15 extents, data fork cut to 120 bytes: now a bmbt (%d)",
	      tag, error);
	error = add_small_attr_fork(mp, big->ino, &fmt2);
	CHECK(!error && fmt2 == XFS_DINODE_FMT_BTREE,
	      "%s: a bmbt root laid out again for a 120-byte data fork (%d)",
	      tag, error);
}

/*
 * Blocks at even offsets with a spacer block between each on disk; the
 * spacers are freed and the odd offsets filled: extents merge, records
 * are deleted, the bmbt shrinks back.  Returns the extent count at its
 * highest in *peak.
 */
static int grow_and_merge(struct xfs_mount *mp, struct tfile *tf,
			  unsigned int n, uint64_t *peak, uint64_t *final)
{
	struct xfs_owner_info none = xfs_rmap_special_owner(XFS_RMAP_OWN_NULL);
	uint64_t *spacer = calloc(n, sizeof(*spacer));
	struct xfs_bmbt_irec got;
	struct xfs_inode *ip;
	unsigned int i;
	int error = 0;

	for (i = 0; i < n && !error; i++) {
		struct xfs_alloc_arg args = {
			.mp = mp, .minlen = 1, .maxlen = 1, .oinfo = none,
		};
		struct xfs_trans *tp;

		error = bmapi_one(mp, tf->ino, 2 * i, 1, &got);
		if (error) {
			break;
		}
		error = xfs_trans_alloc(mp, 1, &tp);
		if (error) {
			break;
		}
		args.tp = tp;
		error = xfs_alloc_vextent_near_bno(&args, got.br_startblock + 1);
		spacer[i] = args.fsbno;
		if (!error && args.fsbno == NULLFSBLOCK) {
			error = -ENOSPC;
		}
		error = trans_end(tp, error);
	}
	if (!error) {
		error = libxfs_iget(mp, tf->ino, 0, &ip);
		if (!error) {
			*peak = ip->i_df.if_nextents;
			libxfs_irele(ip);
		}
	}
	// Free each spacer just before its gap is filled, so that no other
	// allocation (free list refills like small free extents) takes it.
	// Gaps in a scattered order: records go from all over the tree.
	for (i = 0; i < n && !error; i++) {
		unsigned int j = (unsigned int)(((uint64_t)i * 7919) % n);
		struct xfs_trans *tp;

		error = xfs_trans_alloc(mp, 0, &tp);
		if (!error) {
			error = xfs_free_extent(tp, spacer[j], 1, &none);
			error = trans_end(tp, error);
		}
		if (!error && j + 1 < n) {
			error = bmapi_one(mp, tf->ino, 2 * j + 1, 1, NULL);
		}
		// The tree's shape and counts hold all along the way.
		if (!error && i % 200 == 199) {
			error = shape_check(mp, tf->ino);
		}
	}
	if (!error) {
		error = libxfs_iget(mp, tf->ino, 0, &ip);
		if (!error) {
			*final = ip->i_df.if_nextents;
			libxfs_irele(ip);
		}
	}
	free(spacer);
	return error;
}

/* Big ranges, holes, unaligned writes, zero blocks that stay holes. */
static int write_mixed(struct xfs_mount *mp, struct tfile *tf)
{
	unsigned int bs = mp->m_sb.sb_blocksize;
	size_t big = 6u << 20;
	uint8_t *buf = malloc(big);
	int error;

	fill_pattern(buf, big, 42);
	error = fwrite_model(mp, tf, 0, buf, 100000);
	if (!error) {
		error = fwrite_model(mp, tf, (1u << 20) + 123, buf + 7, 50000);
	}
	if (!error) {
		// Zeros in the middle of the data: those blocks stay holes.
		memset(buf + 4 * bs, 0, 3 * bs);
		error = fwrite_model(mp, tf, 3u << 20, buf, big);
	}
	if (!error) {
		// Overwrite part of what is there, unaligned at both ends.
		fill_pattern(buf, 3 * bs, 7);
		error = fwrite_model(mp, tf, (3u << 20) + bs / 2, buf, 3 * bs);
	}
	if (!error) {
		fill_pattern(buf, 1000, 9);
		error = fwrite_model(mp, tf, 40u << 20, buf, 1000);
	}
	free(buf);
	return error;
}

/* ---- checking with the reference tools and the kernel ---- */

static void check_file(struct xfs_mount *mp, struct tfile *tf,
		       const char *tag)
{
	char ours[64];
	uint64_t n = 0;
	int fmt = 0, error;

	snprintf(ours, sizeof(ours), "%s.%s.ours", tag, tf->name);
	const char *why;

	error = dump_bmap(mp, tf->ino, t_path(ours), &n, &fmt, &why);
	CHECK(error == 0, "%s %s: our bmap walk and bmbt check (%llu extents, "
	      "%s format) %s", tag, tf->name, (unsigned long long)n,
	      fmt == XFS_DINODE_FMT_BTREE ? "btree" : "extents",
	      why ? why : "");
}

static void ref_compare(const char *img, struct tfile *tf, const char *tag)
{
	char ours[64], theirs[64];

	snprintf(ours, sizeof(ours), "%s.%s.ours", tag, tf->name);
	snprintf(theirs, sizeof(theirs), "%s.%s.ref", tag, tf->name);
	t_run("%s -r -c 'inode %llu' -c bmap '%s' >'%s' 2>&1", REF_DB,
	      (unsigned long long)tf->ino, img, t_path(theirs));
	CHECK(t_run("cmp -s '%s' '%s'", t_path(ours), t_path(theirs)) == 0,
	      "%s %s: reference xfs_db bmap equals ours", tag, tf->name);
}

static void kernel_compare(struct tfile *tf, const char *tag)
{
	char exp[64];
	int fd;

	snprintf(exp, sizeof(exp), "%s.%s.expect", tag, tf->name);
	fd = open(t_path(exp), O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd >= 0) {
		if (tf->size && write(fd, tf->data, tf->size) !=
				(ssize_t)tf->size) {
			fprintf(stderr, "# short write of %s\n", exp);
		}
		close(fd);
	}
	CHECK(t_run("[ \"$(md5sum <'%s/%s')\" = \"$(md5sum <'%s')\" ]", mnt,
		    tf->name, t_path(exp)) == 0,
	      "%s %s: the kernel reads back the %llu bytes written (md5)",
	      tag, tf->name, (unsigned long long)tf->size);
}

#define NFILES	7

static void run_image(const char *tag, const char *mkfs_opts,
		      unsigned int sparse_blocks, unsigned int merge_blocks)
{
	struct tfile files[NFILES] = {
		{ .name = "sparse" }, { .name = "merge" }, { .name = "mixed" },
		{ .name = "flip" }, { .name = "api" }, { .name = "fit" },
		{ .name = "push" },
	};
	char img[512];
	struct xfs_mount *mp;
	uint64_t peak = 0, final = 0, maxext;
	char lev[64];
	int i, error, fmt;

	snprintf(img, sizeof(img), "%s", t_path(tag));
	if (t_mkfs(img, "512m", mkfs_opts)) {
		CHECK(0, "%s: reference mkfs %s", tag, mkfs_opts);
		return;
	}
	if (kmount(img)) {
		printf("# skip: cannot loop-mount an XFS image here\n");
		exit(t_failures);
	}
	t_run("touch '%s/sparse' '%s/merge' '%s/mixed' '%s/flip' '%s/api' "
	      "'%s/fit' '%s/push'", mnt, mnt, mnt, mnt, mnt, mnt, mnt);
	for (i = 0; i < NFILES; i++) {
		files[i].ino = file_ino(files[i].name);
	}
	t_umount();
	for (i = 0; i < NFILES && files[i].ino; i++) {
	}
	CHECK(i == NFILES, "%s: the kernel made %d empty files", tag, NFILES);
	if (libxfs_mount(img, 0, &mp)) {
		CHECK(0, "%s: mount with libxfs", tag);
		return;
	}
	// Just past what the inode holds, then merged back to one extent
	// (first, while the free space near the inode is in one piece).
	error = grow_and_merge(mp, &files[3], 30, &peak, &final);
	fmt = fork_format(mp, files[3].ino);
	maxext = (mp->m_sb.sb_inodesize - XFS_DINODE_CORE_V3_SIZE) / 16;
	CHECK(error == 0 && peak == 30 && final < peak &&
	      (final > maxext) == (fmt == XFS_DINODE_FMT_BTREE),
	      "%s: 30 extents (a bmbt) merged back into %llu, %s format "
	      "(%d)", tag, (unsigned long long)final,
	      fmt == XFS_DINODE_FMT_BTREE ? "btree" : "extents", error);
	error = grow_sparse(mp, &files[0], sparse_blocks);
	CHECK(error == 0, "%s: %u single blocks at every other offset (%d)",
	      tag, sparse_blocks, error);
	test_read_tp(mp, &files[0], tag);
	error = grow_and_merge(mp, &files[1], merge_blocks, &peak, &final);
	// Every fill that lands next to both neighbours removes a record.
	CHECK(error == 0 && peak >= merge_blocks && final < peak / 4,
	      "%s: merge workload: %llu extents at the peak, %llu after the "
	      "gaps were filled (%d)", tag, (unsigned long long)peak,
	      (unsigned long long)final, error);
	test_api(mp, &files[4], tag);
	test_fork_fit(mp, &files[5], &files[0], &files[6], tag);
	error = write_mixed(mp, &files[2]);
	CHECK(error == 0, "%s: big ranges, holes, unaligned writes (%d)", tag,
	      error);
	for (i = 0; i < NFILES; i++) {
		check_file(mp, &files[i], tag);
	}
	CHECK(libxfs_umount(mp) == 0, "%s: unmount", tag);

	if (getenv("T_BMAPW_KEEP")) {
		t_run("cp --sparse=always '%s' '%s/bmapw-%s.img'", img,
		      getenv("T_BMAPW_KEEP"), tag);
	}
	CHECK(t_run("%s -n '%s' >'%s' 2>&1", REF_REPAIR, img,
		    t_path("repair.out")) == 0,
	      "%s: reference xfs_repair -n is clean", tag);
	if (t_failures) {
		t_run("head -30 '%s' | sed 's/^/# /'", t_path("repair.out"));
	}
	for (i = 0; i < NFILES; i++) {
		ref_compare(img, &files[i], tag);
	}
	snprintf(lev, sizeof(lev), "%llu", (unsigned long long)files[0].ino);
	{
		char cmds[128], val[32];

		snprintf(cmds, sizeof(cmds), "-c 'inode %s' -c 'p u3.bmbt.level'",
			 lev);
		CHECK(t_db_field(img, cmds, "u3.bmbt.level", val,
				 sizeof(val)) == 0 && atoi(val) >= 2,
		      "%s: the sparse file's bmbt root is at level %s", tag,
		      val);
	}
	if (kmount(img)) {
		CHECK(0, "%s: the kernel mounts the image", tag);
		return;
	}
	for (i = 0; i < NFILES; i++) {
		kernel_compare(&files[i], tag);
	}
	CHECK(t_run("dd if=/dev/urandom of='%s/sparse' bs=64k count=16 "
		    "oflag=append conv=notrunc status=none && "
		    "rm '%s/merge' && sync", mnt, mnt) == 0,
	      "%s: the kernel appends to and deletes our files", tag);
	t_umount();
	CHECK(t_run("%s -n '%s' >/dev/null 2>&1", REF_REPAIR, img) == 0,
	      "%s: reference xfs_repair -n is clean after the kernel", tag);
	for (i = 0; i < NFILES; i++) {
		free(files[i].data);
	}
	t_run("rm -f '%s'", img);
}

/*
 * The attr fork of a kernel-made file with a leaf attr block grows to a
 * bmbt (blocks past the attr tree: no attr structures in them, which
 * neither the reference repair nor the kernel look at).  The reference
 * xfs_db bmap -a equals ours, repair -n is clean (rmaps with the attr
 * fork flag included) and the kernel still reads the attributes.
 */
static void run_attr(const char *tag, const char *mkfs_opts)
{
	struct xfs_btree_cur *cur;
	struct xfs_inode *ip;
	struct xfs_mount *mp;
	uint64_t ino, bt = 0;
	char img[512], cmds[128];
	const char *why = "";
	int i, error = 0, fmt0 = -1;

	snprintf(img, sizeof(img), "%s", t_path(tag));
	if (t_mkfs(img, "512m", mkfs_opts) || kmount(img)) {
		CHECK(0, "%s: make and mount an image", tag);
		return;
	}
	t_run("touch '%s/a' && for i in $(seq 1 30); do setfattr -n user.a$i "
	      "-v $(printf '%%0100d' $i) '%s/a'; done", mnt, mnt);
	ino = file_ino("a");
	t_umount();
	if (!ino || libxfs_mount(img, 0, &mp)) {
		CHECK(0, "%s: the kernel made a file with attrs", tag);
		return;
	}
	error = libxfs_iget(mp, ino, 0, &ip);
	if (!error) {
		fmt0 = ip->i_af.if_format;
		libxfs_irele(ip);
	}
	for (i = 0; !error && i < 60; i++) {
		struct xfs_bmbt_irec m;
		int n = 1;

		error = bmapi_flags(mp, ino, 100 + 2 * i, 1,
				    XFS_BMAPI_ATTRFORK | XFS_BMAPI_METADATA,
				    &m, &n);
	}
	if (!error) {
		error = libxfs_iget(mp, ino, 0, &ip);
	}
	if (!error) {
		struct dump d = { .fork = "attr" };

		d.f = fopen(t_path("attr.ours"), "w");
		error = d.f ? libxfs_bmap_walk(ip, XFS_ATTR_FORK, bmap_fn, &d) :
			      -errno;
		if (d.f) {
			fclose(d.f);
		}
		if (!error) {
			error = libxfs_bmbt_init_cursor(mp, ip, XFS_ATTR_FORK, 0,
							&cur);
		}
		if (!error) {
			error = libxfs_btree_check(cur, &bt, &why);
			libxfs_btree_del_cursor(cur);
		}
		CHECK(!error && fmt0 == XFS_DINODE_FMT_EXTENTS &&
		      ip->i_af.if_format == XFS_DINODE_FMT_BTREE &&
		      ip->i_af.if_nextents >= 60,
		      "%s: attr fork from a list to a bmbt (%llu extents, %llu "
		      "bmbt blocks) %s (%d)", tag,
		      (unsigned long long)ip->i_af.if_nextents,
		      (unsigned long long)bt, why ? why : "", error);
		libxfs_irele(ip);
	} else {
		CHECK(0, "%s: grow the attr fork (%d)", tag, error);
	}
	CHECK(libxfs_umount(mp) == 0, "%s: unmount", tag);
	snprintf(cmds, sizeof(cmds), "-c 'inode %llu' -c 'bmap -a'",
		 (unsigned long long)ino);
	t_run("%s -r %s '%s' >'%s' 2>&1", REF_DB, cmds, img,
	      t_path("attr.ref"));
	CHECK(t_run("cmp -s '%s' '%s'", t_path("attr.ours"),
		    t_path("attr.ref")) == 0,
	      "%s: reference xfs_db bmap -a equals ours", tag);
	CHECK(t_run("%s -n '%s' >/dev/null 2>&1", REF_REPAIR, img) == 0,
	      "%s: reference xfs_repair -n is clean", tag);
	if (kmount(img) == 0) {
		CHECK(t_run("[ $(getfattr -d '%s/a' 2>/dev/null | grep -c '^user.a') = 30 ]",
			    mnt) == 0, "%s: the kernel still lists the 30 "
		      "attributes", tag);
		t_umount();
	} else {
		CHECK(0, "%s: the kernel mounts the image", tag);
	}
	t_run("rm -f '%s'", img);
}

int main(void)
{
	t_require_reference();
	if (geteuid() != 0 || access(REF_REPAIR, X_OK) != 0) {
		printf("# skip: needs root (loop mounts) and %s\n", REF_REPAIR);
		return 0;
	}
	t_setup_dir();
	snprintf(mnt, sizeof(mnt), "%s/mnt", t_dir);
	mkdir(mnt, 0755);
	atexit(t_umount);
	if (!getenv("T_BMAPW_ATTR_ONLY")) {
		run_image("default", "", 6000, 3000);
		run_image("rmapbt", "-m rmapbt=1", 6000, 3000);
		run_image("1k", "-b size=1024", 2500, 1500);
	}
	run_attr("attr-rmapbt", "-m rmapbt=1");
	return t_failures;
}
