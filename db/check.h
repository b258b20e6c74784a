/*
 * db/check.h: the state `blockget` builds and `ncheck` reads, shared by
 * the files that build it:
 *   check.c        the blockget/blockfree commands, the block and inode
 *                  maps with their consistency checks, the final checks
 *   check_ag.c     AG headers, free list, the per-AG btrees, inode chunks
 *   check_inode.c  inodes and their forks (extent lists, bmbt)
 *   check_dir.c    directory contents: names, links, parents
 *   ncheck.c       the ncheck command
 *
 * Every block of every AG gets a type (the block map): set once by
 * whatever claims it; a second claim is reported.  Every inode met --
 * scanned or named by a directory entry -- gets a record, found through
 * a per-AG hash whose chains list the newest record first (ncheck prints
 * in that order, as the reference does).
 */
#ifndef DB_CHECK_H_
#define DB_CHECK_H_

#include "db/db.h"

/* Block types, in the reference's order; names in ck_typename(). */
enum ck_dbm {
	DBM_UNKNOWN,
	DBM_AGF,
	DBM_AGFL,
	DBM_AGI,
	DBM_ATTR,
	DBM_BTBMAPA,
	DBM_BTBMAPD,
	DBM_BTBNO,
	DBM_BTCNT,
	DBM_BTINO,
	DBM_DATA,
	DBM_DIR,
	DBM_FREE1,
	DBM_FREE2,
	DBM_FREELIST,
	DBM_INODE,
	DBM_LOG,
	DBM_MISSING,
	DBM_QUOTA,
	DBM_RTBITMAP,
	DBM_RTDATA,
	DBM_RTFREE,
	DBM_RTSUM,
	DBM_SB,
	DBM_SYMLINK,
	DBM_BTFINO,
	DBM_BTRMAP,
	DBM_BTREFC,
	DBM_RLDATA,
	DBM_COWDATA,
	DBM_NDBM
};

const char *ck_typename(unsigned int type);

/* Record flags. */
#define CKI_ISDIR	(1U << 0)
#define CKI_SECURITY	(1U << 1)	/* setuid/setgid or special file */
#define CKI_ILIST	(1U << 2)	/* traced (-i) */
#define CKI_REFLINK	(1U << 3)	/* may share blocks */

/* What blockget knows of one inode. */
struct ck_ino {
	uint64_t	ino;
	const char	*name;		/* first name seen (-n), NUL-terminated */
	uint32_t	next;		/* hash chain, index + 1; 0 ends */
	uint32_t	parent;		/* index + 1; 0 none */
	uint32_t	link_set;	/* the inode's nlink */
	uint32_t	link_add;	/* links counted */
	uint32_t	flags;		/* CKI_* */
};

/* Names live in big chunks, never moved. */
struct ck_namechunk {
	struct ck_namechunk	*next;
	size_t			used;
	char			buf[];
};

struct db_check {
	struct db_ctx	*ctx;
	struct xfs_mount *mp;

	/* Options. */
	bool		verbose;	/* -v */
	bool		sflag;		/* -s: only serious errors */
	bool		nflag;		/* -n: keep names */
	bool		tflag;		/* -t */
	uint64_t	*blist;		/* -b: traced fs blocks */
	unsigned int	nblist;

	/* Geometry. */
	uint32_t	agcount;
	uint32_t	agblocks;

	/* Block map and block owners, per AG, sb_agblocks entries. */
	uint8_t		**dbmap;
	uint32_t	**inomap;	/* record index + 1, 0 = none */

	/* Inode records. */
	struct ck_ino	*inos;
	uint32_t	ninos;
	uint32_t	capinos;
	uint32_t	**hash;		/* per AG: chain heads */
	uint32_t	hashsize;
	struct ck_namechunk *names;

	/* Counts over the whole filesystem. */
	uint64_t	icount;
	uint64_t	ifree;
	uint64_t	fdblocks;
	uint64_t	frextents;

	/* The AG being walked, as its AGF names it. */
	uint32_t	seqno;

	/* Counts over the current AG. */
	uint32_t	agffreeblks;
	uint32_t	agflongest;
	int64_t		agfbtreeblks;
	uint32_t	agicount;
	uint32_t	agifreecount;
	uint32_t	lastblock;	/* btree record order checks */
	uint32_t	lastcount;

	uint16_t	sbversion;	/* version bits as found valid */
	bool		lazycount;
	bool		oom;		/* gave up as the reference would */
	int		error;
	int		serious_error;
};

/* ---- check.c ---- */

/* Is fs block agno/agbno one of the -b blocks? */
bool ck_in_blist(const struct db_check *ck, uint32_t agno, uint32_t agbno);

/*
 * Claim len blocks at agno/agbno for type: each must be of type `want`
 * (DBM_UNKNOWN for a first claim) or the difference is reported.  c_agno
 * and c_agbno name the claimant for out-of-range reports.
 */
void ck_check_set_dbmap(struct db_check *ck, uint32_t agno, uint32_t agbno,
			uint32_t len, enum ck_dbm want, enum ck_dbm type,
			uint32_t c_agno, uint32_t c_agbno);
static inline void ck_set_dbmap(struct db_check *ck, uint32_t agno,
				uint32_t agbno, uint32_t len, enum ck_dbm type,
				uint32_t c_agno, uint32_t c_agbno)
{
	ck_check_set_dbmap(ck, agno, agbno, len, DBM_UNKNOWN, type, c_agno,
			   c_agbno);
}

/* Range inside the AGs?  Reports and counts an error if not. */
bool ck_check_range(struct db_check *ck, uint32_t agno, uint32_t agbno,
		    uint32_t len);

/* Record that inode record id owns len blocks at agno/agbno. */
void ck_set_inomap(struct db_check *ck, uint32_t agno, uint32_t agbno,
		   uint32_t len, uint32_t id);

/*
 * The record of inode ino (index), created when add is set and it does
 * not exist yet; 0 on failure / not found.  Indexes are 1-based.
 */
uint32_t ck_find_inode(struct db_check *ck, uint64_t ino, bool add);

static inline struct ck_ino *ck_ino(struct db_check *ck, uint32_t id)
{
	return &ck->inos[id - 1];
}

static inline bool ck_traced(const struct db_check *ck,
			     const struct ck_ino *ip)
{
	return ck->verbose || (ip->flags & CKI_ILIST);
}

void ck_addlink(struct db_check *ck, uint32_t id);
void ck_addname(struct db_check *ck, uint32_t id, const uint8_t *name,
		unsigned int namelen);
void ck_addparent(struct db_check *ck, uint32_t id, uint32_t parent);
void ck_setlink(struct db_check *ck, uint32_t id, uint32_t nlink,
		bool isdir, bool security);

/* The path of an inode from its names ("a/b/c"), malloc'ed; NULL if none. */
char *ck_inode_name(struct db_check *ck, uint32_t id);

/* ---- check_ag.c ---- */

void ck_scan_ag(struct db_check *ck, uint32_t agno);

/* ---- check_inode.c ---- */

/*
 * Check the on-disk inode dip (agno/agino); isfree says the inobt marks it
 * free.  Marks the blocks of its forks and, for a directory, processes
 * its entries.
 */
void ck_process_inode(struct db_check *ck, uint32_t agno, uint32_t agino,
		      struct xfs_dinode *dip, bool isfree);

/* One mapping of a fork, as the inode scan collects them for directories. */
struct ck_bmap {
	uint64_t	startoff;
	uint64_t	startblock;
	uint32_t	blockcount;
};

struct ck_blkmap {
	struct ck_bmap	*ents;
	unsigned int	nents;
	unsigned int	cap;
};

/* ---- check_dir.c ---- */

/*
 * Process the entries of directory id (inode dip): shortform from the
 * fork, otherwise reading its blocks through blkmap.  Sets the parent
 * (from "..") and returns it (0 when missing).
 */
void ck_process_dir(struct db_check *ck, struct xfs_dinode *dip, uint32_t id,
		    const struct ck_blkmap *blkmap);

#endif /* DB_CHECK_H_ */
