/*
 * db/scan.h: walking the per-AG btrees the way the reference's reporting
 * commands (freesp, frag, blockget) do -- each block read through db's
 * verification bookkeeping (so damage is reported once, as the reference
 * reports it), the level of a block taken from its place in the walk
 * rather than from its header, children visited depth first.
 */
#ifndef DB_SCAN_H_
#define DB_SCAN_H_

#include "db/db.h"

/* Deepest walk we follow; damaged level counts are cut off here. */
#define DB_SCAN_MAXDEPTH	32

/*
 * Called for one block: level is what the walk expects (nlevels - 1 at
 * the root, one less per step down).  Return non-zero to stop the walk.
 */
typedef int (*db_sbtree_fn)(struct db_ctx *ctx, struct xfs_buf *bp,
			    int level, uint32_t agno, uint32_t agbno,
			    void *priv);

/*
 * Read block agbno of AG agno with ops and call fn(level = nlevels - 1).
 * Returns fn's value, or -EIO when the block cannot be read (nothing is
 * printed beyond what db_read_buf prints).  depth counts the levels
 * already descended, to bound walks through damaged trees.
 */
int db_scan_sbtree(struct db_ctx *ctx, uint32_t agno, uint32_t agbno,
		   int nlevels, int depth, const struct xfs_buf_ops *ops,
		   db_sbtree_fn fn, void *priv);

/* Same for a long-pointer (bmbt) block at fs block fsbno. */
typedef int (*db_lbtree_fn)(struct db_ctx *ctx, struct xfs_buf *bp,
			    int level, uint64_t fsbno, void *priv);
int db_scan_lbtree(struct db_ctx *ctx, uint64_t fsbno, int nlevels,
		   int depth, db_lbtree_fn fn, void *priv);

/* Block header accessors (the buffer holds at least one header). */
static inline uint32_t db_bt_magic(const struct xfs_buf *bp)
{
	return get_unaligned_be32(bp->b_addr);
}

static inline unsigned int db_bt_numrecs(const struct xfs_buf *bp)
{
	return get_unaligned_be16((const char *)bp->b_addr + 6);
}

static inline unsigned int db_bt_level(const struct xfs_buf *bp)
{
	return get_unaligned_be16((const char *)bp->b_addr + 4);
}

/* Bytes of a buffer. */
static inline unsigned int db_buf_len(const struct xfs_buf *bp)
{
	return (unsigned int)BBTOB(bp->b_length);
}

/*
 * Would the reference fail to allocate this many bytes?  It sizes some
 * tables from extent counts read from disk, and on this kind of system a
 * single allocation larger than memory and swap together fails; it then
 * says so and exits with status 4.  db_out_of_memory prints that message
 * and ends the session with that status (the caller unwinds).
 */
bool db_alloc_would_fail(uint64_t bytes);
void db_out_of_memory(struct db_ctx *ctx);

/* The reference's atoi(): strtol base 10, truncated to int. */
int db_atoi(const char *s);

#endif /* DB_SCAN_H_ */
