/*
 * db/sbcmds.c: commands that report filesystem-wide superblock facts --
 * `label`, `uuid` and `version`.  Changing them needs expert mode and is
 * not supported yet.
 */
#include <string.h>

#include "db/command.h"
#include "db/io.h"
#include "db/type.h"

static int not_expert(struct db_ctx *ctx)
{
	printf("%s: not in expert mode, writing disabled\n", ctx->progname);
	return -EPERM;
}

static int no_writes_yet(struct db_ctx *ctx, const char *what)
{
	printf("%s: changing the %s is not supported yet\n", ctx->progname,
	       what);
	return -EOPNOTSUPP;
}

/* Read the superblock of AG agno; NULL (message already printed) if not. */
static struct xfs_buf *read_ag_sb(struct db_ctx *ctx, uint32_t agno)
{
	struct xfs_buf *bp;

	if (db_read_buf(ctx, db_ag_daddr(ctx, agno, 0),
			(unsigned int)BTOBB(db_sb(ctx)->sb_sectsize),
			&xfs_sb_buf_ops, &bp, NULL)) {
		return NULL;
	}
	return bp;
}

/* ---- label ---- */

static int label_f(struct db_ctx *ctx, int argc, char **argv)
{
	char first[XFSLABEL_MAX + 1] = "", label[XFSLABEL_MAX + 1] = "";
	uint32_t agno;

	if (argc > 1) {
		return ctx->expert ? no_writes_yet(ctx, "label") :
				     not_expert(ctx);
	}
	for (agno = 0; agno < db_sb(ctx)->sb_agcount; agno++) {
		struct xfs_buf *bp = read_ag_sb(ctx, agno);
		const struct xfs_dsb *dsb;

		if (!bp) {
			break;
		}
		dsb = bp->b_addr;
		memcpy(label, dsb->sb_fname, XFSLABEL_MAX);
		label[XFSLABEL_MAX] = '\0';
		if (agno == 0) {
			memcpy(first, label, sizeof(first));
		} else if (memcmp(first, dsb->sb_fname, XFSLABEL_MAX)) {
			printf("warning: AG %u label differs\n", agno);
		}
		libxfs_buf_relse(bp);
	}
	/* The reference shows the label of the last AG it looked at. */
	printf("label = \"%s\"\n", label);
	return 0;
}

const struct db_command label_cmd = {
	.name = "label",
	.func = label_f,
	.argmin = 0,
	.argmax = 1,
	.args = "[label]",
	.oneline = "show the filesystem label",
	.help =
"\n"
" Shows the label, comparing the copies held by every AG's superblock\n"
" and warning about those that differ from AG 0's.\n"
"\n",
};

/* ---- uuid ---- */

static void print_uuid(const uint8_t *u)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			printf("-");
		}
		printf("%02x", u[i]);
	}
}

static int uuid_f(struct db_ctx *ctx, int argc, char **argv)
{
	uint8_t primary[XFS_UUID_SIZE];
	uint32_t agno;

	if (argc > 1) {
		return ctx->expert ? no_writes_yet(ctx, "UUID") :
				     not_expert(ctx);
	}
	memcpy(primary, db_sb(ctx)->sb_uuid, XFS_UUID_SIZE);
	for (agno = 0; agno < db_sb(ctx)->sb_agcount; agno++) {
		struct xfs_buf *bp = read_ag_sb(ctx, agno);
		const struct xfs_dsb *dsb;

		if (!bp) {
			break;
		}
		dsb = bp->b_addr;
		if (agno == 0) {
			memcpy(primary, dsb->sb_uuid, XFS_UUID_SIZE);
		} else if (memcmp(primary, dsb->sb_uuid, XFS_UUID_SIZE)) {
			/* The reference stops looking at the first one. */
			printf("warning: UUID in AG %u differs to the primary "
			       "SB\n", agno);
			libxfs_buf_relse(bp);
			break;
		}
		libxfs_buf_relse(bp);
	}
	printf("UUID = ");
	print_uuid(primary);
	printf("\n");
	return 0;
}

const struct db_command uuid_cmd = {
	.name = "uuid",
	.func = uuid_f,
	.argmin = 0,
	.argmax = 1,
	.args = "[uuid]",
	.oneline = "show the filesystem UUID",
	.help =
"\n"
" Shows the UUID of the primary superblock, warning about AGs whose\n"
" superblock copy holds another one.\n"
"\n",
};

/* ---- version ---- */

/* Feature names in the order the reference lists them. */
struct vfeat {
	const char	*name;
	unsigned int	word;	/* 0 versionnum, 1 features2, 2 ro_compat,
				   3 incompat */
	uint32_t	bit;
};

static const struct vfeat vfeats[] = {
	{ "NLINK", 0, XFS_SB_VERSION_NLINKBIT },
	{ "DIRV2", 0, XFS_SB_VERSION_DIRV2BIT },
	{ "ATTR", 0, XFS_SB_VERSION_ATTRBIT },
	{ "QUOTA", 0, XFS_SB_VERSION_QUOTABIT },
	{ "ALIGN", 0, XFS_SB_VERSION_ALIGNBIT },
	{ "DALIGN", 0, XFS_SB_VERSION_DALIGNBIT },
	{ "SHARED", 0, XFS_SB_VERSION_SHAREDBIT },
	{ "LOGV2", 0, XFS_SB_VERSION_LOGV2BIT },
	{ "EXTFLG", 0, XFS_SB_VERSION_EXTFLGBIT },
	{ "SECTOR", 0, XFS_SB_VERSION_SECTORBIT },
	{ "ASCII_CI", 0, XFS_SB_VERSION_BORGBIT },
	{ "MOREBITS", 0, XFS_SB_VERSION_MOREBITSBIT },
	{ "ATTR2", 1, XFS_SB_VERSION2_ATTR2BIT },
	{ "LAZYSBCOUNT", 1, XFS_SB_VERSION2_LAZYSBCOUNTBIT },
	{ "PROJID32BIT", 1, XFS_SB_VERSION2_PROJID32BIT },
	{ "CRC", 4, 0 },
	{ "FTYPE", 5, 0 },
	{ "FINOBT", 2, XFS_SB_FEAT_RO_COMPAT_FINOBT },
	{ "SPARSE_INODES", 3, XFS_SB_FEAT_INCOMPAT_SPINODES },
	{ "META_UUID", 3, XFS_SB_FEAT_INCOMPAT_META_UUID },
	{ "RMAPBT", 2, XFS_SB_FEAT_RO_COMPAT_RMAPBT },
	{ "REFLINK", 2, XFS_SB_FEAT_RO_COMPAT_REFLINK },
	{ "INOBTCNT", 2, XFS_SB_FEAT_RO_COMPAT_INOBTCNT },
	{ "BIGTIME", 3, XFS_SB_FEAT_INCOMPAT_BIGTIME },
	{ "NEEDSREPAIR", 3, XFS_SB_FEAT_INCOMPAT_NEEDSREPAIR },
	{ "NREXT64", 3, XFS_SB_FEAT_INCOMPAT_NREXT64 },
};

static bool vfeat_set(const struct vfeat *f, uint16_t vnum, uint32_t f2,
		      uint32_t ro_compat, uint32_t incompat)
{
	bool v5 = (vnum & XFS_SB_VERSION_NUMBITS) == XFS_SB_VERSION_5;
	bool more = vnum & XFS_SB_VERSION_MOREBITSBIT;

	switch (f->word) {
	case 0:
		return vnum & f->bit;
	case 1:
		return more && (f2 & f->bit);
	case 2:
		return v5 && (ro_compat & f->bit);
	case 3:
		return v5 && (incompat & f->bit);
	case 4:
		return v5;
	default:	/* file types in directory entries */
		return (more && (f2 & XFS_SB_VERSION2_FTYPE)) ||
		       (v5 && (incompat & XFS_SB_FEAT_INCOMPAT_FTYPE));
	}
}

static void print_version(uint16_t vnum, uint32_t f2, uint32_t ro_compat,
			  uint32_t incompat)
{
	size_t i;

	printf("versionnum [0x%x+0x%x] = V%u", vnum, f2,
	       vnum & XFS_SB_VERSION_NUMBITS);
	for (i = 0; i < sizeof(vfeats) / sizeof(vfeats[0]); i++) {
		if (vfeat_set(&vfeats[i], vnum, f2, ro_compat, incompat)) {
			printf(",%s", vfeats[i].name);
		}
	}
	printf("\n");
}

static int version_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct xfs_sb *sb = db_sb(ctx);
	uint64_t vnum, f2;

	if (argc == 3) {
		/* Shows what the pair of values means; writes nothing. */
		if (!db_parse_u64(argv[1], &vnum) ||
		    !db_parse_u64(argv[2], &f2)) {
			printf("bad version number\n");
			return -EINVAL;
		}
		print_version((uint16_t)vnum, (uint32_t)f2,
			      sb->sb_features_ro_compat,
			      sb->sb_features_incompat);
		return 0;
	}
	if (argc == 2) {
		return ctx->expert ? no_writes_yet(ctx, "version") :
				     not_expert(ctx);
	}
	print_version(sb->sb_versionnum, sb->sb_features2,
		      sb->sb_features_ro_compat, sb->sb_features_incompat);
	return 0;
}

const struct db_command version_cmd = {
	.name = "version",
	.func = version_f,
	.argmin = 0,
	.argmax = 2,
	.args = "[feature | [vnum fnum]]",
	.oneline = "show the superblock version and feature bits",
	.help =
"\n"
" Shows versionnum and features2 with the features they enable, in the\n"
" form 'versionnum [0xVNUM+0xFEATURES2] = V5,NLINK,...'.\n"
"\n",
};
