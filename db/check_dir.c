/*
 * db/check_dir.c: blockget's look at directory contents.  Every entry
 * counts a link to the inode it names and, with -n, gives that inode its
 * first name and parent; ".." gives the directory its parent.  The data
 * blocks are walked entry by entry (tags, free regions, best-free table),
 * the leaf entries must match the entries seen (name hash, address) and
 * the free index must match each data block's largest free region.
 */
#include <stdlib.h>
#include <string.h>

#include "db/check.h"
#include "db/dinode.h"
#include "db/inode.h"
#include "db/io.h"

#define DIR_HASH_SIZE	1024
#define NULLDATAOFF	0xffffU
#define NULLFILEOFF_	((uint64_t)-1)

struct dir_hent {
	uint32_t	hashval;
	uint32_t	address;
	bool		seen;
	uint32_t	next;		/* index + 1 */
};

/* Per-directory state. */
struct dir_walk {
	struct db_check	*ck;
	uint32_t	id;
	uint64_t	ino;
	bool		v;		/* report (and trace) this directory */
	int		dot;
	int		dotdot;
	/* (hash, address) of every data entry, to match leaf entries. */
	uint32_t	heads[DIR_HASH_SIZE];
	struct dir_hent	*hents;
	uint32_t	nhents;
	uint32_t	caphents;
	/* Largest free region of each data block, until an index names it. */
	uint16_t	*freetab;
	uint32_t	nfree;		/* entries in use */
	uint32_t	capfree;
};

static const struct xfs_da_geometry *geo(const struct db_check *ck)
{
	return &ck->mp->m_dir_geo;
}

/* ---- hash of the entries seen ---- */

static void dir_hash_add(struct dir_walk *w, uint32_t hash, uint32_t addr)
{
	uint32_t h = (hash ^ addr) % DIR_HASH_SIZE;

	if (w->nhents == w->caphents) {
		uint32_t cap = w->caphents ? w->caphents * 2 : 64;
		struct dir_hent *n = realloc(w->hents, sizeof(*n) * cap);

		if (!n) {
			return;
		}
		w->hents = n;
		w->caphents = cap;
	}
	w->hents[w->nhents] = (struct dir_hent){ hash, addr, false,
						 w->heads[h] };
	w->heads[h] = ++w->nhents;
}

/* Mark (hash, addr) seen; true if it was not there to be seen. */
static bool dir_hash_see(struct dir_walk *w, uint32_t hash, uint32_t addr)
{
	uint32_t i;

	for (i = w->heads[(hash ^ addr) % DIR_HASH_SIZE]; i;
	     i = w->hents[i - 1].next) {
		struct dir_hent *e = &w->hents[i - 1];

		if (e->hashval == hash && e->address == addr && !e->seen) {
			e->seen = true;
			return false;
		}
	}
	return true;
}

static void dir_hash_check(struct dir_walk *w)
{
	struct db_check *ck = w->ck;
	uint32_t h, i;

	for (h = 0; h < DIR_HASH_SIZE; h++) {
		for (i = w->heads[h]; i; i = w->hents[i - 1].next) {
			const struct dir_hent *e = &w->hents[i - 1];

			if (e->seen) {
				continue;
			}
			if (!ck->sflag || w->v) {
				printf("dir ino %lld missing leaf entry for "
				       "%x/%x\n", (long long)w->ino, e->hashval,
				       e->address);
			}
			ck->error++;
		}
	}
}

static void freetab_set(struct dir_walk *w, uint32_t db, uint16_t val)
{
	if (db >= w->capfree) {
		uint32_t cap = w->capfree ? w->capfree : 16;
		uint16_t *n;

		while (cap <= db) {
			cap *= 2;
		}
		n = realloc(w->freetab, sizeof(*n) * cap);
		if (!n) {
			return;
		}
		memset(n + w->capfree, 0xff, sizeof(*n) * (cap - w->capfree));
		w->freetab = n;
		w->capfree = cap;
	}
	if (w->nfree < db + 1) {
		w->nfree = db + 1;
	}
	w->freetab[db] = val;
}

static uint16_t freetab_get(const struct dir_walk *w, uint32_t db)
{
	return db < w->nfree ? w->freetab[db] : NULLDATAOFF;
}

/* ---- one entry ---- */

/*
 * Entry name -> inode lino in directory w: a link, and (not for "." and
 * "..") a name and a parent.
 */
static uint32_t dir_entry_target(struct dir_walk *w, uint64_t lino)
{
	return ck_find_inode(w->ck, lino, true);
}

static void name_child(struct dir_walk *w, uint32_t cid, const uint8_t *name,
		       unsigned int namelen)
{
	struct db_check *ck = w->ck;
	struct ck_ino *cp = ck_ino(ck, cid);

	if (!cp->parent) {
		cp->parent = w->id;
	}
	if (ck->nflag) {
		ck_addname(ck, cid, name, namelen);
	}
}

/* ---- shortform ---- */

static uint64_t process_sf(struct dir_walk *w, const struct xfs_dinode *dip)
{
	struct db_check *ck = w->ck;
	struct db_dfork df;
	const uint8_t *sf, *sfe, *end;
	bool ftype = xfs_has_ftype(ck->mp);
	uint64_t size = be64_to_cpu(dip->di_size), lino;
	unsigned int i8count, count, inumsize, offset, i8 = 0;
	int i;
	uint32_t cid;

	db_dinode_fork(ck->ctx, dip, XFS_DATA_FORK, &df);
	sf = df.ptr;
	end = df.ptr + df.size;
	ck_addlink(ck, w->id);
	if (w->v) {
		printf("dir %lld entry . %lld\n", (long long)w->ino,
		       (long long)w->ino);
	}
	w->dot++;
	if (df.size < 6) {
		return 0;
	}
	count = sf[0];
	i8count = sf[1];
	inumsize = i8count ? 8 : 4;
	sfe = sf + 2 + inumsize;
	/* Entries start where a data block would put the first after "..". */
	offset = xfs_dir3_data_first_offset(ftype);
	for (i = (int)count - 1; i >= 0; i--) {
		unsigned int namelen, entsize, eoff;

		if (sfe + 3 > end) {
			namelen = 0;
			entsize = 3 + inumsize;
		} else {
			namelen = sfe[0];
			entsize = 3 + namelen + (ftype ? 1 : 0) + inumsize;
		}
		if ((uint64_t)(sfe + entsize - sf) > size || sfe + entsize > end) {
			if (!ck->sflag) {
				printf("dir %llu bad size in entry at %d\n",
				       (unsigned long long)w->ino,
				       (int)(sfe - sf));
			}
			ck->error++;
			break;
		}
		lino = inumsize == 8 ?
		       get_unaligned_be64(sfe + 3 + namelen + (ftype ? 1 : 0)) :
		       get_unaligned_be32(sfe + 3 + namelen + (ftype ? 1 : 0));
		if (lino > XFS_DIR2_MAX_SHORT_INUM) {
			i8++;
		}
		cid = dir_entry_target(w, lino);
		if (!cid) {
			if (!ck->sflag) {
				printf("dir %lld entry %*.*s bad inode number "
				       "%lld\n", (long long)w->ino, (int)namelen,
				       (int)namelen, (const char *)sfe + 3,
				       (long long)lino);
			}
			ck->error++;
		} else {
			ck_addlink(ck, cid);
			name_child(w, cid, sfe + 3, namelen);
		}
		eoff = get_unaligned_be16(sfe + 1);
		if (w->v) {
			printf("dir %lld entry %*.*s offset %d %lld\n",
			       (long long)w->ino, (int)namelen, (int)namelen,
			       (const char *)sfe + 3, (int)eoff,
			       (long long)lino);
		}
		if (eoff < offset) {
			if (!ck->sflag) {
				printf("dir %lld entry %*.*s bad offset %d\n",
				       (long long)w->ino, (int)namelen,
				       (int)namelen, (const char *)sfe + 3,
				       (int)eoff);
			}
			ck->error++;
		}
		offset = eoff + xfs_dir2_data_entsize(ftype, namelen);
		sfe += entsize;
	}
	if (i < 0 && (uint64_t)(sfe - sf) != size) {
		if (!ck->sflag) {
			printf("dir %llu size is %lld, should be %u\n",
			       (unsigned long long)w->ino, (long long)size,
			       (unsigned int)(sfe - sf));
		}
		ck->error++;
	}
	if (offset + (count + 2) * 8 + 8 > geo(ck)->blksize) {
		if (!ck->sflag) {
			printf("dir %llu offsets too high\n",
			       (unsigned long long)w->ino);
		}
		ck->error++;
	}
	lino = inumsize == 8 ? get_unaligned_be64(sf + 2) :
			       get_unaligned_be32(sf + 2);
	if (lino > XFS_DIR2_MAX_SHORT_INUM) {
		i8++;
	}
	cid = dir_entry_target(w, lino);
	if (cid) {
		ck_addlink(ck, cid);
	} else {
		if (!ck->sflag) {
			printf("dir %lld entry .. bad inode number %lld\n",
			       (long long)w->ino, (long long)lino);
		}
		ck->error++;
	}
	if (w->v) {
		printf("dir %lld entry .. %lld\n", (long long)w->ino,
		       (long long)lino);
	}
	if (i8 != i8count) {
		if (!ck->sflag) {
			printf("dir %lld i8count mismatch is %d should be %d\n",
			       (long long)w->ino, (int)i8count, (int)i8);
		}
		ck->error++;
	}
	w->dotdot++;
	return cid ? lino : NULLFSINO;
}

/* ---- the block map of a directory ---- */

static int cmp_bmap(const void *a, const void *b)
{
	const struct ck_bmap *x = a, *y = b;

	return x->startoff < y->startoff ? -1 : x->startoff > y->startoff;
}

/* First mapped file block after o (NULLFILEOFF_: the first of all). */
static uint64_t blkmap_next_off(const struct ck_blkmap *bm, uint64_t o,
				unsigned int *cur)
{
	for (; *cur < bm->nents; (*cur)++) {
		const struct ck_bmap *e = &bm->ents[*cur];

		if (o == NULLFILEOFF_ || e->startoff > o) {
			return e->startoff;
		}
		if (e->startoff + e->blockcount > o + 1) {
			return o + 1;
		}
	}
	return NULLFILEOFF_;
}

/* The pieces of file blocks [o, o + len), clipped; returns how many. */
static unsigned int blkmap_getn(const struct ck_blkmap *bm, uint64_t o,
				uint32_t len, struct ck_bmap *out,
				unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < bm->nents && n < max; i++) {
		const struct ck_bmap *e = &bm->ents[i];
		uint64_t s = e->startoff, end = s + e->blockcount;

		if (end <= o || s >= o + len) {
			continue;
		}
		if (s < o) {
			out[n].startoff = o;
			out[n].startblock = e->startblock + (o - s);
		} else {
			out[n].startoff = s;
			out[n].startblock = e->startblock;
		}
		if (end > o + len) {
			end = o + len;
		}
		out[n].blockcount = (uint32_t)(end - out[n].startoff);
		n++;
	}
	return n;
}

static bool pieces_in_blist(const struct db_check *ck,
			    const struct ck_bmap *p, unsigned int n)
{
	const struct xfs_sb *sb = &ck->mp->m_sb;
	unsigned int i;
	uint64_t b;

	for (i = 0; ck->nblist && i < n; i++) {
		for (b = p[i].startblock; b < p[i].startblock + p[i].blockcount;
		     b++) {
			if (ck_in_blist(ck, (uint32_t)(b >> sb->sb_agblklog),
					(uint32_t)(b & ((1ULL <<
							 sb->sb_agblklog) -
							1)))) {
				return true;
			}
		}
	}
	return false;
}

/*
 * Read one directory block from its pieces.  One piece: through db's
 * reads, verified as the reference does; several: assembled unverified.
 * Returns the bytes (in *bpp's buffer or in *heap) or NULL.
 */
static const uint8_t *read_dirblock(struct db_check *ck,
				    const struct ck_bmap *p, unsigned int n,
				    struct xfs_buf **bpp, uint8_t **heap)
{
	struct db_ctx *ctx = ck->ctx;
	unsigned int blkbb = 1U << db_blkbb_log(ctx), i, pos = 0;
	unsigned int bsize = ck->mp->m_sb.sb_blocksize;
	uint8_t *buf;

	*bpp = NULL;
	*heap = NULL;
	if (n == 1) {
		if (db_read_buf(ctx, db_fsbno_to_daddr(ctx, p[0].startblock),
				p[0].blockcount * blkbb, dir3_type.ops, bpp,
				NULL)) {
			return NULL;
		}
		return (*bpp)->b_addr;
	}
	buf = calloc(1, geo(ck)->blksize);
	if (!buf) {
		return NULL;
	}
	for (i = 0; i < n; i++) {
		struct xfs_buf *bp;

		pos = (unsigned int)(p[i].startoff - p[0].startoff) * bsize;
		if (pos + p[i].blockcount * bsize > geo(ck)->blksize ||
		    libxfs_buf_read(ck->mp,
				    db_fsbno_to_daddr(ctx, p[i].startblock),
				    p[i].blockcount * blkbb, 0, NULL, &bp)) {
			free(buf);
			return NULL;
		}
		memcpy(buf + pos, bp->b_addr, p[i].blockcount * bsize);
		libxfs_buf_relse(bp);
	}
	*heap = buf;
	return buf;
}

/* ---- data blocks ---- */

/* The best-free slot describing the unused region at off, if any. */
static int freefind(const uint8_t *bf, unsigned int off, unsigned int len)
{
	int i;

	if (len < get_unaligned_be16(bf + 2 * 4 + 2)) {
		return -1;
	}
	for (i = 0; i < XFS_DIR2_DATA_FD_COUNT; i++) {
		unsigned int o = get_unaligned_be16(bf + i * 4);

		if (o == 0) {
			return -1;
		}
		if (o == off) {
			return i;
		}
	}
	return -1;
}

static uint64_t process_data(struct dir_walk *w, const uint8_t *data,
			     uint64_t dabno, bool v, bool want_freetab)
{
	struct db_check *ck = w->ck;
	const struct xfs_da_geometry *g = geo(ck);
	bool ftype = xfs_has_ftype(ck->mp);
	uint32_t magic = get_unaligned_be32(data);
	bool isblock = magic == XFS_DIR3_BLOCK_MAGIC ||
		       magic == XFS_DIR2_BLOCK_MAGIC;
	const uint8_t *bf = data + sizeof(struct xfs_dir3_blk_hdr);
	unsigned int ptr = XFS_DIR3_DATA_ENTRY_OFFSET, endptr = g->blksize;
	unsigned int lep = 0, btcount = 0, btstale = 0, i, stale = 0;
	int bf_err = 0, lastfree_err = 0, tag_err = 0, count = 0;
	int lastfree = 0, freeseen = 0;
	uint32_t db = xfs_dir2_da_to_db(ck->mp->m_sb.sb_dirblklog, dabno);
	uint64_t parent = 0;
	bool have_lep = false;

	if (!isblock && magic != XFS_DIR3_DATA_MAGIC &&
	    magic != XFS_DIR2_DATA_MAGIC) {
		if (!ck->sflag || v) {
			printf("bad directory data magic # %#x for dir ino "
			       "%lld block %d\n", magic, (long long)w->ino,
			       (int)dabno);
		}
		ck->error++;
		return NULLFSINO;
	}
	if (isblock) {
		unsigned int btp = g->blksize - 8;

		btcount = get_unaligned_be32(data + btp);
		btstale = get_unaligned_be32(data + btp + 4);
		if ((uint64_t)btcount * 8 > btp || btp - btcount * 8 <= ptr) {
			endptr = g->blksize;
			if (!ck->sflag || v) {
				printf("bad block directory tail for dir ino "
				       "%lld\n", (long long)w->ino);
			}
			ck->error++;
		} else {
			lep = btp - btcount * 8;
			endptr = lep;
			have_lep = true;
		}
	}
	for (i = 0; i < XFS_DIR2_DATA_FD_COUNT; i++) {
		if (get_unaligned_be16(bf + i * 4 + 2) == 0) {
			bf_err += get_unaligned_be16(bf + i * 4) != 0;
			freeseen |= 1 << i;
		}
	}
	bf_err += get_unaligned_be16(bf + 2) < get_unaligned_be16(bf + 6);
	bf_err += get_unaligned_be16(bf + 6) < get_unaligned_be16(bf + 10);
	if (want_freetab) {
		freetab_set(w, db, get_unaligned_be16(bf + 2));
	}
	while (ptr < endptr) {
		const uint8_t *dup = data + ptr;
		unsigned int namelen, entsize, tag, cid_ok;
		uint64_t lino;
		uint32_t cid;

		if (ptr + 4 <= g->blksize &&
		    get_unaligned_be16(dup) == XFS_DIR2_DATA_FREE_TAG) {
			unsigned int len = get_unaligned_be16(dup + 2);
			int slot;

			lastfree_err += lastfree != 0;
			if ((len & (XFS_DIR2_DATA_ALIGN - 1)) || len == 0 ||
			    ptr + len - 2 >= endptr) {
				if (!ck->sflag || v) {
					printf("dir %lld block %d bad free entry "
					       "at %d\n", (long long)w->ino,
					       (int)dabno, (int)ptr);
				}
				ck->error++;
				break;
			}
			tag_err += get_unaligned_be16(dup + len - 2) != ptr;
			slot = freefind(bf, ptr, len);
			if (slot >= 0) {
				bf_err += (freeseen & (1 << slot)) != 0;
				freeseen |= 1 << slot;
			} else {
				bf_err += len > get_unaligned_be16(bf + 10);
			}
			ptr += len;
			lastfree = 1;
			continue;
		}
		namelen = ptr + 9 <= g->blksize ? dup[8] : 0;
		if (namelen == 0) {
			if (!ck->sflag || v) {
				printf("dir %lld block %d zero length entry at "
				       "%d\n", (long long)w->ino, (int)dabno,
				       (int)ptr);
			}
			ck->error++;
		}
		entsize = xfs_dir2_data_entsize(ftype, namelen);
		if (ptr + entsize - 2 >= endptr) {
			if (!ck->sflag || v) {
				printf("dir %lld block %d bad entry at %d\n",
				       (long long)w->ino, (int)dabno, (int)ptr);
			}
			ck->error++;
			break;
		}
		tag = get_unaligned_be16(dup + entsize - 2);
		tag_err += tag != ptr;
		dir_hash_add(w, libxfs_dir_hashname(ck->mp, dup + 9, namelen),
			     xfs_dir2_db_off_to_dataptr(g->blklog, db, ptr));
		ptr += entsize;
		count++;
		lastfree = 0;
		lino = get_unaligned_be64(dup);
		cid = dir_entry_target(w, lino);
		cid_ok = cid != 0;
		if (v) {
			printf("dir %lld block %d entry %*.*s %lld\n",
			       (long long)w->ino, (int)dabno, (int)namelen,
			       (int)namelen, (const char *)dup + 9,
			       (long long)lino);
		}
		if (cid_ok) {
			ck_addlink(ck, cid);
		} else {
			if (!ck->sflag || v) {
				printf("dir %lld block %d entry %*.*s bad inode "
				       "number %lld\n", (long long)w->ino,
				       (int)dabno, (int)namelen, (int)namelen,
				       (const char *)dup + 9, (long long)lino);
			}
			ck->error++;
		}
		if (namelen == 2 && dup[9] == '.' && dup[10] == '.') {
			if (parent) {
				if (!ck->sflag || v) {
					printf("multiple .. entries in dir %lld "
					       "(%lld, %lld)\n",
					       (long long)w->ino,
					       (long long)parent,
					       (long long)lino);
				}
				ck->error++;
			} else {
				parent = cid_ok ? lino : NULLFSINO;
			}
			w->dotdot++;
		} else if (namelen != 1 || dup[9] != '.') {
			if (cid_ok) {
				name_child(w, cid, dup + 9, namelen);
			}
		} else {
			if (lino != w->ino) {
				if (!ck->sflag || v) {
					printf("dir %lld entry . inode number "
					       "mismatch (%lld)\n",
					       (long long)w->ino,
					       (long long)lino);
				}
				ck->error++;
			}
			w->dot++;
		}
	}
	if (isblock) {
		for (i = 0; have_lep && i < btcount; i++) {
			const uint8_t *le = data + lep + i * 8;
			uint32_t hash = get_unaligned_be32(le);
			uint32_t addr = get_unaligned_be32(le + 4);

			if (addr == XFS_DIR2_NULL_LEAF_ADDRESS) {
				stale++;
			} else if (dir_hash_see(w, hash, addr)) {
				if (!ck->sflag || v) {
					printf("dir %lld block %d extra leaf "
					       "entry %x %x\n", (long long)w->ino,
					       (int)dabno, hash, addr);
				}
				ck->error++;
			}
		}
	}
	bf_err += freeseen != 7;
	if (bf_err) {
		if (!ck->sflag || v) {
			printf("dir %lld block %d bad bestfree data\n",
			       (long long)w->ino, (int)dabno);
		}
		ck->error++;
	}
	if (isblock && count != (int)(btcount - btstale)) {
		if (!ck->sflag || v) {
			printf("dir %lld block %d bad block tail count %d "
			       "(stale %d)\n", (long long)w->ino, (int)dabno,
			       (int)btcount, (int)btstale);
		}
		ck->error++;
	}
	if (isblock && stale != btstale) {
		if (!ck->sflag || v) {
			printf("dir %lld block %d bad stale tail count %d\n",
			       (long long)w->ino, (int)dabno, (int)btstale);
		}
		ck->error++;
	}
	if (lastfree_err) {
		if (!ck->sflag || v) {
			printf("dir %lld block %d consecutive free entries\n",
			       (long long)w->ino, (int)dabno);
		}
		ck->error++;
	}
	if (tag_err) {
		if (!ck->sflag || v) {
			printf("dir %lld block %d entry/unused tag mismatch\n",
			       (long long)w->ino, (int)dabno);
		}
		ck->error++;
	}
	return parent;
}

/* ---- leaf, node and free blocks ---- */

static void process_leaf(struct dir_walk *w, const uint8_t *leaf,
			 uint64_t dabno, uint64_t daddr, bool v)
{
	struct db_check *ck = w->ck;
	const struct xfs_da_geometry *g = geo(ck);
	unsigned int magic = get_unaligned_be16(leaf + 8);
	unsigned int hdrsize = sizeof(struct xfs_dir3_leaf_hdr);
	unsigned int count, lstale, i, stale = 0, maxents;

	if (magic == XFS_DIR3_LEAF1_MAGIC || magic == XFS_DIR3_LEAFN_MAGIC ||
	    magic == XFS_DA3_NODE_MAGIC) {
		uint64_t blkno = get_unaligned_be64(leaf + 16);

		if (blkno != daddr) {
			if (!ck->sflag || v) {
				printf("expected block %lld in directory "
				       "leaf/node block %u for directory inode "
				       "%lld, got %lld\n", (long long)daddr,
				       (unsigned int)dabno, (long long)w->ino,
				       (long long)blkno);
			}
			ck->error++;
		}
	}
	switch (magic) {
	case XFS_DIR3_LEAF1_MAGIC: {
		unsigned int forw = get_unaligned_be32(leaf);
		unsigned int back = get_unaligned_be32(leaf + 4);
		unsigned int bestcount, ltp = g->blksize - 4;

		if (forw || back) {
			if (!ck->sflag || v) {
				printf("bad leaf block forw/back pointers "
				       "%d/%d for dir ino %lld block %d\n",
				       (int)forw, (int)back, (long long)w->ino,
				       (int)dabno);
			}
			ck->error++;
		}
		if (dabno != g->leafblk) {
			if (!ck->sflag || v) {
				printf("single leaf block for dir ino %lld block "
				       "%d should be at block %d\n",
				       (long long)w->ino, (int)dabno,
				       (int)g->leafblk);
			}
			ck->error++;
		}
		bestcount = get_unaligned_be32(leaf + ltp);
		if ((uint64_t)bestcount * 2 > ltp) {
			bestcount = ltp / 2;
		}
		for (i = 0; i < bestcount; i++) {
			unsigned int best = get_unaligned_be16(leaf + ltp -
							       (bestcount - i) *
							       2);

			if (w->nfree <= i || freetab_get(w, i) != best) {
				if (!ck->sflag || v) {
					printf("bestfree %d for dir ino %lld "
					       "block %d doesn't match table "
					       "value %d\n",
					       (int)freetab_get(w, i),
					       (long long)w->ino,
					       (int)xfs_dir2_db_to_da(
						 ck->mp->m_sb.sb_dirblklog, i),
					       (int)best);
				}
			}
			if (w->nfree > i) {
				w->freetab[i] = NULLDATAOFF;
			}
		}
		break;
	}
	case XFS_DIR3_LEAFN_MAGIC:
		break;
	case XFS_DA3_NODE_MAGIC: {
		unsigned int level = get_unaligned_be16(leaf + 58);

		if (level < 1 || level > XFS_DA_NODE_MAXDEPTH) {
			if (!ck->sflag || v) {
				printf("bad node block level %d for dir ino "
				       "%lld block %d\n", (int)level,
				       (long long)w->ino, (int)dabno);
			}
			ck->error++;
		}
		return;
	}
	default:
		if (!ck->sflag || v) {
			printf("bad directory leaf magic # %#x for dir ino %lld "
			       "block %d\n", magic, (long long)w->ino,
			       (int)dabno);
		}
		ck->error++;
		return;
	}
	count = get_unaligned_be16(leaf + 56);
	lstale = get_unaligned_be16(leaf + 58);
	maxents = (g->blksize - hdrsize) / 8;
	for (i = 0; i < count && i < maxents; i++) {
		const uint8_t *le = leaf + hdrsize + i * 8;
		uint32_t hash = get_unaligned_be32(le);
		uint32_t addr = get_unaligned_be32(le + 4);

		if (addr == XFS_DIR2_NULL_LEAF_ADDRESS) {
			stale++;
		} else if (dir_hash_see(w, hash, addr)) {
			if (!ck->sflag || v) {
				printf("dir %lld block %d extra leaf entry %x "
				       "%x\n", (long long)w->ino, (int)dabno,
				       hash, addr);
			}
			ck->error++;
		}
	}
	if (stale != lstale) {
		if (!ck->sflag || v) {
			printf("dir %lld block %d stale mismatch %d/%d\n",
			       (long long)w->ino, (int)dabno, (int)stale,
			       (int)lstale);
		}
		ck->error++;
	}
}

static void process_free(struct dir_walk *w, const uint8_t *fb,
			 uint64_t dabno, bool v)
{
	struct db_check *ck = w->ck;
	const struct xfs_da_geometry *g = geo(ck);
	uint32_t magic = get_unaligned_be32(fb);
	unsigned int hdrsize = sizeof(struct xfs_dir3_free_hdr);
	unsigned int maxcount = g->free_max_bests, used = 0, i;
	uint32_t firstdb, nvalid, nused;

	if (magic != XFS_DIR3_FREE_MAGIC && magic != XFS_DIR2_FREE_MAGIC) {
		if (!ck->sflag || v) {
			printf("bad free block magic # %#x for dir ino %lld "
			       "block %d\n", magic, (long long)w->ino,
			       (int)dabno);
		}
		ck->error++;
		return;
	}
	firstdb = get_unaligned_be32(fb + 48);
	nvalid = get_unaligned_be32(fb + 52);
	nused = get_unaligned_be32(fb + 56);
	if (firstdb != xfs_dir2_da_to_db(ck->mp->m_sb.sb_dirblklog,
					 dabno - g->freeblk) * maxcount) {
		if (!ck->sflag || v) {
			printf("bad free block firstdb %d for dir ino %lld "
			       "block %d\n", (int)firstdb, (long long)w->ino,
			       (int)dabno);
		}
		ck->error++;
		return;
	}
	if (nvalid > maxcount || nused > maxcount || nused > nvalid) {
		if (!ck->sflag || v) {
			printf("bad free block nvalid/nused %d/%d for dir ino "
			       "%lld block %d\n", (int)nvalid, (int)nused,
			       (long long)w->ino, (int)dabno);
		}
		ck->error++;
		return;
	}
	for (i = 0; i < nvalid; i++) {
		unsigned int ent = freetab_get(w, firstdb + i);
		unsigned int best = get_unaligned_be16(fb + hdrsize + i * 2);

		if (ent != best) {
			if (!ck->sflag || v) {
				printf("bad free block ent %d is %d should be "
				       "%d for dir ino %lld block %d\n", (int)i,
				       (int)best, (int)ent, (long long)w->ino,
				       (int)dabno);
			}
			ck->error++;
		}
		if (best != NULLDATAOFF) {
			used++;
		}
		if (ent != NULLDATAOFF) {
			w->freetab[firstdb + i] = NULLDATAOFF;
		}
	}
	if (used != nused) {
		if (!ck->sflag || v) {
			printf("bad free block nused %d should be %d for dir ino "
			       "%lld block %d\n", (int)nused, (int)used,
			       (long long)w->ino, (int)dabno);
		}
		ck->error++;
	}
}

/* ---- the formats ---- */

static uint64_t process_block_dir(struct dir_walk *w,
				  const struct ck_blkmap *bm)
{
	struct db_check *ck = w->ck;
	const struct xfs_da_geometry *g = geo(ck);
	struct ck_bmap p[XFS_DA_MAX_MAPS];
	const uint8_t *data;
	struct xfs_buf *bp;
	uint8_t *heap;
	unsigned int n;
	uint64_t parent;
	bool v;

	n = blkmap_getn(bm, 0, g->fsbcount, p, XFS_DA_MAX_MAPS);
	v = (ck_ino(ck, w->id)->flags & CKI_ILIST) || ck->verbose;
	if (!n) {
		if (!ck->sflag || v) {
			printf("block 0 for directory inode %lld is missing\n",
			       (long long)w->ino);
		}
		ck->error++;
		return 0;
	}
	v = v || pieces_in_blist(ck, p, n);
	w->v = v;
	data = read_dirblock(ck, p, n, &bp, &heap);
	if (!data) {
		if (!ck->sflag || v) {
			printf("can't read block 0 for directory inode %lld\n",
			       (long long)w->ino);
		}
		ck->error++;
		return 0;
	}
	parent = process_data(w, data, g->datablk, v, false);
	dir_hash_check(w);
	if (bp) {
		libxfs_buf_relse(bp);
	}
	free(heap);
	return parent;
}

static uint64_t process_leaf_node_dir(struct dir_walk *w,
				      const struct ck_blkmap *bm,
				      uint64_t dirsize)
{
	struct db_check *ck = w->ck;
	struct db_ctx *ctx = ck->ctx;
	const struct xfs_da_geometry *g = geo(ck);
	struct ck_bmap p[XFS_DA_MAX_MAPS];
	bool v2 = ck->verbose || (ck_ino(ck, w->id)->flags & CKI_ILIST), v;
	uint64_t dbno = NULLFILEOFF_, parent = 0, lino;
	unsigned int cur = 0, n, i;

	w->nfree = 0;
	if (g->blksize && dirsize / g->blksize < (1U << 24)) {
		uint32_t naents = (uint32_t)(dirsize / g->blksize);

		if (naents) {
			freetab_set(w, naents - 1, NULLDATAOFF);
			w->nfree = 0;
		}
	}
	while ((dbno = blkmap_next_off(bm, dbno, &cur)) != NULLFILEOFF_) {
		const uint8_t *data;
		struct xfs_buf *bp;
		uint8_t *heap;

		n = blkmap_getn(bm, dbno, g->fsbcount, p, XFS_DA_MAX_MAPS);
		if (!n) {
			break;
		}
		v = v2 || pieces_in_blist(ck, p, n);
		if (v) {
			printf("dir inode %lld block %u=%llu\n",
			       (long long)w->ino, (uint32_t)dbno,
			       (unsigned long long)p[0].startblock);
		}
		data = read_dirblock(ck, p, n, &bp, &heap);
		if (!data) {
			if (!ck->sflag || v) {
				printf("can't read block %u for directory inode "
				       "%lld\n", (uint32_t)dbno,
				       (long long)w->ino);
			}
			ck->error++;
			dbno += g->fsbcount - 1;
			continue;
		}
		w->v = v;
		if (dbno < g->leafblk) {
			lino = process_data(w, data, dbno, v, true);
			if (lino) {
				if (parent) {
					if (!ck->sflag || v) {
						printf("multiple .. entries in "
						       "dir %lld\n",
						       (long long)w->ino);
					}
					ck->error++;
				} else {
					parent = lino;
				}
			}
		} else if (dbno < g->freeblk) {
			process_leaf(w, data, dbno,
				     db_fsbno_to_daddr(ctx, p[0].startblock), v);
		} else {
			process_free(w, data, dbno, v);
		}
		if (bp) {
			libxfs_buf_relse(bp);
		}
		free(heap);
		dbno += g->fsbcount - 1;
	}
	w->v = v2;
	dir_hash_check(w);
	for (i = 0; i < w->nfree; i++) {
		if (w->freetab[i] != NULLDATAOFF) {
			if (!ck->sflag || v2) {
				printf("missing free index for data block %d in "
				       "dir ino %lld\n",
				       (int)xfs_dir2_db_to_da(
					       ck->mp->m_sb.sb_dirblklog, i),
				       (long long)w->ino);
			}
			ck->error++;
		}
	}
	return parent;
}

void ck_process_dir(struct db_check *ck, struct xfs_dinode *dip, uint32_t id,
		    const struct ck_blkmap *blkmap)
{
	const struct xfs_sb *sb = &ck->mp->m_sb;
	const struct xfs_da_geometry *g = geo(ck);
	struct ck_blkmap bm = *blkmap;
	struct dir_walk *w;
	uint64_t ino = ck_ino(ck, id)->ino, parent = 0, last = 0;
	uint64_t ibno;
	unsigned int i;
	bool v;

	w = calloc(1, sizeof(*w));
	if (!w) {
		return;
	}
	w->ck = ck;
	w->id = id;
	w->ino = ino;
	w->v = ck->verbose || (ck_ino(ck, id)->flags & CKI_ILIST);
	if (bm.nents) {
		qsort(bm.ents, bm.nents, sizeof(bm.ents[0]), cmp_bmap);
	}
	for (i = 0; i < bm.nents; i++) {
		if (bm.ents[i].startoff + bm.ents[i].blockcount > last) {
			last = bm.ents[i].startoff + bm.ents[i].blockcount;
		}
	}
	if (dip->di_format == XFS_DINODE_FMT_LOCAL) {
		parent = process_sf(w, dip);
	} else if (last == g->fsbcount) {
		parent = process_block_dir(w, &bm);
	} else if (last >= g->leafblk + g->fsbcount) {
		parent = process_leaf_node_dir(w, &bm,
					       be64_to_cpu(dip->di_size));
	} else {
		printf("bad size (%lld) or format (%d) for directory inode "
		       "%lld\n", (long long)be64_to_cpu(dip->di_size),
		       dip->di_format, (long long)ino);
		ck->error++;
		goto out;
	}
	ibno = xfs_ino_to_fsbno(sb->sb_agblklog, sb->sb_inopblog, ino);
	v = !ck->sflag || (ck_ino(ck, id)->flags & CKI_ILIST) ||
	    ck_in_blist(ck, (uint32_t)(ibno >> sb->sb_agblklog),
			(uint32_t)(ibno & ((1ULL << sb->sb_agblklog) - 1)));
	if (!w->dot) {
		if (v) {
			printf("no . entry for directory %lld\n",
			       (long long)ino);
		}
		ck->error++;
	}
	if (!w->dotdot) {
		if (v) {
			printf("no .. entry for directory %lld\n",
			       (long long)ino);
		}
		ck->error++;
	} else if (parent == ino && ino != sb->sb_rootino) {
		if (v) {
			printf(". and .. same for non-root directory %lld\n",
			       (long long)ino);
		}
		ck->error++;
	} else if (ino == sb->sb_rootino && ino != parent) {
		if (v) {
			printf("root directory %lld has .. %lld\n",
			       (long long)ino, (long long)parent);
		}
		ck->error++;
	} else if (parent != NULLFSINO && ino != parent) {
		uint32_t pid = ck_find_inode(ck, parent, false);

		if (pid) {
			ck_addparent(ck, id, pid);
		}
	}
out:
	free(w->hents);
	free(w->freetab);
	free(w);
}
