/*
 * test_libxfs_dir_fuzz.h: the damage half of test_libxfs_dir.c (included,
 * not linked).  Directory, attribute and symlink blocks are mutated in the
 * buffer cache -- either behind the verifier's back (the buffer stays
 * "verified", so only the readers' own bounds checks stand between the
 * bytes and a crash) or with the CRC fixed up (the verifier runs again) --
 * the inode's fork copies are mutated (shortform, extent lists, bmbt
 * roots), hand-made shortform directories cover the formats the kernel
 * gave us no example of, read errors are injected under the device, and
 * image copies go through the reference blocktrash.  Every call must
 * return data or an error, never crash (ASan build).
 */
#ifndef TEST_LIBXFS_DIR_FUZZ_H_
#define TEST_LIBXFS_DIR_FUZZ_H_

static bool ok_walk(int e)
{
	return e == 0 || e == -EFSCORRUPTED || e == -EFSBADCRC;
}

static bool ok_lookup(int e)
{
	return ok_walk(e) || e == -ENOENT;
}

static bool ok_get(int e)
{
	return ok_walk(e) || e == -ENODATA || e == -ERANGE;
}

static bool ok_link(int e)
{
	return e > 0 || e == -EFSCORRUPTED || e == -EFSBADCRC;
}

struct fuzz_stats {
	uint64_t	runs, errors, bad;
};

static void fuzz_note(struct fuzz_stats *st, bool ok, int e, const char *what)
{
	st->errors += e < 0;
	if (!ok && st->bad++ < 5) {
		printf("# unexpected result of %s: %d\n", what, e);
	}
}

static int count_dirent(struct xfs_inode *dp, const struct xfs_dir_ent *de,
			void *priv)
{
	(*(uint64_t *)priv)++;
	return 0;
}

static int count_attr(struct xfs_inode *ip, const struct xfs_attr_ent *ae,
		      void *priv)
{
	static uint8_t v[XFS_XATTR_SIZE_MAX];

	(*(uint64_t *)priv)++;
	if (ae->remote) {
		return libxfs_attr_rmtval_get(ip->i_mount, ip, ae->valueblk,
					      ae->valuelen, v);
	}
	return 0;
}

/* Every read operation on ip, names from r (may be NULL). */
static void exercise(struct xfs_mount *m, struct xfs_inode *ip,
		     const struct rec *r, struct fuzz_stats *st)
{
	static uint8_t val[XFS_XATTR_SIZE_MAX + 16];
	char link[XFS_SYMLINK_MAXLEN + 1];
	size_t n = r ? r->ents.n : 0, i, step = n > 12 ? n / 12 : 1;
	uint64_t count = 0, ino;
	unsigned int len;
	uint8_t ft;
	int e;

	st->runs++;
	switch (ip->i_mode & XFS_IFMT) {
	case XFS_IFDIR:
		e = libxfs_dir_iterate(m, ip, count_dirent, &count);
		fuzz_note(st, ok_walk(e), e, "dir_iterate");
		for (i = 0; r && r->type == 'D' && i < n; i += step) {
			e = libxfs_dir_lookup(m, ip, r->ents.v[i].name,
					      r->ents.v[i].namelen, &ino, &ft);
			fuzz_note(st, ok_lookup(e), e, "dir_lookup");
		}
		e = libxfs_dir_lookup(m, ip, (const uint8_t *)"nonesuch", 8,
				      &ino, &ft);
		fuzz_note(st, ok_lookup(e), e, "dir_lookup");
		break;
	case XFS_IFLNK:
		e = libxfs_readlink(m, ip, link, sizeof(link));
		fuzz_note(st, ok_link(e), e, "readlink");
		break;
	}
	e = libxfs_attr_iterate(m, ip, count_attr, &count);
	fuzz_note(st, ok_walk(e), e, "attr_iterate");
	for (i = 0; r && r->type == 'X' && i < n; i += step) {
		len = sizeof(val);
		e = libxfs_attr_get(m, ip, r->ents.v[i].ftype, r->ents.v[i].name,
				    r->ents.v[i].namelen, val, &len);
		fuzz_note(st, ok_get(e), e, "attr_get");
	}
}

/* ---- mutations in the buffer cache ---- */

struct key {
	uint64_t	daddr;
	unsigned int	bbs;
};

struct keylist {
	struct key	v[4096];
	size_t		n;
};

static void key_add(struct keylist *kl, uint64_t daddr, unsigned int bbs)
{
	if (kl->n < sizeof(kl->v) / sizeof(kl->v[0])) {
		kl->v[kl->n].daddr = daddr;
		kl->v[kl->n++].bbs = bbs;
	}
}

/* The buffers (cache keys) the readers use for a fork's blocks. */
static void fork_keys(struct xfs_mount *m, struct xfs_inode *ip,
		      int whichfork, struct keylist *kl)
{
	struct extlist l = { 0 };
	struct xfs_bmbt_irec maps[XFS_DA_MAX_MAPS];
	bool dir = whichfork == XFS_DATA_FORK &&
		   (ip->i_mode & XFS_IFMT) == XFS_IFDIR;
	unsigned int unit = dir ? m->m_dir_geo.fsbcount : 1, n, i;
	uint64_t b, next = 0;
	size_t x;

	if (libxfs_bmap_walk(ip, whichfork, extlist_add, &l)) {
		return;
	}
	for (x = 0; x < l.n; x++) {
		const struct xfs_bmbt_irec *e = &l.v[x];

		if (!dir && whichfork == XFS_DATA_FORK) {
			// Symlinks: one buffer per extent.
			key_add(kl, xfs_mp_fsb_to_daddr(m, e->br_startblock),
				xfs_mp_fsb_to_bb(m,
					(unsigned int)e->br_blockcount));
			continue;
		}
		for (b = e->br_startoff / unit * unit;
		     b < e->br_startoff + e->br_blockcount; b += unit) {
			if (b < next ||
			    libxfs_da_map_block(ip, whichfork, b, maps, &n)) {
				continue;
			}
			next = b + unit;
			for (i = 1; i < n; i++) {
				if (maps[i].br_startblock !=
				    maps[0].br_startblock +
				    (maps[i].br_startoff - maps[0].br_startoff)) {
					break;
				}
			}
			if (i == n) {
				key_add(kl, xfs_mp_fsb_to_daddr(m,
						maps[0].br_startblock),
					xfs_mp_fsb_to_bb(m, unit));
				continue;
			}
			for (i = 0; i < n; i++) {
				key_add(kl, xfs_mp_fsb_to_daddr(m,
						maps[i].br_startblock),
					xfs_mp_fsb_to_bb(m, (unsigned int)
						maps[i].br_blockcount));
			}
		}
	}
	free(l.v);
}

/* Where the CRC of a block sits, from its (undamaged) magic. */
static size_t crc_offset(const uint8_t *p)
{
	switch (get_unaligned_be32(p)) {
	case XFS_DIR3_BLOCK_MAGIC:
	case XFS_DIR3_DATA_MAGIC:
	case XFS_DIR3_FREE_MAGIC:
		return XFS_DIR3_DATA_CRC_OFF;
	case XFS_ATTR3_RMT_MAGIC:
		return XFS_ATTR3_RMT_CRC_OFF;
	case XFS_SYMLINK_MAGIC:
		return XFS_SYMLINK_CRC_OFF;
	default:
		return XFS_DA3_BLKINFO_CRC_OFF;
	}
}

static void scribble(uint8_t *p, size_t len, unsigned int round)
{
	unsigned int k, nflips = 1 + round % 4;

	for (k = 0; k < nflips; k++) {
		size_t off = t_rand() % (round & 1 ? len : (len < 128 ? len : 128));
		uint64_t r = t_rand();

		switch (r % 4) {
		case 0:
			p[off] = (uint8_t)(r >> 8);
			break;
		case 1:
			p[off] ^= (uint8_t)(1U << ((r >> 8) % 8));
			break;
		default:
			p[off] = (r >> 8) & 1 ? 0xff : 0;
			if (off + 1 < len) {
				p[off + 1] = p[off];
			}
			break;
		}
	}
}

/* Damage one cached buffer of ip in `rounds` ways, exercising each. */
static void fuzz_key(struct xfs_mount *m, struct xfs_inode *ip,
		     const struct rec *r, const struct key *k,
		     unsigned int rounds, struct fuzz_stats *st)
{
	struct xfs_buf *bp;
	size_t len = BBTOB(k->bbs);
	unsigned int round;
	uint8_t *orig;

	if (libxfs_buf_read(m, k->daddr, k->bbs, 0, NULL, &bp)) {
		st->bad++;
		return;
	}
	orig = malloc(len);
	memcpy(orig, bp->b_addr, len);
	for (round = 0; round < rounds; round++) {
		scribble(bp->b_addr, len, round);
		if (round % 3 == 2) {
			// Good CRC over bad contents: the verifier runs.
			libxfs_update_cksum(bp->b_addr, len, crc_offset(orig));
			bp->b_flags &= ~XBF_VERIFIED;
		}
		exercise(m, ip, r, st);
		memcpy(bp->b_addr, orig, len);
		bp->b_flags &= ~XBF_VERIFIED;
	}
	free(orig);
	libxfs_buf_relse(bp);
}

/* Damage the inode's own copy of a fork (shortform, extent lists). */
static void fuzz_fork(struct xfs_mount *m, struct xfs_inode *ip,
		      const struct rec *r, int whichfork, unsigned int rounds,
		      struct fuzz_stats *st)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	uint64_t size = ip->i_size, nextents = ifp->if_nextents;
	unsigned int round;
	uint8_t *orig;

	if (!ifp->if_data || ifp->if_size == 0) {
		return;
	}
	orig = malloc(ifp->if_size);
	memcpy(orig, ifp->if_data, ifp->if_size);
	for (round = 0; round < rounds; round++) {
		scribble(ifp->if_data, ifp->if_size, round);
		if (round % 7 == 3) {
			ip->i_size = t_rand() % 2048;
		}
		if (round % 11 == 5) {
			ifp->if_nextents = t_rand() % 64;
		}
		exercise(m, ip, r, st);
		memcpy(ifp->if_data, orig, ifp->if_size);
		ip->i_size = size;
		ifp->if_nextents = nextents;
	}
	free(orig);
}

#define FUZZ_TARGETS	28

struct fuzz_targets {
	struct rec	v[FUZZ_TARGETS];
	unsigned int	n;
};

static const char *const fuzz_paths[] = {
	"sf", "block", "leaf", "leafdel", "node", "holes", "attr_sf",
	"attr_leaf", "attr_node", "attr_remote", "attr_node_remote",
	"attr_exact", "attr_exact_rmt", "collide", "attr_collide", "links/inl",
	"links/max", "links/rem",
	"links", NULL,
};

/* Keep the manifest records of the paths we damage. */
static void fuzz_pick(struct rec *r, void *priv)
{
	struct fuzz_targets *t = priv;
	unsigned int i;

	for (i = 0; fuzz_paths[i] && t->n < FUZZ_TARGETS; i++) {
		if (strlen(fuzz_paths[i]) == r->pathlen &&
		    memcmp(fuzz_paths[i], r->path, r->pathlen) == 0) {
			t->v[t->n++] = *r;
			memset(r, 0, sizeof(*r));	/* ownership moves */
			return;
		}
	}
}

static void fuzz_image(struct xfs_mount *m, const char *manifest)
{
	static struct keylist kl;
	struct fuzz_targets t = { .n = 0 };
	struct fuzz_stats st = { 0 }, fst = { 0 };
	unsigned int i, nkeys = 0;
	size_t k;

	manifest_walk(manifest, fuzz_pick, &t);
	for (i = 0; i < t.n; i++) {
		struct xfs_inode *ip;
		size_t step;

		if (libxfs_iget(m, t.v[i].ino, 0, &ip)) {
			st.bad++;
			continue;
		}
		exercise(m, ip, &t.v[i], &st);	/* fill the cache, verified */
		kl.n = 0;
		fork_keys(m, ip, XFS_DATA_FORK, &kl);
		fork_keys(m, ip, XFS_ATTR_FORK, &kl);
		step = kl.n > 24 ? kl.n / 24 : 1;
		for (k = 0; k < kl.n; k += step) {
			fuzz_key(m, ip, &t.v[i], &kl.v[k], 60, &st);
			nkeys++;
		}
		if (ip->i_df.if_format != XFS_DINODE_FMT_DEV) {
			// Whole-directory walks per round: fewer of them
			// for the block-mapped forks.
			fuzz_fork(m, ip, &t.v[i], XFS_DATA_FORK,
				  ip->i_df.if_format == XFS_DINODE_FMT_LOCAL ?
				  150 : 40, &fst);
		}
		if (ip->i_af.if_format == XFS_DINODE_FMT_LOCAL) {
			fuzz_fork(m, ip, &t.v[i], XFS_ATTR_FORK, 150, &fst);
		}
		libxfs_irele(ip);
	}
	for (i = 0; i < t.n; i++) {
		rec_free(&t.v[i]);
	}
	CHECK(st.bad == 0 && nkeys > 50 && st.runs > 1000,
	      "fuzz: %u cached dir/attr/symlink buffers of %u inodes damaged "
	      "%llu times, only errors came back", nkeys, t.n,
	      (unsigned long long)st.runs);
	CHECK(fst.bad == 0 && fst.runs > 500 && fst.errors > 0,
	      "fuzz: in-inode forks (shortform dirs/attrs, inline symlinks, "
	      "extent lists, bmbt roots) damaged %llu times, %llu errors, "
	      "nothing else",
	      (unsigned long long)fst.runs, (unsigned long long)fst.errors);
}

/* ---- hand-made shortform directories ---- */

/* Build a shortform dir of names a, bb, ccc: returns its size. */
static size_t sf_build(uint8_t *p, bool ftype, bool i8, uint64_t parent,
		       const uint64_t inos[3])
{
	const char *names[3] = { "a", "bb", "ccc" };
	unsigned int isz = i8 ? 8 : 4, off = xfs_dir3_data_first_offset(ftype);
	size_t pos = 2 + isz;
	int i;

	p[0] = 3;
	p[1] = i8 ? 1 : 0;
	if (i8) {
		put_unaligned_be64(parent, p + 2);
	} else {
		put_unaligned_be32((uint32_t)parent, p + 2);
	}
	for (i = 0; i < 3; i++) {
		unsigned int nl = (unsigned int)strlen(names[i]);

		p[pos] = (uint8_t)nl;
		put_unaligned_be16((uint16_t)off, p + pos + 1);
		memcpy(p + pos + 3, names[i], nl);
		pos += 3 + nl;
		if (ftype) {
			p[pos++] = (uint8_t)(i + 1);
		}
		if (i8) {
			put_unaligned_be64(inos[i], p + pos);
		} else {
			put_unaligned_be32((uint32_t)inos[i], p + pos);
		}
		pos += isz;
		off += xfs_dir2_data_entsize(ftype, nl);
	}
	return pos;
}

struct sf_seen {
	char		names[5][4];
	uint64_t	inos[5];
	uint8_t		ftypes[5];
	uint32_t	cookies[5];
	unsigned int	n;
};

static int sf_collect(struct xfs_inode *dp, const struct xfs_dir_ent *de,
		      void *priv)
{
	struct sf_seen *s = priv;

	if (s->n < 5 && de->namelen < 4) {
		memcpy(s->names[s->n], de->name, de->namelen);
		s->names[s->n][de->namelen] = 0;
		s->inos[s->n] = de->ino;
		s->ftypes[s->n] = de->ftype;
		s->cookies[s->n] = de->cookie;
	}
	s->n++;
	return 0;
}

/*
 * Shortform layouts the V5 kernel never writes for us here: no ftype
 * byte, and 8-byte inode numbers on a small filesystem.
 */
static void fuzz_synthetic_sf(struct xfs_mount *m)
{
	uint64_t root = m->m_sb.sb_rootino;
	const uint64_t inos[3] = { root + 1, root + 2, root + 3 };
	struct fuzz_stats st = { 0 };
	unsigned int variant, bad = 0;
	uint64_t saved = m->m_features;

	for (variant = 0; variant < 4; variant++) {
		bool ftype = variant & 1, i8 = variant & 2;
		uint8_t data[512] = { 0 };
		struct xfs_inode fake;
		struct sf_seen s = { .n = 0 };
		unsigned int i;
		uint64_t ino;
		uint8_t ft;
		// Cookies: ".", "..", then where a data block puts entries.
		uint32_t want[5] = { 8, 10, 0, 0, 0 };

		want[2] = xfs_dir3_data_first_offset(ftype) >> 3;
		want[3] = want[2] + (xfs_dir2_data_entsize(ftype, 1) >> 3);
		want[4] = want[3] + (xfs_dir2_data_entsize(ftype, 2) >> 3);
		m->m_features = ftype ? saved | XFS_FEAT_FTYPE :
					saved & ~XFS_FEAT_FTYPE;
		memset(&fake, 0, sizeof(fake));
		fake.i_mount = m;
		fake.i_ino = root;
		fake.i_mode = XFS_IFDIR | 0755;
		fake.i_df.if_format = XFS_DINODE_FMT_LOCAL;
		fake.i_df.if_data = data;
		fake.i_df.if_size = sizeof(data);
		fake.i_size = sf_build(data, ftype, i8, root, inos);
		if (libxfs_dir_iterate(m, &fake, sf_collect, &s) || s.n != 5) {
			bad++;
		}
		for (i = 0; i < 5 && s.n == 5; i++) {
			static const char *const nm[5] = { ".", "..", "a", "bb",
							   "ccc" };
			uint64_t wi = i < 2 ? root : inos[i - 2];
			uint8_t wf = i < 2 ? XFS_DIR3_FT_DIR :
				     ftype ? (uint8_t)(i - 1) : 0;

			bad += strcmp(s.names[i], nm[i]) != 0 ||
			       s.inos[i] != wi || s.ftypes[i] != wf ||
			       s.cookies[i] != want[i];
			bad += libxfs_dir_lookup(m, &fake, (const uint8_t *)nm[i],
						 (unsigned int)strlen(nm[i]), &ino,
						 &ft) != 0 || ino != wi || ft != wf;
		}
		fuzz_fork(m, &fake, NULL, XFS_DATA_FORK, 300, &st);
	}
	m->m_features = saved;
	CHECK(bad == 0, "hand-made shortform dirs, with and without ftype, "
	      "4- and 8-byte inode numbers: entries, cookies and lookups");
	CHECK(st.bad == 0 && st.errors > 0, "hand-made shortform dirs "
	      "damaged %llu times: %llu errors, nothing else",
	      (unsigned long long)st.runs, (unsigned long long)st.errors);
}

/* ---- blocktrash ---- */

struct walk {
	struct fuzz_stats	st;
	uint64_t		dirs[256];
	unsigned int		ndirs;
};

static int walk_collect(struct xfs_inode *dp, const struct xfs_dir_ent *de,
			void *priv)
{
	entset_add(priv, de->name, de->namelen, de->ino, de->ftype, NULL, 0);
	return 0;
}

/* Read everything reachable from directory ino, however damaged. */
static void walk_tree(struct xfs_mount *m, uint64_t ino, unsigned int depth,
		      struct walk *w)
{
	struct entset es = { 0 };
	struct xfs_inode *dp, *ip;
	unsigned int i;
	uint64_t cino;
	uint8_t ft;
	int e;

	for (i = 0; i < w->ndirs; i++) {
		if (w->dirs[i] == ino) {
			return;
		}
	}
	if (w->ndirs == 256 || libxfs_iget(m, ino, 0, &dp)) {
		return;
	}
	w->dirs[w->ndirs++] = ino;
	exercise(m, dp, NULL, &w->st);
	e = libxfs_dir_iterate(m, dp, walk_collect, &es);
	fuzz_note(&w->st, ok_walk(e), e, "dir_iterate");
	for (i = 0; i < es.n; i++) {
		const struct ent *d = &es.v[i];

		if ((d->namelen == 1 && d->name[0] == '.') ||
		    (d->namelen == 2 && d->name[0] == '.' && d->name[1] == '.')) {
			continue;
		}
		e = libxfs_dir_lookup(m, dp, d->name, d->namelen, &cino, &ft);
		fuzz_note(&w->st, ok_lookup(e), e, "dir_lookup");
		if (libxfs_iget(m, d->ino, 0, &ip)) {
			continue;
		}
		if ((ip->i_mode & XFS_IFMT) == XFS_IFDIR && depth < 8) {
			libxfs_irele(ip);
			walk_tree(m, d->ino, depth + 1, w);
			continue;
		}
		exercise(m, ip, NULL, &w->st);
		libxfs_irele(ip);
	}
	entset_free(&es);
	libxfs_irele(dp);
}

/* Added to the blocktrash seeds (LIBXFS_TEST_SEED soak runs). */
static unsigned int trash_seed_base;

static void trash_image(const char *img, const char *dir,
			const unsigned int *seeds0, unsigned int nseeds)
{
	unsigned int i, seeds[8];

	for (i = 0; i < nseeds && i < 8; i++) {
		seeds[i] = seeds0[i] + trash_seed_base;
	}
	for (i = 0; i < nseeds && i < 8; i++) {
		struct xfs_mount *tm;
		struct walk w;
		char copy[1200];

		snprintf(copy, sizeof(copy), "%s/%s-trash-%u.img", dir,
			 strrchr(img, '/') ? strrchr(img, '/') + 1 : img,
			 seeds[i]);
		if (access(copy, F_OK) != 0 &&
		    t_run("cp --sparse=always '%s' '%s.tmp' && %s -x -c blockget "
			  "-c 'blocktrash -n 48 -s %u -3 -t dir -t attr -t "
			  "symlink' '%s.tmp' >/dev/null 2>&1 && mv '%s.tmp' '%s'",
			  img, copy, REF_DB, seeds[i], copy, copy, copy) != 0) {
			CHECK(0, "blocktrash seed %u", seeds[i]);
			continue;
		}
		if (libxfs_mount(copy, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_QUIET,
				 &tm)) {
			CHECK(0, "mount trashed copy %u", seeds[i]);
			continue;
		}
		memset(&w, 0, sizeof(w));
		walk_tree(tm, tm->m_sb.sb_rootino, 0, &w);
		CHECK(w.st.bad == 0 && w.st.runs > 10 && w.st.errors > 0,
		      "blocktrash %s seed %u (48 dir/attr/symlink blocks): "
		      "%llu inodes read, %llu errors, nothing else",
		      strrchr(img, '/') ? strrchr(img, '/') + 1 : img, seeds[i],
		      (unsigned long long)w.st.runs,
		      (unsigned long long)w.st.errors);
		libxfs_umount(tm);
	}
}

/* ---- read errors ---- */

static int first_remote(struct xfs_inode *ip, const struct xfs_attr_ent *ae,
			void *priv)
{
	struct xfs_attr_ent *out = priv;

	if (ae->remote) {
		*out = *ae;
		out->name = NULL;
		return 1;
	}
	return 0;
}

/* The daddr of a block the operation on r must read, or 0. */
static uint64_t fault_daddr(struct xfs_mount *m, const struct rec *r,
			    struct xfs_attr_ent *rmt)
{
	struct xfs_bmbt_irec map;
	struct xfs_inode *ip;
	unsigned int n = 1;
	uint64_t daddr = 0;
	int whichfork = XFS_DATA_FORK;
	uint64_t bno = 0;

	if (libxfs_iget(m, r->ino, 0, &ip)) {
		return 0;
	}
	if (r->type == 'X') {
		memset(rmt, 0, sizeof(*rmt));
		libxfs_attr_iterate(m, ip, first_remote, rmt);
		whichfork = XFS_ATTR_FORK;
		bno = rmt->valueblk;
	} else if (r->type == 'D') {
		bno = m->m_dir_geo.fsbcount;	/* the second data block */
	}
	if (!libxfs_bmapi_read(ip, whichfork, bno, 1, &map, &n) && n == 1 &&
	    !xfs_bmap_is_hole(&map)) {
		daddr = xfs_mp_fsb_to_daddr(m, map.br_startblock);
	}
	libxfs_irele(ip);
	return daddr;
}

/* Read errors under a directory, a remote value and a remote symlink. */
static void fault_image(const char *img, const char *manifest)
{
	static const char *const paths[] = { "node", "attr_remote",
					     "links/max" };
	struct fuzz_targets t = { .n = 0 };
	struct xfs_mount *m;
	unsigned int i, j, ok = 0, tried = 0;

	manifest_walk(manifest, fuzz_pick, &t);
	if (libxfs_mount(img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_QUIET, &m)) {
		CHECK(0, "mount for read errors");
		return;
	}
	for (i = 0; i < t.n; i++) {
		struct libxfs_fault_rule rule = {
			.kind = LIBXFS_FAULT_READ_ERROR,
			.len = m->m_sb.sb_blocksize,
		};
		struct libxfs_dev *dev, *fdev;
		struct xfs_attr_ent rmt;
		struct xfs_mount *fm;
		struct xfs_inode *ip;
		char link[XFS_SYMLINK_MAXLEN + 1];
		uint8_t val[XFS_XATTR_SIZE_MAX];
		unsigned int len = sizeof(val);
		uint64_t daddr;
		int e = 0;

		for (j = 0; j < 3; j++) {
			if (strlen(paths[j]) == t.v[i].pathlen &&
			    memcmp(paths[j], t.v[i].path, t.v[i].pathlen) == 0) {
				break;
			}
		}
		daddr = j < 3 && t.v[i].type != 'F' ?
			fault_daddr(m, &t.v[i], &rmt) : 0;
		if (!daddr) {
			continue;
		}
		tried++;
		rule.off = BBTOB(daddr);
		if (libxfs_dev_open(img, LIBXFS_DEV_RDONLY, &dev)) {
			continue;
		}
		if (libxfs_dev_fault_wrap(dev, &fdev)) {
			libxfs_dev_close(dev);
			continue;
		}
		libxfs_dev_fault_add(fdev, &rule);
		if (libxfs_mount_dev(fdev, NULL, LIBXFS_MOUNT_RDONLY |
				     LIBXFS_MOUNT_QUIET, &fm)) {
			libxfs_dev_close(fdev);
			continue;
		}
		if (libxfs_iget(fm, t.v[i].ino, 0, &ip) == 0) {
			if (t.v[i].type == 'D') {
				uint64_t count = 0;

				e = libxfs_dir_iterate(fm, ip, count_dirent,
						       &count);
			} else if (t.v[i].type == 'X') {
				// Find the remote value's name again.
				for (j = 0; j < t.v[i].ents.n; j++) {
					if (t.v[i].ents.v[j].vlen ==
					    rmt.valuelen) {
						break;
					}
				}
				e = j < t.v[i].ents.n ? libxfs_attr_get(fm, ip,
					t.v[i].ents.v[j].ftype,
					t.v[i].ents.v[j].name,
					t.v[i].ents.v[j].namelen, val, &len) :
					0;
			} else {
				e = libxfs_readlink(fm, ip, link, sizeof(link));
			}
			libxfs_irele(ip);
		}
		ok += e == -EIO && libxfs_dev_fault_hits(fdev) > 0;
		libxfs_umount(fm);
	}
	libxfs_umount(m);
	for (i = 0; i < t.n; i++) {
		rec_free(&t.v[i]);
	}
	CHECK(tried == 3 && ok == 3, "read errors under a directory block, a "
	      "remote value and a remote symlink come back as -EIO (%u/%u)",
	      ok, tried);
}

#endif /* TEST_LIBXFS_DIR_FUZZ_H_ */
