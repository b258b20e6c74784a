/*
 * db/convert.c: the `convert` command -- turn an address given in one or
 * more units (an AG number plus a block in it, an inode number plus a
 * byte in the inode, ...) into another unit.
 *
 * Every input is added into one byte address, which the output unit then
 * takes apart.  Which units may be combined is a table: a unit may follow
 * the units already given only if each of them lists it as compatible.
 */
#include <string.h>

#include "db/command.h"

enum cv_unit {
	CV_AGBLOCK,
	CV_AGINO,
	CV_AGNUMBER,
	CV_BBOFF,
	CV_BLKOFF,
	CV_BYTE,
	CV_DADDR,
	CV_FSBLOCK,
	CV_INO,
	CV_INOIDX,
	CV_INOOFF,
	CV_NR,
};

#define U(x)	(1U << (x))

struct cv_desc {
	const char	*names[3];
	unsigned int	compatible;	/* units that may come after this one */
};

static const struct cv_desc cv_units[CV_NR] = {
	[CV_AGBLOCK] = { { "agblock", "agbno" },
		U(CV_AGNUMBER) | U(CV_BBOFF) | U(CV_BLKOFF) | U(CV_INOIDX) |
		U(CV_INOOFF) },
	[CV_AGINO] = { { "agino", "aginode" },
		U(CV_AGNUMBER) | U(CV_INOOFF) },
	[CV_AGNUMBER] = { { "agnumber", "agno" },
		U(CV_AGBLOCK) | U(CV_AGINO) | U(CV_BBOFF) | U(CV_BLKOFF) |
		U(CV_INOIDX) | U(CV_INOOFF) },
	[CV_BBOFF] = { { "bboff", "daddroff" },
		U(CV_AGBLOCK) | U(CV_AGNUMBER) | U(CV_DADDR) | U(CV_FSBLOCK) },
	[CV_BLKOFF] = { { "blkoff", "fsboff" },
		U(CV_AGBLOCK) | U(CV_AGNUMBER) | U(CV_FSBLOCK) },
	[CV_BYTE] = { { "byte", "fsbyte" }, 0 },
	[CV_DADDR] = { { "daddr", "bb" }, U(CV_BBOFF) },
	[CV_FSBLOCK] = { { "fsblock", "fsb", "fsbno" },
		U(CV_BBOFF) | U(CV_BLKOFF) | U(CV_INOIDX) },
	[CV_INO] = { { "ino", "inode" }, U(CV_INOOFF) },
	[CV_INOIDX] = { { "inoidx", "offset" },
		U(CV_AGBLOCK) | U(CV_AGNUMBER) | U(CV_FSBLOCK) | U(CV_INOOFF) },
	[CV_INOOFF] = { { "inooff", "inodeoff" },
		U(CV_AGBLOCK) | U(CV_AGINO) | U(CV_AGNUMBER) | U(CV_FSBLOCK) |
		U(CV_INO) | U(CV_INOIDX) },
};

static int cv_lookup(const char *name)
{
	int u, i;

	for (u = 0; u < CV_NR; u++) {
		for (i = 0; i < 3 && cv_units[u].names[i]; i++) {
			if (!strcmp(cv_units[u].names[i], name)) {
				return u;
			}
		}
	}
	return -1;
}

/* Byte address of block agbno of AG agno. */
static uint64_t agb_to_byte(const struct xfs_sb *sb, uint64_t agno,
			    uint64_t agbno)
{
	return (agno * sb->sb_agblocks + agbno) << sb->sb_blocklog;
}

/* Byte address contributed by value v given in unit u. */
static uint64_t to_bytes(const struct xfs_sb *sb, int u, uint64_t v)
{
	unsigned int agino_log = sb->sb_agblklog + sb->sb_inopblog;
	uint64_t inomask = sb->sb_inopblock - 1;
	uint32_t agno;

	switch (u) {
	case CV_AGBLOCK:
		return v << sb->sb_blocklog;
	case CV_AGINO:
		return ((v >> sb->sb_inopblog) << sb->sb_blocklog) +
		       ((v & inomask) << sb->sb_inodelog);
	case CV_AGNUMBER:
		return agb_to_byte(sb, (uint32_t)v, 0);
	case CV_DADDR:
		return v << BBSHIFT;
	case CV_FSBLOCK:
		agno = (uint32_t)(v >> sb->sb_agblklog);
		return agb_to_byte(sb, agno,
				   v & ((1ULL << sb->sb_agblklog) - 1));
	case CV_INO:
		agno = (uint32_t)(v >> agino_log);
		v &= (1ULL << agino_log) - 1;
		return agb_to_byte(sb, agno, v >> sb->sb_inopblog) +
		       ((v & inomask) << sb->sb_inodelog);
	case CV_INOIDX:
		return v << sb->sb_inodelog;
	default:	/* byte offsets */
		return v;
	}
}

/* The byte address b expressed in unit u. */
static uint64_t from_bytes(const struct xfs_sb *sb, int u, uint64_t b)
{
	uint64_t blk = b >> sb->sb_blocklog;
	uint64_t agno = sb->sb_agblocks ? blk / sb->sb_agblocks : 0;
	uint64_t agbno = sb->sb_agblocks ? blk % sb->sb_agblocks : 0;
	uint64_t idx = (b >> sb->sb_inodelog) & (sb->sb_inopblock - 1);
	uint64_t agino = (agbno << sb->sb_inopblog) | idx;

	switch (u) {
	case CV_AGBLOCK:
		return agbno;
	case CV_AGINO:
		return agino;
	case CV_AGNUMBER:
		return agno;
	case CV_BBOFF:
		return b & (BBSIZE - 1);
	case CV_BLKOFF:
		return b & (sb->sb_blocksize - 1);
	case CV_DADDR:
		return b >> BBSHIFT;
	case CV_FSBLOCK:
		return (agno << sb->sb_agblklog) | agbno;
	case CV_INO:
		return (agno << (sb->sb_agblklog + sb->sb_inopblog)) | agino;
	case CV_INOIDX:
		return idx;
	case CV_INOOFF:
		return b & (sb->sb_inodesize - 1);
	default:
		return b;
	}
}

static int convert_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct xfs_sb *sb = db_sb(ctx);
	unsigned int given = 0;
	uint64_t bytes = 0, v, result;
	int target, i;

	if (!((argc - 1) & 1)) {
		printf("bad argument count %d to convert, expected 3,5,7,9 "
		       "arguments\n", argc - 1);
		return -EINVAL;
	}
	target = cv_lookup(argv[argc - 1]);
	if (target < 0) {
		printf("unknown conversion type %s\n", argv[argc - 1]);
		return -EINVAL;
	}
	for (i = 1; i < argc - 1; i += 2) {
		int u = cv_lookup(argv[i]);
		int prev;

		if (u < 0) {
			printf("unknown conversion type %s\n", argv[i]);
			return -EINVAL;
		}
		if (u == target) {
			printf("result type same as argument\n");
			return -EINVAL;
		}
		for (prev = 0; prev < CV_NR; prev++) {
			if ((given & U(prev)) &&
			    !(cv_units[prev].compatible & U(u))) {
				printf("conflicting conversion type %s\n",
				       argv[i]);
				return -EINVAL;
			}
		}
		if (!db_parse_u64(argv[i + 1], &v)) {
			printf("%s is not a number\n", argv[i + 1]);
			return -EINVAL;
		}
		given |= U(u);
		bytes += to_bytes(sb, u, v);
	}
	result = from_bytes(sb, target, bytes);
	printf("0x%llx (%llu)\n", (unsigned long long)result,
	       (unsigned long long)result);
	return 0;
}

const struct db_command convert_cmd = {
	.name = "convert",
	.func = convert_f,
	.argmin = 3,
	.argmax = 9,
	.args = "type num [type num]... type",
	.oneline = "express an address in another unit",
	.help =
"\n"
" Adds up the given parts of an address and prints the result in the\n"
" last unit, in hex and decimal.  Units: agblock (agbno), agino\n"
" (aginode), agnumber (agno), bboff (daddroff), blkoff (fsboff), byte\n"
" (fsbyte), daddr (bb), fsblock (fsb, fsbno), ino (inode), inoidx\n"
" (offset), inooff (inodeoff).\n"
"\n"
" Example: 'convert agno 2 agbno 7 fsblock'.\n"
"\n",
};
