/*
 * db/util.c: small helpers shared by the command files -- argument
 * parsing and address arithmetic on the mounted geometry.
 */
#include <stdlib.h>

#include "db/db.h"
#include "db/io.h"

bool db_parse_u64(const char *s, uint64_t *val)
{
	char *end;

	if (!*s) {
		return false;
	}
	*val = strtoull(s, &end, 0);
	return *end == '\0';
}

bool db_parse_agno(struct db_ctx *ctx, const char *arg, uint32_t *agno)
{
	uint64_t v;

	if (!db_parse_u64(arg, &v) || v >= db_sb(ctx)->sb_agcount) {
		printf("bad allocation group number %s\n", arg);
		return false;
	}
	*agno = (uint32_t)v;
	return true;
}

uint64_t db_ag_daddr(const struct db_ctx *ctx, uint32_t agno,
		     unsigned int sector)
{
	const struct xfs_sb *sb = db_sb(ctx);

	return ((uint64_t)agno * sb->sb_agblocks << db_blkbb_log(ctx)) +
	       ((uint64_t)sector << (sb->sb_sectlog - BBSHIFT));
}

uint64_t db_daddr_to_fsbno(const struct db_ctx *ctx, uint64_t daddr)
{
	const struct xfs_sb *sb = db_sb(ctx);
	uint64_t blk = daddr >> db_blkbb_log(ctx);
	uint64_t agno, agbno;

	if (!sb->sb_agblocks) {
		return 0;
	}
	agno = blk / sb->sb_agblocks;
	agbno = blk % sb->sb_agblocks;
	return (agno << sb->sb_agblklog) | agbno;
}

uint64_t db_fsbno_to_daddr(const struct db_ctx *ctx, uint64_t fsbno)
{
	const struct xfs_sb *sb = db_sb(ctx);
	uint64_t agno = fsbno >> sb->sb_agblklog;
	uint64_t agbno = fsbno & ((1ULL << sb->sb_agblklog) - 1);

	return (agno * sb->sb_agblocks + agbno) << db_blkbb_log(ctx);
}

int db_goto_ag_header(struct db_ctx *ctx, int argc, char **argv,
		      const struct db_type *type, unsigned int sector)
{
	/* No AG chosen yet: AG 0. */
	uint32_t agno = ctx->cur_agno == NULLAGNUMBER ? 0 : ctx->cur_agno;

	if (argc > 1 && !db_parse_agno(ctx, argv[1], &agno)) {
		return -EINVAL;
	}
	ctx->cur_agno = agno;
	return db_set_cur_block(ctx, type, db_ag_daddr(ctx, agno, sector),
				(unsigned int)BTOBB(db_sb(ctx)->sb_sectsize),
				DB_RING_ADD);
}
