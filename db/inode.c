/*
 * db/inode.c: the inode type -- the V3 inode core, the V3 fields and the
 * two forks (described in ifork.c) -- and the `inode` command.
 *
 * An inode object is one inode inside the buffer of its whole cluster, as
 * the reference reads it: `stack` shows the cluster as the buffer and the
 * inode's own byte offset and length.  The checksum shown by `print` is
 * the inode's own (the cluster verifier only checks magic numbers), and
 * choosing an inode whose checksum is wrong says so on stdout.
 *
 * Timestamps print as ctime(3) does, in local time, decoded from either
 * encoding (bigtime nanoseconds or legacy seconds/nanoseconds) by the
 * inode's own bigtime flag; the extent counters move with its nrext64
 * flag.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/command.h"
#include "db/inode.h"
#include "db/io.h"
#include "db/ring.h"

#define DI(m)	FBIT(struct xfs_dinode, di_##m)

unsigned int db_obj_len(const struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);

	return loc && loc->bp ? loc->len : 0;
}

unsigned int db_obj_avail(const struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);

	if (!loc || !loc->bp || BBTOB(loc->bp->b_length) < loc->boff) {
		return db_obj_len(ctx);
	}
	return (unsigned int)BBTOB(loc->bp->b_length) - loc->boff;
}

/* A byte of the inode at obj (0 beyond its buffer). */
static unsigned int ibyte(const struct db_ctx *ctx, const void *obj,
			  size_t off)
{
	return (unsigned int)db_objget(ctx, obj, off, 1);
}

static uint64_t iflags2(const struct db_ctx *ctx, const void *obj)
{
	return db_objget(ctx, obj, offsetof(struct xfs_dinode, di_flags2), 8);
}

static unsigned int iversion(const struct db_ctx *ctx, const void *obj)
{
	return ibyte(ctx, obj, offsetof(struct xfs_dinode, di_version));
}

static bool inode_nrext64(const struct db_ctx *ctx, const void *obj)
{
	return iversion(ctx, obj) >= 3 &&
	       (iflags2(ctx, obj) & XFS_DIFLAG2_NREXT64);
}

/*
 * Fields of other inode versions: the V1 link count, the V2 ones (link
 * count and project id), the flush counter of every version but 3.
 */
static int cnt_v1(const struct db_ctx *ctx, const void *obj, int bit)
{
	return iversion(ctx, obj) == 1;
}

static int cnt_v2up(const struct db_ctx *ctx, const void *obj, int bit)
{
	return iversion(ctx, obj) >= 2;
}

static int cnt_flushiter(const struct db_ctx *ctx, const void *obj, int bit)
{
	return iversion(ctx, obj) != 3;
}

/* ---- element types of the core ---- */

#define INUM(var, tname, bits, tfmt, targ)				\
	static const struct db_ftype var = {				\
		.name = tname,						\
		.bitsize = bits,					\
		.print = db_fprint_num,					\
		.fmt = tfmt,						\
		.arg = targ,						\
	}

INUM(ft_int8, "int8", 8, DB_FMT_SDEC, FTA_SIGNED);
INUM(ft_mode, "mode", 16, DB_FMT_OCT, 0);
INUM(ft_fsize, "fsize", 64, DB_FMT_SDEC, FTA_SIGNED);
INUM(ft_bit1, "uint1", 1, DB_FMT_DEC, 0);
INUM(ft_inum, "ino", 64, DB_FMT_DEC, FTA_DONULL);

/* A fork format: the number, then its name when it has one. */
static void fp_format(const struct db_pelem *pe)
{
	static const char *const names[] = {
		"dev", "local", "extents", "btree", "uuid",
	};
	int i;

	for (i = 0; i < pe->count; i++) {
		unsigned int v = (unsigned int)db_getbits(pe->obj,
							  pe->bit + i * 8, 8,
							  false);

		printf("%u", v);
		if (v < sizeof(names) / sizeof(names[0])) {
			printf(" (%s)", names[v]);
		}
		if (i < pe->count - 1) {
			printf(" ");
		}
	}
}

static const struct db_ftype ft_format = {
	.name = "dinode_fmt",
	.bitsize = 8,
	.print = fp_format,
};

/* Decode the timestamp at bit of the inode at obj. */
static void tstamp(const struct db_pelem *pe, int64_t *sec, uint32_t *nsec)
{
	uint64_t raw = (uint64_t)db_getbits(pe->obj, pe->bit, 64, false);

	if (iversion(pe->ctx, pe->obj) >= 3 &&
	    (iflags2(pe->ctx, pe->obj) & XFS_DIFLAG2_BIGTIME)) {
		*sec = (int64_t)(raw / XFS_NSEC_PER_SEC) -
		       XFS_BIGTIME_EPOCH_OFFSET;
		*nsec = (uint32_t)(raw % XFS_NSEC_PER_SEC);
	} else {
		*sec = (int32_t)(uint32_t)(raw >> 32);
		*nsec = (uint32_t)raw;
	}
}

static void fp_tsec(const struct db_pelem *pe)
{
	char buf[64];
	struct tm tm;
	int64_t sec;
	uint32_t nsec;
	time_t t;

	tstamp(pe, &sec, &nsec);
	t = (time_t)sec;
	if (!localtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm)) {
		printf("%lld", (long long)sec);
		return;
	}
	printf("%s", buf);
}

static void fp_tnsec(const struct db_pelem *pe)
{
	int64_t sec;
	uint32_t nsec;

	tstamp(pe, &sec, &nsec);
	printf("%u", nsec);
}

static const struct db_ftype ft_tsec = {
	.name = "time.sec",
	.bitsize = 64,
	.print = fp_tsec,
};

static const struct db_ftype ft_tnsec = {
	.name = "time.nsec",
	.bitsize = 64,
	.print = fp_tnsec,
};

static const struct db_field timestamp_fields[] = {
	{ "sec", &ft_tsec, 0 },
	{ "nsec", &ft_tnsec, 0 },
	{ NULL }
};

static const struct db_ftype ft_timestamp = {
	.name = "timestamp",
	.bitsize = 64,
	.sub = timestamp_fields,
};

/* The inode's own checksum, whatever its cluster's verifier said. */
static bool inode_crc_ok(const struct db_ctx *ctx, const void *obj)
{
	unsigned int len = db_obj_len(ctx);

	/* Only V3 inodes carry a checksum. */
	if (len < sizeof(struct xfs_dinode) || iversion(ctx, obj) < 3) {
		return false;
	}
	return libxfs_verify_cksum(obj, len, XFS_DINODE_CRC_OFF);
}

static void fp_icrc(const struct db_pelem *pe)
{
	int64_t v = db_getbits(pe->obj, pe->bit, 32, false);

	printf("%#x (%s)", (uint32_t)v,
	       inode_crc_ok(pe->ctx, pe->obj) ? "correct" : "bad");
}

static const struct db_ftype ft_icrc = {
	.name = "crc",
	.bitsize = 32,
	.print = fp_icrc,
};

/* ---- the core ---- */

static int cnt_nrext64(const struct db_ctx *ctx, const void *obj, int bit)
{
	return inode_nrext64(ctx, obj) ? 1 : 0;
}

static int cnt_small_ext(const struct db_ctx *ctx, const void *obj, int bit)
{
	return inode_nrext64(ctx, obj) ? 0 : 1;
}

/* A flag bit of a big-endian word of nbits at `word`: bit k from the LSB. */
#define FLAGBIT(word, nbits, k)	((word) + (nbits) - 1 - (k))
#define DIFL(k)			FLAGBIT(DI(flags), 16, k)
#define DIFL2(k)		FLAGBIT(DI(flags2), 64, k)

static const struct db_field core_fields[] = {
	{ "magic", &ft_hex16, DI(magic) },
	{ "mode", &ft_mode, DI(mode) },
	{ "version", &ft_int8, DI(version) },
	{ "format", &ft_format, DI(format) },
	{ "nlinkv1", &ft_uint16, DI(onlink), .count_fn = cnt_v1 },
	{ "onlink", &ft_uint16, DI(onlink), .count_fn = cnt_v2up },
	{ "uid", &ft_uint32, DI(uid) },
	{ "gid", &ft_uint32, DI(gid) },
	{ "nlinkv2", &ft_uint32, DI(nlink), .count_fn = cnt_v2up },
	{ "projid_lo", &ft_uint16, DI(projid_lo), .count_fn = cnt_v2up },
	{ "projid_hi", &ft_uint16, DI(projid_hi), .count_fn = cnt_v2up },
	{ "nextents", &ft_uint64, DI(big_nextents), .count_fn = cnt_nrext64 },
	{ "flushiter", &ft_uint16, DI(flushiter), .count_fn = cnt_flushiter },
	{ "atime", &ft_timestamp, DI(atime) },
	{ "mtime", &ft_timestamp, DI(mtime) },
	{ "ctime", &ft_timestamp, DI(ctime) },
	{ "size", &ft_fsize, DI(size) },
	{ "nblocks", &ft_drfsbno, DI(nblocks) },
	{ "extsize", &ft_uint32, DI(extsize) },
	{ "nextents", &ft_uint32, DI(nextents), .count_fn = cnt_small_ext },
	{ "naextents", &ft_uint32, DI(nextents), .count_fn = cnt_nrext64 },
	{ "naextents", &ft_uint16, DI(anextents),
	  .count_fn = cnt_small_ext },
	{ "forkoff", &ft_uint8, DI(forkoff) },
	{ "aformat", &ft_format, DI(aformat) },
	{ "dmevmask", &ft_hex32, DI(dmevmask) },
	{ "dmstate", &ft_uint16, DI(dmstate) },
	{ "flags", &ft_hex16, DI(flags), .flags = DBF_SKIPALL },
	{ "newrtbm", &ft_bit1, DIFL(2) },
	{ "prealloc", &ft_bit1, DIFL(1) },
	{ "realtime", &ft_bit1, DIFL(0) },
	{ "immutable", &ft_bit1, DIFL(3) },
	{ "append", &ft_bit1, DIFL(4) },
	{ "sync", &ft_bit1, DIFL(5) },
	{ "noatime", &ft_bit1, DIFL(6) },
	{ "nodump", &ft_bit1, DIFL(7) },
	{ "rtinherit", &ft_bit1, DIFL(8) },
	{ "projinherit", &ft_bit1, DIFL(9) },
	{ "nosymlinks", &ft_bit1, DIFL(10) },
	{ "extsz", &ft_bit1, DIFL(11) },
	{ "extszinherit", &ft_bit1, DIFL(12) },
	{ "nodefrag", &ft_bit1, DIFL(13) },
	{ "filestream", &ft_bit1, DIFL(14) },
	{ "gen", &ft_uint32, DI(gen) },
	{ NULL }
};

static const struct db_ftype ft_core = {
	.name = "dinode_core",
	.bitsize = (int)(offsetof(struct xfs_dinode, di_next_unlinked) * 8),
	.sub = core_fields,
};

static const struct db_field v3_fields[] = {
	{ "crc", &ft_icrc, DI(crc) },
	{ "change_count", &ft_uint64, DI(changecount) },
	{ "lsn", &ft_lsn, DI(lsn) },
	{ "flags2", &ft_hex64, DI(flags2) },
	{ "cowextsize", &ft_uint32, DI(cowextsize) },
	{ "pad2", &ft_uint8, DI(pad2), .count = 12,
	  .flags = DBF_ARRAY | DBF_SKIPALL },
	{ "crtime", &ft_timestamp, DI(crtime) },
	{ "inumber", &ft_inum, DI(ino) },
	{ "uuid", &ft_uuid, DI(uuid) },
	{ "reflink", &ft_bit1, DIFL2(1) },
	{ "cowextsz", &ft_bit1, DIFL2(2) },
	{ "dax", &ft_bit1, DIFL2(0) },
	{ "bigtime", &ft_bit1, DIFL2(3) },
	{ "nrext64", &ft_bit1, DIFL2(4) },
	{ NULL }
};

/* The V3 fields keep their offsets from the inode start. */
static const struct db_ftype ft_v3 = {
	.name = "dinode_v3",
	.bitsize = 0,
	.size_fn = NULL,
	.sub = v3_fields,
};

/* The V3 fields are shown on every V5 filesystem, whatever the version. */
static int cnt_v3(const struct db_ctx *ctx, const void *obj, int bit)
{
	return db_has_crc(ctx);
}

static int off_dfork(const struct db_ctx *ctx, const void *obj, int bit,
		     int idx)
{
	return db_ifork_bit(ctx, obj, XFS_DATA_FORK);
}

static int off_afork(const struct db_ctx *ctx, const void *obj, int bit,
		     int idx)
{
	return db_ifork_bit(ctx, obj, XFS_ATTR_FORK);
}

static int cnt_afork(const struct db_ctx *ctx, const void *obj, int bit)
{
	return ibyte(ctx, obj, offsetof(struct xfs_dinode, di_forkoff)) ? 1 : 0;
}

static const struct db_field inode_fields[] = {
	{ "core", &ft_core, 0 },
	{ "next_unlinked", &ft_agino, DI(next_unlinked), .next = TYP_INODE },
	{ "v3", &ft_v3, 0, .count_fn = cnt_v3 },
	{ "u3", &ft_dfork, .offset_fn = off_dfork },
	{ "a", &ft_afork, .count_fn = cnt_afork, .offset_fn = off_afork },
	{ NULL }
};

/* ---- locating inodes ---- */

/* Is ino a valid inode number of this filesystem's geometry? */
static bool ino_in_fs(const struct db_ctx *ctx, uint64_t ino)
{
	const struct xfs_sb *sb = db_sb(ctx);
	unsigned int shift = sb->sb_agblklog + sb->sb_inopblog;
	uint64_t agno = ino >> shift;
	uint64_t agino = ino & ((1ULL << shift) - 1);
	uint64_t agbno = agino >> sb->sb_inopblog;

	return agno < sb->sb_agcount && agbno < sb->sb_agblocks;
}

/*
 * The cluster buffer of inode ino and the inode's offset in it.  With
 * aligned inode chunks this is arithmetic, whatever the inode btree says
 * (so that any inode number can be looked at, as in the reference);
 * otherwise the inode btree finds the chunk.
 */
int db_imap(const struct db_ctx *ctx, uint64_t ino, uint64_t *daddr,
	    unsigned int *bbs, unsigned int *off)
{
	const struct xfs_mount *mp = ctx->mp;
	const struct xfs_sb *sb = db_sb(ctx);
	uint32_t agno = xfs_ino_to_agno(sb->sb_agblklog, sb->sb_inopblog, ino);
	uint32_t agino = xfs_ino_to_agino(sb->sb_agblklog, sb->sb_inopblog,
					  ino);
	uint32_t agbno = agino >> sb->sb_inopblog, cluster;
	unsigned int bpc = mp->m_blocks_per_cluster;

	if (bpc > 1 && !mp->m_inoalign_mask) {
		return libxfs_imap(ctx->mp, ino, daddr, bbs, off);
	}
	if (bpc <= 1) {
		bpc = 1;
		cluster = agbno;
	} else {
		uint32_t chunk = agbno & ~mp->m_inoalign_mask;

		cluster = chunk + ((agbno - chunk) / bpc) * bpc;
	}
	*daddr = ((uint64_t)agno * sb->sb_agblocks + cluster) <<
		 db_blkbb_log(ctx);
	*bbs = bpc << db_blkbb_log(ctx);
	*off = (((agbno - cluster) << sb->sb_inopblog) +
		(agino & ((1U << sb->sb_inopblog) - 1))) << sb->sb_inodelog;
	return 0;
}

bool db_inode_mode(struct db_ctx *ctx, uint64_t ino, uint16_t *mode)
{
	struct xfs_buf *bp;
	uint64_t daddr;
	unsigned int bbs, off;

	if (!ino_in_fs(ctx, ino) || db_imap(ctx, ino, &daddr, &bbs, &off) ||
	    libxfs_buf_read(ctx->mp, daddr, bbs, 0, NULL, &bp)) {
		return false;
	}
	if (off + sizeof(struct xfs_dinode) > BBTOB(bp->b_length)) {
		libxfs_buf_relse(bp);
		return false;
	}
	*mode = get_unaligned_be16((const uint8_t *)bp->b_addr + off +
				   offsetof(struct xfs_dinode, di_mode));
	libxfs_buf_relse(bp);
	return true;
}

/*
 * The ring remembers an inode as its whole cluster (the reference does:
 * going back to it shows the cluster, typed inode).
 */
static void ring_add_cluster(struct db_ctx *ctx, uint64_t ino, uint64_t daddr,
			     unsigned int bbs)
{
	struct db_pos pos = {
		.type = &inode_type,
		.daddr = daddr,
		.bblen = bbs,
		.ino = (int64_t)ino,
		.dirino = -1,
	};

	db_ring_add(ctx, &pos);
}

void db_inode_reread(struct db_ctx *ctx, uint64_t ino, bool crc_bad)
{
	uint64_t daddr;
	unsigned int bbs, off;

	if (crc_bad) {
		printf("Metadata CRC error detected for ino %llu\n",
		       (unsigned long long)ino);
	}
	if (ino_in_fs(ctx, ino) && !db_imap(ctx, ino, &daddr, &bbs, &off)) {
		ring_add_cluster(ctx, ino, daddr, bbs);
	}
}

int db_set_cur_inode(struct db_ctx *ctx, uint64_t ino)
{
	const struct xfs_sb *sb = db_sb(ctx);
	const struct db_loc *loc;
	struct db_pos pos;
	const uint8_t *dip;
	uint64_t daddr;
	unsigned int bbs, off;
	uint16_t mode;
	int error;

	if (!ino_in_fs(ctx, ino) || db_imap(ctx, ino, &daddr, &bbs, &off)) {
		printf("bad inode number %lld\n", (long long)ino);
		return -EINVAL;
	}
	loc = db_cur_const(ctx);
	memset(&pos, 0, sizeof(pos));
	pos.type = &inode_type;
	pos.daddr = daddr;
	pos.bblen = bbs;
	pos.boff = off;
	pos.len = sb->sb_inodesize;
	pos.ino = (int64_t)ino;
	pos.dirino = loc ? loc->dirino : -1;
	ctx->cur_agno = xfs_ino_to_agno(sb->sb_agblklog, sb->sb_inopblog, ino);
	error = db_set_cur(ctx, &pos, 0);
	if (error) {
		return error;
	}
	ring_add_cluster(ctx, ino, daddr, bbs);
	dip = db_cur_data(ctx);
	mode = get_unaligned_be16(dip + offsetof(struct xfs_dinode, di_mode));
	if ((mode & XFS_IFMT) == XFS_IFDIR) {
		db_cur(ctx)->dirino = (int64_t)ino;
	}
	if (db_has_crc(ctx) && !inode_crc_ok(ctx, dip)) {
		printf("Metadata CRC error detected for ino %llu\n",
		       (unsigned long long)ino);
	}
	return 0;
}

/*
 * `type inode` elsewhere: the inode at the current position -- its block
 * gives the first inode number, its offset in the buffer the index.
 */
static int inode_set_type(struct db_ctx *ctx)
{
	const struct xfs_sb *sb = db_sb(ctx);
	const struct db_loc *loc = db_cur_const(ctx);
	uint64_t fsbno, agno, agbno, ino;

	if (!loc) {
		return -EINVAL;
	}
	fsbno = db_daddr_to_fsbno(ctx, loc->daddr);
	agno = fsbno >> sb->sb_agblklog;
	agbno = fsbno & ((1ULL << sb->sb_agblklog) - 1);
	ino = (agno << (sb->sb_agblklog + sb->sb_inopblog)) +
	      (agbno << sb->sb_inopblog) + (loc->boff >> sb->sb_inodelog);
	return db_set_cur_inode(ctx, ino);
}

/*
 * The cluster check the reference runs when it reads inodes: every slot
 * has the inode magic, version 3 and a plausible unlinked pointer.
 * Checksums are the inode's own business (see inode_crc_ok).
 */
static int inode_cluster_verify(struct xfs_buf *bp)
{
	const struct xfs_mount *mp = bp->b_mount;
	size_t len = BBTOB(bp->b_length), off;
	uint32_t agno, agbno;

	if (!mp || !xfs_buf_daddr_to_agbno(bp, &agno, &agbno)) {
		return 0;
	}
	for (off = 0; off + mp->m_sb.sb_inodesize <= len;
	     off += mp->m_sb.sb_inodesize) {
		const struct xfs_dinode *dip = (const struct xfs_dinode *)
			((const char *)bp->b_addr + off);
		uint32_t next = be32_to_cpu(dip->di_next_unlinked);

		if (be16_to_cpu(dip->di_magic) != XFS_DINODE_MAGIC ||
		    dip->di_version != XFS_DINODE_VERSION_V3 ||
		    (next != NULLAGINO &&
		     !libxfs_verify_agino(mp, agno, next))) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "bad inode in cluster");
		}
	}
	return 0;
}

static const struct xfs_buf_ops inode_cluster_ops = {
	.name = "inode",
	.magic = { XFS_DINODE_MAGIC, XFS_DINODE_MAGIC },
	.verify_read = inode_cluster_verify,
};

const struct db_type inode_type = {
	.id = TYP_INODE,
	.name = "inode",
	.fields = inode_fields,
	.size = db_size_block,
	.ops = &inode_cluster_ops,
	.set_type = inode_set_type,
};

/* ---- block types of forks ---- */

const struct db_type *db_fork_block_type(uint16_t mode, int whichfork,
					 bool want_known)
{
	if (whichfork == XFS_ATTR_FORK) {
		return &attr3_type;
	}
	switch (mode & XFS_IFMT) {
	case XFS_IFDIR:
		return &dir3_type;
	case XFS_IFLNK:
		return &symlink_type;
	case XFS_IFREG:
		return &data_type;
	default:
		return want_known ? NULL : &data_type;
	}
}

unsigned int db_dirblksize(const struct db_ctx *ctx)
{
	return db_sb(ctx)->sb_blocksize << db_sb(ctx)->sb_dirblklog;
}

/* ---- the inode command ---- */

static int inode_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_loc *loc = db_cur_const(ctx);
	uint64_t ino;

	if (argc == 1) {
		if (loc && loc->ino != -1) {
			printf("current inode number is %lld\n",
			       (long long)loc->ino);
		} else {
			printf("no current inode\n");
		}
		return 0;
	}
	if (!db_parse_u64(argv[1], &ino)) {
		printf("bad value for inode number %s\n", argv[1]);
		return -EINVAL;
	}
	return db_set_cur_inode(ctx, ino);
}

const struct db_command inode_cmd = {
	.name = "inode",
	.func = inode_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[inode#]",
	.oneline = "go to an inode, or show the current inode number",
	.help =
"\n"
" 'inode N' makes inode N the current object, of type inode: the inode\n"
" inside the buffer of its cluster.  It also becomes the current inode\n"
" that dblock, ablock and bmap work on (and the current directory when\n"
" it is one).  Without an argument, shows the current inode number.\n"
"\n",
};
