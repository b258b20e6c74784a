/*
 * db/field.h: field tables, the description of on-disk structures that
 * the generic printer (print.c), `addr` and field expressions work from.
 *
 * A structure is an array of struct db_field ending with an entry whose
 * name is NULL.  Each field says where it starts (a bit offset from the
 * start of the structure, or a function), how many elements it has (fixed
 * or a function, which may return 0 to hide the field's value), and the
 * type of each element (struct db_ftype).  An element type either prints
 * itself (numbers, uuids, strings, checksums, compact records) or is a
 * structure with its own field table, printed member by member.
 *
 * Everything is in bits so that bit fields (packed extent records, inode
 * mode bits) need nothing special.  On-disk values are big-endian.
 *
 * Example, a header with a magic number and a conditional root pointer:
 *
 *	static const struct db_field foo_fields[] = {
 *		{ "magicnum", &ft_hex32, FBIT(struct foo, magic) },
 *		{ "root", &ft_agblock, FBIT(struct foo, root),
 *		  .count_fn = foo_root_count, .next = TYP_BNOBT },
 *		{ NULL }
 *	};
 */
#ifndef DB_FIELD_H_
#define DB_FIELD_H_

#include <stddef.h>

#include "db/db.h"
#include "db/type.h"

struct db_ftype;

/* Bit offset of a member of an on-disk structure. */
#define FBIT(type, member)	((int)(offsetof(type, member) * 8))
/* Bit size of a member. */
#define FBITSZ(type, member)	((int)(sizeof(((type *)0)->member) * 8))

/* Number of elements of a field at bit `bit` of obj. */
typedef int (*db_fcount_fn)(const struct db_ctx *ctx, const void *obj,
			    int bit);
/* Bit offset (from the structure start) of element idx of a field. */
typedef int (*db_foffset_fn)(const struct db_ctx *ctx, const void *obj,
			     int bit, int idx);

struct db_field {
	const char		*name;
	const struct db_ftype	*ftype;
	int			bitoff;		/* when offset_fn is NULL */
	int			count;		/* elements; 0 means 1 */
	db_fcount_fn		count_fn;	/* overrides count */
	db_foffset_fn		offset_fn;	/* overrides bitoff */
	unsigned int		flags;		/* DBF_* */
	enum db_typid		next;		/* type `addr` goes to */
};

#define DBF_ARRAY	(1U << 0)	/* shown and indexed as name[i] */
#define DBF_SKIPALL	(1U << 1)	/* left out of a full print */
#define DBF_ABASE1	(1U << 2)	/* indices start at 1 */

/* Element printer: count elements of ft from bit `bit` of obj. */
struct db_pelem {
	struct db_ctx		*ctx;
	const void		*obj;
	int			bit;	/* first element */
	int			count;
	const struct db_ftype	*ft;
	int			base;	/* index of the first element */
	bool			array;	/* label elements "i:" when count > 1 */
};
typedef void (*db_fprint_fn)(const struct db_pelem *pe);

/* How a value is interpreted by `addr`. */
typedef int (*db_faddr_fn)(struct db_ctx *ctx, const void *obj, int bit,
			   enum db_typid next);

/* Number formats of the scalar printer. */
enum db_fmt {
	DB_FMT_DEC,		/* unsigned decimal */
	DB_FMT_SDEC,		/* signed decimal */
	DB_FMT_HEX,		/* "0x..." ("0" for zero) */
	DB_FMT_OCT,		/* "0..." */
};

/* db_ftype.arg bits for the scalar printer. */
#define FTA_SIGNED	(1U << 0)	/* sign-extend */
#define FTA_DONULL	(1U << 1)	/* all ones prints as "null" */
#define FTA_SKIPNULL	(1U << 2)	/* all-ones elements are not shown */
#define FTA_SKIPZERO	(1U << 3)	/* zero elements are not shown */

struct db_ftype {
	const char		*name;
	int			bitsize;	/* one element; 0: see size_fn */
	/* Bit size of element idx of a variable-size type. */
	int			(*size_fn)(const struct db_ctx *ctx,
					   const void *obj, int bit, int idx);
	db_fprint_fn		print;		/* NULL: a structure */
	enum db_fmt		fmt;
	unsigned int		arg;		/* FTA_* */
	const struct db_field	*sub;		/* structure members */
	db_faddr_fn		addr;		/* NULL: not an address */
};

/* ---- element types (fprint.c) ---- */

extern const struct db_ftype ft_uint8;
extern const struct db_ftype ft_uint16;
extern const struct db_ftype ft_uint32;
extern const struct db_ftype ft_uint64;
extern const struct db_ftype ft_hex8;
extern const struct db_ftype ft_hex16;
extern const struct db_ftype ft_hex32;
extern const struct db_ftype ft_hex64;
extern const struct db_ftype ft_uuid;
extern const struct db_ftype ft_crc;
extern const struct db_ftype ft_lsn;
extern const struct db_ftype ft_agblock;	/* AG block, "null" */
extern const struct db_ftype ft_agblock_nz;	/* AG block, zero not shown */
extern const struct db_ftype ft_agnumber;	/* AG number, "null" */
extern const struct db_ftype ft_agino;		/* AG inode, "null" */
extern const struct db_ftype ft_agino_nn;	/* AG inode, nulls hidden */
extern const struct db_ftype ft_extlen;		/* block count, "null" */
extern const struct db_ftype ft_dfsbno;		/* fs block, "null" */
extern const struct db_ftype ft_drfsbno;	/* data block count, "null" */
extern const struct db_ftype ft_drtbno;		/* rt extent count, "null" */
extern const struct db_ftype ft_ino;		/* inode number, "null" */
extern const struct db_ftype ft_fname12;	/* 12 bytes, quoted */

/*
 * Printer for numbers of any width up to 64 bits, driven by db_ftype.fmt
 * and .arg (see FTA_*); element types declare it as their .print.
 */
void db_fprint_num(const struct db_pelem *pe);

/*
 * Printer for record structures (db_ftype.print with .sub set): member
 * names once, then "i:[v1,v2]" per element on its own line.  A field
 * expression naming a member ("recs[2].startblock") still reaches it.
 */
void db_fprint_records(const struct db_pelem *pe);

/* One character of a quoted string, escaped as the reference does. */
void db_print_char(unsigned char c);

/* ---- addresses (addr.c): db_ftype.addr implementations ---- */

/* An AG block of the current AG. */
int db_addr_agblock(struct db_ctx *ctx, const void *obj, int bit,
		    enum db_typid next);
/* A filesystem block number (agno << agblklog | agbno). */
int db_addr_fsblock(struct db_ctx *ctx, const void *obj, int bit,
		    enum db_typid next);
/* An AG inode number of the current AG. */
int db_addr_agino(struct db_ctx *ctx, const void *obj, int bit,
		  enum db_typid next);
/* An inode number. */
int db_addr_ino(struct db_ctx *ctx, const void *obj, int bit,
		enum db_typid next);

/* ---- bit access (field.c) ---- */

/* nbits (<= 64) big-endian bits at bit offset `bit`; sign-extended. */
int64_t db_getbits(const void *obj, int bit, int nbits, bool sign);

/* ---- field geometry (field.c) ---- */

int db_field_count(const struct db_ctx *ctx, const struct db_field *f,
		   const void *obj, int bit);
/* Bit offset of element idx of f, relative to obj's start. */
int db_field_elem_bit(const struct db_ctx *ctx, const struct db_field *f,
		      const void *obj, int bit, int idx);
/* Bit size of element idx of f. */
int db_field_elem_size(const struct db_ctx *ctx, const struct db_field *f,
		       const void *obj, int bit, int idx);
/* First index of f (0, or 1 for DBF_ABASE1). */
static inline int db_field_base(const struct db_field *f)
{
	return (f->flags & DBF_ABASE1) ? 1 : 0;
}

/* Find a field by name in a table; NULL if absent. */
const struct db_field *db_field_find(const struct db_field *tab,
				     const char *name);

/* ---- field expressions (field.c) ---- */

/*
 * A parsed field expression such as "bno[3-5]" or "u3.bmx[0].startoff":
 * one node per component, each with the chosen element range.
 */
struct db_fsel {
	const struct db_field	*fld;
	int			low, high;	/* element indices */
	bool			indexed;	/* written with [..] */
	int			bit;		/* bit offset of element low */
	struct db_fsel		*child;
};

/*
 * Parse expr against the top-level fields of the current object.  On
 * error prints the reference's message and returns NULL.
 */
struct db_fsel *db_fsel_parse(struct db_ctx *ctx, const struct db_field *tab,
			      const void *obj, const char *expr);
void db_fsel_free(struct db_fsel *sel);

#endif /* DB_FIELD_H_ */
