/*
 * test_libxfs_alloc_check.h: structure and accounting checks shared by
 * the allocator tests (included, not linked).  For one AG: the bnobt and
 * cntbt hold the same extents (equal counts, no overlaps, neighbours
 * merged, sum == agf_freeblks, last cntbt record == agf_longest), every
 * tree passes libxfs_btree_check, the free list's blocks are neither
 * free nor handed out, and with rmapbt every extent the test holds is
 * mapped to its owner and no mapping covers free space.
 */
#ifndef TEST_LIBXFS_ALLOC_CHECK_H_
#define TEST_LIBXFS_ALLOC_CHECK_H_

#include "test_libxfs_util.h"

/* An extent the test holds. */
struct t_ext {
	uint64_t	fsbno;
	uint32_t	len;
	uint64_t	owner;
	uint64_t	offset;
};

struct t_frec {
	uint32_t	bno, len;
};

struct t_agsum {
	uint64_t	freeblks;	/* agf_freeblks */
	uint64_t	flcount;
	uint64_t	btreeblks;
	uint64_t	records;	/* bnobt records */
	unsigned int	levels[3];	/* bnobt, cntbt, rmapbt heights */
};

/* Tallest trees seen by the last t_check_all. */
static unsigned int t_max_levels[3];

static int t_collect_alloc(struct xfs_btree_cur *cur, const void *rec,
			   void *priv)
{
	struct t_frec **pp = priv;
	const struct xfs_alloc_rec *r = rec;

	(*pp)->bno = be32_to_cpu(r->ar_startblock);
	(*pp)->len = be32_to_cpu(r->ar_blockcount);
	(*pp)++;
	return 0;
}

static int t_cmp_frec(const void *a, const void *b)
{
	const struct t_frec *x = a, *y = b;

	return x->bno < y->bno ? -1 : x->bno > y->bno;
}

/* Is [bno, bno+len) inside a free extent of the sorted array? overlap? */
static bool t_overlaps_free(const struct t_frec *f, size_t n, uint32_t bno,
			    uint32_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (f[mid].bno + f[mid].len <= bno) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo < n && f[lo].bno < bno + len;
}

struct t_rmap_ctx {
	const struct t_frec	*free;
	size_t			nfree;
	int			bad;
	uint64_t		records;
};

static int t_rmap_vs_free(struct xfs_btree_cur *cur, const void *rec,
			  void *priv)
{
	struct t_rmap_ctx *c = priv;
	const struct xfs_rmap_rec *r = rec;

	c->records++;
	if (t_overlaps_free(c->free, c->nfree, be32_to_cpu(r->rm_startblock),
			    be32_to_cpu(r->rm_blockcount))) {
		c->bad++;
	}
	return 0;
}

/* Is ext mapped to its owner in the rmapbt? */
static bool t_rmap_has(struct xfs_mount *mp, struct xfs_buf *agbp,
		       uint32_t agbno, uint32_t len, uint64_t owner,
		       uint64_t offset)
{
	struct xfs_btree_cur *cur;
	struct xfs_rmap_key k;
	const struct xfs_rmap_rec *r;
	const void *rec;
	bool ok = false;
	int stat;

	if (libxfs_btree_init_agf_cursor(mp, agbp, &xfs_rmapbt_ops, 0, &cur)) {
		return false;
	}
	k.rm_startblock = cpu_to_be32(agbno);
	k.rm_owner = cpu_to_be64(UINT64_MAX);
	k.rm_offset = cpu_to_be64(XFS_RMAP_OFF_MASK);
	if (libxfs_btree_lookup(cur, XFS_LOOKUP_LE, &k, &stat) == 0 && stat &&
	    libxfs_btree_get_rec(cur, &rec, &stat) == 0 && stat) {
		uint32_t s, l;
		uint64_t off;

		r = rec;
		s = be32_to_cpu(r->rm_startblock);
		l = be32_to_cpu(r->rm_blockcount);
		off = xfs_rmap_off_offset(be64_to_cpu(r->rm_offset));
		ok = s <= agbno && s + l >= agbno + len &&
		     be64_to_cpu(r->rm_owner) == owner &&
		     (xfs_rmap_owner_is_special(owner) ||
		      off + (agbno - s) == offset);
	}
	libxfs_btree_del_cursor(cur);
	return ok;
}

/*
 * Check AG agno against the extents the test holds (exts[0..n)); fill
 * *sum.  Returns the number of problems (each printed as "# ...").
 */
static int t_check_ag(struct xfs_mount *mp, uint32_t agno,
		      const struct t_ext *exts, size_t n,
		      struct t_agsum *sum)
{
	uint32_t agblocks = libxfs_ag_block_count(mp, agno);
	struct t_frec *bno = calloc(agblocks / 2 + 2, sizeof(*bno));
	struct t_frec *cnt = calloc(agblocks / 2 + 2, sizeof(*cnt));
	struct t_frec *p;
	struct xfs_btree_cur *cur;
	struct xfs_buf *agbp = NULL, *agflbp = NULL;
	struct xfs_agf *agf;
	size_t nb = 0, nc = 0, i;
	uint64_t total = 0, nblocks, longest = 0;
	const char *why;
	int bad = 0;

#define T_BAD(...) do { printf("# AG %u: ", agno); printf(__VA_ARGS__); \
			printf("\n"); bad++; } while (0)
	memset(sum, 0, sizeof(*sum));
	if (!bno || !cnt || libxfs_read_agf(mp, agno, 0, &agbp) ||
	    libxfs_read_agfl(mp, agno, 0, &agflbp)) {
		T_BAD("cannot read AG headers");
		goto out;
	}
	agf = agbp->b_addr;
	sum->freeblks = be32_to_cpu(agf->agf_freeblks);
	sum->flcount = be32_to_cpu(agf->agf_flcount);
	sum->btreeblks = be32_to_cpu(agf->agf_btreeblks);
	for (i = 0; i < 3; i++) {
		sum->levels[i] = be32_to_cpu(agf->agf_levels[i]);
	}
	// Both free-space trees: shape, then contents.
	for (i = 0; i < 2; i++) {
		const struct xfs_btree_ops *ops = i ? &xfs_cntbt_ops :
						      &xfs_bnobt_ops;

		if (libxfs_btree_init_agf_cursor(mp, agbp, ops, 0, &cur)) {
			T_BAD("no %s cursor", ops->name);
			goto out;
		}
		if (libxfs_btree_check(cur, &nblocks, &why)) {
			T_BAD("%s shape: %s", ops->name, why);
		}
		p = i ? cnt : bno;
		if (libxfs_btree_query_all(cur, t_collect_alloc, &p)) {
			T_BAD("%s walk failed", ops->name);
		}
		if (i) {
			nc = (size_t)(p - cnt);
		} else {
			nb = (size_t)(p - bno);
		}
		libxfs_btree_del_cursor(cur);
	}
	sum->records = nb;
	if (nb != nc) {
		T_BAD("bnobt has %zu records, cntbt %zu", nb, nc);
	}
	for (i = 0; i < nb; i++) {
		total += bno[i].len;
		if (bno[i].len > longest) {
			longest = bno[i].len;
		}
		if (bno[i].bno + bno[i].len > agblocks) {
			T_BAD("free extent %u+%u beyond the AG", bno[i].bno,
			      bno[i].len);
		}
		if (i && bno[i - 1].bno + bno[i - 1].len >= bno[i].bno) {
			T_BAD("free extents %u+%u, %u+%u overlap or touch",
			      bno[i - 1].bno, bno[i - 1].len, bno[i].bno,
			      bno[i].len);
		}
	}
	if (total != sum->freeblks) {
		T_BAD("free extents sum to %llu, agf_freeblks %llu",
		      (unsigned long long)total,
		      (unsigned long long)sum->freeblks);
	}
	if (longest != be32_to_cpu(agf->agf_longest)) {
		T_BAD("longest %llu, agf_longest %u",
		      (unsigned long long)longest,
		      be32_to_cpu(agf->agf_longest));
	}
	if (nb == nc) {
		qsort(cnt, nc, sizeof(*cnt), t_cmp_frec);
		if (memcmp(bno, cnt, nb * sizeof(*bno)) != 0) {
			T_BAD("bnobt and cntbt hold different extents");
		}
	}
	// The free list's blocks are not free.
	for (i = 0; i < sum->flcount; i++) {
		uint32_t slot = (be32_to_cpu(agf->agf_flfirst) + i) %
				mp->m_agfl_size;
		uint32_t b = be32_to_cpu(xfs_agfl_bno(agflbp->b_addr)[slot]);

		if (b >= agblocks || t_overlaps_free(bno, nb, b, 1)) {
			T_BAD("AGFL block %u is free or bad", b);
		}
	}
	// Our extents are not free, and are mapped to their owners.
	for (i = 0; i < n; i++) {
		uint32_t a = xfs_fsbno_to_agno(mp->m_sb.sb_agblklog,
					       exts[i].fsbno);
		uint32_t b = xfs_fsbno_to_agbno(mp->m_sb.sb_agblklog,
						exts[i].fsbno);

		if (a != agno) {
			continue;
		}
		if (t_overlaps_free(bno, nb, b, exts[i].len)) {
			T_BAD("held extent %u+%u is free", b, exts[i].len);
		}
		if (xfs_has_rmapbt(mp) &&
		    !t_rmap_has(mp, agbp, b, exts[i].len, exts[i].owner,
				exts[i].offset)) {
			T_BAD("held extent %u+%u owner %llu not in rmapbt", b,
			      exts[i].len, (unsigned long long)exts[i].owner);
		}
	}
	if (xfs_has_rmapbt(mp) &&
	    !libxfs_btree_init_agf_cursor(mp, agbp, &xfs_rmapbt_ops, 0, &cur)) {
		struct t_rmap_ctx rc = { .free = bno, .nfree = nb };

		if (libxfs_btree_check(cur, &nblocks, &why)) {
			T_BAD("rmapbt shape: %s", why);
		}
		if (libxfs_btree_query_all(cur, t_rmap_vs_free, &rc) || rc.bad) {
			T_BAD("%d rmap records cover free space", rc.bad);
		}
		if (nblocks != be32_to_cpu(agf->agf_rmap_blocks)) {
			T_BAD("rmapbt has %llu blocks, agf_rmap_blocks %u",
			      (unsigned long long)nblocks,
			      be32_to_cpu(agf->agf_rmap_blocks));
		}
		libxfs_btree_del_cursor(cur);
	}
#undef T_BAD
out:
	libxfs_buf_relse(agflbp);
	libxfs_buf_relse(agbp);
	free(bno);
	free(cnt);
	return bad;
}

/*
 * Check every AG; *fd gets sum(freeblks + flcount + btreeblks), *freeblks
 * and *records what xfs_db freesp counts: the free-space records plus
 * every AGFL block as a one-block extent.
 */
static int t_check_all(struct xfs_mount *mp, const struct t_ext *exts,
		       size_t n, uint64_t *fd, uint64_t *freeblks,
		       uint64_t *records)
{
	struct t_agsum s;
	uint32_t agno;
	int bad = 0;

	*fd = *freeblks = *records = 0;
	memset(t_max_levels, 0, sizeof(t_max_levels));
	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		unsigned int i;

		bad += t_check_ag(mp, agno, exts, n, &s);
		for (i = 0; i < 3; i++) {
			if (s.levels[i] > t_max_levels[i]) {
				t_max_levels[i] = s.levels[i];
			}
		}
		*fd += s.freeblks + s.flcount + s.btreeblks;
		*freeblks += s.freeblks + s.flcount;
		*records += s.records + s.flcount;
	}
	return bad;
}

/* "total free extents N" / "total free blocks N" from xfs_db freesp -s. */
static int t_freesp(const char *img, uint64_t *extents, uint64_t *blocks)
{
	char cmd[1024], line[256];
	FILE *f;
	int found = 0;

	snprintf(cmd, sizeof(cmd), "%s -r -c 'freesp -s' '%s' 2>/dev/null",
		 REF_DB, img);
	f = popen(cmd, "r");
	if (!f) {
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "total free extents %llu", &v) == 1) {
			*extents = v;
			found |= 1;
		} else if (sscanf(line, "total free blocks %llu", &v) == 1) {
			*blocks = v;
			found |= 2;
		}
	}
	pclose(f);
	return found == 3 ? 0 : -1;
}

#endif /* TEST_LIBXFS_ALLOC_CHECK_H_ */
