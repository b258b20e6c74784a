/*
 * mkfs/options.c: the mkfs.xfs command line.  One table describes every
 * -X sub-option (value kind, range, power-of-two rule, value when given
 * bare, conflicting sub-options); cli_parse() walks argv with getopt and
 * getsubopt, checks each value against the table, detects options given
 * twice and conflicting pairs, and records the result in struct mkfs_cli.
 * Sizes whose units depend on the final block or sector size are kept as
 * strings and converted later by cli_convert().
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libfrog/uuid.h"
#include "mkfs/mkfs.h"

/* How a sub-option's value is taken. */
enum sub_kind {
	SUB_NUM,	/* integer, no unit suffix */
	SUB_SIZE,	/* size with suffix, converted while parsing */
	SUB_DEFER,	/* size with suffix, converted by cli_convert() */
	SUB_STR,	/* a string (names, uuid) */
	SUB_NUM_OR_CI,	/* -n version: a number, or "ci" */
	SUB_UUID,	/* -m uuid: may be given again, last one wins */
};

#define NEEDS_VAL	LLONG_MIN	/* no value given is an error */
#define MAX_CONFLICTS	4

struct conflict {
	int		opt;	/* enum mkfs_opt + 1; 0 ends the list */
	int		sub;
};

#define CONFLICT(o, s)	{ .opt = (o) + 1, .sub = (s) }

struct subopt_def {
	const char	*name;
	enum sub_kind	kind;
	bool		pow2;
	long long	minval;
	long long	maxval;
	long long	dflt;
	struct conflict	conflicts[MAX_CONFLICTS];
};

struct opt_def {
	char		letter;
	const char	*names[MKFS_MAX_SUBOPTS + 1];	/* for getsubopt */
	struct subopt_def subs[MKFS_MAX_SUBOPTS];
};

#define BOOLOPT(nm)	{ .name = nm, .kind = SUB_NUM, .minval = 0, \
			  .maxval = 1, .dflt = 1 }

static const struct opt_def opt_table[OPT_NR] = {
	[OPT_B] = {
		.letter = 'b',
		.names = { "size", NULL },
		.subs = {
			[B_SIZE] = { "size", SUB_SIZE, true, MKFS_MIN_BLOCKSIZE,
				     MKFS_MAX_BLOCKSIZE, NEEDS_VAL },
		},
	},
	[OPT_C] = {
		.letter = 'c',
		.names = { "options", NULL },
		.subs = {
			[C_OPTFILE] = { "options", SUB_STR, false, 0, 0,
					NEEDS_VAL },
		},
	},
	[OPT_D] = {
		.letter = 'd',
		.names = { "agcount", "file", "name", "size", "sunit",
			   "swidth", "agsize", "su", "sw", "sectsize",
			   "noalign", "rtinherit", "projinherit",
			   "extszinherit", "cowextsize", "daxinherit", NULL },
		.subs = {
			[D_AGCOUNT] = { "agcount", SUB_NUM, false, 1,
					MKFS_MAX_AGNUMBER, NEEDS_VAL,
					{ CONFLICT(OPT_D, D_AGSIZE) } },
			[D_FILE] = BOOLOPT("file"),
			[D_NAME] = { "name", SUB_STR, false, 0, 0, NEEDS_VAL },
			[D_SIZE] = { "size", SUB_DEFER, false,
				     MKFS_AG_MIN_BYTES, LLONG_MAX, NEEDS_VAL },
			[D_SUNIT] = { "sunit", SUB_NUM, false, 0, UINT_MAX,
				      NEEDS_VAL,
				      { CONFLICT(OPT_D, D_NOALIGN),
					CONFLICT(OPT_D, D_SU),
					CONFLICT(OPT_D, D_SW) } },
			[D_SWIDTH] = { "swidth", SUB_NUM, false, 0, UINT_MAX,
				       NEEDS_VAL,
				       { CONFLICT(OPT_D, D_NOALIGN),
					 CONFLICT(OPT_D, D_SU),
					 CONFLICT(OPT_D, D_SW) } },
			[D_AGSIZE] = { "agsize", SUB_DEFER, false,
				       MKFS_AG_MIN_BYTES, MKFS_AG_MAX_BYTES,
				       NEEDS_VAL,
				       { CONFLICT(OPT_D, D_AGCOUNT) } },
			[D_SU] = { "su", SUB_DEFER, false, 0, UINT_MAX,
				   NEEDS_VAL,
				   { CONFLICT(OPT_D, D_NOALIGN),
				     CONFLICT(OPT_D, D_SUNIT),
				     CONFLICT(OPT_D, D_SWIDTH) } },
			[D_SW] = { "sw", SUB_NUM, false, 0, UINT_MAX, NEEDS_VAL,
				   { CONFLICT(OPT_D, D_NOALIGN),
				     CONFLICT(OPT_D, D_SUNIT),
				     CONFLICT(OPT_D, D_SWIDTH) } },
			[D_SECTSIZE] = { "sectsize", SUB_SIZE, true,
					 MKFS_MIN_SECTORSIZE,
					 MKFS_MAX_SECTORSIZE, NEEDS_VAL,
					 { CONFLICT(OPT_S, S_SIZE),
					   CONFLICT(OPT_S, S_SECTSIZE) } },
			[D_NOALIGN] = { "noalign", SUB_NUM, false, 0, 1, 1,
					{ CONFLICT(OPT_D, D_SU),
					  CONFLICT(OPT_D, D_SW),
					  CONFLICT(OPT_D, D_SUNIT),
					  CONFLICT(OPT_D, D_SWIDTH) } },
			[D_RTINHERIT] = BOOLOPT("rtinherit"),
			[D_PROJINHERIT] = { "projinherit", SUB_NUM, false, 0,
					    UINT_MAX, NEEDS_VAL },
			[D_EXTSZINHERIT] = { "extszinherit", SUB_NUM, false, 0,
					     UINT_MAX, NEEDS_VAL },
			[D_COWEXTSIZE] = { "cowextsize", SUB_NUM, false, 0,
					   UINT_MAX, NEEDS_VAL },
			[D_DAXINHERIT] = BOOLOPT("daxinherit"),
		},
	},
	[OPT_I] = {
		.letter = 'i',
		.names = { "align", "maxpct", "perblock", "size", "attr",
			   "projid32bit", "sparse", "nrext64", NULL },
		.subs = {
			[I_ALIGN] = BOOLOPT("align"),
			[I_MAXPCT] = { "maxpct", SUB_NUM, false, 0, 100,
				       NEEDS_VAL },
			[I_PERBLOCK] = { "perblock", SUB_NUM, true,
					 MKFS_MIN_INODE_PERBLOCK,
					 MKFS_MAX_BLOCKSIZE /
						MKFS_DINODE_MIN_SIZE,
					 NEEDS_VAL,
					 { CONFLICT(OPT_I, I_SIZE) } },
			[I_SIZE] = { "size", SUB_NUM, true,
				     MKFS_DINODE_MIN_SIZE,
				     MKFS_DINODE_MAX_SIZE, NEEDS_VAL,
				     { CONFLICT(OPT_I, I_PERBLOCK) } },
			[I_ATTR] = { "attr", SUB_NUM, false, 0, 2, NEEDS_VAL },
			[I_PROJID32BIT] = BOOLOPT("projid32bit"),
			[I_SPINODES] = BOOLOPT("sparse"),
			[I_NREXT64] = BOOLOPT("nrext64"),
		},
	},
	[OPT_L] = {
		.letter = 'l',
		.names = { "agnum", "internal", "size", "version", "sunit",
			   "su", "logdev", "sectsize", "file", "name",
			   "lazy-count", NULL },
		.subs = {
			[L_AGNUM] = { "agnum", SUB_NUM, false, 0, UINT_MAX,
				      NEEDS_VAL,
				      { CONFLICT(OPT_L, L_DEV) } },
			[L_INTERNAL] = { "internal", SUB_NUM, false, 0, 1, 1,
					 { CONFLICT(OPT_L, L_FILE),
					   CONFLICT(OPT_L, L_DEV),
					   CONFLICT(OPT_L, L_SECTSIZE) } },
			[L_SIZE] = { "size", SUB_DEFER, false, 2 << 20,
				     MKFS_MAX_LOG_BYTES, NEEDS_VAL },
			[L_VERSION] = { "version", SUB_NUM, false, 1, 2,
					NEEDS_VAL },
			[L_SUNIT] = { "sunit", SUB_NUM, false, 1,
				      MKFS_LOG_MAX_RECORD >> BBSHIFT, NEEDS_VAL,
				      { CONFLICT(OPT_L, L_SU) } },
			[L_SU] = { "su", SUB_DEFER, false, BBSIZE,
				   MKFS_LOG_MAX_RECORD, NEEDS_VAL,
				   { CONFLICT(OPT_L, L_SUNIT) } },
			[L_DEV] = { "logdev", SUB_STR, false, 0, 0, NEEDS_VAL,
				    { CONFLICT(OPT_L, L_AGNUM),
				      CONFLICT(OPT_L, L_NAME),
				      CONFLICT(OPT_L, L_INTERNAL) } },
			[L_SECTSIZE] = { "sectsize", SUB_SIZE, true,
					 MKFS_MIN_SECTORSIZE,
					 MKFS_MAX_SECTORSIZE, NEEDS_VAL,
					 { CONFLICT(OPT_L, L_INTERNAL) } },
			[L_FILE] = { "file", SUB_NUM, false, 0, 1, 1,
				     { CONFLICT(OPT_L, L_INTERNAL) } },
			[L_NAME] = { "name", SUB_STR, false, 0, 0, NEEDS_VAL,
				     { CONFLICT(OPT_L, L_AGNUM),
				       CONFLICT(OPT_L, L_DEV),
				       CONFLICT(OPT_L, L_INTERNAL) } },
			[L_LAZYSBCNTR] = BOOLOPT("lazy-count"),
		},
	},
	[OPT_M] = {
		.letter = 'm',
		.names = { "crc", "finobt", "uuid", "rmapbt", "reflink",
			   "inobtcount", "bigtime", NULL },
		.subs = {
			[M_CRC] = BOOLOPT("crc"),
			[M_FINOBT] = BOOLOPT("finobt"),
			[M_UUID] = { "uuid", SUB_UUID, false, 0, 0, NEEDS_VAL },
			[M_RMAPBT] = BOOLOPT("rmapbt"),
			[M_REFLINK] = BOOLOPT("reflink"),
			[M_INOBTCNT] = BOOLOPT("inobtcount"),
			[M_BIGTIME] = BOOLOPT("bigtime"),
		},
	},
	[OPT_N] = {
		.letter = 'n',
		.names = { "size", "version", "ftype", NULL },
		.subs = {
			[N_SIZE] = { "size", SUB_DEFER, true, 1 << 12,
				     MKFS_MAX_BLOCKSIZE, NEEDS_VAL },
			[N_VERSION] = { "version", SUB_NUM_OR_CI, false, 2, 2,
					NEEDS_VAL },
			[N_FTYPE] = BOOLOPT("ftype"),
		},
	},
	[OPT_R] = {
		.letter = 'r',
		.names = { "extsize", "size", "rtdev", "file", "name",
			   "noalign", NULL },
		.subs = {
			[R_EXTSIZE] = { "extsize", SUB_DEFER, false,
					MKFS_MIN_RTEXTSIZE, MKFS_MAX_RTEXTSIZE,
					NEEDS_VAL },
			[R_SIZE] = { "size", SUB_DEFER, false, 0, LLONG_MAX,
				     NEEDS_VAL },
			[R_DEV] = { "rtdev", SUB_STR, false, 0, 0, NEEDS_VAL,
				    { CONFLICT(OPT_R, R_NAME) } },
			[R_FILE] = BOOLOPT("file"),
			[R_NAME] = { "name", SUB_STR, false, 0, 0, NEEDS_VAL,
				     { CONFLICT(OPT_R, R_DEV) } },
			[R_NOALIGN] = BOOLOPT("noalign"),
		},
	},
	[OPT_S] = {
		.letter = 's',
		.names = { "size", "sectsize", NULL },
		.subs = {
			[S_SIZE] = { "size", SUB_SIZE, true,
				     MKFS_MIN_SECTORSIZE, MKFS_MAX_SECTORSIZE,
				     NEEDS_VAL,
				     { CONFLICT(OPT_S, S_SECTSIZE),
				       CONFLICT(OPT_D, D_SECTSIZE) } },
			[S_SECTSIZE] = { "sectsize", SUB_SIZE, true,
					 MKFS_MIN_SECTORSIZE,
					 MKFS_MAX_SECTORSIZE, NEEDS_VAL,
					 { CONFLICT(OPT_S, S_SIZE),
					   CONFLICT(OPT_D, D_SECTSIZE) } },
		},
	},
};

void usage(void)
{
	fprintf(stderr, "Usage: %s\n"
"/* blocksize */\t\t[-b size=num]\n"
"/* config file */\t[-c options=xxx]\n"
"/* metadata */\t\t[-m crc=0|1,finobt=0|1,uuid=xxx,rmapbt=0|1,reflink=0|1,\n"
"\t\t\t    inobtcount=0|1,bigtime=0|1]\n"
"/* data subvol */\t[-d agcount=n,agsize=n,file,name=xxx,size=num,\n"
"\t\t\t    (sunit=value,swidth=value|su=num,sw=num|noalign),\n"
"\t\t\t    sectsize=num\n"
"/* force overwrite */\t[-f]\n"
"/* inode size */\t[-i perblock=n|size=num,maxpct=n,attr=0|1|2,\n"
"\t\t\t    projid32bit=0|1,sparse=0|1,nrext64=0|1]\n"
"/* no discard */\t[-K]\n"
"/* log subvol */\t[-l agnum=n,internal,size=num,logdev=xxx,version=n\n"
"\t\t\t    sunit=value|su=num,sectsize=num,lazy-count=0|1]\n"
"/* label */\t\t[-L label (maximum 12 characters)]\n"
"/* naming */\t\t[-n size=num,version=2|ci,ftype=0|1]\n"
"/* no-op info only */\t[-N]\n"
"/* prototype file */\t[-p fname]\n"
"/* quiet */\t\t[-q]\n"
"/* realtime subvol */\t[-r extsize=num,size=num,rtdev=xxx]\n"
"/* sectorsize */\t[-s size=num]\n"
"/* version */\t\t[-V]\n"
"\t\t\tdevicename\n"
"<devicename> is required unless -d name=xxx is given.\n"
"<num> is xxx (bytes), xxxs (sectors), xxxb (fs blocks), xxxk (xxx KiB),\n"
"      xxxm (xxx MiB), xxxg (xxx GiB), xxxt (xxx TiB) or xxxp (xxx PiB).\n"
"<value> is xxx (512 byte blocks).\n", progname);
}

void cli_init(struct mkfs_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->discard = true;
}

static const struct subopt_def *subdef(int opt, int sub)
{
	return &opt_table[opt].subs[sub];
}

enum mkfs_status cli_bad_value(const struct mkfs_cli *cli, int opt, int sub,
			       const char *value, const char *reason)
{
	fprintf(stderr, "Invalid value %s for -%c %s option. %s\n", value,
		opt_table[opt].letter, subdef(opt, sub)->name, reason);
	return MKFS_USAGE;
}

/*
 * Record that -X sub is being taken (as a string or as a number): a second
 * take of the same kind is a respecification, and any conflicting
 * sub-option already taken is an error.
 */
static enum mkfs_status take_subopt(struct mkfs_cli *cli, int opt, int sub,
				    bool as_string)
{
	const struct subopt_def *sd = subdef(opt, sub);
	bool *flag = as_string ? &cli->str_seen[opt][sub] :
				 &cli->seen[opt][sub];
	int i;

	if (*flag) {
		fprintf(stderr, "-%c %s option respecified\n",
			opt_table[opt].letter, sd->name);
		return MKFS_USAGE;
	}
	*flag = true;

	for (i = 0; i < MAX_CONFLICTS && sd->conflicts[i].opt; i++) {
		int copt = sd->conflicts[i].opt - 1;
		int csub = sd->conflicts[i].sub;

		if (cli_set(cli, copt, csub)) {
			fprintf(stderr, "Cannot specify both -%c %s and -%c %s\n",
				opt_table[copt].letter,
				subdef(copt, csub)->name,
				opt_table[opt].letter, sd->name);
			return MKFS_USAGE;
		}
	}
	return MKFS_OK;
}

static enum mkfs_status needs_value(int opt, int sub)
{
	fprintf(stderr, "-%c %s option requires a value\n",
		opt_table[opt].letter, subdef(opt, sub)->name);
	return MKFS_USAGE;
}

/* Take a string value (names, and sizes converted later). */
static enum mkfs_status take_string(struct mkfs_cli *cli, int opt, int sub,
				    const char *value)
{
	enum mkfs_status st;

	st = take_subopt(cli, opt, sub, true);
	if (st != MKFS_OK) {
		return st;
	}
	if (!value || !*value) {
		return needs_value(opt, sub);
	}
	cli->str[opt][sub] = value;
	return MKFS_OK;
}

/*
 * Take a numeric value: plain integers refuse unit suffixes, sizes go
 * through mkfs_cvtnum with the given block and sector sizes.  Then the
 * table's range and power-of-two rules.
 */
static enum mkfs_status take_number(struct mkfs_cli *cli, int opt, int sub,
				    const char *value, unsigned int blocksize,
				    unsigned int sectsize, long long *out)
{
	const struct subopt_def *sd = subdef(opt, sub);
	enum mkfs_status st;
	long long v;

	st = take_subopt(cli, opt, sub, false);
	if (st != MKFS_OK) {
		return st;
	}
	if (!value || !*value) {
		if (sd->dflt == NEEDS_VAL) {
			return needs_value(opt, sub);
		}
		*out = sd->dflt;
		return MKFS_OK;
	}
	if (sd->kind == SUB_SIZE || sd->kind == SUB_DEFER) {
		v = mkfs_cvtnum(blocksize, sectsize, value);
		if (v == -1) {
			return cli_bad_value(cli, opt, sub, value,
				"Not a valid value or illegal suffix");
		}
	} else {
		char *end;

		v = strtoll(value, &end, 0);
		if (v == 0 && end == value) {
			return cli_bad_value(cli, opt, sub, value,
				"Value not recognized as number.");
		}
		if (*end != '\0') {
			return cli_bad_value(cli, opt, sub, value,
				"Unit suffixes are not allowed.");
		}
	}
	if (v < sd->minval) {
		return cli_bad_value(cli, opt, sub, value,
				     "Value is too small.");
	}
	if (v > sd->maxval) {
		return cli_bad_value(cli, opt, sub, value,
				     "Value is too large.");
	}
	if (sd->pow2 && !mkfs_ispow2((unsigned long long)v)) {
		return cli_bad_value(cli, opt, sub, value,
				     "Value must be a power of 2.");
	}
	*out = v;
	return MKFS_OK;
}

enum mkfs_status cli_convert(struct mkfs_cli *cli, int opt, int sub,
			     long long *val)
{
	enum mkfs_status st;

	st = take_number(cli, opt, sub, cli->str[opt][sub],
			 cli->conv_blocksize, cli->conv_sectorsize, val);
	if (st == MKFS_OK) {
		cli->num[opt][sub] = *val;
	}
	return st;
}

static enum mkfs_status unknown_opt(char letter, const char *value)
{
	fprintf(stderr, "unknown option -%c %s\n", letter, value);
	return MKFS_USAGE;
}

static enum mkfs_status illegal_value(const char *value, const char *what)
{
	fprintf(stderr, "Invalid value %s for -%s option\n", value, what);
	return MKFS_USAGE;
}

/* One sub-option of -X: store it by kind, with the few special cases. */
static enum mkfs_status parse_one(struct mkfs_cli *cli, int opt, int sub,
				  char *value)
{
	const struct subopt_def *sd = subdef(opt, sub);
	enum mkfs_status st;
	long long v;

	switch (sd->kind) {
	case SUB_UUID:
		if (!value || !*value) {
			return needs_value(opt, sub);
		}
		if (frog_uuid_parse(value, cli->uuid) != 0) {
			return illegal_value(value, "m uuid");
		}
		cli->str_seen[opt][sub] = true;
		cli->str[opt][sub] = value;
		return MKFS_OK;
	case SUB_STR:
	case SUB_DEFER:
		st = take_string(cli, opt, sub, value);
		if (st != MKFS_OK) {
			return st;
		}
		if (opt == OPT_D && sub == D_NAME) {
			cli->dname = value;
		}
		return MKFS_OK;
	case SUB_NUM_OR_CI:
		st = take_string(cli, opt, sub, value);
		if (st != MKFS_OK) {
			return st;
		}
		if (!strcasecmp(value, "ci")) {
			cli->nci = true;
			return MKFS_OK;
		}
		break;
	case SUB_NUM:
	case SUB_SIZE:
		break;
	}
	// Sizes converted while parsing know neither the block nor the
	// sector size yet, so their 'b' and 's' suffixes are refused.
	st = take_number(cli, opt, sub, value, 0, 0, &v);
	if (st != MKFS_OK) {
		return st;
	}
	cli->num[opt][sub] = v;
	// -s sets the log sector size too; a later -l sectsize overrides
	// it and a later -s overrides that.
	if (opt == OPT_S || (opt == OPT_L && sub == L_SECTSIZE)) {
		cli->lsectorsize = (unsigned int)v;
	}
	// Turning CRCs on turns the directory file type back on, whatever
	// an earlier -n ftype said (a later one still counts).
	if (opt == OPT_M && sub == M_CRC && v) {
		cli->num[OPT_N][N_FTYPE] = 1;
	}
	return MKFS_OK;
}

static enum mkfs_status parse_subopts(struct mkfs_cli *cli, int opt,
				      char *arg)
{
	const struct opt_def *od = &opt_table[opt];
	char *p = arg;

	while (*p) {
		char *value = NULL;
		int sub;
		enum mkfs_status st;

		sub = getsubopt(&p, (char *const *)od->names, &value);
		if (sub < 0) {
			return unknown_opt(od->letter, value ? value : "");
		}
		st = parse_one(cli, opt, sub, value);
		if (st != MKFS_OK) {
			return st;
		}
	}
	return MKFS_OK;
}

static int opt_index(int letter)
{
	int i;

	for (i = 0; i < OPT_NR; i++) {
		if (opt_table[i].letter == letter) {
			return i;
		}
	}
	return -1;
}

enum mkfs_status cli_parse(struct mkfs_cli *cli, int argc, char **argv)
{
	enum mkfs_status st;
	int c;

	// Long options return 0 (and report 0 as the bad option letter,
	// as the reference does).
	static const struct option longopts[] = {
		{ "unsupported", no_argument, NULL, 0 },
		{ NULL, 0, NULL, 0 },
	};
	int longindex = 0;

	while ((c = getopt_long(argc, argv, "b:c:d:i:l:L:m:n:KNp:qr:s:CfV",
				longopts, &longindex)) != -1) {
		switch (c) {
		case 0:
			cli->unsupported = true;
			break;
		case 'b':
		case 'c':
		case 'd':
		case 'i':
		case 'l':
		case 'm':
		case 'n':
		case 'r':
		case 's':
			st = parse_subopts(cli, opt_index(c), optarg);
			if (st != MKFS_OK) {
				return st;
			}
			break;
		case 'L':
			if (strlen(optarg) > XFSLABEL_MAX) {
				return illegal_value(optarg, "L");
			}
			cli->label = optarg;
			break;
		case 'p':
			if (cli->protofile) {
				fprintf(stderr, "-p option respecified\n");
				return MKFS_USAGE;
			}
			cli->protofile = optarg;
			break;
		case 'N':
			cli->dry_run = true;
			break;
		case 'K':
			cli->discard = false;
			break;
		case 'C':
			break;
		case 'f':
			cli->force = true;
			break;
		case 'q':
			cli->quiet = true;
			break;
		case 'V':
			// Report the version at once, like the reference:
			// nothing after -V is looked at.
			cli->show_version = true;
			return MKFS_OK;
		default:
			return unknown_opt((char)optopt, "");
		}
	}

	if (argc - optind > 1) {
		fprintf(stderr, "extra arguments\n");
		return MKFS_USAGE;
	}
	if (argc - optind == 1) {
		st = take_string(cli, OPT_D, D_NAME, argv[optind]);
		if (st != MKFS_OK) {
			return st;
		}
		cli->dname = argv[optind];
	}
	return MKFS_OK;
}
