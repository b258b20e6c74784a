/*
 * db/ifork.c: the two forks of an inode as `print` shows them -- the data
 * fork "u3" and the attribute fork "a" -- and the extent record and bmbt
 * key types that bmbt blocks (bmbt.c) share.
 *
 * What a fork holds follows its format and, for inline data, the file
 * type, as the reference decides: extents ("bmx", one record per extent
 * the core counts), a bmbt root ("bmbt"), a device number ("dev"), a uuid
 * ("muuid"), or inline data -- a shortform directory ("sfdir3"), a symlink
 * target ("symlink") or file bytes ("c") in the data fork, shortform
 * attributes ("sfattr") in the attribute fork.  A fork with none of these
 * prints as "(empty)".
 *
 * Every count and offset is read through db_objget(), which gives 0
 * beyond the buffer: damaged counts may lead past the inode into the rest
 * of its cluster, as in the reference, but never outside the buffer.
 */
#include <limits.h>

#include "db/inode.h"
#include "db/io.h"

#define DI_OFF(m)	offsetof(struct xfs_dinode, di_##m)

/* Bytes of the inode at obj (and of its cluster after it). */
static unsigned int ibyte(const struct db_ctx *ctx, const void *obj,
			  size_t off)
{
	return (unsigned int)db_objget(ctx, obj, off, 1);
}

static uint64_t ibytes(const struct db_ctx *ctx, const void *obj, size_t off,
		       int n)
{
	return db_objget(ctx, obj, off, n);
}

/* Clamp a count read from disk to what an int index can take. */
static int clamp_count(uint64_t n)
{
	return n > INT_MAX / 2 ? INT_MAX / 2 : (int)n;
}

/* The forks follow the V3 core in a V3 inode, the V2 core otherwise. */
static unsigned int core_bytes(const struct db_ctx *ctx, const void *obj)
{
	return ibyte(ctx, obj, DI_OFF(version)) == 3 ? XFS_DINODE_CORE_V3_SIZE :
						       XFS_DINODE_CORE_V2_SIZE;
}

static unsigned int forkoff_bytes(const struct db_ctx *ctx, const void *obj)
{
	return ibyte(ctx, obj, DI_OFF(forkoff)) << XFS_DINODE_FORKOFF_SHIFT;
}

int db_ifork_bit(const struct db_ctx *ctx, const void *obj, int whichfork)
{
	unsigned int off = core_bytes(ctx, obj);

	if (whichfork == XFS_ATTR_FORK) {
		off += forkoff_bytes(ctx, obj);
	}
	return (int)(off * 8);
}

/* Byte size of a fork of the inode at obj. */
static unsigned int ifork_size(const struct db_ctx *ctx, const void *obj,
			       int whichfork)
{
	unsigned int lit = db_sb(ctx)->sb_inodesize - core_bytes(ctx, obj);
	unsigned int boff = forkoff_bytes(ctx, obj);

	if (whichfork == XFS_DATA_FORK) {
		return boff ? boff : lit;
	}
	if (!boff) {
		return 0;
	}
	return boff < lit ? lit - boff : 0;
}

static unsigned int fork_format(const struct db_ctx *ctx, const void *obj,
				int whichfork)
{
	return ibyte(ctx, obj, whichfork == XFS_DATA_FORK ? DI_OFF(format) :
							    DI_OFF(aformat));
}

static uint16_t imode(const struct db_ctx *ctx, const void *obj)
{
	return (uint16_t)ibytes(ctx, obj, DI_OFF(mode), 2);
}

static bool nrext64(const struct db_ctx *ctx, const void *obj)
{
	return ibyte(ctx, obj, DI_OFF(version)) >= 3 &&
	       (ibytes(ctx, obj, DI_OFF(flags2), 8) & XFS_DIFLAG2_NREXT64);
}

static uint64_t fork_nextents(const struct db_ctx *ctx, const void *obj,
			      int whichfork)
{
	bool big = nrext64(ctx, obj);

	if (whichfork == XFS_DATA_FORK) {
		return big ? ibytes(ctx, obj, DI_OFF(big_nextents), 8) :
			     ibytes(ctx, obj, DI_OFF(nextents), 4);
	}
	return big ? ibytes(ctx, obj, DI_OFF(nextents), 4) :
		     ibytes(ctx, obj, DI_OFF(anextents), 2);
}

/* ---- quoted strings ---- */

static void fp_cstr(const struct db_pelem *pe)
{
	const uint8_t *s = (const uint8_t *)pe->obj + (pe->bit >> 3);
	int i;

	printf("\"");
	for (i = 0; i < pe->count; i++) {
		db_print_char(s[i]);
	}
	printf("\"");
}

const struct db_ftype ft_cstr = {
	.name = "charns",
	.bitsize = 8,
	.print = fp_cstr,
};

/* ---- extent records and bmbt keys ---- */

static const struct db_type *bmbt_target(struct db_ctx *ctx, const void *obj,
					 enum db_typid next)
{
	const struct db_loc *loc = db_cur_const(ctx);
	uint16_t mode = 0;

	if (next == TYP_ATTR) {
		return &attr3_type;
	}
	if (loc && loc->type == &inode_type) {
		mode = imode(ctx, obj);
	} else if (!loc || loc->ino < 0 ||
		   !db_inode_mode(ctx, (uint64_t)loc->ino, &mode)) {
		mode = 0;
	}
	return db_fork_block_type(mode, XFS_DATA_FORK, false);
}

/* A record's startblock leads to the block of the file or attr fork. */
static int addr_bmbt_startblock(struct db_ctx *ctx, const void *obj, int bit,
				enum db_typid next)
{
	uint64_t fsbno = (uint64_t)db_getbits(obj, bit,
					      XFS_BMBT_STARTBLOCK_BITS, false);
	const struct db_type *t = bmbt_target(ctx, obj, next);
	unsigned int bblen = 1U << db_blkbb_log(ctx);

	if (t == &dir3_type) {
		bblen = (unsigned int)BTOBB(db_dirblksize(ctx));
	}
	return db_set_cur_block(ctx, t, db_fsbno_to_daddr(ctx, fsbno), bblen,
				DB_RING_ADD);
}

static const struct db_ftype ft_startoff = {
	.name = "dfiloff",
	.bitsize = XFS_BMBT_STARTOFF_BITS,
	.print = db_fprint_num,
};

static const struct db_ftype ft_startblock = {
	.name = "dfsbno",
	.bitsize = XFS_BMBT_STARTBLOCK_BITS,
	.print = db_fprint_num,
	.addr = addr_bmbt_startblock,
};

static const struct db_ftype ft_blockcount = {
	.name = "extlen",
	.bitsize = XFS_BMBT_BLOCKCOUNT_BITS,
	.print = db_fprint_num,
};

static const struct db_ftype ft_extflag = {
	.name = "uint1",
	.bitsize = 1,
	.print = db_fprint_num,
};

/* Records of a data fork lead to that file's blocks, attr fork to attr3. */
#define BMBT_REC_FIELDS(next_type)					\
	{ "startoff", &ft_startoff, 1 },				\
	{ "startblock", &ft_startblock, 1 + XFS_BMBT_STARTOFF_BITS,	\
	  .next = next_type },						\
	{ "blockcount", &ft_blockcount, 128 - XFS_BMBT_BLOCKCOUNT_BITS }, \
	{ "extentflag", &ft_extflag, 0 },				\
	{ NULL }

static const struct db_field bmbt_rec_d_fields[] = {
	BMBT_REC_FIELDS(TYP_DATA)
};

static const struct db_field bmbt_rec_a_fields[] = {
	BMBT_REC_FIELDS(TYP_ATTR)
};

const struct db_ftype ft_bmbt_rec = {
	.name = "bmbtrec",
	.bitsize = 128,
	.print = db_fprint_records,
	.sub = bmbt_rec_d_fields,
};

const struct db_ftype ft_bmbt_rec_a = {
	.name = "bmbtrec",
	.bitsize = 128,
	.print = db_fprint_records,
	.sub = bmbt_rec_a_fields,
};

static const struct db_field bmbt_key_fields[] = {
	{ "startoff", &ft_uint64, 0 },
	{ NULL }
};

const struct db_ftype ft_bmbt_key = {
	.name = "bmbtkey",
	.bitsize = 64,
	.print = db_fprint_records,
	.sub = bmbt_key_fields,
};

/* ---- bmbt roots ---- */

static int broot_numrecs(const struct db_ctx *ctx, const void *obj, int bit)
{
	return (int)ibytes(ctx, obj, (size_t)(bit >> 3) + 2, 2);
}

static int broot_key_off(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	return (int)(sizeof(struct xfs_bmdr_block) +
		     (size_t)(idx - 1) * sizeof(struct xfs_bmbt_key)) * 8;
}

/* Pointers follow room for as many keys as the fork can hold. */
static int broot_ptr_off(const struct db_ctx *ctx, const void *obj,
			 int whichfork, int idx)
{
	unsigned int size = ifork_size(ctx, obj, whichfork);
	unsigned int maxrecs = size > sizeof(struct xfs_bmdr_block) ?
			       xfs_bmdr_maxrecs(size) : 0;

	return (int)(sizeof(struct xfs_bmdr_block) +
		     (size_t)maxrecs * sizeof(struct xfs_bmbt_key) +
		     (size_t)(idx - 1) * sizeof(xfs_bmbt_ptr_t)) * 8;
}

static int dbroot_ptr_off(const struct db_ctx *ctx, const void *obj, int bit,
			  int idx)
{
	return broot_ptr_off(ctx, obj, XFS_DATA_FORK, idx);
}

static int abroot_ptr_off(const struct db_ctx *ctx, const void *obj, int bit,
			  int idx)
{
	return broot_ptr_off(ctx, obj, XFS_ATTR_FORK, idx);
}

#define BROOT_FIELDS(ptr_off, child)					\
	{ "level", &ft_uint16, 0 },					\
	{ "numrecs", &ft_uint16, 16 },					\
	{ "keys", &ft_bmbt_key, .count_fn = broot_numrecs,		\
	  .offset_fn = broot_key_off, .flags = DBF_ARRAY | DBF_ABASE1 },	\
	{ "ptrs", &ft_dfsbno, .count_fn = broot_numrecs,		\
	  .offset_fn = ptr_off, .flags = DBF_ARRAY | DBF_ABASE1,	\
	  .next = child },						\
	{ NULL }

static const struct db_field dbroot_fields[] = {
	BROOT_FIELDS(dbroot_ptr_off, TYP_BMAPBTD)
};

static const struct db_field abroot_fields[] = {
	BROOT_FIELDS(abroot_ptr_off, TYP_BMAPBTA)
};

static const struct db_ftype ft_dbroot = {
	.name = "bmroot",
	.sub = dbroot_fields,
};

static const struct db_ftype ft_abroot = {
	.name = "bmroot",
	.sub = abroot_fields,
};

/* ---- shortform directories ---- */

static bool sf_i8(const struct db_ctx *ctx, const void *obj)
{
	return ibyte(ctx, obj, core_bytes(ctx, obj) + 1) != 0;
}

static uint64_t sfdir_ino(const void *obj, int bit, bool i8)
{
	return (uint64_t)db_getbits(obj, bit, i8 ? 64 : 32, false);
}

static int cnt_i4(const struct db_ctx *ctx, const void *obj, int bit)
{
	return !sf_i8(ctx, obj);
}

static int cnt_i8(const struct db_ctx *ctx, const void *obj, int bit)
{
	return sf_i8(ctx, obj);
}

static int addr_sfino(struct db_ctx *ctx, const void *obj, int bit,
		      enum db_typid next)
{
	uint64_t ino = sfdir_ino(obj, bit, sf_i8(ctx, obj));

	return db_set_cur_inode(ctx, ino);
}

static int addr_ino4(struct db_ctx *ctx, const void *obj, int bit,
		     enum db_typid next)
{
	return db_set_cur_inode(ctx, sfdir_ino(obj, bit, false));
}

static int addr_ino8(struct db_ctx *ctx, const void *obj, int bit,
		     enum db_typid next)
{
	return db_set_cur_inode(ctx, sfdir_ino(obj, bit, true));
}

static const struct db_ftype ft_ino4 = {
	.name = "ino4",
	.bitsize = 32,
	.print = db_fprint_num,
	.addr = addr_ino4,
};

static const struct db_ftype ft_ino8 = {
	.name = "ino8",
	.bitsize = 64,
	.print = db_fprint_num,
	.addr = addr_ino8,
};

static const struct db_field sfino_fields[] = {
	{ "i8", &ft_ino8, 0, .count_fn = cnt_i8, .next = TYP_INODE },
	{ "i4", &ft_ino4, 0, .count_fn = cnt_i4, .next = TYP_INODE },
	{ NULL }
};

static const struct db_ftype ft_sfino = {
	.name = "dir2_inou",
	.sub = sfino_fields,
	.addr = addr_sfino,
};

static const struct db_field sfdir_hdr_fields[] = {
	{ "count", &ft_uint8, 0 },
	{ "i8count", &ft_uint8, 8 },
	{ "parent", &ft_sfino, 16, .next = TYP_INODE },
	{ NULL }
};

static const struct db_ftype ft_sfdir_hdr = {
	.name = "dir2_sf_hdr",
	.sub = sfdir_hdr_fields,
};

static unsigned int sfent_namelen(const struct db_ctx *ctx, const void *obj,
				  int bit)
{
	return ibyte(ctx, obj, (size_t)(bit >> 3));
}

static int cnt_sfent_name(const struct db_ctx *ctx, const void *obj, int bit)
{
	return (int)sfent_namelen(ctx, obj, bit);
}

static int off_sfent_ftype(const struct db_ctx *ctx, const void *obj,
			   int bit, int idx)
{
	return (int)(3 + sfent_namelen(ctx, obj, bit)) * 8;
}

static int off_sfent_ino(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	return (int)(3 + sfent_namelen(ctx, obj, bit) +
		     (db_has_ftype(ctx) ? 1 : 0)) * 8;
}

static int cnt_ftype(const struct db_ctx *ctx, const void *obj, int bit)
{
	return db_has_ftype(ctx) ? 1 : 0;
}

static const struct db_field sfdir_ent_fields[] = {
	{ "namelen", &ft_uint8, 0 },
	{ "offset", &ft_hex16, 8 },
	{ "name", &ft_cstr, 24, .count_fn = cnt_sfent_name },
	{ "inumber", &ft_sfino, .offset_fn = off_sfent_ino,
	  .next = TYP_INODE },
	{ "filetype", &ft_uint8, .count_fn = cnt_ftype,
	  .offset_fn = off_sfent_ftype },
	{ NULL }
};

static const struct db_ftype ft_sfdir_ent = {
	.name = "dir2_sf_entry",
	.sub = sfdir_ent_fields,
};

static int cnt_sfdir_list(const struct db_ctx *ctx, const void *obj, int bit)
{
	return (int)ibyte(ctx, obj, (size_t)(bit >> 3));
}

static int off_sfdir_list(const struct db_ctx *ctx, const void *obj, int bit,
			  int idx)
{
	unsigned int inosz = sf_i8(ctx, obj) ? 8 : 4;
	unsigned int ftype = db_has_ftype(ctx) ? 1 : 0;
	unsigned int limit = db_obj_avail(ctx);
	size_t off = (size_t)(bit >> 3) + 2 + inosz;
	int i;

	for (i = 0; i < idx && off < limit; i++) {
		off += 3 + ibyte(ctx, obj, off) + ftype + inosz;
	}
	return (int)(off * 8) - bit;
}

static const struct db_field sfdir_fields[] = {
	{ "hdr", &ft_sfdir_hdr, 0 },
	{ "list", &ft_sfdir_ent, .count_fn = cnt_sfdir_list,
	  .offset_fn = off_sfdir_list, .flags = DBF_ARRAY },
	{ NULL }
};

static const struct db_ftype ft_sfdir = {
	.name = "dir2sf",
	.sub = sfdir_fields,
};

/* ---- shortform attributes ---- */

static const struct db_field sfattr_hdr_fields[] = {
	{ "totsize", &ft_uint16, 0 },
	{ "count", &ft_uint8, 16 },
	{ NULL }
};

static const struct db_ftype ft_sfattr_hdr = {
	.name = "attr_sf_hdr",
	.sub = sfattr_hdr_fields,
};

static int cnt_sfattr_name(const struct db_ctx *ctx, const void *obj,
			   int bit)
{
	return (int)ibyte(ctx, obj, (size_t)(bit >> 3));
}

static int cnt_sfattr_value(const struct db_ctx *ctx, const void *obj,
			    int bit)
{
	return (int)ibyte(ctx, obj, (size_t)(bit >> 3) + 1);
}

static int off_sfattr_value(const struct db_ctx *ctx, const void *obj,
			    int bit, int idx)
{
	return (int)(3 + ibyte(ctx, obj, (size_t)(bit >> 3))) * 8;
}

/* flags: bit 1 root ("trusted."), bit 2 secure, counted from the LSB. */
static const struct db_field sfattr_ent_fields[] = {
	{ "namelen", &ft_uint8, 0 },
	{ "valuelen", &ft_uint8, 8 },
	{ "root", &ft_extflag, 16 + 7 - 1 },
	{ "secure", &ft_extflag, 16 + 7 - 2 },
	{ "name", &ft_cstr, 24, .count_fn = cnt_sfattr_name },
	{ "value", &ft_cstr, .count_fn = cnt_sfattr_value,
	  .offset_fn = off_sfattr_value },
	{ NULL }
};

static const struct db_ftype ft_sfattr_ent = {
	.name = "attr_sf_entry",
	.sub = sfattr_ent_fields,
};

static int cnt_sfattr_list(const struct db_ctx *ctx, const void *obj,
			   int bit)
{
	return (int)ibyte(ctx, obj, (size_t)(bit >> 3) + 2);
}

static int off_sfattr_list(const struct db_ctx *ctx, const void *obj,
			   int bit, int idx)
{
	unsigned int limit = db_obj_avail(ctx);
	size_t off = (size_t)(bit >> 3) + sizeof(struct xfs_attr_sf_hdr);
	int i;

	for (i = 0; i < idx && off < limit; i++) {
		off += 3 + ibyte(ctx, obj, off) + ibyte(ctx, obj, off + 1);
	}
	return (int)(off * 8) - bit;
}

static const struct db_field sfattr_fields[] = {
	{ "hdr", &ft_sfattr_hdr, 0 },
	{ "list", &ft_sfattr_ent, .count_fn = cnt_sfattr_list,
	  .offset_fn = off_sfattr_list, .flags = DBF_ARRAY },
	{ NULL }
};

static const struct db_ftype ft_sfattr = {
	.name = "attr_shortform",
	.sub = sfattr_fields,
};

/* ---- the forks ---- */

static int cnt_fmt(const struct db_ctx *ctx, const void *obj, int whichfork,
		   unsigned int fmt)
{
	return fork_format(ctx, obj, whichfork) == fmt;
}

static int cnt_dbmx(const struct db_ctx *ctx, const void *obj, int bit)
{
	if (!cnt_fmt(ctx, obj, XFS_DATA_FORK, XFS_DINODE_FMT_EXTENTS)) {
		return 0;
	}
	return clamp_count(fork_nextents(ctx, obj, XFS_DATA_FORK));
}

static int cnt_abmx(const struct db_ctx *ctx, const void *obj, int bit)
{
	if (!cnt_fmt(ctx, obj, XFS_ATTR_FORK, XFS_DINODE_FMT_EXTENTS)) {
		return 0;
	}
	return clamp_count(fork_nextents(ctx, obj, XFS_ATTR_FORK));
}

static int cnt_dbtree(const struct db_ctx *ctx, const void *obj, int bit)
{
	return cnt_fmt(ctx, obj, XFS_DATA_FORK, XFS_DINODE_FMT_BTREE);
}

static int cnt_abtree(const struct db_ctx *ctx, const void *obj, int bit)
{
	return cnt_fmt(ctx, obj, XFS_ATTR_FORK, XFS_DINODE_FMT_BTREE);
}

static int cnt_dev(const struct db_ctx *ctx, const void *obj, int bit)
{
	return cnt_fmt(ctx, obj, XFS_DATA_FORK, XFS_DINODE_FMT_DEV);
}

static int cnt_uuid(const struct db_ctx *ctx, const void *obj, int bit)
{
	return cnt_fmt(ctx, obj, XFS_DATA_FORK, XFS_DINODE_FMT_UUID);
}

static bool local_of_type(const struct db_ctx *ctx, const void *obj,
			  uint16_t ifmt)
{
	return cnt_fmt(ctx, obj, XFS_DATA_FORK, XFS_DINODE_FMT_LOCAL) &&
	       (imode(ctx, obj) & XFS_IFMT) == ifmt;
}

static int cnt_sfdir(const struct db_ctx *ctx, const void *obj, int bit)
{
	return local_of_type(ctx, obj, XFS_IFDIR);
}

/* Inline symlink targets and file bytes: di_size of them. */
static int cnt_inline(const struct db_ctx *ctx, const void *obj,
		      uint16_t ifmt)
{
	if (!local_of_type(ctx, obj, ifmt)) {
		return 0;
	}
	return clamp_count(ibytes(ctx, obj, DI_OFF(size), 8));
}

static int cnt_symlink(const struct db_ctx *ctx, const void *obj, int bit)
{
	return cnt_inline(ctx, obj, XFS_IFLNK);
}

static int cnt_regdata(const struct db_ctx *ctx, const void *obj, int bit)
{
	return cnt_inline(ctx, obj, XFS_IFREG);
}

static int cnt_sfattr(const struct db_ctx *ctx, const void *obj, int bit)
{
	return cnt_fmt(ctx, obj, XFS_ATTR_FORK, XFS_DINODE_FMT_LOCAL);
}

static const struct db_field dfork_fields[] = {
	{ "bmx", &ft_bmbt_rec, 0, .count_fn = cnt_dbmx, .flags = DBF_ARRAY },
	{ "bmbt", &ft_dbroot, 0, .count_fn = cnt_dbtree },
	{ "sfdir3", &ft_sfdir, 0, .count_fn = cnt_sfdir },
	{ "symlink", &ft_cstr, 0, .count_fn = cnt_symlink },
	{ "c", &ft_cstr, 0, .count_fn = cnt_regdata },
	{ "dev", &ft_hex32, 0, .count_fn = cnt_dev },
	{ "muuid", &ft_uuid, 0, .count_fn = cnt_uuid },
	{ NULL }
};

static const struct db_field afork_fields[] = {
	{ "bmx", &ft_bmbt_rec_a, 0, .count_fn = cnt_abmx, .flags = DBF_ARRAY },
	{ "bmbt", &ft_abroot, 0, .count_fn = cnt_abtree },
	{ "sfattr", &ft_sfattr, 0, .count_fn = cnt_sfattr },
	{ NULL }
};

const struct db_ftype ft_dfork = {
	.name = "dfork",
	.sub = dfork_fields,
};

const struct db_ftype ft_afork = {
	.name = "afork",
	.sub = afork_fields,
};
