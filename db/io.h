/*
 * db/io.h: the location stack and how xfs_db reads blocks.
 *
 * The current object is the top of a stack of struct db_loc (db.h).
 * Navigation commands replace the top (db_set_cur); push duplicates it,
 * pop drops it.
 *
 * Verification follows what the reference prints rather than what our
 * own buffer cache happens to do, so db keeps per-block state
 * (struct db_bufstate, keyed by daddr) that models the reference's cache:
 *   - the first read of a block (or a read with a different length)
 *     runs the type's verifier, reports a failure on stderr and remembers
 *     the error;
 *   - a later read of the same block runs no verifier and reports no
 *     error, unless the block was last read without a type (as data):
 *     then the type's verifier runs again;
 *   - reading a block as data forgets its type.
 * The CRC annotation of `print` ("(correct)", "(bad)") comes from this
 * remembered error.
 */
#ifndef DB_IO_H_
#define DB_IO_H_

#include "db/db.h"

/* What db knows about one block: see the header comment. */
struct db_bufstate {
	uint64_t			daddr;
	unsigned int			bblen;
	const struct xfs_buf_ops	*ops;	/* last verifier run, NULL: data */
	int				error;	/* what the reference would report */
	struct db_bufstate		*next;	/* hash chain */
};

/* db_set_cur flags */
#define DB_RING_ADD	(1U << 0)	/* remember the new position in the ring */

/*
 * Make pos the current object (replacing the top of the stack, creating
 * it if the stack is empty) and read its buffer.  On a read error the
 * message is printed, the top becomes an empty entry and the error is
 * returned.
 */
int db_set_cur(struct db_ctx *ctx, const struct db_pos *pos,
	       unsigned int flags);

/*
 * Shorthand for a whole-buffer object; the current inode (if any) stays
 * the current inode, as in the reference.
 */
int db_set_cur_block(struct db_ctx *ctx, const struct db_type *type,
		     uint64_t daddr, unsigned int bblen, unsigned int flags);

/* The position of the current object (an empty position if none). */
void db_get_pos(const struct db_ctx *ctx, struct db_pos *pos);

/* Push a copy of the current entry (an empty entry if there is none). */
void db_push_cur(struct db_ctx *ctx);

/* Drop the current entry; nothing happens on an empty stack. */
void db_pop_cur(struct db_ctx *ctx);

/* Release everything (at exit). */
void db_io_destroy(struct db_ctx *ctx);

/*
 * Print a location the way `stack` and `addr` do: the tag line, then
 * byte offset, buffer block and inode/type lines.
 */
void db_print_loc(const struct db_ctx *ctx, const char *tag,
		  const struct db_loc *loc);

/*
 * Read a block on behalf of a command that is not moving the current
 * object (label, uuid, ...), with the same verification bookkeeping.
 * Release with libxfs_buf_relse.
 */
int db_read_buf(struct db_ctx *ctx, uint64_t daddr, unsigned int bblen,
		const struct xfs_buf_ops *ops, struct xfs_buf **bpp,
		struct db_bufstate **statep);

/* The CRC verdict of the current object, as `print` shows it. */
enum db_crc_state {
	DB_CRC_UNCHECKED,	/* not a CRC filesystem */
	DB_CRC_CORRECT,
	DB_CRC_BAD,
};
enum db_crc_state db_cur_crc_state(const struct db_ctx *ctx);

#endif /* DB_IO_H_ */
