/*
 * db/check.c: the `blockget` (alias `check`) and `blockfree` commands and
 * the maps they keep (see check.h): which type every block has, which
 * inode owns it, and a record per inode with its names and link counts.
 *
 * blockget walks every AG (check_ag.c), which walks the inodes
 * (check_inode.c) and directories (check_dir.c); then every block must
 * have been claimed, every link count must match, and the superblock
 * counters must match what was counted.  Problems are reported in the
 * reference's words; -s keeps only the serious ones, -v traces every
 * block and inode, -b / -i trace chosen blocks and inodes.  The state
 * stays for ncheck until blockfree.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "db/check.h"
#include "db/command.h"

#define NAMECHUNK	(256 * 1024)
#define HASH_MIN	256U
#define HASH_MAX	65536U
#define HASH_AVGLEN	8U	/* records per chain we aim at */

static const char *const typenames[DBM_NDBM] = {
	"unknown", "agf", "agfl", "agi", "attr", "btbmapa", "btbmapd",
	"btbno", "btcnt", "btino", "data", "dir", "free1", "free2",
	"freelist", "inode", "log", "missing", "quota", "rtbitmap",
	"rtdata", "rtfree", "rtsum", "sb", "symlink", "btfino", "btrmap",
	"btrefcnt", "rldata", "cowdata",
};

const char *ck_typename(unsigned int type)
{
	return type < DBM_NDBM ? typenames[type] : "?";
}

bool ck_in_blist(const struct db_check *ck, uint32_t agno, uint32_t agbno)
{
	uint64_t fsbno;
	unsigned int i;

	if (!ck->nblist) {
		return false;
	}
	fsbno = ((uint64_t)agno << ck->mp->m_sb.sb_agblklog) | agbno;
	for (i = 0; i < ck->nblist; i++) {
		if (ck->blist[i] == fsbno) {
			return true;
		}
	}
	return false;
}

/* ---- the block map ---- */

static void report_out_of_range(uint32_t agno, uint32_t low, uint32_t high)
{
	if (low == high) {
		printf("block %u/%u out of range\n", agno, low);
	} else {
		printf("blocks %u/%u..%u out of range\n", agno, low, high);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

bool ck_check_range(struct db_check *ck, uint32_t agno, uint32_t agbno,
		    uint32_t len)
{
	const struct xfs_sb *sb = &ck->mp->m_sb;
	uint32_t *offs, n = 0, i, low, high;

	/* [agbno, agbno + len - 1] inside an AG (len 0: agbno - 1 is). */
	if (agno < ck->agcount &&
	    (len ? (uint64_t)agbno + len <= ck->agblocks :
		   agbno >= 1 && agbno <= ck->agblocks)) {
		return true;
	}
	ck->error++;
	if (!ck->sflag) {
		/* Every block is reported: one run. */
		if (len) {
			report_out_of_range(agno, agbno, agbno + len - 1);
		}
		return false;
	}
	/*
	 * Only the -b blocks are reported, in runs of neighbours.  A block
	 * matches when (agno << agblklog) | agbno is its number, agbno taken
	 * modulo 2^32: with a damaged, huge range several agbnos may match
	 * one number, all found by filling in the bits agno sets.
	 */
	offs = calloc(ck->nblist * 64 + 1, sizeof(*offs));
	if (!offs) {
		return false;
	}
	for (i = 0; i < ck->nblist; i++) {
		uint64_t b = ck->blist[i];
		uint64_t a = (uint64_t)agno << sb->sb_agblklog;
		uint64_t base = b & ~a, sub = a & 0xffffffffULL, m;
		unsigned int tries = 0;

		if ((a & ~b) || base > 0xffffffffULL) {
			continue;
		}
		// every subset m of sub, while there is room
		for (m = sub;; m = (m - 1) & sub) {
			uint32_t off = (uint32_t)(base | m) - agbno;

			if (off < len && n < ck->nblist * 64) {
				offs[n++] = off;
			}
			if (!m || ++tries >= 64) {
				break;
			}
		}
	}
	qsort(offs, n, sizeof(*offs), cmp_u32);
	for (i = 0; i < n; i++) {
		low = high = offs[i];
		while (i + 1 < n && offs[i + 1] <= high + 1) {
			high = high > offs[i + 1] ? high : offs[i + 1];
			i++;
		}
		report_out_of_range(agno, agbno + low, agbno + high);
	}
	free(offs);
	return false;
}

/* Shared data blocks are fine where reflink exists. */
static bool type_may_share(const struct db_check *ck, enum ck_dbm type)
{
	return xfs_has_reflink(ck->mp) &&
	       (type == DBM_DATA || type == DBM_RLDATA);
}

static void check_dbmap(struct db_check *ck, uint32_t agno, uint32_t agbno,
			uint32_t len, enum ck_dbm want, bool ignore_shared)
{
	const uint8_t *p = &ck->dbmap[agno][agbno];
	uint32_t i;

	for (i = 0; i < len; i++) {
		if (ignore_shared && (p[i] == DBM_UNKNOWN || p[i] == DBM_DATA ||
				      p[i] == DBM_RLDATA)) {
			continue;
		}
		if (p[i] != want) {
			if (!ck->sflag || ck_in_blist(ck, agno, agbno + i)) {
				printf("block %u/%u expected type %s got %s\n",
				       agno, agbno + i, ck_typename(want),
				       ck_typename(p[i]));
			}
			ck->error++;
		}
	}
}

void ck_check_set_dbmap(struct db_check *ck, uint32_t agno, uint32_t agbno,
			uint32_t len, enum ck_dbm want, enum ck_dbm type,
			uint32_t c_agno, uint32_t c_agbno)
{
	uint8_t *p;
	uint32_t i;

	if (!ck_check_range(ck, agno, agbno, len)) {
		printf("blocks %u/%u..%u claimed by block %u/%u\n", agno, agbno,
		       agbno + len - 1, c_agno, c_agbno);
		return;
	}
	check_dbmap(ck, agno, agbno, len, want, type_may_share(ck, type));
	p = &ck->dbmap[agno][agbno];
	for (i = 0; i < len; i++) {
		if (p[i] == DBM_RLDATA && type == DBM_DATA) {
			/* still shared */
		} else if (p[i] == DBM_DATA && type == DBM_DATA) {
			p[i] = DBM_RLDATA;
		} else {
			p[i] = (uint8_t)type;
		}
		if (ck->verbose || ck_in_blist(ck, agno, agbno + i)) {
			printf("setting block %u/%u to %s\n", agno, agbno + i,
			       ck_typename(type));
		}
	}
}

/* Blocks of types in mask left where none should be. */
static void checknot_dbmap(struct db_check *ck, uint32_t agno,
			   uint32_t agbno, uint32_t len, unsigned int mask)
{
	const uint8_t *p = &ck->dbmap[agno][agbno];
	uint32_t i;

	for (i = 0; i < len; i++) {
		if (!((1U << p[i]) & mask)) {
			continue;
		}
		if (!ck->sflag || ck_in_blist(ck, agno, agbno + i)) {
			printf("block %u/%u type %s not expected\n", agno,
			       agbno + i, ck_typename(p[i]));
		}
		ck->error++;
	}
}

/* ---- block owners ---- */

static bool check_inomap(struct db_check *ck, uint32_t agno, uint32_t agbno,
			 uint32_t len, uint64_t c_ino)
{
	const uint32_t *p;
	bool ok = true;
	uint32_t i;

	if (!ck_check_range(ck, agno, agbno, len)) {
		printf("blocks %u/%u..%u claimed by inode %lld\n", agno, agbno,
		       agbno + len - 1, (long long)c_ino);
		return false;
	}
	p = &ck->inomap[agno][agbno];
	for (i = 0; i < len; i++) {
		const struct ck_ino *prev;

		if (!p[i]) {
			continue;
		}
		prev = ck_ino(ck, p[i]);
		if (prev->flags & CKI_REFLINK) {
			continue;
		}
		if (!ck->sflag || (prev->flags & CKI_ILIST) ||
		    ck_in_blist(ck, agno, agbno + i)) {
			printf("block %u/%u claimed by inode %lld, previous "
			       "inum %lld\n", agno, agbno + i,
			       (long long)c_ino, (long long)prev->ino);
		}
		ck->error++;
		ok = false;
	}
	return ok;
}

void ck_set_inomap(struct db_check *ck, uint32_t agno, uint32_t agbno,
		   uint32_t len, uint32_t id)
{
	struct ck_ino *ip = ck_ino(ck, id);
	uint32_t *p;
	uint32_t i;

	if (!check_inomap(ck, agno, agbno, len, ip->ino)) {
		return;
	}
	p = &ck->inomap[agno][agbno];
	for (i = 0; i < len; i++) {
		p[i] = id;
		if (ck_traced(ck, ip) || ck_in_blist(ck, agno, agbno + i)) {
			printf("setting inode to %lld for block %u/%u\n",
			       (long long)ip->ino, agno, agbno + i);
		}
	}
}

/* ---- inode records ---- */

uint32_t ck_find_inode(struct db_check *ck, uint64_t ino, bool add)
{
	const struct xfs_sb *sb = &ck->mp->m_sb;
	uint32_t agno = xfs_ino_to_agno(sb->sb_agblklog, sb->sb_inopblog, ino);
	uint32_t agino = xfs_ino_to_agino(sb->sb_agblklog, sb->sb_inopblog,
					  ino);
	uint32_t *head, id;
	struct ck_ino *ip;

	if (agno >= ck->agcount ||
	    xfs_agino_to_agbno(sb->sb_inopblog, agino) >= ck->agblocks ||
	    ino != xfs_agino_to_ino(sb->sb_agblklog, sb->sb_inopblog, agno,
				    agino)) {
		return 0;
	}
	head = &ck->hash[agno][agino % ck->hashsize];
	for (id = *head; id; id = ck_ino(ck, id)->next) {
		if (ck_ino(ck, id)->ino == ino) {
			return id;
		}
	}
	if (!add) {
		return 0;
	}
	if (ck->ninos == ck->capinos) {
		uint32_t cap = ck->capinos ? ck->capinos * 2 : 4096;
		struct ck_ino *n = realloc(ck->inos, sizeof(*n) * cap);

		if (!n) {
			return 0;
		}
		ck->inos = n;
		ck->capinos = cap;
	}
	ip = &ck->inos[ck->ninos++];
	memset(ip, 0, sizeof(*ip));
	ip->ino = ino;
	ip->next = *head;
	*head = ck->ninos;
	return ck->ninos;
}

void ck_addlink(struct db_check *ck, uint32_t id)
{
	struct ck_ino *ip = ck_ino(ck, id);

	ip->link_add++;
	if (ck_traced(ck, ip)) {
		printf("inode %lld add link, now %u\n", (long long)ip->ino,
		       ip->link_add);
	}
}

void ck_addname(struct db_check *ck, uint32_t id, const uint8_t *name,
		unsigned int namelen)
{
	struct ck_ino *ip = ck_ino(ck, id);
	struct ck_namechunk *c = ck->names;
	char *s;

	if (ip->name) {
		return;
	}
	if (!c || c->used + namelen + 1 > NAMECHUNK) {
		c = malloc(sizeof(*c) + NAMECHUNK);
		if (!c) {
			return;
		}
		c->used = 0;
		c->next = ck->names;
		ck->names = c;
	}
	s = c->buf + c->used;
	memcpy(s, name, namelen);
	s[namelen] = '\0';
	c->used += namelen + 1;
	ip->name = s;
}

void ck_addparent(struct db_check *ck, uint32_t id, uint32_t parent)
{
	struct ck_ino *ip = ck_ino(ck, id);
	struct ck_ino *pp = ck_ino(ck, parent);

	if (ck->verbose || (ip->flags & CKI_ILIST) ||
	    (pp->flags & CKI_ILIST)) {
		printf("inode %lld parent %lld\n", (long long)ip->ino,
		       (long long)pp->ino);
	}
	ip->parent = parent;
}

void ck_setlink(struct db_check *ck, uint32_t id, uint32_t nlink,
		bool isdir, bool security)
{
	struct ck_ino *ip = ck_ino(ck, id);

	if (ck_traced(ck, ip)) {
		printf("inode %lld nlink %u %s dir\n", (long long)ip->ino, nlink,
		       isdir ? "is" : "not");
	}
	ip->link_set = nlink;
	if (isdir) {
		ip->flags |= CKI_ISDIR;
	}
	if (security) {
		ip->flags |= CKI_SECURITY;
	}
}

char *ck_inode_name(struct db_check *ck, uint32_t id)
{
	const struct ck_ino *ip = ck_ino(ck, id);
	size_t len = 0, pos;
	uint32_t p, steps;
	char *path;

	if (!ip->name) {
		return NULL;
	}
	/* Measure, stopping at the first nameless ancestor (or a loop). */
	for (p = id, steps = 0; p && ck_ino(ck, p)->name && steps <= ck->ninos;
	     p = ck_ino(ck, p)->parent, steps++) {
		len += strlen(ck_ino(ck, p)->name) + 1;
	}
	if (!len) {
		return NULL;
	}
	path = malloc(len);
	if (!path) {
		return NULL;
	}
	pos = len - 1;
	path[pos] = '\0';
	for (p = id, steps = 0; p && ck_ino(ck, p)->name && steps <= ck->ninos;
	     p = ck_ino(ck, p)->parent, steps++) {
		const char *n = ck_ino(ck, p)->name;
		size_t l = strlen(n);

		if (pos != len - 1) {
			path[--pos] = '/';
		}
		pos -= l;
		memcpy(path + pos, n, l);
	}
	return path;
}

/* ---- state ---- */

static void check_free(struct db_check *ck)
{
	uint32_t agno;

	if (!ck) {
		return;
	}
	for (agno = 0; agno < ck->agcount; agno++) {
		if (ck->dbmap) {
			free(ck->dbmap[agno]);
		}
		if (ck->inomap) {
			free(ck->inomap[agno]);
		}
		if (ck->hash) {
			free(ck->hash[agno]);
		}
	}
	free(ck->dbmap);
	free(ck->inomap);
	free(ck->hash);
	free(ck->inos);
	free(ck->blist);
	while (ck->names) {
		struct ck_namechunk *next = ck->names->next;

		free(ck->names);
		ck->names = next;
	}
	free(ck);
}

void db_check_destroy(struct db_ctx *ctx)
{
	check_free(ctx->check);
	ctx->check = NULL;
}

static bool check_alloc_maps(struct db_check *ck)
{
	const struct xfs_sb *sb = &ck->mp->m_sb;
	uint64_t hs = sb->sb_icount / ((uint64_t)HASH_AVGLEN * ck->agcount);
	uint32_t agno;

	if (hs < HASH_MIN) {
		hs = HASH_MIN;
	}
	if (hs > HASH_MAX) {
		hs = HASH_MAX;
	}
	ck->hashsize = (uint32_t)hs;
	ck->dbmap = calloc(ck->agcount, sizeof(*ck->dbmap));
	ck->inomap = calloc(ck->agcount, sizeof(*ck->inomap));
	ck->hash = calloc(ck->agcount, sizeof(*ck->hash));
	if (!ck->dbmap || !ck->inomap || !ck->hash) {
		return false;
	}
	for (agno = 0; agno < ck->agcount; agno++) {
		ck->dbmap[agno] = calloc(ck->agblocks, 1);
		ck->inomap[agno] = calloc(ck->agblocks, sizeof(uint32_t));
		ck->hash[agno] = calloc(ck->hashsize, sizeof(uint32_t));
		if (!ck->dbmap[agno] || !ck->inomap[agno] || !ck->hash[agno]) {
			return false;
		}
	}
	return true;
}

static void print_dirty_log(void)
{
	printf("ERROR: The filesystem has valuable metadata changes in a log "
	       "which needs to\nbe replayed.  Mount the filesystem to replay "
	       "the log, and unmount it before\nre-running xfs_db.  If you "
	       "are unable to mount the filesystem, then use\nthe xfs_repair "
	       "-L option to destroy the log and attempt a repair.\nNote "
	       "that destroying the log may cause corruption -- please "
	       "attempt a mount\nof the filesystem before doing this.\n");
}

/* ---- the final checks ---- */

static void check_linkcounts(struct db_check *ck, uint32_t agno)
{
	uint32_t h, id;

	for (h = 0; h < ck->hashsize; h++) {
		for (id = ck->hash[agno][h]; id; id = ck_ino(ck, id)->next) {
			struct ck_ino *ip = ck_ino(ck, id);
			char *path;

			if (ip->link_set == ip->link_add && ip->link_set) {
				continue;
			}
			ck->error++;
			if (ck->sflag && !(ip->flags & CKI_ILIST)) {
				continue;
			}
			path = ck_inode_name(ck, id);
			if (ip->link_add) {
				if (ip->link_add != ip->link_set) {
					printf("link count mismatch for inode "
					       "%lld (name %s), nlink %d, "
					       "counted %d\n",
					       (long long)ip->ino,
					       path ? path : "?",
					       (int)ip->link_set,
					       (int)ip->link_add);
				}
			} else if (ip->link_set) {
				printf("disconnected inode %lld, nlink %d\n",
				       (long long)ip->ino, (int)ip->link_set);
			} else {
				printf("allocated inode %lld has 0 link count\n",
				       (long long)ip->ino);
			}
			free(path);
		}
	}
}

static void check_summary(struct db_check *ck)
{
	struct db_ctx *ctx = ck->ctx;
	const struct xfs_sb *sb = &ck->mp->m_sb;
	uint32_t agno;

	if (!ck->tflag) {
		for (agno = 0; agno < ck->agcount; agno++) {
			checknot_dbmap(ck, agno, 0, ck->agblocks,
				       (1U << DBM_UNKNOWN) | (1U << DBM_FREE1));
		}
	}
	for (agno = 0; agno < ck->agcount; agno++) {
		check_linkcounts(ck, agno);
	}
	if (sb->sb_icount != ck->icount) {
		if (!ck->sflag) {
			printf("sb_icount %lld, counted %lld\n",
			       (long long)sb->sb_icount,
			       (long long)ck->icount);
		}
		ck->error++;
	}
	if (sb->sb_ifree != ck->ifree) {
		if (!ck->sflag) {
			printf("sb_ifree %lld, counted %lld\n",
			       (long long)sb->sb_ifree, (long long)ck->ifree);
		}
		ck->error++;
	}
	if (sb->sb_fdblocks != ck->fdblocks) {
		if (!ck->sflag) {
			printf("sb_fdblocks %lld, counted %lld\n",
			       (long long)sb->sb_fdblocks,
			       (long long)ck->fdblocks);
		}
		ck->error++;
	}
	if (ck->lazycount && sb->sb_fdblocks != (uint64_t)ctx->check_agf_aggr) {
		if (!ck->sflag) {
			printf("sb_fdblocks %lld, aggregate AGF count %lld\n",
			       (long long)sb->sb_fdblocks,
			       (long long)ctx->check_agf_aggr);
		}
		ck->error++;
	}
	if (sb->sb_frextents != ck->frextents) {
		if (!ck->sflag) {
			printf("sb_frextents %lld, counted %lld\n",
			       (long long)sb->sb_frextents,
			       (long long)ck->frextents);
		}
		ck->error++;
	}
	if (sb->sb_bad_features2 != 0 &&
	    sb->sb_bad_features2 != sb->sb_features2) {
		if (!ck->sflag) {
			printf("sb_features2 (0x%x) not same as "
			       "sb_bad_features2 (0x%x)\n", sb->sb_features2,
			       sb->sb_bad_features2);
		}
		ck->error++;
	}
	if ((ck->sbversion & XFS_SB_VERSION_ATTRBIT) &&
	    !(sb->sb_versionnum & XFS_SB_VERSION_ATTRBIT)) {
		if (!ck->sflag) {
			printf("sb versionnum missing attr bit %x\n",
			       XFS_SB_VERSION_ATTRBIT);
		}
		ck->error++;
	}
	if ((ck->sbversion & XFS_SB_VERSION_QUOTABIT) &&
	    !(sb->sb_versionnum & XFS_SB_VERSION_QUOTABIT)) {
		if (!ck->sflag) {
			printf("sb versionnum missing quota bit %x\n",
			       XFS_SB_VERSION_QUOTABIT);
		}
		ck->error++;
	}
	if (!(ck->sbversion & XFS_SB_VERSION_ALIGNBIT) &&
	    (sb->sb_versionnum & XFS_SB_VERSION_ALIGNBIT)) {
		if (!ck->sflag) {
			printf("sb versionnum extra align bit %x\n",
			       XFS_SB_VERSION_ALIGNBIT);
		}
		ck->error++;
	}
}

/* ---- the commands ---- */

static int blockget_f(struct db_ctx *ctx, int argc, char **argv)
{
	struct db_check *ck;
	uint64_t *ilist = NULL;
	unsigned int nilist = 0, i;
	uint32_t agno;
	int c, clean;

	if (ctx->check) {
		printf("already have block usage information\n");
		return 0;
	}
	ck = calloc(1, sizeof(*ck));
	if (!ck) {
		return -ENOMEM;
	}
	ck->ctx = ctx;
	ck->mp = ctx->mp;
	ck->agcount = ctx->mp->m_sb.sb_agcount;
	ck->agblocks = ctx->mp->m_sb.sb_agblocks;
	optind = 0;
	while ((c = getopt(argc, argv, "b:i:npstv")) != -1) {
		void *n;

		switch (c) {
		case 'b':
			n = realloc(ck->blist, sizeof(uint64_t) *
				    (ck->nblist + 1));
			if (!n) {
				goto fail;
			}
			ck->blist = n;
			ck->blist[ck->nblist++] = strtoull(optarg, NULL, 10);
			break;
		case 'i':
			n = realloc(ilist, sizeof(uint64_t) * (nilist + 1));
			if (!n) {
				goto fail;
			}
			ilist = n;
			ilist[nilist++] = strtoull(optarg, NULL, 10);
			break;
		case 'n':
			ck->nflag = true;
			break;
		case 'p':
			break;
		case 's':
			ck->sflag = true;
			break;
		case 't':
			ck->tflag = true;
			break;
		case 'v':
			ck->verbose = true;
			break;
		default:
			printf("bad option for blockget command\n");
			goto fail;
		}
	}
	clean = libxfs_log_is_clean(ctx->mp);
	if (clean == 0) {
		print_dirty_log();
		ctx->exitcode = 1;
		goto fail;
	}
	if (!check_alloc_maps(ck)) {
		printf("blockget: out of memory\n");
		goto fail;
	}
	for (i = 0; i < nilist; i++) {
		uint32_t id = ck_find_inode(ck, ilist[i], true);

		if (id) {
			ck_ino(ck, id)->flags |= CKI_ILIST;
		}
	}
	free(ilist);
	ilist = NULL;
	ck->sbversion = ctx->mp->m_sb.sb_versionnum;
	ctx->check = ck;
	for (agno = 0; agno < ck->agcount && !ck->oom; agno++) {
		ck_scan_ag(ck, agno);
	}
	if (ck->oom) {
		return -ENOMEM;
	}
	/* After serious damage the totals mean nothing: stop here. */
	if (ck->serious_error) {
		ctx->exitcode = 2;
		return 0;
	}
	check_summary(ck);
	if (ck->error) {
		ctx->exitcode = 3;
	}
	return 0;
fail:
	free(ilist);
	check_free(ck);
	return -EINVAL;
}

const struct db_command blockget_cmd = {
	.name = "blockget",
	.alias = { "check" },
	.func = blockget_f,
	.argmin = 0,
	.argmax = -1,
	.args = "[-s|-v] [-n] [-t] [-b bno]... [-i ino] ...",
	.oneline = "get block usage and check consistency",
};

static int blockfree_f(struct db_ctx *ctx, int argc, char **argv)
{
	if (!ctx->check) {
		printf("block usage information not allocated\n");
		return 0;
	}
	db_check_destroy(ctx);
	return 0;
}

const struct db_command blockfree_cmd = {
	.name = "blockfree",
	.func = blockfree_f,
	.argmin = 0,
	.argmax = 0,
	.oneline = "free block usage information",
};
