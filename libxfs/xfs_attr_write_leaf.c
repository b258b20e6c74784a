/*
 * xfs_attr_write_leaf.c: attribute leaf blocks being written -- a leaf
 * is rebuilt from its entry list on every change (entries sorted by
 * hash, names and values packed down from the block end, one free
 * region in between), split in two by bytes when it overflows, turned
 * into a dabtree (root node at block 0) the first time that happens;
 * remote values written to XARM blocks found at the first hole of the
 * fork.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_bmap_read.h"
#include "xfs_bmap_write.h"
#include "xfs_attr_write_priv.h"

/* One entry of a leaf in memory: its leaf entry and name/value bytes. */
struct aent {
	uint32_t	hash;
	uint8_t		flags;
	unsigned int	size;		/* bytes of blob, 4-aligned */
	const uint8_t	*blob;
};

#define LEAF_HDR	sizeof(struct xfs_attr3_leaf_hdr)
#define LEAF_ENT	sizeof(struct xfs_attr_leaf_entry)

/* Is the value stored in the leaf (else in remote blocks)? */
static bool value_is_local(const struct xfs_da_wargs *a, unsigned int namelen,
			   unsigned int valuelen)
{
	unsigned int bs = a->geo->blksize;

	return xfs_attr_leaf_entsize_local(namelen, valuelen) <
	       bs / 2 + bs / 4;
}

static unsigned int ents_bytes(const struct aent *e, unsigned int n)
{
	unsigned int i, sum = (unsigned int)LEAF_HDR;

	for (i = 0; i < n; i++) {
		sum += (unsigned int)LEAF_ENT + e[i].size;
	}
	return sum;
}

/* Rewrite the leaf in bp (blkinfo kept) from n entries. */
static void leaf_write(struct xfs_da_wargs *a, struct xfs_buf *bp,
		       const struct aent *e, unsigned int n)
{
	unsigned int bs = a->geo->blksize, first = bs, used = 0, i, end;
	struct xfs_attr3_leaf_hdr *hdr = bp->b_addr;
	struct xfs_attr_leaf_entry *le = xfs_attr3_leaf_entries_p(hdr);
	uint8_t *base = bp->b_addr;

	memset(base + sizeof(struct xfs_da3_blkinfo), 0,
	       bs - sizeof(struct xfs_da3_blkinfo));
	for (i = 0; i < n; i++) {
		first -= e[i].size;
		used += e[i].size;
		memcpy(base + first, e[i].blob, e[i].size);
		le[i].hashval = cpu_to_be32(e[i].hash);
		le[i].nameidx = cpu_to_be16((uint16_t)first);
		le[i].flags = e[i].flags;
	}
	end = (unsigned int)(LEAF_HDR + n * LEAF_ENT);
	hdr->count = cpu_to_be16((uint16_t)n);
	hdr->usedbytes = cpu_to_be16((uint16_t)used);
	hdr->firstused = cpu_to_be16((uint16_t)first);	// 64k: stored as 0
	hdr->freemap[0].base = cpu_to_be16((uint16_t)end);
	hdr->freemap[0].size = cpu_to_be16((uint16_t)(first - end));
	bp->b_ops = &xfs_attr3_leaf_buf_ops;
	xfs_da_wlog(a, bp);
}

/*
 * The entries of the leaf in bp, blobs pointing into a private copy of
 * the block (*copyp, freed by the caller), with room for one more.
 */
static int leaf_gather(struct xfs_da_wargs *a, struct xfs_buf *bp,
		       struct aent **ep, unsigned int *np, uint8_t **copyp)
{
	unsigned int bs = a->geo->blksize, n, i;
	struct xfs_attr3_leaf_hdr *hdr = bp->b_addr;
	struct xfs_attr_leaf_entry *le = xfs_attr3_leaf_entries_p(hdr);
	uint8_t *copy;
	struct aent *e;

	n = be16_to_cpu(hdr->count);
	if (LEAF_HDR + (size_t)n * LEAF_ENT > bs) {
		return -EFSCORRUPTED;
	}
	copy = malloc(bs);
	e = calloc(n + 1, sizeof(*e));
	if (!copy || !e) {
		free(copy);
		free(e);
		return -ENOMEM;
	}
	memcpy(copy, bp->b_addr, bs);
	for (i = 0; i < n; i++) {
		unsigned int idx = be16_to_cpu(le[i].nameidx), size;

		if (le[i].flags & XFS_ATTR_LOCAL) {
			if (idx + 3 > bs) {
				goto bad;
			}
			size = xfs_attr_leaf_entsize_local(copy[idx + 2],
						get_unaligned_be16(copy + idx));
		} else {
			if (idx + 9 > bs) {
				goto bad;
			}
			size = xfs_attr_leaf_entsize_remote(copy[idx + 8]);
		}
		if (idx + size > bs) {
			goto bad;
		}
		e[i].hash = be32_to_cpu(le[i].hashval);
		e[i].flags = le[i].flags;
		e[i].size = size;
		e[i].blob = copy + idx;
	}
	*ep = e;
	*np = n;
	*copyp = copy;
	return 0;
bad:
	free(copy);
	free(e);
	return -EFSCORRUPTED;
}

/* Name of an entry and its length. */
static const uint8_t *aent_name(const struct aent *e, unsigned int *len)
{
	if (e->flags & XFS_ATTR_LOCAL) {
		*len = e->blob[2];
		return e->blob + 3;
	}
	*len = e->blob[8];
	return e->blob + 9;
}

static bool aent_match(const struct aent *e, const struct xfs_attr_wname *n)
{
	const uint8_t *name;
	unsigned int len;

	if (e->hash != n->hash || (e->flags & XFS_ATTR_NSP_ONDISK_MASK) !=
				  n->ns || (e->flags & XFS_ATTR_INCOMPLETE)) {
		return false;
	}
	name = aent_name(e, &len);
	return len == n->namelen && memcmp(name, n->name, len) == 0;
}

/* Insert ne into sorted e[0..n) (room for one more); returns its index. */
static unsigned int aent_insert(struct aent *e, unsigned int n,
				const struct aent *ne)
{
	unsigned int i = n;

	while (i > 0 && e[i - 1].hash > ne->hash) {
		e[i] = e[i - 1];
		i--;
	}
	e[i] = *ne;
	return i;
}

/* Write a remote value into newly allocated blocks; *blkp = first. */
static int rmt_write(struct xfs_da_wargs *a, const struct xfs_attr_wname *n,
		     uint32_t *blkp)
{
	struct xfs_mount *mp = a->mp;
	unsigned int bs = mp->m_sb.sb_blocksize;
	unsigned int space = xfs_attr3_rmt_buf_space(bs);
	unsigned int blocks = xfs_attr3_rmt_blocks(bs, n->valuelen);
	unsigned int done = 0;
	uint64_t bno, cur;
	int error;

	error = xfs_da_wfirst_hole(a, 0, 1ULL << 32, blocks, &bno);
	if (error) {
		return error;
	}
	cur = bno;
	while (cur < bno + blocks) {
		struct xfs_bmbt_irec map;
		unsigned int j;
		int nmap = 1;

		error = libxfs_bmapi_write(a->tp, a->dp, cur, bno + blocks - cur,
					   XFS_BMAPI_METADATA |
					   XFS_BMAPI_ATTRFORK, &map, &nmap);
		if (error) {
			return error;
		}
		if (nmap < 1 || xfs_bmap_is_hole(&map) || map.br_startoff != cur ||
		    map.br_blockcount == 0) {
			return -ENOSPC;
		}
		for (j = 0; j < map.br_blockcount; j++) {
			struct xfs_attr3_rmt_hdr *rh;
			struct xfs_buf *bp;
			unsigned int bytes = n->valuelen - done < space ?
					     n->valuelen - done : space;

			error = xfs_trans_get_buf(a->tp,
					xfs_mp_fsb_to_daddr(mp,
						map.br_startblock + j),
					xfs_mp_fsb_to_bb(mp, 1),
					&xfs_attr3_rmt_buf_ops, &bp);
			if (error) {
				return error;
			}
			memset(bp->b_addr, 0, bs);
			rh = bp->b_addr;
			rh->rm_magic = cpu_to_be32(XFS_ATTR3_RMT_MAGIC);
			rh->rm_offset = cpu_to_be32(done);
			rh->rm_bytes = cpu_to_be32(bytes);
			memcpy(rh->rm_uuid, mp->m_meta_uuid, XFS_UUID_SIZE);
			rh->rm_owner = cpu_to_be64(a->dp->i_ino);
			rh->rm_blkno = cpu_to_be64(bp->b_daddr);
			memcpy(rh + 1, (const uint8_t *)n->value + done, bytes);
			bp->b_ops = &xfs_attr3_rmt_buf_ops;
			xfs_da_wlog(a, bp);
			xfs_da_wrelse(a, bp);
			done += bytes;
		}
		cur += map.br_blockcount;
	}
	*blkp = (uint32_t)bno;
	return 0;
}

/* Build the leaf entry for n (writing a remote value); blob in buf. */
static int make_aent(struct xfs_da_wargs *a, const struct xfs_attr_wname *n,
		     uint8_t *buf, struct aent *e)
{
	e->hash = n->hash;
	e->blob = buf;
	if (value_is_local(a, n->namelen, n->valuelen)) {
		e->flags = (uint8_t)(n->ns | XFS_ATTR_LOCAL);
		e->size = xfs_attr_leaf_entsize_local(n->namelen, n->valuelen);
		memset(buf, 0, e->size);
		put_unaligned_be16((uint16_t)n->valuelen, buf);
		buf[2] = (uint8_t)n->namelen;
		memcpy(buf + 3, n->name, n->namelen);
		if (n->valuelen) {
			memcpy(buf + 3 + n->namelen, n->value, n->valuelen);
		}
	} else {
		uint32_t blk;
		int error = rmt_write(a, n, &blk);

		if (error) {
			return error;
		}
		e->flags = (uint8_t)n->ns;
		e->size = xfs_attr_leaf_entsize_remote(n->namelen);
		memset(buf, 0, e->size);
		put_unaligned_be32(blk, buf);
		put_unaligned_be32(n->valuelen, buf + 4);
		buf[8] = (uint8_t)n->namelen;
		memcpy(buf + 9, n->name, n->namelen);
	}
	return 0;
}

int xfs_attr_wleaf_create(struct xfs_da_wargs *a,
			  const struct xfs_attr_wname *ents, unsigned int n)
{
	struct xfs_buf *bp;
	struct aent *e;
	uint8_t *blobs;
	unsigned int i;
	int error;

	e = calloc(n + 1, sizeof(*e));
	blobs = malloc((size_t)(n + 1) * 516);
	if (!e || !blobs) {
		error = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct aent ne;

		error = make_aent(a, &ents[i], blobs + (size_t)i * 516, &ne);
		if (error) {
			goto out;
		}
		aent_insert(e, i, &ne);
	}
	if (ents_bytes(e, n) > a->geo->blksize) {
		error = -EFSCORRUPTED;
		goto out;
	}
	error = xfs_da_wnew(a, 0, &xfs_attr3_leaf_buf_ops, &bp);
	if (error) {
		goto out;
	}
	xfs_da_wstamp_blkinfo(a, bp, XFS_ATTR3_LEAF_MAGIC);
	leaf_write(a, bp, e, n);
	xfs_da_wrelse(a, bp);
out:
	free(e);
	free(blobs);
	return error;
}

static uint32_t aents_lasthash(const struct aent *e, unsigned int n)
{
	return n ? e[n - 1].hash : 0;
}

/* Split point of e[0..n): about half the bytes on each side. */
static unsigned int split_point(const struct aent *e, unsigned int n)
{
	unsigned int total = ents_bytes(e, n) - (unsigned int)LEAF_HDR;
	unsigned int sum = 0, i;

	for (i = 0; i + 1 < n; i++) {
		sum += (unsigned int)LEAF_ENT + e[i].size;
		if (sum * 2 >= total) {
			return i + 1;
		}
	}
	return n > 1 ? n - 1 : 1;
}

/* Add ne to the leaf at the bottom of path p (a dabtree). */
static int node_add(struct xfs_da_wargs *a, struct xfs_da_wpath *p,
		    struct aent *e, unsigned int n, const struct aent *ne)
{
	struct xfs_da_wpath_blk *b = &p->blk[p->depth - 1];
	unsigned int bs = a->geo->blksize, mid;
	struct xfs_buf *nbp;
	uint64_t nbno;
	int error;

	aent_insert(e, n, ne);
	n++;
	if (ents_bytes(e, n) <= bs) {
		leaf_write(a, b->bp, e, n);
		xfs_da_wfixhash(a, p, p->depth - 1, aents_lasthash(e, n));
		return 0;
	}
	mid = split_point(e, n);
	if (ents_bytes(e, mid) > bs || ents_bytes(e + mid, n - mid) > bs) {
		return -ENOSPC;
	}
	error = xfs_da_wnew_node_block(a, &xfs_attr3_leaf_buf_ops, &nbno, &nbp);
	if (error) {
		return error;
	}
	xfs_da_wstamp_blkinfo(a, nbp, XFS_ATTR3_LEAF_MAGIC);
	leaf_write(a, b->bp, e, mid);
	leaf_write(a, nbp, e + mid, n - mid);
	error = xfs_da_wlink_after(a, b->bp, b->bno, nbp, nbno);
	if (!error) {
		error = xfs_da_wsplit_insert(a, p, p->depth - 1,
					     aents_lasthash(e, mid), nbno,
					     aents_lasthash(e + mid, n - mid));
	}
	xfs_da_wrelse(a, nbp);
	return error;
}

int xfs_attr_wleaf_addname(struct xfs_da_wargs *a,
			   const struct xfs_attr_wname *n)
{
	struct xfs_da_wpath path;
	struct xfs_buf *bp;
	struct aent *e = NULL, ne;
	uint8_t *copy = NULL, *blob = NULL;
	unsigned int count, i;
	int error;

	error = xfs_da_wlookup(a, 0, n->hash, &xfs_attr3_leaf_buf_ops, &path);
	if (error) {
		return error;
	}
	bp = path.blk[path.depth - 1].bp;
	if (be16_to_cpu(((struct xfs_da_blkinfo *)bp->b_addr)->magic) !=
	    XFS_ATTR3_LEAF_MAGIC) {
		error = -EFSCORRUPTED;
		goto out;
	}
	error = leaf_gather(a, bp, &e, &count, &copy);
	if (error) {
		goto out;
	}
	for (i = 0; i < count; i++) {
		if (aent_match(&e[i], n)) {
			error = -EEXIST;
			goto out;
		}
	}
	blob = malloc(xfs_attr_leaf_entsize_local(n->namelen, n->valuelen) +
		      xfs_attr_leaf_entsize_remote(n->namelen));
	if (!blob) {
		error = -ENOMEM;
		goto out;
	}
	// A remote value's blocks are written before its name goes in.
	error = make_aent(a, n, blob, &ne);
	if (!error) {
		// A full single leaf splits like a root: its contents move
		// to a new block and block 0 becomes the dabtree root.
		error = node_add(a, &path, e, count, &ne);
	}
out:
	free(blob);
	free(e);
	free(copy);
	xfs_da_wpath_release(a, &path);
	return error;
}
