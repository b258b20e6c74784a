/*
 * db/print.c: the generic structure printer and the `print` command.
 *
 * A scalar field prints as one line "path = values", where path is the
 * field name prefixed by the names of the structures it is in
 * ("core.mode") and followed by the element range for arrays
 * ("bno[0-118]", "bno[3]").  A structure field prints each of its members
 * on their own lines under its own path ("u3.bmx[2].startoff").
 */
#include <stdlib.h>
#include <string.h>

#include "db/command.h"
#include "db/field.h"
#include "db/io.h"
#include "db/type.h"

#define PATH_MAX_LEN	256

static void print_field(struct db_ctx *ctx, const void *obj, int bit,
			const struct db_field *f, int low, int high,
			int first_bit, bool indexed,
			const struct db_fsel *child, const char *prefix);

/* Bits of the current object: nothing is read beyond them. */
static int obj_bits(const struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);

	return loc ? (int)(loc->len * 8) : 0;
}

/*
 * Bits of the buffer from the start of the object: an object inside a
 * bigger buffer (an inode in its cluster) may have fields past its end.
 */
static int buf_bits(const struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);

	if (!loc || !loc->bp || BBTOB(loc->bp->b_length) < loc->boff) {
		return obj_bits(ctx);
	}
	return (int)((BBTOB(loc->bp->b_length) - loc->boff) * 8);
}

/* Does the structure at bit `bit` have any member to show? */
static bool struct_has_members(const struct db_ctx *ctx, const void *obj,
			       int bit, const struct db_field *tab)
{
	const struct db_field *f;

	for (f = tab; f->name; f++) {
		if (!(f->flags & DBF_SKIPALL) &&
		    db_field_count(ctx, f, obj, bit) > 0) {
			return true;
		}
	}
	return false;
}

/*
 * Every member of the structure at bit `bit`, in table order.  Where each
 * member starts is worked out for all of them before anything is printed,
 * as the reference does (it matters for the warnings that locating some
 * members prints).
 */
static void print_struct(struct db_ctx *ctx, const void *obj, int bit,
			 const struct db_field *tab, const char *prefix)
{
	const struct db_field *f;
	struct item {
		const struct db_field	*f;
		int			count;
		int			first_bit;
	} *items;
	int n = 0, i;

	for (f = tab; f->name; f++) {
		n++;
	}
	items = calloc(n ? n : 1, sizeof(*items));
	if (!items) {
		return;
	}
	n = 0;
	for (f = tab; f->name; f++) {
		int count;

		if (f->flags & DBF_SKIPALL) {
			continue;
		}
		count = db_field_count(ctx, f, obj, bit);
		if (count <= 0) {
			/* Not present in this object (keys of a leaf). */
			continue;
		}
		items[n].f = f;
		items[n].count = count;
		items[n].first_bit = db_field_elem_bit(ctx, f, obj, bit,
						       db_field_base(f));
		n++;
	}
	for (i = 0; i < n; i++) {
		int base = db_field_base(items[i].f);

		print_field(ctx, obj, bit, items[i].f, base,
			    base + items[i].count - 1, items[i].first_bit,
			    false, NULL, prefix);
	}
	free(items);
}

static void print_field(struct db_ctx *ctx, const void *obj, int bit,
			const struct db_field *f, int low, int high,
			int first_bit, bool indexed,
			const struct db_fsel *child, const char *prefix)
{
	const struct db_ftype *ft = f->ftype;
	bool array = f->flags & DBF_ARRAY;
	char path[PATH_MAX_LEN];
	int i;

	if (ft->print && !child) {
		int count = high - low + 1;

		printf("%s%s", prefix, f->name);
		/* An empty array shows no range unless one was asked for. */
		if (array && (high >= low || indexed)) {
			if (low == high) {
				printf("[%d]", low);
			} else {
				printf("[%d-%d]", low, high);
			}
		}
		printf(" = ");
		if (count > 0 && ft->bitsize) {
			/*
			 * Array elements stop at the end of the object; a
			 * single value (a name, inline data) is shown whole,
			 * as far as the buffer goes.
			 */
			int room = (array ? obj_bits(ctx) : buf_bits(ctx)) -
				   first_bit;

			if ((long long)room < (long long)count * ft->bitsize) {
				count = room > 0 ? room / ft->bitsize : 0;
			}
		}
		/*
		 * Records beyond the end of the object still get their
		 * member list, as the reference prints it.
		 */
		if (count > 0 || (high >= low && ft->sub)) {
			struct db_pelem pe = {
				.ctx = ctx,
				.obj = obj,
				.bit = first_bit,
				.count = count,
				.ft = ft,
				.base = low,
				.array = array,
			};

			ft->print(&pe);
		}
		printf("\n");
		return;
	}

	/*
	 * A structure: its members, element by element.  Every element is
	 * located before any is printed, as the reference does.
	 */
	if (high < low) {
		return;
	}
	{
		int n = high - low + 1, k;
		int *ebits = calloc(n, sizeof(*ebits));
		int *cbits = calloc(n, sizeof(*cbits));

		if (!ebits || !cbits) {
			free(ebits);
			free(cbits);
			return;
		}
		for (k = 0; k < n; k++) {
			i = low + k;
			ebits[k] = i == low ? first_bit :
				   db_field_elem_bit(ctx, f, obj, bit, i);
			if (child) {
				cbits[k] = i == low ? child->bit :
					   db_field_elem_bit(ctx, child->fld,
							     obj, ebits[k],
							     child->low);
			}
		}
		for (k = 0; k < n; k++) {
			i = low + k;
			/*
			 * Structures past the object are still shown, as far
			 * as the buffer goes (an inode's cluster); beyond it
			 * only an empty one ("a = (empty)").  Elements placed
			 * there by damaged offsets are skipped, the ones
			 * after them may be fine.
			 */
			if (ebits[k] < 0 ||
			    (ebits[k] >= buf_bits(ctx) &&
			     (child || !ft->sub ||
			      struct_has_members(ctx, obj, ebits[k],
						 ft->sub)))) {
				continue;
			}
			if (array) {
				snprintf(path, sizeof(path), "%s%s[%d].",
					 prefix, f->name, i);
			} else {
				snprintf(path, sizeof(path), "%s%s.", prefix,
					 f->name);
			}
			if (child) {
				int clow = child->low, chigh = child->high;

				/*
				 * Not indexed: all of the member in this
				 * element (names differ in length).
				 */
				if (!child->indexed && k > 0) {
					clow = db_field_base(child->fld);
					chigh = clow - 1 +
						db_field_count(ctx, child->fld,
							       obj, ebits[k]);
				}
				print_field(ctx, obj, ebits[k], child->fld,
					    clow, chigh, cbits[k],
					    child->indexed, child->child, path);
			} else if (ft->sub &&
				   !struct_has_members(ctx, obj, ebits[k],
						       ft->sub)) {
				/* "u3 = (empty)": nothing in it applies. */
				path[strlen(path) - 1] = '\0';
				printf("%s = (empty)\n", path);
			} else if (ft->sub) {
				print_struct(ctx, obj, ebits[k], ft->sub,
					     path);
			}
		}
		free(ebits);
		free(cbits);
	}
}

/* Print the selection chain sel, which was parsed at bit 0 of obj. */
static void print_sel(struct db_ctx *ctx, const void *obj,
		      const struct db_fsel *sel)
{
	print_field(ctx, obj, 0, sel->fld, sel->low, sel->high, sel->bit,
		    sel->indexed, sel->child, "");
}

static int print_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_loc *loc = db_cur_const(ctx);
	const struct db_field *fields;
	struct db_fsel **sels;
	const void *obj;
	int i, n = 0;

	if (!loc || !loc->type) {
		printf("no current type\n");
		return -EINVAL;
	}
	obj = db_cur_data(ctx);
	if (!obj) {
		printf("no current object\n");
		return -EINVAL;
	}
	fields = db_type_fields(ctx, loc->type);
	if (!fields) {
		if (loc->type->print_raw) {
			loc->type->print_raw(ctx);
		}
		return 0;
	}
	if (argc == 1) {
		print_struct(ctx, obj, 0, fields, "");
		return 0;
	}
	/* Every expression must parse before anything is printed. */
	sels = calloc(argc, sizeof(*sels));
	if (!sels) {
		return -ENOMEM;
	}
	for (i = 1; i < argc; i++) {
		sels[n] = db_fsel_parse(ctx, fields, obj, argv[i]);
		if (!sels[n]) {
			goto out;
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		print_sel(ctx, obj, sels[i]);
	}
out:
	for (i = 0; i < n; i++) {
		db_fsel_free(sels[i]);
	}
	free(sels);
	return 0;
}

const struct db_command print_cmd = {
	.name = "print",
	.alias = { "p" },
	.func = print_f,
	.argmin = 0,
	.argmax = -1,
	.args = "[value]...",
	.oneline = "show fields of the current object",
	.help =
"\n"
" Without arguments every field of the current object is shown.  Each\n"
" argument names one field: 'p magicnum', a structure member with dots\n"
" ('p core.mode'), an array element or range ('p bno[3]', 'p bno[1-4]').\n"
"\n",
};
