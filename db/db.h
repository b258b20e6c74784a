/*
 * db/db.h: the state of one xfs_db session and the helpers every command
 * file shares.  main() (init.c) creates a single struct db_ctx and hands it
 * to every command, printer and field callback; db keeps no other mutable
 * globals.
 *
 * The pieces, each in its own file:
 *   command.c   command table, line tokenizer, dispatcher, help/quit/echo
 *   io.c        location stack (push/pop/stack), buffer reads and the
 *               verifier bookkeeping that mirrors the reference's cache
 *   ring.c      position ring (ring/back/forward)
 *   type.c      type table and the `type` command
 *   field.c     field tables: counts, offsets, field-expression parsing
 *   print.c     the generic structure printer and the `print` command
 *   fprint.c    element printers (numbers, uuid, strings, crc)
 *   sb.c agf.c agi.c agfl.c data.c   structure descriptions + commands
 *   addr.c block.c convert.c info.c sbcmds.c   further commands
 */
#ifndef DB_DB_H_
#define DB_DB_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libxfs.h"

struct db_type;
struct db_bufstate;
struct db_check;

/* One entry of the location stack: what the current object is and where. */
struct db_loc {
	const struct db_type	*type;	/* NULL: no type ("none") */
	uint64_t		daddr;	/* buffer start, basic blocks */
	unsigned int		bblen;	/* buffer length, basic blocks */
	unsigned int		boff;	/* object offset inside the buffer, bytes */
	unsigned int		len;	/* object length, bytes */
	struct xfs_buf		*bp;	/* referenced buffer, or NULL */
	struct db_bufstate	*bstate; /* verification state of that block */
	int64_t			ino;	/* current inode, -1 if none */
	int64_t			dirino;	/* its directory, -1 if none */
};

/* A position: everything needed to go (back) to an object. */
struct db_pos {
	const struct db_type	*type;
	uint64_t		daddr;	/* buffer start, basic blocks */
	unsigned int		bblen;	/* buffer length, basic blocks */
	unsigned int		boff;	/* object offset in the buffer, bytes */
	unsigned int		len;	/* object bytes; 0 = the whole buffer */
	int64_t			ino;
	int64_t			dirino;
};

#define DB_RING_SIZE	20

struct db_ctx {
	struct xfs_mount	*mp;
	const char		*progname;	/* -p, default "xfs_db" */
	const char		*fsname;	/* image path as given */
	bool			expert;		/* -x */
	bool			readonly;	/* -r */
	bool			force;		/* -F */
	bool			done;		/* quit was given */
	uint32_t		cur_agno;	/* AG of the last sb/agf/agi/agfl,
						   NULLAGNUMBER before one */

	/* Location stack; stack[depth - 1] is the current object. */
	struct db_loc		*stack;
	int			depth;
	int			stack_cap;

	/* Position ring (ring.c); slots are -1 while the ring is empty. */
	struct db_pos		ring[DB_RING_SIZE];
	int			ring_head;	/* furthest-forward slot */
	int			ring_tail;	/* oldest slot */
	int			ring_cur;	/* slot of the current position */

	/* Verification state of every block read so far (io.c). */
	struct db_bufstate	**bufhash;

	/* Exit status of xfs_db: blockget sets 1 (dirty log) or 3 (errors). */
	int			exitcode;

	/* blockget's maps, NULL until blockget / after blockfree (check.c). */
	struct db_check		*check;
	/*
	 * Free blocks blockget counted AG by AG, summed over every blockget
	 * of the session (the reference never resets it, so a second
	 * blockget reports it doubled).
	 */
	int64_t			check_agf_aggr;
};

/* Release blockget's state (at exit, blockfree). */
void db_check_destroy(struct db_ctx *ctx);

/* The current object, or NULL when the stack is empty. */
static inline struct db_loc *db_cur(struct db_ctx *ctx)
{
	return ctx->depth ? &ctx->stack[ctx->depth - 1] : NULL;
}

static inline const struct db_loc *db_cur_const(const struct db_ctx *ctx)
{
	return ctx->depth ? &ctx->stack[ctx->depth - 1] : NULL;
}

/* Bytes of the current object (NULL when there is none). */
static inline const void *db_cur_data(const struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);

	if (!loc || !loc->bp) {
		return NULL;
	}
	return (const char *)loc->bp->b_addr + loc->boff;
}

/* Geometry shortcuts. */
static inline const struct xfs_sb *db_sb(const struct db_ctx *ctx)
{
	return &ctx->mp->m_sb;
}

static inline bool db_has_crc(const struct db_ctx *ctx)
{
	return (ctx->mp->m_sb.sb_versionnum & XFS_SB_VERSION_NUMBITS) ==
	       XFS_SB_VERSION_5;
}

/* Basic blocks per filesystem block, as a shift. */
static inline unsigned int db_blkbb_log(const struct db_ctx *ctx)
{
	return ctx->mp->m_sb.sb_blocklog - BBSHIFT;
}

/* daddr of sector `sector` of AG agno. */
uint64_t db_ag_daddr(const struct db_ctx *ctx, uint32_t agno,
		     unsigned int sector);

/* Filesystem block containing daddr (agno << agblklog | agbno). */
uint64_t db_daddr_to_fsbno(const struct db_ctx *ctx, uint64_t daddr);

/* daddr of filesystem block fsbno. */
uint64_t db_fsbno_to_daddr(const struct db_ctx *ctx, uint64_t fsbno);

/*
 * Parse a whole-string unsigned number the way the reference does
 * (strtoull, base 0: decimal, 0x hex, 0 octal; a leading '-' wraps).
 * Returns false if the string is empty or has trailing junk.
 */
bool db_parse_u64(const char *s, uint64_t *val);

/*
 * Parse an allocation group number argument; prints the reference's
 * "bad allocation group number" message and returns false if invalid.
 */
bool db_parse_agno(struct db_ctx *ctx, const char *arg, uint32_t *agno);

/*
 * The sb/agf/agi/agfl commands: go to sector `sector` of the AG named by
 * argv[1] (default: the current AG), which becomes the current AG.
 */
int db_goto_ag_header(struct db_ctx *ctx, int argc, char **argv,
		      const struct db_type *type, unsigned int sector);

#endif /* DB_DB_H_ */
