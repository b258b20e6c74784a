/*
 * test_bitmap.c: unit test for libfrog/bitmap.
 *
 * Fixed cases for the edges (empty ranges, ranges reaching UINT64_MAX,
 * merging of touching extents, splitting one extent, early stop of a
 * walk), then long runs of random set/clear operations checked after every
 * step against a plain bit array: the extent list, counts, and every query.
 * The random runs use a window at 0 and a window ending at UINT64_MAX.
 * Prints "ok - ..." / "not ok - ..." per check; exits 1 on any failure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libfrog/bitmap.h"

/* Sanitizer builds check every step slowly; run fewer random steps. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define STEP_DIV 4
#else
#define STEP_DIV 1
#endif

static int failures;

static void check(bool cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failures++;
}

static uint64_t rng_state = 12345;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* ---- collecting extents ---- */

#define MAX_EXT 4096

struct ext_list {
	size_t		n;
	uint64_t	start[MAX_EXT];
	uint64_t	len[MAX_EXT];
	size_t		stop_after;	/* return 1 after this many, 0 = never */
};

static int collect(uint64_t start, uint64_t len, void *priv)
{
	struct ext_list *el = priv;

	if (el->n < MAX_EXT) {
		el->start[el->n] = start;
		el->len[el->n] = len;
	}
	el->n++;
	if (el->stop_after && el->n == el->stop_after)
		return 1;
	return 0;
}

static bool extents_are(const struct bitmap *b, size_t n,
			const uint64_t *starts, const uint64_t *lens)
{
	static struct ext_list el;
	size_t i;

	memset(&el, 0, sizeof(el));
	if (bitmap_iterate(b, collect, &el) != 0 || el.n != n ||
	    bitmap_nr_extents(b) != n)
		return false;
	for (i = 0; i < n; i++)
		if (el.start[i] != starts[i] || el.len[i] != lens[i])
			return false;
	return true;
}

/* ---- fixed cases ---- */

static void test_fixed(void)
{
	struct bitmap *b = NULL;
	static struct ext_list el;
	uint64_t s, l;

	check(bitmap_alloc(&b) == 0 && b && bitmap_empty(b) &&
	      bitmap_count(b) == 0 && bitmap_nr_extents(b) == 0,
	      "new bitmap is empty");
	check(!bitmap_test(b, 0, UINT64_MAX) && bitmap_test_all(b, 5, 0) &&
	      !bitmap_test(b, 5, 0), "queries on an empty bitmap");
	check(!bitmap_next_set(b, 0, &s, &l), "next_set on empty bitmap finds nothing");
	check(bitmap_next_clear(b, 7, &s, &l) && s == 7 && l == UINT64_MAX - 7,
	      "next_clear on empty bitmap runs to UINT64_MAX");

	check(bitmap_set(b, 10, 0) == 0 && bitmap_empty(b), "set of length 0 is a no-op");
	check(bitmap_set(b, UINT64_MAX, 1) == -EINVAL &&
	      bitmap_set(b, 2, UINT64_MAX) == -EINVAL &&
	      bitmap_clear(b, UINT64_MAX - 1, 2) == -EINVAL && bitmap_empty(b),
	      "ranges passing UINT64_MAX are rejected with -EINVAL");

	bitmap_set(b, 10, 5);
	bitmap_set(b, 20, 5);
	check(extents_are(b, 2, (uint64_t[]){ 10, 20 }, (uint64_t[]){ 5, 5 }) &&
	      bitmap_count(b) == 10, "two separate extents stay separate");
	bitmap_set(b, 15, 5);
	check(extents_are(b, 1, (uint64_t[]){ 10 }, (uint64_t[]){ 15 }) &&
	      bitmap_count(b) == 15, "filling the gap exactly merges both neighbours");
	bitmap_set(b, 25, 1);
	bitmap_set(b, 9, 1);
	check(extents_are(b, 1, (uint64_t[]){ 9 }, (uint64_t[]){ 17 }),
	      "touching extents on either side merge");
	bitmap_set(b, 12, 3);
	check(extents_are(b, 1, (uint64_t[]){ 9 }, (uint64_t[]){ 17 }) &&
	      bitmap_count(b) == 17, "setting inside an extent changes nothing");

	bitmap_clear(b, 12, 3);
	check(extents_are(b, 2, (uint64_t[]){ 9, 15 }, (uint64_t[]){ 3, 11 }) &&
	      bitmap_count(b) == 14, "clearing the middle splits an extent");
	check(bitmap_test(b, 11, 2) && !bitmap_test(b, 12, 3) &&
	      bitmap_test_all(b, 15, 11) && !bitmap_test_all(b, 15, 12) &&
	      !bitmap_test_all(b, 9, 17), "test and test_all around a hole");
	check(bitmap_next_set(b, 12, &s, &l) && s == 15 && l == 11 &&
	      bitmap_next_set(b, 17, &s, &l) && s == 17 && l == 9 &&
	      !bitmap_next_set(b, 26, &s, &l), "next_set");
	check(bitmap_next_clear(b, 9, &s, &l) && s == 12 && l == 3 &&
	      bitmap_next_clear(b, 0, &s, &l) && s == 0 && l == 9 &&
	      bitmap_next_clear(b, 20, &s, &l) && s == 26 && l == UINT64_MAX - 26,
	      "next_clear");
	check(bitmap_count_range(b, 10, 10) == 7, "count_range");

	memset(&el, 0, sizeof(el));
	check(bitmap_iterate_range(b, 10, 10, collect, &el) == 0 && el.n == 2 &&
	      el.start[0] == 10 && el.len[0] == 2 && el.start[1] == 15 &&
	      el.len[1] == 5, "iterate_range clips extents");
	memset(&el, 0, sizeof(el));
	el.stop_after = 1;
	check(bitmap_iterate(b, collect, &el) == 1 && el.n == 1,
	      "a non-zero callback return stops the walk and is returned");

	bitmap_clear(b, 0, 100);
	check(bitmap_empty(b) && bitmap_count(b) == 0 && bitmap_nr_extents(b) == 0,
	      "clearing everything empties the bitmap");

	check(bitmap_set(b, 0, UINT64_MAX) == 0 && bitmap_count(b) == UINT64_MAX &&
	      bitmap_test_all(b, 0, UINT64_MAX) && bitmap_test(b, UINT64_MAX - 1, 1),
	      "the whole domain can be set");
	check(!bitmap_next_clear(b, 0, &s, &l) && !bitmap_next_clear(b, UINT64_MAX, &s, &l),
	      "next_clear finds nothing in a full bitmap");
	check(bitmap_clear(b, UINT64_MAX - 1, 1) == 0 &&
	      bitmap_next_clear(b, 5, &s, &l) && s == UINT64_MAX - 1 && l == 1 &&
	      bitmap_count(b) == UINT64_MAX - 1, "clear the last bit of the domain");
	check(bitmap_clear(b, 0, 1) == 0 && bitmap_clear(b, 1000, 1) == 0 &&
	      bitmap_nr_extents(b) == 2 &&
	      bitmap_count(b) == UINT64_MAX - 3 &&
	      bitmap_count_range(b, 0, UINT64_MAX) == UINT64_MAX - 3,
	      "splitting the full bitmap");
	bitmap_reset(b);
	check(bitmap_empty(b), "reset empties the bitmap");
	bitmap_free(&b);
	check(b == NULL, "free clears the pointer");
	bitmap_free(&b);
}

/* ---- random runs against a bit array ---- */

#define WIN 2048

struct model {
	uint64_t	base;
	unsigned char	bit[WIN];
};

/* The window's bits as maximal extents, relative to base. */
static bool matches_model(const struct bitmap *b, const struct model *m,
			  const char **why)
{
	static struct ext_list el;
	uint64_t count = 0;
	size_t i, n = 0;

	memset(&el, 0, sizeof(el));
	bitmap_iterate(b, collect, &el);
	for (i = 0; i < WIN; i++) {
		count += m->bit[i];
		if (m->bit[i] && (i == 0 || !m->bit[i - 1])) {
			size_t j = i;

			while (j < WIN && m->bit[j])
				j++;
			if (n >= el.n || el.start[n] != m->base + i ||
			    el.len[n] != j - i) {
				*why = "extent list";
				return false;
			}
			n++;
		}
	}
	if (n != el.n || n != bitmap_nr_extents(b)) {
		*why = "extent count";
		return false;
	}
	if (count != bitmap_count(b) || (count == 0) != bitmap_empty(b)) {
		*why = "bit count";
		return false;
	}
	return true;
}

static bool model_any(const struct model *m, size_t s, size_t e)
{
	for (; s < e; s++)
		if (m->bit[s])
			return true;
	return false;
}

static uint64_t model_count(const struct model *m, size_t s, size_t e)
{
	uint64_t n = 0;

	for (; s < e; s++)
		n += m->bit[s];
	return n;
}

/* Spot-check the queries at a few random places. */
static bool queries_match(const struct bitmap *b, const struct model *m,
			  const char **why)
{
	static struct ext_list el;
	int k;

	for (k = 0; k < 8; k++) {
		size_t s = rng() % WIN;
		size_t e = s + rng() % (WIN - s + 1);
		uint64_t bs = m->base + s, len = e - s, fs, fl;
		size_t i, j;

		if (bitmap_test(b, bs, len) != model_any(m, s, e)) {
			*why = "test";
			return false;
		}
		if (bitmap_test_all(b, bs, len) !=
		    (model_count(m, s, e) == e - s)) {
			*why = "test_all";
			return false;
		}
		if (bitmap_count_range(b, bs, len) != model_count(m, s, e)) {
			*why = "count_range";
			return false;
		}
		memset(&el, 0, sizeof(el));
		bitmap_iterate_range(b, bs, len, collect, &el);
		if (model_count(m, s, e) == 0 ? el.n != 0 :
		    (el.n == 0 || el.start[0] < bs ||
		     el.start[el.n - 1] + el.len[el.n - 1] > bs + len)) {
			*why = "iterate_range bounds";
			return false;
		}

		// next_set from s: first set bit i >= s, run to its end.
		for (i = s; i < WIN && !m->bit[i]; i++)
			;
		if (i == WIN) {
			if (bitmap_next_set(b, bs, &fs, &fl)) {
				*why = "next_set (none)";
				return false;
			}
		} else {
			for (j = i; j < WIN && m->bit[j]; j++)
				;
			if (!bitmap_next_set(b, bs, &fs, &fl) ||
			    fs != m->base + i || fl != j - i) {
				*why = "next_set";
				return false;
			}
		}

		// next_clear from s, limited to the window: the run may go on
		// past the window only when it reaches the window's end.
		for (i = s; i < WIN && m->bit[i]; i++)
			;
		if (i < WIN) {
			for (j = i; j < WIN && !m->bit[j]; j++)
				;
			if (!bitmap_next_clear(b, bs, &fs, &fl) ||
			    fs != m->base + i ||
			    (j < WIN ? fl != j - i : fl < j - i)) {
				*why = "next_clear";
				return false;
			}
		}
	}
	return true;
}

static void random_run(uint64_t base, int steps, const char *label)
{
	static struct model m;
	struct bitmap *b;
	const char *why = NULL;
	char name[160];
	int step, err;

	memset(&m, 0, sizeof(m));
	m.base = base;
	if (bitmap_alloc(&b)) {
		check(false, "bitmap_alloc");
		return;
	}
	for (step = 0; step < steps && !why; step++) {
		uint64_t r = rng();
		size_t s = rng() % WIN;
		size_t maxlen = WIN - s;
		size_t len;
		bool set = (r & 3) != 0 ? (r & 4) != 0 : (r & 8) != 0;

		// Mostly short ranges, sometimes long ones, some empty.
		if ((r >> 8) % 10 == 0)
			len = rng() % (maxlen + 1);
		else
			len = rng() % (maxlen < 24 ? maxlen + 1 : 24);
		// Drift toward half full: set when sparse, clear when dense.
		if ((r >> 16) % 4 == 0)
			set = bitmap_count(b) < WIN / 2;

		err = set ? bitmap_set(b, base + s, len) :
			    bitmap_clear(b, base + s, len);
		if (err) {
			why = "set/clear returned an error";
			break;
		}
		memset(m.bit + s, set ? 1 : 0, len);
		if (!matches_model(b, &m, &why))
			break;
		if (!queries_match(b, &m, &why))
			break;
	}
	snprintf(name, sizeof(name),
		 "%d random set/clear steps %s match a bit array%s%s",
		 steps, label, why ? ": " : "", why ? why : "");
	check(!why, name);
	bitmap_free(&b);
}

/* union and subtract of random bitmaps against the bit arrays. */
static void test_algebra(void)
{
	static struct model ma, mb, mu, md;
	struct bitmap *a, *b, *u, *d;
	bool good = true;
	const char *why = "";
	int round, i;

	for (round = 0; round < 50 && good; round++) {
		bitmap_alloc(&a);
		bitmap_alloc(&b);
		bitmap_alloc(&u);
		bitmap_alloc(&d);
		memset(&ma, 0, sizeof(ma));
		memset(&mb, 0, sizeof(mb));
		for (i = 0; i < 60; i++) {
			size_t s = rng() % WIN, len = rng() % 40;

			if (s + len > WIN)
				len = WIN - s;
			bitmap_set(a, s, len);
			memset(ma.bit + s, 1, len);
			s = rng() % WIN;
			len = rng() % 40;
			if (s + len > WIN)
				len = WIN - s;
			bitmap_set(b, s, len);
			memset(mb.bit + s, 1, len);
		}
		for (i = 0; i < WIN; i++) {
			mu.bit[i] = ma.bit[i] | mb.bit[i];
			md.bit[i] = ma.bit[i] & !mb.bit[i];
		}
		good &= bitmap_union(u, a) == 0 && bitmap_union(u, b) == 0;
		good &= matches_model(u, &mu, &why);
		good &= bitmap_union(d, a) == 0 && bitmap_subtract(d, b) == 0;
		good &= matches_model(d, &md, &why);
		good &= bitmap_union(a, a) == 0 && matches_model(a, &ma, &why);
		good &= bitmap_subtract(a, a) == 0 && bitmap_empty(a);
		bitmap_free(&a);
		bitmap_free(&b);
		bitmap_free(&u);
		bitmap_free(&d);
	}
	check(good, "union and subtract match the bit arrays");
}

/* Many scattered extents: the tree must stay usable at scale. */
static void test_scale(void)
{
	struct bitmap *b;
	const int n = 200000;
	bool good = true;
	uint64_t s, l;
	int i;

	bitmap_alloc(&b);
	// Every other block in [0, 2n), inserted in scrambled order.
	for (i = 0; i < n; i++) {
		uint64_t k = ((uint64_t)i * 7919) % n;

		good &= bitmap_set(b, 2 * k, 1) == 0;
	}
	good &= bitmap_nr_extents(b) == (size_t)n && bitmap_count(b) == (uint64_t)n;
	// Fill the holes in another scrambled order: one extent remains.
	for (i = 0; i < n; i++) {
		uint64_t k = ((uint64_t)i * 104729) % n;

		good &= bitmap_set(b, 2 * k + 1, 1) == 0;
	}
	good &= bitmap_nr_extents(b) == 1 && bitmap_count(b) == 2 * (uint64_t)n;
	good &= bitmap_next_set(b, 0, &s, &l) && s == 0 && l == 2 * (uint64_t)n;
	// Punch every third block back out.
	for (i = 0; i < 2 * n; i += 3)
		good &= bitmap_clear(b, i, 1) == 0;
	good &= bitmap_count(b) == 2 * (uint64_t)n - (2 * (uint64_t)n + 2) / 3;
	bitmap_free(&b);
	check(good, "200000 scattered extents, then merged, then punched");
}

int main(void)
{
	// Line-buffered, so a crash still shows the checks that ran.
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_fixed();
	random_run(0, 20000 / STEP_DIV, "at 0");
	random_run(UINT64_MAX - WIN, 20000 / STEP_DIV, "ending at UINT64_MAX");
	random_run(1ull << 40, 5000 / STEP_DIV, "at 2^40");
	test_algebra();
	test_scale();

	if (failures) {
		printf("# %d check(s) failed\n", failures);
		return 1;
	}
	printf("# all checks passed\n");
	return 0;
}
