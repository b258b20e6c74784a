/*
 * db/field.c: what the printer and `addr` need to walk field tables --
 * bit extraction, element counts and offsets -- and the parser of field
 * expressions ("agfl[3]", "bno[1-4]", "core.mode").
 *
 * An expression is checked in three passes, each with the reference's
 * message: characters (lowercase letters, digits, '_', '[', ']', '-',
 * '.'), then syntax (name, optional [n] or [n-m], then '.' or another
 * name after ']' for a member), then meaning (the field exists, is an
 * array when indexed, the indices are in range, has members when one is
 * named).
 */
#include <stdlib.h>
#include <string.h>

#include "db/field.h"

int64_t db_getbits(const void *obj, int bit, int nbits, bool sign)
{
	const uint8_t *p = obj;
	uint64_t v = 0;
	int i;

	if (nbits <= 0 || nbits > 64) {
		return 0;
	}
	if ((bit & 7) == 0 && (nbits & 7) == 0) {
		p += bit >> 3;
		for (i = 0; i < nbits / 8; i++) {
			v = (v << 8) | p[i];
		}
	} else {
		for (i = 0; i < nbits; i++) {
			int b = bit + i;

			v = (v << 1) | ((p[b >> 3] >> (7 - (b & 7))) & 1);
		}
	}
	if (sign && nbits < 64 && (v & (1ULL << (nbits - 1)))) {
		v |= ~0ULL << nbits;
	}
	return (int64_t)v;
}

int db_field_count(const struct db_ctx *ctx, const struct db_field *f,
		   const void *obj, int bit)
{
	if (f->count_fn) {
		return f->count_fn(ctx, obj, bit);
	}
	return f->count ? f->count : 1;
}

int db_field_elem_size(const struct db_ctx *ctx, const struct db_field *f,
		       const void *obj, int bit, int idx)
{
	const struct db_ftype *ft = f->ftype;

	if (ft->bitsize) {
		return ft->bitsize;
	}
	return ft->size_fn ? ft->size_fn(ctx, obj, bit, idx) : 0;
}

int db_field_elem_bit(const struct db_ctx *ctx, const struct db_field *f,
		      const void *obj, int bit, int idx)
{
	int base = db_field_base(f);
	int i, off;

	if (f->offset_fn) {
		return bit + f->offset_fn(ctx, obj, bit, idx);
	}
	off = bit + f->bitoff;
	if (f->ftype->bitsize) {
		return off + (idx - base) * f->ftype->bitsize;
	}
	for (i = base; i < idx; i++) {
		off += db_field_elem_size(ctx, f, obj, off, i);
	}
	return off;
}

const struct db_field *db_field_find(const struct db_field *tab,
				     const char *name)
{
	for (; tab && tab->name; tab++) {
		if (!strcmp(tab->name, name)) {
			return tab;
		}
	}
	return NULL;
}

/* ---- expression parsing ---- */

enum tok_kind { TOK_WORD, TOK_LBRACK, TOK_RBRACK, TOK_DASH, TOK_DOT };

struct tok {
	enum tok_kind	kind;
	char		*word;
};

/* One component as written: name, optional [lo] or [lo-hi]. */
struct seg {
	char		*name;
	bool		indexed;
	unsigned long	lo, hi;
};

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Returns the token count, or -1 after printing a bad-character error. */
static int tokenize(const char *expr, struct tok *toks, char *words)
{
	const char *p = expr;
	int n = 0;

	while (*p) {
		if (is_word_char(*p)) {
			toks[n].kind = TOK_WORD;
			toks[n].word = words;
			while (is_word_char(*p)) {
				*words++ = *p++;
			}
			*words++ = '\0';
			n++;
			continue;
		}
		switch (*p) {
		case '[':
			toks[n++].kind = TOK_LBRACK;
			break;
		case ']':
			toks[n++].kind = TOK_RBRACK;
			break;
		case '-':
			toks[n++].kind = TOK_DASH;
			break;
		case '.':
			toks[n++].kind = TOK_DOT;
			break;
		default:
			printf("bad character in field %s\n", p);
			return -1;
		}
		p++;
	}
	return n;
}

static bool word_number(const char *w, unsigned long *val)
{
	char *end;

	*val = strtoul(w, &end, 0);
	return *w && !*end;
}

/* Returns the segment count, or -1 on a syntax error (not printed). */
static int parse_segments(const struct tok *t, int ntok, struct seg *segs)
{
	int i = 0, n = 0;

	while (i < ntok) {
		struct seg *s = &segs[n++];

		if (t[i].kind != TOK_WORD) {
			return -1;
		}
		s->name = t[i++].word;
		s->indexed = false;
		if (i < ntok && t[i].kind == TOK_LBRACK) {
			i++;
			if (i >= ntok || t[i].kind != TOK_WORD ||
			    !word_number(t[i].word, &s->lo)) {
				return -1;
			}
			i++;
			s->hi = s->lo;
			if (i < ntok && t[i].kind == TOK_DASH) {
				i++;
				if (i >= ntok || t[i].kind != TOK_WORD ||
				    !word_number(t[i].word, &s->hi)) {
					return -1;
				}
				i++;
			}
			if (i >= ntok || t[i].kind != TOK_RBRACK) {
				return -1;
			}
			i++;
			s->indexed = true;
			/* After "]" a member may follow with or without '.' */
			if (i < ntok && t[i].kind == TOK_WORD) {
				continue;
			}
		}
		if (i < ntok) {
			if (t[i].kind != TOK_DOT) {
				return -1;
			}
			i++;
			if (i >= ntok) {
				return -1;
			}
		}
	}
	return n;
}

void db_fsel_free(struct db_fsel *sel)
{
	while (sel) {
		struct db_fsel *child = sel->child;

		free(sel);
		sel = child;
	}
}

struct db_fsel *db_fsel_parse(struct db_ctx *ctx, const struct db_field *tab,
			      const void *obj, const char *expr)
{
	size_t len = strlen(expr);
	struct tok *toks = calloc(len + 1, sizeof(*toks));
	struct seg *segs = calloc(len + 1, sizeof(*segs));
	char *words = malloc(2 * len + 2);
	struct db_fsel *head = NULL, **tail = &head;
	int ntok, nseg, i, bit = 0;

	if (!toks || !segs || !words) {
		goto out;
	}
	ntok = tokenize(expr, toks, words);
	if (ntok < 0) {
		goto out;
	}
	nseg = parse_segments(toks, ntok, segs);
	if (nseg <= 0) {
		printf("bad syntax in field name %s\n", expr);
		goto out;
	}
	for (i = 0; i < nseg; i++) {
		const struct db_field *f = db_field_find(tab, segs[i].name);
		struct db_fsel *sel;
		int count, min, max;

		/* A field with no elements here (keys of a leaf) is absent. */
		count = f ? db_field_count(ctx, f, obj, bit) : 0;
		/* Several variants may share a name; take the present one. */
		while (f && count <= 0) {
			f = db_field_find(f + 1, segs[i].name);
			count = f ? db_field_count(ctx, f, obj, bit) : 0;
		}
		if (!f || count <= 0) {
			printf("field %s not found\n", segs[i].name);
			goto fail;
		}
		min = db_field_base(f);
		max = min + count - 1;
		sel = calloc(1, sizeof(*sel));
		if (!sel) {
			goto fail;
		}
		*tail = sel;
		tail = &sel->child;
		sel->fld = f;
		sel->low = min;
		sel->high = max;
		if (segs[i].indexed) {
			long lo = (long)segs[i].lo, hi = (long)segs[i].hi;

			if (!(f->flags & DBF_ARRAY)) {
				printf("field %s is not an array\n",
				       segs[i].name);
				goto fail;
			}
			if (lo == hi && (lo < min || lo > max)) {
				printf("index %ld for field %s out of range "
				       "%d-%d\n", lo, segs[i].name, min, max);
				goto fail;
			}
			if (lo < min || lo > max || hi < min || hi > max) {
				printf("indices %ld-%ld for field %s out of "
				       "range %d-%d\n", lo, hi, segs[i].name,
				       min, max);
				goto fail;
			}
			sel->low = (int)lo;
			sel->high = (int)hi;
			sel->indexed = true;
		}
		sel->bit = db_field_elem_bit(ctx, f, obj, bit, sel->low);
		if (i + 1 < nseg) {
			if (!f->ftype->sub) {
				printf("field %s has no subfields\n",
				       segs[i].name);
				goto fail;
			}
			tab = f->ftype->sub;
			bit = sel->bit;
		}
	}
	goto out;
fail:
	db_fsel_free(head);
	head = NULL;
out:
	free(toks);
	free(segs);
	free(words);
	return head;
}
