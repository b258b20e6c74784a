/*
 * db/type.h: the types an object can have (`type` command, the type shown
 * by `stack`), each described by one struct db_type.
 *
 * A type with fields is printed by the generic printer (print.c) from its
 * field table; a type without fields (data, text) has print_raw.  To add a
 * type: describe its fields in its own file, define `const struct db_type
 * foo_type`, declare it below and put it in db_types[] (type.c) in place
 * of the stub of the same id.
 */
#ifndef DB_TYPE_H_
#define DB_TYPE_H_

#include "db/db.h"

struct db_field;

/* Every type the reference knows, in the order `type` lists them. */
enum db_typid {
	TYP_NONE = 0,
	TYP_AGF,
	TYP_AGFL,
	TYP_AGI,
	TYP_ATTR,
	TYP_BMAPBTA,
	TYP_BMAPBTD,
	TYP_BNOBT,
	TYP_CNTBT,
	TYP_RMAPBT,
	TYP_REFCBT,
	TYP_DATA,
	TYP_DIR2,
	TYP_DQBLK,
	TYP_INOBT,
	TYP_INODATA,
	TYP_INODE,
	TYP_LOG,
	TYP_RTBITMAP,
	TYP_RTSUMMARY,
	TYP_SB,
	TYP_SYMLINK,
	TYP_TEXT,
	TYP_FINOBT,
	TYP_NR,
};

struct db_type {
	enum db_typid		id;
	const char		*name;		/* as listed on V5 */
	const char		*v4name;	/* on V4 if different, "" = absent */
	/* Top-level fields; fields_fn, when set, chooses them per mount. */
	const struct db_field	*fields;
	const struct db_field	*(*fields_fn)(const struct db_ctx *ctx);
	/* Printer for types without fields. */
	void			(*print_raw)(struct db_ctx *ctx);
	/* Object size in bytes when `type` switches to it; 0: keep length. */
	unsigned int		(*size)(const struct db_ctx *ctx);
	/* Verifier, NULL if the type has none. */
	const struct xfs_buf_ops *ops;
	/* Not described yet: printed as a hex dump. */
	bool			stub;
	/*
	 * `type` switching to this type calls this instead of re-reading
	 * the current position (the inode type finds the inode there).
	 */
	int			(*set_type)(struct db_ctx *ctx);
};

extern const struct db_type agf_type;		/* agf.c */
extern const struct db_type agfl_type;		/* agfl.c */
extern const struct db_type agi_type;		/* agi.c */
extern const struct db_type bnobt_type;		/* btblock.c */
extern const struct db_type cntbt_type;
extern const struct db_type finobt_type;
extern const struct db_type inobt_type;
extern const struct db_type refcntbt_type;
extern const struct db_type rmapbt_type;
extern const struct db_type data_type;		/* data.c */
extern const struct db_type text_type;
extern const struct db_type sb_type;		/* sb.c */

const struct db_type *db_type_by_id(enum db_typid id);

/* Look a type up by the name the current filesystem lists it under. */
const struct db_type *db_type_by_name(const struct db_ctx *ctx,
				      const char *name);

/* The name shown for t ("none" for NULL). */
const char *db_type_name(const struct db_ctx *ctx, const struct db_type *t);

/* t's top-level fields for this mount, or NULL. */
const struct db_field *db_type_fields(const struct db_ctx *ctx,
				      const struct db_type *t);

/*
 * Give the current object type t, re-reading it with t's size and
 * verifier (nothing happens if it already has type t).
 */
int db_set_type(struct db_ctx *ctx, const struct db_type *t);

/* Size helpers for struct db_type.size. */
unsigned int db_size_sector(const struct db_ctx *ctx);
unsigned int db_size_block(const struct db_ctx *ctx);
unsigned int db_size_bb(const struct db_ctx *ctx);

#endif /* DB_TYPE_H_ */
