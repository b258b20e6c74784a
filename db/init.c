/*
 * db/init.c: entry point of xfs_db.  Parses the command line, opens and
 * mounts the filesystem image, then runs the -c commands in order, or
 * reads commands from standard input (with a "xfs_db> " prompt when it is
 * a terminal) until quit or end of file.
 *
 * Exit status: 1 when the image cannot be opened or mounted or the usage
 * is wrong, 0 otherwise -- a failing command does not change it, as in
 * the reference.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/command.h"
#include "db/io.h"
#include "db/ring.h"
#include "db/type.h"

/* The reference reads this much at the start of the device first. */
#define PROBE_BYTES	32768

static void usage(const char *progname)
{
	fprintf(stderr, "Usage: %s [-ifFrxV] [-p prog] [-l logdev] "
		"[-c cmd]... device\n", progname);
}

/*
 * Before mounting, check the start of the device the way the reference
 * does, with its messages: readable, at least one sector, XFS magic
 * (unless -F).  Returns 0 or 1 (the exit status).
 */
static int probe_device(struct db_ctx *ctx)
{
	struct libxfs_dev *dev;
	uint64_t size = 0;
	size_t len;
	uint8_t *buf;
	uint32_t magic;
	int error;

	error = libxfs_dev_open(ctx->fsname, LIBXFS_DEV_RDONLY, &dev);
	if (error == -ENODEV) {
		/* Opened, but neither a file nor a block device. */
		fprintf(stderr, "%s: can't determine device size\n",
			ctx->progname);
		return 1;
	}
	if (error) {
		fprintf(stderr, "%s: %s\n\nfatal error -- couldn't initialize "
			"XFS library\n", ctx->fsname, strerror(-error));
		return 1;
	}
	error = libxfs_dev_size(dev, &size);
	if (error) {
		fprintf(stderr, "%s: can't determine device size\n",
			ctx->progname);
		libxfs_dev_close(dev);
		return 1;
	}
	len = size < PROBE_BYTES ? (size_t)size : PROBE_BYTES;
	if (len < PROBE_BYTES) {
		fprintf(stderr, "%s: error - read only %zu of %d bytes\n",
			ctx->progname, len, PROBE_BYTES);
	}
	if (len < BBSIZE) {
		fprintf(stderr, "%s: %s is invalid (cannot read first 512 "
			"bytes)\n", ctx->progname, ctx->fsname);
		libxfs_dev_close(dev);
		return 1;
	}
	buf = malloc(BBSIZE);
	if (!buf) {
		libxfs_dev_close(dev);
		return 1;
	}
	error = libxfs_dev_read(dev, buf, BBSIZE, 0);
	libxfs_dev_close(dev);
	if (error) {
		fprintf(stderr, "%s: %s is invalid (cannot read first 512 "
			"bytes)\n", ctx->progname, ctx->fsname);
		free(buf);
		return 1;
	}
	magic = get_unaligned_be32(buf);
	free(buf);
	if (magic != XFS_SB_MAGIC) {
		fprintf(stderr, "%s: %s is not a valid XFS filesystem "
			"(unexpected SB magic number 0x%08x)\n",
			ctx->progname, ctx->fsname, magic);
		if (!ctx->force) {
			fprintf(stderr, "Use -F to force a read attempt.\n");
			return 1;
		}
	}
	return 0;
}

/*
 * The reference reads every AGF and AGI at start-up to total the free
 * counts, stopping at the first that fails verification.  Doing the same
 * reads gives the same messages and the same verification history.
 */
static void read_ag_headers(struct db_ctx *ctx)
{
	const struct xfs_sb *sb = db_sb(ctx);
	unsigned int sectbb = (unsigned int)BTOBB(sb->sb_sectsize);
	static const struct {
		unsigned int			sector;
		const struct xfs_buf_ops	*ops;
	} hdrs[] = {
		{ XFS_AGF_SECTOR, &xfs_agf_buf_ops },
		{ XFS_AGI_SECTOR, &xfs_agi_buf_ops },
	};
	uint32_t agno;
	size_t i;

	if (sb->sb_rootino == NULLFSINO || !xfs_has_lazysbcount(ctx->mp)) {
		return;
	}
	for (agno = 0; agno < sb->sb_agcount; agno++) {
		for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
			struct db_bufstate *st;
			struct xfs_buf *bp;
			int error;

			error = db_read_buf(ctx,
					    db_ag_daddr(ctx, agno,
							hdrs[i].sector),
					    sectbb, hdrs[i].ops, &bp, &st);
			if (!error) {
				error = st->error;
				libxfs_buf_relse(bp);
			}
			if (error) {
				fprintf(stderr, "%s: cannot init perag data "
					"(%d). Continuing anyway.\n",
					ctx->progname, -error);
				return;
			}
		}
	}
}

/* Commands from standard input, one per line. */
static void command_loop(struct db_ctx *ctx)
{
	bool tty = isatty(STDIN_FILENO);
	char *line = NULL;
	size_t cap = 0;

	ssize_t len;

	while (!ctx->done) {
		if (tty) {
			printf("%s> ", ctx->progname);
			fflush(stdout);
		}
		len = getline(&line, &cap, stdin);
		if (len < 0) {
			break;
		}
		/*
		 * The reference drops the last character of every line, taking
		 * it for the newline even when the input ends without one.
		 */
		if (len > 0) {
			line[len - 1] = '\0';
		}
		db_run_line(ctx, line);
		fflush(stdout);
	}
	free(line);
}

int main(int argc, char **argv)
{
	struct db_ctx ctx = {
		.progname = "xfs_db",
		.cur_agno = NULLAGNUMBER,
	};
	char **cmds = NULL;
	unsigned int mflags = LIBXFS_MOUNT_FORCE;
	int ncmds = 0, c, i, error;

	cmds = calloc(argc, sizeof(*cmds));
	if (!cmds) {
		return 1;
	}
	while ((c = getopt(argc, argv, "c:fFil:p:rxV")) != -1) {
		switch (c) {
		case 'c':
			cmds[ncmds++] = optarg;
			break;
		case 'f':
			/* The image is a regular file: nothing to do. */
			break;
		case 'F':
			ctx.force = true;
			break;
		case 'i':
		case 'r':
			ctx.readonly = true;
			break;
		case 'l':
			/* External logs: only the data device is read. */
			break;
		case 'p':
			ctx.progname = optarg;
			break;
		case 'x':
			ctx.expert = true;
			break;
		case 'V':
			printf("%s version %s\n", ctx.progname,
			       XFS_TOOLS_VERSION);
			free(cmds);
			return 0;
		default:
			usage(ctx.progname);
			free(cmds);
			return 1;
		}
	}
	if (optind != argc - 1) {
		usage(ctx.progname);
		free(cmds);
		return 1;
	}
	ctx.fsname = argv[optind];

	if (probe_device(&ctx)) {
		free(cmds);
		return 1;
	}
	if (ctx.readonly) {
		mflags |= LIBXFS_MOUNT_RDONLY;
	}
	/*
	 * The reference opens damaged filesystems without a word (the
	 * commands report what they find), so mount quietly; only when the
	 * mount fails, try again aloud for libxfs to say why.
	 */
	error = libxfs_mount(ctx.fsname, mflags | LIBXFS_MOUNT_QUIET, &ctx.mp);
	if (error && libxfs_mount(ctx.fsname, mflags, &ctx.mp) == 0) {
		libxfs_umount(ctx.mp);
	}
	if (error) {
		fprintf(stderr, "%s: device %s unusable (not an XFS "
			"filesystem?)\n", ctx.progname, ctx.fsname);
		free(cmds);
		return 1;
	}
	db_ring_init(&ctx);
	read_ag_headers(&ctx);

	if (ncmds) {
		for (i = 0; i < ncmds && !ctx.done; i++) {
			db_run_line(&ctx, cmds[i]);
			fflush(stdout);
		}
	} else {
		command_loop(&ctx);
	}

	db_check_destroy(&ctx);
	db_io_destroy(&ctx);
	libxfs_umount(ctx.mp);
	free(cmds);
	return ctx.exitcode;
}
