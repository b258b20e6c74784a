/*
 * db/io.c: the location stack (and its push/pop/stack commands) and block
 * reads with the verification bookkeeping described in io.h.
 *
 * Buffers come from libxfs always unverified (ops NULL); db decides when a
 * verifier runs (libxfs_buf_verify) so that messages and CRC verdicts
 * follow the reference whatever our buffer cache keeps.
 */
#include <stdlib.h>
#include <string.h>

#include "db/command.h"
#include "db/io.h"
#include "db/ring.h"
#include "db/type.h"

#define BUFHASH_SIZE	4096

/* ---- per-block verification state ---- */

static struct db_bufstate *bufstate_get(struct db_ctx *ctx, uint64_t daddr)
{
	struct db_bufstate *st;
	size_t h;

	if (!ctx->bufhash) {
		ctx->bufhash = calloc(BUFHASH_SIZE, sizeof(*ctx->bufhash));
		if (!ctx->bufhash) {
			return NULL;
		}
	}
	h = (size_t)(daddr % BUFHASH_SIZE);
	for (st = ctx->bufhash[h]; st; st = st->next) {
		if (st->daddr == daddr) {
			return st;
		}
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		return NULL;
	}
	st->daddr = daddr;
	st->bblen = 0;		/* "never read" */
	st->next = ctx->bufhash[h];
	ctx->bufhash[h] = st;
	return st;
}

/* The reference's verifier report, on stderr. */
static void report_verify_error(const struct xfs_buf *bp,
				const struct xfs_buf_ops *ops, int error)
{
	const char *name, *prefix;
	uint32_t magic = get_unaligned_be32(bp->b_addr);

	/* A verifier that picks one by magic leaves the one it ran. */
	if (bp->b_ops) {
		ops = bp->b_ops;
	}
	name = ops->name ? ops->name : "unknown";
	prefix = strncmp(name, "xfs_", 4) ? "xfs_" : "";

	/*
	 * A block that is no superblock at all is not reported as
	 * corruption by the reference, only with this warning.
	 */
	if (ops == &xfs_sb_buf_ops && magic != XFS_SB_MAGIC) {
		fprintf(stderr, "Superblock has bad magic number 0x%x. Not an "
			"XFS filesystem?\n", magic);
		return;
	}

	/*
	 * The reference prints the code address of the failing check; we
	 * print the address of our description of it, which serves the same
	 * purpose and varies between runs just the same.
	 */
	fprintf(stderr, "Metadata %s detected at %p, %s%s block 0x%llx/0x%x\n",
		error == -EFSBADCRC ? "CRC error" : "corruption",
		(const void *)bp->b_fail_reason, prefix, name,
		(unsigned long long)bp->b_daddr,
		(unsigned int)BBTOB(bp->b_length));
}

int db_read_buf(struct db_ctx *ctx, uint64_t daddr, unsigned int bblen,
		const struct xfs_buf_ops *ops, struct xfs_buf **bpp,
		struct db_bufstate **statep)
{
	struct db_bufstate *st;
	struct xfs_buf *bp;
	int error;

	*bpp = NULL;
	if (statep) {
		*statep = NULL;
	}
	error = libxfs_buf_read(ctx->mp, daddr, bblen, 0, NULL, &bp);
	if (error) {
		fprintf(stderr, "%s: error - read only 0 of %u bytes\n",
			ctx->progname, (unsigned int)BBTOB(bblen));
		return error;
	}
	st = bufstate_get(ctx, daddr);
	if (!st) {
		libxfs_buf_relse(bp);
		return -ENOMEM;
	}
	if (st->bblen != bblen) {
		/* First read of this block at this length. */
		st->bblen = bblen;
		st->ops = NULL;
	}
	st->error = 0;
	if (!ops) {
		st->ops = NULL;
	} else if (!st->ops) {
		st->error = libxfs_buf_verify(bp, ops);
		st->ops = ops;
		if (st->error) {
			report_verify_error(bp, ops, st->error);
		}
	}
	*bpp = bp;
	if (statep) {
		*statep = st;
	}
	return 0;
}

/* ---- the location stack ---- */

static void loc_clear(struct db_loc *loc)
{
	memset(loc, 0, sizeof(*loc));
	loc->ino = -1;
	loc->dirino = -1;
}

static void loc_release(struct db_loc *loc)
{
	if (loc->bp) {
		libxfs_buf_relse(loc->bp);
	}
	loc_clear(loc);
}

static struct db_loc *stack_push_empty(struct db_ctx *ctx)
{
	if (ctx->depth == ctx->stack_cap) {
		int cap = ctx->stack_cap ? ctx->stack_cap * 2 : 16;
		struct db_loc *n = realloc(ctx->stack, sizeof(*n) * cap);

		if (!n) {
			return NULL;
		}
		ctx->stack = n;
		ctx->stack_cap = cap;
	}
	loc_clear(&ctx->stack[ctx->depth]);
	return &ctx->stack[ctx->depth++];
}

void db_get_pos(const struct db_ctx *ctx, struct db_pos *pos)
{
	const struct db_loc *loc = db_cur_const(ctx);

	memset(pos, 0, sizeof(*pos));
	pos->ino = -1;
	pos->dirino = -1;
	if (!loc) {
		return;
	}
	pos->type = loc->type;
	pos->daddr = loc->daddr;
	pos->bblen = loc->bblen;
	pos->boff = loc->boff;
	pos->len = loc->len;
	pos->ino = loc->ino;
	pos->dirino = loc->dirino;
}

int db_set_cur(struct db_ctx *ctx, const struct db_pos *pos,
	       unsigned int flags)
{
	struct db_loc *loc = db_cur(ctx);
	struct db_bufstate *st;
	struct xfs_buf *bp;
	int error;

	if (!loc) {
		loc = stack_push_empty(ctx);
		if (!loc) {
			return -ENOMEM;
		}
	}
	loc_release(loc);
	if (!pos->bblen) {
		/* An empty position (an unused ring slot): nothing to read. */
		loc->type = pos->type;
		return 0;
	}
	error = db_read_buf(ctx, pos->daddr, pos->bblen,
			    pos->type ? pos->type->ops : NULL, &bp, &st);
	if (error) {
		return error;
	}
	loc->type = pos->type;
	loc->daddr = pos->daddr;
	loc->bblen = pos->bblen;
	loc->boff = pos->boff;
	loc->len = pos->len ? pos->len : (unsigned int)BBTOB(pos->bblen);
	loc->bp = bp;
	loc->bstate = st;
	loc->ino = pos->ino;
	loc->dirino = pos->dirino;
	if (flags & DB_RING_ADD) {
		db_ring_add(ctx, pos);
	}
	return 0;
}

int db_set_cur_block(struct db_ctx *ctx, const struct db_type *type,
		     uint64_t daddr, unsigned int bblen, unsigned int flags)
{
	const struct db_loc *loc = db_cur_const(ctx);
	struct db_pos pos = {
		.type = type,
		.daddr = daddr,
		.bblen = bblen,
		/* The current inode stays current until another is chosen. */
		.ino = loc ? loc->ino : -1,
		.dirino = loc ? loc->dirino : -1,
	};

	return db_set_cur(ctx, &pos, flags);
}

void db_push_cur(struct db_ctx *ctx)
{
	struct db_pos pos;

	db_get_pos(ctx, &pos);
	if (!stack_push_empty(ctx)) {
		return;
	}
	if (pos.bblen) {
		/* The copy reads the block again, as the reference does. */
		db_set_cur(ctx, &pos, 0);
	}
}

void db_pop_cur(struct db_ctx *ctx)
{
	if (!ctx->depth) {
		return;
	}
	loc_release(&ctx->stack[ctx->depth - 1]);
	ctx->depth--;
}

void db_io_destroy(struct db_ctx *ctx)
{
	size_t i;

	while (ctx->depth) {
		db_pop_cur(ctx);
	}
	free(ctx->stack);
	ctx->stack = NULL;
	ctx->stack_cap = 0;
	if (ctx->bufhash) {
		for (i = 0; i < BUFHASH_SIZE; i++) {
			struct db_bufstate *st = ctx->bufhash[i];

			while (st) {
				struct db_bufstate *next = st->next;

				free(st);
				st = next;
			}
		}
		free(ctx->bufhash);
		ctx->bufhash = NULL;
	}
}

enum db_crc_state db_cur_crc_state(const struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);

	if (!db_has_crc(ctx)) {
		return DB_CRC_UNCHECKED;
	}
	if (loc && loc->bstate && loc->bstate->error == -EFSBADCRC) {
		return DB_CRC_BAD;
	}
	return DB_CRC_CORRECT;
}

void db_print_loc(const struct db_ctx *ctx, const char *tag,
		  const struct db_loc *loc)
{
	printf("%s\n", tag);
	printf("\tbyte offset %lld, length %u\n",
	       (long long)(BBTOB(loc->daddr) + loc->boff), loc->len);
	printf("\tbuffer block %llu (fsbno %llu), %u bb%s\n",
	       (unsigned long long)loc->daddr,
	       (unsigned long long)db_daddr_to_fsbno(ctx, loc->daddr),
	       loc->bblen, loc->bblen == 1 ? "" : "s");
	printf("\tinode %lld, dir inode %lld, type %s\n",
	       (long long)loc->ino, (long long)loc->dirino,
	       db_type_name(ctx, loc->type));
}

/* ---- push, pop, stack ---- */

static int push_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_command *cmd;

	if (argc > 1) {
		cmd = db_find_command(argv[1]);
		if (!cmd || (cmd->expert && !ctx->expert)) {
			printf("no such command %s\n", argv[1]);
			return -ENOENT;
		}
		if (!cmd->canpush) {
			printf("no push form allowed for %s\n", argv[1]);
			return -EINVAL;
		}
	}
	db_push_cur(ctx);
	if (argc > 1) {
		db_run_argv(ctx, argc - 1, argv + 1);
	}
	return 0;
}

const struct db_command push_cmd = {
	.name = "push",
	.func = push_f,
	.argmin = 0,
	.argmax = 2,
	.args = "[command]",
	.oneline = "save the current location on the stack, then run command",
	.help =
"\n"
" Pushes a copy of the current location onto the location stack; with a\n"
" command, that command then moves the new top, so 'pop' comes back.\n"
"\n",
};

static int pop_f(struct db_ctx *ctx, int argc, char **argv)
{
	db_pop_cur(ctx);
	return 0;
}

const struct db_command pop_cmd = {
	.name = "pop",
	.func = pop_f,
	.argmin = 0,
	.argmax = 0,
	.oneline = "return to the location saved by the last push",
};

static int stack_f(struct db_ctx *ctx, int argc, char **argv)
{
	char tag[32];
	int i;

	for (i = ctx->depth; i > 0; i--) {
		snprintf(tag, sizeof(tag), "%d: ", i);
		db_print_loc(ctx, tag, &ctx->stack[i - 1]);
	}
	return 0;
}

const struct db_command stack_cmd = {
	.name = "stack",
	.func = stack_f,
	.argmin = 0,
	.argmax = 0,
	.oneline = "show the location stack, newest first",
	.help =
"\n"
" Lists every saved location, the current one first: its byte offset\n"
" and length, the buffer it lives in and its type.\n"
"\n",
};
