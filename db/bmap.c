/*
 * db/bmap.c: the commands that map a file's logical blocks -- `bmap`
 * (list the extents of the current inode's forks), `dblock` and `ablock`
 * (go to a logical block of its data or attribute fork).
 *
 * The current inode is read straight from its cluster without the
 * verifiers, as the reference does: a damaged inode can still be mapped.
 * Its extents come from the fork (extent list) or from its bmbt, whose
 * blocks are read like any other db read, complaints included; damaged
 * records are listed as they are, not judged.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "db/command.h"
#include "db/inode.h"
#include "db/io.h"

/* An inode read straight from disk, unverified. */
struct raw_inode {
	uint64_t	ino;
	uint8_t		*dip;		/* copy of the on-disk inode */
	unsigned int	isize;
	uint16_t	mode;
	bool		crc_bad;
};

/* The extents of one fork, in on-disk order. */
struct ext_list {
	struct xfs_bmbt_irec	*ext;
	size_t			n, cap;
};

/* Read inode ino without checks; false if it cannot be read at all. */
static bool raw_iget(struct db_ctx *ctx, uint64_t ino, struct raw_inode *ri)
{
	unsigned int bbs, off;
	struct xfs_buf *bp;
	uint64_t daddr;

	memset(ri, 0, sizeof(*ri));
	ri->isize = db_sb(ctx)->sb_inodesize;
	if (db_imap(ctx, ino, &daddr, &bbs, &off) ||
	    libxfs_buf_read(ctx->mp, daddr, bbs, 0, NULL, &bp)) {
		return false;
	}
	if (off + ri->isize > BBTOB(bp->b_length) ||
	    !(ri->dip = malloc(ri->isize))) {
		libxfs_buf_relse(bp);
		return false;
	}
	memcpy(ri->dip, (char *)bp->b_addr + off, ri->isize);
	libxfs_buf_relse(bp);
	ri->ino = ino;
	ri->mode = get_unaligned_be16(ri->dip +
				      offsetof(struct xfs_dinode, di_mode));
	ri->crc_bad = db_has_crc(ctx) &&
		      (ri->dip[offsetof(struct xfs_dinode, di_version)] < 3 ||
		       !libxfs_verify_cksum(ri->dip, ri->isize,
					    XFS_DINODE_CRC_OFF));
	return true;
}

static void raw_irele(struct raw_inode *ri)
{
	free(ri->dip);
	ri->dip = NULL;
}

static struct xfs_dinode *rdip(const struct raw_inode *ri)
{
	return (struct xfs_dinode *)ri->dip;
}

/* Where a fork is in the inode copy, clamped to the inode. */
static const uint8_t *fork_data(const struct raw_inode *ri, int whichfork,
				unsigned int *size)
{
	unsigned int core = rdip(ri)->di_version == 3 ?
			    XFS_DINODE_CORE_V3_SIZE : XFS_DINODE_CORE_V2_SIZE;
	unsigned int lit = ri->isize - core;
	unsigned int boff = (unsigned int)rdip(ri)->di_forkoff << 3;

	if (boff > lit) {
		boff = lit;
	}
	if (whichfork == XFS_DATA_FORK) {
		*size = rdip(ri)->di_forkoff ? boff : lit;
		return ri->dip + core;
	}
	*size = lit - boff;
	return ri->dip + core + boff;
}

static bool has_afork(const struct raw_inode *ri)
{
	return rdip(ri)->di_forkoff != 0;
}

static uint64_t fork_nextents(const struct raw_inode *ri, int whichfork)
{
	return whichfork == XFS_DATA_FORK ? xfs_dinode_nextents(rdip(ri)) :
					    xfs_dinode_anextents(rdip(ri));
}

static unsigned int fork_format(const struct raw_inode *ri, int whichfork)
{
	if (whichfork == XFS_ATTR_FORK && !has_afork(ri)) {
		return XFS_DINODE_FMT_EXTENTS;
	}
	return xfs_dfork_format(rdip(ri), whichfork);
}

/* Does the fork hold a block map (extents or bmbt)? */
static bool fork_mapped(const struct raw_inode *ri, int whichfork)
{
	unsigned int fmt = fork_format(ri, whichfork);

	if (whichfork == XFS_ATTR_FORK && !has_afork(ri)) {
		return false;
	}
	return fmt == XFS_DINODE_FMT_EXTENTS || fmt == XFS_DINODE_FMT_BTREE;
}

static bool ext_add(struct ext_list *l, const void *rec)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct xfs_bmbt_irec *e = realloc(l->ext, cap * sizeof(*e));

		if (!e) {
			return false;
		}
		l->ext = e;
		l->cap = cap;
	}
	libxfs_bmbt_disk_get(rec, &l->ext[l->n++]);
	return true;
}

static void ext_free(struct ext_list *l)
{
	free(l->ext);
	memset(l, 0, sizeof(*l));
}

#define BMBT_HDR	((unsigned int)XFS_BTREE_LBLOCK_CRC_LEN)
#define BMBT_MAXDEPTH	16

/*
 * The records of a bmbt: down the leftmost path from the root, then
 * along the leaves by their right siblings -- every block read as the
 * reference reads it, its verifier's complaint printed once.  Damaged
 * counts are clamped to the block; a sibling loop ends the walk.
 */
static void load_btree(struct db_ctx *ctx, const uint8_t *root,
		       unsigned int rsize, struct ext_list *l)
{
	unsigned int bs = db_sb(ctx)->sb_blocksize;
	unsigned int bbs = 1U << db_blkbb_log(ctx);
	unsigned int maxkeys = (bs - BMBT_HDR) / 16;
	unsigned int level, n, i, visits = 0;
	uint64_t fsbno;

	if (rsize < sizeof(struct xfs_bmdr_block) + 16) {
		return;
	}
	level = get_unaligned_be16(root);
	n = get_unaligned_be16(root + 2);
	if (level == 0 || n == 0) {
		return;
	}
	fsbno = get_unaligned_be64(root + sizeof(struct xfs_bmdr_block) +
				   (size_t)xfs_bmdr_maxrecs(rsize) * 8);
	while (fsbno != NULLFSBLOCK && visits++ < (1U << 22)) {
		struct xfs_buf *bp;
		const uint8_t *b;

		if (!libxfs_verify_fsbno(ctx->mp, fsbno) ||
		    db_read_buf(ctx, db_fsbno_to_daddr(ctx, fsbno), bbs,
				&xfs_bmbt_buf_ops, &bp, NULL)) {
			return;
		}
		b = bp->b_addr;
		n = get_unaligned_be16(b + 6);
		if (get_unaligned_be16(b + 4) > 0 && level > 1 &&
		    visits < BMBT_MAXDEPTH) {
			/* A node: down its first child. */
			fsbno = get_unaligned_be64(b + BMBT_HDR +
						   (size_t)maxkeys * 8);
			level--;
			libxfs_buf_relse(bp);
			continue;
		}
		if (n > (bs - BMBT_HDR) / 16) {
			n = (bs - BMBT_HDR) / 16;
		}
		for (i = 0; i < n; i++) {
			if (!ext_add(l, b + BMBT_HDR + (size_t)i * 16)) {
				break;
			}
		}
		fsbno = get_unaligned_be64(b + 16);
		libxfs_buf_relse(bp);
	}
}

/* Every extent of a fork, in on-disk order. */
static void load_extents(struct db_ctx *ctx, const struct raw_inode *ri,
			 int whichfork, struct ext_list *l)
{
	unsigned int size;
	const uint8_t *p = fork_data(ri, whichfork, &size);
	uint64_t n, i;

	memset(l, 0, sizeof(*l));
	if (!fork_mapped(ri, whichfork)) {
		return;
	}
	if (fork_format(ri, whichfork) == XFS_DINODE_FMT_BTREE) {
		load_btree(ctx, p, size, l);
		return;
	}
	n = fork_nextents(ri, whichfork);
	if (n > size / sizeof(struct xfs_bmbt_rec)) {
		n = size / sizeof(struct xfs_bmbt_rec);
	}
	for (i = 0; i < n; i++) {
		if (!ext_add(l, p + i * sizeof(struct xfs_bmbt_rec))) {
			break;
		}
	}
}

/*
 * The reference reads the inode again for each step of these commands,
 * which shows (bad checksum complaint, position ring entries).
 */
static void reread(struct db_ctx *ctx, const struct raw_inode *ri, int times)
{
	while (times-- > 0) {
		db_inode_reread(ctx, ri->ino, ri->crc_bad);
	}
}

/* The fs block holding file block bno of a fork; false for a hole. */
static bool map_block(struct db_ctx *ctx, const struct raw_inode *ri,
		      int whichfork, uint64_t bno, uint64_t *fsbno)
{
	struct ext_list l;
	bool found = false;
	size_t i;

	load_extents(ctx, ri, whichfork, &l);
	for (i = 0; i < l.n; i++) {
		const struct xfs_bmbt_irec *e = &l.ext[i];

		if (bno >= e->br_startoff &&
		    bno - e->br_startoff < e->br_blockcount) {
			*fsbno = e->br_startblock + (bno - e->br_startoff);
			found = true;
			break;
		}
	}
	ext_free(&l);
	return found;
}

int db_fork_map(struct db_ctx *ctx, int64_t ino, int whichfork,
		uint64_t bno, uint64_t *fsbno)
{
	struct raw_inode ri;
	bool ok;

	if (ino < 0 || !raw_iget(ctx, (uint64_t)ino, &ri)) {
		return -EINVAL;
	}
	reread(ctx, &ri, 1);
	ok = map_block(ctx, &ri, whichfork, bno, fsbno);
	raw_irele(&ri);
	return ok ? 0 : -ENOENT;
}

/* ---- bmap ---- */

static void print_map(struct db_ctx *ctx, int whichfork,
		      const struct xfs_bmbt_irec *m)
{
	const struct xfs_sb *sb = db_sb(ctx);

	printf("%s offset %llu startblock %llu (%u/%u) count %llu flag %d\n",
	       whichfork == XFS_DATA_FORK ? "data" : "attr",
	       (unsigned long long)m->br_startoff,
	       (unsigned long long)m->br_startblock,
	       (unsigned int)(m->br_startblock >> sb->sb_agblklog),
	       (unsigned int)(m->br_startblock &
			      ((1ULL << sb->sb_agblklog) - 1)),
	       (unsigned long long)m->br_blockcount, m->br_unwritten ? 1 : 0);
}

/*
 * Print the extents of a fork that meet [bno, end), cut to it; with
 * whole set, every extent.
 */
static void bmap_fork(struct db_ctx *ctx, const struct raw_inode *ri,
		      int whichfork, uint64_t bno, uint64_t end, bool whole)
{
	struct ext_list l;
	size_t i;

	load_extents(ctx, ri, whichfork, &l);
	for (i = 0; i < l.n; i++) {
		struct xfs_bmbt_irec m = l.ext[i];
		uint64_t xend = m.br_startoff + m.br_blockcount;

		if (!whole) {
			if (xend <= bno || m.br_startoff >= end) {
				continue;
			}
			if (m.br_startoff < bno) {
				m.br_startblock += bno - m.br_startoff;
				m.br_startoff = bno;
			}
			if (xend > end) {
				xend = end;
			}
			m.br_blockcount = xend - m.br_startoff;
		}
		print_map(ctx, whichfork, &m);
		reread(ctx, ri, 1);
	}
	ext_free(&l);
}

static int bmap_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_loc *loc = db_cur_const(ctx);
	bool afork = false, dfork = false;
	uint64_t bno = 0, len = 0, end;
	struct raw_inode ri;
	int c, w;

	optind = 0;
	opterr = 1;
	while ((c = getopt(argc, argv, "ad")) != -1) {
		switch (c) {
		case 'a':
			afork = true;
			break;
		case 'd':
			dfork = true;
			break;
		default:
			printf("bad option for bmap command\n");
			return -EINVAL;
		}
	}
	if (!loc || loc->ino < 0) {
		printf("no current inode\n");
		return -EINVAL;
	}
	if (optind < argc) {
		if (!db_parse_u64(argv[optind], &bno)) {
			printf("bad block number for bmap %s\n", argv[optind]);
			return -EINVAL;
		}
		len = 1;
		if (optind + 1 < argc &&
		    !db_parse_u64(argv[optind + 1], &len)) {
			printf("bad len for bmap %s\n", argv[optind + 1]);
			return -EINVAL;
		}
	}
	if (!raw_iget(ctx, (uint64_t)loc->ino, &ri)) {
		printf("bad inode number %lld\n", (long long)loc->ino);
		return -EINVAL;
	}
	/*
	 * The reference reads the inode again to choose the forks, for
	 * each fork, and after each extent.
	 */
	if (!afork && !dfork) {
		reread(ctx, &ri, 1);
	}
	/* By default, the forks that have extents. */
	if (!afork && !dfork) {
		dfork = fork_nextents(&ri, XFS_DATA_FORK) > 0;
		afork = has_afork(&ri) && fork_nextents(&ri, XFS_ATTR_FORK) > 0;
	}
	for (w = XFS_DATA_FORK; w <= XFS_ATTR_FORK; w++) {
		if ((w == XFS_DATA_FORK && !dfork) ||
		    (w == XFS_ATTR_FORK && !afork)) {
			continue;
		}
		reread(ctx, &ri, 1);
		/* "bmap 0 0" is the whole fork, a length 0 elsewhere none. */
		if (len == 0 && bno != 0) {
			continue;
		}
		end = bno + len < bno ? UINT64_MAX : bno + len;
		bmap_fork(ctx, &ri, w, bno, end, bno == 0 && len == 0);
	}
	raw_irele(&ri);
	return 0;
}

const struct db_command bmap_cmd = {
	.name = "bmap",
	.func = bmap_f,
	.argmin = 0,
	.argmax = 3,
	.args = "[-ad] [block [len]]",
	.oneline = "show the block map of the current inode",
	.help =
"\n"
" Lists the extents of the current inode: 'data offset O startblock B\n"
" (AG/AGBLOCK) count N flag F' per extent (flag 1: unwritten).  -d and\n"
" -a choose the data or attribute fork (default: both); a block number,\n"
" and a length (default 1), limit the listing to that range.\n"
"\n",
};

/* ---- dblock and ablock ---- */

static int fork_block_f(struct db_ctx *ctx, int argc, char **argv,
			int whichfork)
{
	const struct db_loc *loc = db_cur_const(ctx);
	const struct db_type *type;
	struct raw_inode ri;
	uint64_t bno, fsbno;
	unsigned int blocks = 1;

	if (!db_parse_u64(argv[1], &bno)) {
		printf("bad block number %s\n", argv[1]);
		return -EINVAL;
	}
	if (!loc || loc->ino < 0 ||
	    !raw_iget(ctx, (uint64_t)loc->ino, &ri)) {
		printf("bad inode number %lld\n", loc ? (long long)loc->ino :
							-1LL);
		if (whichfork == XFS_DATA_FORK) {
			printf("no type for file data\n");
		} else if (!loc) {
			printf("no current inode\n");
		} else {
			printf("no attribute data for file\n");
		}
		return -EINVAL;
	}
	/*
	 * The reference decides on the type of the block first (for the
	 * attribute fork it looks for one in the current object, which must
	 * be the inode itself), then reads the inode again to map it.
	 */
	reread(ctx, &ri, 1);
	if (whichfork == XFS_ATTR_FORK && loc->type != &inode_type) {
		printf("no attribute data for file\n");
		goto out;
	}
	type = db_fork_block_type(ri.mode, whichfork, true);
	if (!type) {
		printf("no type for file data\n");
		goto out;
	}
	reread(ctx, &ri, 1);
	if (whichfork == XFS_ATTR_FORK && !has_afork(&ri)) {
		printf("no attribute data for file\n");
		goto out;
	}
	if (type == &dir3_type) {
		blocks = 1U << db_sb(ctx)->sb_dirblklog;
	}
	if (!map_block(ctx, &ri, whichfork, bno, &fsbno)) {
		printf("file %s block is unmapped\n",
		       whichfork == XFS_DATA_FORK ? "data" : "attr");
		goto out;
	}
	db_set_cur_block(ctx, type, db_fsbno_to_daddr(ctx, fsbno),
			 blocks << db_blkbb_log(ctx), DB_RING_ADD);
out:
	raw_irele(&ri);
	return 0;
}

static int dblock_f(struct db_ctx *ctx, int argc, char **argv)
{
	return fork_block_f(ctx, argc, argv, XFS_DATA_FORK);
}

static int ablock_f(struct db_ctx *ctx, int argc, char **argv)
{
	return fork_block_f(ctx, argc, argv, XFS_ATTR_FORK);
}

const struct db_command dblock_cmd = {
	.name = "dblock",
	.func = dblock_f,
	.argmin = 1,
	.argmax = 1,
	.canpush = true,
	.args = "filoff",
	.oneline = "go to a block of the current inode's data fork",
	.help =
"\n"
" 'dblock N' makes logical block N of the current inode's data the\n"
" current object: a directory block (type dir3, a whole directory block)\n"
" for directories, a symlink block for symlinks, data otherwise.\n"
"\n",
};

const struct db_command ablock_cmd = {
	.name = "ablock",
	.func = ablock_f,
	.argmin = 1,
	.argmax = 1,
	.canpush = true,
	.args = "filoff",
	.oneline = "go to a block of the current inode's attribute fork",
	.help =
"\n"
" 'ablock N' makes logical block N of the current inode's attribute fork\n"
" the current object, of type attr3.\n"
"\n",
};
