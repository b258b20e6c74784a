/*
 * test_libxfs_dir.h: helpers of test_libxfs_dir.c (included, not linked):
 * growable byte buffers, sets of entries compared order-independently,
 * the reader of populate.py's manifest, and a cross-check of
 * libxfs_bmapi_read against the plain extent walk.
 */
#ifndef TEST_LIBXFS_DIR_H_
#define TEST_LIBXFS_DIR_H_

#include <ctype.h>

static uint64_t t_rng = 0x9e3779b97f4a7c15ULL;

static inline uint64_t t_rand(void)
{
	t_rng ^= t_rng << 13;
	t_rng ^= t_rng >> 7;
	t_rng ^= t_rng << 17;
	return t_rng;
}

/* ---- byte buffers ---- */

struct buf {
	char	*data;
	size_t	len, cap;
};

static void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = realloc(b->data, b->cap);
		if (!b->data) {
			abort();
		}
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

/* Whole output of a command; 0 if it ran and exited 0. */
static int buf_popen(struct buf *b, const char *cmd)
{
	char chunk[8192];
	size_t n;
	FILE *f = popen(cmd, "r");

	if (!f) {
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_add(b, chunk, n);
	}
	return pclose(f) == 0 ? 0 : -1;
}

/* Print the first line where two texts differ. */
static void buf_show_diff(const struct buf *a, const struct buf *b)
{
	size_t i = 0, line = 0, sa, sb;

	while (i < a->len && i < b->len && a->data[i] == b->data[i]) {
		if (a->data[i++] == '\n') {
			line = i;
		}
	}
	sa = a->len > line ? strcspn(a->data + line, "\n") : 0;
	sb = b->len > line ? strcspn(b->data + line, "\n") : 0;
	printf("#   ref: %.*s\n#   got: %.*s\n", (int)sa,
	       a->len > line ? a->data + line : "", (int)sb,
	       b->len > line ? b->data + line : "");
}

/* ---- entry sets ---- */

/* A directory entry (ftype) or an attribute (ftype = namespace flags). */
struct ent {
	uint8_t		*name;
	unsigned int	namelen;
	uint64_t	ino;
	unsigned int	ftype;
	uint8_t		*val;
	unsigned int	vlen;
};

struct entset {
	struct ent	*v;
	size_t		n, cap;
};

static void entset_add(struct entset *s, const void *name, unsigned int len,
		       uint64_t ino, unsigned int ftype, const void *val,
		       unsigned int vlen)
{
	struct ent *e;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v) {
			abort();
		}
	}
	e = &s->v[s->n++];
	e->name = malloc(len + 1);
	e->val = malloc(vlen + 1);
	if (!e->name || !e->val) {
		abort();
	}
	memcpy(e->name, name, len);
	if (vlen) {
		memcpy(e->val, val, vlen);
	}
	e->namelen = len;
	e->ino = ino;
	e->ftype = ftype;
	e->vlen = vlen;
}

static void entset_free(struct entset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].val);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	unsigned int n = x->namelen < y->namelen ? x->namelen : y->namelen;
	int c;

	if (x->ftype != y->ftype) {
		return x->ftype < y->ftype ? -1 : 1;
	}
	c = memcmp(x->name, y->name, n);
	if (c || x->namelen == y->namelen) {
		return c;
	}
	return x->namelen < y->namelen ? -1 : 1;
}

static int ent_cmp_dir(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	struct ent xx = *x, yy = *y;

	xx.ftype = yy.ftype = 0;	/* by name only */
	return ent_cmp(&xx, &yy);
}

/*
 * Compare our set with the kernel's, ignoring order; returns the number
 * of differences (a few are printed).  attrs: also compare values.
 */
static unsigned int entset_compare(struct entset *ours, struct entset *ref,
				   bool attrs, const char *label)
{
	int (*cmp)(const void *, const void *) = attrs ? ent_cmp : ent_cmp_dir;
	unsigned int bad = 0;
	size_t i;

	qsort(ours->v, ours->n, sizeof(struct ent), cmp);
	qsort(ref->v, ref->n, sizeof(struct ent), cmp);
	if (ours->n != ref->n) {
		printf("# %s: %zu entries, kernel %zu\n", label, ours->n,
		       ref->n);
		return 1;
	}
	for (i = 0; i < ours->n; i++) {
		const struct ent *a = &ours->v[i], *b = &ref->v[i];

		if (cmp(a, b) != 0 || a->ino != b->ino ||
		    a->ftype != b->ftype ||
		    (attrs && (a->vlen != b->vlen ||
			       memcmp(a->val, b->val, a->vlen) != 0))) {
			if (bad++ < 3) {
				printf("# %s: got %.*s ino %llu type %u len %u,"
				       " kernel %.*s ino %llu type %u len %u\n",
				       label, (int)a->namelen, a->name,
				       (unsigned long long)a->ino, a->ftype,
				       a->vlen, (int)b->namelen, b->name,
				       (unsigned long long)b->ino, b->ftype,
				       b->vlen);
			}
		}
	}
	return bad;
}

/* ---- the manifest ---- */

/* Map a namespace word of the manifest to on-disk flags. */
static unsigned int ns_flags(const char *ns)
{
	if (strcmp(ns, "trusted") == 0) {
		return XFS_ATTR_ROOT;
	}
	if (strcmp(ns, "security") == 0) {
		return XFS_ATTR_SECURE;
	}
	return 0;
}

struct rec {
	char		type;		/* D X L F */
	uint8_t		*path;
	unsigned int	pathlen;
	char		pathstr[128];	/* printable */
	uint64_t	ino;
	char		fmt[16];
	struct entset	ents;		/* D: entries, X: attributes */
	uint8_t		*val;		/* L: target */
	unsigned int	vlen;
};

/* Decode hex ("-" is empty) into a new buffer. */
static uint8_t *unhex(const char *s, unsigned int *len)
{
	size_t n = strcmp(s, "-") == 0 ? 0 : strlen(s) / 2, i;
	uint8_t *p = malloc(n + 1);

	if (!p) {
		abort();
	}
	for (i = 0; i < n; i++) {
		unsigned int x;

		sscanf(s + 2 * i, "%2x", &x);
		p[i] = (uint8_t)x;
	}
	p[n] = 0;
	*len = (unsigned int)n;
	return p;
}

static void rec_free(struct rec *r)
{
	free(r->path);
	free(r->val);
	entset_free(&r->ents);
	memset(r, 0, sizeof(*r));
}

typedef void (*rec_fn)(struct rec *r, void *priv);

/* Hand every record of a manifest to fn; 0, or -1 on a parse error. */
static int manifest_walk(const char *path, rec_fn fn, void *priv)
{
	FILE *f = fopen(path, "r");
	struct rec r = { 0 };
	char *line = NULL, *w[4];
	size_t cap = 0;
	ssize_t n;
	int nw, bad = 0;

	if (!f) {
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		char *save = NULL, *tok;
		unsigned int len, i;
		uint8_t *name, *val;

		line[strcspn(line, "\n")] = 0;
		nw = 0;
		for (tok = strtok_r(line, " ", &save); tok && nw < 4;
		     tok = strtok_r(NULL, " ", &save)) {
			w[nw++] = tok;
		}
		if (nw < 2) {
			continue;
		}
		switch (w[0][0]) {
		case 'D': case 'X': case 'L': case 'F':
			if (r.type) {
				fn(&r, priv);
				rec_free(&r);
			}
			r.type = w[0][0];
			r.path = unhex(w[1], &r.pathlen);
			for (i = 0; i < r.pathlen && i + 1 < sizeof(r.pathstr);
			     i++) {
				r.pathstr[i] = isprint(r.path[i]) ?
					       (char)r.path[i] : '?';
			}
			r.ino = nw > 2 ? strtoull(w[2], NULL, 10) : 0;
			if (r.type == 'L' && nw > 3) {
				r.val = unhex(w[3], &r.vlen);
			} else if (nw > 3) {
				snprintf(r.fmt, sizeof(r.fmt), "%s", w[3]);
			}
			break;
		case 'E':
			if (nw < 4 || r.type != 'D') {
				bad++;
				break;
			}
			name = unhex(w[1], &len);
			entset_add(&r.ents, name, len, strtoull(w[2], NULL, 10),
				   (unsigned int)atoi(w[3]), NULL, 0);
			free(name);
			break;
		case 'V':
			if (nw < 4 || r.type != 'X') {
				bad++;
				break;
			}
			name = unhex(w[2], &len);
			val = unhex(w[3], &i);
			entset_add(&r.ents, name, len, 0, ns_flags(w[1]), val,
				   i);
			free(name);
			free(val);
			break;
		default:
			bad++;
		}
	}
	if (r.type) {
		fn(&r, priv);
		rec_free(&r);
	}
	free(line);
	fclose(f);
	return bad ? -1 : 0;
}

/* ---- block maps ---- */

struct extlist {
	struct xfs_bmbt_irec	*v;
	size_t			n, cap;
};

static int extlist_add(struct xfs_inode *ip, int whichfork,
		       const struct xfs_bmbt_irec *irec, void *priv)
{
	struct extlist *l = priv;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v) {
			abort();
		}
	}
	l->v[l->n++] = *irec;
	return 0;
}

/* Where file block b is: the extent index, or -1 for a hole. */
static long extlist_find(const struct extlist *l, uint64_t b)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l->v[mid].br_startoff + l->v[mid].br_blockcount <= b) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo < l->n && l->v[lo].br_startoff <= b ? (long)lo : -1;
}

/*
 * Random ranges through libxfs_bmapi_read must give what a block-by-block
 * walk of the extent list gives; returns the number of disagreements.
 */
static unsigned int bmap_crosscheck(struct xfs_inode *ip, int whichfork,
				    unsigned int iters)
{
	struct extlist l = { 0 };
	struct xfs_bmbt_irec got[8];
	uint64_t end = 0, last;
	unsigned int bad = 0, it;

	if (libxfs_bmap_walk(ip, whichfork, extlist_add, &l)) {
		return 1;
	}
	if (l.n) {
		end = l.v[l.n - 1].br_startoff + l.v[l.n - 1].br_blockcount;
	}
	bad += libxfs_bmap_last_offset(ip, whichfork, &last) != 0 ||
	       last != end;
	for (it = 0; it < iters; it++) {
		uint64_t bno = t_rand() % (end + 16);
		uint64_t len = 1 + t_rand() % (it % 4 == 0 ? end + 64 : 40);
		unsigned int want = 1 + (unsigned int)(t_rand() % 8), n = want;
		unsigned int k = 0;
		uint64_t b = bno;

		if (libxfs_bmapi_read(ip, whichfork, bno, len, got, &n)) {
			bad++;
			continue;
		}
		// Expected: runs of one extent (or of hole) in range order.
		while (b < bno + len && k < want) {
			long x = extlist_find(&l, b);
			uint64_t stop, start = 0;
			bool unw = false;

			if (x >= 0) {
				stop = l.v[x].br_startoff + l.v[x].br_blockcount;
				start = l.v[x].br_startblock +
					(b - l.v[x].br_startoff);
				unw = l.v[x].br_unwritten;
			} else {
				stop = bno + len;
				for (size_t i = 0; i < l.n; i++) {
					if (l.v[i].br_startoff > b) {
						if (l.v[i].br_startoff < stop) {
							stop = l.v[i].br_startoff;
						}
						break;
					}
				}
				start = XFS_BMAP_HOLESTARTBLOCK;
			}
			if (stop > bno + len) {
				stop = bno + len;
			}
			if (k >= n || got[k].br_startoff != b ||
			    got[k].br_blockcount != stop - b ||
			    got[k].br_startblock != start ||
			    got[k].br_unwritten != unw) {
				bad++;
				break;
			}
			k++;
			b = stop;
		}
		bad += k != n;
	}
	free(l.v);
	return bad;
}

#endif /* TEST_LIBXFS_DIR_H_ */
