/*
 * test_libxfs_alloc.c: the extent allocator on images made by the
 * reference mkfs.xfs (with and without rmapbt): thousands of random
 * allocations (exact, near, this AG, start AG, first AG; many sizes,
 * alignments, prod/mod) and frees (whole extents and pieces), some
 * transactions cancelled, checked every few hundred transactions with
 * the btree cursors (bnobt == cntbt, sums, shapes, free list, rmap
 * owners); then several threads at once; then everything freed, the
 * image unmounted, the reference xfs_repair -n must be clean and xfs_db
 * freesp must agree with our accounting.  Also the offload counters, in
 * process and (LIBXFS_ALLOC_STATS=1, LIBXFS_ALLOC_OFFLOAD=0) from a
 * child run.  A third image has 1 KiB blocks and is first cut into tens
 * of thousands of pieces, so that every tree is several levels deep and
 * splits, borrows, joins, grows and loses roots.  Environment:
 * T_ALLOC_TX (transactions, default 3000), T_ALLOC_FRAG (single blocks
 * for the fragmenting phase, default 40000), T_ALLOC_SEED.
 */
#include <pthread.h>

#include "test_libxfs_alloc_check.h"

#define REF_REPAIR	"/usr/sbin/xfs_repair"

/* ---- a small deterministic PRNG ---- */

static uint64_t rnd_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static uint32_t rnd(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(rnd_next(s) % n) : 0;
}

/* ---- the extents a workload holds ---- */

struct held {
	struct t_ext	*e;
	size_t		n, cap;
	uint64_t	blocks;
};

static void held_add(struct held *h, const struct t_ext *x)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->e = realloc(h->e, h->cap * sizeof(*h->e));
		if (!h->e) {
			abort();
		}
	}
	h->e[h->n++] = *x;
	h->blocks += x->len;
}

static void held_del(struct held *h, size_t i)
{
	h->blocks -= h->e[i].len;
	h->e[i] = h->e[--h->n];
}

static void held_copy(struct held *dst, const struct held *src)
{
	free(dst->e);
	*dst = *src;
	dst->e = malloc((src->cap ? src->cap : 1) * sizeof(*src->e));
	if (!dst->e) {
		abort();
	}
	if (src->n) {
		memcpy(dst->e, src->e, src->n * sizeof(*src->e));
	}
}

struct wl {
	struct xfs_mount	*mp;
	uint64_t		seed;
	struct held		h;
	uint64_t		limit;		/* keep held below this */
	uint64_t		owner_base;
	/* counters */
	uint64_t		allocs, nospace, frees, partial, cancels;
	uint64_t		commits, merges_tried;
	int			errors;
};

static struct xfs_owner_info ext_owner(const struct t_ext *x, uint64_t off)
{
	if (xfs_rmap_owner_is_special(x->owner)) {
		return xfs_rmap_special_owner(x->owner);
	}
	return xfs_rmap_ino_owner(x->owner, x->offset + off, 0);
}

#define WL_FAIL(w, ...) do { printf("# " __VA_ARGS__); printf("\n"); \
			     (w)->errors++; } while (0)

/* One random allocation inside tp; checks what the allocator promised. */
static int wl_alloc(struct wl *w, struct xfs_trans *tp)
{
	struct xfs_mount *mp = w->mp;
	struct xfs_alloc_arg a;
	uint32_t agcount = mp->m_sb.sb_agcount, kind = rnd(&w->seed, 100);
	uint32_t agno = rnd(&w->seed, agcount), sz = rnd(&w->seed, 100);
	uint32_t aglen = libxfs_ag_block_count(mp, agno);
	uint64_t target = xfs_agbno_to_fsbno(mp->m_sb.sb_agblklog, agno,
					     rnd(&w->seed, aglen));
	struct t_ext x = { 0 }, *ext = NULL;
	const char *how;
	int error;

	memset(&a, 0, sizeof(a));
	a.tp = tp;
	a.mp = mp;
	a.maxlen = sz < 70 ? 1 + rnd(&w->seed, 16) :
		   sz < 97 ? 1 + rnd(&w->seed, 256) : 1 + rnd(&w->seed, 2048);
	a.minlen = 1 + rnd(&w->seed, a.maxlen);
	if (rnd(&w->seed, 4) == 0) {
		a.minlen = 1;
	}
	if (rnd(&w->seed, 8) == 0) {
		a.alignment = 1U << (1 + rnd(&w->seed, 4));
	}
	if (rnd(&w->seed, 10) == 0) {
		a.prod = 2 + rnd(&w->seed, 6);
		a.mod = rnd(&w->seed, a.prod);
	}
	x.owner = rnd(&w->seed, 10) == 0 ? XFS_RMAP_OWN_INODES :
		  w->owner_base + rnd(&w->seed, 64);
	x.offset = rnd(&w->seed, 1U << 20);
	// Extending a held extent exactly: the rmapbt merges the two.
	if (kind < 10 && w->h.n) {
		ext = &w->h.e[rnd(&w->seed, (uint32_t)w->h.n)];
		target = ext->fsbno + ext->len;
		x.owner = ext->owner;
		x.offset = ext->offset + ext->len;
		a.alignment = a.prod = 0;
		a.mod = 0;
		w->merges_tried++;
	}
	a.oinfo = ext_owner(&x, 0);
	if (kind < 20) {
		how = "exact";
		a.alignment = a.prod = a.mod = 0;
		if (xfs_fsbno_to_agbno(mp->m_sb.sb_agblklog, target) >=
		    libxfs_ag_block_count(mp, xfs_fsbno_to_agno(
				mp->m_sb.sb_agblklog, target))) {
			return 0;	/* extending past the AG end */
		}
		error = xfs_alloc_vextent_exact_bno(&a, target);
	} else if (kind < 45) {
		how = "near";
		error = xfs_alloc_vextent_near_bno(&a, target);
	} else if (kind < 65) {
		how = "this_ag";
		error = xfs_alloc_vextent_this_ag(&a, agno);
	} else if (kind < 90) {
		how = "start_ag";
		error = xfs_alloc_vextent_start_ag(&a, target);
	} else {
		how = "first_ag";
		error = xfs_alloc_vextent_first_ag(&a, rnd(&w->seed, 2) ?
						   NULLFSBLOCK : target);
	}
	if (error) {
		WL_FAIL(w, "%s allocation failed: %d", how, error);
		return error;
	}
	if (a.fsbno == NULLFSBLOCK) {
		w->nospace++;
		return 0;
	}
	if (a.len < a.minlen || a.len > a.maxlen ||
	    (a.alignment > 1 && a.agbno % a.alignment) ||
	    (a.prod > 1 && a.len != a.maxlen && a.len % a.prod != a.mod) ||
	    (!strcmp(how, "exact") && a.fsbno != target) ||
	    (!strcmp(how, "near") && a.agno != xfs_fsbno_to_agno(
			mp->m_sb.sb_agblklog, target)) ||
	    (!strcmp(how, "this_ag") && a.agno != agno) ||
	    a.fsbno != xfs_agbno_to_fsbno(mp->m_sb.sb_agblklog, a.agno,
					  a.agbno)) {
		WL_FAIL(w, "%s gave %u/%u+%u for min %u max %u align %u "
			"prod %u mod %u", how, a.agno, a.agbno, a.len,
			a.minlen, a.maxlen, a.alignment, a.prod, a.mod);
		return -EINVAL;
	}
	x.fsbno = a.fsbno;
	x.len = a.len;
	held_add(&w->h, &x);
	w->allocs++;
	return 0;
}

/* Free a random held extent, or a piece of it. */
static int wl_free(struct wl *w, struct xfs_trans *tp)
{
	size_t i = rnd(&w->seed, (uint32_t)w->h.n);
	struct t_ext x = w->h.e[i], tail;
	uint32_t off = 0, len = x.len;
	struct xfs_owner_info oi;
	int error;

	if (x.len > 2 && rnd(&w->seed, 3) == 0) {
		off = rnd(&w->seed, x.len);
		len = 1 + rnd(&w->seed, x.len - off);
		w->partial++;
	}
	oi = ext_owner(&x, off);
	error = xfs_free_extent(tp, x.fsbno + off, len, &oi);
	if (error) {
		WL_FAIL(w, "free of %llu+%u failed: %d",
			(unsigned long long)(x.fsbno + off), len, error);
		return error;
	}
	held_del(&w->h, i);
	if (off) {
		struct t_ext head = x;

		head.len = off;
		held_add(&w->h, &head);
	}
	if (off + len < x.len) {
		tail = x;
		tail.fsbno = x.fsbno + off + len;
		tail.len = x.len - off - len;
		if (!xfs_rmap_owner_is_special(x.owner)) {
			tail.offset = x.offset + off + len;
		}
		held_add(&w->h, &tail);
	}
	w->frees++;
	return 0;
}

/* One transaction of 1-6 operations; one in ten is cancelled. */
static int wl_transaction(struct wl *w)
{
	struct held saved = { 0 };
	struct xfs_trans *tp;
	bool cancel = rnd(&w->seed, 10) == 0;
	unsigned int nops = 1 + rnd(&w->seed, 6), i;
	int error;

	error = xfs_trans_alloc(w->mp, 64, &tp);
	if (error) {
		WL_FAIL(w, "xfs_trans_alloc: %d", error);
		return error;
	}
	if (cancel) {
		held_copy(&saved, &w->h);
	}
	for (i = 0; i < nops && !error; i++) {
		bool do_free = w->h.n &&
			(w->h.blocks > w->limit || rnd(&w->seed, 100) < 45);

		error = do_free ? wl_free(w, tp) : wl_alloc(w, tp);
	}
	if (cancel || error) {
		xfs_trans_cancel(tp);
		if (cancel) {
			free(w->h.e);
			w->h = saved;
		}
		w->cancels++;
		return error;
	}
	free(saved.e);
	error = xfs_trans_commit(tp);
	if (error) {
		WL_FAIL(w, "commit: %d", error);
	}
	w->commits++;
	return error;
}

/* Free everything held, a few extents per transaction. */
static int wl_free_all(struct wl *w)
{
	struct xfs_trans *tp;
	int error = 0;

	while (w->h.n && !error) {
		unsigned int i;

		error = xfs_trans_alloc(w->mp, 0, &tp);
		for (i = 0; !error && i < 8 && w->h.n; i++) {
			struct t_ext x = w->h.e[w->h.n - 1];
			struct xfs_owner_info oi = ext_owner(&x, 0);

			error = xfs_free_extent(tp, x.fsbno, x.len, &oi);
			if (!error) {
				held_del(&w->h, w->h.n - 1);
			}
		}
		if (error) {
			WL_FAIL(w, "freeing everything: %d", error);
			xfs_trans_cancel(tp);
			break;
		}
		error = xfs_trans_commit(tp);
	}
	return error;
}

/* ---- phases ---- */

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void check_point(struct xfs_mount *mp, const struct held *h,
			uint64_t orig_fd, const char *when)
{
	uint64_t fd, freeblks, records;
	int bad = t_check_all(mp, h->e, h->n, &fd, &freeblks, &records);

	CHECK(bad == 0, "%s: free-space trees, free lists and rmaps "
	      "consistent (%llu free extents, %llu blocks; heights bno %u "
	      "cnt %u rmap %u)", when, (unsigned long long)records,
	      (unsigned long long)freeblks, t_max_levels[0], t_max_levels[1],
	      t_max_levels[2]);
	CHECK(fd == mp->m_sb.sb_fdblocks && fd + h->blocks == orig_fd,
	      "%s: AG counters %llu == sb_fdblocks %llu == %llu - %llu held",
	      when, (unsigned long long)fd,
	      (unsigned long long)mp->m_sb.sb_fdblocks,
	      (unsigned long long)orig_fd, (unsigned long long)h->blocks);
}

struct thread_arg {
	struct wl	w;
	unsigned int	ntx;
	int		error;
};

static void *thread_main(void *p)
{
	struct thread_arg *ta = p;
	unsigned int i;

	for (i = 0; i < ta->ntx && !ta->error; i++) {
		ta->error = wl_transaction(&ta->w);
	}
	if (!ta->error) {
		ta->error = wl_free_all(&ta->w);
	}
	return NULL;
}

/*
 * Cut free space into many small pieces -- single blocks near random
 * targets, then every other one freed -- so that the free-space and
 * rmap btrees grow several levels (and shrink again when all is freed).
 */
static int wl_fragment(struct wl *w, unsigned int nblocks)
{
	struct xfs_mount *mp = w->mp;
	unsigned int done = 0, i;
	size_t first = w->h.n, k;
	int error = 0;

	while (done < nblocks && !error) {
		struct xfs_trans *tp;

		error = xfs_trans_alloc(mp, 32, &tp);
		for (i = 0; !error && i < 32; i++, done++) {
			struct xfs_alloc_arg a;
			struct t_ext x = { .owner = w->owner_base + i,
					   .offset = done };
			// Mostly AG 0, so that its trees grow tallest.
			uint32_t agno = rnd(&w->seed, 8) ? 0 :
					rnd(&w->seed, mp->m_sb.sb_agcount);

			memset(&a, 0, sizeof(a));
			a.tp = tp;
			a.mp = mp;
			a.minlen = a.maxlen = 1;
			a.oinfo = ext_owner(&x, 0);
			error = xfs_alloc_vextent_near_bno(&a,
				xfs_agbno_to_fsbno(mp->m_sb.sb_agblklog, agno,
					rnd(&w->seed,
					    libxfs_ag_block_count(mp, agno))));
			if (!error && a.fsbno != NULLFSBLOCK) {
				x.fsbno = a.fsbno;
				x.len = 1;
				held_add(&w->h, &x);
			}
		}
		if (error) {
			WL_FAIL(w, "fragmenting: %d", error);
			xfs_trans_cancel(tp);
			return error;
		}
		error = xfs_trans_commit(tp);
	}
	// Free every other one of them (from the end: held_del swaps).
	for (k = w->h.n; !error && k > first + 1; ) {
		struct xfs_trans *tp;

		error = xfs_trans_alloc(mp, 0, &tp);
		for (i = 0; !error && i < 32 && k > first + 1; i++) {
			struct t_ext x;
			struct xfs_owner_info oi;

			k -= 2;
			x = w->h.e[k];
			oi = ext_owner(&x, 0);
			error = xfs_free_extent(tp, x.fsbno, x.len, &oi);
			if (!error) {
				held_del(&w->h, k);
			}
		}
		if (error) {
			WL_FAIL(w, "fragmenting frees: %d", error);
			xfs_trans_cancel(tp);
			return error;
		}
		error = xfs_trans_commit(tp);
	}
	return error;
}

/* A batch of allocations on one worker: each runs nested. */
static int batch_fn(void *p)
{
	struct wl *w = p;
	int i, error = 0;

	for (i = 0; i < 20 && !error; i++) {
		error = wl_transaction(w);
	}
	return error;
}

static void run_image(const char *name, const char *mkfs_opts,
		      uint64_t ntx, uint64_t seed, unsigned int nfrag)
{
	const char *img = t_path(name);
	struct xfs_alloc_offload_stats st0, st1;
	struct thread_arg ta[4];
	pthread_t th[4];
	struct xfs_mount *mp;
	struct wl w;
	uint64_t orig_fd, orig_ext = 0, orig_blk = 0, ext = 0, blk = 0;
	uint64_t fd = 0, freeblks = 0, records = 0;
	unsigned int t;
	int error, i;

	printf("# image %s (%s), %llu transactions, seed %llu\n", name,
	       mkfs_opts, (unsigned long long)ntx, (unsigned long long)seed);
	if (t_mkfs(img, "512m", mkfs_opts) != 0 ||
	    t_freesp(img, &orig_ext, &orig_blk) != 0) {
		CHECK(0, "make %s", name);
		return;
	}
	error = libxfs_mount(img, 0, &mp);
	CHECK(error == 0, "mount %s read-write", name);
	if (error) {
		return;
	}
	orig_fd = mp->m_sb.sb_fdblocks;
	check_point(mp, &(struct held){ 0 }, orig_fd, "fresh image");
	xfs_alloc_offload_get_stats(&st0);

	memset(&w, 0, sizeof(w));
	w.mp = mp;
	w.seed = seed;
	w.limit = orig_fd / 2;
	w.owner_base = 1000;
	for (i = 0; (uint64_t)i < ntx && !w.errors; i++) {
		wl_transaction(&w);
		if ((i + 1) % 500 == 0) {
			char when[64];

			snprintf(when, sizeof(when), "after %d transactions",
				 i + 1);
			check_point(mp, &w.h, orig_fd, when);
		}
	}
	CHECK(w.errors == 0, "%llu transactions: %llu allocations (%llu "
	      "found no space, %llu exact extensions tried), %llu frees "
	      "(%llu partial), %llu cancelled", (unsigned long long)ntx,
	      (unsigned long long)w.allocs, (unsigned long long)w.nospace,
	      (unsigned long long)w.merges_tried,
	      (unsigned long long)w.frees, (unsigned long long)w.partial,
	      (unsigned long long)w.cancels);
	check_point(mp, &w.h, orig_fd, "single-threaded phase");
	if (nfrag) {
		error = wl_fragment(&w, nfrag);
		CHECK(error == 0, "fragmented: %u single blocks taken, every "
		      "other one given back", nfrag);
		check_point(mp, &w.h, orig_fd, "fragmented");
	}

	// A batch run on one worker: the allocations inside are nested.
	xfs_alloc_offload_get_stats(&st1);
	error = xfs_alloc_offload_run(batch_fn, &w);
	xfs_alloc_offload_get_stats(&st0);
	CHECK(error == 0 && st0.nested > st1.nested &&
	      st0.offloaded == st1.offloaded,
	      "batch on a worker: %llu nested calls, no hand-offs",
	      (unsigned long long)(st0.nested - st1.nested));

	// Threads at once, each with its own extents, all in the same AGs.
	xfs_alloc_offload_get_stats(&st0);
	for (t = 0; t < 4; t++) {
		memset(&ta[t], 0, sizeof(ta[t]));
		ta[t].w.mp = mp;
		ta[t].w.seed = seed * 31 + t + 1;
		ta[t].w.limit = orig_fd / 16;
		ta[t].w.owner_base = 5000 + 100 * t;
		ta[t].ntx = (unsigned int)(ntx / 8 + 1);
		pthread_create(&th[t], NULL, thread_main, &ta[t]);
	}
	for (t = 0; t < 4; t++) {
		pthread_join(th[t], NULL);
		CHECK(ta[t].error == 0 && ta[t].w.errors == 0 &&
		      ta[t].w.h.n == 0,
		      "thread %u: %llu allocations, %llu frees, %llu commits, "
		      "all freed", t, (unsigned long long)ta[t].w.allocs,
		      (unsigned long long)ta[t].w.frees,
		      (unsigned long long)ta[t].w.commits);
		free(ta[t].w.h.e);
	}
	xfs_alloc_offload_get_stats(&st1);
	printf("# threads: %llu busy AGFs waited for on the caller's thread, "
	       "%llu frees deferred to keep the AG order\n",
	       (unsigned long long)(st1.agf_waits - st0.agf_waits),
	       (unsigned long long)(st1.deferred_frees - st0.deferred_frees));
	check_point(mp, &w.h, orig_fd, "after the threads");

	error = wl_free_all(&w);
	CHECK(error == 0 && w.h.n == 0, "freed everything");
	if (t_check_all(mp, NULL, 0, &fd, &freeblks, &records) == 0) {
		CHECK(fd == orig_fd, "all blocks free again: %llu == %llu "
		      "(heights bno %u cnt %u rmap %u)",
		      (unsigned long long)fd, (unsigned long long)orig_fd,
		      t_max_levels[0], t_max_levels[1], t_max_levels[2]);
	} else {
		CHECK(0, "final structure check");
	}
	xfs_alloc_offload_get_stats(&st1);
	CHECK(st1.calls > 0 && st1.offloaded + st1.nested == st1.calls &&
	      st1.inline_calls == 0,
	      "offload counters: calls=%llu offloaded=%llu nested=%llu "
	      "inline=%llu", (unsigned long long)st1.calls,
	      (unsigned long long)st1.offloaded,
	      (unsigned long long)st1.nested,
	      (unsigned long long)st1.inline_calls);
	error = libxfs_umount(mp);
	CHECK(error == 0, "unmount");
	free(w.h.e);

	CHECK(t_run("%s -n '%s' >%s 2>&1", REF_REPAIR, img,
		    t_path("repair.log")) == 0,
	      "reference xfs_repair -n finds nothing");
	error = t_freesp(img, &ext, &blk);
	CHECK(error == 0 && ext == records && blk == freeblks,
	      "xfs_db freesp: %llu extents, %llu blocks == ours (%llu, %llu, "
	      "free-list blocks included)", (unsigned long long)ext,
	      (unsigned long long)blk, (unsigned long long)records,
	      (unsigned long long)freeblks);
	printf("# freesp before: %llu extents, %llu blocks; after: %llu, "
	       "%llu (blocks differ only by btree blocks beyond the roots; "
	       "extents by where free-list and btree blocks now sit)\n",
	       (unsigned long long)orig_ext, (unsigned long long)orig_blk,
	       (unsigned long long)ext, (unsigned long long)blk);
	CHECK(t_db_u64(img, "-c 'sb 0' -c 'p fdblocks'", "fdblocks") ==
	      orig_fd, "superblock fdblocks back to %llu",
	      (unsigned long long)orig_fd);
}

/* ---- the counters seen from outside ---- */

static int child_main(const char *img, unsigned int ntx)
{
	struct xfs_mount *mp;
	struct wl w;
	unsigned int i;

	if (libxfs_mount(img, LIBXFS_MOUNT_QUIET, &mp)) {
		return 2;
	}
	memset(&w, 0, sizeof(w));
	w.mp = mp;
	w.seed = 7;
	w.limit = mp->m_sb.sb_fdblocks / 4;
	w.owner_base = 1000;
	for (i = 0; i < ntx; i++) {
		wl_transaction(&w);
	}
	wl_free_all(&w);
	free(w.h.e);
	libxfs_umount(mp);
	return w.errors ? 1 : 0;
}

static void check_stats_line(const char *self, const char *img,
			     const char *env, bool offload)
{
	char cmd[1024], line[512], again[512];
	unsigned long long c = 0, o = 0, n = 0, in = 0, r = 0;
	unsigned int wk = 0;
	int got = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s LIBXFS_ALLOC_STATS=1 '%s' --child '%s' "
		 "2>&1 >/dev/null", env, self, img);
	f = popen(cmd, "r");
	if (!f) {
		CHECK(0, "run child");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "alloc: calls=%llu offloaded=%llu nested=%llu "
			   "inline=%llu workers=%u rescued=%llu", &c, &o, &n,
			   &in, &wk, &r) == 6) {
			snprintf(again, sizeof(again),
				 "alloc: calls=%llu offloaded=%llu nested=%llu "
				 "inline=%llu workers=%u rescued=%llu", c, o, n,
				 in, wk, r);
			got = strcmp(again, line) == 0;
			printf("# %s: %s\n", env, line);
		}
	}
	CHECK(pclose(f) == 0 && got, "%s: child prints one exact stats line",
	      env);
	if (offload) {
		CHECK(c > 0 && o + n == c && in == 0 && wk >= 2,
		      "offloaded + nested == calls, %u workers", wk);
	} else {
		CHECK(c > 0 && o == 0 && in == c,
		      "LIBXFS_ALLOC_OFFLOAD=0: nothing offloaded, all inline");
	}
}

int main(int argc, char **argv)
{
	uint64_t ntx = env_u64("T_ALLOC_TX", 3000);
	uint64_t seed = env_u64("T_ALLOC_SEED", 0x5eed1234ULL);

	// --child IMG [TX]: a workload that frees all it took (stats runs,
	// and images for the kernel to mount in u_libxfs_alloc_kernel).
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "--child") == 0) {
		return child_main(argv[2], argc == 4 ?
				  (unsigned int)strtoul(argv[3], NULL, 0) : 50);
	}
	t_require_reference();
	t_setup_dir();
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_image("plain.img", "", ntx, seed, 0);
	run_image("rmap.img", "-m rmapbt=1", ntx, seed + 1, 0);
	// Small blocks: trees several levels deep.
	run_image("rmap1k.img", "-b size=1024 -m rmapbt=1", ntx, seed + 2,
		  (unsigned int)env_u64("T_ALLOC_FRAG", 40000));

	if (t_mkfs(t_path("child.img"), "512m", "-m rmapbt=1") == 0) {
		check_stats_line(argv[0], t_path("child.img"), "", true);
		check_stats_line(argv[0], t_path("child.img"),
				 "LIBXFS_ALLOC_OFFLOAD=0", false);
		CHECK(t_run("%s -n '%s' >/dev/null 2>&1", REF_REPAIR,
			    t_path("child.img")) == 0,
		      "child image clean for xfs_repair -n");
	}
	printf("%s\n", t_failures ? "FAILED" : "all passed");
	return t_failures ? 1 : 0;
}
