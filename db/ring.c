/*
 * db/ring.c: the position ring and its commands (ring, back, forward).
 *
 * The ring is circular.  head is the furthest-forward slot ever filled,
 * tail the oldest, cur the slot of the current position.  A navigation
 * writes the slot after cur; when cur was the head the head moves with
 * it (pushing the tail along once the ring is full), otherwise the newer
 * entries past the new one stay reachable with `forward`, as in the
 * reference.
 */
#include <stdlib.h>
#include <string.h>

#include "db/command.h"
#include "db/ring.h"
#include "db/type.h"

void db_ring_init(struct db_ctx *ctx)
{
	memset(ctx->ring, 0, sizeof(ctx->ring));
	ctx->ring_head = -1;
	ctx->ring_tail = -1;
	ctx->ring_cur = -1;
}

void db_ring_add(struct db_ctx *ctx, const struct db_pos *pos)
{
	if (ctx->ring_head == -1) {
		ctx->ring_head = ctx->ring_tail = ctx->ring_cur = 0;
	} else {
		bool at_head = ctx->ring_cur == ctx->ring_head;

		ctx->ring_cur = (ctx->ring_cur + 1) % DB_RING_SIZE;
		if (at_head) {
			ctx->ring_head = ctx->ring_cur;
			if (ctx->ring_head == ctx->ring_tail) {
				ctx->ring_tail = (ctx->ring_tail + 1) %
						 DB_RING_SIZE;
			}
		}
	}
	ctx->ring[ctx->ring_cur] = *pos;
}

/*
 * Go to slot i (already made current) without recording it again.  The
 * current inode stays current, as in the reference: the ring remembers
 * places, not inodes.
 */
static void ring_move(struct db_ctx *ctx, int slot)
{
	const struct db_loc *loc = db_cur_const(ctx);
	struct db_pos pos = ctx->ring[slot];

	pos.ino = loc ? loc->ino : -1;
	pos.dirino = loc ? loc->dirino : -1;
	if (!pos.type && !pos.bblen) {
		pos.ino = -1;
		pos.dirino = -1;
	}
	db_set_cur(ctx, &pos, 0);
}

static int ring_f(struct db_ctx *ctx, int argc, char **argv)
{
	int i;

	if (argc == 2) {
		i = (int)strtol(argv[1], NULL, 0);
		if (i < 0 || i >= DB_RING_SIZE) {
			printf("invalid entry: %d\n", i);
			return -EINVAL;
		}
		ctx->ring_cur = i;
		ring_move(ctx, i);
		return 0;
	}
	if (ctx->ring_cur == -1) {
		printf("no entries in location ring.\n");
		return 0;
	}
	printf("      type    bblock  bblen    fsbno     inode\n");
	i = ctx->ring_head;
	for (;;) {
		/*
		 * Moving around a ring that was never filled leaves head at
		 * -1; the reference then shows one blank entry, so do we.
		 */
		static const struct db_pos blank;
		const struct db_pos *p = i >= 0 ? &ctx->ring[i] : &blank;

		printf("%c%2d: %-8s%8llu %5u %8llu %9lld\n",
		       i == ctx->ring_cur ? '*' : ' ', i,
		       db_type_name(ctx, p->type),
		       (unsigned long long)p->daddr, p->bblen,
		       (unsigned long long)db_daddr_to_fsbno(ctx, p->daddr),
		       (long long)p->ino);
		if (i == ctx->ring_tail) {
			break;
		}
		i = (i + DB_RING_SIZE - 1) % DB_RING_SIZE;
	}
	return 0;
}

const struct db_command ring_cmd = {
	.name = "ring",
	.func = ring_f,
	.argmin = 0,
	.argmax = 1,
	.args = "[index]",
	.oneline = "list the position ring, or go to one of its entries",
	.help =
"\n"
" Every navigation command records where it went in a ring of the last\n"
" 20 positions.  Without an argument the ring is listed, newest first,\n"
" with '*' on the current entry; 'ring N' goes back to entry N.\n"
"\n",
};

static int back_f(struct db_ctx *ctx, int argc, char **argv)
{
	if (ctx->ring_cur == -1) {
		printf("ring is empty\n");
		return 0;
	}
	if (ctx->ring_cur == ctx->ring_tail) {
		printf("no previous entries\n");
		return 0;
	}
	ctx->ring_cur = (ctx->ring_cur + DB_RING_SIZE - 1) % DB_RING_SIZE;
	ring_move(ctx, ctx->ring_cur);
	return 0;
}

const struct db_command back_cmd = {
	.name = "back",
	.alias = { "b" },
	.func = back_f,
	.argmin = 0,
	.argmax = 0,
	.oneline = "go to the previous position of the ring",
};

static int forward_f(struct db_ctx *ctx, int argc, char **argv)
{
	if (ctx->ring_cur == -1) {
		printf("ring is empty\n");
		return 0;
	}
	if (ctx->ring_cur == ctx->ring_head) {
		printf("no further entries\n");
		return 0;
	}
	ctx->ring_cur = (ctx->ring_cur + 1) % DB_RING_SIZE;
	ring_move(ctx, ctx->ring_cur);
	return 0;
}

const struct db_command forward_cmd = {
	.name = "forward",
	.alias = { "f" },
	.func = forward_f,
	.argmin = 0,
	.argmax = 0,
	.oneline = "go to the next position of the ring",
};
