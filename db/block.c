/*
 * db/block.c: raw navigation by disk address -- `fsblock` (one filesystem
 * block) and `daddr` (one 512-byte basic block) -- which leave the
 * current object typed as data.
 */
#include "db/command.h"
#include "db/io.h"
#include "db/type.h"

/* Where the current object starts (an inode inside its cluster). */
static uint64_t cur_daddr(const struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);

	return loc ? loc->daddr + (loc->boff >> BBSHIFT) : 0;
}

static int fsblock_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct xfs_sb *sb = db_sb(ctx);
	uint64_t fsbno, agno, agbno;

	if (argc == 1) {
		printf("current fsblock is %lld\n",
		       (long long)db_daddr_to_fsbno(ctx, cur_daddr(ctx)));
		return 0;
	}
	if (!db_parse_u64(argv[1], &fsbno)) {
		printf("bad fsblock %s\n", argv[1]);
		return -EINVAL;
	}
	agno = fsbno >> sb->sb_agblklog;
	agbno = fsbno & ((1ULL << sb->sb_agblklog) - 1);
	if (agno >= sb->sb_agcount || agbno >= sb->sb_agblocks) {
		printf("bad fsblock %s\n", argv[1]);
		return -EINVAL;
	}
	return db_set_cur_block(ctx, &data_type,
				db_fsbno_to_daddr(ctx, fsbno),
				1U << db_blkbb_log(ctx), DB_RING_ADD);
}

const struct db_command fsblock_cmd = {
	.name = "fsblock",
	.alias = { "fsb" },
	.func = fsblock_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[fsb]",
	.oneline = "go to a filesystem block, or show the current one",
	.help =
"\n"
" 'fsblock N' makes filesystem block N the current object, as data.\n"
" N is a filesystem-wide block number: the AG number shifted left by\n"
" agblklog, plus the block within the AG (see 'convert').\n"
"\n",
};

static int daddr_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct xfs_sb *sb = db_sb(ctx);
	uint64_t daddr;

	if (argc == 1) {
		printf("current daddr is %lld\n", (long long)cur_daddr(ctx));
		return 0;
	}
	if (!db_parse_u64(argv[1], &daddr) ||
	    daddr >= (sb->sb_dblocks << db_blkbb_log(ctx))) {
		printf("bad daddr %s\n", argv[1]);
		return -EINVAL;
	}
	return db_set_cur_block(ctx, &data_type, daddr, 1, DB_RING_ADD);
}

const struct db_command daddr_cmd = {
	.name = "daddr",
	.func = daddr_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[d]",
	.oneline = "go to a 512-byte disk address, or show the current one",
	.help =
"\n"
" 'daddr N' makes the 512-byte basic block N of the data device the\n"
" current object, as data.\n"
"\n",
};
