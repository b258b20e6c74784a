/*
 * db/scan.c: depth-first walks of btree blocks for the whole-filesystem
 * reports (see scan.h).  The walk itself knows nothing of records: the
 * callback gets each block with the level it should have and decides
 * where to go next.
 */
#include <stdlib.h>
#include <sys/sysinfo.h>

#include "db/io.h"
#include "db/scan.h"

int db_scan_sbtree(struct db_ctx *ctx, uint32_t agno, uint32_t agbno,
		   int nlevels, int depth, const struct xfs_buf_ops *ops,
		   db_sbtree_fn fn, void *priv)
{
	const struct xfs_sb *sb = db_sb(ctx);
	struct xfs_buf *bp;
	uint64_t daddr;
	int error;

	if (depth >= DB_SCAN_MAXDEPTH) {
		return 0;
	}
	daddr = ((uint64_t)agno * sb->sb_agblocks + agbno) <<
		db_blkbb_log(ctx);
	error = db_read_buf(ctx, daddr, 1U << db_blkbb_log(ctx), ops, &bp,
			    NULL);
	if (error) {
		return -EIO;
	}
	error = fn(ctx, bp, nlevels - 1, agno, agbno, priv);
	libxfs_buf_relse(bp);
	return error;
}

int db_scan_lbtree(struct db_ctx *ctx, uint64_t fsbno, int nlevels,
		   int depth, db_lbtree_fn fn, void *priv)
{
	struct xfs_buf *bp;
	int error;

	if (depth >= DB_SCAN_MAXDEPTH) {
		return 0;
	}
	error = db_read_buf(ctx, db_fsbno_to_daddr(ctx, fsbno),
			    1U << db_blkbb_log(ctx), &xfs_bmbt_buf_ops, &bp,
			    NULL);
	if (error) {
		return -EIO;
	}
	error = fn(ctx, bp, nlevels - 1, fsbno, priv);
	libxfs_buf_relse(bp);
	return error;
}

bool db_alloc_would_fail(uint64_t bytes)
{
	struct sysinfo si;
	uint64_t limit;

	if (sysinfo(&si)) {
		return false;
	}
	limit = ((uint64_t)si.totalram + si.totalswap) * si.mem_unit;
	return bytes > limit;
}

void db_out_of_memory(struct db_ctx *ctx)
{
	printf("%s: out of memory\n", ctx->progname);
	ctx->exitcode = 4;
	ctx->done = true;
}

int db_atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
