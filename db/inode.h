/*
 * db/inode.h: what the inode-related files of xfs_db share -- the inode
 * type and `inode` command (inode.c), the field tables of the two inode
 * forks (ifork.c), bmbt blocks (bmbt.c), directory blocks (dir3.c),
 * attribute blocks (attr3.c), symlink blocks (symlink.c) and the
 * bmap/dblock/ablock commands (bmap.c).
 */
#ifndef DB_INODE_H_
#define DB_INODE_H_

#include "db/db.h"
#include "db/field.h"
#include "db/type.h"

extern const struct db_type inode_type;		/* inode.c */
extern const struct db_type bmapbta_type;	/* bmbt.c */
extern const struct db_type bmapbtd_type;
extern const struct db_type dir3_type;		/* dir3.c */
extern const struct db_type attr3_type;		/* attr3.c */
extern const struct db_type symlink_type;	/* symlink.c */
extern const struct db_type inodata_type;

/*
 * Make inode ino the current object: the inode inside its cluster
 * buffer, as the reference does, and remember it as the current inode
 * (and as the current directory when it is one).  Prints the reference's
 * messages for a bad number or a bad inode checksum.
 */
int db_set_cur_inode(struct db_ctx *ctx, uint64_t ino);

/*
 * What the reference's dblock, ablock and bmap do each time they read the
 * current inode again: complain about a bad checksum (crc_bad) and leave
 * the inode's cluster in the position ring.
 */
void db_inode_reread(struct db_ctx *ctx, uint64_t ino, bool crc_bad);

/*
 * The cluster buffer holding inode ino (daddr, length in basic blocks)
 * and the inode's byte offset in it.  0 or a negative errno.
 */
int db_imap(const struct db_ctx *ctx, uint64_t ino, uint64_t *daddr,
	    unsigned int *bbs, unsigned int *off);

/*
 * Mode of inode ino read straight from disk (no checks); false when it
 * cannot be located or read.
 */
bool db_inode_mode(struct db_ctx *ctx, uint64_t ino, uint16_t *mode);

/*
 * The type of the blocks a fork of an inode of this mode maps: dir3 for
 * directory data, symlink for symlinks, attr3 for any attr fork, data
 * otherwise (NULL when want_known is set and the mode has none).
 */
const struct db_type *db_fork_block_type(uint16_t mode, int whichfork,
					 bool want_known);

/*
 * The fs block holding file block bno of a fork of inode ino (read from
 * disk unverified): 0, -ENOENT for a hole, -EINVAL if unreadable.
 */
int db_fork_map(struct db_ctx *ctx, int64_t ino, int whichfork,
		uint64_t bno, uint64_t *fsbno);

/* Byte size of the current object (0 if there is none). */
unsigned int db_obj_len(const struct db_ctx *ctx);

/*
 * Bytes of the buffer from the start of the current object: more than
 * its size for an inode inside its cluster, whose damaged fields may
 * point past it (the reference reads on there too).
 */
unsigned int db_obj_avail(const struct db_ctx *ctx);

/*
 * n (<= 8) big-endian bytes at byte off of the current object obj; bytes
 * beyond the buffer read as 0, so counts and offsets taken from damaged
 * metadata never lead outside it.
 */
static inline uint64_t db_objget(const struct db_ctx *ctx, const void *obj,
				 size_t off, int n)
{
	size_t len = db_obj_avail(ctx);
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++) {
		v = (v << 8) | (off + i < len ? ((const uint8_t *)obj)[off + i] :
						0);
	}
	return v;
}

/* ---- pieces shared between the inode and its forks (ifork.c) ---- */

/* The data fork (u3) and attr fork (a) members of an inode. */
extern const struct db_ftype ft_dfork;
extern const struct db_ftype ft_afork;

/* Bit offset of a fork of the inode at obj. */
int db_ifork_bit(const struct db_ctx *ctx, const void *obj, int whichfork);

/*
 * Extent records of a data fork and of an attr fork (their startblock
 * leads to file blocks or attr3 blocks), and bmbt keys.
 */
extern const struct db_ftype ft_bmbt_rec;
extern const struct db_ftype ft_bmbt_rec_a;
extern const struct db_ftype ft_bmbt_key;

/* A quoted byte string, count bytes (names and values). */
extern const struct db_ftype ft_cstr;

/* Dabtree pieces shared by dir3 and attr3 blocks (dir3.c). */
extern const struct db_ftype ft_da3_blkinfo;
extern const struct db_ftype ft_da3_node_hdr;
extern const struct db_ftype ft_da_node_ent;
/* " = Unrecognized metadata or type mismatch" for unknown blocks. */
extern const struct db_ftype ft_unknown_block;
/* The entry count of a dabtree node block. */
int db_da_node_count(const struct db_ctx *ctx, const void *obj, int bit);

/* Is the current filesystem's directory format carrying file types? */
static inline bool db_has_ftype(const struct db_ctx *ctx)
{
	return xfs_has_ftype(ctx->mp);
}

/* Directory block size in bytes. */
unsigned int db_dirblksize(const struct db_ctx *ctx);

#endif /* DB_INODE_H_ */
